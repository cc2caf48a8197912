package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SSL_CTX handles of one SSLContext: the base one, with the default suites, and one per other
 * set of enabled suites an application uses. OpenSSL parses a suite list on every
 * SSL_set_cipher_list, a walk over all its ciphers that costs a resumed TLS 1.2 handshake about a
 * quarter of its time; an SSL made from an SSL_CTX that already has the list only copies it.
 * Lookups take no lock; a missing context is built once under this object's lock, completely,
 * before it is published. Also the Cleaner action that frees them all.
 */
final class NativeContexts implements Runnable {
    /** Beyond this many distinct suite sets, further sets are set per connection instead. */
    static final int MAX_DERIVED = 16;

    /** Builds a complete SSL_CTX with the given default suite lists (never null). */
    interface Factory {
        long create(String tls12, String tls13) throws javax.net.ssl.SSLException;
    }

    private record Suites(String tls12, String tls13) {}

    private final long base;
    private final String default12;
    private final String default13;
    private final Map<Suites, Long> derived = new ConcurrentHashMap<>();
    private boolean freed;

    /** base has default12 and default13 as its lists. */
    NativeContexts(long base, String default12, String default13) {
        this.base = base;
        this.default12 = default12;
        this.default13 = default13;
    }

    long base() {
        return base;
    }

    /**
     * The SSL_CTX whose default lists are these (null: the base context's list for that
     * protocol), or 0 when there are too many sets already and the connection must set its own.
     */
    long forSuites(String tls12, String tls13, Factory factory)
        throws javax.net.ssl.SSLException {
        if (tls12 == null && tls13 == null) {
            return base;
        }
        Suites key = new Suites(tls12 == null ? default12 : tls12, tls13 == null ? default13 : tls13);
        Long ctx = derived.get(key);
        if (ctx != null) {
            return ctx;
        }
        synchronized (this) {
            ctx = derived.get(key);
            if (ctx != null) {
                return ctx;
            }
            if (freed || derived.size() >= MAX_DERIVED) {
                return 0;
            }
            long created = factory.create(key.tls12, key.tls13);
            derived.put(key, created);
            return created;
        }
    }

    @Override
    public synchronized void run() {
        freed = true;
        for (long ctx : derived.values()) {
            SslNative.contextFree(ctx);
        }
        derived.clear();
        SslNative.contextFree(base);
    }
}
