package io.nativetls.frameworks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.NativeTlsProvider;
import io.nativetls.testing.Contexts;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** What the framework tests share: the response body, the NativeTLS checks, provider registration. */
final class FrameworkSupport {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String INTERNAL = "io.nativetls.internal.";

    private FrameworkSupport() {}

    /**
     * A body of several TLS records (16 KiB each at most) whose every line is numbered, so a lost,
     * repeated or reordered record shows up as a mismatch.
     */
    static String body() {
        StringBuilder sb = new StringBuilder(70_000);
        for (int i = 0; sb.length() < 65_000; i++) {
            sb.append("line ").append(i).append(" of a response that NativeTLS encrypted\n");
        }
        return sb.toString();
    }

    static byte[] bodyBytes() {
        return body().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Jetty names the provider in its configuration, which only finds providers
     * registered in java.security.Security. Appended, not inserted, so SSLContext.getInstance("TLS")
     * and getDefault() stay SunJSSE's for every other test in this JVM.
     */
    static void registerAppended() {
        synchronized (FrameworkSupport.class) {
            if (Security.getProvider(NativeTlsProvider.NAME) == null) {
                Security.addProvider(Contexts.NATIVE);
            }
        }
    }

    static void assertNative(SSLEngine engine) {
        assertTrue(engine.getClass().getName().startsWith(INTERNAL), "not a NativeTLS engine: " + engine.getClass());
        assertNative(engine.getSession());
    }

    static void assertNative(SSLSocket socket) {
        assertTrue(socket.getClass().getName().startsWith(INTERNAL), "not a NativeTLS socket: " + socket.getClass());
        assertNative(socket.getSession());
    }

    static void assertNative(SSLSession session) {
        assertTrue(session.getClass().getName().startsWith(INTERNAL),
            "not a NativeTLS session: " + session.getClass());
    }

    static void assertNative(SSLSession session, String protocol) {
        assertNative(session);
        assertEquals(protocol, session.getProtocol());
    }
}
