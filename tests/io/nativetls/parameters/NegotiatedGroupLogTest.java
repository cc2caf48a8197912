package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.ssl.NativeRuntime;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.SavedProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key exchange group in the DEBUG handshake line (from the handshake's one native summary),
 * both roles, TLS 1.2 and 1.3: the group jdk.tls.namedGroups leaves; for a TLS 1.2 resumption,
 * which exchanges no key, the group of the handshake that made the session (OpenSSL keeps it in
 * the session). Read in this JVM through java.util.logging, which
 * System.Logger uses by default.
 */
class NegotiatedGroupLogTest {
    private static final String PROPERTY = "jdk.tls.namedGroups";
    private static final Pattern DONE = Pattern.compile(
        "TLS handshake done: role=(\\w+) .* protocol=(\\S+) .* group=(\\S+) .* resumed=(\\w+) ");

    private final Logger logger = Logger.getLogger("io.nativetls");
    private final List<String> lines = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (lines) {
                lines.add(record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level before;

    @BeforeEach
    void listen() {
        before = logger.getLevel();
        logger.setLevel(Level.FINE);
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        logger.setLevel(before);
    }

    /** "role protocol group resumed" of each handshake line logged since the last call. */
    private List<String> done() {
        List<String> out = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                Matcher m = DONE.matcher(line + " ");
                if (line.startsWith("TLS handshake done")) {
                    assertTrue(m.find(), line);
                    out.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
                }
            }
            lines.clear();
        }
        return out;
    }

    private static void handshake(SSLContext client, SSLContext server, String... protocols) throws Exception {
        SSLEngine c = client.createSSLEngine("localhost", 4433);
        c.setUseClientMode(true);
        if (protocols.length > 0) {
            c.setEnabledProtocols(protocols);
        }
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        new EnginePair(c, s).handshake();
    }

    @Test
    void theLineNamesTheNegotiatedGroup() throws Exception {
        try (SavedProperty restored = SavedProperty.of(PROPERTY)) {
            System.setProperty(PROPERTY, "secp384r1");
            handshake(Contexts.client(Impl.NATIVE), Contexts.server(Impl.NATIVE, "server-ec"));
            assertEquals(List.of("server TLSv1.3 secp384r1 false", "client TLSv1.3 secp384r1 false"), sorted(done()));

            // TLS 1.2, then resumed: the abbreviated handshake has no key exchange of its own and reports
            // the session's. (RSA key: a TLS 1.2 ECDSA server would need its certificate's curve among the groups.)
            System.setProperty(PROPERTY, "NoSuchGroup,secp521r1");
            SSLContext client = Contexts.client(Impl.NATIVE);
            SSLContext server = Contexts.server(Impl.NATIVE, "server-rsa");
            handshake(client, server, "TLSv1.2");
            assertEquals(List.of("server TLSv1.2 secp521r1 false", "client TLSv1.2 secp521r1 false"), sorted(done()));
            System.setProperty(PROPERTY, "secp384r1,secp521r1"); // a new full handshake would choose secp384r1
            handshake(client, server, "TLSv1.2");
            assertEquals(List.of("server TLSv1.2 secp521r1 true", "client TLSv1.2 secp521r1 true"), sorted(done()));
        }
    }

    /** OpenSSL's own default: X25519MLKEM768 from 3.5 on, x25519 before. */
    @Test
    void withoutAListOpenSslsDefaultGroupIsReported() throws Exception {
        try (SavedProperty restored = SavedProperty.of(PROPERTY)) {
            System.clearProperty(PROPERTY);
            handshake(Contexts.client(Impl.NATIVE), Contexts.server(Impl.NATIVE, "server-ec"));
        }
        Matcher m = Pattern.compile("OpenSSL 3\\.(\\d+)").matcher(NativeRuntime.openSslVersion());
        assertTrue(m.find(), NativeRuntime.openSslVersion());
        String expected = Integer.parseInt(m.group(1)) >= 5 ? "X25519MLKEM768" : "x25519";
        assertEquals(List.of("server TLSv1.3 " + expected + " false", "client TLSv1.3 " + expected + " false"),
            sorted(done()));
    }

    /** Server first: the order the two lines come in depends on which side finishes first. */
    private static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        copy.sort((a, b) -> b.compareTo(a));
        return copy;
    }
}
