package io.nativetls.internal.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.SavedProperty;
import java.security.Security;
import javax.net.ssl.SSLHandshakeException;
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

    /**
     * jdk.tls.disabledAlgorithms filters the names only OpenSSL has, by name and by the key size
     * read off the name (brainpoolP256r1 is EC 256; the ML-KEM hybrid is not EC), and a list it
     * empties names where the list came from. No SSLContext is made while the policy is changed,
     * so SunJSSE, which reads it once, never sees it.
     */
    @Test
    void thePolicyFiltersEveryGroupAndTheFailureNamesTheSource() throws Exception {
        String saved = Security.getProperty("jdk.tls.disabledAlgorithms");
        try (SavedProperty restored = SavedProperty.of(NamedGroups.PROPERTY)) {
            Security.setProperty("jdk.tls.disabledAlgorithms", "brainpoolP384r1, EC keySize < 300");
            DisabledAlgorithms policy = DisabledAlgorithms.current();
            String list = NamedGroups.forConnection(
                new String[] {"brainpoolP384r1", "brainpoolP256r1", "SecP256r1MLKEM768", "secp384r1", "x25519"}, policy);
            String hybrid = TlsGroups.find("SecP256r1MLKEM768") != null ? "SecP256r1MLKEM768:" : "";
            assertEquals(hybrid + "secp384r1:x25519", list);

            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> NamedGroups.forConnection(new String[] {"brainpoolP384r1", "secp256r1"}, policy));
            assertTrue(e.getMessage().contains("(SSLParameters.setNamedGroups)"), e.getMessage());
            System.setProperty(NamedGroups.PROPERTY, "brainpoolP256r1,brainpoolP384r1");
            e = assertThrows(SSLHandshakeException.class, () -> NamedGroups.forConnection(null, policy));
            assertTrue(e.getMessage().contains("(jdk.tls.namedGroups)"), e.getMessage());
        } finally {
            Security.setProperty("jdk.tls.disabledAlgorithms", saved == null ? "" : saved);
        }
    }
}
