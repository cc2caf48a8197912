package io.nativetls.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Closer;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Tags;
import io.nativetls.testing.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SSLSocket.startHandshake on an established TLS 1.3 connection sends one KeyUpdate that asks
 * the peer for its own, seen by openssl ({@code -msg}: received, then answered before openssl's
 * next data), and data flows on both ways under the new keys; either role.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag(Tags.INTEROP)
class KeyUpdateOpenSslTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String RECEIVED = MsgTrace.KEY_UPDATE_RECEIVED;
    private static final String SENT = MsgTrace.KEY_UPDATE_SENT;

    @RegisterExtension
    final Closer cleanup = new Closer();

    private static int count(String output, String what) {
        return MsgTrace.count(output, what);
    }

    @Test
    void clientStartHandshakeSendsAKeyUpdateToSServer() throws Exception {
        ChildProcess server = cleanup.later(ChildProcess.opensslServer(TestPki.get().dir,
            List.of("-cert", "server-ec.pem", "-key", "server-ec.key", "-tls1_3", "-msg"), WAIT));
        try (SSLSocket socket = (SSLSocket) Contexts.client(Impl.NATIVE).getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(ChildProcess.LOOPBACK), server.port()), 10_000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write("before-update\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(server.awaitOutput("before-update", WAIT), server.describe());
            assertEquals(0, count(server.output(), RECEIVED), "no KeyUpdate yet:\n" + server.output());
            socket.startHandshake();
            out.write("after-update\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(server.awaitOutput("after-update", WAIT), server.describe());
            server.write("reply-under-new-keys\n");
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("reply-under-new-keys", in.readLine());
            server.awaitOutput(SENT, WAIT); // -msg lines may follow the data they describe
            String output = server.output();
            assertEquals(1, count(output, RECEIVED), "one KeyUpdate reached s_server:\n" + output);
            assertEquals(1, count(output, SENT), "s_server answered it:\n" + output);
            assertTrue(output.indexOf(RECEIVED) < output.indexOf("after-update"), "the KeyUpdate came first:\n" + output);
        }
    }

    @Test
    void serverStartHandshakeSendsAKeyUpdateToSClient() throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) Contexts.server(Impl.NATIVE, "server-ec")
            .getServerSocketFactory().createServerSocket(0, 1, InetAddress.getByName(ChildProcess.LOOPBACK))) {
            ChildProcess client = cleanup.later(ChildProcess.in(TestPki.get().dir).openssl(List.of("s_client",
                "-connect", ChildProcess.LOOPBACK + ":" + listener.getLocalPort(), "-tls1_3", "-msg")));
            listener.setSoTimeout(15_000);
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
                socket.setSoTimeout(15_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
                client.write("hello-from-s_client\n");
                assertEquals("hello-from-s_client", in.readLine());
                socket.startHandshake();
                socket.getOutputStream().write("after-update\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                assertTrue(client.awaitOutput("after-update", WAIT), client.describe());
                client.write("answer-under-new-keys\n");
                assertEquals("answer-under-new-keys", in.readLine(), "s_client's data after its answer");
                client.awaitOutput(SENT, WAIT);
            }
            String output = client.output();
            assertEquals(1, count(output, RECEIVED), "one KeyUpdate reached s_client:\n" + output);
            assertEquals(1, count(output, SENT), "s_client answered it:\n" + output);
        }
    }
}
