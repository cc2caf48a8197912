package io.nativetls.bench;

import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full handshakes per second. One operation: a new client engine (no peer identity, so nothing
 * can be resumed) and a new server engine from the shared contexts, a complete handshake in
 * memory (server's post-handshake messages such as TLS 1.3 tickets included), close_notify both
 * ways, and the engines released. With -t 2 each thread has its own engines and link, the two
 * SSLContexts are shared.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Groups.JVM_ARG, "-Xms2g", "-Xmx2g", Forks.PRE_TOUCH})
public class HandshakeBenchmark {
    @Param({Peer.NATIVETLS, Peer.SUNJSSE, Peer.CONSCRYPT, Peer.NETTY, Peer.BCJSSE})
    public String provider;

    @Param({"TLS13_ECDSA_P256", "TLS13_RSA_2048", "TLS12_ECDHE_ECDSA_AES128_GCM"})
    public String config;

    /**
     * NativeTLS only: whether the engines hand their trust and key managers out as delegated tasks
     * (io.nativetls.delegatedTasks, read when the contexts are initialised) or run them inline;
     * {@code -p delegatedTasks=true,false} measures both in one run. The tasks run on the
     * handshaking thread, as a loop that runs them itself would.
     */
    @Param({"true"})
    public String delegatedTasks;

    /**
     * Where the server's private key is: "file" (a PKCS#12 store in memory, the default) or
     * "token" (made inside a SoftHSM2 token and used through SunPKCS11, so every server signature
     * is the token's; needs SOFTHSM2_CONF, see Token, and only NativeTLS and SunJSSE can take it).
     */
    @Param({"file"})
    public String serverKey;

    private Endpoints endpoints;

    /** Each thread's in-memory link (heap buffers). */
    @State(Scope.Thread)
    public static class Link {
        final MemoryLink link = new MemoryLink(false);
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Tls tls = Tls.valueOf(config);
        System.setProperty("io.nativetls.delegatedTasks", delegatedTasks);
        if (serverKey.equals("token")) {
            Peer peer = Peer.load(provider);
            System.out.println("[bench] " + provider + ": " + peer.version() + ", server key in a SoftHSM2 token");
            endpoints = peer.open(tls, Token.serverKeys(tls.keyType));
        } else {
            endpoints = Checks.open(provider, tls);
        }
        Checks.fullHandshake(provider, endpoints, tls, new MemoryLink(false));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (endpoints != null) {
            endpoints.close();
        }
    }

    @Benchmark
    public SSLEngine fullHandshake(Link l) throws SSLException {
        SSLEngine client = endpoints.client(null, -1);
        SSLEngine server = endpoints.server();
        try {
            l.link.handshake(client, server, null);
            l.link.close(client, server);
        } finally {
            endpoints.release(client);
            endpoints.release(server);
        }
        return client;
    }
}
