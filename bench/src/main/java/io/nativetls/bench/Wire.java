package io.nativetls.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads what a server sent in its first flight, straight off the in-memory wire, so the harness
 * can tell for every provider alike which version and group were negotiated and whether the
 * handshake was resumed, without relying on any provider's API:
 * <ul>
 * <li>TLS 1.3: the ServerHello carries pre_shared_key (41) exactly when the server accepted a PSK
 * (a ticket), and key_share (51) names the group.</li>
 * <li>TLS 1.2: a resumed handshake's plaintext server flight is the ServerHello alone (then
 * ChangeCipherSpec); a full one has Certificate (11) and ServerKeyExchange (12, which names the
 * curve) after it.</li>
 * </ul>
 * Only the plaintext records at the start of the flight are read.
 */
public final class Wire {
    private static final int HANDSHAKE = 22;
    private static final byte[] HRR_RANDOM = {
        (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11, (byte) 0xBE, 0x1D, (byte) 0x8C, 0x02,
        0x1E, 0x65, (byte) 0xB8, (byte) 0x91, (byte) 0xC2, (byte) 0xA2, 0x11, 0x16, 0x7A, (byte) 0xBB, (byte) 0x8C, 0x5E,
        0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8, 0x33, (byte) 0x9C};

    /** What one handshake's server flight showed. Reusable: {@link #reset()} before each handshake. */
    public static final class ServerFlight {
        /** A (non-retry) ServerHello was seen. */
        public boolean seen;
        /** A HelloRetryRequest came first. */
        public boolean helloRetry;
        /** 0x0303 or 0x0304. */
        public int version;
        public int cipherSuite;
        /** The key exchange group's code point, -1 if not seen. */
        public int group = -1;
        public boolean pskAccepted;
        public boolean certificate;
        public int sessionIdLength;
        byte[] scratch = new byte[4096];

        public void reset() {
            seen = false;
            helloRetry = false;
            version = 0;
            cipherSuite = 0;
            group = -1;
            pskAccepted = false;
            certificate = false;
            sessionIdLength = 0;
        }

        public boolean resumed() {
            if (!seen) {
                return false;
            }
            return version == 0x0304 ? pskAccepted : !certificate && sessionIdLength > 0;
        }

        @Override
        public String toString() {
            if (!seen) {
                return "no ServerHello seen";
            }
            return (version == 0x0304 ? "TLSv1.3" : version == 0x0303 ? "TLSv1.2" : String.format("0x%04x", version))
                + " suite=" + String.format("0x%04x", cipherSuite) + " group=" + Groups.name(group)
                + (helloRetry ? " (after HelloRetryRequest)" : "") + " resumed=" + (resumed() ? "yes" : "no");
        }
    }

    private Wire() {}

    /**
     * Inspects the bytes a server wrote, from position to limit of {@code wire} (left unchanged).
     * Returns true once a ServerHello other than a HelloRetryRequest was read.
     */
    public static boolean inspectServerFlight(ByteBuffer wire, ServerFlight out) {
        int pos = wire.position();
        int lim = wire.limit();
        int n = 0;
        // Concatenate the payloads of the leading handshake records (messages may span records).
        while (lim - pos >= 5 && (wire.get(pos) & 0xff) == HANDSHAKE) {
            int len = ((wire.get(pos + 3) & 0xff) << 8) | (wire.get(pos + 4) & 0xff);
            if (lim - pos - 5 < len) {
                break;
            }
            if (out.scratch.length < n + len) {
                out.scratch = Arrays.copyOf(out.scratch, Math.max(out.scratch.length * 2, n + len));
            }
            for (int i = 0; i < len; i++) {
                out.scratch[n + i] = wire.get(pos + 5 + i);
            }
            n += len;
            pos += 5 + len;
        }
        byte[] b = out.scratch;
        int at = 0;
        boolean found = false;
        while (n - at >= 4) {
            int type = b[at] & 0xff;
            int len = u24(b, at + 1);
            if (n - at - 4 < len) {
                break;
            }
            int body = at + 4;
            if (type == 2) {
                found = serverHello(b, body, body + len, out);
                if (!found) {
                    return false;
                }
            } else if (type == 11) {
                out.certificate = true;
            } else if (type == 12 && len >= 3 && (b[body] & 0xff) == 3) {
                out.group = u16(b, body + 1);
            }
            at = body + len;
        }
        return found;
    }

    private static boolean serverHello(byte[] b, int at, int end, ServerFlight out) {
        if (end - at < 38) {
            return false;
        }
        out.version = u16(b, at);
        boolean retry = Arrays.equals(b, at + 2, at + 34, HRR_RANDOM, 0, 32);
        int p = at + 34;
        int sidLen = b[p] & 0xff;
        p += 1 + sidLen;
        if (end - p < 3) {
            return false;
        }
        int suite = u16(b, p);
        p += 3; // suite, compression
        int version = out.version;
        int group = -1;
        boolean psk = false;
        if (end - p >= 2) {
            int extEnd = Math.min(end, p + 2 + u16(b, p));
            p += 2;
            while (extEnd - p >= 4) {
                int type = u16(b, p);
                int len = u16(b, p + 2);
                int data = p + 4;
                if (type == 43 && len >= 2) {
                    version = u16(b, data);
                } else if (type == 51 && len >= 2) {
                    group = u16(b, data);
                } else if (type == 41) {
                    psk = true;
                }
                p = data + len;
            }
        }
        if (retry) {
            out.helloRetry = true;
            return false;
        }
        out.seen = true;
        out.version = version;
        out.cipherSuite = suite;
        out.sessionIdLength = sidLen;
        out.pskAccepted = psk;
        if (group != -1) {
            out.group = group;
        }
        return true;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int u24(byte[] b, int at) {
        return ((b[at] & 0xff) << 16) | ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff);
    }
}
