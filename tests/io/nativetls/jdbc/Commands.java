package io.nativetls.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs initdb, openssl and the like to completion with a deadline, failing with their output. */
final class Commands {
    private Commands() {}

    /**
     * Removes what the test stages put in the test JVM's environment for the provider alone: the
     * sanitizer stage preloads libasan, the OpenSSL 3.5 stage points LD_LIBRARY_PATH at its
     * libraries. The server and the openssl command are the system's and run with the system's.
     */
    static void cleanEnvironment(Map<String, String> env) {
        env.remove("LD_PRELOAD");
        env.remove("ASAN_OPTIONS");
        env.remove("LD_LIBRARY_PATH");
    }

    /** Runs cmd in dir; returns its output (stdout and stderr), or throws when it fails or hangs. */
    static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Path output = Files.createTempFile("nativetls-jdbc-command", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            cleanEnvironment(pb.environment());
            Process p = pb.start();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (!done || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + (done ? " exited " + p.exitValue() : " timed out")
                    + ":\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
