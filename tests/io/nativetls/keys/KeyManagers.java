package io.nativetls.keys;

import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.TestPki;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.RSAPrivateKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;

/** Key managers that hand over keys in the forms some key managers and HSM bridges do. */
public final class KeyManagers {
    private KeyManagers() {}

    /** The test PKI's key manager for names (SunJSSE's PKIX key manager over a PKCS#12 store). */
    public static X509ExtendedKeyManager pkix(String... names) {
        return (X509ExtendedKeyManager) TestPki.get().keyManagers(names)[0];
    }

    /**
     * The RSA key as RSAPrivateKeySpec(n, d) makes it: no public exponent, no primes, no CRT values.
     * The JDK's factory really returns a key without them (checked, so the tests cannot pass on a
     * CRT key by accident).
     */
    public static RSAPrivateKey withoutCrt(java.math.BigInteger modulus, java.math.BigInteger privateExponent) {
        return withoutCrt("RSA", new RSAPrivateKeySpec(modulus, privateExponent));
    }

    private static RSAPrivateKey withoutCrt(String algorithm, RSAPrivateKeySpec spec) {
        try {
            PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
            if (key instanceof RSAPrivateCrtKey) {
                throw new IllegalStateException("the JDK made a CRT key from RSAPrivateKeySpec: " + key.getClass());
            }
            return (RSAPrivateKey) key;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** name's key without CRT fields (an RSASSA-PSS key keeps its algorithm and parameters). */
    public static RSAPrivateKey withoutCrt(String name) {
        RSAPrivateKey full = (RSAPrivateKey) TestPki.get().privateKey(name);
        return withoutCrt(full.getAlgorithm(),
            new RSAPrivateKeySpec(full.getModulus(), full.getPrivateExponent(), full.getParams()));
    }

    /**
     * Records the key types it is asked for, and answers every private key request with a fixed key
     * (counting how often it hands it over).
     */
    public static final class Handing extends DelegatingKeyManager {
        public final List<String> serverKeyTypes = Collections.synchronizedList(new ArrayList<>());
        public final List<List<String>> clientKeyTypes = Collections.synchronizedList(new ArrayList<>());
        public final AtomicInteger handed = new AtomicInteger();
        private final PrivateKey key;

        /** key null: the delegate's own keys. */
        public Handing(X509ExtendedKeyManager d, PrivateKey key) {
            super(d);
            this.key = key;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            PrivateKey own = super.getPrivateKey(alias);
            if (own == null || key == null) {
                return own;
            }
            handed.incrementAndGet();
            return key;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, java.security.Principal[] issuers,
                                              javax.net.ssl.SSLEngine engine) {
            serverKeyTypes.add(keyType);
            return super.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            serverKeyTypes.add(keyType);
            return super.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                                              javax.net.ssl.SSLEngine engine) {
            clientKeyTypes.add(List.of(keyType));
            return super.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            clientKeyTypes.add(List.of(keyType));
            return super.chooseClientAlias(keyType, issuers, socket);
        }

        public KeyManager[] array() {
            return new KeyManager[] {this};
        }
    }
}
