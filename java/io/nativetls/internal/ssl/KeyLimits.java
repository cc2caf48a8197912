package io.nativetls.internal.ssl;

import java.lang.System.Logger.Level;
import java.security.Security;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The security property {@code jdk.tls.keyLimits}: how many bytes a TLS 1.3 traffic key may
 * protect before the connection changes it with a KeyUpdate. OpenSSL counts nothing of the kind,
 * so the engine counts (see {@code KeyUsage}) and asks for the update itself.
 *
 * <p>The syntax is SunJSSE's: entries {@code "Transformation KeyUpdate Length"} separated by
 * commas, the transformation as a JCE name ({@code AES/GCM/NoPadding}, {@code ChaCha20-Poly1305};
 * NativeTLS also reads {@code AES/CCM/NoPadding}, which SunJSSE has no suite for), the length in
 * bytes or as a power of two ({@code 2^37}). As SunJSSE, an entry with another action or a length
 * outside 1..2^62 is skipped (and logged at DEBUG); SunJSSE reads the property once per JVM,
 * NativeTLS when each SSLContext is created.
 */
public final class KeyLimits {
    public static final String PROPERTY = "jdk.tls.keyLimits";
    private static final System.Logger LOG = System.getLogger("io.nativetls");
    private static final String ACTION = "KEYUPDATE";
    private static final long MAX = 1L << 62;
    private static final KeyLimits NONE = new KeyLimits(Map.of());

    /** Upper-case transformation to its limit in bytes. */
    private final Map<String, Long> limits;

    private KeyLimits(Map<String, Long> limits) {
        this.limits = limits;
    }

    /** The property as it is now. */
    public static KeyLimits current() {
        return parse(Security.getProperty(PROPERTY));
    }

    static KeyLimits parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        Map<String, Long> out = new HashMap<>();
        for (String entry : value.split(",")) {
            String[] words = entry.trim().toUpperCase(Locale.ROOT).split("\\s+");
            if (words.length != 3 || !words[1].equals(ACTION)) {
                LOG.log(Level.DEBUG, () -> PROPERTY + ": entry skipped (not \"transformation KeyUpdate length\"): "
                    + entry.trim());
                continue;
            }
            long length = length(words[2]);
            if (length < 1 || length > MAX) {
                LOG.log(Level.DEBUG, () -> PROPERTY + ": entry skipped (length outside 1..2^62): " + entry.trim());
                continue;
            }
            out.put(words[0], length);
        }
        return new KeyLimits(Map.copyOf(out));
    }

    /** bytes, or 2^k; -1 when it is neither. */
    private static long length(String word) {
        try {
            int power = word.indexOf('^');
            if (power < 0) {
                return Long.parseLong(word);
            }
            if (!word.substring(0, power).equals("2")) {
                return -1;
            }
            int exponent = Integer.parseInt(word.substring(power + 1));
            return exponent < 0 || exponent > 62 ? -1 : 1L << exponent;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The bytes a key of this TLS 1.3 suite (IANA name) may protect, or 0 for no limit (TLS 1.2
     * suites: SunJSSE applies the property to TLS 1.3 only, which alone has KeyUpdate).
     */
    public long forSuite(String cipherSuite) {
        String transformation = transformation(cipherSuite);
        return transformation == null ? 0 : limits.getOrDefault(transformation, 0L);
    }

    private static String transformation(String suite) {
        if (suite == null) {
            return null;
        }
        switch (suite) {
            case "TLS_AES_128_GCM_SHA256":
            case "TLS_AES_256_GCM_SHA384":
                return "AES/GCM/NOPADDING";
            case "TLS_CHACHA20_POLY1305_SHA256":
                return "CHACHA20-POLY1305";
            case "TLS_AES_128_CCM_SHA256":
            case "TLS_AES_128_CCM_8_SHA256":
                return "AES/CCM/NOPADDING";
            default:
                return null;
        }
    }
}
