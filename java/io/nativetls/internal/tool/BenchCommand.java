package io.nativetls.internal.tool;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * {@code bench}: NativeTLS next to SunJSSE in this JVM, over in-memory engine pairs, one thread:
 * TLS 1.3 full handshakes with an ECDSA P-256 certificate, and AES-128-GCM bulk transfer in 16 KiB
 * records. A quick look, not a benchmark suite (bench/ has the JMH one); each phase warms up first.
 */
final class BenchCommand {
    static final Set<String> OPTIONS = Set.of("seconds");
    private static final String[] TLS13 = {"TLSv1.3"};
    private static final String[] AES_128_GCM = {"TLS_AES_128_GCM_SHA256"};
    private static final int RECORD = 16_384;
    private static final int PHASES = 4;

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

        Side(String name, SSLContext client, SSLContext server, SelfSignedIdentity identity)
            throws GeneralSecurityException {
            this.name = name;
            this.client = client;
            this.server = server;
            client.init(null, identity.trustManagers(), null);
            server.init(identity.keyManagers(), null, null);
        }
    }

    int run(Options options) throws UsageException, ToolFailure {
        if (!options.positional().isEmpty()) {
            throw new UsageException("bench takes options only, not " + options.positional().get(0));
        }
        double seconds = options.decimal("seconds", 24, 0.4, 3600);
        double phaseSeconds = seconds / PHASES;
        Side nativeTls;
        Side sunJsse;
        try {
            SelfSignedIdentity identity = new SelfSignedIdentity("localhost");
            NativeTlsProvider provider = new NativeTlsProvider();
            nativeTls = new Side("NativeTLS", SSLContext.getInstance("TLS", provider),
                SSLContext.getInstance("TLS", provider), identity);
            sunJsse = new Side("SunJSSE", SSLContext.getInstance("TLS", "SunJSSE"),
                SSLContext.getInstance("TLS", "SunJSSE"), identity);
        } catch (GeneralSecurityException | SSLException e) {
            throw new ToolFailure("setting up the contexts failed: " + e.getMessage(), e);
        }
        try {
            double nativeHandshakes = handshakes(nativeTls, phaseSeconds);
            double sunHandshakes = handshakes(sunJsse, phaseSeconds);
            double nativeBulk = bulk(nativeTls, phaseSeconds);
            double sunBulk = bulk(sunJsse, phaseSeconds);
            out.printf("NativeTLS %s with %s, Java %s; in-memory SSLEngine pairs, one thread, %.1f s per figure%n",
                InfoCommand.version(), NativeTls.openSslVersion(), System.getProperty("java.version"),
                phaseSeconds * 5 / 6);
            out.printf("%-38s %12s %12s %10s%n", "", "NativeTLS", "SunJSSE", "ratio");
            row("TLS 1.3 ECDSA P-256 handshakes/s", nativeHandshakes, sunHandshakes);
            row("AES-128-GCM 16 KiB bulk MB/s", nativeBulk, sunBulk);
            out.println("A quick look: SunJSSE's Java code keeps speeding up as the JIT compiles it, so short runs"
                + " favour NativeTLS; bench/ has the JMH suite.");
        } catch (SSLException e) {
            throw new ToolFailure("a benchmark connection failed: " + e.getMessage(), e);
        }
        return Main.EXIT_OK;
    }

    private void row(String label, double nativeTls, double sunJsse) {
        out.printf("%-38s %12s %12s %9sx%n", label, number(nativeTls), number(sunJsse),
            sunJsse > 0 ? String.format(Locale.ROOT, "%.2f", nativeTls / sunJsse) : "-");
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%.2f", v);
    }

    /** A phase's clock: warm-up first, then the measured part; a dot on stderr per second. */
    private final class Phase {
        private final long start = System.nanoTime();
        private final long measureFrom;
        private final long end;
        private long nextDot;
        private long measuredStart;

        Phase(String label, double seconds) {
            long total = (long) (seconds * 1e9);
            measureFrom = start + total / 6;
            end = start + total;
            nextDot = start + 1_000_000_000L;
            err.printf("%-40s", label);
            err.flush();
        }

        /** False once the phase is over; marks the start of measuring as it passes. */
        boolean running() {
            long now = System.nanoTime();
            if (now >= nextDot) {
                err.print('.');
                err.flush();
                nextDot += 1_000_000_000L;
            }
            if (measuredStart == 0 && now >= measureFrom) {
                measuredStart = now;
            }
            return now < end;
        }

        boolean measuring() {
            return measuredStart != 0;
        }

        double measuredSeconds() {
            return (System.nanoTime() - measuredStart) / 1e9;
        }

        void done(String result) {
            err.println(" " + result);
        }
    }

    private double handshakes(Side side, double seconds) throws SSLException {
        Phase phase = new Phase(side.name + " TLS 1.3 handshakes", seconds);
        long count = 0;
        while (phase.running()) {
            boolean counted = phase.measuring();
            MemoryEnginePair pair = new MemoryEnginePair(side.client, side.server, TLS13, null);
            try {
                pair.handshake();
            } finally {
                pair.close();
            }
            if (counted) {
                count++;
            }
        }
        double rate = count / phase.measuredSeconds();
        phase.done(number(rate) + " handshakes/s");
        return rate;
    }

    private double bulk(Side side, double seconds) throws SSLException {
        Phase phase = new Phase(side.name + " AES-128-GCM 16 KiB records", seconds);
        MemoryEnginePair pair = new MemoryEnginePair(side.client, side.server, TLS13, AES_128_GCM);
        long bytes = 0;
        try {
            pair.handshake();
            String suite = pair.client.getSession().getCipherSuite();
            if (!AES_128_GCM[0].equals(suite)) {
                throw new SSLException("negotiated " + suite + " instead of " + AES_128_GCM[0]);
            }
            ByteBuffer src = ByteBuffer.allocateDirect(RECORD);
            ByteBuffer dst = ByteBuffer.allocateDirect(pair.server.getSession().getApplicationBufferSize() * 2);
            while (phase.running()) {
                boolean counted = phase.measuring();
                src.clear();
                int got = pair.transfer(src, dst);
                if (got != RECORD) {
                    throw new SSLException("sent " + RECORD + " bytes, " + got + " arrived");
                }
                if (counted) {
                    bytes += got;
                }
            }
        } finally {
            pair.close();
        }
        double rate = bytes / 1e6 / phase.measuredSeconds();
        phase.done(number(rate) + " MB/s");
        return rate;
    }
}
