package io.nativetls.testing;

/**
 * A system property as it was when this was made, put back by close(): a test that sets
 * jdk.tls.* or io.nativetls.* for itself leaves the JVM as it found it for the tests after it.
 */
public final class SavedProperty implements AutoCloseable {
    private final String name;
    private final String saved;

    private SavedProperty(String name) {
        this.name = name;
        this.saved = System.getProperty(name);
    }

    /** Remembers name's current value (or that it is not set). */
    public static SavedProperty of(String name) {
        return new SavedProperty(name);
    }

    @Override
    public void close() {
        if (saved == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, saved);
        }
    }
}
