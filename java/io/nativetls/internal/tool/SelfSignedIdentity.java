package io.nativetls.internal.tool;

import io.nativetls.internal.ssl.NativeRuntime;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** A throwaway self-signed identity (made by OpenSSL) as JSSE key and trust managers. */
final class SelfSignedIdentity {
    private static final char[] PASSWORD = "nativetls".toCharArray();

    final X509Certificate certificate;
    final PrivateKey key;

    SelfSignedIdentity(String host) throws SSLException, GeneralSecurityException {
        byte[][] made = NativeRuntime.selfSignedCertificate(host);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        this.certificate = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(made[0]));
        this.key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(made[1]));
    }

    KeyManager[] keyManagers() throws GeneralSecurityException {
        KeyStore ks = emptyStore();
        ks.setKeyEntry("self", key, PASSWORD, new Certificate[] {certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        return kmf.getKeyManagers();
    }

    TrustManager[] trustManagers() throws GeneralSecurityException {
        KeyStore ks = emptyStore();
        ks.setCertificateEntry("self", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return ks;
    }
}
