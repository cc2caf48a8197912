package io.nativetls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of the provider, top to bottom: the public API and the tool, internal.jsse,
 * internal.ssl, internal.jni. A layer uses only the ones below it, and only internal.ssl uses
 * internal.jni, so the JNI surface can change behind one layer. Read from the sources (the test
 * runs from the project directory), so a new import fails here, not in review.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("java", "io", "nativetls");

    /** Package directory (relative to io/nativetls) and the packages its sources must not name. */
    private static final String[][] RULES = {
        {"", "io.nativetls.internal.jni", "io.nativetls.internal.tool"},
        {"internal/tool", "io.nativetls.internal.jni"},
        {"internal/jsse", "io.nativetls.internal.jni", "io.nativetls.internal.tool"},
        {"internal/ssl", "io.nativetls.internal.jsse", "io.nativetls.internal.tool", "io.nativetls.NativeTls"},
        {"internal/jni", "io.nativetls.internal.ssl", "io.nativetls.internal.jsse", "io.nativetls.internal.tool",
            "io.nativetls.NativeTls"},
    };

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the project directory: " + SOURCES.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (String[] rule : RULES) {
            Path dir = rule[0].isEmpty() ? SOURCES : SOURCES.resolve(rule[0]);
            try (Stream<Path> listing = Files.list(dir)) {
                for (Path source : (Iterable<Path>) listing.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    files++;
                    String text = Files.readString(source);
                    for (int i = 1; i < rule.length; i++) {
                        if (text.contains(rule[i] + ".") || text.contains(rule[i] + ";")) {
                            violations.add(source + " uses " + rule[i]);
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "found the sources (" + files + " files)");
        assertEquals(List.of(), violations);
    }
}
