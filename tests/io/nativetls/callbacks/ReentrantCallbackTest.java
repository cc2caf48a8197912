package io.nativetls.callbacks;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativetls.internal.jni.SslNative;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every callback that runs inside a handshake (trust and key managers, ALPN selector, SNI
 * matcher, session binding listener, handshake-completed listener), in both roles, TLS 1.3 and
 * 1.2, engine and socket, calls every public method of the engine or socket it was handed. The
 * same scenario runs with SunJSSE under test, and NativeTLS must do what SunJSSE does: the same
 * answer from the call, and the handshake completing exactly when SunJSSE's does.
 *
 * <p>Where NativeTLS is deliberately different it is stricter and says so: running wrap, unwrap
 * or a handshake step from inside the handshake (SunJSSE does something, often breaking its own
 * handshake or losing the bytes) throws IllegalStateException from an engine and SSLException
 * from a socket, and the handshake then goes on unharmed. The few other differences are listed
 * in {@link #tolerated} with the reason. The process must survive all of it (the point of the
 * test: a callback that closed its engine used to free the connection under OpenSSL's feet), and
 * under the sanitizer stage without a report.
 */
@Tag(Tags.FUZZ)
class ReentrantCallbackTest {
    private static ExecutorService threads;
    private static long connectionsBefore;

    @BeforeAll
    static void start() {
        threads = Executors.newCachedThreadPool();
        Contexts.client(Impl.NATIVE); // loads the native library
        connectionsBefore = liveConnections();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        threads.shutdownNow();
        // Every engine and socket of the scenarios was closed: none of their connections may be left.
        long left = liveConnections() - connectionsBefore;
        for (int i = 0; i < 50 && left > 0; i++) {
            System.gc();
            Thread.sleep(20);
            left = liveConnections() - connectionsBefore;
        }
        assertTrue(left <= 0, left + " native connections outlived their engines");
    }

    private static long liveConnections() {
        return SslNative.liveHandles()[SslNative.LIVE_CONNECTIONS];
    }

    static List<Scenario> scenarios(Impl impl, Hook hook) {
        List<Scenario> out = new ArrayList<>();
        for (boolean socket : new boolean[] {false, true}) {
            for (boolean client : new boolean[] {true, false}) {
                if (!hook.appliesTo(client, socket)) {
                    continue;
                }
                for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                    for (Call call : Call.values()) {
                        if (call.appliesTo(socket)) {
                            out.add(new Scenario(impl, client, protocol, socket, hook, call));
                        }
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Hook.class)
    void everyMethodFromInsideTheCallbackBehavesAsWithSunJsse(Hook hook) throws Exception {
        List<Scenario> sun = scenarios(Impl.SUN, hook);
        List<Scenario> nat = scenarios(Impl.NATIVE, hook);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < nat.size(); i++) {
            Scenario scenario = nat.get(i);
            long t0 = System.nanoTime();
            Scenario.Outcome n = scenario.run(threads);
            long t1 = System.nanoTime();
            // Where NativeTLS's answer is its own (see the class comment), SunJSSE is not asked.
            Scenario.Outcome s = ownAnswer(scenario) ? n : sun.get(i).run(threads);
            long t2 = System.nanoTime();
            if (t2 - t0 > 300_000_000L) {
                System.out.println("SLOW " + scenario + " native " + (t1 - t0) / 1_000_000 + " sun " + (t2 - t1) / 1_000_000);
            }
            String problem = judge(scenario, n, s);
            if (problem != null) {
                wrong.add(scenario + ": " + problem + " (NativeTLS " + n + ", SunJSSE " + s + ")");
            }
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " of " + nat.size() + " scenarios differ:\n  " + String.join("\n  ", wrong));
        }
    }

    /** Why NativeTLS's outcome is wrong given SunJSSE's, or null when it is right. */
    static String judge(Scenario sc, Scenario.Outcome n, Scenario.Outcome s) {
        if (!n.reached()) {
            return "the callback never ran";
        }
        if (sc.hook() == Hook.COMPLETED) {
            return judgeCompleted(sc, n, s);
        }
        if (sc.socket() && sc.call() == Call.SESSION) {
            // SunJSSE runs its handshake again inside itself here, and breaks it.
            return n.call().equals("ok null-session") && n.ending().equals("completed") ? null
                : "expected the null session and the handshake unharmed";
        }
        if (reentrantIo(sc) && inDelegatedTask(sc)) {
            // Not re-entrant any more: the manager runs in a task, outside the engine's calls. A
            // wrap or unwrap from there finds the engine waiting for that task (OK, nothing moves).
            // SunJSSE runs its tasks under its engine lock, re-entering its handshake: no oracle.
            if (!n.call().startsWith("ok")) {
                return "expected the call from inside the delegated task to answer";
            }
            return n.ending().equals("completed") ? null : "a call from a delegated task must leave the handshake unharmed";
        }
        if (reentrantIo(sc)) {
            String refusal = sc.socket() ? "SSLException" : "IllegalStateException";
            if (!n.call().equals(refusal)) {
                return "expected the re-entrant call to throw " + refusal;
            }
            return n.ending().equals("completed") ? null : "the refused call must leave the handshake unharmed";
        }
        if (!s.reached()) {
            return "SunJSSE never ran the callback: no oracle";
        }
        if (!n.call().equals(s.call()) && !tolerated(sc, n, s)) {
            return "the call answered differently";
        }
        boolean nativeCompleted = n.ending().equals("completed");
        boolean sunCompleted = s.ending().equals("completed");
        if (nativeCompleted != sunCompleted) {
            return sunCompleted ? "the handshake should have completed" : "the handshake should not have completed";
        }
        if (!nativeCompleted && !n.ending().equals("closed") && !n.ending().startsWith("failed SSL")
            && !n.ending().startsWith("failed Socket")) {
            return "an ended handshake must end closed or with an SSLException or SocketException";
        }
        return null;
    }

    private static boolean ownAnswer(Scenario sc) {
        return sc.hook() != Hook.COMPLETED && (reentrantIo(sc) || sc.socket() && sc.call() == Call.SESSION);
        // (reentrantIo includes the calls from delegated tasks: SunJSSE is no oracle there either)
    }

    /**
     * Engine managers NativeTLS runs in delegated tasks (io.nativetls.delegatedTasks, on by
     * default): the client's trust check and both roles' key choice (and a session binding listener
     * the first of them binds); a server's trust check stays inline (OpenSSL cannot pause it).
     */
    private static boolean inDelegatedTask(Scenario sc) {
        return !sc.socket() && (sc.hook() == Hook.KEY || sc.hook() == Hook.BINDING
            || sc.hook() == Hook.TRUST && sc.client());
    }

    /** Calls that would run the engine inside itself: refused by NativeTLS (see the class comment). */
    private static boolean reentrantIo(Scenario sc) {
        return Set.of(Call.WRAP, Call.UNWRAP, Call.BEGIN_HANDSHAKE, Call.START_HANDSHAKE, Call.READ, Call.WRITE)
            .contains(sc.call());
    }

    /**
     * A HandshakeCompletedListener runs when the handshake is over; SunJSSE runs it on a thread of
     * its own, racing with the conversation, so it is no oracle here. Its calls are ordinary calls
     * on an established socket: they must answer normally (a read may time out: the peer is waiting
     * for us), and only the closing ones end the conversation.
     */
    private static String judgeCompleted(Scenario sc, Scenario.Outcome n, Scenario.Outcome s) {
        boolean answered = n.call().startsWith("ok") || n.call().equals(s.call())
            || sc.call() == Call.READ && n.call().equals("SocketTimeoutException")
            || sc.call() == Call.SET_CLIENT_MODE && n.call().equals("IllegalArgumentException")
            || sc.call() == Call.START_HANDSHAKE && sc.protocol().equals("TLSv1.2") && n.call().equals("SSLException");
        if (!answered) {
            return "a call from the completed listener failed";
        }
        // Closing, or reading the byte the conversation waits for, ends the conversation early.
        boolean ends = sc.call() == Call.CLOSE || sc.call() == Call.SHUTDOWN_OUTPUT
            || sc.call() == Call.READ && n.call().startsWith("ok");
        if (!ends && !n.ending().equals("completed")) {
            return "the conversation broke";
        }
        if (ends && sc.call() != Call.READ && n.ending().equals("completed")) {
            return "the listener closed the socket, yet the conversation went on";
        }
        return null;
    }

    /**
     * Differences kept on purpose, each with its reason:
     * <ul>
     * <li>an SNI matcher sees a handshake session already (SunJSSE makes it later);
     * <li>SunJSSE's TLS 1.3 server publishes its session before it has checked the client's
     *     certificate; NativeTLS's getSession() stays the null session until the handshake is done;
     * </ul>
     */
    private static boolean tolerated(Scenario sc, Scenario.Outcome n, Scenario.Outcome s) {
        if (sc.hook() == Hook.SNI && sc.call() == Call.HANDSHAKE_SESSION) {
            return n.call().equals("ok true") && s.call().equals("ok false");
        }
        if (!sc.client() && sc.protocol().equals("TLSv1.3") && sc.hook() == Hook.TRUST && sc.call() == Call.SESSION) {
            return n.call().equals("ok null-session") && s.call().equals("ok valid=true");
        }
        return false;
    }
}
