package io.nativetls.socket;

import static io.nativetls.socket.SocketSupport.clientContext;
import static io.nativetls.socket.SocketSupport.serverContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.jni.SslNative;
import io.nativetls.testing.Contexts.Impl;
import java.io.File;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections that come and go leave no file descriptors behind, on either side. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketLeakTest {
    private static final int CONNECTIONS = 100;
    private static final int SLACK = 8;

    private static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void hundredSequentialConnectionsLeaveNoDescriptors() throws Exception {
        Assumptions.assumeTrue(openDescriptors() > 0, "needs /proc/self/fd");
        SSLContext client = clientContext(Impl.NATIVE);
        SSLSocketFactory factory = client.getSocketFactory();
        try (SocketSupport.Server srv = SocketSupport.Server.echo(serverContext(Impl.NATIVE), CONNECTIONS + 5)) {
            for (int i = 0; i < 5; i++) {
                exchange(factory, srv.port(), i); // warm up: classes, the server thread, the session caches
            }
            awaitAccepted(srv, 5);
            int before = openDescriptors();
            long connectionsBefore = liveConnections();
            for (int i = 0; i < CONNECTIONS; i++) {
                exchange(factory, srv.port(), i);
            }
            awaitAccepted(srv, CONNECTIONS + 5);
            srv.finish();
            int after = openDescriptors();
            assertTrue(after <= before + SLACK, "descriptors before " + before + ", after " + after);
            // Closing frees each native connection at once, not later through the Cleaner.
            long connectionsAfter = liveConnections();
            assertTrue(connectionsAfter <= connectionsBefore + 2,
                "native connections before " + connectionsBefore + ", after " + connectionsAfter);
        }
    }

    private static long liveConnections() {
        return SslNative.liveHandles()[SslNative.LIVE_CONNECTIONS];
    }

    private static void exchange(SSLSocketFactory factory, int port, int i) throws Exception {
        try (SSLSocket s = (SSLSocket) factory.createSocket(SocketSupport.LOOPBACK, port)) {
            s.setSoTimeout(SocketSupport.SO_TIMEOUT_MS);
            s.getOutputStream().write(i);
            assertEquals(i, s.getInputStream().read());
        }
    }

    private static void awaitAccepted(SocketSupport.Server srv, int count) throws InterruptedException {
        for (int i = 0; i < 200 && srv.accepted() < count; i++) {
            Thread.sleep(25);
        }
        assertEquals(count, srv.accepted());
    }
}
