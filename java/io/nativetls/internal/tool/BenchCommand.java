package io.nativetls.internal.tool;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import io.nativetls.internal.ssl.NativeRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * {@code bench}: NativeTLS next to SunJSSE in this JVM, over in-memory engine pairs, one thread:
 * TLS 1.3 full and resumed handshakes with an ECDSA P-256 certificate, and AES-128-GCM and
 * ChaCha20-Poly1305 bulk transfer in 16 KiB records. Both providers are warmed up on every row
 * before anything is measured, as the JMH suite (bench/) warms its forks up: SunJSSE's Java code
 * runs several times faster once the JIT has compiled it, so a cold figure would flatter NativeTLS.
 */
final class BenchCommand {
    static final Set<String> OPTIONS = Set.of("seconds");
    private static final String[] TLS13 = {"TLSv1.3"};
    private static final int RECORD = 16_384;
    /** Of each row's time per provider, what warming up takes before the measured part. */
    private static final double WARM_UP_SHARE = 0.4;

    /** What is measured, in the order of the table. */
    private enum Row {
        FULL("TLS 1.3 ECDSA P-256 handshakes/s", null),
        RESUMED("TLS 1.3 resumed handshakes/s", null),
        AES_GCM("AES-128-GCM 16 KiB bulk MB/s", "TLS_AES_128_GCM_SHA256"),
        CHACHA20("ChaCha20-Poly1305 16 KiB bulk MB/s", "TLS_CHACHA20_POLY1305_SHA256");

        final String label;
        /** The one suite a bulk row negotiates; null for the handshake rows (the defaults). */
        final String suite;

        Row(String label, String suite) {
            this.label = label;
            this.suite = suite;
        }
    }

    private final PrintStream out;
    private final PrintStream err;

    BenchCommand(Console console) {
        this.out = console.out;
        this.err = console.err;
    }

    /** One provider's client and server contexts sharing a self-signed P-256 identity. */
    private static final class Side {
        final String name;
        final SSLContext client;
        final SSLContext server;
        /** The in-memory link every connection of this side reuses (one thread). */
        final MemoryEnginePair.Wire wire = new MemoryEnginePair.Wire();

        Side(String name, SSLContext client, SSLContext server, SelfSignedIdentity identity)
            throws GeneralSecurityException {
            this.name = name;
            this.client = client;
            this.server = server;
            client.init(null, identity.trustManagers(), null);
            server.init(identity.keyManagers(), null, null);
        }

        /** Whether both contexts can negotiate the suite (FIPS mode, for one, has no ChaCha20). */
        boolean supports(String suite) {
            return suite == null || (Arrays.asList(client.getSupportedSSLParameters().getCipherSuites()).contains(suite)
                && Arrays.asList(server.getSupportedSSLParameters().getCipherSuites()).contains(suite));
        }
    }

    int run(Options options) throws UsageException, ToolFailure {
        if (!options.positional().isEmpty()) {
            throw new UsageException("bench takes options only, not " + options.positional().get(0));
        }
        double seconds = options.decimal("seconds", 40, 0.8, 3600);
        List<Side> sides;
        try {
            SelfSignedIdentity identity = new SelfSignedIdentity("localhost");
            NativeTlsProvider provider = new NativeTlsProvider();
            sides = List.of(
                new Side("NativeTLS", SSLContext.getInstance("TLS", provider), SSLContext.getInstance("TLS", provider),
                    identity),
                new Side("SunJSSE", SSLContext.getInstance("TLS", "SunJSSE"), SSLContext.getInstance("TLS", "SunJSSE"),
                    identity));
        } catch (GeneralSecurityException | SSLException e) {
            throw new ToolFailure("setting up the contexts failed: " + e.getMessage(), e);
        }
        double slot = seconds / (Row.values().length * sides.size());
        double[][] rates = new double[Row.values().length][sides.size()];
        try {
            for (Row row : Row.values()) {
                for (Side side : sides) {
                    if (side.supports(row.suite)) {
                        measure(side, row, slot * WARM_UP_SHARE, "warm-up");
                    }
                }
            }
            for (Row row : Row.values()) {
                for (int i = 0; i < sides.size(); i++) {
                    Side side = sides.get(i);
                    rates[row.ordinal()][i] = side.supports(row.suite)
                        ? measure(side, row, slot * (1 - WARM_UP_SHARE), "measure") : -1;
                }
            }
        } catch (SSLException e) {
            throw new ToolFailure("a benchmark connection failed: " + e.getMessage(), e);
        }
        out.printf("NativeTLS %s, %s%s, Java %s (%s)%n", InfoCommand.version(), NativeTls.openSslVersion(),
            NativeRuntime.fipsMode() ? " in FIPS mode" : "", System.getProperty("java.version"),
            System.getProperty("java.vendor"));
        out.printf("Machine: %s, %d cores; in-memory SSLEngine pairs, one thread; each figure after %.1f s of"
            + " warm-up on every row, measured for %.1f s%n", cpuModel(), Runtime.getRuntime().availableProcessors(),
            slot * WARM_UP_SHARE, slot * (1 - WARM_UP_SHARE));
        out.printf("%-38s %12s %12s %10s%n", "", "NativeTLS", "SunJSSE", "ratio");
        for (Row row : Row.values()) {
            row(row.label, rates[row.ordinal()][0], rates[row.ordinal()][1]);
        }
        out.println("A quick look on one thread; bench/ has the JMH suite, and docs/PERFORMANCE.md its figures.");
        return Main.EXIT_OK;
    }

