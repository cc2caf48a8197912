package io.nativetls.testing;

import java.security.PrivateKey;

/**
 * A PrivateKey with whatever algorithm, format and encoding it is given: a broken key, or (with a
 * null encoding) one that, like a key inside a token or HSM, will not give out its encoding.
 */
public final class RawPrivateKey implements PrivateKey {
    private static final long serialVersionUID = 1L;
    private final String algorithm;
    private final String format;
    private final byte[] encoded;

    public RawPrivateKey(String algorithm, String format, byte[] encoded) {
        this.algorithm = algorithm;
        this.format = format;
        this.encoded = encoded == null ? null : encoded.clone();
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return format;
    }

    @Override
    public byte[] getEncoded() {
        return encoded == null ? null : encoded.clone();
    }
}
