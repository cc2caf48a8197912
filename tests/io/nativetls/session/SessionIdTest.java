package io.nativetls.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Connections;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.SavedProperty;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both ends of a TLS 1.2 connection name its session by the same getId(), the id the ServerHello
 * carried, whether the server also issues a ticket or not, and keep that name when the session is
 * resumed (by ticket or by id): SunJSSE with SunJSSE is the oracle, and every pairing of NativeTLS
 * and SunJSSE must do the same.
 */
@Timeout(60)
class SessionIdTest {
    private static final String HOST = "ids.example";
    private static final String SERVER_TICKETS = "jdk.tls.server.enableSessionTicketExtension";

    private static final String CLIENT_TICKETS = "jdk.tls.client.enableSessionTicketExtension";

    static {
        // SunJSSE reads the two properties once, when its first engine is made: made here with the
        // defaults, so that setting them below changes the NativeTLS contexts only.
        Contexts.client(Impl.SUN).createSSLEngine().getSession();
    }

    /** SunJSSE with SunJSSE only with tickets: its switches cannot be turned within one JVM. */
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Impl client : Impl.values()) {
            for (Impl server : Impl.values()) {
                out.add(Arguments.of(client, server, "with tickets"));
                if (client == Impl.NATIVE || server == Impl.NATIVE) {
                    out.add(Arguments.of(client, server, "without tickets"));
                }
            }
        }
        return out;
    }

    private static String hex(byte[] id) {
        return HexFormat.of().formatHex(id);
    }

    /** Three connections to the same server: {client, server} sessions of each. */
    private static SSLSession[][] connections(Impl clientImpl, Impl serverImpl, boolean tickets) throws Exception {
        SSLContext client;
        SSLContext server;
        try (SavedProperty c = SavedProperty.of(CLIENT_TICKETS); SavedProperty s = SavedProperty.of(SERVER_TICKETS)) {
            System.setProperty(CLIENT_TICKETS, Boolean.toString(tickets));
            System.setProperty(SERVER_TICKETS, Boolean.toString(tickets));
            client = Contexts.client(clientImpl);
            server = Contexts.server(serverImpl, "server-ec");
        }
        SSLSession[][] out = new SSLSession[3][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Connections.connect(client, server, HOST, 443, "TLSv1.2", null);
        }
        return out;
    }

    @ParameterizedTest(name = "client {0}, server {1}, {2}")
    @MethodSource("cases")
    void bothEndsNameTheSessionAlike(Impl clientImpl, Impl serverImpl, String ticketMode) throws Exception {
        SSLSession[][] c = connections(clientImpl, serverImpl, ticketMode.equals("with tickets"));
        byte[] id = c[0][0].getId();
        assertEquals(32, id.length, "a 32-byte session id, as both providers make");
        for (int i = 0; i < c.length; i++) {
            assertArrayEquals(c[i][1].getId(), c[i][0].getId(), "connection " + (i + 1) + ": client "
                + hex(c[i][0].getId()) + ", server " + hex(c[i][1].getId()));
        }
        // The second connection resumed the first one's session (both providers keep the object in
        // TLS 1.2), under the same name.
        assertSame(c[0][0], c[1][0], "the client resumed");
        assertArrayEquals(id, c[1][1].getId(), "the resumed session keeps its id");
        assertTrue(c[1][1].getCreationTime() == c[0][1].getCreationTime(), "the server resumed");
    }
}
