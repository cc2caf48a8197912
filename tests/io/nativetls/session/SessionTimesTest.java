package io.nativetls.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Connections;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * getCreationTime and getLastAccessedTime of a new and of a resumed session, NativeTLS beside
 * SunJSSE (the same peer, the same configuration). A new session reports its creation time as its
 * last access; a resumption is an access at the time of the resuming handshake and keeps the
 * creation time. SunJSSE (17 and 25) reports that on the server, in TLS 1.3 and TLS 1.2 alike. Its
 * client does not: in TLS 1.2 it keeps the creation time after resuming, in TLS 1.3 it resumes a
 * copy made when the ticket came (accessed then, in the connection before). The JSSE documentation
 * calls "a new connection being established using session data" an access, so NativeTLS clients
 * follow it, and the client's resumption is compared only with that absolute expectation.
 */
@Timeout(60)
class SessionTimesTest {
    private static final String HOST = "times.example";

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            for (Impl peer : Impl.values()) {
                for (boolean client : new boolean[] {true, false}) {
                    out.add(Arguments.of(protocol, peer, client ? "client" : "server"));
                }
            }
        }
        return out;
    }

    /** The times one side reports over two connections to the same peer: {created, accessed} each, and the bounds. */
    private static long[] times(Impl tested, Impl peer, boolean client, String protocol) throws Exception {
        SSLContext c = client ? Contexts.client(tested) : Contexts.client(peer);
        SSLContext s = client ? Contexts.server(peer, "server-ec") : Contexts.server(tested, "server-ec");
        int side = client ? 0 : 1;
        long before1 = System.currentTimeMillis();
        SSLSession first = Connections.connect(c, s, HOST, 443, protocol, null)[side];
        long after1 = System.currentTimeMillis();
        long created1 = first.getCreationTime();
        long accessed1 = first.getLastAccessedTime();
        Thread.sleep(40); // so that an access at resumption cannot be mistaken for the creation
        long before2 = System.currentTimeMillis();
        SSLSession second = Connections.connect(c, s, HOST, 443, protocol, null)[side];
        long after2 = System.currentTimeMillis();
        return new long[] {before1, after1, created1, accessed1, before2, after2, second.getCreationTime(),
            second.getLastAccessedTime()};
    }

    @ParameterizedTest(name = "{0}, peer {1}, the {2}")
    @MethodSource("cases")
    void newSessionIsAccessedWhenCreatedAndResumptionIsAnAccess(String protocol, Impl peer, String role)
        throws Exception {
        boolean client = role.equals("client");
        long[] sun = times(Impl.SUN, peer, client, protocol);
        long[] nat = times(Impl.NATIVE, peer, client, protocol);
        for (long[] t : List.of(sun, nat)) {
            String who = (t == sun ? "SunJSSE " : "NativeTLS ") + role;
            assertTrue(t[0] <= t[2] && t[2] <= t[1], who + ": created during the first handshake");
            assertEquals(t[2], t[3], who + ": a new session's last access is its creation");
            assertEquals(t[2], t[6], who + ": the resumed session keeps its creation time");
        }
        // NativeTLS: resumption is an access, during the second connection.
        assertTrue(nat[4] <= nat[7] && nat[7] <= nat[5],
            "NativeTLS " + role + ": last access " + (nat[7] - nat[4]) + " ms after the second connection began, which"
                + " took " + (nat[5] - nat[4]) + " ms");
        if (!client) {
            assertTrue(sun[4] <= sun[7] && sun[7] <= sun[5], "SunJSSE " + role + ": resumption is an access");
        }
    }
}
