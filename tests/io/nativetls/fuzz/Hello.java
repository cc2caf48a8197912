package io.nativetls.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A ClientHello or ServerHello taken apart: the fixed fields before the extensions, kept as
 * bytes, and the extension list, one entry per extension, so extensions can be dropped,
 * duplicated, reordered and corrupted and the message put back together with consistent (or
 * deliberately wrong) lengths.
 */
final class Hello {
    /** One extension; declaredLength, when not -1, is written instead of data's real length. */
    static final class Extension {
        int type;
        byte[] data;
        int declaredLength = -1;

        Extension(int type, byte[] data) {
            this.type = type;
            this.data = data;
        }

        Extension copy() {
            Extension e = new Extension(type, data.clone());
            e.declaredLength = declaredLength;
            return e;
        }
    }

    final int msgType;
    /** The body from legacy_version up to (not including) the extensions length. */
    byte[] fixed;
    final List<Extension> extensions = new ArrayList<>();
    /** When not -1, written as the extension list's length instead of the real one. */
    int declaredExtensionsLength = -1;
    /** When not -1, written as the handshake message length instead of the real one. */
    int declaredMessageLength = -1;

    private Hello(int msgType) {
        this.msgType = msgType;
    }

    /** Parses a whole ClientHello or ServerHello message (with its 4-byte header); null if it is not one. */
    static Hello parse(byte[] msg) {
        if (msg.length < 4 || (msg[0] != Tls.CLIENT_HELLO && msg[0] != Tls.SERVER_HELLO)) {
            return null;
        }
        Hello h = new Hello(msg[0]);
        int end = msg.length;
        int at = 4 + 2 + 32; // legacy_version, random
        if (at + 1 > end) {
            return null;
        }
        at += 1 + (msg[at] & 0xff); // legacy_session_id
        if (h.msgType == Tls.CLIENT_HELLO) {
            if (at + 2 > end) {
                return null;
            }
            at += 2 + u16(msg, at); // cipher_suites
            if (at + 1 > end) {
                return null;
            }
            at += 1 + (msg[at] & 0xff); // legacy_compression_methods
        } else {
            at += 2 + 1; // cipher_suite, legacy_compression_method
        }
        if (at + 2 > end) {
            return null;
        }
        h.fixed = slice(msg, 4, at);
        int extEnd = at + 2 + u16(msg, at);
        if (extEnd != end) {
            return null;
        }
        at += 2;
        while (at < extEnd) {
            if (at + 4 > extEnd) {
                return null;
            }
            int type = u16(msg, at);
            int len = u16(msg, at + 2);
            if (at + 4 + len > extEnd) {
                return null;
            }
            h.extensions.add(new Extension(type, slice(msg, at + 4, at + 4 + len)));
            at += 4 + len;
        }
        return h;
    }

    Hello copy() {
        Hello h = new Hello(msgType);
        h.fixed = fixed.clone();
        for (Extension e : extensions) {
            h.extensions.add(e.copy());
        }
        h.declaredExtensionsLength = declaredExtensionsLength;
        h.declaredMessageLength = declaredMessageLength;
        return h;
    }

    int indexOf(int type) {
        for (int i = 0; i < extensions.size(); i++) {
            if (extensions.get(i).type == type) {
                return i;
            }
        }
        return -1;
    }

    /** The whole handshake message, header included. */
    byte[] encode() {
        ByteArrayOutputStream exts = new ByteArrayOutputStream();
        for (Extension e : extensions) {
            int len = e.declaredLength >= 0 ? e.declaredLength : e.data.length;
            exts.write(e.type >>> 8);
            exts.write(e.type);
            exts.write(len >>> 8);
            exts.write(len);
            exts.writeBytes(e.data);
        }
        byte[] extBytes = exts.toByteArray();
        int extLen = declaredExtensionsLength >= 0 ? declaredExtensionsLength : extBytes.length;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(fixed);
        body.write(extLen >>> 8);
        body.write(extLen);
        body.writeBytes(extBytes);
        byte[] msg = Tls.handshake(msgType, body.toByteArray());
        if (declaredMessageLength >= 0) {
            msg[1] = (byte) (declaredMessageLength >>> 16);
            msg[2] = (byte) (declaredMessageLength >>> 8);
            msg[3] = (byte) declaredMessageLength;
        }
        return msg;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static byte[] slice(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(b, from, out, 0, out.length);
        return out;
    }
}
