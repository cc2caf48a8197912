package io.nativetls.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The idle-memory run's client (bench/load/run.sh): opens COUNT TLS connections to a LoadServer,
 * each with a full handshake (the session is dropped at once, so none resumes) and one keep-alive
 * request for /1k answered in full, then holds them all open and silent: a server with that many
 * idle connections (websockets, long polls), whose memory the script then reads. Prints
 * "held COUNT" when all are open and keeps them until its standard input closes or it is killed.
 * The client's TLS is SunJSSE, the same for every server measured; it trusts any certificate
 * (loopback only, nothing secret).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.nativetls.bench.load.IdleClients PORT COUNT</pre>
 */
public final class IdleClients {
    private IdleClients() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
        ctx.init(null, new TrustManager[] {new AnyCertificate()}, null);
        byte[] request = "GET /1k HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<SSLSocket> held = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            readResponse(socket.getInputStream());
            socket.getSession().invalidate();
            held.add(socket);
        }
        System.out.printf("held %d (opened in %.1f s)%n", held.size(), (System.nanoTime() - start) / 1e9);
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold until the script closes our input
        }
        for (SSLSocket socket : held) {
            socket.close();
        }
    }

    /** Reads one response with a Content-Length body; fails on anything else. */
    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.append((char) b);
        }
        String text = head.toString();
        if (!text.startsWith("HTTP/1.1 200")) {
            throw new IOException("not a 200 response: " + text);
        }
        long length = -1;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("no Content-Length: " + text);
        }
        byte[] body = new byte[8192];
        while (length > 0) {
            int n = in.read(body, 0, (int) Math.min(body.length, length));
            if (n < 0) {
                throw new IOException("connection closed in the body, " + length + " bytes short");
            }
            length -= n;
        }
    }

    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
