package io.nativetls.internal.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * jdk.tls.keyLimits read as SunJSSE reads it (sun.security.ssl.SSLCipher): JCE transformation
 * names in any case, lengths in bytes or 2^k, entries with another action or a length outside
 * 1..2^62 skipped; TLS 1.3 suites only.
 */
class KeyLimitsTest {
    @Test
    void theJdkDefaultLimitsBothAeadFamilies() {
        KeyLimits limits = KeyLimits.parse("AES/GCM/NoPadding KeyUpdate 2^37, ChaCha20-Poly1305 KeyUpdate 2^37");
        assertEquals(1L << 37, limits.forSuite("TLS_AES_128_GCM_SHA256"));
        assertEquals(1L << 37, limits.forSuite("TLS_AES_256_GCM_SHA384"));
        assertEquals(1L << 37, limits.forSuite("TLS_CHACHA20_POLY1305_SHA256"));
        assertEquals(0, limits.forSuite("TLS_AES_128_CCM_SHA256"), "no entry for CCM");
        assertEquals(0, limits.forSuite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), "TLS 1.2: no KeyUpdate");
    }

    @Test
    void bytesCaseAndSpacing() {
        KeyLimits limits = KeyLimits.parse("  chacha20-poly1305   keyupdate   1000 ,AES/CCM/NoPadding KeyUpdate 7");
        assertEquals(1000, limits.forSuite("TLS_CHACHA20_POLY1305_SHA256"));
        assertEquals(0, limits.forSuite("TLS_AES_128_GCM_SHA256"));
        assertEquals(7, limits.forSuite("TLS_AES_128_CCM_8_SHA256"));
    }

    @Test
    void malformedEntriesAreSkippedNotFatal() {
        KeyLimits limits = KeyLimits.parse("AES/GCM/NoPadding Rekey 100, AES/GCM/NoPadding KeyUpdate 0,"
            + " AES/GCM/NoPadding KeyUpdate 2^63, AES/GCM/NoPadding KeyUpdate lots, AES/GCM/NoPadding,"
            + " ChaCha20-Poly1305 KeyUpdate 2^10");
        assertEquals(0, limits.forSuite("TLS_AES_128_GCM_SHA256"), "every AES entry is malformed");
        assertEquals(1024, limits.forSuite("TLS_CHACHA20_POLY1305_SHA256"), "the good entry still counts");
    }

    @Test
    void unsetOrEmptyMeansNoLimit() {
        assertEquals(0, KeyLimits.parse(null).forSuite("TLS_AES_128_GCM_SHA256"));
        assertEquals(0, KeyLimits.parse(" ").forSuite("TLS_AES_128_GCM_SHA256"));
    }
}
