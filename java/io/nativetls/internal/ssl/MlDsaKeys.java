package io.nativetls.internal.ssl;

import java.security.PublicKey;

/**
 * Which ML-DSA parameter set (44, 65, 87) a public key has, and so which one TLS scheme it signs
 * with (an ML-DSA key makes signatures of its own parameter set only). Read from the key's X.509
 * encoding, whose algorithm identifier is the parameter set's OID (RFC 9881): that works for
 * every provider's keys and needs no API newer than Java 17 (NamedParameterSpec via
 * AsymmetricKey.getParams() came with JDK 22).
 */
final class MlDsaKeys {
    /** DER of OID 2.16.840.1.101.3.4.3 (NIST signature algorithms); the next byte is 17, 18 or 19. */
    private static final byte[] NIST_SIGNATURE_ARC = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03};

    private MlDsaKeys() {}

    /** "mldsa44", "mldsa65" or "mldsa87" for an ML-DSA public key, else null. */
    static String scheme(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (spki == null) {
            return null;
        }
        // SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID } BIT STRING }; the OID is in its first bytes.
        int limit = Math.min(spki.length - NIST_SIGNATURE_ARC.length - 1, 16);
        for (int at = 0; at <= limit; at++) {
            if (startsAt(spki, at)) {
                switch (spki[at + NIST_SIGNATURE_ARC.length]) {
                    case 17:
                        return "mldsa44";
                    case 18:
                        return "mldsa65";
                    case 19:
                        return "mldsa87";
                    default:
                        return null;
                }
            }
        }
        return null;
    }

    private static boolean startsAt(byte[] der, int at) {
        for (int i = 0; i < NIST_SIGNATURE_ARC.length; i++) {
            if (der[at + i] != NIST_SIGNATURE_ARC[i]) {
                return false;
            }
        }
        return true;
    }
}
