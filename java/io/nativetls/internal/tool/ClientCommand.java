package io.nativetls.internal.tool;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Set;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * {@code client host:port}: one NativeTLS SSLSocket connection, verified as HTTPS verifies (trusted
 * chain, certificate names the host), described like {@code openssl s_client} but readable.
 */
final class ClientCommand {
    static final Set<String> OPTIONS = Set.of("alpn", "servername", "cafile", "protocols", "timeout");
    static final Set<String> FLAGS = Set.of("reconnect");

    private final PrintStream out;

    ClientCommand(Console console) {
        this.out = console.out;
    }

    int run(Options options) throws UsageException, ToolFailure {
        if (options.positional().size() != 1) {
            throw new UsageException("client needs exactly one host:port");
        }
        Target target = Target.parse(options.positional().get(0));
        String cafile = options.get("cafile");
        List<String> alpn = options.list("alpn");
        List<String> protocols = options.list("protocols");
        String servername = options.get("servername");
        boolean reconnect = options.has("reconnect");
        int timeoutMillis = options.integer("timeout", 10, 1, 3600) * 1000;

        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS", new NativeTlsProvider());
            context.init(null, KeyMaterial.trustManagers(cafile == null ? null : Path.of(cafile)), null);
        } catch (GeneralSecurityException e) {
            throw new ToolFailure("making a NativeTLS SSLContext failed: " + e.getMessage(), e);
        }
        Connection first = connect(context, target, servername, alpn, protocols, timeoutMillis, reconnect);
        out.println("Connected to " + target + " (" + first.address + ")");
        out.printf("Protocol:      %s%n", first.session.getProtocol());
        out.printf("Cipher suite:  %s%n", first.session.getCipherSuite());
        out.printf("Group:         %s%n", NativeTls.negotiatedGroup(first.session).orElse("(none)"));
        out.printf("ALPN:          %s%n", first.alpn == null || first.alpn.isEmpty() ? "(none negotiated)"
            : first.alpn);
        out.printf("Server name:   %s%n", first.serverName == null ? "(none sent; --servername sets one)"
            : first.serverName);
        out.printf("Session:       %s%n", first.resumed(null) ? "resumed" : "new (full handshake)");
        out.printf("Handshake:     %.1f ms%n", first.handshakeMillis);
        out.printf("Verified:      yes (chain trusted by %s; certificate matches %s)%n",
            cafile == null ? "Java's default trust store" : cafile,
            first.serverName == null ? target.host : first.serverName);
        try {
            java.security.cert.Certificate[] chain = first.session.getPeerCertificates();
            out.printf("Certificate chain (%d, as sent by the server):%n", chain.length);
            CertificateText.print(out, chain);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            out.println("Certificate chain: none (" + e.getMessage() + ")");
        }
        if (reconnect) {
            Connection again = connect(context, target, servername, alpn, protocols, timeoutMillis, false);
            out.printf("Reconnect:     %s, %s, %.1f ms%n", again.resumed(first.session) ? "session resumed"
                : "session NOT resumed (full handshake)", again.session.getProtocol(), again.handshakeMillis);
        }
        return Main.EXIT_OK;
    }

    /** What one finished handshake showed. */
    private static final class Connection {
        SSLSession session;
        String alpn;
        String serverName;
        String address;
        double handshakeMillis;

        /** NativeTLS hands out the earlier SSLSession object when a handshake resumed it. */
        boolean resumed(SSLSession earlier) {
            return earlier != null && session == earlier;
        }
    }

    private Connection connect(SSLContext context, Target target, String servername, List<String> alpn,
                               List<String> protocols, int timeoutMillis, boolean awaitTickets) throws ToolFailure {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(target.host, target.port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            String peerHost = servername != null ? servername : target.host;
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, peerHost, target.port,
                true)) {
                SSLParameters params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (servername != null) {
                    params.setServerNames(List.of(new SNIHostName(servername)));
                }
                if (alpn != null) {
                    params.setApplicationProtocols(alpn.toArray(new String[0]));
                }
                if (protocols != null) {
                    params.setProtocols(protocols.toArray(new String[0]));
                }
                socket.setSSLParameters(params);
                long start = System.nanoTime();
                socket.startHandshake();
                Connection c = new Connection();
                c.handshakeMillis = (System.nanoTime() - start) / 1e6;
                c.session = socket.getSession();
                c.alpn = socket.getApplicationProtocol();
                c.address = plain.getRemoteSocketAddress().toString();
                if (c.session instanceof ExtendedSSLSession) {
                    // What the client really sent: JSSE sends the host only when it is a dotted DNS name.
                    for (SNIServerName name : ((ExtendedSSLSession) c.session).getRequestedServerNames()) {
                        if (name instanceof SNIHostName) {
                            c.serverName = ((SNIHostName) name).getAsciiName();
                        }
                    }
                }
                if (awaitTickets) {
                    readTickets(socket);
                }
                return c;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ToolFailure(FailureReason.describe(e, target.toString(),
                servername != null ? servername : target.host), e);
        } finally {
            try {
                plain.close();
            } catch (IOException e) {
                // closing after a failure: the failure is what counts
            }
        }
    }

    /** TLS 1.3 servers send session tickets after the handshake: read briefly so they arrive before we close. */
    private static void readTickets(SSLSocket socket) throws IOException {
        if (!"TLSv1.3".equals(socket.getSession().getProtocol())) {
            return;
        }
        socket.setSoTimeout(300);
        try {
            InputStream in = socket.getInputStream();
            in.read(new byte[1]);
        } catch (SocketTimeoutException e) {
            // nothing more came: the tickets, if any, have been read
        }
    }

    /** host:port, with [v6]:port accepted. */
    static final class Target {
        final String host;
        final int port;

        private Target(String host, int port) {
            this.host = host;
            this.port = port;
        }

        static Target parse(String text) throws UsageException {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new UsageException("expected host:port, not " + text);
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new UsageException("port out of range in " + text);
                }
                return new Target(host, port);
            } catch (NumberFormatException e) {
                throw new UsageException("expected host:port, not " + text);
            }
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
