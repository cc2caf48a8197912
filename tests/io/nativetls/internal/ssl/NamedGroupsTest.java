package io.nativetls.internal.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** jdk.tls.namedGroups values as OpenSSL group lists. */
class NamedGroupsTest {
    @Test
    void mapsJsseNamesInOrder() {
        assertEquals("P-384:X25519", NamedGroups.toOpenSsl("secp384r1, x25519"));
        assertEquals("X25519:P-256", NamedGroups.toOpenSsl("\"x25519,secp256r1\""));
        assertEquals("ffdhe2048", NamedGroups.toOpenSsl("bogus,FFDHE2048"));
        assertNull(NamedGroups.toOpenSsl(null));
        assertNull(NamedGroups.toOpenSsl(" "));
        assertThrows(IllegalArgumentException.class, () -> NamedGroups.toOpenSsl("bogus"));
    }
}
