package io.nativetls.internal.tool;

import io.nativetls.NativeTls;
import io.nativetls.NativeTlsProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Proves the installation works: prints the OpenSSL in use, then runs a NativeTLS client against
 * a SunJSSE server over 127.0.0.1 for TLS 1.3 and TLS 1.2 and checks an echoed message.
 */
final class SelfCheck {
    private final PrintStream out;

    SelfCheck(PrintStream out) {
        this.out = out;
    }

    int run() throws Exception {
        if (!NativeTls.isAvailable()) {
            out.println("NativeTLS is not available: " + NativeTls.unavailabilityCause().getMessage());
            return 1;
        }
        out.println("NativeTLS: available, " + NativeTls.openSslVersion());
        SelfSignedIdentity identity = new SelfSignedIdentity("localhost");
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            SSLContext server = SSLContext.getInstance("TLS", "SunJSSE");
            server.init(identity.keyManagers(), null, null);
            SSLContext client = SSLContext.getInstance("TLS", new NativeTlsProvider());
            client.init(null, identity.trustManagers(), null);
            SSLSession session = echo(server, client, protocol);
            out.println("  NativeTLS client -> SunJSSE server over 127.0.0.1: " + session.getProtocol() + ", "
                + session.getCipherSuite());
        }
        out.println("self-check passed");
        return 0;
    }

    private static SSLSession echo(SSLContext server, SSLContext client, String protocol) throws Exception {
        byte[] message = ("hello over " + protocol + "\n").getBytes(StandardCharsets.UTF_8);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                 .createServerSocket(0, 1, loopback)) {
            listener.setSoTimeout(20_000);
            Thread echo = new Thread(() -> serveOnce(listener), "nativetls-selfcheck-server");
            echo.setDaemon(true);
            echo.start();
            Socket socket = new Socket(loopback, listener.getLocalPort());
            socket.setSoTimeout(20_000);
            SSLEngine engine = client.createSSLEngine("localhost", listener.getLocalPort());
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(new String[] {protocol});
            try (EngineStream tls = new EngineStream(engine, socket)) {
                tls.handshake();
                tls.write(message, 0, message.length);
                byte[] back = new byte[message.length];
                int got = 0;
                while (got < back.length) {
                    int n = tls.read(back, got, back.length - got);
                    if (n < 0) {
                        throw new IOException("server closed before echoing");
                    }
                    got += n;
                }
                if (!Arrays.equals(message, back)) {
                    throw new IOException("echo mismatch");
                }
                return engine.getSession();
            } finally {
                echo.join(20_000);
            }
        }
    }

    private static void serveOnce(SSLServerSocket listener) {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            OutputStream o = s.getOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                o.write(b);
                if (b == '\n') {
                    o.flush();
                    break;
                }
            }
        } catch (IOException e) {
            // The client side reports the failure.
        }
    }
}
