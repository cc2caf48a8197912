package io.nativetls.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Ways of spoiling TLS bytes, each a named, seeded, pure function of its input. */
final class Mutator {
    private static final int[] CONTENT_TYPES = {0, 19, 20, 21, 22, 23, 24, 25, 127, 255};

    private Mutator() {}

    static byte[] randomBytes(Random r) {
        byte[] b = new byte[1 + r.nextInt(r.nextBoolean() ? 64 : 4000)];
        r.nextBytes(b);
        return b;
    }

    /** Random bytes behind a plausible record header. */
    static byte[] randomRecord(Random r) {
        int len = r.nextInt(600);
        byte[] b = new byte[5 + len];
        r.nextBytes(b);
        b[0] = (byte) CONTENT_TYPES[r.nextInt(CONTENT_TYPES.length)];
        b[1] = 3;
        b[2] = (byte) (1 + r.nextInt(4));
        b[3] = (byte) (len >> 8);
        b[4] = (byte) len;
        return b;
    }

    static byte[] flipBits(byte[] in, Random r) {
        byte[] b = in.clone();
        int flips = 1 + r.nextInt(8);
        for (int i = 0; i < flips && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            b[at] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    static byte[] overwrite(byte[] in, Random r) {
        byte[] b = in.clone();
        if (b.length > 0) {
            int at = r.nextInt(b.length);
            int n = 1 + r.nextInt(Math.min(16, b.length - at));
            for (int i = 0; i < n; i++) {
                b[at + i] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    static byte[] truncate(byte[] in, Random r) {
        int keep = in.length <= 1 ? 0 : r.nextInt(in.length);
        byte[] b = new byte[keep];
        System.arraycopy(in, 0, b, 0, keep);
        return b;
    }

    /** The first record's length field set past the TLS maximum, or to zero. */
    static byte[] badLength(byte[] in, Random r) {
        byte[] b = in.length >= 5 ? in.clone() : new byte[] {22, 3, 3, 0, 0};
        int len = r.nextBoolean() ? 16384 + 2048 + 1 + r.nextInt(65535 - 18433) : 0;
        b[3] = (byte) (len >> 8);
        b[4] = (byte) len;
        return b;
    }

    static byte[] contentType(byte[] in, Random r) {
        byte[] b = in.length >= 5 ? in.clone() : new byte[] {22, 3, 3, 0, 0};
        b[0] = (byte) CONTENT_TYPES[r.nextInt(CONTENT_TYPES.length)];
        return b;
    }

    /** A plaintext alert record (any level, any description) put in front. */
    static byte[] alertFirst(byte[] in, Random r) {
        byte[] alert = {21, 3, 3, 0, 2, (byte) (1 + r.nextInt(2)), (byte) r.nextInt(256)};
        return join(alert, r.nextBoolean() ? in : new byte[0]);
    }

    /**
     * A ClientHello record with its extension list mutated: extensions dropped, duplicated,
     * swapped, given a wrong length or random bodies; outer lengths fixed up unless the mutation
     * is meant to break them.
     */
    static byte[] clientHelloExtensions(byte[] record, Random r) {
        try {
            int p = 5 + 4 + 2 + 32;
            p += 1 + (record[p] & 0xff);
            p += 2 + u16(record, p);
            p += 1 + (record[p] & 0xff);
            int extStart = p + 2;
            int extEnd = extStart + u16(record, p);
            List<byte[]> exts = new ArrayList<>();
            for (int q = extStart; q + 4 <= extEnd;) {
                int len = 4 + u16(record, q + 2);
                byte[] e = new byte[len];
                System.arraycopy(record, q, e, 0, len);
                exts.add(e);
                q += len;
            }
            if (exts.isEmpty()) {
                return flipBits(record, r);
            }
            int i = r.nextInt(exts.size());
            switch (r.nextInt(6)) {
                case 0:
                    exts.remove(i);
                    break;
                case 1:
                    exts.add(r.nextInt(exts.size() + 1), exts.get(i).clone());
                    break;
                case 2:
                    exts.set(i, exts.set(r.nextInt(exts.size()), exts.get(i)));
                    break;
                case 3: {
                    byte[] e = exts.get(i).clone();
                    int len = r.nextInt(1 << 16);
                    e[2] = (byte) (len >> 8);
                    e[3] = (byte) len;
                    exts.set(i, e);
                    break;
                }
                case 4: {
                    byte[] e = exts.get(i).clone();
                    for (int k = 4; k < e.length; k++) {
                        e[k] = (byte) r.nextInt(256);
                    }
                    exts.set(i, e);
                    break;
                }
                default: {
                    byte[] e = new byte[4 + r.nextInt(40)];
                    r.nextBytes(e);
                    e[2] = 0;
                    e[3] = (byte) (e.length - 4);
                    exts.add(r.nextInt(exts.size() + 1), e);
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(record, 9, p - 9);
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            exts.forEach(list::writeBytes);
            body.write(list.size() >> 8);
            body.write(list.size());
            body.writeBytes(list.toByteArray());
            byte[] hello = body.toByteArray();
            byte[] out = new byte[9 + hello.length];
            out[0] = 22;
            out[1] = record[1];
            out[2] = record[2];
            out[3] = (byte) ((hello.length + 4) >> 8);
            out[4] = (byte) (hello.length + 4);
            out[5] = 1;
            out[6] = (byte) (hello.length >> 16);
            out[7] = (byte) (hello.length >> 8);
            out[8] = (byte) hello.length;
            System.arraycopy(hello, 0, out, 9, hello.length);
            return out;
        } catch (ArrayIndexOutOfBoundsException notAHello) {
            return flipBits(record, r);
        }
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static byte[] join(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
