package io.nativetls.fips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.jna.Pointer;
import io.nativetls.NativeTls;
import io.nativetls.internal.ssl.NativeRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What NativeTLS says about FIPS mode and the loaded providers is what libcrypto itself says,
 * asked through JNA ({@link FipsOracle}, independent of NativeTLS's native code), in this process,
 * where both see the same library and the same configuration file, about the library context
 * NativeTLS runs in (OpenSSL's default one, or its own in FIPS mode: only its address is NativeTLS's
 * answer here).
 */
class FipsStatusTest {
    private static FipsOracle oracle;
    private static Pointer context;

    @BeforeAll
    static void oracle() {
        // JNA's own native stub is not built with the sanitizers the ASan stage preloads.
        assumeFalse(Boolean.getBoolean("io.nativetls.test.sanitizer"), "JNA under AddressSanitizer");
        assertTrue(NativeTls.isAvailable(), String.valueOf(NativeTls.unavailabilityCause()));
        oracle = new FipsOracle();
        long address = NativeRuntime.libraryContextAddress();
        context = address == 0 ? null : new Pointer(address);
        assertEquals(address != 0, NativeRuntime.fipsMode());
    }

    @Test
    void fipsModeIsWhatLibcryptoSays() {
        assertEquals(oracle.fipsProperties(context), NativeTls.isFipsEnabled());
    }

    @Test
    void everyListedProviderIsLoadedAndNamedOnce() throws Exception {
        String[] providers = NativeRuntime.providers();
        assertTrue(providers.length > 0, "OpenSSL runs TLS with at least one provider");
        List<String> names = new ArrayList<>();
        for (String entry : providers) {
            String[] p = entry.split("\t", -1);
            assertEquals(3, p.length, entry);
            assertFalse(names.contains(p[0]), "listed twice: " + p[0]);
            names.add(p[0]);
            assertTrue(oracle.available(context, p[0]), p[0] + " is available to libcrypto");
            assertTrue(p[2].equals("active") || p[2].equals("inactive"), entry);
        }
        assertEquals(oracle.providers(context), names, "the same providers in the same order");
        for (String absent : List.of("fips", "legacy", "nonexistent-provider")) {
            if (!names.contains(absent)) {
                assertFalse(oracle.available(context, absent), absent + " is not loaded");
            }
        }
        if (names.contains("default")) {
            String version = providers[names.indexOf("default")].split("\t")[1];
            assertTrue(NativeTls.openSslVersion().contains(version), "the default provider is this OpenSSL's: "
                + version + " in " + NativeTls.openSslVersion());
        }
    }
}
