package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.install.ForkedJvm;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jsse.SSLEngine.acceptLargeFragments, which SunJSSE reads once when its classes load (so each
 * value runs in a fresh JVM): with it, sessions report buffer sizes large enough for SunJSSE's
 * 2^15-byte fragments; without it, what one standard record needs. With the property NativeTLS's
 * sizes must be at least SunJSSE's (applications size their buffers from them).
 */
@Timeout(120)
@Tag(Tags.JVM)
class LargeFragmentsTest {
    /** Prints "impl packet application" for a fresh engine's session of each provider. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            for (Contexts.Impl impl : Contexts.Impl.values()) {
                SSLContext context = impl.context("TLS");
                context.init(null, null, null);
                SSLSession session = context.createSSLEngine().getSession();
                System.out.println("SIZES " + impl + " " + session.getPacketBufferSize() + " "
                    + session.getApplicationBufferSize());
            }
        }
    }

    @ParameterizedTest(name = "acceptLargeFragments={0}")
    @ValueSource(booleans = {false, true})
    void sessionBufferSizesFollowTheProperty(boolean large) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("-cp");
        args.add(ForkedJvm.providerClasses() + File.pathSeparator + ForkedJvm.testClasses());
        if (large) {
            args.add("-Djsse.SSLEngine.acceptLargeFragments=true");
        }
        args.add(Probe.class.getName());
        String out = ForkedJvm.run(args);
        int[] sun = sizes(out, "SUN");
        int[] nativeTls = sizes(out, "NATIVE");
        if (large) {
            // Applications sized for SunJSSE's large fragments get at least as much from NativeTLS.
            assertTrue(nativeTls[0] >= sun[0] && nativeTls[1] >= sun[1], "NativeTLS " + nativeTls[0] + "/"
                + nativeTls[1] + " at least SunJSSE's " + sun[0] + "/" + sun[1]);
            assertTrue(sun[1] >= 1 << 15, "SunJSSE grows to 2^15 of plaintext: " + out);
        } else {
            // What one TLS record can hold: 2^14 of plaintext, and a TLS 1.2 record's 2048 of expansion.
            assertTrue(nativeTls[1] >= 1 << 14 && nativeTls[1] < 1 << 15, out);
            assertTrue(nativeTls[0] >= 5 + (1 << 14) + 2048 && nativeTls[0] < sun[0] * 2, out);
            assertTrue(sun[1] < 1 << 15, "SunJSSE stays under 2^15 without the property: " + out);
        }
    }

    private static int[] sizes(String out, String impl) {
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 4 && f[0].equals("SIZES") && f[1].equals(impl)) {
                return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
            }
        }
        throw new AssertionError("no sizes for " + impl + " in:\n" + out);
    }
}
