package io.nativetls.internal.tool;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the x86 capability words OpenSSL reports ({@code OpenSSL_version(OPENSSL_CPU_INFO)}, e.g.
 * "CPUINFO: OPENSSL_ia32cap=0xfffa32034f8bffff:0x1a415f46f1bf2ffb"). These are the bits OpenSSL acts
 * on (after masking what the OS does not enable), laid out as OPENSSL_ia32cap(3) documents: word 0 is
 * CPUID(1) EDX (low half) and ECX (high half), word 1 is CPUID(7,0) EBX (low) and ECX (high).
 */
final class CpuFeatures {
    private static final Pattern WORDS = Pattern.compile("OPENSSL_ia32cap=0x([0-9a-fA-F]{1,16}):0x([0-9a-fA-F]{1,16})");

    /** Feature name and its bit in the 128 bits of words 0 and 1. */
    private static final Map<String, Integer> BITS = new LinkedHashMap<>();

    static {
        BITS.put("AES-NI", 57);       // CPUID(1).ECX bit 25
        BITS.put("PCLMULQDQ", 33);    // CPUID(1).ECX bit 1
        BITS.put("AVX", 60);          // CPUID(1).ECX bit 28
        BITS.put("AVX2", 64 + 5);     // CPUID(7).EBX bit 5
        BITS.put("AVX512F", 64 + 16); // CPUID(7).EBX bit 16
        BITS.put("SHA", 64 + 29);     // CPUID(7).EBX bit 29
        BITS.put("VAES", 64 + 41);    // CPUID(7).ECX bit 9
        BITS.put("VPCLMULQDQ", 64 + 42); // CPUID(7).ECX bit 10
    }

    private CpuFeatures() {}

    /** Whether each feature is on, in a fixed order; null when the string holds no x86 words. */
    static Map<String, Boolean> decode(String cpuInfo) {
        if (cpuInfo == null) {
            return null;
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return null;
        }
        Matcher m = WORDS.matcher(cpuInfo);
        if (!m.find()) {
            return null;
        }
        long[] words = {Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)};
        Map<String, Boolean> features = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : BITS.entrySet()) {
            int bit = e.getValue();
            features.put(e.getKey(), (words[bit / 64] >>> (bit % 64) & 1) != 0);
        }
        return features;
    }
}
