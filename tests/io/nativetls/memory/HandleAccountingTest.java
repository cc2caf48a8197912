package io.nativetls.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.jni.SslNative;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Every native handle is freed exactly once: on the explicit close path, and by the Cleaner for
 * engines and contexts that were abandoned. Counts are process-wide, so each test first lets
 * earlier tests' garbage be cleaned, then compares against that baseline.
 */
class HandleAccountingTest {
    @Test
    void closedEnginesReleaseTheirConnectionsAtOnce() throws Exception {
        measured(base -> {
            // made inside: a repeated measurement starts without this attempt's credential and sessions
            SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
            SSLContext client = Contexts.client(Impl.NATIVE);
            for (int i = 0; i < 20; i++) {
                EnginePair pair = new EnginePair(client.createSSLEngine("localhost", 443), server.createSSLEngine());
                pair.handshake();
                assertEquals(base[SslNative.LIVE_CONNECTIONS] + 2, live()[SslNative.LIVE_CONNECTIONS], "two live during use");
                pair.exchange(1000, i);
                pair.close(i % 2 == 0 ? pair.client : pair.server);
                assertEquals(base[SslNative.LIVE_CONNECTIONS], live()[SslNative.LIVE_CONNECTIONS],
                    "closed in both directions means freed, without waiting for GC");
            }
            // SunJSSE's PKIX key manager names its one entry differently on every call: still one credential.
            assertEquals(base[SslNative.LIVE_CREDENTIALS] + 1, live()[SslNative.LIVE_CREDENTIALS],
                "one parsed credential for one key");
        });
    }

