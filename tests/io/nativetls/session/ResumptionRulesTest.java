package io.nativetls.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nativetls.testing.CountingTrustManager;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.net.Socket;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A session resumes only if the connection that would resume it could have made it: each case
 * makes one connection, changes one setting on one side, and connects again. A resumption is seen
 * by its absence of certificate checks (the client's trust manager is not asked again), which is
 * true of both providers. SunJSSE in the same role, on the same input, is the oracle; on top, every
 * case states the outcome it must have, so agreeing with SunJSSE on a wrong answer still fails.
 */
@Timeout(120)
class ResumptionRulesTest {
    private static final String HOST = "localhost";

    enum Wire {
        TLS12_IDS("TLSv1.2", false), TLS12_TICKETS("TLSv1.2", true), TLS13("TLSv1.3", true);

        final String protocol;
        final boolean tickets;

        Wire(String protocol, boolean tickets) {
            this.protocol = protocol;
            this.tickets = tickets;
        }
    }

    enum Outcome { RESUMED, FULL, FAILED }

    /**
     * What one case changes before the second connection, and the outcome it must have. Where
     * SunJSSE knowingly differs, {@link #sunJsse} says so, and that is asserted too (if SunJSSE
     * changes, the test notices): it does not check signature constraints when resuming TLS 1.2,
     * nor the server name a session was made for; NativeTLS checks both in every version (RFC 6066
     * section 3: a server must not resume a session for another name).
     */
    enum Change {
        /** Control: nothing changes, so the session must resume. */
        NOTHING(Role.SERVER, Outcome.RESUMED),
        /** The server now requires a certificate the session was made without. */
        SERVER_NEEDS_CLIENT_AUTH(Role.SERVER, Outcome.FULL),
        /** Wanting one is no requirement: SunJSSE resumes, and so must NativeTLS. */
        SERVER_WANTS_CLIENT_AUTH(Role.SERVER, Outcome.RESUMED),
        SERVER_DROPS_SUITE(Role.SERVER, Outcome.FULL),
        SERVER_NOW_IDENTIFIES(Role.SERVER, Outcome.FULL),
        /**
         * The server requires client certificates throughout, and now forbids the scheme the
         * client signed with, ecdsa_secp256r1_sha256 — which is also how the test CA signed the
         * client's certificate. Not resumed, the full handshake has no certificate the client may
         * send (TLS 1.2 applies the schemes to the chain as well) and fails: the constraint holds.
         */
        SERVER_FORBIDS_CLIENT_SCHEME(Role.SERVER, Outcome.FAILED),
        CLIENT_DROPS_SUITE(Role.CLIENT, Outcome.FULL),
        CLIENT_DROPS_PROTOCOL(Role.CLIENT, Outcome.FULL),
        CLIENT_NOW_IDENTIFIES(Role.CLIENT, Outcome.FULL),
        /** Identification made the session; none is asked now: SunJSSE resumes. */
        CLIENT_STOPS_IDENTIFYING(Role.CLIENT, Outcome.RESUMED),
        /** The server's handshake signature used a scheme the client's constraints now forbid. */
        CLIENT_FORBIDS_SERVER_SCHEME(Role.CLIENT, Outcome.FULL),
        /**
         * The client asks for another server name at the same host and port. SunJSSE's client
         * resumes by sending the session's old name instead of the one configured; NativeTLS's
         * makes a new session for the new name. (The server's side of this rule needs a client
         * that offers a session for another name: OpenSslServerNameResumptionTest.)
         */
        CLIENT_CHANGES_SERVER_NAME(Role.CLIENT, Outcome.FULL);

        final Role role;
        private final Outcome expected;

        Change(Role role, Outcome expected) {
            this.role = role;
            this.expected = expected;
        }

        Outcome expected(Wire wire) {
            return expected;
        }

        /** SunJSSE's outcome in this role with peer on the other side. */
        Outcome sunJsse(Wire wire, Impl peer) {
            boolean tls12 = !wire.protocol.equals("TLSv1.3");
            if ((this == SERVER_FORBIDS_CLIENT_SCHEME || this == CLIENT_FORBIDS_SERVER_SCHEME) && tls12) {
                return Outcome.RESUMED;
            }
            return this == CLIENT_CHANGES_SERVER_NAME ? Outcome.RESUMED : expected(wire);
        }
    }

    enum Role { CLIENT, SERVER }

    /** Forbids the named algorithms (TLS scheme names or JDK names), case-insensitively; allows the rest. */
    static final class Forbidding implements AlgorithmConstraints {
        final Set<String> forbidden;

        Forbidding(String... names) {
            forbidden = Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
            return !forbidden.contains(algorithm.toLowerCase(Locale.ROOT));
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
            return true;
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key,
                               AlgorithmParameters parameters) {
            return permits(primitives, algorithm, parameters);
        }
    }

    /** Two contexts of one case: their caches outlive the connections. */
    static final class Peers {
        final CountingTrustManager clientTrust = new CountingTrustManager();
        final CountingTrustManager serverTrust = new CountingTrustManager();
        final SSLContext client;
        final SSLContext server;

        Peers(Impl clientImpl, Impl serverImpl, Wire wire) {
            TestPki pki = TestPki.get();
            client = Contexts.create(clientImpl, "TLS", pki.keyManagers("client"), new TrustManager[] {clientTrust});
            String property = "jdk.tls.server.enableSessionTicketExtension";
            String old = System.getProperty(property);
            System.setProperty(property, Boolean.toString(wire.tickets));
            try {
                server = Contexts.create(serverImpl, "TLS", pki.keyManagers("server-rsa"),
                    new TrustManager[] {serverTrust});
            } finally {
                if (old == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, old);
                }
            }
        }
    }

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Change change : Change.values()) {
            for (Wire wire : Wire.values()) {
                for (Impl peer : Impl.values()) {
                    all.add(Arguments.of(change, wire, peer));
                }
            }
        }
        return all;
    }

    /**
     * NativeTLS in the changed role, with peer as the other side, against SunJSSE in the same role
     * with the same peer: both must give the case's expected outcome.
     */
    @ParameterizedTest(name = "{0}, {1}, peer {2}")
    @MethodSource("cases")
    void resumesOnlyWhatTheConnectionCouldHaveMade(Change change, Wire wire, Impl peer) throws Exception {
        Outcome nativeTls = run(change, wire, Impl.NATIVE, peer);
        Outcome sunJsse = run(change, wire, Impl.SUN, peer);
        assertEquals(change.sunJsse(wire, peer), sunJsse, "SunJSSE, the oracle, in the " + change.role + " role");
        assertEquals(change.expected(wire), nativeTls, "NativeTLS in the " + change.role + " role");
    }

    private static Outcome run(Change change, Wire wire, Impl underTest, Impl peer) throws Exception {
        Impl clientImpl = change.role == Role.CLIENT ? underTest : peer;
        Impl serverImpl = change.role == Role.SERVER ? underTest : peer;
        Peers peers = new Peers(clientImpl, serverImpl, wire);
        SSLSession[] first = connect(peers, change, wire, null);
        assertNotNull(first, "the first connection of " + change + " completes");
        int clientChecks = peers.clientTrust.checks.get();
        SSLSession[] second;
        try {
            second = connect(peers, change, wire, first);
        } catch (SSLException e) {
            return Outcome.FAILED;
        }
        if (change == Change.SERVER_NEEDS_CLIENT_AUTH) {
            // Whatever happened, the server must now know its peer.
            assertNotNull(second[1].getPeerCertificates());
        }
        return peers.clientTrust.checks.get() == clientChecks ? Outcome.RESUMED : Outcome.FULL;
    }

    /** One connection; first is null for the first one, else the sessions it made. */
    private static SSLSession[] connect(Peers peers, Change change, Wire wire, SSLSession[] first)
        throws SSLException {
        boolean second = first != null;
        SSLEngine c = peers.client.createSSLEngine(HOST, 8443);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {wire.protocol});
        SSLEngine s = peers.server.createSSLEngine();
        s.setUseClientMode(false);
        if (change == Change.SERVER_FORBIDS_CLIENT_SCHEME) {
            s.setNeedClientAuth(true);
        }
        if (change == Change.CLIENT_STOPS_IDENTIFYING && !second) {
            identify(c);
        }
        if (change == Change.CLIENT_CHANGES_SERVER_NAME) {
            SSLParameters p = c.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(second ? "b.example" : "a.example")));
            c.setSSLParameters(p);
        }
        if (second) {
            switch (change) {
                case SERVER_NEEDS_CLIENT_AUTH:
                    s.setNeedClientAuth(true);
                    break;
                case SERVER_WANTS_CLIENT_AUTH:
                    s.setWantClientAuth(true);
                    break;
                case SERVER_DROPS_SUITE:
                    s.setEnabledCipherSuites(without(s.getEnabledCipherSuites(), first[1].getCipherSuite()));
                    break;
                case SERVER_NOW_IDENTIFIES:
                    identify(s);
                    break;
                case SERVER_FORBIDS_CLIENT_SCHEME:
                    constrain(s, new Forbidding("ecdsa_secp256r1_sha256"));
                    break;
                case CLIENT_DROPS_SUITE:
                    c.setEnabledCipherSuites(without(c.getEnabledCipherSuites(), first[0].getCipherSuite()));
                    break;
                case CLIENT_DROPS_PROTOCOL:
                    c.setEnabledProtocols(new String[] {wire.protocol.equals("TLSv1.3") ? "TLSv1.2" : "TLSv1.3"});
                    break;
                case CLIENT_NOW_IDENTIFIES:
                    identify(c);
                    break;
                case CLIENT_FORBIDS_SERVER_SCHEME:
                    constrain(c, new Forbidding("rsa_pss_rsae_sha256"));
                    break;
                default:
                    break;
            }
        }
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        pair.exchange(100, 1); // TLS 1.3 tickets arrive with the first data
        SSLSession[] sessions = {c.getSession(), s.getSession()};
        pair.close(pair.client);
        return sessions;
    }

    private static void identify(SSLEngine e) {
        SSLParameters p = e.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        e.setSSLParameters(p);
    }

    private static void constrain(SSLEngine e, AlgorithmConstraints constraints) {
        SSLParameters p = e.getSSLParameters();
        p.setAlgorithmConstraints(constraints);
        e.setSSLParameters(p);
    }

    private static String[] without(String[] suites, String dropped) {
        String[] left = Arrays.stream(suites).filter(x -> !x.equals(dropped)).toArray(String[]::new);
        assertNotEquals(suites.length, left.length, dropped + " was enabled");
        return left;
    }

    static List<Arguments> wiresAndServers() {
        List<Arguments> all = new ArrayList<>();
        for (Wire wire : Wire.values()) {
            for (Impl server : Impl.values()) {
                all.add(Arguments.of(wire, server, true));
                all.add(Arguments.of(wire, server, false));
            }
        }
        return all;
    }

    /**
     * A resuming NativeTLS client asks for the same server name as on its full handshake, whether
     * the name was set explicitly or comes from the peer host.
     */
    @ParameterizedTest(name = "{0}, server {1}, explicit name {2}")
    @MethodSource("wiresAndServers")
    void resumptionSendsTheSameServerName(Wire wire, Impl serverImpl, boolean explicit) throws Exception {
        Peers peers = new Peers(Impl.NATIVE, serverImpl, wire);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        SNIMatcher recorder = new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(SNIServerName name) {
                seen.add(new SNIHostName(name.getEncoded()).getAsciiName());
                return true;
            }
        };
        for (int i = 0; i < 2; i++) {
            SSLEngine c = peers.client.createSSLEngine(explicit ? HOST : "a.example", 8443);
            c.setUseClientMode(true);
            SSLParameters cp = c.getSSLParameters();
            cp.setProtocols(new String[] {wire.protocol});
            if (explicit) {
                cp.setServerNames(List.of(new SNIHostName("a.example")));
            }
            c.setSSLParameters(cp);
            SSLEngine s = peers.server.createSSLEngine();
            s.setUseClientMode(false);
            SSLParameters sp = s.getSSLParameters();
            sp.setSNIMatchers(List.of(recorder));
            s.setSSLParameters(sp);
            EnginePair pair = new EnginePair(c, s);
            pair.handshake();
            pair.exchange(100, 1);
            pair.close(pair.client);
        }
        assertEquals(1, peers.clientTrust.checks.get(), "the second connection resumed");
        assertEquals(List.of("a.example", "a.example"), seen, "server names the server received");
    }
}
