package io.nativetls.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** TLS record and handshake framing, enough to take real traffic apart and put mutated traffic together. */
final class Tls {
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    static final int HEARTBEAT = 24;

    static final int HEADER = 5;
    static final int MAX_PLAINTEXT = 16384;
    /** The largest body a record may claim (TLS 1.2 ciphertext limit); NativeTLS refuses more from the header. */
    static final int MAX_BODY = 16384 + 2048;

    static final int TLS10 = 0x0301;
    static final int TLS12 = 0x0303;

    // handshake message types
    static final int HELLO_REQUEST = 0;
    static final int CLIENT_HELLO = 1;
    static final int SERVER_HELLO = 2;
    static final int NEW_SESSION_TICKET = 4;
    static final int END_OF_EARLY_DATA = 5;
    static final int ENCRYPTED_EXTENSIONS = 8;
    static final int CERTIFICATE = 11;
    static final int SERVER_KEY_EXCHANGE = 12;
    static final int CERTIFICATE_REQUEST = 13;
    static final int SERVER_HELLO_DONE = 14;
    static final int CERTIFICATE_VERIFY = 15;
    static final int CLIENT_KEY_EXCHANGE = 16;
    static final int FINISHED = 20;
    static final int KEY_UPDATE = 24;
    static final int MESSAGE_HASH = 254;

    private Tls() {}

    /** A record of the given type and version around body (the length field is body's length). */
    static byte[] record(int type, int version, byte[] body) {
        byte[] r = new byte[HEADER + body.length];
        r[0] = (byte) type;
        r[1] = (byte) (version >>> 8);
        r[2] = (byte) version;
        r[3] = (byte) (body.length >>> 8);
        r[4] = (byte) body.length;
        System.arraycopy(body, 0, r, HEADER, body.length);
        return r;
    }

    static int type(byte[] record) {
        return record[0] & 0xff;
    }

    static int version(byte[] record) {
        return ((record[1] & 0xff) << 8) | (record[2] & 0xff);
    }

    static int declaredLength(byte[] record) {
        return ((record[3] & 0xff) << 8) | (record[4] & 0xff);
    }

    static void setDeclaredLength(byte[] record, int length) {
        record[3] = (byte) (length >>> 8);
        record[4] = (byte) length;
    }

    static byte[] body(byte[] record) {
        byte[] b = new byte[record.length - HEADER];
        System.arraycopy(record, HEADER, b, 0, b.length);
        return b;
    }

    /**
     * Splits a byte stream into records by their headers. Bytes left over that do not make a whole
     * record (a short header, or a body shorter than its header says) become one last element.
     */
    static List<byte[]> records(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int n = stream.length - at;
            if (n >= HEADER) {
                int whole = HEADER + (((stream[at + 3] & 0xff) << 8) | (stream[at + 4] & 0xff));
                n = Math.min(n, whole);
            }
            byte[] r = new byte[n];
            System.arraycopy(stream, at, r, 0, n);
            out.add(r);
            at += n;
        }
        return out;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        return concat(List.of(parts));
    }

    /** A handshake message: type, 24-bit length, body. */
    static byte[] handshake(int msgType, byte[] body) {
        byte[] m = new byte[4 + body.length];
        m[0] = (byte) msgType;
        m[1] = (byte) (body.length >>> 16);
        m[2] = (byte) (body.length >>> 8);
        m[3] = (byte) body.length;
        System.arraycopy(body, 0, m, 4, body.length);
        return m;
    }

    /** Frames payload into records of the given type, at most maxFragment bytes of payload each. */
    static List<byte[]> frame(int type, int version, byte[] payload, int maxFragment) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        do {
            int n = Math.min(maxFragment, payload.length - at);
            byte[] body = new byte[n];
            System.arraycopy(payload, at, body, 0, n);
            out.add(record(type, version, body));
            at += n;
        } while (at < payload.length);
        return out;
    }

    /**
     * The plaintext handshake messages at the start of a flight: the bodies of its leading
     * handshake records, joined and cut at the message headers. {@code consumedRecords[0]} is set
     * to how many leading records that took; a trailing incomplete message is dropped.
     */
    static List<byte[]> leadingHandshakeMessages(List<byte[]> records, int[] consumedRecords) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int used = 0;
        for (byte[] r : records) {
            if (r.length < HEADER || type(r) != HANDSHAKE || declaredLength(r) != r.length - HEADER) {
                break;
            }
            joined.write(r, HEADER, r.length - HEADER);
            used++;
        }
        consumedRecords[0] = used;
        byte[] all = joined.toByteArray();
        List<byte[]> messages = new ArrayList<>();
        int at = 0;
        while (all.length - at >= 4) {
            int len = ((all[at + 1] & 0xff) << 16) | ((all[at + 2] & 0xff) << 8) | (all[at + 3] & 0xff);
            if (all.length - at - 4 < len) {
                break;
            }
            byte[] m = new byte[4 + len];
            System.arraycopy(all, at, m, 0, m.length);
            messages.add(m);
            at += m.length;
        }
        return messages;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >>> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    static byte[] unhex(String s) {
        String t = s.replaceAll("\\s", "");
        byte[] out = new byte[t.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
