package io.nativetls.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;

/**
 * A quick look before measuring: for each provider, whether it loads (and its version), and for
 * each configuration what is negotiated, whether resumption works, and whether bulk data arrives
 * whole over heap and direct buffers. Not a benchmark; nothing is timed.
 *
 * <pre>java -Djdk.tls.namedGroups=x25519,secp256r1 -cp bench/target/benchmarks.jar io.nativetls.bench.Probe [provider...]</pre>
 */
public final class Probe {
    private Probe() {}

    public static void main(String[] args) {
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", Groups.JDK_NAMED_GROUPS);
        }
        List<String> providers = args.length > 0 ? List.of(args) : Peer.ALL;
        List<String> problems = new ArrayList<>();
        for (String name : providers) {
            System.out.println("== " + name);
            Peer peer;
            try {
                peer = Peer.load(name);
            } catch (Peer.UnavailableException e) {
                problems.add(e.getMessage());
                continue;
            }
            System.out.println("version: " + peer.version());
            for (Tls tls : Tls.values()) {
                try (Endpoints endpoints = peer.open(tls)) {
                    MemoryLink link = new MemoryLink(false);
                    Checks.fullHandshake(name, endpoints, tls, link);
                    if (tls == Tls.TLS13_ECDSA_P256 || tls == Tls.TLS12_ECDHE_ECDSA_AES128_GCM) {
                        Checks.resumption(name, endpoints, tls, link, 4);
                    }
                    if (tls != Tls.TLS13_ECDSA_P256 && tls != Tls.TLS13_RSA_2048) {
                        bulk(name, endpoints, tls);
                    }
                } catch (Exception | Error e) {
                    String msg = name + " " + tls + ": FAILED: " + e;
                    System.out.println("[bench] " + msg);
                    problems.add(msg);
                }
            }
        }
        System.out.println();
        System.out.println(problems.isEmpty() ? "probe: no problems" : "probe: " + problems.size() + " problem(s):");
        problems.forEach(p -> System.out.println("  " + p));
    }

    private static void bulk(String name, Endpoints endpoints, Tls tls) throws Exception {
        StringBuilder sb = new StringBuilder("[bench] " + name + " " + tls + " bulk:");
        for (boolean direct : new boolean[] {false, true}) {
            MemoryLink link = new MemoryLink(direct);
            SSLEngine client = endpoints.client(null, -1);
            SSLEngine server = endpoints.server();
            try {
                link.handshake(client, server, null);
                for (int size : new int[] {1024, 16384}) {
                    ByteBuffer src = link.allocate(size);
                    for (int i = 0; i < size; i++) {
                        src.put((byte) i);
                    }
                    for (int round = 0; round < 3; round++) {
                        src.flip();
                        int got = link.transfer(client, server, src);
                        if (got != size) {
                            throw new IllegalStateException("sent " + size + ", received " + got);
                        }
                        src.limit(size);
                    }
                    sb.append(' ').append(direct ? "direct" : "heap").append('/').append(size).append(" ok");
                }
                link.close(client, server);
            } finally {
                endpoints.release(client);
                endpoints.release(server);
            }
        }
        System.out.println(sb);
    }
}
