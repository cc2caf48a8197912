package io.nativetls.internal.ssl;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;

/**
 * An RSA private key known only by its modulus and private exponent: the JDK's key from
 * RSAPrivateKeySpec(n, d), or a CRT key whose CRT values are missing (zero), as some key managers
 * and HSM bridges hand over. Its PKCS#8 encoding has zeros where e, p, q and the CRT values go,
 * which OpenSSL cannot sign with, so such keys go to OpenSSL as n and d instead.
 */
final class RsaWithoutCrt {
    final BigInteger modulus;
    final BigInteger privateExponent;

    private RsaWithoutCrt(BigInteger modulus, BigInteger privateExponent) {
        this.modulus = modulus;
        this.privateExponent = privateExponent;
    }

    /** The key's n and d if it is an RSA (or RSASSA-PSS) key without usable CRT values, else null. */
    static RsaWithoutCrt of(PrivateKey key) {
        if (!(key instanceof RSAPrivateKey) || (key instanceof RSAPrivateCrtKey && hasCrt((RSAPrivateCrtKey) key))) {
            return null;
        }
        RSAPrivateKey rsa = (RSAPrivateKey) key;
        BigInteger n = rsa.getModulus();
        BigInteger d = rsa.getPrivateExponent();
        // A key that keeps d to itself (a token's handle) has no n and d to give: the PKCS#8 path explains.
        return n == null || d == null || n.signum() <= 0 || d.signum() <= 0 ? null : new RsaWithoutCrt(n, d);
    }

    private static boolean hasCrt(RSAPrivateCrtKey key) {
        return positive(key.getPublicExponent()) && positive(key.getPrimeP()) && positive(key.getPrimeQ())
            && positive(key.getPrimeExponentP()) && positive(key.getPrimeExponentQ())
            && positive(key.getCrtCoefficient());
    }

    private static boolean positive(BigInteger v) {
        return v != null && v.signum() > 0;
    }
}
