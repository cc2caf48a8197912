package io.nativetls.internal.tool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** JSSE key and trust managers for the tool, from PEM files or Java's defaults. */
final class KeyMaterial {
    private static final char[] PASSWORD = "nativetls-tool".toCharArray();

    private KeyMaterial() {}

    /** Key managers presenting chain (leaf first) with key; fails clearly when key is not the leaf's. */
    static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key, Path keyFile) throws ToolFailure {
        checkPair(chain.get(0), key, keyFile);
        try {
            KeyStore ks = emptyStore();
            ks.setKeyEntry("server", key, PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new ToolFailure("the key and certificate cannot be used: " + e.getMessage(), e);
        }
    }

    /** Trust in the certificates of caFile, or Java's default trust store (cacerts) when caFile is null. */
    static TrustManager[] trustManagers(Path caFile) throws ToolFailure {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore ks = emptyStore();
                int i = 0;
                for (X509Certificate ca : PemReader.certificates(caFile)) {
                    ks.setCertificateEntry("ca-" + i++, ca);
                }
                tmf.init(ks);
            }
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new ToolFailure("cannot set up trust: " + e.getMessage(), e);
        }
    }

    /** Signs with key and verifies with the certificate's public key: the only sure test that they match. */
    private static void checkPair(X509Certificate leaf, PrivateKey key, Path keyFile) throws ToolFailure {
        String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "EC":
                algorithm = "SHA256withECDSA";
                break;
            case "Ed25519":
            case "Ed448":
            case "EdDSA":
                algorithm = key.getAlgorithm();
                break;
            default:
                return; // the provider's own check at init reports a mismatch
        }
        boolean matches;
        try {
            byte[] probe = "nativetls key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new ToolFailure("the private key in " + keyFile + " does not belong to the first certificate ("
                + leaf.getSubjectX500Principal().getName() + ")");
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return ks;
    }
}
