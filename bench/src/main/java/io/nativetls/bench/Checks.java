package io.nativetls.bench;

import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * What every benchmark checks before it measures, and prints (lines start with "[bench]"), so a
 * result can be trusted to be what its name says: the protocol, suite and group negotiated, and
 * whether handshakes were resumed.
 */
public final class Checks {
    /** Connection for host-bound (resumable) clients. */
    public static final String HOST = "localhost";
    public static final int PORT = 8443;

    private Checks() {}

    /** Loads the peer and opens its endpoints, with a clear message when either cannot be done. */
    public static Endpoints open(String provider, Tls tls) throws Exception {
        Peer peer = Peer.load(provider);
        try {
            Endpoints endpoints = peer.open(tls);
            System.out.println("[bench] " + provider + ": " + peer.version());
            return endpoints;
        } catch (Exception | Error e) {
            String msg = "provider " + provider + " cannot set up " + tls + " (" + tls.protocol + " " + tls.suite + ", "
                + tls.keyType + "): " + e;
            System.out.println(msg);
            throw new IllegalStateException(msg, e);
        }
    }

    /**
     * One full handshake with a client that has no peer identity, then close. Fails when the
     * negotiated protocol or suite is not the configuration's, or the handshake was resumed.
     */
    public static String fullHandshake(String provider, Endpoints endpoints, Tls tls, MemoryLink link)
        throws SSLException {
        SSLEngine client = endpoints.client(null, -1);
        SSLEngine server = endpoints.server();
        Wire.ServerFlight flight = new Wire.ServerFlight();
        String protocol;
        String suite;
        try {
            link.handshake(client, server, flight);
            SSLSession session = client.getSession();
            protocol = session.getProtocol();
            suite = session.getCipherSuite();
            link.close(client, server);
        } finally {
            endpoints.release(client);
            endpoints.release(server);
        }
        String line = "[bench] " + provider + " " + tls + ": " + protocol + " " + suite + ", wire: " + flight;
        System.out.println(line);
        if (!tls.protocol.equals(protocol) || !tls.suite.equals(suite)) {
            String msg = "provider " + provider + " cannot run " + tls + ": it negotiated " + protocol + " " + suite
                + " instead of " + tls.protocol + " " + tls.suite
                + (tls.isTls13() && (provider.equals(Peer.CONSCRYPT) || provider.equals(Peer.NETTY))
                    ? " (BoringSSL does not let TLS 1.3 cipher suites be configured)" : "");
            System.out.println(msg);
            throw new IllegalStateException(msg);
        }
        if (flight.resumed()) {
            throw new IllegalStateException("provider " + provider + " resumed a handshake whose client had no peer"
                + " identity: the full-handshake numbers would be wrong");
        }
        return line;
    }

    /**
     * Handshakes with host-bound clients, the first full, the rest resumable. Prints for each
     * whether it was resumed as seen on the wire and, for TLS 1.2, whether the client's session id
     * stayed the same. Returns how many of the {@code count - 1} later ones were resumed.
     */
    public static int resumption(String provider, Endpoints endpoints, Tls tls, MemoryLink link, int count)
        throws SSLException {
        byte[] previousId = null;
        int resumed = 0;
        StringBuilder sb = new StringBuilder("[bench] " + provider + " " + tls + " resumption:");
        for (int i = 0; i < count; i++) {
            SSLEngine client = endpoints.client(HOST, PORT);
            SSLEngine server = endpoints.server();
            Wire.ServerFlight flight = new Wire.ServerFlight();
            byte[] id;
            try {
                link.handshake(client, server, flight);
                id = client.getSession().getId();
                link.close(client, server);
            } finally {
                endpoints.release(client);
                endpoints.release(server);
            }
            sb.append(" #").append(i + 1).append(i == 0 ? " (first)" : "").append(" wire resumed=")
                .append(flight.resumed() ? "yes" : "no");
            if (!tls.isTls13()) {
                boolean same = previousId != null && id != null && id.length > 0 && Arrays.equals(id, previousId);
                sb.append(", API session id ").append(i == 0 ? "new" : same ? "same" : "changed");
            }
            sb.append(";");
            if (i > 0 && flight.resumed()) {
                resumed++;
            }
            previousId = id;
        }
        sb.append(resumed == count - 1 ? " => resumption works"
            : resumed == 0 ? " => NO RESUMPTION: every handshake measured is a full one"
            : " => resumed " + resumed + " of " + (count - 1));
        System.out.println(sb);
        return resumed;
    }
}
