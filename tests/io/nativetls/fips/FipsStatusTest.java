package io.nativetls.fips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.nativetls.NativeTls;
import io.nativetls.internal.ssl.NativeRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What NativeTLS says about FIPS mode and the loaded providers is what libcrypto itself says,
 * asked through JNA (a test-scope oracle, independent of NativeTLS's native code), in this
 * process, where both see the same library and the same configuration file, about the library
 * context NativeTLS runs in (OpenSSL's default one, or its own in FIPS mode: only its address is
 * NativeTLS's answer here).
 */
class FipsStatusTest {
    /** The few libcrypto functions the oracle needs (OpenSSL 3.0+). */
    public interface LibCrypto extends Library {
        int EVP_default_properties_is_fips_enabled(Pointer libctx);

        int OSSL_PROVIDER_available(Pointer libctx, String name);
    }

    private static LibCrypto crypto;
    private static Pointer context;

    @BeforeAll
    static void oracle() {
        // JNA's own native stub is not built with the sanitizers the ASan stage preloads.
        assumeFalse(Boolean.getBoolean("io.nativetls.test.sanitizer"), "JNA under AddressSanitizer");
        assertTrue(NativeTls.isAvailable(), String.valueOf(NativeTls.unavailabilityCause()));
        // The soname NativeTLS's libssl already pulled in: dlopen returns that very library.
        crypto = Native.load("libcrypto.so.3", LibCrypto.class);
        long address = NativeRuntime.libraryContextAddress();
        context = address == 0 ? null : new Pointer(address);
        assertEquals(address != 0, NativeRuntime.fipsMode());
    }

    @Test
    void fipsModeIsWhatLibcryptoSays() {
        assertEquals(crypto.EVP_default_properties_is_fips_enabled(context) == 1, NativeTls.isFipsEnabled());
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
            assertEquals(1, crypto.OSSL_PROVIDER_available(context, p[0]), p[0] + " is available to libcrypto");
            assertTrue(p[2].equals("active") || p[2].equals("inactive"), entry);
        }
        for (String absent : List.of("fips", "legacy", "nonexistent-provider")) {
            if (!names.contains(absent)) {
                assertEquals(0, crypto.OSSL_PROVIDER_available(context, absent), absent + " is not loaded");
            }
        }
        if (names.contains("default")) {
            String version = providers[names.indexOf("default")].split("\t")[1];
            assertTrue(NativeTls.openSslVersion().contains(version), "the default provider is this OpenSSL's: "
                + version + " in " + NativeTls.openSslVersion());
        }
    }
}
