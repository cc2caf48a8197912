package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.install.ForkedJvm;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JSSE customisation properties NativeTLS honours with SunJSSE's semantics:
 * jdk.tls.{client,server}.protocols, jdk.tls.{client,server}.cipherSuites and
 * jdk.tls.{client,server}.disableExtensions. SunJSSE reads them once per JVM, so each setting runs
 * in a fresh JVM (security.PolicyProbe), where SunJSSE's answer on the same input is the oracle.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Tag(Tags.JVM)
class JssePropertiesTest {
    private static String probe(List<String> options, String scenario) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("-cp");
        args.add(ForkedJvm.providerClasses() + File.pathSeparator + ForkedJvm.testClasses());
        args.add("-Dio.nativetls.checkErrorQueue=true");
        args.addAll(options);
        args.add("io.nativetls.security.PolicyProbe");
        args.add(TestPki.get().dir.toString());
        args.add(scenario);
        return ForkedJvm.run(args);
    }

    /** "context what" to {protocols, suites} for one implementation's DEF lines ({"ERROR", class} when the context failed). */
    private static Map<String, String[]> defaults(String output, String impl) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] w = line.split(" ");
            if (w[0].equals("DEF") && w[1].equals(impl)) {
                out.put(w[2] + (w[3].equals("ERROR") ? "" : " " + w[3]),
                    w[3].equals("ERROR") ? new String[] {"ERROR", w[4]} : new String[] {w.length > 4 ? w[4] : "",
                        w.length > 5 ? w[5] : ""});
            }
        }
        return out;
    }

    /** NativeTLS reports what SunJSSE reports (protocols always, suites when suitesToo) for every context and object. */
    private static Map<String, String[]> assertDefaultsAsSunJsse(String output, boolean suitesToo) {
        Map<String, String[]> sun = defaults(output, "SUN");
        Map<String, String[]> nat = defaults(output, "NATIVE");
        assertEquals(sun.keySet(), nat.keySet(), output);
        assertTrue(sun.size() >= 4, output);
        for (String key : sun.keySet()) {
            if (key.endsWith(" factories") && !suitesToo) {
                continue; // its two columns are the factories' default suites
            }
            assertEquals(sun.get(key)[0], nat.get(key)[0], key + " protocols\n" + output);
            if (suitesToo) {
                assertEquals(sun.get(key)[1], nat.get(key)[1], key + " suites\n" + output);
            }
        }
        return nat;
    }

    @Test
    void protocolPropertiesChangeTheTlsAndDefaultContextsOnly() throws Exception {
        String out = probe(List.of("-Djdk.tls.client.protocols=TLSv1.2,TLSv1.3", "-Djdk.tls.server.protocols=TLSv1.2"),
            "defaults");
        Map<String, String[]> nat = assertDefaultsAsSunJsse(out, false);
        assertEquals("TLSv1.2,TLSv1.3", nat.get("TLS client-engine")[0], "in the property's order");
        assertEquals("TLSv1.2", nat.get("TLS server-engine")[0]);
        assertEquals("TLSv1.2", nat.get("TLS new-engine")[0], "engines start as servers");
        assertEquals("TLSv1.2", nat.get("Default server-socket")[0]);
        assertEquals("TLSv1.2", nat.get("TLSv1.2 client-engine")[0], "the TLSv1.2 context keeps its own");
        assertEquals("TLSv1.3,TLSv1.2", nat.get("TLSv1.3 server-engine")[0], "the TLSv1.3 context keeps its own");
    }

    /** A protocol the policy disables leaves nothing, and so no suite; an unknown name fails the context. */
    @Test
    void protocolPropertyEdgeCases() throws Exception {
        Map<String, String[]> disabled = assertDefaultsAsSunJsse(probe(List.of("-Djdk.tls.client.protocols=SSLv3"),
            "defaults"), false);
        assertEquals("", disabled.get("TLS client-engine")[0]);
        assertEquals("", disabled.get("TLS client-engine")[1], "no protocol, no suite");
        Map<String, String[]> empty = assertDefaultsAsSunJsse(probe(List.of("-Djdk.tls.client.protocols="), "defaults"),
            false);
        assertEquals("TLSv1.3,TLSv1.2", empty.get("TLS client-engine")[0], "empty means unset");
        Map<String, String[]> unknown = assertDefaultsAsSunJsse(probe(List.of("-Djdk.tls.server.protocols=TLSv1.3,TLSv9"),
            "defaults"), false);
        assertEquals("ERROR", unknown.get("TLS")[0]);
        assertEquals("NoSuchAlgorithmException", unknown.get("Default")[1]);
        assertTrue(unknown.containsKey("TLSv1.2 client-engine"), "other contexts are unaffected");
    }

    /**
     * Suites: in the property's order, unknown names skipped, disabled and protocol-unusable ones
     * dropped, every context; a property naming nothing known leaves the default.
     */
    @Test
    void cipherSuitePropertiesAsSunJsse() throws Exception {
        String out = probe(List.of("-Djdk.tls.client.protocols=TLSv1.2,TLSv1.3",
            "-Djdk.tls.client.cipherSuites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_BOGUS,TLS_AES_128_GCM_SHA256,"
                + "SSL_RSA_WITH_RC4_128_SHA,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "-Djdk.tls.server.cipherSuites=TLS_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            "defaults");
        Map<String, String[]> nat = assertDefaultsAsSunJsse(out, true);
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            nat.get("TLS client-engine")[1]);
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            nat.get("TLSv1.2 client-engine")[1], "a TLS 1.2 client drops the TLS 1.3 suite");
        assertEquals("TLS_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            nat.get("TLS server-socket")[1]);
        String bogus = probe(List.of("-Djdk.tls.client.cipherSuites=TLS_BOGUS", "-Djdk.tls.server.cipherSuites=TLS_BOGUS"),
            "defaults");
        Map<String, String[]> unchanged = defaults(bogus, "NATIVE");
        Map<String, String[]> plain = defaults(probe(List.of(), "defaults"), "NATIVE");
        for (String key : plain.keySet()) {
            assertEquals(plain.get(key)[1], unchanged.get(key)[1], key + ": nothing known, defaults kept");
        }
    }

    /**
     * A client that disables server_name and application_layer_protocol_negotiation sends neither;
     * a server that disables them ignores the client's: the server sees no name and no protocol.
     */
    @Test
    void disabledExtensionsAreNotUsed() throws Exception {
        String names = "-D%s=server_name,application_layer_protocol_negotiation";
        String control = probe(List.of(), "extensions");
        String client = probe(List.of(String.format(names, "jdk.tls.client.disableExtensions")), "extensions");
        String server = probe(List.of(String.format(names, "jdk.tls.server.disableExtensions")), "extensions");
        for (String c : new String[] {"SUN", "NATIVE"}) {
            for (String s : new String[] {"SUN", "NATIVE"}) {
                String pair = "EXT " + c + " " + s + " ";
                assertTrue(control.contains(pair + "[type=host_name_(0),_value=www.example.org] http/1.1"), control);
                assertTrue(client.contains(pair + "[] none"), "client disables: " + client);
                assertTrue(server.contains(pair + "[] none"), "server disables: " + server);
            }
        }
    }
}
