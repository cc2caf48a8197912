package io.nativetls.integrations.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/** Proof, on the server side, that an engine or session is NativeTLS's. */
public final class NativeTlsChecks {
    private static final String PACKAGE = "io.nativetls.";

    private NativeTlsChecks() {}

    public static void assertNative(SSLEngine engine) {
        assertNotNull(engine, "no server engine");
        assertTrue(engine.getClass().getName().startsWith(PACKAGE), "not a NativeTLS engine: " + engine.getClass());
        assertNative(engine.getSession());
    }

    public static void assertNative(SSLSession session) {
        assertNotNull(session, "no server session");
        assertTrue(session.getClass().getName().startsWith(PACKAGE),
            "not a NativeTLS session: " + session.getClass());
    }

    /**
     * The session a framework reported by id only (servlet attribute
     * {@code jakarta.servlet.request.ssl_session_id}, hex) is held by the server's session context,
     * and that context and the session are NativeTLS's.
     */
    public static SSLSession assertNativeSession(SSLSessionContext serverSessions, String hexSessionId) {
        assertNotNull(serverSessions, "no server session context");
        assertTrue(serverSessions.getClass().getName().startsWith(PACKAGE),
            "not a NativeTLS session context: " + serverSessions.getClass());
        assertNotNull(hexSessionId, "the server reported no session id");
        SSLSession session = serverSessions.getSession(HexFormat.of().parseHex(hexSessionId));
        assertNotNull(session, "session " + hexSessionId + " is not in the server's NativeTLS session cache");
        assertNative(session);
        return session;
    }
}
