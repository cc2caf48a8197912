package io.nativetls.internal.ssl;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;

/**
 * An RSA private key known only by its modulus and private exponent, as RSAPrivateKeySpec(n, d)
 * makes it and some key managers and HSM bridges hand it over. Its PKCS#8 encoding has zeros where
 * e, p, q and the CRT values go, which OpenSSL reads as another key, so such keys go to OpenSSL as
 * n and d instead. (A CRT key whose CRT values are zero stays on the PKCS#8 path and is refused
 * there, as SunJSSE cannot sign with it either.)
 */
final class RsaWithoutCrt {
    final BigInteger modulus;
    final BigInteger privateExponent;

    private RsaWithoutCrt(BigInteger modulus, BigInteger privateExponent) {
        this.modulus = modulus;
        this.privateExponent = privateExponent;
    }

    /** The key's n and d if it is an RSA (or RSASSA-PSS) key without CRT values, else null. */
    static RsaWithoutCrt of(PrivateKey key) {
        if (!(key instanceof RSAPrivateKey) || key instanceof RSAPrivateCrtKey) {
            return null;
        }
        RSAPrivateKey rsa = (RSAPrivateKey) key;
        BigInteger n;
        BigInteger d;
        try {
            n = rsa.getModulus();
            d = rsa.getPrivateExponent();
        } catch (RuntimeException e) {
            return null; // a token's handle that keeps d to itself: the PKCS#8 path says what to do
        }
        return n == null || d == null || n.signum() <= 0 || d.signum() <= 0 ? null : new RsaWithoutCrt(n, d);
    }
}
