package io.nativetls.tool;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code openssl s_server} on 127.0.0.1 for the client command's tests; close() always kills it. */
final class OpenSslServer implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    final int port;

    private OpenSslServer(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread pump = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    output.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                // killed
            }
        }, "s_server-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts s_server with args in dir on a free port, retrying on a fresh port if the start fails. */
    static OpenSslServer start(Path dir, String... args) throws Exception {
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = probe.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().remove("LD_PRELOAD"); // the sanitizer stage preloads libasan into the test JVM only
            // The OpenSSL 3.5 stage points LD_LIBRARY_PATH at its libraries for the provider; the system's
            // openssl and curl binaries belong with the system's (openssl req -x509 crashes on the mix).
            pb.environment().remove("LD_LIBRARY_PATH");
            OpenSslServer s = new OpenSslServer(pb.start(), port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && s.process.isAlive() && s.output.indexOf("ACCEPT") < 0) {
                Thread.sleep(20);
            }
            if (s.output.indexOf("ACCEPT") >= 0) {
                return s;
            }
            failures.append(s.output).append('\n');
            s.close();
        }
        throw new IOException("openssl s_server did not start:\n" + failures);
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