    /** The processor's name as the kernel reports it, else the architecture. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                String key = colon > 0 ? line.substring(0, colon).trim() : "";
                if (key.equals("model name") || key.equals("Hardware") || key.equals("Model")) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the architecture is all there is to say
        }
        return System.getProperty("os.arch");
    }

    private void row(String label, double nativeTls, double sunJsse) {
        out.printf("%-38s %12s %12s %10s%n", label, number(nativeTls), number(sunJsse),
            nativeTls > 0 && sunJsse > 0 ? String.format(Locale.ROOT, "%.2fx", nativeTls / sunJsse) : "-");
    }

    private static String number(double v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.2f", v);
    }

    /** Runs the row for about seconds and returns its rate; one progress line on stderr, a dot per second. */
    private double measure(Side side, Row row, double seconds, String what) throws SSLException {
        err.printf("%-10s %-9s %-36s", side.name, what, row.label);
        err.flush();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        Clock clock = new Clock(start, end);
        double rate;
        switch (row) {
            case FULL:
                rate = handshakes(side, clock, false);
                break;
            case RESUMED:
                rate = handshakes(side, clock, true);
                break;
            default:
                rate = bulk(side, row.suite, clock);
                break;
        }
        err.println(" " + number(rate));
        return rate;
    }

    /** A measured stretch of time; a dot on stderr per second. */
    private final class Clock {
        private final long start;
        private final long end;
        private long nextDot;

        Clock(long start, long end) {
            this.start = start;
            this.end = end;
            this.nextDot = start + 1_000_000_000L;
        }

        boolean running() {
            long now = System.nanoTime();
            if (now >= nextDot) {
                err.print('.');
                err.flush();
                nextDot += 1_000_000_000L;
            }
            return now < end;
        }

        double elapsedSeconds() {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /**
     * Handshakes per second. Resumed: the client offers the previous connection's session (a peer
     * host and port, so its cache has one), and each connection reads a byte from the server, which
     * also hands the client its ticket; every measured handshake must have resumed.
     */
    private static double handshakes(Side side, Clock clock, boolean resumed) throws SSLException {
        SSLSession previous = resumed ? connect(side, true) : null; // the first session, for the next to resume
        long count = 0;
        while (clock.running()) {
            SSLSession session = connect(side, resumed);
            if (resumed && !sameSession(previous, session)) {
                throw new SSLException(side.name + " did not resume its TLS 1.3 session");
            }
            count++;
        }
        return count / clock.elapsedSeconds();
    }

    /** A resumed session is the one resumed, or for providers that copy it, one of the same creation time. */
    private static boolean sameSession(SSLSession previous, SSLSession session) {
        return previous == session || previous.getCreationTime() == session.getCreationTime();
    }

    /** One connection; returns the client's session. */
    private static SSLSession connect(Side side, boolean resumable) throws SSLException {
        MemoryEnginePair pair = new MemoryEnginePair(side.wire, side.client, side.server, TLS13, null, resumable);
        try {
            pair.handshake();
            if (resumable) {
                pair.respond();
            }
            return pair.client.getSession();
        } finally {
            pair.close();
        }
    }

    private static double bulk(Side side, String suite, Clock clock) throws SSLException {
        MemoryEnginePair pair = new MemoryEnginePair(side.wire, side.client, side.server, TLS13, new String[] {suite}, false);
        long bytes = 0;
        try {
            pair.handshake();
            String negotiated = pair.client.getSession().getCipherSuite();
            if (!suite.equals(negotiated)) {
                throw new SSLException("negotiated " + negotiated + " instead of " + suite);
            }
            ByteBuffer src = ByteBuffer.allocateDirect(RECORD);
            ByteBuffer dst = ByteBuffer.allocateDirect(pair.server.getSession().getApplicationBufferSize() * 2);
            while (clock.running()) {
                src.clear();
                int got = pair.transfer(src, dst);
                if (got != RECORD) {
                    throw new SSLException("sent " + RECORD + " bytes, " + got + " arrived");
                }
                bytes += got;
            }
        } finally {
            pair.close();
        }
        return bytes / 1e6 / clock.elapsedSeconds();
    }
}
