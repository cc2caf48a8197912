package io.nativetls.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bench} prints positive figures for both providers on every row (the resumed row fails the
 * command if a provider did not resume) and the machine; bad usage exits with 2 and the usage text.
 */
@Timeout(90)
class BenchAndUsageTest {
    @Test
    void benchPrintsBothProviders() throws Exception {
        ToolRun r = ToolRun.run("bench", "--seconds", "4");
        assertEquals(0, r.exit(), r.describe());
        for (String row : new String[] {"TLS 1.3 ECDSA P-256 handshakes/s", "TLS 1.3 resumed handshakes/s",
            "AES-128-GCM 16 KiB bulk MB/s", "ChaCha20-Poly1305 16 KiB bulk MB/s"}) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(row) + " +([0-9,.]+) +([0-9,.]+) +([0-9.]+)x$")
                .matcher(r.out());
            assertTrue(m.find(), row + " in " + r.describe());
            for (int g = 1; g <= 3; g++) {
                double v = Double.parseDouble(m.group(g).replace(",", ""));
                assertTrue(v > 0, row + " figure " + g + " in " + r.describe());
            }
        }
        assertTrue(r.out().contains("Machine: ") && r.out().contains(" cores;"), r.describe());
        // progress on stderr: every row warmed up for both providers before any is measured
        java.util.List<String> phases = r.err().lines().filter(l -> l.startsWith("NativeTLS ") || l.startsWith("SunJSSE "))
            .collect(java.util.stream.Collectors.toList());
        assertEquals(16, phases.size(), r.describe());
        for (int i = 0; i < 16; i++) {
            assertEquals(i < 8 ? "warm-up" : "measure", phases.get(i).split(" +")[1], r.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonsense", "client", "client|127.0.0.1:1|--bogus|x", "client|no-port",
        "server|--port|70000", "server|--cert|a.pem", "bench|--seconds|lots", "info|extra", "client|h:1|--alpn"})
    void badUsageExitsWithTwo(String args) throws Exception {
        ToolRun r = ToolRun.run(args.split("\\|"));
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.err().startsWith("nativetls: "), r.describe());
        for (String command : new String[] {"selfcheck", "info", "client host:port", "server", "bench", "help"}) {
            assertTrue(r.err().contains("\n  " + command), command + " in " + r.describe());
        }
    }

    @Test
    void helpGoesToStdoutWithZero() throws Exception {
        ToolRun r = ToolRun.run("help");
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.out().startsWith("usage: java -jar nativetls.jar <command> [options]"), r.describe());
    }
}
