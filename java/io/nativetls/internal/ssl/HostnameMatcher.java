package io.nativetls.internal.ssl;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The server identity check of RFC 2818 / RFC 6125 that endpoint identification ("HTTPS",
 * "LDAPS") asks for: IP literals against IP address SANs, names against DNS SANs with a wildcard
 * allowed only as the whole left-most label, and the subject CN only when there is no DNS SAN.
 * Used when the application's trust manager is a plain X509TrustManager, which cannot do it.
 */
final class HostnameMatcher {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {}

    static void check(String host, X509Certificate cert) throws CertificateException {
        if (host == null || host.isEmpty()) {
            throw new CertificateException("endpoint identification needs the peer's host name, and there is none"
                + " (create the engine with createSSLEngine(host, port))");
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isIpLiteral(h)) {
            checkIp(h, cert);
        } else {
            checkDns(h, cert);
        }
    }

    private static boolean isIpLiteral(String h) {
        return h.indexOf(':') >= 0 || h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static void checkIp(String literal, X509Certificate cert) throws CertificateException {
        InetAddress want = literalAddress(literal);
        for (List<?> san : sans(cert)) {
            if (((Integer) san.get(0)) == SAN_IP && want.equals(literalAddress((String) san.get(1)))) {
                return;
            }
        }
        throw new CertificateException("No subject alternative names matching IP address " + literal + " found");
    }

    private static InetAddress literalAddress(String literal) throws CertificateException {
        try {
            // Only literals reach here, so no name lookup happens.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new CertificateException("not an IP address: " + literal, e);
        }
    }

    private static void checkDns(String host, X509Certificate cert) throws CertificateException {
        String name = normalise(IDN.toASCII(host));
        boolean anyDns = false;
        for (List<?> san : sans(cert)) {
            if (((Integer) san.get(0)) == SAN_DNS) {
                anyDns = true;
                if (matches(name, normalise((String) san.get(1)))) {
                    return;
                }
            }
        }
        if (!anyDns) {
            String cn = commonName(cert);
            if (cn != null && matches(name, normalise(cn))) {
                return;
            }
            throw new CertificateException("No name matching " + host + " found");
        }
        throw new CertificateException("No subject alternative DNS name matching " + host + " found.");
    }

    static boolean matches(String name, String pattern) {
        if (!pattern.startsWith("*.")) {
            return name.equals(pattern);
        }
        String suffix = pattern.substring(1);
        if (suffix.indexOf('.', 1) < 0 || !name.endsWith(suffix)) {
            return false; // "*.com" never matches; the rest must be equal
        }
        String first = name.substring(0, name.length() - suffix.length());
        return !first.isEmpty() && first.indexOf('.') < 0;
    }

    private static String normalise(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static Collection<List<?>> sans(X509Certificate cert) throws CertificateParsingException {
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        return sans == null ? List.of() : sans;
    }

    private static String commonName(X509Certificate cert) {
        try {
            List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if ("CN".equalsIgnoreCase(rdns.get(i).getType())) {
                    return rdns.get(i).getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
