package io.nativetls.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutations of TLS traffic, all driven by one seeded random source: whole-record damage (bits,
 * bytes, lengths, types, versions, order), truncation, and structural mutations of the
 * extension list of a ClientHello or ServerHello. Each method notes what it did in {@link #log}.
 */
final class Mutator {
    static final int[] INTERESTING_TYPES = {0, 19, 25, 255, 20, 21, 22, 23, 24, 1, 128, 0x16 | 0x80};
    static final int[] INTERESTING_VERSIONS = {0x0000, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0305, 0x7f1c,
        0xfefd, 0xfeff, 0xffff, 0x0203};
    static final int[] ALERT_DESCRIPTIONS = {0, 10, 20, 21, 22, 30, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51,
        60, 70, 71, 80, 86, 90, 100, 109, 110, 111, 112, 113, 114, 115, 116, 120, 121, 255};
    /** Extensions worth adding or duplicating: the ones TLS 1.2/1.3 stacks parse, GREASE, ECH. */
    static final int[] EXTENSION_TYPES = {0, 1, 5, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 27, 28, 35,
        41, 42, 43, 44, 45, 47, 48, 49, 50, 51, 57, 0xff01, 0x3374, 0x0a0a, 0xfe0d, 0xffff};

    final SplittableRandom rnd;
    final StringBuilder log = new StringBuilder();

    Mutator(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    void note(String what) {
        if (log.length() > 0) {
            log.append("; ");
        }
        if (log.length() < 2000) {
            log.append(what);
        }
    }

    // ---- primitives ---------------------------------------------------------------------------

    int pick(int[] values) {
        return values[rnd.nextInt(values.length)];
    }

    <T> T pick(List<T> values) {
        return values.get(rnd.nextInt(values.size()));
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    /** A length: mostly small, sometimes around a record, now and then large. */
    int size(int max) {
        int bucket = rnd.nextInt(10);
        int n = bucket < 4 ? rnd.nextInt(64) : bucket < 8 ? rnd.nextInt(2048) : rnd.nextInt(max + 1);
        return Math.min(n, max);
    }

    byte interestingByte() {
        int[] values = {0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, 0x40, 0x3f};
        return (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(256) : pick(values));
    }

    static List<byte[]> copy(List<byte[]> records) {
        List<byte[]> out = new ArrayList<>(records.size());
        for (byte[] r : records) {
            out.add(r.clone());
        }
        return out;
    }

    private int recordIndex(List<byte[]> records) {
        return rnd.nextInt(records.size());
    }

    // ---- random bytes -------------------------------------------------------------------------

    /** Random bytes; a fifth of the time behind a plausible record header so parsing goes further. */
    byte[] randomBytes() {
        byte[] b = bytes(1 + size(40_000));
        if (b.length >= 5 && rnd.nextInt(5) == 0) {
            b[0] = (byte) (20 + rnd.nextInt(5));
            b[1] = 3;
            b[2] = (byte) rnd.nextInt(5);
            if (rnd.nextBoolean()) {
                Tls.setDeclaredLength(b, Math.min(b.length - 5, 0xffff));
            }
            note("random bytes (" + b.length + ") behind a record header");
        } else {
            note("random bytes (" + b.length + ")");
        }
        return b;
    }

    // ---- whole-record damage ------------------------------------------------------------------

    /** Flips bits and overwrites bytes: sometimes in the headers, mostly in the bodies. */
    void flipBits(List<byte[]> records) {
        int n = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(32) : rnd.nextInt(4));
        for (int k = 0; k < n; k++) {
            int i = recordIndex(records);
            byte[] r = records.get(i);
            if (r.length == 0) {
                continue;
            }
            int at = rnd.nextInt(5) == 0 ? rnd.nextInt(Math.min(r.length, Tls.HEADER)) : rnd.nextInt(r.length);
            if (rnd.nextInt(3) == 0) {
                r[at] = interestingByte();
                note("record " + i + " byte " + at + " := " + (r[at] & 0xff));
            } else {
                int bit = rnd.nextInt(8);
                r[at] ^= (byte) (1 << bit);
                note("record " + i + " byte " + at + " bit " + bit + " flipped");
            }
        }
    }

    /** A record claims another length: past the limit, zero, or a little off. */
    void length(List<byte[]> records) {
        int i = recordIndex(records);
        byte[] r = records.get(i);
        if (r.length < Tls.HEADER) {
            return;
        }
        int choice = rnd.nextInt(6);
        if (choice <= 1) {
            int[] over = {Tls.MAX_BODY + 1, Tls.MAX_BODY + 2, 0xffff, 0x8000, 0x4801 + rnd.nextInt(0xffff - 0x4801)};
            int len = pick(over);
            byte[] body = Tls.body(r);
            boolean fill = rnd.nextBoolean();
            byte[] grown;
            if (fill) {
                // The whole oversized record is there to be read.
                grown = new byte[Tls.HEADER + len];
                System.arraycopy(r, 0, grown, 0, Math.min(r.length, grown.length));
                byte[] pad = bytes(grown.length - Math.min(r.length, grown.length));
                System.arraycopy(pad, 0, grown, Math.min(r.length, grown.length), pad.length);
            } else {
                grown = r;
            }
            Tls.setDeclaredLength(grown, len);
            records.set(i, grown);
            note("record " + i + " claims " + len + " bytes (over 2^14+2048)" + (fill ? ", all present" : ", body "
                + body.length));
        } else if (choice == 2) {
            // Exactly at and around the limits OpenSSL and NativeTLS check.
            int[] edges = {16384, 16385, 16384 + 256, 16384 + 257, 16384 + 2048};
            int len = pick(edges);
            byte[] grown = new byte[Tls.HEADER + len];
            System.arraycopy(r, 0, grown, 0, Math.min(r.length, grown.length));
            byte[] pad = bytes(grown.length - Math.min(r.length, grown.length));
            System.arraycopy(pad, 0, grown, Math.min(r.length, grown.length), pad.length);
            Tls.setDeclaredLength(grown, len);
            records.set(i, grown);
            note("record " + i + " grown to " + len + " bytes");
        } else if (choice == 3) {
            records.set(i, Tls.record(Tls.type(r), Tls.version(r), new byte[0]));
            note("record " + i + " emptied (length 0)");
        } else if (choice == 4) {
            Tls.setDeclaredLength(r, 0);
            note("record " + i + " claims 0 bytes, body left behind");
        } else {
            int delta = (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 300));
            int len = Math.max(0, Math.min(0xffff, Tls.declaredLength(r) + delta));
            Tls.setDeclaredLength(r, len);
            note("record " + i + " claims " + len + " bytes (off by " + delta + ")");
        }
    }

    void contentType(List<byte[]> records) {
        int i = recordIndex(records);
        byte[] r = records.get(i);
        int type = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : pick(INTERESTING_TYPES);
        r[0] = (byte) type;
        note("record " + i + " content type := " + type);
    }

    void version(List<byte[]> records) {
        int i = recordIndex(records);
        byte[] r = records.get(i);
        if (r.length < 3) {
            return;
        }
        int v = rnd.nextInt(4) == 0 ? rnd.nextInt(0x10000) : pick(INTERESTING_VERSIONS);
        r[1] = (byte) (v >>> 8);
        r[2] = (byte) v;
        note("record " + i + " version := " + Integer.toHexString(v));
    }

    /** Drops, duplicates, swaps, splits, joins records or adds random ones. */
    void structure(List<byte[]> records) {
        int op = rnd.nextInt(7);
        int i = recordIndex(records);
        if (op == 0 && records.size() > 1) {
            records.remove(i);
            note("record " + i + " dropped");
        } else if (op <= 1) {
            records.add(rnd.nextInt(records.size() + 1), records.get(i).clone());
            note("record " + i + " duplicated");
        } else if (op == 2) {
            int j = recordIndex(records);
            Collections.swap(records, i, j);
            note("records " + i + " and " + j + " swapped");
        } else if (op == 3) {
            byte[] r = records.get(i);
            int bodyLen = r.length - Tls.HEADER;
            if (bodyLen >= 2) {
                int cut = 1 + rnd.nextInt(bodyLen - 1);
                records.set(i, Tls.record(Tls.type(r), Tls.version(r), Arrays.copyOfRange(r, Tls.HEADER,
                    Tls.HEADER + cut)));
                records.add(i + 1, Tls.record(Tls.type(r), Tls.version(r), Arrays.copyOfRange(r, Tls.HEADER + cut,
                    r.length)));
                note("record " + i + " split at " + cut);
            } else {
                records.add(i, Tls.record(r.length > 0 ? Tls.type(r) : Tls.HANDSHAKE, Tls.TLS12, new byte[0]));
                note("empty record inserted at " + i);
            }
        } else if (op == 4 && i + 1 < records.size() && records.get(i).length >= Tls.HEADER) {
            byte[] a = records.get(i);
            byte[] b = records.remove(i + 1);
            byte[] body = Tls.concat(Tls.body(a), b.length >= Tls.HEADER ? Tls.body(b) : b);
            records.set(i, Tls.record(Tls.type(a), Tls.version(a), body.length > 0xffff ? Arrays.copyOf(body, 0xffff)
                : body));
            note("records " + i + " and " + (i + 1) + " joined");
        } else if (op <= 5) {
            int type = rnd.nextInt(3) == 0 ? rnd.nextInt(256) : 20 + rnd.nextInt(5);
            records.add(rnd.nextInt(records.size() + 1), Tls.record(type, Tls.TLS12, bytes(size(2000))));
            note("random record of type " + type + " inserted");
        } else {
            Collections.reverse(records);
            note("records reversed");
        }
    }

    /** Cuts the stream: the engine is shown the prefix; the rest follows in pieces, or never. */
    List<byte[]> truncate(byte[] stream) {
        List<byte[]> chunks = new ArrayList<>();
        if (stream.length == 0) {
            chunks.add(stream);
            return chunks;
        }
        int cut = rnd.nextInt(4) == 0 ? rnd.nextInt(Math.min(stream.length, 6)) : rnd.nextInt(stream.length);
        boolean rest = rnd.nextBoolean();
        chunks.add(Arrays.copyOfRange(stream, 0, cut));
        if (rest) {
            int at = cut;
            while (at < stream.length) {
                int n = rnd.nextBoolean() ? stream.length - at : 1 + rnd.nextInt(Math.min(stream.length - at, 4000));
                chunks.add(Arrays.copyOfRange(stream, at, at + n));
                at += n;
            }
        }
        note("truncated at " + cut + " of " + stream.length + (rest ? ", rest in " + (chunks.size() - 1)
            + " pieces" : ", rest never sent"));
        return chunks;
    }

    // ---- messages at the wrong time -----------------------------------------------------------

    byte[] alert() {
        int level = rnd.nextInt(6) == 0 ? rnd.nextInt(256) : 1 + rnd.nextInt(2);
        int desc = rnd.nextInt(6) == 0 ? rnd.nextInt(256) : pick(ALERT_DESCRIPTIONS);
        byte[] body = {(byte) level, (byte) desc};
        int shape = rnd.nextInt(12);
        if (shape == 0) {
            body = new byte[] {(byte) level};
        } else if (shape == 1) {
            body = new byte[] {(byte) level, (byte) desc, (byte) rnd.nextInt(256)};
        } else if (shape == 2) {
            body = new byte[] {(byte) level, (byte) desc, (byte) level, (byte) desc};
        }
        note("alert level " + level + " description " + desc + " (" + body.length + " bytes)");
        return Tls.record(Tls.ALERT, rnd.nextInt(4) == 0 ? Tls.TLS10 : Tls.TLS12, body);
    }

    /** A synthetic handshake message of the given type with a plausible body. */
    byte[] syntheticMessage(int type) {
        byte[] body;
        switch (type) {
            case Tls.HELLO_REQUEST:
            case Tls.END_OF_EARLY_DATA:
            case Tls.SERVER_HELLO_DONE:
                body = rnd.nextInt(4) == 0 ? bytes(1 + rnd.nextInt(8)) : new byte[0];
                break;
            case Tls.FINISHED:
                body = bytes(new int[] {12, 32, 48, 0, 1 + rnd.nextInt(100)}[rnd.nextInt(5)]);
                break;
            case Tls.KEY_UPDATE:
                body = new byte[] {(byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(256) : rnd.nextInt(2))};
                break;
            case Tls.ENCRYPTED_EXTENSIONS:
                body = rnd.nextBoolean() ? new byte[] {0, 0} : bytes(size(200));
                break;
            default:
                body = bytes(size(1000));
        }
        return Tls.handshake(type, body);
    }

    /** Handshake messages as records: usually one record, sometimes fragmented. */
    List<byte[]> asRecords(byte[] messages, int version) {
        int fragment = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(Math.max(1, messages.length)) : Tls.MAX_PLAINTEXT;
        return Tls.frame(Tls.HANDSHAKE, version, messages, fragment);
    }

    // ---- hello extensions ---------------------------------------------------------------------

    /** One to four mutations of the extension list (rarely of the fixed fields or lengths). */
    void mutateExtensions(Hello h) {
        int n = 1 + rnd.nextInt(rnd.nextInt(3) == 0 ? 4 : 2);
        for (int k = 0; k < n; k++) {
            mutateExtensionsOnce(h);
        }
    }

    private void mutateExtensionsOnce(Hello h) {
        List<Hello.Extension> exts = h.extensions;
        int op = rnd.nextInt(exts.isEmpty() ? 2 : 14);
        switch (op) {
            case 0:
            case 1: {
                int type = rnd.nextInt(4) == 0 ? rnd.nextInt(0x10000) : pick(EXTENSION_TYPES);
                byte[] data = rnd.nextInt(3) == 0 ? new byte[0] : bytes(size(600));
                exts.add(rnd.nextInt(exts.size() + 1), new Hello.Extension(type, data));
                note("extension " + type + " added (" + data.length + " bytes)");
                return;
            }
            default:
        }
        int i = rnd.nextInt(exts.size());
        Hello.Extension e = exts.get(i);
        switch (op) {
            case 2:
                exts.remove(i);
                note("extension " + e.type + " dropped");
                break;
            case 3:
                exts.add(rnd.nextInt(exts.size() + 1), e.copy());
                note("extension " + e.type + " duplicated");
                break;
            case 4: {
                int j = rnd.nextInt(exts.size());
                Collections.swap(exts, i, j);
                note("extensions " + i + " and " + j + " swapped");
                break;
            }
            case 5:
                Collections.shuffle(exts, new java.util.Random(rnd.nextLong()));
                note("extensions shuffled");
                break;
            case 6: {
                int[] lengths = {0, e.data.length + 1, Math.max(0, e.data.length - 1), 0xffff, rnd.nextInt(0x10000),
                    e.data.length + 4};
                e.declaredLength = pick(lengths);
                note("extension " + e.type + " length := " + e.declaredLength + " (really " + e.data.length + ")");
                break;
            }
            case 7:
                e.data = bytes(rnd.nextBoolean() ? e.data.length : size(rnd.nextInt(10) == 0 ? 5000 : 300));
                note("extension " + e.type + " body random (" + e.data.length + " bytes)");
                break;
            case 8:
            case 9: {
                // Inner lengths: most extension bodies start with a 1- or 2-byte length.
                if (e.data.length == 0) {
                    e.data = bytes(1 + rnd.nextInt(4));
                    note("extension " + e.type + " given a short body");
                    break;
                }
                int at = rnd.nextInt(3) != 0 ? rnd.nextInt(Math.min(2, e.data.length)) : rnd.nextInt(e.data.length);
                e.data[at] = rnd.nextBoolean() ? interestingByte() : (byte) (e.data[at] ^ (1 << rnd.nextInt(8)));
                note("extension " + e.type + " byte " + at + " := " + (e.data[at] & 0xff));
                break;
            }
            case 10:
                e.data = Arrays.copyOf(e.data, e.data.length == 0 ? 0 : rnd.nextInt(e.data.length));
                note("extension " + e.type + " body cut to " + e.data.length);
                break;
            case 11:
                h.declaredExtensionsLength = pick(new int[] {0, 1, 0xffff, rnd.nextInt(0x10000)});
                note("extensions length := " + h.declaredExtensionsLength);
                break;
            case 12:
                if (rnd.nextBoolean()) {
                    int at = rnd.nextInt(h.fixed.length);
                    h.fixed[at] = interestingByte();
                    note("hello fixed field byte " + at + " := " + (h.fixed[at] & 0xff));
                } else {
                    h.declaredMessageLength = rnd.nextInt(0x1000000 >> (rnd.nextBoolean() ? 0 : 12));
                    note("hello message length := " + h.declaredMessageLength);
                }
                break;
            default:
                exts.remove(i);
                exts.add(e);
                note("extension " + e.type + " moved last");
        }
    }
}
