package io.nativetls.internal.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** jdk.tls.namedGroups values as OpenSSL group lists. */
class NamedGroupsTest {
    @Test
    void mapsJsseNamesInOrder() {
        assertEquals("secp384r1:x25519", NamedGroups.toOpenSsl("secp384r1, x25519", "test"));
        assertEquals("x25519:secp256r1", NamedGroups.toOpenSsl("\"X25519,secp256r1\"", "test"));
        assertEquals("ffdhe2048", NamedGroups.toOpenSsl("bogus,FFDHE2048", "test"));
        assertNull(NamedGroups.toOpenSsl(null, "test"));
        assertNull(NamedGroups.toOpenSsl(" ", "test"));
        assertThrows(IllegalArgumentException.class, () -> NamedGroups.toOpenSsl("bogus", "test"));
    }
}
