package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.KeySigner;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;

/**
 * Signs TLS handshakes with a private key OpenSSL cannot hold: a new java.security.Signature per
 * signature, so the JCA picks the provider that owns the key (SunPKCS11 for a token's key) and
 * concurrent handshakes share nothing but the key. Failures name the alias and the algorithm.
 */
final class JavaKeySigner implements KeySigner {
    private final String alias;
    private final PrivateKey key;
    /** The key family as JCA names it in signature algorithms: "ECDSA", "RSA", "RSASSA-PSS" or "EdDSA". */
    private final String family;

    private JavaKeySigner(String alias, PrivateKey key, String family) {
        this.alias = alias;
        this.key = key;
        this.family = family;
    }

    /** A signer for key, or null when its algorithm is not one TLS signs with. */
    static JavaKeySigner of(String alias, PrivateKey key) {
        String family = familyOf(key.getAlgorithm());
        return family == null ? null : new JavaKeySigner(alias, key, family);
    }

    /** The key's family: "ECDSA", "RSA", "RSASSA-PSS" or "EdDSA". */
    String family() {
        return family;
    }

    /** The family of a key algorithm name (a PrivateKey's or a certificate key's), or null. */
    static String familyOf(String algorithm) {
        switch (algorithm == null ? "" : algorithm.toUpperCase(Locale.ROOT)) {
        case "EC":
        case "ECDSA":
            return "ECDSA";
        case "RSA":
            return "RSA";
        case "RSASSA-PSS":
            return "RSASSA-PSS";
        case "ED25519":
        case "ED448":
        case "EDDSA":
            return "EdDSA";
        default:
            return null;
        }
    }

    @Override
    public byte[] sign(String digest, int pssSaltLength, byte[] message) throws SignatureException {
        String algorithm = algorithm(digest, pssSaltLength);
        try {
            Signature signature = Signature.getInstance(pssSaltLength >= 0 ? "RSASSA-PSS" : algorithm);
            // The key first: the JCA chooses the provider from the first call, and only the key tells which.
            signature.initSign(key);
            if (pssSaltLength >= 0) {
                signature.setParameter(new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest),
                    pssSaltLength, PSSParameterSpec.TRAILER_FIELD_BC));
            }
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SignatureException("the private key of alias \"" + alias + "\" (" + key.getAlgorithm() + ", "
                + key.getClass().getName() + ") could not sign the handshake with " + algorithm + ": " + e, e);
        }
    }

    /** The JCA name of the signature, for the message and (except PSS) for Signature.getInstance. */
    private String algorithm(String digest, int pssSaltLength) {
        if (digest == null) {
            return key.getAlgorithm().equalsIgnoreCase("EdDSA") ? "EdDSA" : key.getAlgorithm();
        }
        if (pssSaltLength >= 0) {
            return "RSASSA-PSS (" + digest + ", MGF1, salt " + pssSaltLength + ")";
        }
        return digest.replace("-", "") + "with" + family;
    }
}
