package io.nativetls.tool;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs curl, openssl and the like to completion with a deadline; output and exit code. */
final class Processes {
    private Processes() {}

    static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }

        @Override
        public String toString() {
            return "exit " + exit + ":\n" + output;
        }
    }

    /** Runs cmd in dir with stdin from input (may be null), stdout and stderr merged into a file. */
    static Result run(Path dir, List<String> cmd, String input) throws IOException, InterruptedException {
        Path output = Files.createTempFile("nativetls-tool-test", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
            // The sanitizer stage preloads libasan into the test JVM; curl and openssl must not inherit it.
            pb.environment().remove("LD_PRELOAD");
            // The OpenSSL 3.5 stage points LD_LIBRARY_PATH at its libraries for the provider; the system's
            // openssl and curl binaries belong with the system's (openssl req -x509 crashes on the mix).
            pb.environment().remove("LD_LIBRARY_PATH");
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            boolean done = p.waitFor(40, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.ISO_8859_1);
            return new Result(done ? p.exitValue() : -1, done ? text : "timed out: " + text);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
