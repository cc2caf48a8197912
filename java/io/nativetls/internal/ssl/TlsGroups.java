package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.NativeLibrary;
import io.nativetls.internal.jni.SslNative;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The TLS key exchange groups the loaded OpenSSL offers, by IANA name: what its providers list
 * (the list the tool's {@code info} prints), so a name OpenSSL gains with a new version or
 * provider (the ML-KEM hybrids of 3.5, brainpoolP256r1tls13, ...) is usable without a change here.
 * Asked once per JVM: the providers a process has loaded do not change under a running context.
 */
final class TlsGroups {
    /** One group: the name OpenSSL spells it with, and what jdk.tls.disabledAlgorithms checks. */
    static final class Group {
        final String name;
        final String family;
        final int bits;

        Group(String name, String family, int bits) {
            this.name = name;
            this.family = family;
            this.bits = bits;
        }
    }

    private static volatile Map<String, Group> offered;
    private static volatile Set<String> notApproved;

    private TlsGroups() {}

    /** The group OpenSSL offers under this IANA name (any case), or null when it has none. */
    static Group find(String name) {
        return name == null ? null : offered().get(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Whether OpenSSL has a group of this name but NativeTLS's FIPS library context does not: in
     * FIPS mode (io.nativetls.fips=true) a name the FIPS provider does not approve. False outside FIPS mode.
     */
    static boolean notApprovedInFips(String name) {
        if (name == null || !SslNative.ownLibraryContext()) {
            return false;
        }
        Set<String> refused = notApproved;
        if (refused == null) {
            Set<String> outside = new HashSet<>();
            try {
                outside.addAll(parse(SslNative.tlsGroups(true)).keySet());
            } catch (SSLException e) {
                // the process's own context lists nothing: every name missing here is then just unknown
            }
            outside.removeAll(offered().keySet());
            refused = Set.copyOf(outside);
            notApproved = refused;
        }
        return refused.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    private static Map<String, Group> offered() {
        Map<String, Group> m = offered;
        if (m == null) {
            NativeLibrary.ensureLoaded();
            String[] entries;
            try {
                entries = SslNative.tlsGroups(false);
            } catch (SSLException e) {
                // OpenSSL could not list its own providers: nothing sensible can be offered.
                throw new IllegalStateException("OpenSSL's TLS groups could not be listed: " + e.getMessage(), e);
            }
            m = parse(entries);
            offered = m;
        }
        return m;
    }

    /**
     * Entries "name id minTLS maxTLS" to groups by lower-case name. Providers list aliases of one
     * code point (secp256r1, then P-256): only the first, the IANA name, is taken, as SunJSSE knows
     * groups by IANA name only. A group OpenSSL marks as not for TLS (-1, DTLS only) is left out.
     */
    static Map<String, Group> parse(String[] entries) {
        Map<String, Group> byName = new LinkedHashMap<>();
        Set<Integer> ids = new HashSet<>();
        for (String entry : entries) {
            String[] f = entry.split(" ");
            if (f.length != 4) {
                continue;
            }
            int id;
            int min;
            int max;
            try {
                id = Integer.parseInt(f[1]);
                min = Integer.parseInt(f[2]);
                max = Integer.parseInt(f[3]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (min == -1 || max == -1 || !ids.add(id)) {
                continue;
            }
            byName.putIfAbsent(f[0].toLowerCase(Locale.ROOT), policyKey(f[0]));
        }
        return Collections.unmodifiableMap(byName);
    }

    /**
     * The key algorithm family and size jdk.tls.disabledAlgorithms entries such as "EC keySize &lt; 256"
     * or "DH keySize &lt; 2048" compare a group against, read off its IANA name; a group of no known
     * family (family "") is matched only by its name.
     */
    static Group policyKey(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("mlkem")) {
            return new Group(name, "ML-KEM", trailingNumber(lower));
        }
        if (lower.startsWith("ffdhe")) {
            return new Group(name, "DH", trailingNumber(lower));
        }
        if (lower.equals("x25519")) {
            return new Group(name, "XDH", 255);
        }
        if (lower.equals("x448")) {
            return new Group(name, "XDH", 448);
        }
        if (lower.startsWith("secp") || lower.startsWith("sect")) {
            return new Group(name, "EC", leadingNumber(lower, 4));
        }
        if (lower.startsWith("brainpoolp")) {
            return new Group(name, "EC", leadingNumber(lower, "brainpoolp".length()));
        }
        return new Group(name, "", 0);
    }

    private static int trailingNumber(String s) {
        int end = s.length();
        int start = end;
        while (start > 0 && Character.isDigit(s.charAt(start - 1))) {
            start--;
        }
        return start == end ? 0 : Integer.parseInt(s.substring(start, end));
    }

    private static int leadingNumber(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end == from ? 0 : Integer.parseInt(s.substring(from, end));
    }
}
