package io.nativetls.keyupdate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.install.ForkedJvm;
import io.nativetls.testing.Tags;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jdk.tls.keyLimits: when a TLS 1.3 key has protected more than its limit, the engine asks for a
 * KeyUpdate (NEED_WRAP from the very wrap or unwrap that went past it, as SunJSSE), both
 * directions get new keys, the count starts again, and data flows on intact. Each scenario runs
 * in a JVM of its own (KeyLimitScenario), since SunJSSE reads the property once per JVM;
 * SunJSSE on both ends is the oracle. The limit is 10,000 bytes and the chunks 4,000, so every
 * third chunk goes past it whatever each provider counts beside the data (SunJSSE also counts
 * the content type byte and post-handshake messages such as tickets, more of them on JDK 25
 * than on 17; NativeTLS counts application data).
 */
@Tag(Tags.JVM)
class KeyLimitTest {
    private static final String AES_LIMIT = "AES/GCM/NoPadding KeyUpdate 10000";
    private static final String CHACHA_LIMIT = "ChaCha20-Poly1305 KeyUpdate 10000";
    /** Bytes per chunk: the third one passes the limit, whatever else (under 2,000 bytes) is counted. */
    private static final int CHUNK = 4000;

    /** Per chunk: the lines of the engine calls that moved no application data (the KeyUpdates). */
    private static Map<Integer, List<String>> keyUpdates(String output) {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        int chunk = 0;
        for (String line : output.split("\n")) {
            if (!line.startsWith("STEP ")) {
                continue;
            }
            String step = line.substring(5);
            if (step.startsWith("-- chunk ")) {
                chunk = Integer.parseInt(step.substring(9).trim());
            } else if (step.contains("data=0 record")) {
                out.computeIfAbsent(chunk, k -> new ArrayList<>()).add(step);
            }
        }
        return out;
    }

    /** The lines of the calls that carried a chunk and reported NEED_WRAP: a limit was passed there. */
    private static Map<Integer, List<String>> limitCrossings(String output) {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        int chunk = 0;
        for (String line : output.split("\n")) {
            if (line.startsWith("STEP -- chunk ")) {
                chunk = Integer.parseInt(line.substring(14).trim());
            } else if (line.startsWith("STEP ") && line.contains("data=" + CHUNK + " ") && line.contains("NEED_WRAP")) {
                out.computeIfAbsent(chunk, k -> new ArrayList<>()).add(line.substring(5));
            }
        }
        return out;
    }

    private static String scenario(String limits, String client, String server, String sender, String... suite)
        throws Exception {
        List<String> args = new ArrayList<>(List.of("-cp",
            ForkedJvm.testClasses() + File.pathSeparator + ForkedJvm.providerClasses() + File.pathSeparator
                + System.getProperty("java.class.path"),
            KeyLimitScenario.class.getName(), limits, client, server, sender, "7", String.valueOf(CHUNK)));
        args.addAll(List.of(suite));
        String out = ForkedJvm.run(args);
        assertTrue(out.contains("DONE"), "the scenario did not complete:\n" + out);
        return out;
    }

    @ParameterizedTest(name = "{0} sends")
    @ValueSource(strings = {"client", "server"})
    void nativeTlsRenewsKeysWhereSunJsseDoes(String sender) throws Exception {
        String sun = scenario(AES_LIMIT, "SUN", "SUN", sender);
        String nat = scenario(AES_LIMIT, "NATIVE", "NATIVE", sender);
        Map<Integer, List<String>> expected = limitCrossings(sun);
        assertEquals(List.of(3, 6), List.copyOf(expected.keySet()), "SunJSSE's own crossings:\n" + sun);
        // The sender's wrap and the receiver's unwrap of the chunk that passes the limit both say NEED_WRAP.
        assertEquals(expected, limitCrossings(nat), "NativeTLS:\n" + nat + "\nSunJSSE:\n" + sun);
        // KeyUpdates, from both ends, at those chunks and no others.
        assertEquals(keyUpdates(sun).keySet(), keyUpdates(nat).keySet(), "NativeTLS:\n" + nat);
        for (List<String> updates : keyUpdates(nat).values()) {
            assertTrue(updates.stream().anyMatch(s -> s.startsWith("C wrap")), "the client sent a KeyUpdate: " + updates);
            assertTrue(updates.stream().anyMatch(s -> s.startsWith("S wrap")), "the server sent a KeyUpdate: " + updates);
            assertTrue(updates.stream().anyMatch(s -> s.contains("FINISHED")), "FINISHED reported: " + updates);
        }
    }

    @ParameterizedTest(name = "{0} client, {1} server, {2} sends")
    @CsvSource({"NATIVE,SUN,client", "NATIVE,SUN,server", "SUN,NATIVE,client", "SUN,NATIVE,server"})
    void nativeTlsPassesItsLimitAgainstSunJsse(String client, String server, String sender) throws Exception {
        String out = scenario(AES_LIMIT, client, server, sender);
        String nativeSide = client.equals("NATIVE") ? "C " : "S ";
        Map<Integer, List<String>> crossings = limitCrossings(out);
        List<Integer> nativeCrossings = new ArrayList<>();
        crossings.forEach((chunk, lines) -> {
            if (lines.stream().anyMatch(l -> l.startsWith(nativeSide))) {
                nativeCrossings.add(chunk);
            }
        });
        assertEquals(List.of(3, 6), nativeCrossings, "NativeTLS's crossings:\n" + out);
        assertTrue(keyUpdates(out).keySet().containsAll(List.of(3, 6)), "KeyUpdates at chunks 3 and 6:\n" + out);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NATIVE", "SUN"})
    void aLimitForAnotherCipherChangesNothing(String impl) throws Exception {
        String out = scenario(CHACHA_LIMIT, impl, impl, "client", "TLS_AES_128_GCM_SHA256");
        assertEquals(Map.of(), keyUpdates(out), "no KeyUpdate under AES-GCM:\n" + out);
        String chacha = scenario(CHACHA_LIMIT, impl, impl, "client",
            "TLS_CHACHA20_POLY1305_SHA256");
        assertEquals(List.of(3, 6), List.copyOf(limitCrossings(chacha).keySet()), "under ChaCha20:\n" + chacha);
    }
}
