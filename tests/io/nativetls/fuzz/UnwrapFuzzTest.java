package io.nativetls.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativetls.internal.jni.SslNative;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.StageFiles;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bounded, seeded fuzzing of NativeSslEngine.unwrap. Each input puts a NativeTLS engine in some
 * state (fresh server; client that has sent its ClientHello; established client or server, with
 * a NativeTLS or SunJSSE peer) and feeds it real traffic, recorded or live, after one mutation:
 * random bytes, flipped bits, truncation, impossible lengths, wrong content types or versions,
 * reordered records, alerts and handshake messages at the wrong time, or a ClientHello/ServerHello
 * whose extensions were dropped, duplicated, reordered or corrupted.
 *
 * <p>The verdict. Real traffic the engine was made for (unmutated live traffic) must go through.
 * Every other input (but an empty one) is hostile and must end in an SSLException or a CLOSED
 * result within a bounded number of bytes: an input after which the engine is still content
 * (OK, or BUFFER_UNDERFLOW waiting for more) is sent again and again, as a peer would that kept
 * sending it, and the engine may take at most {@link UnwrapDriver#SILENT_BOUND} = 2^19 bytes in
 * a row without a sign of life (plaintext produced, records to wrap, the handshake finished);
 * the repetitions may run to 2^21 bytes. 2^19 is more than any legitimate peer needs: the
 * longest handshake flight OpenSSL takes with its default limits is a TLS 1.2 server's, at most
 * 343,713 bytes (ServerHello 20,000, Certificate, ServerKeyExchange and CertificateRequest
 * 102,400 each, CertificateStatus 16,384, in records of 2^14 bytes); see UnwrapDriver. Every
 * input must also keep the SSLEngine contract on every call, end within 2 s, leave the engine
 * closing cleanly, and not grow the native connection count. Anything else fails the run,
 * naming the input's index and seed.
 *
 * <p>Inputs: {@code -Dio.nativetls.fuzz.inputs} (Maven: {@code -Dnativetls.fuzz.inputs};
 * default 100,000; {@code -Pfuzz} runs 5,000,000, also with {@code -Psanitize}), base seed
 * {@code -Dio.nativetls.fuzz.seed}, first index {@code -Dio.nativetls.fuzz.start}. One input can
 * be rerun with its index as start and inputs=1; {@code -Dio.nativetls.fuzz.outcomes=FILE}
 * writes each input's outcome, to compare two runs.
 *
 * <p>Fixed cases (headers no TLS peer sends: content types 0, 1, 24, 25, 99, 0xC1; major versions
 * other than 3; lengths over 2^14 + 2048, and over 2^14 + 256 under TLS 1.3) run in every state
 * and must be refused at once, without a byte consumed.
 */
class UnwrapFuzzTest {
    static final long DEFAULT_SEED = 0x5EED_0F_C0FFEEL;
    static final long INPUT_LIMIT_NANOS = 2_000_000_000L;
    static final long HANG_NANOS = 20_000_000_000L;
    static final int CHECKPOINT = 25_000;
    static final int MAX_REPORTED_FAILURES = 12;

    private static Corpus corpus;

    @BeforeAll
    static void recordCorpus() throws Exception {
        TestPki.get();
        corpus = Corpus.record(new Corpus.SslContexts());
    }

    static long inputSeed(long base, long index) {
        long z = base + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long liveConnections() {
        return SslNative.liveHandles()[SslNative.LIVE_CONNECTIONS];
    }

    @Test
    void corpusHasWhatTheMutatorsNeed() {
        assertEquals(18, corpus.clientStreams.size(), corpus.summary());
        assertTrue(corpus.clientHellos.size() >= 18, corpus.summary());
        assertTrue(corpus.serverHellos.size() >= 18, corpus.summary());
        for (int type : new int[] {Tls.CLIENT_HELLO, Tls.SERVER_HELLO, Tls.CERTIFICATE, Tls.SERVER_KEY_EXCHANGE,
            Tls.CERTIFICATE_REQUEST, Tls.SERVER_HELLO_DONE, Tls.CLIENT_KEY_EXCHANGE}) {
            assertNotNull(corpus.messages.get(type), "no handshake message of type " + type + ": " + corpus.summary());
        }
        for (byte[] ch : corpus.clientHellos) {
            Hello h = Hello.parse(ch);
            assertNotNull(h, "a recorded ClientHello does not parse");
            assertTrue(Arrays.equals(ch, h.encode()), "ClientHello does not survive parse and encode");
            assertTrue(h.indexOf(43) >= 0 || h.indexOf(13) >= 0, "ClientHello without the usual extensions");
        }
        for (byte[] sh : corpus.serverHellos) {
            assertTrue(Arrays.equals(sh, Hello.parse(sh).encode()), "ServerHello does not survive parse and encode");
        }
        assertTrue(corpus.laterRecords.size() > 10, corpus.summary());
    }

    // ---- regressions: inputs the fuzzer found ---------------------------------------------------

    /**
     * Input 10 of the default seed: a Finished handshake message (record
     * 16030300101400000c62e83efb6da14ae8f84f6910) in a read-only heap buffer, fed to a fresh
     * NativeTLS server. JSSE only forbids read-only destinations; unwrap must read a read-only
     * source like any other (SunJSSE does). NativeTLS threw java.nio.ReadOnlyBufferException from
     * SslHandle.unwrap, which calls src.array() on a heap buffer without checking hasArray().
     */
    @Test
    void regressionFinishedFirstInAReadOnlyHeapSource() throws Throwable {
        assertEquals("", fuzz(DEFAULT_SEED, 10, 1));
    }

    /** The same, without the fuzzer: the record must fail as an SSLException, or a hello go through. */
    @Test
    void readOnlyHeapSourcesAreReadLikeAnyOther() throws Exception {
        SSLEngine server = corpus.contexts.server(Impl.NATIVE, false, "TLSv1.2", 0);
        ByteBuffer finished = ByteBuffer.wrap(Tls.unhex("16030300101400000c62e83efb6da14ae8f84f6910"))
            .asReadOnlyBuffer();
        ByteBuffer app = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        assertThrows(SSLException.class, () -> server.unwrap(finished, app), "a Finished to a fresh server");

        SSLEngine fresh = corpus.contexts.server(Impl.NATIVE, false, null, 0);
        byte[] hello = Tls.concat(corpus.clientStreams.get(0).firstFlight);
        ByteBuffer src = ByteBuffer.wrap(hello).asReadOnlyBuffer();
        SSLEngineResult r = fresh.unwrap(src, app);
        assertEquals(SSLEngineResult.Status.OK, r.getStatus(), "a ClientHello from a read-only buffer: " + r);
        assertEquals(hello.length, r.bytesConsumed(), "the whole ClientHello record is consumed");
        // The key choice comes next, as a delegated task (as SunJSSE's after a ClientHello).
        assertEquals(SSLEngineResult.HandshakeStatus.NEED_TASK, r.getHandshakeStatus());
        new UnwrapDriver().close(fresh);
        new UnwrapDriver().close(server);
    }

    // ---- fixed cases: headers no TLS peer sends ------------------------------------------------

    /**
     * Each hostile header (content types 0, 1, 24, 25, 99, 0xC1; major versions other than 3;
     * lengths over 2^14 + 2048, and over 2^14 + 256 where TLS 1.3 applies), sent as an endless
     * stream of just that header, in every state: fresh server, client waiting for its ServerHello, mid-handshake,
     * established TLS 1.2 and TLS 1.3 in both roles. Each must be refused by the input itself,
     * with nothing taken silently: not after repetitions, not as OK. (Before RecordFraming the
     * client and the established TLS 1.2 engines took such streams five bytes at a time for ever.)
     */
    @Test
    void hostileHeadersAreRefusedAtOnceInEveryState() throws Exception {
        StringBuilder wrong = new StringBuilder();
        for (HostileHeaders.State state : HostileHeaders.State.values()) {
            for (HostileHeaders.Header h : HostileHeaders.all(state.tls13)) {
                HostileHeaders.Subject s = HostileHeaders.create(corpus.contexts, state, Impl.NATIVE);
                UnwrapDriver.Outcome o = driver.feed(s.engine, List.of(h.bytes.clone()), UnwrapDriver.Source.HEAP, 0,
                    UnwrapDriver.Destination.HEAP, new SplittableRandom(1), true);
                if (!o.name.equals(state.exception().getSimpleName()) || o.repeated != null || o.maxSilent != 0) {
                    wrong.append("\n  ").append(state).append(' ').append(h).append(": ").append(o.name)
                        .append(o.repeated == null ? "" : ", then after " + o.repeatedBytes + " bytes " + o.repeated)
                        .append(", ").append(o.maxSilent).append(" bytes taken silently");
                }
                driver.close(s.engine);
                if (s.peer != null) {
                    driver.close(s.peer);
                }
            }
        }
        assertEquals("", wrong.toString(), "hostile headers not refused at once:");
    }

    // ---- the fuzz run -------------------------------------------------------------------------

    /** What went wrong with one input. */
    static final class Failure {
        final String signature;
        final String report;

        Failure(String signature, String report) {
            this.signature = signature;
            this.report = report;
        }
    }

    /** The input being run, for the watchdog and the crash file. */
    static final class Current {
        final long index;
        final long seed;
        final long started;
        volatile Cases.Case fuzzCase;

        Current(long index, long seed) {
            this.index = index;
            this.seed = seed;
            this.started = System.nanoTime();
        }
    }

    private final AtomicReference<Current> current = new AtomicReference<>();
    private final Map<String, Map<String, Long>> outcomes = new TreeMap<>();
    private final Map<String, Long> totals = new TreeMap<>();
    private final Map<String, Long> jdkCauses = new TreeMap<>();
    /** Inputs that ended harmlessly and were sent again: how the input ended, then how the repetitions did. */
    private final Map<String, Long> repeats = new TreeMap<>();
    private long maxRepeated;
    private long repeatedBytes;
    private long maxSilent;
    private final Map<String, Long> setupNanos = new TreeMap<>();
    private final Map<String, Long> runNanos = new TreeMap<>();
    private final Map<String, Failure> failures = new LinkedHashMap<>();
    private long failedInputs;
    private final UnwrapDriver driver = new UnwrapDriver();
    private Cases cases;
    private MappedByteBuffer crashNote;
    /** -Dio.nativetls.fuzz.outcomes=FILE: one line per input (index, outcome, category), to compare two runs. */
    private java.io.BufferedWriter outcomeLog;

    @Test
    @Tag(Tags.FUZZ)
    void unwrapSurvivesMutatedTraffic() throws Throwable {
        long inputs = Long.getLong("io.nativetls.fuzz.inputs", 100_000);
        long seed = Long.decode(System.getProperty("io.nativetls.fuzz.seed", Long.toString(DEFAULT_SEED)));
        long start = Long.getLong("io.nativetls.fuzz.start", 0);
        String problems = fuzz(seed, start, inputs);
        if (!problems.isEmpty()) {
            fail(problems);
        }
    }

    /** Runs inputs start..start+inputs-1 of the base seed; returns the problems found, or "". */
    String fuzz(long seed, long start, long inputs) throws Throwable {
        System.out.printf("UnwrapFuzz: base seed %d (0x%x), inputs %d from index %d; corpus: %s%n", seed, seed,
            inputs, start, corpus.summary());
        openCrashNote();
        String outcomesPath = System.getProperty("io.nativetls.fuzz.outcomes");
        outcomeLog = outcomesPath == null || outcomesPath.isEmpty() ? null
            : Files.newBufferedWriter(Paths.get(outcomesPath), StandardCharsets.UTF_8);
        cases = new Cases(corpus);
        long baseline = settle();
        long began = System.nanoTime();

        AtomicReference<Throwable> workerError = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                run(seed, start, inputs, baseline);
            } catch (Throwable t) {
                workerError.set(t);
            }
        }, "unwrap-fuzz");
        worker.setDaemon(true);
        worker.start();
        watch(worker);
        if (outcomeLog != null) {
            outcomeLog.close();
            outcomeLog = null;
        }
        if (workerError.get() != null) {
            throw workerError.get();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        long after = settle();
        printStatistics(inputs, seconds, seed, start);
        StringBuilder problems = new StringBuilder();
        if (!failures.isEmpty()) {
            problems.append(failedInputs).append(" of ").append(inputs).append(" inputs failed, ")
                .append(failures.size()).append(" distinct problem(s) (base seed ").append(seed).append("):\n");
            for (Failure f : failures.values()) {
                problems.append("\n").append(f.report).append("\n");
            }
        }
        if (after != baseline) {
            problems.append("\nlive native connections: ").append(baseline).append(" before the run, ").append(after)
                .append(" after it and garbage collection (leaked or double-freed)\n");
        }
        return problems.toString();
    }

    /** Fails the test if one input runs far too long; the stuck thread's stack says where. */
    private void watch(Thread worker) throws InterruptedException {
        while (worker.isAlive()) {
            worker.join(200);
            Current c = current.get();
            if (c != null && worker.isAlive() && System.nanoTime() - c.started > HANG_NANOS) {
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement e : worker.getStackTrace()) {
                    stack.append("\n    at ").append(e);
                }
                Cases.Case fc = c.fuzzCase;
                fail("input " + c.index + " (seed " + c.seed + ") has not finished after "
                    + (System.nanoTime() - c.started) / 1_000_000 + " ms: a hang."
                    + (fc == null ? " (still making the case)" : "\n" + describe(fc)) + "\nfuzz thread:" + stack);
            }
        }
    }

    private void run(long seed, long start, long inputs, long baseline) throws Exception {
        for (long i = start; i < start + inputs; i++) {
            long inputSeed = inputSeed(seed, i);
            Current c = new Current(i, inputSeed);
            current.set(c);
            noteCrash(i, inputSeed);
            runOne(c);
            c.fuzzCase = null; // an abandoned engine must be unreachable for the checkpoint's GC
            if ((i - start + 1) % CHECKPOINT == 0 && i + 1 < start + inputs) {
                checkpoint(i - start + 1, baseline);
            }
        }
        current.set(null);
    }

    private void runOne(Current cur) throws Exception {
        SplittableRandom rnd = new SplittableRandom(cur.seed);
        long before = liveConnections();
        long made = System.nanoTime();
        Cases.Case c = cases.create(rnd);
        setupNanos.merge(c.target.label, System.nanoTime() - made, Long::sum);
        cur.fuzzCase = c;
        UnwrapDriver.Source src = UnwrapDriver.Source.values()[Cases.weighted(rnd, new int[] {66, 24, 5, 5})];
        int offset = rnd.nextInt(3) == 0 ? rnd.nextInt(64) : 0;
        UnwrapDriver.Destination dst = UnwrapDriver.Destination.values()[Cases.weighted(rnd,
            new int[] {45, 20, 10, 10, 15})];
        boolean abandon = rnd.nextInt(20) == 0;
        String category = c.target.label + " / " + c.kind.label;
        String buffers = src + " source at offset " + offset + ", " + dst + " destination"
            + (abandon ? ", engine then abandoned to the Cleaner" : "");

        long t0 = System.nanoTime();
        String outcome;
        String repeated = null;
        long repeatedInput = 0;
        try {
            UnwrapDriver.Outcome o = driver.feed(c.engine, c.chunks, src, offset, dst, rnd, !c.mustSucceed);
            outcome = o.name;
            repeated = o.repeated;
            repeatedInput = o.repeatedBytes;
            if (o.repeated != null) {
                repeats.merge(o.name + ", then " + o.repeated, 1L, Long::sum);
                maxRepeated = Math.max(maxRepeated, o.repeatedBytes);
                repeatedBytes += o.repeatedBytes;
            }
            maxSilent = Math.max(maxSilent, o.maxSilent);
            if (o.exception != null) {
                checkCauses(o.exception, cur, c, buffers);
            }
            if (c.mustSucceed && o.exception != null) {
                failure(cur, c, buffers, "unmutated traffic failed", o.exception);
            }
            if (!abandon) {
                driver.close(c.engine);
            }
        } catch (UnwrapDriver.Violation v) {
            outcome = "VIOLATION";
            failure(cur, c, buffers, "contract: " + v.getMessage(), v);
        } catch (Throwable t) {
            outcome = "THREW " + t.getClass().getSimpleName();
            failure(cur, c, buffers, "the engine threw " + t.getClass().getName(), t);
        }
        boolean failed = outcome.equals("VIOLATION") || outcome.startsWith("THREW ");
        if (failed) {
            closeQuietly(c.engine);
        }
        long elapsed = System.nanoTime() - t0;
        runNanos.merge(c.target.label, elapsed, Long::sum);
        for (SSLEngine peer : c.peers) {
            try {
                driver.close(peer);
            } catch (Throwable t) {
                failure(cur, c, buffers, "closing the peer (" + peer.getClass().getSimpleName() + ") threw", t);
            }
        }
        if (elapsed > INPUT_LIMIT_NANOS) {
            failure(cur, c, buffers, "took " + elapsed / 1_000_000 + " ms (limit " + INPUT_LIMIT_NANOS / 1_000_000
                + " ms)", null);
        }
        long after = liveConnections();
        if (!failed && after > before + (abandon ? 1 : 0)) {
            failure(cur, c, buffers, "live native connections went from " + before + " to " + after
                + " although every engine was closed in both directions", null);
        }
        outcomes.computeIfAbsent(category, k -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
        totals.merge(outcome, 1L, Long::sum);
        if (outcomeLog != null) {
            outcomeLog.write(cur.index + "\t" + outcome + "\t" + (repeated == null ? "-" : repeated + " after "
                + repeatedInput + " bytes") + "\t" + category + "\t" + elapsed / 1000 + "us\n");
        }
    }

    /** Best effort after a failure, so one problem is not reported again as a leak. */
    private static void closeQuietly(SSLEngine e) {
        try {
            e.closeOutbound();
            e.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(64 * 1024));
        } catch (Throwable ignored) {
            // already reported
        }
        try {
            e.closeInbound();
        } catch (Throwable ignored) {
            // already reported
        }
    }

    /** An SSLException built around a runtime exception thrown by NativeTLS code is a bug too. */
    private void checkCauses(SSLException x, Current cur, Cases.Case c, String buffers) {
        for (Throwable t = x.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof RuntimeException || t instanceof Error) {
                StackTraceElement[] st = t.getStackTrace();
                if (st.length > 0 && st[0].getClassName().startsWith("io.nativetls.")) {
                    failure(cur, c, buffers, "the SSLException wraps " + t.getClass().getName()
                        + " thrown inside NativeTLS", x);
                } else {
                    jdkCauses.merge(x.getClass().getSimpleName() + " caused by " + t.getClass().getName()
                        + (st.length > 0 ? " at " + st[0] : ""), 1L, Long::sum);
                }
            }
        }
    }

    private void failure(Current cur, Cases.Case c, String buffers, String what, Throwable t) {
        failedInputs++;
        // One entry per kind of problem, whatever input found it: the first few inputs are shown.
        String signature = what.replaceAll("[0-9]+", "#") + (t == null || t instanceof UnwrapDriver.Violation ? ""
            : " " + t.getClass().getName() + " at " + firstNativeTlsFrame(t));
        if (failures.containsKey(signature) || failures.size() >= MAX_REPORTED_FAILURES) {
            return;
        }
        StringBuilder r = new StringBuilder();
        r.append("input ").append(cur.index).append(" (input seed ").append(cur.seed).append("): ").append(what)
            .append('\n').append(describe(c)).append("\n  buffers: ").append(buffers);
        byte[] all = Tls.concat(c.chunks);
        Path saved = save(cur, all);
        r.append("\n  input saved to ").append(saved);
        if (c.replayable) {
            r.append("\n  input (hex, ").append(all.length).append(" bytes): ")
                .append(all.length <= 4096 ? Tls.hex(all) : Tls.hex(Arrays.copyOf(all, 4096)) + "...");
        }
        if (t != null) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            r.append("\n  ").append(sw.toString().replace("\n", "\n  "));
        }
        failures.put(signature, new Failure(signature, r.toString()));
        System.out.println("UnwrapFuzz FAILURE " + r);
    }

    /** Writes a failing input next to the crash note, for a regression case. */
    private static Path save(Current cur, byte[] input) {
        Path p = StageFiles.inTarget("unwrap-fuzz-failures").resolve("input-" + cur.index + ".bin");
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, input);
            return p;
        } catch (IOException e) {
            return Paths.get("(not saved: " + e + ")");
        }
    }

    static String describe(Cases.Case c) {
        StringBuilder s = new StringBuilder();
        s.append("  target: ").append(c.target.label).append(", mutation: ").append(c.kind.label)
            .append("\n  setup: ").append(c.setup)
            .append("\n  mutations: ").append(c.mutations.isEmpty() ? "none" : c.mutations)
            .append("\n  input: ").append(c.size()).append(" bytes in ").append(c.chunks.size()).append(" chunk(s)");
        return s.toString();
    }

    private static String firstNativeTlsFrame(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("io.nativetls.") && !e.getClassName().startsWith("io.nativetls.fuzz.")) {
                return e.getClassName() + "." + e.getMethodName();
            }
        }
        return "(no NativeTLS frame)";
    }

    private void checkpoint(long done, long baseline) throws InterruptedException {
        long live = settle();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("UnwrapFuzz: %d inputs, live connections %d (baseline %d), heap used %d MB, RSS %s%n", done,
            live, baseline, (rt.totalMemory() - rt.freeMemory()) >> 20, rss());
        if (live != baseline) {
            Current c = current.get();
            failures.putIfAbsent("checkpoint leak", new Failure("checkpoint leak", "after " + done
                + " inputs (last index " + (c == null ? "?" : c.index) + ") and garbage collection, " + live
                + " native connections are live instead of " + baseline));
        }
    }

    /** Collects garbage until the live connection count stops changing (the Cleaner runs on its own thread). */
    static long settle() throws InterruptedException {
        long last = liveConnections();
        int stable = 0;
        for (int i = 0; i < 300 && stable < 5; i++) {
            System.gc();
            Thread.sleep(20);
            long now = liveConnections();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    static String rss() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux: no figure
        }
        return "?";
    }

    private void printStatistics(long inputs, double seconds, long seed, long start) {
        TreeSet<String> columns = new TreeSet<>(totals.keySet());
        List<String> cols = new ArrayList<>(columns);
        int width = 0;
        for (String k : outcomes.keySet()) {
            width = Math.max(width, k.length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("UnwrapFuzz: %d inputs in %.1f s (base seed %d = 0x%x, from index %d), RSS %s%n",
            inputs, seconds, seed, seed, start, rss()));
        sb.append(String.format("%-" + width + "s %8s", "category", "inputs"));
        for (String col : cols) {
            sb.append(' ').append(String.format("%" + Math.max(8, col.length()) + "s", col));
        }
        sb.append('\n');
        for (Map.Entry<String, Map<String, Long>> e : outcomes.entrySet()) {
            long n = 0;
            for (long v : e.getValue().values()) {
                n += v;
            }
            sb.append(String.format("%-" + width + "s %8d", e.getKey(), n));
            for (String col : cols) {
                sb.append(' ').append(String.format("%" + Math.max(8, col.length()) + "d",
                    e.getValue().getOrDefault(col, 0L)));
            }
            sb.append('\n');
        }
        sb.append(String.format("%-" + width + "s %8d", "all", inputs));
        for (String col : cols) {
            sb.append(' ').append(String.format("%" + Math.max(8, col.length()) + "d", totals.get(col)));
        }
        sb.append('\n');
        for (String t : setupNanos.keySet()) {
            sb.append(String.format("time for %s: %.1f s making inputs, %.1f s unwrapping and closing%n", t,
                setupNanos.get(t) / 1e9, runNanos.getOrDefault(t, 0L) / 1e9));
        }
        long repeatedInputs = 0;
        for (long n : repeats.values()) {
            repeatedInputs += n;
        }
        sb.append("hostile inputs sent again after ending harmlessly: ").append(repeatedInputs).append(", ")
            .append(repeatedBytes).append(" bytes of repetitions in all, at most ").append(maxRepeated)
            .append(" for one input until it was refused; ").append(repeats).append('\n');
        sb.append("most bytes taken without a sign of life: ").append(maxSilent).append(" (bound ")
            .append(UnwrapDriver.SILENT_BOUND).append(")\n");
        sb.append("closing wraps that threw an SSLException: ").append(driver.closeWrapExceptions).append('\n');
        for (Map.Entry<String, Long> e : jdkCauses.entrySet()) {
            sb.append("JDK exception inside an SSLException: ").append(e.getKey()).append(" x").append(e.getValue())
                .append('\n');
        }
        System.out.print(sb);
    }

    // ---- where a crashed JVM left off ---------------------------------------------------------

    private void openCrashNote() throws IOException {
        Path p = StageFiles.inTarget("unwrap-fuzz-current-input.txt");
        Files.createDirectories(p.getParent());
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            crashNote = ch.map(FileChannel.MapMode.READ_WRITE, 0, 96);
        }
        System.out.println("UnwrapFuzz: if the JVM dies, " + p.toAbsolutePath() + " names the input it was on");
    }

    private void noteCrash(long index, long seed) {
        byte[] text = String.format("index %d input seed %d", index, seed).getBytes(StandardCharsets.US_ASCII);
        byte[] line = Arrays.copyOf(text, 96);
        Arrays.fill(line, text.length, 95, (byte) ' ');
        line[95] = '\n';
        crashNote.put(0, line);
    }
}
