package io.nativetls.fuzz;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.TestPki;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * Real traffic, recorded once per run: NativeTLS and SunJSSE clients and servers (NativeTLS on
 * at least one side) over TLS 1.3 and 1.2, with and without client certificates, each
 * conversation a handshake, application data both ways and a close. What each side sent is
 * kept as records; the fuzzer mutates and replays them.
 */
final class Corpus {
    /** One side's traffic in one conversation. */
    static final class Stream {
        final String label;
        /** The first flight (a ClientHello, or the server's answer to it) as records. */
        final List<byte[]> firstFlight;
        /** Everything the side sent, in order, as records. */
        final List<byte[]> all;

        Stream(String label, List<byte[]> firstFlight, List<byte[]> all) {
            this.label = label;
            this.firstFlight = firstFlight;
            this.all = all;
        }
    }

    final SslContexts contexts;
    final List<Stream> clientStreams = new ArrayList<>();
    final List<Stream> serverStreams = new ArrayList<>();
    /** Plaintext handshake messages seen, by message type. */
    final Map<Integer, List<byte[]>> messages = new HashMap<>();
    /** Whole ClientHello and ServerHello messages (header included). */
    final List<byte[]> clientHellos = new ArrayList<>();
    final List<byte[]> serverHellos = new ArrayList<>();
    /** Records sent after the handshake (application data, tickets, close_notify), from either side. */
    final List<byte[]> laterRecords = new ArrayList<>();

    /**
     * The SSLContexts the run uses, made once. Their key managers are SunX509 ones, which keep the
     * keys in memory: the PKIX key manager decrypts the PKCS#12 entry (PBKDF2) on every handshake,
     * which would cost more than the rest of an input.
     */
    static final class SslContexts {
        final SSLContext nativeServerEc = Contexts.create(Impl.NATIVE, "TLS", keys("server-ec"), trust());
        final SSLContext nativeServerRsa = Contexts.create(Impl.NATIVE, "TLS", keys("server-rsa"), trust());
        final SSLContext sunServer = Contexts.create(Impl.SUN, "TLS", keys("server-ec"), trust());
        final SSLContext nativeClient = Contexts.create(Impl.NATIVE, "TLS", null, trust());
        final SSLContext nativeClientWithKey = Contexts.create(Impl.NATIVE, "TLS", keys("client"), trust());
        final SSLContext sunClient = Contexts.create(Impl.SUN, "TLS", null, trust());
        final SSLContext sunClientWithKey = Contexts.create(Impl.SUN, "TLS", keys("client"), trust());

        private static KeyManager[] keys(String name) {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
                kmf.init(TestPki.get().keyStore(name), TestPki.PASSWORD);
                return kmf.getKeyManagers();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static TrustManager[] trust() {
            return TestPki.get().trustManagers();
        }

        SSLEngine client(Impl impl, boolean withKey, String protocol) {
            SSLContext ctx = impl == Impl.NATIVE ? (withKey ? nativeClientWithKey : nativeClient)
                : (withKey ? sunClientWithKey : sunClient);
            SSLEngine e = ctx.createSSLEngine("localhost", 4433);
            e.setUseClientMode(true);
            if (protocol != null) {
                e.setEnabledProtocols(new String[] {protocol});
            }
            return e;
        }

        SSLEngine server(Impl impl, boolean rsa, String protocol, int clientAuth) {
            SSLContext ctx = impl == Impl.NATIVE ? (rsa ? nativeServerRsa : nativeServerEc) : sunServer;
            SSLEngine e = ctx.createSSLEngine();
            e.setUseClientMode(false);
            if (protocol != null) {
                e.setEnabledProtocols(new String[] {protocol});
            }
            if (clientAuth == 1) {
                e.setWantClientAuth(true);
            } else if (clientAuth == 2) {
                e.setNeedClientAuth(true);
            }
            return e;
        }
    }

