package io.nativetls.internal.jsse;

import java.util.Collections;
import java.util.Enumeration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * The client or server session context of one SSLContext. Sessions are not cached yet, so
 * there is nothing to look up; size and timeout are kept for when they are.
 */
final class NativeSessionContext implements SSLSessionContext {
    private volatile int timeoutSeconds = 86400;
    private volatile int cacheSize = 20480;

    @Override
    public SSLSession getSession(byte[] sessionId) {
        if (sessionId == null) {
            throw new NullPointerException("sessionId");
        }
        return null;
    }

    @Override
    public Enumeration<byte[]> getIds() {
        return Collections.emptyEnumeration();
    }

    @Override
    public void setSessionTimeout(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
        timeoutSeconds = seconds;
    }

    @Override
    public int getSessionTimeout() {
        return timeoutSeconds;
    }

    @Override
    public void setSessionCacheSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("cache size must not be negative");
        }
        cacheSize = size;
    }

    @Override
    public int getSessionCacheSize() {
        return cacheSize;
    }
}
