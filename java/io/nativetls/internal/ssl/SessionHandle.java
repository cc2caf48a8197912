package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.lang.ref.Cleaner;

/**
 * One reference to a native SSL_SESSION, the part of a session that resumption needs. Shared by
 * every connection that may resume it, so taking a reference for a connection and releasing
 * this one exclude each other (per session, never a lock across sessions).
 */
public final class SessionHandle {
    private final Cleaner.Cleanable cleanable;
    private long session;

    SessionHandle(long session) {
        this.session = session;
        long handle = session;
        this.cleanable = NativeCleaner.CLEANER.register(this, () -> SslNative.sessionFree(handle));
    }

    /** A new reference for the caller to hand to OpenSSL, or 0 once this handle is released. */
    synchronized long acquire() {
        return session != 0 && SslNative.sessionUpRef(session) ? session : 0;
    }

    public synchronized boolean isReleased() {
        return session == 0;
    }

    /** Releases this reference; connections that resumed the session keep their own. */
    public synchronized void release() {
        if (session != 0) {
            session = 0;
            cleanable.clean();
        }
    }
}
