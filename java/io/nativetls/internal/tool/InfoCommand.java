package io.nativetls.internal.tool;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import io.nativetls.internal.ssl.NativeRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** {@code info}: what this NativeTLS runs on and what it can negotiate. */
final class InfoCommand {
    static final Set<String> OPTIONS = Set.of();
    private static final String LABEL = "%-16s%s%n";

    private final PrintStream out;

    InfoCommand(Console console) {
        this.out = console.out;
    }

    int run(Options options) throws ToolFailure, UsageException {
        if (!options.positional().isEmpty()) {
            throw new UsageException("info takes no arguments");
        }
        out.printf(LABEL, "NativeTLS:", version());
        out.printf(LABEL, "Java:", System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor")
            + ", " + System.getProperty("java.home") + ")");
        if (!NativeTls.isAvailable()) {
            out.printf(LABEL, "Native:", "NOT AVAILABLE: " + NativeTls.unavailabilityCause().getMessage());
            return Main.EXIT_FAILED;
        }
        String[] library;
        try {
            library = NativeRuntime.libraryInfo();
        } catch (javax.net.ssl.SSLException e) {
            throw new ToolFailure("reading OpenSSL's information failed: " + e.getMessage(), e);
        }
        List<String> maps = mappedFiles();
        out.printf(LABEL, "OpenSSL:", NativeTls.openSslVersion());
        out.printf(LABEL, "  libssl:", mapped(maps, "libssl.so"));
        out.printf(LABEL, "  libcrypto:", mapped(maps, "libcrypto.so"));
        out.printf(LABEL, "  " + unquoteLabel(library[1]) + ":", unquoteValue(library[1]));
        out.printf(LABEL, "  " + unquoteLabel(library[2]) + ":", unquoteValue(library[2]));
        out.printf(LABEL, "Native library:", nativeLibrary(maps));
        printProviders();
        printCpu(library[0]);
        printParameters();
        printGroups(Arrays.copyOfRange(library, 3, library.length));
        return Main.EXIT_OK;
    }

    /** The providers OpenSSL loaded (from its configuration file) and whether FIPS mode is on. */
    private void printProviders() throws ToolFailure {
        String[] providers;
        try {
            providers = NativeRuntime.providers();
        } catch (javax.net.ssl.SSLException e) {
            throw new ToolFailure("listing OpenSSL's providers failed: " + e.getMessage(), e);
        }
        for (int i = 0; i < providers.length; i++) {
            String[] p = providers[i].split("\t", -1);
            out.printf(LABEL, i == 0 ? "Providers:" : "", p[0] + " " + p[1] + (p[2].equals("active") ? "" : " (" + p[2] + ")"));
        }
        out.printf(LABEL, "FIPS:", NativeRuntime.fipsMode()
            ? "on (io.nativetls.fips=true: NativeTLS's own library context, the fips provider, fips=yes)"
            : NativeTls.isFipsEnabled() ? "on (OpenSSL's default properties ask for fips=yes)"
            : "off (OpenSSL's default properties do not ask for fips=yes)");
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }

    /** Paths of the files this process has mapped (Linux), or an empty list when unreadable. */
    private static List<String> mappedFiles() {
        List<String> files = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0) {
                    String file = line.substring(slash);
                    if (!files.contains(file)) {
                        files.add(file);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is hidden: the caller says "unknown"
        }
        return files;
    }

    private static String mapped(List<String> maps, String prefix) {
        Set<String> found = new LinkedHashSet<>();
        for (String file : maps) {
            if (Path.of(file.replace(" (deleted)", "")).getFileName().toString().startsWith(prefix)) {
                found.add(file);
            }
        }
        return found.isEmpty() ? "unknown (not found in /proc/self/maps)" : String.join(", ", found);
    }

