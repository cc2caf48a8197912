package io.nativetls.socket;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server -www} on 127.0.0.1: answers every HTTPS GET with a page describing the
 * connection. Started on a free port (retrying if another process takes it first); always killed
 * by close().
 */
final class OpenSslWwwServer implements AutoCloseable {
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final int port;

    private OpenSslWwwServer(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(this::collect, "s_server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** key names a TestPki key and certificate; protocolFlag is -tls1_3 or -tls1_2. */
    static OpenSslWwwServer start(Path dir, String key, String protocolFlag) throws IOException, InterruptedException {
        String failures = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, SocketSupport.LOOPBACK)) {
                port = probe.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", key + ".pem", "-key", key + ".key", "-www", protocolFlag));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            OpenSslWwwServer server = new OpenSslWwwServer(p, port);
            if (server.awaitOutput("ACCEPT", 10_000)) {
                return server;
            }
            failures += server.output() + "\n";
            server.close();
        }
        throw new IOException("openssl s_server did not start:\n" + failures);
    }

    int port() {
        return port;
    }

    private void collect() {
        byte[] buf = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (this) {
                    output.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed
        }
    }

    synchronized String output() {
        return output.toString();
    }

    private synchronized boolean awaitOutput(String text, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (output.indexOf(text) < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive()) {
                return output.indexOf(text) >= 0;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
        return true;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
