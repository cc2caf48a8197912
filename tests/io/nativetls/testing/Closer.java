package io.nativetls.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened (peer processes, sockets, listeners), closed in reverse order when the test
 * ends, even when it failed half-way; the first failure to close is thrown, later ones suppressed.
 * A test class holds one as a {@code @RegisterExtension} field.
 */
public final class Closer implements AutoCloseable, AfterEachCallback {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** Registers resource to be closed and returns it. */
    public <T extends AutoCloseable> T later(T resource) {
        open.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
