package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.lang.ref.Cleaner;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * A key manager's certificate chain and private key, parsed into native form once and reused by
 * every handshake that picks the same alias. Connections take their own native references, so
 * the Cleaner may free this one as soon as nothing in Java refers to it.
 */
final class Credential {
    final String alias;
    final X509Certificate[] chain;
    final long handle;

    private Credential(String alias, X509Certificate[] chain, long handle) {
        this.alias = alias;
        this.chain = chain;
        this.handle = handle;
        long h = handle;
        Cleaner.Cleanable unused = NativeCleaner.CLEANER.register(this, () -> SslNative.credentialFree(h));
    }

    static Credential load(String alias, X509Certificate[] chain, PrivateKey key) throws SSLException {
        if (chain == null || chain.length == 0) {
            throw new SSLHandshakeException("key manager returned no certificate chain for alias \"" + alias + "\"");
        }
        if (key == null) {
            throw new SSLHandshakeException("key manager returned no private key for alias \"" + alias + "\"");
        }
        RsaWithoutCrt rsa = RsaWithoutCrt.of(key);
        if (rsa != null) {
            return loadRsa(alias, chain, rsa);
        }
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null || !"PKCS#8".equalsIgnoreCase(key.getFormat())) {
            return loadJavaKey(alias, chain, key);
        }
        try {
            long handle = SslNative.credentialNew(encoded(alias, chain), pkcs8);
            return new Credential(alias, chain.clone(), handle);
        } catch (SSLException e) {
            throw unusable(alias, e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /**
     * A key without an encoding (a PKCS#11 token's, an HSM's, any provider's that keeps it): it
     * stays in Java and signs there, through java.security.Signature, for each handshake.
     */
    private static Credential loadJavaKey(String alias, X509Certificate[] chain, PrivateKey key) throws SSLException {
        if (NativeRuntime.fipsMode()) {
            // The signature would be Java's provider's, not the FIPS module's: FIPS mode signs only in OpenSSL.
            throw new SSLHandshakeException("the private key of alias \"" + alias + "\" (" + key.getAlgorithm() + ", "
                + key.getClass().getName() + ") has no PKCS#8 encoding, and in FIPS mode (io.nativetls.fips=true)"
                + " NativeTLS signs only with OpenSSL's FIPS provider: a key that signs in Java cannot be used");
        }
        JavaKeySigner signer = JavaKeySigner.of(alias, key);
        if (signer == null) {
            throw new SSLHandshakeException("the private key of alias \"" + alias + "\" (" + key.getAlgorithm()
                + ", " + key.getClass().getName() + ") has no PKCS#8 encoding and is not a key TLS signs with"
                + " (EC, RSA, RSASSA-PSS, EdDSA)");
        }
        String certificateFamily = JavaKeySigner.familyOf(chain[0].getPublicKey().getAlgorithm());
        if (!signer.family().equals(certificateFamily)) {
            throw new SSLHandshakeException("the private key of alias \"" + alias + "\" is " + key.getAlgorithm()
                + " but its certificate's key is " + chain[0].getPublicKey().getAlgorithm()
                + ": key and certificate do not match");
        }
        try {
            long handle = SslNative.credentialNewJavaKey(encoded(alias, chain), signer);
            return new Credential(alias, chain.clone(), handle);
        } catch (SSLException e) {
            throw unusable(alias, e);
        }
    }

    /** An RSA key without CRT values: OpenSSL gets n and d (e comes from the certificate), not PKCS#8. */
    private static Credential loadRsa(String alias, X509Certificate[] chain, RsaWithoutCrt key) throws SSLException {
        byte[] d = key.privateExponent.toByteArray();
        try {
            long handle = SslNative.credentialNewRsa(encoded(alias, chain), key.modulus.toByteArray(), d);
            return new Credential(alias, chain.clone(), handle);
        } catch (SSLException e) {
            throw unusable(alias, e);
        } finally {
            Arrays.fill(d, (byte) 0);
        }
    }

    private static byte[][] encoded(String alias, X509Certificate[] chain) throws SSLHandshakeException {
        byte[][] der = new byte[chain.length][];
        try {
            for (int i = 0; i < chain.length; i++) {
                der[i] = chain[i].getEncoded();
            }
        } catch (CertificateEncodingException e) {
            throw new SSLHandshakeException("certificate of alias \"" + alias + "\" cannot be encoded: " + e);
        }
        return der;
    }

    private static SSLHandshakeException unusable(String alias, SSLException e) {
        SSLHandshakeException wrapped = new SSLHandshakeException(
            "key or certificate of alias \"" + alias + "\" unusable: " + e.getMessage());
        wrapped.initCause(e);
        return wrapped;
    }
}
