package io.nativetls.memory;

import io.nativetls.internal.jni.SslNative;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Run in its own JVM (fixed, pre-touched heap, so the Java heap does not move the numbers) by
 * SoakTest: handshake-and-close cycles, printing "sample cycle rssKiB liveConnections liveCredentials
 * liveContexts" every interval. Optional arguments name the client and server implementations.
 */
public final class SoakProbe {
    private SoakProbe() {}

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        int every = Integer.parseInt(args[1]);
        Impl clientImpl = args.length > 2 ? Impl.valueOf(args[2]) : Impl.NATIVE;
        Impl serverImpl = args.length > 3 ? Impl.valueOf(args[3]) : clientImpl;
        SSLContext server = Contexts.server(serverImpl, "server-ec");
        SSLContext client = Contexts.client(clientImpl);
        for (int i = 1; i <= cycles; i++) {
            SSLEngine c = client.createSSLEngine("localhost", 443);
            c.setEnabledProtocols(new String[] {i % 2 == 0 ? "TLSv1.3" : "TLSv1.2"});
            EnginePair pair = new EnginePair(c, server.createSSLEngine());
            pair.handshake();
            pair.exchange(256, i);
            pair.close(i % 3 == 0 ? pair.server : pair.client);
            if (i % every == 0) {
                long[] live = SslNative.liveHandles();
                System.out.println("sample " + i + " " + rssKib() + " " + live[SslNative.LIVE_CONNECTIONS] + " " + live[SslNative.LIVE_CREDENTIALS] + " " + live[SslNative.LIVE_CONTEXTS]);
            }
        }
    }

    static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