    @Test
    void abandonedEnginesAreFreedByTheCleaner() throws Exception {
        SSLContext server = Contexts.server(Impl.NATIVE, "server-rsa");
        SSLContext client = Contexts.client(Impl.NATIVE);
        measured(base -> {
            List<EnginePair> pairs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                EnginePair pair = new EnginePair(client.createSSLEngine("localhost", 443), server.createSSLEngine());
                if (i % 3 != 0) {
                    pair.handshake(); // some mid-life, some never started
                }
                pairs.add(pair);
            }
            assertTrue(live()[SslNative.LIVE_CONNECTIONS] >= base[SslNative.LIVE_CONNECTIONS] + 40);
            pairs.clear();
            long[] after = settle();
            assertEquals(base[SslNative.LIVE_CONNECTIONS], after[SslNative.LIVE_CONNECTIONS]);
        });
    }

    @Test
    void sessionReferencesFollowTheCaches() throws Exception {
        measured(base -> {
            // made inside: a repeated measurement starts without this attempt's credential and sessions
            SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
            SSLContext client = Contexts.client(Impl.NATIVE);
            for (int i = 0; i < 10; i++) {
                for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                    javax.net.ssl.SSLEngine c = client.createSSLEngine("localhost", 1000 + i);
                    c.setEnabledProtocols(new String[] {protocol});
                    EnginePair pair = new EnginePair(c, server.createSSLEngine());
                    pair.handshake();
                    pair.exchange(100, i); // reads the TLS 1.3 ticket
                    pair.close(pair.client);
                }
            }
            // One native session per peer (the newest replaces the one before); servers keep none with tickets.
            assertEquals(base[SslNative.LIVE_SESSIONS] + 10, live()[SslNative.LIVE_SESSIONS]);
            client.getClientSessionContext().setSessionCacheSize(4);
            assertEquals(base[SslNative.LIVE_SESSIONS] + 4, live()[SslNative.LIVE_SESSIONS], "evicted sessions are freed");
            for (byte[] id : java.util.Collections.list(client.getClientSessionContext().getIds())) {
                client.getClientSessionContext().getSession(id).invalidate();
            }
            assertEquals(base[SslNative.LIVE_SESSIONS], live()[SslNative.LIVE_SESSIONS], "invalidated sessions are freed");
        });
    }

    @Test
    void contextsAndCredentialsAreFreedWhenUnreachableEvenWithEnginesOutlivingThem() throws Exception {
        measured(base -> {
            useEnginesAfterTheirContextsAreGone(base);
            long[] after = settle();
            assertEquals(base[SslNative.LIVE_CONTEXTS], after[SslNative.LIVE_CONTEXTS]);
            assertEquals(base[SslNative.LIVE_CONNECTIONS], after[SslNative.LIVE_CONNECTIONS]);
            assertEquals(base[SslNative.LIVE_CREDENTIALS], after[SslNative.LIVE_CREDENTIALS]);
            assertEquals(base[SslNative.LIVE_SESSIONS], after[SslNative.LIVE_SESSIONS], "cached sessions go with their context");
        });
    }

    /** Each non-default suite set gets one SSL_CTX, made once and freed with its SSLContext. */
    @Test
    void suiteSetContextsAreMadeOnceAndFreedWithTheirContext() throws Exception {
        measured(base -> {
            useThreeSuiteSets(base);
            long[] after = settle();
            assertEquals(base[SslNative.LIVE_CONTEXTS], after[SslNative.LIVE_CONTEXTS]);
        });
    }

    private static void useThreeSuiteSets(long[] base) throws Exception {
        SSLContext server = Contexts.server(Impl.NATIVE, "server-ec");
        SSLContext client = Contexts.client(Impl.NATIVE);
        String[][] sets = {{"TLS_AES_128_GCM_SHA256"}, {"TLS_AES_256_GCM_SHA384"},
            {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"}};
        for (int round = 0; round < 3; round++) {
            for (String[] set : sets) {
                javax.net.ssl.SSLEngine c = client.createSSLEngine();
                c.setEnabledCipherSuites(set);
                EnginePair pair = new EnginePair(c, server.createSSLEngine());
                pair.handshake();
                pair.close(pair.client);
            }
        }
        assertEquals(base[SslNative.LIVE_CONTEXTS] + 2 + sets.length, live()[SslNative.LIVE_CONTEXTS],
            "a base SSL_CTX per SSLContext and one per suite set");
    }

    private static void useEnginesAfterTheirContextsAreGone(long[] base) throws Exception {
        EnginePair pair = new EnginePair(Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443),
            Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine());
        pair.handshake();
        assertTrue(live()[SslNative.LIVE_CREDENTIALS] > base[SslNative.LIVE_CREDENTIALS], "the server loaded a key");
        // Nothing but the engines refers to the SSLContexts now; collection must not break them.
        settle();
        pair.exchange(100_000, 7);
        pair.close(pair.client);
    }

    /** One measurement against a baseline taken just before it. */
    private interface Scenario {
        void run(long[] base) throws Exception;
    }

    /**
     * Runs a scenario against a fresh baseline. Counts are process-wide, and a handle from before
     * the baseline may still be freed during the scenario (another test's idle HTTP client gives
     * up its pooled connections, and with them their contexts, on its own schedule). A failure
     * with some count below its baseline is such a disturbance and is measured again, at most
     * three times; a leak shows as a count above its baseline and fails at once.
     */
    private static void measured(Scenario scenario) throws Exception {
        for (int attempt = 1; ; attempt++) {
            long[] base = settle();
            try {
                scenario.run(base);
                return;
            } catch (AssertionError e) {
                long[] now = settle();
                boolean disturbed = false;
                for (int i = 0; i < base.length; i++) {
                    disturbed |= now[i] < base[i];
                }
                if (!disturbed || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static long[] live() {
        io.nativetls.internal.jni.NativeLibrary.ensureLoaded();
        return SslNative.liveHandles();
    }

    /**
     * Collects garbage until the live counts stop changing. Cleaner actions run on their own
     * thread after the reference handler's, so on a loaded machine (the sanitizer build) a short
     * quiet spell is not yet the end: the counts must hold for ten rounds of 30 ms.
     */
    static long[] settle() throws InterruptedException {
        long[] last = live();
        int stable = 0;
        for (int i = 0; i < 300 && stable < 10; i++) {
            System.gc();
            Thread.sleep(30);
            long[] now = live();
            stable = java.util.Arrays.equals(now, last) ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}
