package io.nativetls.internal.ssl;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.security.auth.x500.X500Principal;

/** Certificates and names as the native side hands them over (DER) turned into Java's types. */
final class CertificateDecoder {
    /** A CertificateFactory per thread: getInstance walks the providers, too slow for every handshake. */
    private static final ThreadLocal<CertificateFactory> FACTORY = ThreadLocal.withInitial(() -> {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("no X.509 certificate factory", e);
        }
    });

    private CertificateDecoder() {}

    static X509Certificate[] chain(byte[][] der) throws SSLHandshakeException {
        try {
            CertificateFactory factory = FACTORY.get();
            X509Certificate[] chain = new X509Certificate[der.length];
            for (int i = 0; i < der.length; i++) {
                chain[i] = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der[i]));
            }
            return chain;
        } catch (CertificateException e) {
            throw new SSLHandshakeException("peer certificate cannot be parsed: " + e.getMessage());
        }
    }

    /** The issuers a certificate request names, or null when it names none. */
    static X500Principal[] issuers(byte[][] names) {
        if (names == null || names.length == 0) {
            return null;
        }
        List<X500Principal> out = new ArrayList<>(names.length);
        for (byte[] der : names) {
            if (der != null) {
                try {
                    out.add(new X500Principal(der));
                } catch (IllegalArgumentException e) {
                    // a name Java cannot parse cannot match any of its certificates
                }
            }
        }
        return out.toArray(new X500Principal[0]);
    }
}
