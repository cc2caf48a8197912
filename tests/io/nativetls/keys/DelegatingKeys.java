package io.nativetls.keys;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small JCA provider whose private keys have no encoding, as a token's or a KMS's: an
 * {@link OpaqueKey} wraps a real key and only this provider's Signature accepts it, signing by
 * delegation to the JDK with the wrapped key. Every signature is counted per key, so a test can
 * prove that its handshake really was signed here, and a key can be told to fail.
 */
final class DelegatingKeys extends Provider {
    private static final long serialVersionUID = 1L;
    static final String NAME = "NativeTlsTestDelegatingKeys";
    private static final List<String> ALGORITHMS = List.of("SHA1withECDSA", "SHA224withECDSA", "SHA256withECDSA",
        "SHA384withECDSA", "SHA512withECDSA", "SHA1withRSA", "SHA224withRSA", "SHA256withRSA", "SHA384withRSA",
        "SHA512withRSA", "RSASSA-PSS", "EdDSA", "Ed25519", "Ed448");

    private DelegatingKeys() {
        super(NAME, "1", "signs with OpaqueKey by delegation (NativeTLS tests)");
        for (String algorithm : ALGORITHMS) {
            putService(new Service(this, "Signature", algorithm, Spi.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) {
                    return new Spi(algorithm);
                }

                @Override
                public boolean supportsParameter(Object key) {
                    return key instanceof OpaqueKey;
                }
            });
        }
    }

    /** Installs the provider (last, so it serves only the keys no other provider takes) once. */
    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.addProvider(new DelegatingKeys());
        }
    }

    /** A private key without encoding that only this provider signs with. */
    static final class OpaqueKey implements PrivateKey {
        private static final long serialVersionUID = 1L;
        final transient PrivateKey inner;
        final transient AtomicInteger signatures = new AtomicInteger();
        /** The JCA algorithm of the last signature, with ":" and the PSS digest where there was one. */
        transient volatile String lastAlgorithm;
        /** When set, signing throws this (a token that refuses, a KMS that is down). */
        transient volatile SignatureException failure;

        OpaqueKey(PrivateKey inner) {
            this.inner = inner;
        }

        @Override
        public String getAlgorithm() {
            return inner.getAlgorithm();
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    /** Signs with the OpaqueKey's inner key through the JDK's own provider. */
    public static final class Spi extends SignatureSpi {
        private final String algorithm;
        private OpaqueKey key;
        private Signature delegate;
        private String pssDigest;

        Spi(String algorithm) {
            this.algorithm = algorithm;
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            if (!(privateKey instanceof OpaqueKey)) {
                throw new InvalidKeyException("only OpaqueKey");
            }
            key = (OpaqueKey) privateKey;
            try {
                delegate = Signature.getInstance(algorithm);
            } catch (GeneralSecurityException e) {
                throw new InvalidKeyException(e);
            }
            delegate.initSign(key.inner);
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            throw new InvalidKeyException("signing only");
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
            delegate.setParameter(params);
            if (params instanceof PSSParameterSpec) {
                pssDigest = ((PSSParameterSpec) params).getDigestAlgorithm();
            }
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return delegate.getParameters();
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            delegate.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            delegate.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            SignatureException failure = key.failure;
            if (failure != null) {
                throw failure;
            }
            byte[] signature = delegate.sign();
            key.lastAlgorithm = pssDigest == null ? algorithm : algorithm + ":" + pssDigest;
            key.signatures.incrementAndGet();
            return signature;
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            throw new SignatureException("signing only");
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new UnsupportedOperationException();
        }
    }
}
