package io.nativetls.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.install.ForkedJvm;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's security policy decides what a NativeTLS handshake accepts, exactly as it decides for
 * SunJSSE, and OpenSSL's security level (Debian's default: 2) neither tightens nor loosens it.
 * Each test runs SunJSSE and NativeTLS in both roles, TLS 1.3 and 1.2, on the same input in a
 * fresh JVM (PolicyProbe) where the java.security and system properties are set from the start,
 * since SunJSSE reads them once; SunJSSE's outcome is the oracle, and the expected outcome is
 * asserted on top.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@Tag(Tags.JVM)
class JdkPolicyTest {
    private static final String[] IMPLS = {"SUN", "NATIVE"};
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    @TempDir
    Path tmp;

    /** Runs PolicyProbe's scenarios with these java.security properties (appended) and JVM options. */
    private String probe(Map<String, String> security, List<String> options, String scenarios) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("-cp");
        args.add(ForkedJvm.providerClasses() + File.pathSeparator + ForkedJvm.testClasses());
        args.add("-Dio.nativetls.checkErrorQueue=true");
        if (!security.isEmpty()) {
            StringBuilder props = new StringBuilder();
            security.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
            Path file = Files.createTempFile(tmp, "policy", ".security");
            Files.writeString(file, props.toString());
            args.add("-Djava.security.properties=" + file);
        }
        args.addAll(options);
        args.add(PolicyProbe.class.getName());
        args.add(TestPki.get().dir.toString());
        args.add(scenarios);
        return ForkedJvm.run(args);
    }

    /** jdk.tls.disabledAlgorithms as this JDK ships it, with more entries. */
    private static Map<String, String> tlsDisabled(String... more) {
        String value = Security.getProperty("jdk.tls.disabledAlgorithms");
        for (String m : more) {
            value += ", " + m;
        }
        return Map.of("jdk.tls.disabledAlgorithms", value);
    }

    /** The HS lines of one handshake scenario (they come in blocks of 8, in the order run). */
    private static List<Map<String, String>> handshakes(String output) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : output.split("\n")) {
            if (!line.startsWith("HS ")) {
                continue;
            }
            if (current == null || current.size() == 8) {
                current = new LinkedHashMap<>();
                blocks.add(current);
            }
            String[] w = line.split(" ");
            current.put(w[1] + " " + w[2] + " " + w[3], w[4]);
        }
        return blocks;
    }

    /**
     * SunJSSE against SunJSSE had the expected outcome, and every pairing with NativeTLS had the
     * same. except: "client server" pairings whose outcome is asserted elsewhere.
     */
    private static void assertAsSunJsse(String what, Map<String, String> block, String expected, String output,
                                        String... except) {
        for (String protocol : PROTOCOLS) {
            assertEquals(expected, block.get("SUN SUN " + protocol), what + ", SunJSSE " + protocol + "\n" + output);
            for (String c : IMPLS) {
                for (String s : IMPLS) {
                    if (!List.of(except).contains(c + " " + s)) {
                        assertEquals(expected, block.get(c + " " + s + " " + protocol),
                            what + ": " + c + " client, " + s + " server, " + protocol + "\n" + output);
                    }
                }
            }
        }
    }

    /**
     * What the shipped java.security allows works: a 1024-bit RSA server key (OpenSSL's level 2
     * said "ee key too small"), a SHA-1-signed chain ("ca md too weak"), and an MD5-signed chain
     * an X509ExtendedTrustManager accepts; SunJSSE's checks behind a plain X509TrustManager refuse
     * the MD5 chain (MD5withRSA is disabled and no signature scheme), in both roles.
     */
    @Test
    void theShippedPolicyDecidesNotOpenSslsSecurityLevel() throws Exception {
        String out = probe(Map.of(), List.of(), "handshake server-rsa1024 fixed pkix; handshake server-rsa-sha1 fixed pkix;"
            + " handshake server-rsa1024 fixed plain; handshake server-rsa-md5 fixed ext;"
            + " handshake server-rsa-md5 fixed plain; handshake server-ec fixed plain server-rsa1024");
        List<Map<String, String>> b = handshakes(out);
        assertEquals(6, b.size(), out);
        assertAsSunJsse("RSA-1024 server key, PKIX trust", b.get(0), "OK", out);
        assertAsSunJsse("SHA-1-signed server chain, PKIX trust", b.get(1), "OK", out);
        assertAsSunJsse("RSA-1024 server key, plain trust manager", b.get(2), "OK", out);
        // OpenSSL serves a chain only if it is signed with an algorithm of the client's
        // signature_algorithms_cert (RFC 8446 4.2.3), which SunJSSE's lacks for MD5: see the README.
        assertAsSunJsse("MD5-signed server chain, extended trust manager", b.get(3), "OK", out, "SUN NATIVE");
        for (String protocol : PROTOCOLS) {
            assertEquals("FAIL", b.get(3).get("SUN NATIVE " + protocol), out);
        }
        assertAsSunJsse("MD5-signed server chain, plain trust manager", b.get(4), "FAIL", out);
        assertAsSunJsse("RSA-1024 client key, server's plain trust manager", b.get(5), "OK", out);
    }

    /**
     * An application's stricter policy applies to every key: with "RSA keySize &lt; 2048" a
     * 1024-bit key is refused by SunJSSE's key and trust managers and by the checks behind a
     * plain trust manager, for server and client certificates; an extended trust manager that
     * accepts everything decides alone.
     */
    @Test
    void anApplicationsKeySizeLimitAppliesAsInSunJsse() throws Exception {
        String out = probe(tlsDisabled("RSA keySize < 2048"), List.of(),
            "handshake server-rsa1024 pkix pkix; handshake server-rsa1024 fixed ext; handshake server-rsa1024 fixed plain;"
                + " handshake server-ec fixed plain server-rsa1024; handshake server-ec fixed ext server-rsa1024;"
                + " handshake server-rsa fixed plain");
        List<Map<String, String>> b = handshakes(out);
        assertEquals(6, b.size(), out);
        assertAsSunJsse("RSA-1024 server, SunJSSE's key and trust managers", b.get(0), "FAIL", out);
        assertAsSunJsse("RSA-1024 server, extended trust-all client", b.get(1), "OK", out);
        assertAsSunJsse("RSA-1024 server, plain trust-all client", b.get(2), "FAIL", out);
        assertAsSunJsse("RSA-1024 client, plain trust-all server", b.get(3), "FAIL", out);
        assertAsSunJsse("RSA-1024 client, extended trust-all server", b.get(4), "OK", out);
        assertAsSunJsse("RSA-2048 server, plain trust-all client (control)", b.get(5), "OK", out);
    }

    /**
     * A group in jdk.tls.disabledAlgorithms is never offered: with jdk.tls.namedGroups naming only
     * disabled groups nothing is left and every handshake fails, as in SunJSSE, instead of falling
     * back to OpenSSL's default groups. (A TLS 1.2 ECDSA server needs its certificate's curve among
     * the groups, so the list has secp256r1 besides x25519.)
     */
    @Test
    void disabledNamedGroupsAreNeverNegotiated() throws Exception {
        List<String> groups = List.of("-Djdk.tls.namedGroups=x25519,secp256r1");
        String out = probe(tlsDisabled("x25519", "secp256r1"), groups, "handshake server-ec fixed pkix");
        assertAsSunJsse("every configured group disabled", handshakes(out).get(0), "FAIL", out);
        String control = probe(Map.of(), groups, "handshake server-ec fixed pkix");
        assertAsSunJsse("groups allowed (control)", handshakes(control).get(0), "OK", control);
    }

    /** Against a server that has x25519 only, a client whose x25519 is disabled has no group in common. */
    @Test
    void aDisabledGroupIsNotOfferedToAPeer() throws Exception {
        Path dir = TestPki.get().dir;
        try (ChildProcess server = ChildProcess.opensslServer(dir, List.of("-cert", "server-ec.pem", "-key", "server-ec.key",
            "-groups", "X25519"), ChildProcess.WAIT)) {
            List<String> groups = List.of("-Djdk.tls.namedGroups=x25519,secp256r1");
            for (String protocol : PROTOCOLS) {
                String scenario = "connect " + server.port() + " " + protocol + " -";
                String refused = probe(tlsDisabled("x25519"), groups, scenario);
                String allowed = probe(Map.of(), groups, scenario);
                for (String impl : IMPLS) {
                    assertTrue(refused.contains("CONNECT " + impl + " FAIL"), protocol + " " + impl + ":\n" + refused);
                    assertTrue(allowed.contains("CONNECT " + impl + " OK"), protocol + " " + impl + " control:\n" + allowed);
                }
            }
        }
    }

    /**
     * A signature scheme in jdk.tls.disabledAlgorithms is neither offered nor used: a client does
     * not list it, and a P-384 server key, which TLS 1.3 signs with ecdsa_secp384r1_sha384 only,
     * cannot be used then. (Not ecdsa_secp256r1_sha256: SunJSSE then also refuses the test CA's
     * SHA256withECDSA signatures.) SunJSSE to SunJSSE is no oracle for TLS 1.3 here: JDK 17.0.15's
     * server then signs its CertificateVerify with ecdsa_sha1, which its client offers and accepts,
     * though RFC 8446 (4.4.3) forbids SHA-1 there; as soon as either end is NativeTLS (OpenSSL keeps
     * to the RFC) the handshake fails, which is what the policy asks for.
     */
    @Test
    void disabledSignatureSchemesAreNeitherOfferedNorUsed() throws Exception {
        String out = probe(tlsDisabled("ecdsa_secp384r1_sha384"), List.of(), "schemes server-rsa; handshake server-ec384 fixed pkix");
        String control = probe(Map.of(), List.of(), "schemes server-rsa");
        for (String impl : IMPLS) {
            for (String protocol : PROTOCOLS) {
                String offered = line(out, "PEER " + impl + " " + protocol + " ");
                assertFalse(List.of(offered.split(",")).contains("SHA384withECDSA"), impl + " " + protocol + ": " + offered);
                assertTrue(List.of(offered.split(",")).contains("SHA256withECDSA"), impl + " " + protocol + ": " + offered);
                String offeredControl = line(control, "PEER " + impl + " " + protocol + " ");
                assertTrue(List.of(offeredControl.split(",")).contains("SHA384withECDSA"), "control: " + offeredControl);
            }
        }
        Map<String, String> b = handshakes(out).get(0);
        for (String c : IMPLS) {
            for (String s : IMPLS) {
                // TLS 1.2 signs with SHA512withECDSA (its schemes do not bind the curve): as SunJSSE.
                assertEquals(b.get("SUN SUN TLSv1.2"), b.get(c + " " + s + " TLSv1.2"), c + " client, " + s
                    + " server, TLSv1.2\n" + out);
                if (!(c.equals("SUN") && s.equals("SUN"))) {
                    assertEquals("FAIL", b.get(c + " " + s + " TLSv1.3"), c + " client, " + s + " server, TLSv1.3\n" + out);
                }
            }
        }
    }

    /**
     * "DH keySize &lt; 2048" refuses a server's 1024-bit ephemeral DH key, which OpenSSL's level 0
     * would take; the shipped "DH keySize &lt; 1024" accepts it.
     */
    @Test
    void theDhKeySizeLimitIsThePolicys() throws Exception {
        Path dir = TestPki.get().dir;
        Path params = dir.resolve("dh1024.pem");
        synchronized (JdkPolicyTest.class) {
            if (!Files.exists(params)) {
                Process p = new ProcessBuilder("openssl", "dhparam", "-out", params.toString(), "1024")
                    .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl dhparam failed");
            }
        }
        try (ChildProcess server = ChildProcess.opensslServer(dir, List.of("-cert", "server-rsa.pem", "-key", "server-rsa.key",
            "-dhparam", params.toString(), "-cipher", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-tls1_2"), ChildProcess.WAIT)) {
            String scenario = "connect " + server.port() + " TLSv1.2 TLS_DHE_RSA_WITH_AES_128_GCM_SHA256";
            String strict = Security.getProperty("jdk.tls.disabledAlgorithms").replace("DH keySize < 1024",
                "DH keySize < 2048");
            String refused = probe(Map.of("jdk.tls.disabledAlgorithms", strict), List.of(), scenario);
            String allowed = probe(Map.of(), List.of(), scenario);
            for (String impl : IMPLS) {
                assertTrue(refused.contains("CONNECT " + impl + " FAIL"), impl + ":\n" + refused);
                assertTrue(allowed.contains("CONNECT " + impl + " OK"), impl + " control:\n" + allowed);
            }
        }
    }

    private static String line(String output, String prefix) {
        for (String l : output.split("\n")) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length()).trim();
            }
        }
        throw new AssertionError("no line " + prefix + " in\n" + output);
    }

}
