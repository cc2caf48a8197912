package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;

/**
 * What one call of the record path ({@link SslHandle#wrap}, {@code unwrap}, {@code drain},
 * {@code handshake}, {@code shutdown}) did, decoded from the single {@code long} the native side
 * returns (so the data path allocates nothing): bytes consumed and produced, and state flags.
 */
public final class RecordResult {
    private RecordResult() {}

    public static int consumed(long result) {
        return SslNative.consumed(result);
    }

    public static int produced(long result) {
        return SslNative.produced(result);
    }

    /** The state flags of a result, for the predicates below. */
    public static int flags(long result) {
        return SslNative.flags(result);
    }

    /** The handshake is complete. */
    public static boolean finished(int flags) {
        return (flags & SslNative.F_INIT_FINISHED) != 0;
    }

    /** Records wait to be wrapped out. */
    public static boolean pending(int flags) {
        return (flags & SslNative.F_PENDING) != 0;
    }

    /** The peer's close_notify has been read. */
    public static boolean receivedShutdown(int flags) {
        return (flags & SslNative.F_RECEIVED_SHUTDOWN) != 0;
    }

    /** The handshake is paused until a delegated task has run (see {@link SslHandle#pendingTask}). */
    public static boolean needsTask(int flags) {
        return (flags & SslNative.F_NEED_TASK) != 0;
    }

    /** The destination could not take the next record. */
    public static boolean overflow(int flags) {
        return (flags & SslNative.F_OVERFLOW) != 0;
    }
}
