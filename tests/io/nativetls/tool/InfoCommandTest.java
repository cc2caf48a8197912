package io.nativetls.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.NativeTls;
import io.nativetls.internal.ssl.NativeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code info} reports the OpenSSL actually in use and what the provider can negotiate. */
@Timeout(60)
class InfoCommandTest {
    @Test
    void reportsVersionsProtocolsSuitesAndGroups() throws Exception {
        ToolRun r = ToolRun.run("info");
        assertEquals(0, r.exit(), r.describe());
        assertEquals(NativeTls.openSslVersion(), r.field("OpenSSL:"), r.describe());
        assertEquals("development", r.field("NativeTLS:"), r.describe()); // classes, not the jar: no manifest
        String protocols = r.field("Protocols:");
        assertNotNull(protocols, r.describe());
        assertTrue(protocols.startsWith("TLSv1.3, TLSv1.2"), protocols);
        assertTrue(r.out().contains("\n  * TLS_AES_128_GCM_SHA256\n"), r.describe());
        assertTrue(r.out().matches("(?s).*\n  x25519 +0x001d +TLS 1\\.2 and TLS 1\\.3\n.*"), r.describe());
        assertTrue(r.out().matches("(?s).*\n  secp256r1 +0x0017 .*"), r.describe());
        // secp256r1 and its alias P-256 share a code point and are listed once
        assertTrue(!r.out().contains("\n  P-256 "), r.describe());
    }

    @Test
    void reportsTheLoadedProvidersAndFipsMode() throws Exception {
        ToolRun r = ToolRun.run("info");
        assertEquals(0, r.exit(), r.describe());
        String first = NativeRuntime.providers()[0].split("\t")[0];
        assertTrue(r.field("Providers:").startsWith(first + " "), r.describe());
        assertEquals(NativeTls.isFipsEnabled() ? "on (OpenSSL's default properties ask for fips=yes)"
            : "off (OpenSSL's default properties do not ask for fips=yes)", r.field("FIPS:"), r.describe());
    }

    @Test
    void libsslIsTheOneThisProcessMapped() throws Exception {
        ToolRun r = ToolRun.run("info");
        String libssl = r.field("  libssl:");
        assertNotNull(libssl, r.describe());
        assertTrue(Files.isRegularFile(Path.of(libssl)), libssl);
        String maps = Files.readString(Path.of("/proc/self/maps"));
        assertTrue(maps.contains(libssl), libssl);
        // The OpenSSL 3.5 stage loads libssl from LD_LIBRARY_PATH: the tool must say so.
        String ldPath = System.getenv("LD_LIBRARY_PATH");
        if (ldPath != null && ldPath.contains("/opt/openssl-3.5")) {
            assertTrue(libssl.startsWith("/opt/openssl-3.5/"), libssl);
        }
    }

    /** The decoded OpenSSL capability bits agree with what the kernel reports for this CPU. */
    @Test
    void cpuFeaturesMatchProcCpuinfo() throws Exception {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "x86 only");
        Assumptions.assumeTrue(System.getenv("OPENSSL_ia32cap") == null, "OPENSSL_ia32cap overrides the CPU bits");
        ToolRun r = ToolRun.run("info");
        assertTrue(r.field("CPU:").startsWith("CPUINFO: OPENSSL_ia32cap=0x"), r.describe());
        List<String> used = Arrays.asList(r.field("  used:").split(" "));
        List<String> absent = Arrays.asList(r.field("  absent:").split(" "));
        List<String> flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("flags")).findFirst().map(l -> Arrays.asList(l.split(":", 2)[1].trim().split(" ")))
            .orElseThrow();
        Map<String, String> kernelName = Map.of("AES-NI", "aes", "PCLMULQDQ", "pclmulqdq", "AVX", "avx", "AVX2", "avx2",
            "AVX512F", "avx512f", "SHA", "sha_ni", "VAES", "vaes", "VPCLMULQDQ", "vpclmulqdq");
        for (Map.Entry<String, String> e : kernelName.entrySet()) {
            boolean kernel = flags.contains(e.getValue());
            assertEquals(kernel, used.contains(e.getKey()), e.getKey() + " in " + r.describe());
            assertEquals(!kernel, absent.contains(e.getKey()), e.getKey() + " in " + r.describe());
        }
    }
}
