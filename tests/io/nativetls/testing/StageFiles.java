package io.nativetls.testing;

import java.nio.file.Path;

/**
 * Where a test keeps files under target/ that must outlive it (a database cluster, a fuzz input
 * that failed). The test command runs some stages side by side in one checkout, each naming
 * itself in {@code -Dio.nativetls.test.stage}, so each stage gets its own copy.
 */
public final class StageFiles {
    private StageFiles() {}

    /** target/name, or target/name-stage when the stage is named; an absolute path. */
    public static Path inTarget(String name) {
        String stage = System.getProperty("io.nativetls.test.stage", "");
        return Path.of("target", stage.isEmpty() ? name : name + "-" + stage).toAbsolutePath();
    }
}
