package io.nativetls.internal.ssl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ALPN list's wire format (each id a length byte and its bytes). Ids are bytes; JSSE presents
 * them as ISO-8859-1 strings, as SunJSSE does, so every byte value survives the round trip.
 */
final class AlpnWire {
    private AlpnWire() {}

    static byte[] encode(String[] protocols) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : protocols) {
            byte[] id = p.getBytes(StandardCharsets.ISO_8859_1);
            if (id.length == 0 || id.length > 255) {
                throw new IllegalArgumentException("Invalid application protocol: \"" + p + "\"");
            }
            out.write(id.length);
            out.write(id, 0, id.length);
        }
        return out.toByteArray();
    }

    /** The ids of a list as a client sent it; a malformed tail is dropped (OpenSSL refuses such a hello). */
    static List<String> decode(byte[] wire) {
        List<String> out = new ArrayList<>();
        for (int at = 0; at < wire.length;) {
            int len = wire[at] & 0xff;
            if (len == 0 || at + 1 + len > wire.length) {
                break;
            }
            out.add(new String(wire, at + 1, len, StandardCharsets.ISO_8859_1));
            at += 1 + len;
        }
        return out;
    }

    static String id(byte[] selected) {
        return selected == null ? null : new String(selected, StandardCharsets.ISO_8859_1);
    }
}
