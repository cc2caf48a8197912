package io.nativetls.internal.ssl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The little DER an OCSP stapler needs (RFC 6960), done in Java so the server's status callback
 * makes no native call: the request for one certificate, and from a response its status and the
 * nextUpdate of the certificate's entry. The client verifies the response; this side only decides
 * whether to staple and for how long to keep it.
 */
final class OcspDer {
    /** OCSPResponseStatus successful. */
    static final int SUCCESSFUL = 0;
    private static final byte[] SHA1_ALGORITHM = {0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00};
    private static final byte[] BASIC_RESPONSE_OID = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01};
    private static final byte[] OCSP_ACCESS_METHOD = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01};
    private static final DateTimeFormatter GENERALIZED = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private OcspDer() {
    }

    /** What a response says about one certificate; nextUpdate null when it names none. */
    static final class Parsed {
        final int responseStatus;
        final boolean found;
        final Instant nextUpdate;

        Parsed(int responseStatus, boolean found, Instant nextUpdate) {
            this.responseStatus = responseStatus;
            this.found = found;
            this.nextUpdate = nextUpdate;
        }
    }

    /** OCSPRequest for leaf (no nonce, no signature: what SunJSSE's stapler sends without extensions). */
    static byte[] request(X509Certificate leaf, X509Certificate issuer) throws IOException {
        byte[] certId = tlv(0x30, SHA1_ALGORITHM, tlv(0x04, sha1(issuer.getSubjectX500Principal().getEncoded())),
            tlv(0x04, sha1(subjectKeyBits(issuer.getPublicKey().getEncoded()))),
            tlv(0x02, leaf.getSerialNumber().toByteArray()));
        byte[] request = tlv(0x30, certId);
        byte[] tbs = tlv(0x30, tlv(0x30, request));
        return tlv(0x30, tbs);
    }

    /** The response's status and, for serial, whether it has an entry and that entry's nextUpdate. */
    static Parsed parse(byte[] der, BigInteger serial) throws IOException {
        Reader top = new Reader(der).enter(0x30);
        byte[] status = top.next(0x0a);
        if (status.length != 1) {
            throw new IOException("malformed OCSP response status");
        }
        if (status[0] != SUCCESSFUL || !top.more()) {
            return new Parsed(status[0], false, null);
        }
        Reader bytes = new Reader(top.next(0xa0)).enter(0x30);
        byte[] type = bytes.next(0x06);
        if (!java.util.Arrays.equals(type, BASIC_RESPONSE_OID)) {
            throw new IOException("OCSP response is not a basic response");
        }
        Reader basic = new Reader(bytes.next(0x04)).enter(0x30);
        Reader data = basic.enter(0x30);
        if (data.peek() == 0xa0) {
            data.next(0xa0); // version
        }
        data.skip(); // responderID
        data.next(0x18); // producedAt
        Reader responses = data.enter(0x30);
        while (responses.more()) {
            Reader single = responses.enter(0x30);
            Reader certId = single.enter(0x30);
            certId.skip();
            certId.skip();
            certId.skip();
            BigInteger entrySerial = new BigInteger(certId.next(0x02));
            single.skip(); // certStatus
            single.next(0x18); // thisUpdate
            Instant nextUpdate = null;
            if (single.more() && single.peek() == 0xa0) {
                nextUpdate = time(new Reader(single.next(0xa0)).next(0x18));
            }
            if (entrySerial.equals(serial)) {
                return new Parsed(SUCCESSFUL, true, nextUpdate);
            }
        }
        return new Parsed(SUCCESSFUL, false, null);
    }

    private static Instant time(byte[] value) throws IOException {
        String s = new String(value, java.nio.charset.StandardCharsets.US_ASCII);
        if (s.length() < 15 || !s.endsWith("Z")) {
            throw new IOException("unsupported GeneralizedTime " + s);
        }
        try {
            // Fractional seconds, if any, do not matter for a cache's expiry.
            return LocalDateTime.parse(s.substring(0, 14), GENERALIZED).toInstant(ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("unsupported GeneralizedTime " + s, e);
        }
    }

    /** The OCSP responder the certificate's Authority Information Access names (its first URI), or null. */
    static java.net.URI responder(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue("1.3.6.1.5.5.7.1.1");
        if (ext == null) {
            return null;
        }
        try {
            Reader descriptions = new Reader(new Reader(ext).next(0x04)).enter(0x30);
            while (descriptions.more()) {
                Reader description = descriptions.enter(0x30);
                byte[] method = description.next(0x06);
                if (java.util.Arrays.equals(method, OCSP_ACCESS_METHOD) && description.peek() == 0x86) {
                    return new java.net.URI(new String(description.next(0x86),
                        java.nio.charset.StandardCharsets.US_ASCII));
                }
            }
        } catch (IOException | java.net.URISyntaxException e) {
            return null; // an unreadable extension names no responder
        }
        return null;
    }

    /** The subjectPublicKey BIT STRING's bits (without the unused-bits byte): what the key hash covers. */
    private static byte[] subjectKeyBits(byte[] spki) throws IOException {
        Reader r = new Reader(spki).enter(0x30);
        r.skip();
        byte[] bits = r.next(0x03);
        if (bits.length < 1) {
            throw new IOException("malformed subject public key");
        }
        return java.util.Arrays.copyOfRange(bits, 1, bits.length);
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.write(p, 0, p.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = body.size();
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        byte[] b = body.toByteArray();
        out.write(b, 0, b.length);
        return out.toByteArray();
    }

    /** Reads a sequence of TLVs from a byte range; every length is checked against what is left. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int end;

        Reader(byte[] buf) {
            this(buf, 0, buf.length);
        }

        private Reader(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        int peek() throws IOException {
            if (pos >= end) {
                throw new IOException("truncated OCSP response");
            }
            return buf[pos] & 0xff;
        }

        /** The next element's contents, which must have this tag. */
        byte[] next(int tag) throws IOException {
            int[] range = element(tag);
            return java.util.Arrays.copyOfRange(buf, range[0], range[1]);
        }

        /** A reader over the next element's contents, which must have this tag. */
        Reader enter(int tag) throws IOException {
            int[] range = element(tag);
            return new Reader(buf, range[0], range[1]);
        }

        void skip() throws IOException {
            element(-1);
        }

        private int[] element(int tag) throws IOException {
            int t = peek();
            if (tag >= 0 && t != tag) {
                throw new IOException("unexpected tag 0x" + Integer.toHexString(t) + " in OCSP data");
            }
            int p = pos + 1;
            if (p >= end) {
                throw new IOException("truncated OCSP data");
            }
            int len = buf[p++] & 0xff;
            if (len >= 0x80) {
                int count = len & 0x7f;
                if (count == 0 || count > 3 || p + count > end) {
                    throw new IOException("unsupported length in OCSP data");
                }
                len = 0;
                for (int i = 0; i < count; i++) {
                    len = (len << 8) | (buf[p++] & 0xff);
                }
            }
            if (len > end - p) {
                throw new IOException("truncated OCSP data");
            }
            pos = p + len;
            return new int[] {p, p + len};
        }
    }
}
