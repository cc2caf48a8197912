package io.nativetls.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Tags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Resident memory stays flat over many handshake-and-close cycles: after the first fifth
 * (warm-up), growth stays under 16 MiB. The default run is short; {@code mvn -Psoak test}
 * runs 100,000 cycles (property io.nativetls.soak.cycles). The probe JVM runs C1 only: C2's
 * compiler arenas make resident memory step up and down by tens of MiB and hide the signal.
 */
@Tag(Tags.SOAK)
class SoakTest {
    private static final int CYCLES = Integer.getInteger("io.nativetls.soak.cycles", 5_000);
    private static final long LIMIT_KIB = 16 * 1024;

    @Test
    void residentMemoryStaysFlat() throws Exception {
        int every = Math.max(1, CYCLES / 10);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dio.nativetls.checkErrorQueue=true",
            "-cp", System.getProperty("java.class.path"), SoakProbe.class.getName(),
            Integer.toString(CYCLES), Integer.toString(every));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.MINUTES), "soak JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        List<long[]> samples = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("sample ")) {
                String[] f = line.trim().split(" ");
                samples.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4])});
            }
        }
        assertEquals(10, samples.size(), out);
        StringBuilder curve = new StringBuilder("RSS curve (cycle: KiB):");
        for (long[] s : samples) {
            curve.append(' ').append(s[0]).append(':').append(s[1]);
            assertTrue(s[2] <= 2, "connections still live after close: " + s[2]);
        }
        System.out.println(curve);
        // Medians of three damp the allocator's and the JIT's ups and downs; a leak still shows.
        long warm = median(samples.get(1)[1], samples.get(2)[1], samples.get(3)[1]);
        long last = median(samples.get(7)[1], samples.get(8)[1], samples.get(9)[1]);
        assertTrue(last - warm < LIMIT_KIB, "RSS grew by " + (last - warm) + " KiB after warm-up; " + curve);
        assertEquals(1, samples.get(9)[3], "one cached credential for one key, however many handshakes");
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
