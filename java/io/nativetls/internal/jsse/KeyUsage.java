package io.nativetls.internal.jsse;

/**
 * How many bytes the current TLS 1.3 traffic keys have protected, against the connection's
 * {@code jdk.tls.keyLimits} limit, counted as SunJSSE counts: each direction on its own, and a
 * direction past its limit makes the engine send a KeyUpdate that asks the peer for one too (so
 * both directions get new keys). OpenSSL does not count, so without this the keys of a long
 * connection would never change. Guarded by the owning engine's lock.
 */
final class KeyUsage {
    /** 0: no limit (TLS 1.2, a suite without one, or none configured). */
    private long limit;
    private long written;
    private long read;

    /** The handshake completed with this limit for its suite (0 for none). */
    void start(long limitBytes) {
        limit = limitBytes;
        written = 0;
        read = 0;
    }

    /** bytes of application data were encrypted; true when the write key is now past its limit. */
    boolean wrote(int bytes) {
        written += bytes;
        return limit > 0 && written > limit;
    }

    /** bytes of application data were decrypted; true when the read key is now past its limit. */
    boolean readBytes(int bytes) {
        read += bytes;
        return limit > 0 && read > limit;
    }

    /**
     * A KeyUpdate asking for the peer's has been queued: this side's write key changes now, its
     * read key with the peer's answer, so both counts start again.
     */
    void renewed() {
        written = 0;
        read = 0;
    }
}
