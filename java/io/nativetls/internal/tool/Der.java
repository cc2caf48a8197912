package io.nativetls.internal.tool;

import java.io.ByteArrayOutputStream;

/** The little DER this tool needs: reading one TLV at a time and writing SEQUENCE, INTEGER, OCTET STRING. */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;

    /** rsaEncryption (1.2.840.113549.1.1.1) as a complete OID TLV. */
    static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
        0x01, 0x01};
    /** id-ecPublicKey (1.2.840.10045.2.1) as a complete OID TLV. */
    static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Der() {}

    /** One element: its tag, and where its contents and the whole element lie in the input. */
    static final class Element {
        final int tag;
        final int start;
        final int contentStart;
        final int end;

        private Element(int tag, int start, int contentStart, int end) {
            this.tag = tag;
            this.start = start;
            this.contentStart = contentStart;
            this.end = end;
        }
    }

    /** Reads the element at offset, which must end by limit. */
    static Element read(byte[] in, int offset, int limit) throws IllegalArgumentException {
        if (offset + 2 > limit) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = in[offset] & 0xff;
        int first = in[offset + 1] & 0xff;
        int pos = offset + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4 || pos + n > limit) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (in[pos++] & 0xff);
            }
        }
        if (length > limit - pos) {
            throw new IllegalArgumentException("DER element longer than its container");
        }
        return new Element(tag, offset, pos, pos + (int) length);
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.size();
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >>> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
