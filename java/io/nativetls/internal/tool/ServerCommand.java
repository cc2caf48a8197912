package io.nativetls.internal.tool;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * {@code server}: a small HTTPS responder on NativeTLS server sockets. Every HTTP/1.1 request gets a
 * short text page describing its connection; each connection serves one request and closes.
 */
final class ServerCommand {
    static final Set<String> OPTIONS = Set.of("port", "bind", "cert", "key", "alpn", "requests");
    private static final int HANDLERS = 4;
    private static final int MAX_HEAD = 16_384;
    private static final int IO_TIMEOUT_MILLIS = 30_000;

    private final Console console;
    private final AtomicInteger served = new AtomicInteger();
    private int limit;
    private SSLServerSocket listener;

    ServerCommand(Console console) {
        this.console = console;
    }

    int run(Options options) throws UsageException, ToolFailure {
        if (!options.positional().isEmpty()) {
            throw new UsageException("server takes options only, not " + options.positional().get(0));
        }
        int port = options.integer("port", 8443, 0, 65535);
        String bind = options.get("bind") != null ? options.get("bind") : "127.0.0.1";
        limit = options.integer("requests", 0, 1, Integer.MAX_VALUE);
        List<String> alpn = options.list("alpn");
        if (options.has("cert") != options.has("key")) {
            throw new UsageException("--cert and --key go together");
        }
        PrintStream out = console.out;
        KeyManager[] keyManagers;
        String identity;
        Path saved = null;
        if (options.has("cert")) {
            Path certFile = Path.of(options.get("cert"));
            Path keyFile = Path.of(options.get("key"));
            List<X509Certificate> chain = PemReader.certificates(certFile);
            PrivateKey key = PemReader.privateKey(keyFile);
            keyManagers = KeyMaterial.keyManagers(chain, key, keyFile);
            identity = "Certificate:  " + chain.get(0).getSubjectX500Principal().getName() + " (" + certFile + ")";
        } else {
            try {
                SelfSignedIdentity self = new SelfSignedIdentity("localhost");
                keyManagers = self.keyManagers();
                saved = save(self.certificate);
                identity = "Certificate:  self-signed for localhost and 127.0.0.1, saved to " + saved;
            } catch (GeneralSecurityException | javax.net.ssl.SSLException e) {
                throw new ToolFailure("making a self-signed certificate failed: " + e.getMessage(), e);
            }
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS", new NativeTlsProvider());
            context.init(keyManagers, null, null);
            listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port, 50,
                InetAddress.getByName(bind));
        } catch (GeneralSecurityException e) {
            throw new ToolFailure("making a NativeTLS SSLContext failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ToolFailure("cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        int actual = listener.getLocalPort();
        SSLParameters params = listener.getSSLParameters();
        params.setApplicationProtocols(alpn != null ? alpn.toArray(new String[0]) : new String[] {"http/1.1"});
        listener.setSSLParameters(params);
        out.printf("Listening on https://%s:%d/ (NativeTLS %s, %s)%n", hostForUrl(bind), actual,
            InfoCommand.version(), NativeTls.openSslVersion());
        out.println(identity);
        if (saved != null) {
            out.println("Try:          curl --cacert " + saved + " https://localhost:" + actual + "/");
        }
        out.printf("ALPN:         %s (only HTTP/1.1 is spoken)%n", String.join(",", params.getApplicationProtocols()));
        out.println(limit > 0 ? "Stops after " + limit + " requests." : "Stop with Ctrl-C"
            + (console.in != null ? " or end of input (Ctrl-D)." : "."));
        out.flush();
        watchInput();
        serve();
        out.println("Stopped after " + served.get() + (served.get() == 1 ? " request." : " requests."));
        return Main.EXIT_OK;
    }

    private static String hostForUrl(String bind) {
        return bind.indexOf(':') >= 0 ? "[" + bind + "]" : bind;
    }

    private static Path save(X509Certificate certificate) throws ToolFailure {
        try {
            Path file = Files.createTempFile("nativetls-server-", ".pem",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            file.toFile().deleteOnExit();
            String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException | CertificateEncodingException e) {
            throw new ToolFailure("cannot save the self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** End of input stops the server: closing the listener ends the accept loop. */
    private void watchInput() {
        InputStream in = console.in;
        if (in == null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                byte[] buf = new byte[256];
                while (in.read(buf) >= 0) {
                    // only the end matters
                }
            } catch (IOException e) {
                // an unreadable input counts as ended
            }
            stop();
        }, "nativetls-server-stdin");
        t.setDaemon(true);
        t.start();
    }

    private void stop() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private void serve() throws ToolFailure {
        ExecutorService handlers = Executors.newFixedThreadPool(HANDLERS, r -> {
            Thread t = new Thread(r, "nativetls-server-connection");
            t.setDaemon(true);
            return t;
        });
        try {
            while (!listener.isClosed()) {
                SSLSocket socket;
                try {
                    socket = (SSLSocket) listener.accept();
                } catch (SocketException e) {
                    if (listener.isClosed()) {
                        break; // stopped
                    }
                    throw new ToolFailure("accept failed: " + e.getMessage(), e);
                } catch (IOException e) {
                    throw new ToolFailure("accept failed: " + e.getMessage(), e);
                }
                handlers.execute(() -> handle(socket));
            }
        } finally {
            stop();
            handlers.shutdown();
            try {
                handlers.awaitTermination(IO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handle(SSLSocket socket) {
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        try (socket) {
            socket.setSoTimeout(IO_TIMEOUT_MILLIS);
            socket.startHandshake();
            String requestLine = readRequestHead(socket.getInputStream());
            if (requestLine == null) {
                console.err.println(peer + ": closed without a request");
                return;
            }
            SSLSession session = socket.getSession();
            String alpn = socket.getApplicationProtocol();
            String sni = serverName(session);
            String page = "Hello from NativeTLS " + InfoCommand.version() + " (" + NativeTls.openSslVersion() + ")\n"
                + "protocol:      " + session.getProtocol() + "\n"
                + "cipher suite:  " + session.getCipherSuite() + "\n"
                + "group:         " + NativeTls.negotiatedGroup(session).orElse("(none)") + "\n"
                + "ALPN:          " + (alpn == null || alpn.isEmpty() ? "(none)" : alpn) + "\n"
                + "SNI:           " + (sni == null ? "(none)" : sni) + "\n"
                + "client:        " + peer + "\n"
                + "request:       " + requestLine + "\n";
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            boolean head = requestLine.startsWith("HEAD ");
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\nServer: NativeTLS-tool\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            if (!head) {
                out.write(body);
            }
            out.flush();
            console.err.printf("%s %s %s ALPN=%s SNI=%s \"%s\"%n", peer, session.getProtocol(),
                session.getCipherSuite(), alpn == null || alpn.isEmpty() ? "-" : alpn, sni == null ? "-" : sni,
                requestLine);
            if (served.incrementAndGet() == limit) {
                stop();
            }
        } catch (IOException e) {
            console.err.println(peer + ": " + FailureReason.describe(e, peer));
        }
    }

    /** The request line, after reading the whole head; null if the client sent nothing. */
    private static String readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0; // how much of "\r\n\r\n" (or "\n\n") has been seen
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                break;
            }
            head.write(b);
            if (b == '\n') {
                state = state >= 1 ? 2 : 1;
                if (state == 2) {
                    break;
                }
            } else if (b != '\r') {
                state = 0;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int eol = text.indexOf('\n');
        return (eol >= 0 ? text.substring(0, eol) : text).trim();
    }

    private static String serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession) {
            for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                if (name instanceof SNIHostName) {
                    return ((SNIHostName) name).getAsciiName();
                }
            }
        }
        return null;
    }
}
