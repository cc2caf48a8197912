package io.nativetls.internal.tool;

import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/** A readable description of a certificate chain: subject, issuer, validity, key, names, fingerprint. */
final class CertificateText {
    private CertificateText() {}

    static void print(PrintStream out, Certificate[] chain) {
        for (int i = 0; i < chain.length; i++) {
            if (!(chain[i] instanceof X509Certificate)) {
                out.printf(" %d %s certificate%n", i, chain[i].getType());
                continue;
            }
            X509Certificate c = (X509Certificate) chain[i];
            out.printf(" %d subject:  %s%n", i, c.getSubjectX500Principal().getName());
            out.printf("   issuer:   %s%n", c.getIssuerX500Principal().getName());
            out.printf("   valid:    %s to %s (%s)%n", c.getNotBefore().toInstant(), c.getNotAfter().toInstant(),
                validity(c));
            out.printf("   key:      %s, signed with %s%n", key(c.getPublicKey()), c.getSigAlgName());
            List<String> names = subjectAltNames(c);
            if (!names.isEmpty()) {
                out.printf("   SANs:     %s%n", String.join(", ", names));
            }
            out.printf("   SHA-256:  %s%n", fingerprint(c));
        }
    }

    private static String validity(X509Certificate c) {
        Instant now = Instant.now();
        if (now.isBefore(c.getNotBefore().toInstant())) {
            return "NOT YET VALID";
        }
        if (now.isAfter(c.getNotAfter().toInstant())) {
            return "EXPIRED";
        }
        return Duration.between(now, c.getNotAfter().toInstant()).toDays() + " days left";
    }

    static String key(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return "RSA " + ((RSAPublicKey) key).getModulus().bitLength() + " bits";
        }
        if (key instanceof ECPublicKey) {
            // The JDK's named curves print as "secp256r1 [NIST P-256, X9.62 prime256v1] (1.2.840.10045.3.1.7)".
            String curve = ((ECPublicKey) key).getParams().toString();
            int paren = curve.indexOf(" (");
            int bits = ((ECPublicKey) key).getParams().getOrder().bitLength();
            return "EC " + (paren > 0 ? curve.substring(0, paren) : "curve") + ", " + bits + " bits";
        }
        return key.getAlgorithm();
    }

    private static List<String> subjectAltNames(X509Certificate c) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans == null) {
                return names;
            }
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                Object value = san.get(1);
                String kind = type == 2 ? "DNS" : type == 7 ? "IP" : type == 1 ? "email" : type == 6 ? "URI"
                    : "type" + type;
                names.add(kind + ":" + (value instanceof String ? value : "(binary)"));
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable: " + e.getMessage() + ")");
        }
        return names;
    }

    private static String fingerprint(X509Certificate c) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }
}
