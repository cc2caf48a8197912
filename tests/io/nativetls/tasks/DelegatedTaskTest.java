package io.nativetls.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Causes;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Matrix;
import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.TestPki;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delegated tasks (SSLEngine NEED_TASK / getDelegatedTask) compared with SunJSSE in the same
 * configuration against the same peer: the trust and key managers run in the tasks, on the thread
 * the application runs them on; an engine waits for a task however late it runs; a manager that
 * throws in a task fails the handshake as it does inline; io.nativetls.delegatedTasks=false keeps
 * today's inline calls.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DelegatedTaskTest {
    static final String RUNNER = "task-runner-";
    private static ExecutorService executor;

    @BeforeAll
    static void startExecutor() {
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, RUNNER + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    // ---- contexts -------------------------------------------------------------------------------

    /** A context whose managers report to rec; key null: none. NativeTLS with or without tasks. */
    static SSLContext context(Impl impl, Recorder rec, String key, boolean delegated) {
        KeyManager[] km = key == null ? null : new KeyManager[] {rec.keyManager(realKeyManager(key))};
        TrustManager[] tm = {rec.trustManager()};
        try (SavedProperty saved = SavedProperty.of("io.nativetls.delegatedTasks")) {
            if (!delegated) {
                System.setProperty("io.nativetls.delegatedTasks", "false");
            }
            return Contexts.create(impl, "TLS", km, tm);
        }
    }

    static X509ExtendedKeyManager realKeyManager(String name) {
        for (KeyManager km : TestPki.get().keyManagers(name)) {
            if (km instanceof X509ExtendedKeyManager) {
                return (X509ExtendedKeyManager) km;
            }
        }
        throw new IllegalStateException("no X509ExtendedKeyManager for " + name);
    }

    /** What one handshake of the side under test showed. */
    record Run(TaskPair pair, TaskPair.Side side, Recorder rec, boolean completed) {}

    /**
     * A handshake between the side under test (impl, role, its managers recorded) and a SunJSSE
     * peer, tasks on the executor; clientAuth: the server needs the client's certificate.
     */
    static Run run(Impl impl, boolean testClient, String protocol, boolean clientAuth, boolean delegated,
                   int lateCalls, Recorder rec) throws Exception {
        Recorder peerRec = new Recorder();
        SSLContext mine = context(impl, rec, testClient ? (clientAuth ? "client" : null) : "server-ec", delegated);
        SSLContext peer = context(Impl.SUN, peerRec, testClient ? "server-ec" : (clientAuth ? "client" : null), true);
        SSLEngine c = (testClient ? mine : peer).createSSLEngine("localhost", 443);
        SSLEngine s = (testClient ? peer : mine).createSSLEngine();
        c.setEnabledProtocols(new String[] {protocol});
        s.setNeedClientAuth(clientAuth);
        TaskPair pair = new TaskPair(c, s, executor, lateCalls);
        boolean completed = pair.handshake();
        return new Run(pair, testClient ? pair.client : pair.server, rec, completed);
    }

    static Stream<Arguments> cases() {
        return Matrix.of(new String[] {"TLSv1.3", "TLSv1.2"}, new Boolean[] {true, false}, new Boolean[] {false, true});
    }

    // ---- the managers run in tasks, on the application's thread --------------------------------

    @ParameterizedTest(name = "{0}, client {1}, client auth {2}")
    @MethodSource("cases")
    void managersRunInTasksOnTheExecutorAsWithSunJsse(String protocol, boolean testClient, boolean clientAuth)
        throws Exception {
        Run sun = run(Impl.SUN, testClient, protocol, clientAuth, true, 0, new Recorder());
        Run nat = run(Impl.NATIVE, testClient, protocol, clientAuth, true, 0, new Recorder());
        assertTrue(sun.completed && nat.completed, "handshakes: SunJSSE " + sun.completed + ", NativeTLS "
            + nat.completed + " " + Causes.describe(nat.side.failure));
        assertEquals(sun.rec.methods(), nat.rec.methods(), "the managers' questions");
        String driver = Thread.currentThread().getName();
        for (Recorder.Call call : sun.rec.calls()) {
            assertTrue(call.thread().startsWith(RUNNER), "SunJSSE ran " + call + " outside a task");
        }
        for (Recorder.Call call : nat.rec.calls()) {
            assertTrue(call.handshakeSessionSeen(), call + ": the handshake session during the question");
            if (call.method().equals("checkClientTrusted")) {
                // OpenSSL 3.0-3.5 cannot pause a server's certificate check: it stays inline.
                assertEquals(driver, call.thread(), "NativeTLS server's client check");
            } else {
                assertTrue(call.thread().startsWith(RUNNER), "NativeTLS ran " + call + " outside a task");
            }
        }
        // A pause where OpenSSL can pause: the client at the server's certificate and (client
        // auth) at its own key, the server at its key. SunJSSE pauses at every message it reads.
        int expected = testClient ? 1 + (clientAuth ? 1 : 0) : 1;
        assertEquals(expected, nat.side.pauses, "NativeTLS NEED_TASK pauses " + nat.side.statuses);
        assertEquals(expected, nat.side.tasks, "NativeTLS tasks");
        assertTrue(nat.side.statuses.contains(HandshakeStatus.NEED_TASK), "NativeTLS statuses " + nat.side.statuses);
        assertTrue(sun.side.pauses >= 1, "SunJSSE pauses " + sun.side.pauses);
        nat.pair.exchange(random(40_000));
    }

    // ---- tasks run late, or not at all -----------------------------------------------------------

    @ParameterizedTest(name = "{0}, peer {1}")
    @MethodSource("latePeers")
    void lateTasksAreWaitedForAndNoByteIsLost(String protocol, Impl peer, int lateCalls) throws Exception {
        Recorder rec = new Recorder();
        SSLContext server = context(peer, new Recorder(), "server-ec", true);
        SSLContext client = context(Impl.NATIVE, rec, "client", true);
        SSLEngine c = client.createSSLEngine("localhost", 443);
        SSLEngine s = server.createSSLEngine();
        c.setEnabledProtocols(new String[] {protocol});
        s.setNeedClientAuth(true);
        // Each NEED_TASK is met first by lateCalls wraps and unwraps (with the peer's bytes waiting
        // in the unwrap's source): all OK, nothing consumed nor produced, still NEED_TASK.
        TaskPair pair = new TaskPair(c, s, executor, lateCalls);
        assertTrue(pair.handshake(), "handshake: " + Causes.describe(pair.client.failure) + " / "
            + Causes.describe(pair.server.failure));
        assertEquals(2, pair.client.pauses, "client pauses " + pair.client.statuses);
        pair.exchange(random(100_000));
    }

    static Stream<Arguments> latePeers() {
        return Stream.of(Arguments.of("TLSv1.3", Impl.SUN, 5), Arguments.of("TLSv1.2", Impl.SUN, 5),
            Arguments.of("TLSv1.3", Impl.NATIVE, 5), Arguments.of("TLSv1.2", Impl.NATIVE, 5),
            // a task never run while 200 calls come: the engine just keeps waiting
            Arguments.of("TLSv1.3", Impl.NATIVE, 200));
    }

    /** The client's first task, handed out and not run; pair is where it waits. */
    record Held(TaskPair pair, Runnable task) {}

    static Held untilClientTask(String protocol, Recorder rec) throws Exception {
        SSLContext client = context(Impl.NATIVE, rec, null, true);
        SSLEngine c = client.createSSLEngine("localhost", 443);
        SSLEngine s = context(Impl.NATIVE, new Recorder(), "server-ec", true).createSSLEngine();
        c.setEnabledProtocols(new String[] {protocol});
        TaskPair pair = new TaskPair(c, s, executor, 0);
        Runnable task = pair.untilTask(pair.client);
        return new Held(pair, task);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aTaskIsHandedOutOnceAndTheEngineWaitsForIt(String protocol) throws Exception {
        Recorder rec = new Recorder();
        Held held = untilClientTask(protocol, rec);
        SSLEngine c = held.pair.client.engine;
        assertNotNull(held.task, "the client's task");
        assertNull(c.getDelegatedTask(), "the same task a second time");
        assertEquals(HandshakeStatus.NEED_TASK, c.getHandshakeStatus());
        assertEquals(List.of(), rec.calls(), "no trust question before the task runs");
        assertNotNull(c.getHandshakeSession(), "the handshake session while the task waits");
        assertNotNull(c.getHandshakeSession().getPeerCertificates(), "the peer's chain, shown before the check");
        executor.submit(held.task).get(10, TimeUnit.SECONDS);
        held.task.run(); // a second run does nothing
        assertEquals(1, rec.calls().size(), "trust questions " + rec.calls());
        assertTrue(rec.calls().get(0).thread().startsWith(RUNNER), "the check ran on " + rec.calls().get(0));
        assertTrue(held.pair.handshake(), "the handshake after the task");
    }

    // ---- closing while a task waits ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void closingWhileATaskWaitsEndsTheEngineAsClosingMidHandshake(boolean outbound) throws Exception {
        Held held = untilClientTask("TLSv1.3", new Recorder());
        SSLEngine c = held.pair.client.engine;
        String waiting = close(c, outbound);
        assertNull(c.getDelegatedTask(), "a task after the close");
        held.task.run(); // the manager's work touches no native state: harmless after the close
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, c.getHandshakeStatus(), "status after the task ran");
        SSLEngineResult r = c.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(c.getSession().getPacketBufferSize()));
        assertEquals(SSLEngineResult.Status.CLOSED, r.getStatus(), "wrap after the close");

        // The same close at the same point (the server's certificate read) with inline managers.
        Recorder inlineRec = new Recorder();
        SSLContext client = context(Impl.NATIVE, inlineRec, null, false);
        SSLEngine inline = client.createSSLEngine("localhost", 443);
        inline.setEnabledProtocols(new String[] {"TLSv1.3"});
        TaskPair pair = new TaskPair(inline, context(Impl.NATIVE, new Recorder(), "server-ec", true).createSSLEngine(),
            executor, 0);
        assertTrue(pair.until(() -> !inlineRec.calls().isEmpty()), "the inline client checked the server");
        assertEquals(close(inline, outbound), waiting, "the engine after the close, inline and with a task waiting");
    }

    /** Closes one direction; what the engine says afterwards. */
    private static String close(SSLEngine e, boolean outbound) {
        String thrown = "none";
        if (outbound) {
            e.closeOutbound();
        } else {
            thrown = assertThrows(SSLException.class, e::closeInbound).getMessage();
        }
        return "status " + e.getHandshakeStatus() + ", inbound done " + e.isInboundDone() + ", outbound done "
            + e.isOutboundDone() + ", closeInbound threw " + thrown;
    }

    // ---- a manager that throws inside a task ------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aTrustManagerThrowingInATaskFailsTheHandshakeAsInline(String protocol) throws Exception {
        Failure sun = refusedByTrust(Impl.SUN, protocol, true);
        Failure task = refusedByTrust(Impl.NATIVE, protocol, true);
        Failure inline = refusedByTrust(Impl.NATIVE, protocol, false);
        assertEquals(inline.mine, task.mine, "NativeTLS client's failure, task vs inline");
        assertEquals(inline.peers, task.peers, "what the peer (SunJSSE) got, task vs inline");
        // The alert itself is NativeTLS's as before (bad_certificate where SunJSSE says
        // certificate_unknown; a TLS 1.3 client's is sent before its handshake keys): tasks change nothing.
        if (protocol.equals("TLSv1.2")) {
            assertTrue(task.peers.contains("Received fatal alert: bad_certificate"), "the peer got the alert: " + task.peers);
            assertTrue(sun.peers.contains("Received fatal alert: certificate_unknown"), "from SunJSSE: " + sun.peers);
        }
        assertTrue(task.ranInTask && sun.ranInTask, "the refusing check ran in a task");
        assertFalse(inline.ranInTask, "inline: the refusing check ran in the unwrap");
    }

    record Failure(String mine, String peers, boolean ranInTask) {}

    static Failure refusedByTrust(Impl impl, String protocol, boolean delegated) throws Exception {
        Recorder rec = new Recorder();
        CertificateException refusal = new CertificateException("refused by the test's trust manager");
        rec.trustRefusal = refusal;
        Run r = runOnce(impl, protocol, delegated, rec);
        assertFalse(r.completed, "the handshake failed");
        Exception mine = r.pair.client.failure;
        assertInstanceOf(SSLHandshakeException.class, mine, Causes.describe(mine));
        assertTrue(Causes.chainContainsInstance(mine, refusal), "the refusal is the cause: " + Causes.describe(mine));
        Exception peers = r.pair.server.failure;
        assertNotNull(peers, "the peer failed too");
        boolean inTask = rec.calls().stream().allMatch(c -> c.thread().startsWith(RUNNER));
        return new Failure(mine.getClass().getName() + " caused by " + Causes.cause(mine, CertificateException.class),
            peers.getClass().getName() + ": " + peers.getMessage(), inTask);
    }

    private static Run runOnce(Impl impl, String protocol, boolean delegated, Recorder rec) throws Exception {
        return run(impl, true, protocol, false, delegated, 0, rec);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aKeyManagerThrowingInATaskFailsTheHandshakeAsInline(String protocol) throws Exception {
        String task = refusedByKeys(protocol, true);
        String inline = refusedByKeys(protocol, false);
        assertEquals(inline, task, "NativeTLS server's failure and its peer's, task vs inline");
    }

    static String refusedByKeys(String protocol, boolean delegated) throws Exception {
        Recorder rec = new Recorder();
        IllegalStateException down = new IllegalStateException("the test's key store is down");
        rec.keyFailure = down;
        Run r = run(Impl.NATIVE, false, protocol, false, delegated, 0, rec);
        assertFalse(r.completed, "the handshake failed");
        Exception mine = r.pair.server.failure;
        assertInstanceOf(SSLHandshakeException.class, mine, Causes.describe(mine));
        assertTrue(Causes.chainContainsInstance(mine, down), "the key manager's exception is the cause: "
            + Causes.describe(mine));
        assertEquals(delegated, rec.calls().get(0).thread().startsWith(RUNNER), "where the key manager ran");
        assertNotNull(r.pair.client.failure, "the peer got an alert");
        return mine.getClass().getName() + " / peer " + r.pair.client.failure.getMessage();
    }

    // ---- task mode off ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, client {1}, client auth {2}")
    @MethodSource("cases")
    void withDelegatedTasksOffTheManagersRunInline(String protocol, boolean testClient, boolean clientAuth)
        throws Exception {
        Run nat = run(Impl.NATIVE, testClient, protocol, clientAuth, false, 0, new Recorder());
        assertTrue(nat.completed, Causes.describe(nat.side.failure));
        assertEquals(0, nat.side.pauses, "pauses " + nat.side.statuses);
        assertFalse(nat.side.statuses.contains(HandshakeStatus.NEED_TASK), "statuses " + nat.side.statuses);
        assertFalse(nat.rec.calls().isEmpty(), "the managers were asked");
        String driver = Thread.currentThread().getName();
        for (Recorder.Call call : nat.rec.calls()) {
            assertEquals(driver, call.thread(), call + " inline");
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
