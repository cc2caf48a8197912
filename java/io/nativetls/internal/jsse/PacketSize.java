package io.nativetls.internal.jsse;

/**
 * SSLParameters' maximum packet size as SunJSSE keeps it. An engine or socket reports SunJSSE's
 * largest record (16709 bytes) until told otherwise; a set value is reported as set, and one
 * that is not 0 becomes the limit for the records this side writes (0 keeps the previous limit,
 * as SunJSSE's output record keeps its size). The size limits only what this side writes:
 * records from the peer are taken up to the TLS maximum, so getPacketBufferSize stays the size
 * of the largest record.
 *
 * <p>A client sends max_fragment_length (RFC 6066) as SunJSSE does: only with
 * jsse.enableMFLNExtension (or its old spelling jsse.enableMFLExtension) set to true, read once,
 * for a packet size that leaves at most 4096 bytes of plaintext after SunJSSE's worst-case
 * overhead.
 */
final class PacketSize {
    /** SunJSSE's SSLRecord.maxRecordSize: header, IV, 2^14 of data, padding and MAC. */
    static final int DEFAULT = 16709;
    /** SunJSSE's SSLRecord.maxPlaintextPlusSize: header, IV, MAC, 256 bytes of padding. */
    private static final int WORST_OVERHEAD = 5 + 16 + 48 + 256;
    static final boolean MFLN_ENABLED = Boolean.getBoolean("jsse.enableMFLNExtension")
        || Boolean.getBoolean("jsse.enableMFLExtension");

    /** What getSSLParameters reports. */
    int reported = DEFAULT;
    /** The limit on written records (last non-zero size set); DEFAULT writes full records. */
    int limit = DEFAULT;

    /**
     * Whether the limit makes any record smaller than a full one: not at or above 2^14 bytes of
     * data plus the worst case's header, IV, SHA-384 MAC and padding block (the default, 16709,
     * does not), so a new connection then needs no native setting at all.
     */
    boolean limitsRecords() {
        return limit > 0 && limit < (1 << 14) + 5 + 16 + 48 + 16;
    }

    void set(int size) {
        reported = size;
        if (size != 0) {
            limit = size;
        }
    }

    /**
     * A server socket's: SunJSSE's server sockets report 0 until set, as their configuration has
     * no connection behind it yet.
     */
    void unreported() {
        reported = 0;
    }

    /**
     * Into an accepted socket's settings: a size set on the server socket carries over, 0 becomes
     * the default, as SunJSSE's new connection fills it in. Unlike SunJSSE's accepted sockets,
     * which report a size set on the server socket but write full records, NativeTLS's keep to it.
     */
    void copyTo(PacketSize to) {
        to.reported = reported == 0 ? DEFAULT : reported;
        to.limit = limit;
    }

    /** The max_fragment_length code a client requests (0: none), as SunJSSE picks it. */
    int maxFragmentLengthCode(boolean client) {
        if (!client || !MFLN_ENABLED || reported == 0) {
            return 0;
        }
        int fragment = reported - WORST_OVERHEAD;
        if (fragment <= 0) {
            return 0;
        } else if (fragment < 1024) {
            return 1; // 2^9
        } else if (fragment < 2048) {
            return 2; // 2^10
        } else if (fragment < 4096) {
            return 3; // 2^11
        } else if (fragment == 4096) {
            return 4; // 2^12
        }
        return 0;
    }
}