    private static String nativeLibrary(List<String> maps) {
        String from = NativeRuntime.loadedFrom();
        for (String file : maps) {
            String name = Path.of(file.replace(" (deleted)", "")).getFileName().toString();
            if ((name.startsWith("nativetls-") && name.endsWith(".so")) && file.endsWith(" (deleted)")) {
                return from + " (a private copy, removed once loaded: " + file + ")";
            }
        }
        return from;
    }

    private static String unquoteLabel(String openssl) {
        int colon = openssl.indexOf(':');
        return colon > 0 ? openssl.substring(0, colon) : "directory";
    }

    private static String unquoteValue(String openssl) {
        int colon = openssl.indexOf(':');
        String v = colon > 0 ? openssl.substring(colon + 1).trim() : openssl;
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private void printCpu(String cpuInfo) {
        out.printf(LABEL, "CPU:", cpuInfo.isEmpty() ? "(OpenSSL reports nothing)" : cpuInfo);
        Map<String, Boolean> features = CpuFeatures.decode(cpuInfo);
        if (features == null) {
            return;
        }
        List<String> on = new ArrayList<>();
        List<String> off = new ArrayList<>();
        features.forEach((name, present) -> (present ? on : off).add(name));
        out.printf(LABEL, "  used:", on.isEmpty() ? "none" : String.join(" ", on));
        out.printf(LABEL, "  absent:", off.isEmpty() ? "none" : String.join(" ", off));
    }

    private void printParameters() throws ToolFailure {
        SSLParameters supported;
        SSLParameters defaults;
        try {
            SSLContext ctx = SSLContext.getInstance("TLS", new NativeTlsProvider());
            ctx.init(null, null, null);
            supported = ctx.getSupportedSSLParameters();
            defaults = ctx.getDefaultSSLParameters();
        } catch (GeneralSecurityException e) {
            throw new ToolFailure("making a NativeTLS SSLContext failed: " + e.getMessage(), e);
        }
        List<String> enabled = Arrays.asList(defaults.getProtocols());
        out.printf(LABEL, "Protocols:", String.join(", ", supported.getProtocols())
            + " (enabled by default: " + String.join(", ", enabled) + ")");
        List<String> enabledSuites = Arrays.asList(defaults.getCipherSuites());
        out.printf("Cipher suites:  %d supported (* = enabled by default)%n", supported.getCipherSuites().length);
        for (String suite : supported.getCipherSuites()) {
            out.println("  " + (enabledSuites.contains(suite) ? "* " : "  ") + suite);
        }
    }

    private void printGroups(String[] groups) {
        String property = System.getProperty("jdk.tls.namedGroups");
        // Providers list aliases (secp256r1 and P-256) under one code point: the first, IANA, name is kept.
        Map<Integer, String[]> byId = new java.util.LinkedHashMap<>();
        for (String entry : groups) {
            String[] f = entry.split(" ");
            if (f.length == 4) {
                byId.putIfAbsent(Integer.parseInt(f[1]), f);
            }
        }
        out.printf("Named groups:   %d offered by OpenSSL's providers (%s)%n", byId.size(),
            property == null || property.isBlank() ? "jdk.tls.namedGroups unset: OpenSSL's default list is used"
                : "jdk.tls.namedGroups=" + property);
        for (String[] f : byId.values()) {
            out.printf("  %-22s 0x%04x  %s%n", f[0], Integer.parseInt(f[1]), versions(Integer.parseInt(f[2]),
                Integer.parseInt(f[3])));
        }
    }

    /** OpenSSL's TLS version numbers (0x0303 = TLS 1.2; 0 = no limit, -1 = not for TLS) as text. */
    private static String versions(int min, int max) {
        if (min == -1 || max == -1) {
            return "not for TLS";
        }
        String low = min <= 0x0303 ? "TLS 1.2" : tls(min);
        String high = max == 0 || max >= 0x0304 ? "TLS 1.3" : tls(max);
        return low.equals(high) ? low + " only" : low + " and " + high;
    }

    private static String tls(int v) {
        return "TLS 1." + ((v & 0xff) - 1);
    }
}
