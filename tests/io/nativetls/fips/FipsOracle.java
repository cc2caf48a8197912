package io.nativetls.fips;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * libcrypto asked directly through JNA, never through NativeTLS's native code: what a library
 * context's default properties say, which providers it has loaded and which provider serves an
 * algorithm fetched there. A test-scope oracle; NativeTLS itself never uses JNA.
 */
final class FipsOracle {
    /** The few libcrypto functions the oracle needs (OpenSSL 3.0+). */
    public interface LibCrypto extends Library {
        int EVP_default_properties_is_fips_enabled(Pointer libctx);

        int OSSL_PROVIDER_available(Pointer libctx, String name);

        String OSSL_PROVIDER_get0_name(Pointer provider);

        int OSSL_PROVIDER_do_all(Pointer libctx, EachProvider cb, Pointer arg);

        Pointer EVP_CIPHER_fetch(Pointer libctx, String algorithm, String properties);

        Pointer EVP_CIPHER_get0_provider(Pointer cipher);

        void EVP_CIPHER_free(Pointer cipher);

        Pointer EVP_KEYEXCH_fetch(Pointer libctx, String algorithm, String properties);

        Pointer EVP_KEYEXCH_get0_provider(Pointer exchange);

        void EVP_KEYEXCH_free(Pointer exchange);

        Pointer EVP_SIGNATURE_fetch(Pointer libctx, String algorithm, String properties);

        Pointer EVP_SIGNATURE_get0_provider(Pointer signature);

        void EVP_SIGNATURE_free(Pointer signature);

        void ERR_clear_error();
    }

    /** OSSL_PROVIDER_do_all's callback. */
    public interface EachProvider extends Callback {
        int invoke(Pointer provider, Pointer arg);
    }

    private final LibCrypto crypto;

    FipsOracle() {
        // The soname NativeTLS's libssl already pulled in: dlopen returns that very library.
        crypto = Native.load("libcrypto.so.3", LibCrypto.class);
    }

    boolean fipsProperties(Pointer libctx) {
        return crypto.EVP_default_properties_is_fips_enabled(libctx) == 1;
    }

    boolean available(Pointer libctx, String provider) {
        return crypto.OSSL_PROVIDER_available(libctx, provider) == 1;
    }

    /** The names of the providers loaded in libctx, in OpenSSL's order. */
    List<String> providers(Pointer libctx) {
        List<String> names = new ArrayList<>();
        EachProvider cb = (provider, arg) -> {
            names.add(crypto.OSSL_PROVIDER_get0_name(provider));
            return 1;
        };
        if (crypto.OSSL_PROVIDER_do_all(libctx, cb, null) != 1) {
            throw new AssertionError("OSSL_PROVIDER_do_all failed");
        }
        return names;
    }

    /** The provider serving the cipher as libctx's default properties fetch it, or null when none does. */
    String cipherProvider(Pointer libctx, String algorithm) {
        return servedBy(crypto.EVP_CIPHER_fetch(libctx, algorithm, null), crypto::EVP_CIPHER_get0_provider,
            crypto::EVP_CIPHER_free);
    }

    /** The provider serving the key exchange (ECDH, DH, X25519), or null when none does. */
    String keyExchangeProvider(Pointer libctx, String algorithm) {
        return servedBy(crypto.EVP_KEYEXCH_fetch(libctx, algorithm, null), crypto::EVP_KEYEXCH_get0_provider,
            crypto::EVP_KEYEXCH_free);
    }

    /** The provider serving the signature (ECDSA, RSA), or null when none does. */
    String signatureProvider(Pointer libctx, String algorithm) {
        return servedBy(crypto.EVP_SIGNATURE_fetch(libctx, algorithm, null), crypto::EVP_SIGNATURE_get0_provider,
            crypto::EVP_SIGNATURE_free);
    }

    /** The name of the provider of a fetched algorithm (freed here), or null when the fetch found none. */
    private String servedBy(Pointer fetched, UnaryOperator<Pointer> provider, Consumer<Pointer> free) {
        if (fetched == null) {
            crypto.ERR_clear_error();
            return null;
        }
        try {
            return crypto.OSSL_PROVIDER_get0_name(provider.apply(fetched));
        } finally {
            free.accept(fetched);
        }
    }
}
