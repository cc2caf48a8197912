package io.nativetls.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@code openssl} command-line process (s_server, s_client) for interop tests: stdout and stderr
 * are merged and collected by a reader thread, stdin is a pipe the test writes lines to, every wait
 * has a deadline, and {@link #close()} always kills the process.
 */
final class OpenSslProcess implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";

    private final String description;
    private final Process process;
    private final Thread reader;
    private final StringBuilder output = new StringBuilder();
    private boolean outputEnded;
    private int port = -1;

    private OpenSslProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        this.reader = new Thread(this::pump, "openssl-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code openssl args...} in dir. */
    static OpenSslProcess start(Path dir, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        return new OpenSslProcess(String.join(" ", cmd), p);
    }

    /**
     * Starts {@code openssl s_server -accept 127.0.0.1:<port> args...} on a free port and waits until it
     * prints ACCEPT (it listens then). Retries on a fresh port when the start fails, e.g. because another
     * process took the port between our probe and s_server's bind.
     */
    static OpenSslProcess startServer(Path dir, List<String> args, Duration timeout) throws IOException,
        InterruptedException {
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            List<String> all = new ArrayList<>(List.of("s_server", "-accept", LOOPBACK + ":" + port));
            all.addAll(args);
            OpenSslProcess server = start(dir, all);
            server.port = port;
            boolean ready = false;
            try {
                ready = server.awaitOutput("ACCEPT", timeout);
                if (ready) {
                    return server;
                }
                failures.append("attempt ").append(attempt).append(" on port ").append(port).append(":\n")
                    .append(server.output()).append('\n');
            } finally {
                if (!ready) {
                    server.close();
                }
            }
        }
        throw new IOException("openssl s_server did not start:\n" + failures);
    }

    /** The port s_server listens on (servers started by {@link #startServer} only). */
    int port() {
        if (port < 0) {
            throw new IllegalStateException("not a server started by startServer");
        }
        return port;
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    private void pump() {
        byte[] buf = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (this) {
                    output.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed: its output ends here
        } finally {
            synchronized (this) {
                outputEnded = true;
                notifyAll();
            }
        }
    }

    /** Everything the process printed so far (stdout and stderr). */
    synchronized String output() {
        return output.toString();
    }

    /**
     * Waits until the output contains text; false if the timeout passes or the process ends
     * (closes its output) first.
     */
    synchronized boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        return awaitOutput(text, 0, timeout);
    }

    /** Like {@link #awaitOutput(String, Duration)}, looking only at output from index from on. */
    synchronized boolean awaitOutput(String text, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            if (output.indexOf(text, from) >= 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (outputEnded || left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Writes text to the process's stdin and flushes it. */
    void write(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.ISO_8859_1));
        in.flush();
    }

    /** Closes the process's stdin (end of input). */
    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** A description for assertion messages: the command and its output so far. */
    String describe() {
        return description + "\n--- output ---\n" + output() + "--- end of output ---";
    }

    /** Kills the process (politely, then forcibly) and waits for it and its output reader. */
    @Override
    public void close() {
        try {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // the pipe is gone already
            }
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