    Corpus(SslContexts contexts) {
        this.contexts = contexts;
    }

    static Corpus record(SslContexts contexts) throws SSLException {
        Corpus c = new Corpus(contexts);
        Random data = new Random(1);
        Impl[][] pairs = {{Impl.NATIVE, Impl.NATIVE}, {Impl.NATIVE, Impl.SUN}, {Impl.SUN, Impl.NATIVE}};
        for (Impl[] pair : pairs) {
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2", null}) {
                for (boolean clientCert : new boolean[] {false, true}) {
                    c.converse(pair[0], pair[1], protocol, clientCert, data);
                }
            }
        }
        return c;
    }

    private void converse(Impl clientImpl, Impl serverImpl, String protocol, boolean clientCert, Random data)
        throws SSLException {
        SSLEngine client = contexts.client(clientImpl, clientCert, protocol);
        SSLEngine server = contexts.server(serverImpl, false, protocol, clientCert ? 2 : 0);
        Conversation conv = new Conversation(client, server);
        conv.handshake();
        for (int size : new int[] {1, 100, 5000, 16384, 20000}) {
            byte[] b = new byte[size];
            data.nextBytes(b);
            conv.deliver(server, conv.send(client, b));
            conv.deliver(client, conv.send(server, b));
        }
        conv.deliver(server, conv.close(client));
        conv.deliver(client, conv.flush(server));
        conv.close(server);
        conv.close(client);
        String label = clientImpl + " client / " + serverImpl + " server, " + (protocol == null ? "default" : protocol)
            + (clientCert ? ", client certificate" : "");
        List<byte[]> clientFirst = null;
        List<byte[]> serverFirst = null;
        List<byte[]> clientAll = new ArrayList<>();
        List<byte[]> serverAll = new ArrayList<>();
        for (Conversation.Flight f : conv.flights) {
            List<byte[]> recs = Tls.records(f.bytes.toByteArray());
            int[] used = new int[1];
            for (byte[] m : Tls.leadingHandshakeMessages(recs, used)) {
                messages.computeIfAbsent(m[0] & 0xff, k -> new ArrayList<>()).add(m);
                if (m[0] == Tls.CLIENT_HELLO) {
                    clientHellos.add(m);
                } else if (m[0] == Tls.SERVER_HELLO) {
                    serverHellos.add(m);
                }
            }
            if (f.fromClient) {
                if (clientFirst == null) {
                    clientFirst = recs;
                }
                clientAll.addAll(recs);
            } else {
                if (serverFirst == null) {
                    serverFirst = recs;
                }
                serverAll.addAll(recs);
            }
        }
        // What follows the last plaintext handshake flight: tickets, application data, closes.
        addLater(clientAll);
        addLater(serverAll);
        clientStreams.add(new Stream(label, clientFirst, clientAll));
        serverStreams.add(new Stream(label, serverFirst, serverAll));
        closeQuietly(client);
        closeQuietly(server);
    }

    private void addLater(List<byte[]> all) {
        for (int i = all.size() - 1; i >= 0 && Tls.type(all.get(i)) != Tls.HANDSHAKE
            && Tls.type(all.get(i)) != Tls.CHANGE_CIPHER_SPEC; i--) {
            laterRecords.add(all.get(i));
        }
    }

    static void closeQuietly(SSLEngine e) {
        e.closeOutbound();
        try {
            e.closeInbound();
        } catch (SSLException ignored) {
            // no close_notify from the peer: expected when a conversation is cut short
        }
    }

    String summary() {
        int records = 0;
        for (Stream s : clientStreams) {
            records += s.all.size();
        }
        for (Stream s : serverStreams) {
            records += s.all.size();
        }
        return clientStreams.size() + " conversations, " + records + " records, " + clientHellos.size()
            + " ClientHellos, " + serverHellos.size() + " ServerHellos, message types " + messages.keySet();
    }
}
