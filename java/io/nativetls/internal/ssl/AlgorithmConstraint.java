package io.nativetls.internal.ssl;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One entry of a disabledAlgorithms security property, in the syntax of java.security: an
 * algorithm name, optionally followed by "&"-joined conditions ("keySize &lt; 1024", "usage
 * TLSServer", "jdkCA", "denyAfter 2019-01-01"). The entry disables its algorithm where all its
 * conditions hold; a bare name disables it everywhere.
 */
final class AlgorithmConstraint {
    /** Where a name is used, for the "usage" condition. */
    enum Use { TLS_SERVER, TLS_CLIENT, HANDSHAKE_SIGNATURE, OTHER }

    final String algorithm;
    private final List<String[]> keySizes = new ArrayList<>(1); // {operator, size}
    private final List<String> usages = new ArrayList<>(1);
    private boolean jdkCa;
    private LocalDate denyAfter;
    /** A condition this code does not know: the entry is kept but never applies (SunJSSE would reject the property). */
    private boolean unknown;

    private AlgorithmConstraint(String algorithm) {
        this.algorithm = algorithm;
    }

    static AlgorithmConstraint parse(String entry) {
        String e = entry.trim();
        int space = e.indexOf(' ');
        if (space < 0) {
            return new AlgorithmConstraint(e);
        }
        AlgorithmConstraint c = new AlgorithmConstraint(e.substring(0, space));
        for (String part : e.substring(space + 1).split("&")) {
            String[] words = part.trim().split("\\s+");
            String what = words[0].toLowerCase(Locale.ROOT);
            if (what.equals("keysize") && words.length == 3) {
                c.keySizes.add(new String[] {words[1], words[2]});
            } else if (what.equals("usage") && words.length > 1) {
                for (int i = 1; i < words.length; i++) {
                    c.usages.add(words[i].toLowerCase(Locale.ROOT));
                }
            } else if (what.equals("jdkca")) {
                c.jdkCa = true;
            } else if (what.equals("denyafter") && words.length == 2) {
                try {
                    c.denyAfter = LocalDate.parse(words[1]);
                } catch (DateTimeParseException ex) {
                    c.unknown = true;
                }
            } else {
                c.unknown = true;
            }
        }
        return c;
    }

    boolean bare() {
        return keySizes.isEmpty() && usages.isEmpty() && !jdkCa && denyAfter == null && !unknown;
    }

    boolean hasKeySize() {
        return !keySizes.isEmpty();
    }

    /**
     * Whether the conditions other than the key size hold for a use of the algorithm. jdkCA needs
     * a chain ending at one of the JDK's own CAs: NativeTLS's checks here never see such an
     * anchor (the application's trust manager does), so it does not apply, as in SunJSSE for a
     * chain not anchored there.
     */
    boolean appliesTo(Use use) {
        if (unknown || jdkCa) {
            return false;
        }
        if (denyAfter != null && !LocalDate.now().isAfter(denyAfter)) {
            return false;
        }
        if (usages.isEmpty()) {
            return true;
        }
        String wanted = use == Use.TLS_SERVER ? "tlsserver" : use == Use.TLS_CLIENT ? "tlsclient"
            : use == Use.HANDSHAKE_SIGNATURE ? "handshakesignature" : "";
        return usages.contains(wanted);
    }

    /** Whether a key of this size is disabled by the key size conditions (all must hold). */
    boolean disablesSize(int bits) {
        if (keySizes.isEmpty()) {
            return true;
        }
        for (String[] k : keySizes) {
            int limit;
            try {
                limit = Integer.parseInt(k[1]);
            } catch (NumberFormatException e) {
                return false;
            }
            boolean holds;
            switch (k[0]) {
                case "<": holds = bits < limit; break;
                case "<=": holds = bits <= limit; break;
                case ">": holds = bits > limit; break;
                case ">=": holds = bits >= limit; break;
                case "==": holds = bits == limit; break;
                case "!=": holds = bits != limit; break;
                default: holds = false;
            }
            if (!holds) {
                return false;
            }
        }
        return true;
    }
}
