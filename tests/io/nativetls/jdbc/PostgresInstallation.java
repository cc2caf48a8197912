package io.nativetls.jdbc;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's PostgreSQL server binaries (/usr/lib/postgresql/VERSION/bin, not on PATH), and how to
 * run them: initdb and postgres refuse to run as root, so under root (as CI runs) they run as the
 * "postgres" user that the Debian package creates, and the files they read are handed to it.
 */
final class PostgresInstallation {
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final String SERVER_USER = "postgres";

    final Path bin;
    private final boolean root;

    private PostgresInstallation(Path bin, boolean root) {
        this.bin = bin;
        this.root = root;
    }

    /** The newest installed server version, or empty when none is installed. */
    static Optional<PostgresInstallation> find() throws IOException {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions.map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                .max(Comparator.comparingInt(PostgresInstallation::majorVersion))
                .map(b -> new PostgresInstallation(b, new UnixSystem().getUid() == 0));
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The command line running one of the server's programs as a user it accepts. */
    List<String> command(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        return asServerUser(cmd);
    }

    /**
     * cmd run as the server user when the test runs as root (as itself otherwise). setpriv also
     * asks the kernel to send SIGQUIT (PostgreSQL's immediate shutdown) to the program when the
     * thread that started it dies, so a test JVM that is killed leaves no server behind.
     */
    private List<String> asServerUser(List<String> cmd) {
        if (!Files.isExecutable(SETPRIV)) {
            if (root) {
                throw new IllegalStateException(SETPRIV + " (util-linux) is missing: cannot run PostgreSQL as "
                    + SERVER_USER + " while the test runs as root");
            }
            return cmd;
        }
        List<String> full = new ArrayList<>();
        full.add(SETPRIV.toString());
        if (root) {
            full.addAll(List.of("--reuid=" + SERVER_USER, "--regid=" + SERVER_USER, "--init-groups"));
        }
        full.add("--pdeathsig=QUIT");
        full.add("--");
        full.addAll(cmd);
        return full;
    }

    /** Makes path the server user's (a no-op when the test does not run as root). */
    void handOver(Path path) throws IOException {
        if (root) {
            UserPrincipal user = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVER_USER);
            Files.setOwner(path, user);
        }
    }

    /** Copies a key or certificate for the server: its own, readable by it alone (PostgreSQL insists for keys). */
    void copyPrivate(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        makePrivate(to);
    }

    /** Makes file the server user's and readable by it alone. */
    void makePrivate(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        handOver(file);
    }

    /** Whether the server user can create files in dir (under root, every directory above it must let it pass). */
    boolean canWrite(Path dir) throws InterruptedException {
        if (!root) {
            return Files.isWritable(dir);
        }
        try {
            Commands.run(Path.of("/"), asServerUser(List.of("test", "-w", dir.toString(), "-a", "-x", dir.toString())));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
