package io.nativetls.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SunJSSE's jdk.tls.{client,server}.enableSessionTicketExtension switches, honoured when a
 * NativeTLS context is initialised. Both ways of resuming TLS 1.2, by ticket or by session id,
 * show both sides the same id (see SessionIdTest).
 */
@Timeout(60)
class SessionTicketSwitchTest {
    private static final String CLIENT = "jdk.tls.client.enableSessionTicketExtension";
    private static final String SERVER = "jdk.tls.server.enableSessionTicketExtension";

    private static <T> T withProperty(String name, String value, Callable<T> action) throws Exception {
        String old = System.getProperty(name);
        System.setProperty(name, value);
        try {
            return action.call();
        } finally {
            if (old == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, old);
            }
        }
    }

    private static SSLContext[] contexts() {
        return new SSLContext[] {Contexts.client(Impl.NATIVE), Contexts.server(Impl.NATIVE, "server-ec")};
    }

    @Test
    void withTicketsTls12ResumesByTicket() throws Exception {
        SSLContext[] ctx = contexts();
        SSLSession[] first = EngineResumptionTest.connect(ctx[0], ctx[1], "TLSv1.2", 443);
        SSLSession[] second = EngineResumptionTest.connect(ctx[0], ctx[1], "TLSv1.2", 443);
        assertSame(first[0], second[0], "the client resumed");
        assertSame(first[1], second[1], "the server resumed");
        assertArrayEquals(second[1].getId(), second[0].getId(), "a ticket leaves both sides the server's id");
    }

    @ParameterizedTest(name = "{0}=false")
    @ValueSource(strings = {CLIENT, SERVER})
    void withoutTicketsTls12ResumesBySessionId(String property) throws Exception {
        SSLContext[] ctx = withProperty(property, "false", SessionTicketSwitchTest::contexts);
        SSLSession[] first = EngineResumptionTest.connect(ctx[0], ctx[1], "TLSv1.2", 443);
        SSLSession[] second = EngineResumptionTest.connect(ctx[0], ctx[1], "TLSv1.2", 443);
        assertSame(first[0], second[0], "the client resumed");
        assertSame(first[1], second[1], "the server resumed");
        assertArrayEquals(second[1].getId(), second[0].getId(), "both sides name the session by the server's id");
        assertEquals(1, java.util.Collections.list(ctx[1].getServerSessionContext().getIds()).size());
    }

    /** A server without stateless tickets still resumes TLS 1.3, by a ticket naming its cached session. */
    @Test
    void withoutServerTicketsTls13StillResumes() throws Exception {
        SSLContext[] ctx = withProperty(SERVER, "false", SessionTicketSwitchTest::contexts);
        SSLSession[] first = EngineResumptionTest.connect(ctx[0], ctx[1], "TLSv1.3", 443);
        SSLSession[] second = EngineResumptionTest.connect(ctx[0], ctx[1], "TLSv1.3", 443);
        SSLSession[] third = EngineResumptionTest.connect(ctx[0], ctx[1], "TLSv1.3", 443);
        assertSame(first[1], second[1], "the server resumed");
        assertSame(first[1], third[1], "and again");
        // ...and invalidating the server's session ends it.
        first[1].invalidate();
        SSLSession[] fourth = EngineResumptionTest.connect(ctx[0], ctx[1], "TLSv1.3", 443);
        assertNotSame(first[1], fourth[1]);
    }
}
