package io.nativetls.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command the tests start: openssl s_server or s_client as a peer, curl, initdb, a probe JVM.
 * Its stdout and stderr are merged and collected by a reader thread, its stdin is a pipe, every
 * wait has a deadline, and {@link #close()} always kills it, so a hanging peer costs a bounded wait
 * and never outlives the test. {@link #in(Path)} starts one; one-shot commands run to their end
 * and hand back a {@link Result}.
 */
public final class ChildProcess implements AutoCloseable {
    public static final String LOOPBACK = "127.0.0.1";
    /** How long the tests wait for a peer to say something before they fail. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final String description;
    private final Process process;
    private final Charset charset;
    private final Thread reader;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private boolean outputEnded;
    private int port = -1;

    private ChildProcess(String description, Process process, Charset charset) {
        this.description = description;
        this.process = process;
        this.charset = charset;
        this.reader = new Thread(this::pump, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** A launch in dir (null: the test JVM's), to be set up and then used to start or run commands. */
    public static Launch in(Path dir) {
        return new Launch(dir);
    }

    /** {@code openssl args...} in dir, with the test JVM's environment (the peer the stage chose). */
    public static ChildProcess openssl(Path dir, List<String> args) throws IOException {
        return in(dir).openssl(args);
    }

    /** {@link Launch#opensslServer} in dir with the test JVM's environment. */
    public static ChildProcess opensslServer(Path dir, List<String> args, Duration timeout)
        throws IOException, InterruptedException {
        return in(dir).opensslServer(args, timeout);
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    /**
     * Removes what the test stages put in the test JVM's environment for the provider alone: the
     * sanitizer stage preloads libasan, the OpenSSL 3.5 stage points LD_LIBRARY_PATH at its
     * libraries. The system's binaries (openssl, curl, postgres) belong with the system's libraries
     * (openssl req -x509 crashes on the mix).
     */
    public static void useSystemLibraries(Map<String, String> env) {
        env.keySet().removeAll(SYSTEM_LIBRARIES);
    }

    private static final List<String> SYSTEM_LIBRARIES = List.of("LD_PRELOAD", "ASAN_OPTIONS", "LD_LIBRARY_PATH");

    /**
     * {@code java} of the test JVM's JDK with its NativeTLS library path setting (unless args set
     * one), then args: a fresh JVM that loads the same native library as the tests.
     */
    public static List<String> java(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String lib = System.getProperty("io.nativetls.library.path");
        if (lib != null && args.stream().noneMatch(a -> a.startsWith("-Dio.nativetls.library.path="))) {
            cmd.add("-Dio.nativetls.library.path=" + lib);
        }
        cmd.addAll(args);
        return cmd;
    }

    /** Whether command is an executable file in a directory of PATH (for assumptions on curl etc.). */
    public static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (new java.io.File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private void pump() {
        byte[] buf = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (this) {
                    output.write(buf, 0, n);
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

    /** The port s_server listens on (servers started by opensslServer only). */
    public int port() {
        if (port < 0) {
            throw new IllegalStateException("not a server started by opensslServer");
        }
        return port;
    }

    /** Everything the process printed so far (stdout and stderr). */
    public synchronized String output() {
        return new String(output.toByteArray(), charset);
    }

    /** Waits until the output contains text; false if the timeout passes or the output ends first. */
    public boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        return awaitOutput(text, 0, timeout);
    }

    /** As {@link #awaitOutput(String, Duration)}, looking only at the output from index from on. */
    public synchronized boolean awaitOutput(String text, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            if (output().indexOf(text, from) >= 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (outputEnded || left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits for the process to exit and its output to end; false on timeout. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        reader.join(timeout.toMillis());
        return true;
    }

    /** The exit code of a process that has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Writes text to the process's stdin and flushes it. */
    public void write(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.ISO_8859_1));
        in.flush();
    }

    /** Closes the process's stdin (end of input). */
    public void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** For assertion messages: the command and its output so far. */
    public String describe() {
        return "\n" + description + "\n--- output ---\n" + output() + "--- end of output ---";
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

    /** How to start a command: where, with which environment, how its output is decoded. */
    public static final class Launch {
        private final Path dir;
        private final List<String> unset = new ArrayList<>();
        private Map<String, String> env = Map.of();
        private Charset charset = StandardCharsets.ISO_8859_1;
        private String openssl = "openssl";

        private Launch(Path dir) {
            this.dir = dir;
        }

        /** Runs commands without what the stages preload for the provider (see useSystemLibraries). */
        public Launch systemLibraries() {
            unset.addAll(SYSTEM_LIBRARIES);
            return this;
        }

        /** Runs commands without these variables of the test JVM's environment. */
        public Launch unset(String... names) {
            unset.addAll(List.of(names));
            return this;
        }

        /** These variables on top of the test JVM's environment. */
        public Launch env(Map<String, String> variables) {
            this.env = Map.copyOf(variables);
            return this;
        }

        /** How the output is decoded (ISO-8859-1 unless told: every byte stays one char). */
        public Launch charset(Charset c) {
            this.charset = c;
            return this;
        }

        /** openssl(...) and opensslServer(...) run this binary, not the openssl on PATH (e.g. OpenSSL 3.5's). */
        public Launch opensslBinary(String path) {
            this.openssl = path;
            return this;
        }

        /** Starts cmd (program first). */
        public ChildProcess start(List<String> cmd) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().keySet().removeAll(unset);
            pb.environment().putAll(env);
            return new ChildProcess(String.join(" ", cmd), pb.start(), charset);
        }

        /** Starts {@code openssl args...}. */
        public ChildProcess openssl(List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(openssl);
            cmd.addAll(args);
            return start(cmd);
        }

        /**
         * Starts {@code openssl s_server -accept 127.0.0.1:<port> args...} on a free port and returns it
         * once it prints ACCEPT (it listens then). Retried on a fresh port when the start fails, e.g.
         * because another process took the port between our probe and s_server's bind.
         */
        public ChildProcess opensslServer(List<String> args, Duration timeout) throws IOException, InterruptedException {
            StringBuilder failures = new StringBuilder();
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = freePort();
                List<String> all = new ArrayList<>(List.of("s_server", "-accept", LOOPBACK + ":" + port));
                all.addAll(args);
                ChildProcess server = openssl(all);
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

        /**
         * Runs cmd to its end with input (may be null) as stdin; a process still running after
         * timeout is killed and reported with exit -1.
         */
        public Result run(List<String> cmd, String input, Duration timeout) throws IOException, InterruptedException {
            try (ChildProcess p = start(cmd)) {
                if (input != null) {
                    p.write(input);
                }
                p.closeStdin();
                boolean done = p.awaitExit(timeout);
                return new Result(p.description, done ? p.exitValue() : -1,
                    done ? p.output() : "timed out: " + p.output());
            }
        }
    }

    /** How a command that was run to its end ended: exit code (-1: timed out) and output. */
    public static final class Result {
        public final String command;
        public final int exit;
        public final String output;

        Result(String command, int exit, String output) {
            this.command = command;
            this.exit = exit;
            this.output = output;
        }

        /** The output of a command that must succeed; otherwise an IOException saying how it ended. */
        public String requireSuccess() throws IOException {
            if (exit != 0) {
                throw new IOException(command + (exit < 0 ? " timed out" : " exited " + exit) + ":\n" + output);
            }
            return output;
        }

        @Override
        public String toString() {
            return "exit " + exit + " of " + command + ":\n" + output;
        }
    }
}
