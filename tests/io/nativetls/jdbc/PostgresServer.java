package io.nativetls.jdbc;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.StageFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for one test class: a fresh cluster (initdb) under
 * target/postgresql-jdbc, listening on 127.0.0.1 only at a free port, TLS on with the given server
 * certificate, and every connection required to use TLS with a SCRAM password (pg_hba "hostssl").
 * Stopped by {@link #close()}, by a shutdown hook if the JVM exits first, and by the kernel
 * (setpriv's parent-death signal) if the JVM is killed.
 */
final class PostgresServer implements AutoCloseable {
    static final String USER = "nativetls";
    private static final System.Logger LOG = System.getLogger("io.nativetls.jdbc");
    private static final long READY_TIMEOUT_MS = 30_000;

    final String password;
    final int port;
    private final PostgresInstallation pg;
    private final Path base;
    private final boolean temporaryBase;
    private final Path data;
    private final Path log;
    private final Process postmaster;
    private final Thread shutdownHook;

    private PostgresServer(PostgresInstallation pg, Path base, boolean temporaryBase, String password, int port,
        Process postmaster) {
        this.pg = pg;
        this.base = base;
        this.temporaryBase = temporaryBase;
        this.data = base.resolve("data");
        this.log = base.resolve("postgres.log");
        this.password = password;
        this.port = port;
        this.postmaster = postmaster;
        this.shutdownHook = new Thread(this::stop, "postgres-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates a cluster presenting certificate/key, and starts it. */
    static PostgresServer start(PostgresInstallation pg, Path certificate, Path key) throws Exception {
        long begin = System.nanoTime();
        Path base = StageFiles.inTarget("postgresql-jdbc");
        boolean temporary = false;
        Files.createDirectories(base);
        removeStaleCluster(base.resolve("data"));
        pg.handOver(base);
        if (!pg.canWrite(base)) {
            // A checkout under a directory closed to other users (e.g. /root): the server user cannot reach target/.
            LOG.log(Level.INFO, "user postgres cannot write {0}; the cluster goes to a temporary directory", base);
            base = Files.createTempDirectory("nativetls-postgresql-");
            temporary = true;
            pg.handOver(base);
        }
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path pwfile = base.resolve("password");
        Files.writeString(pwfile, password + "\n");
        pg.makePrivate(pwfile);
        pg.copyPrivate(certificate, base.resolve("server.crt"));
        pg.copyPrivate(key, base.resolve("server.key"));
        Path data = base.resolve("data");
        Commands.run(base, pg.command("initdb", "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
            "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"));
        configure(base, data);
        // A port found free may be taken before the server binds it (other tests run beside this one).
        for (int attempt = 1;; attempt++) {
            int port = freePort();
            Process postmaster = launch(pg, base, data, port);
            Optional<String> failure = awaitReady(postmaster, data, base.resolve("postgres.log"));
            if (failure.isEmpty()) {
                LOG.log(Level.INFO, "PostgreSQL {0} listening on 127.0.0.1:{1} (data {2}), ready in {3} ms",
                    pg.bin.getParent().getFileName(), Integer.toString(port), data,
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)));
                return new PostgresServer(pg, base, temporary, password, port, postmaster);
            }
            if (attempt == 3 || !failure.get().contains("could not bind")) {
                throw new IOException("PostgreSQL did not start:\n" + failure.get());
            }
        }
    }

    /** A cluster left by a test JVM that died: its server is stopped (if still there) and its files removed. */
    private static void removeStaleCluster(Path data) throws IOException, InterruptedException {
        Path pidFile = data.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            List<String> lines = Files.readAllLines(pidFile);
            Optional<ProcessHandle> stale = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
            if (stale.isPresent() && stale.get().info().command().orElse("").endsWith("/postgres")) {
                LOG.log(Level.WARNING, "stopping a PostgreSQL server left by an earlier run: pid {0}", stale.get().pid());
                stale.get().destroyForcibly();
                try {
                    stale.get().onExit().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IOException("stale PostgreSQL server " + stale.get().pid() + " did not stop", e);
                }
            }
        }
        deleteTree(data);
    }

    private static void configure(Path base, Path data) throws IOException {
        // postgresql.conf, not the command line: settings given there could not be changed by ALTER SYSTEM.
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
            "",
            "# written by io.nativetls.jdbc.PostgresServer",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "ssl = on",
            "ssl_cert_file = '" + base.resolve("server.crt") + "'",
            "ssl_key_file = '" + base.resolve("server.key") + "'",
            "max_connections = 20",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "log_connections = on",
            ""), StandardOpenOption.APPEND);
        Files.writeString(data.resolve("pg_hba.conf"),
            "# TLS with a password, from this machine only; no entry takes a connection without TLS\n"
                + "hostssl all all 127.0.0.1/32 scram-sha-256\n", StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts the postmaster from a thread that lives as long as the server: the kernel's
     * parent-death signal fires when the starting thread ends, not only the process.
     */
    private static Process launch(PostgresInstallation pg, Path base, Path data, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(pg.command("postgres", "-D", data.toString(), "-p", String.valueOf(port)))
            .directory(base.toFile()).redirectErrorStream(true)
            .redirectOutput(base.resolve("postgres.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        ChildProcess.useSystemLibraries(pb.environment());
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread parent = new Thread(() -> {
            try {
                Process p = pb.start();
                started.complete(p);
                p.waitFor();
            } catch (IOException e) {
                started.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "postgres-parent");
        parent.setDaemon(true);
        parent.start();
        return started.get(30, TimeUnit.SECONDS);
    }

    /** Waits until postmaster.pid says "ready" (PostgreSQL 10+); empty when ready, else what went wrong. */
    private static Optional<String> awaitReady(Process postmaster, Path data, Path log) throws Exception {
        Path pidFile = data.resolve("postmaster.pid");
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!postmaster.isAlive()) {
                postmaster.waitFor();
                return Optional.of("exit " + postmaster.exitValue() + ":\n" + readLog(log));
            }
            if (Files.exists(pidFile)) {
                List<String> lines = Files.readAllLines(pidFile);
                if (lines.size() >= 8 && lines.get(7).trim().equals("ready")) {
                    return Optional.empty();
                }
            }
            Thread.sleep(50);
        }
        stopProcess(postmaster);
        return Optional.of("not ready after " + READY_TIMEOUT_MS + " ms:\n" + readLog(log));
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    String log() {
        return readLog(log);
    }

    /** Places a certificate and key beside the server's own; returns their paths for ssl_cert_file/ssl_key_file. */
    Path[] installCertificate(String name, Path certificate, Path key) throws IOException {
        Path crt = base.resolve(name + ".crt");
        Path k = base.resolve(name + ".key");
        pg.copyPrivate(certificate, crt);
        pg.copyPrivate(key, k);
        return new Path[] {crt, k};
    }

    Path serverCertificate() {
        return base.resolve("server.crt");
    }

    Path serverKey() {
        return base.resolve("server.key");
    }

    private void stop() {
        stopProcess(postmaster);
    }

    /** Fast shutdown (SIGINT: sessions are ended), then SIGKILL if the server does not go within 20 s. */
    private static void stopProcess(Process postmaster) {
        if (!postmaster.isAlive()) {
            return;
        }
        boolean interrupted = false;
        try {
            ProcessBuilder signal = new ProcessBuilder("kill", "-INT", String.valueOf(postmaster.pid()));
            ChildProcess.useSystemLibraries(signal.environment());
            Process kill = signal.start();
            kill.waitFor(5, TimeUnit.SECONDS);
            if (!postmaster.waitFor(20, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "PostgreSQL did not stop within 20 s of SIGINT: killed");
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not signal PostgreSQL: killed", e);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // the postmaster's children notice that it died and exit by themselves
        postmaster.destroyForcibly();
        try {
            postmaster.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
        if (postmaster.isAlive()) {
            throw new IOException("PostgreSQL server " + postmaster.pid() + " still running");
        }
        if (temporaryBase) {
            deleteTree(base);
        } else {
            // everything but the log, which stays in target/ for whoever looks into a failure
            try (Stream<Path> files = Files.list(base)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (!f.equals(log)) {
                        deleteTree(f);
                    }
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
