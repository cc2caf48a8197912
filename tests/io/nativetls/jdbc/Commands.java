package io.nativetls.jdbc;

import io.nativetls.testing.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs initdb, openssl and the like to completion, failing with their output. They are the
 * system's and run with the system's libraries, not with what a test stage put in the test JVM's
 * environment for the provider.
 */
final class Commands {
    private Commands() {}

    /** Runs cmd in dir; returns its output (stdout and stderr), or throws when it fails or hangs. */
    static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        return ChildProcess.in(dir).systemLibraries().charset(StandardCharsets.UTF_8)
            .run(cmd, null, Duration.ofSeconds(60)).requireSuccess();
    }
}
