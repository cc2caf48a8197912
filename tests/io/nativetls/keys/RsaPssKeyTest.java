package io.nativetls.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nativetls.keys.Handshake.Role;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RSASSA-PSS certificates and keys (public key OID RSASSA-PSS, rsa_pss_pss_* schemes) as server and
 * client keys, TLS 1.3 and 1.2, NativeTLS and SunJSSE (the oracle) against peers of both kinds. The
 * scheme used shows where a peer accepts only one: it can be nothing else. Key managers are asked
 * for "RSASSA-PSS" keys when and in the order SunJSSE asks.
 */
@Timeout(120)
class RsaPssKeyTest {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    static List<Arguments> keys() {
        List<Arguments> out = new ArrayList<>();
        for (String protocol : PROTOCOLS) {
            for (Impl signer : Impl.values()) {
                for (Impl peer : Impl.values()) {
                    out.add(Arguments.of(protocol, Role.SERVER, "server-pss", signer, peer));
                    out.add(Arguments.of(protocol, Role.SERVER, "server-pss256", signer, peer));
                    out.add(Arguments.of(protocol, Role.CLIENT, "client-pss", signer, peer));
                }
            }
        }
        return out;
    }

    static List<Arguments> unrestricted() {
        List<Arguments> out = new ArrayList<>();
        for (Arguments a : keys()) {
            if (!a.get()[2].equals("server-pss256")) {
                out.add(a);
            }
        }
        return out;
    }

    static List<Arguments> restricted() {
        List<Arguments> out = new ArrayList<>();
        for (Arguments a : keys()) {
            if (a.get()[2].equals("server-pss256")) {
                out.add(a);
            }
        }
        return out;
    }

    static List<Arguments> peers() {
        List<Arguments> out = new ArrayList<>();
        for (String protocol : PROTOCOLS) {
            for (Impl peer : Impl.values()) {
                out.add(Arguments.of(protocol, Role.SERVER, "server-pss", peer));
                out.add(Arguments.of(protocol, Role.CLIENT, "client-pss", peer));
            }
        }
        return out;
    }

    private static KeyManagers.Handing keys(String name) {
        return new KeyManagers.Handing(KeyManagers.pkix(name), null);
    }

    @ParameterizedTest(name = "{3} {1} with {2}, {4} peer, {0}")
    @MethodSource("keys")
    void authenticatesWithThePssKey(String protocol, Role role, String name, Impl signer, Impl peer) throws Exception {
        EnginePair pair = Handshake.run(role, signer, peer, protocol, keys(name).array());
        Handshake.assertAuthenticated(pair, role, name, "RSASSA-PSS", protocol);
    }

    /** SHA-512 is no signer's first choice: a handshake with a peer accepting only that proves the signer follows it. */
    @ParameterizedTest(name = "{3} {1} with {2} signs rsa_pss_pss_sha512 for a {4} peer accepting only that, {0}")
    @MethodSource("unrestricted")
    void signsTheOnlySchemeThePeerAccepts(String protocol, Role role, String name, Impl signer, Impl peer)
        throws Exception {
        EnginePair pair = Handshake.run(role, signer, peer, protocol, keys(name).array(), "rsa_pss_pss_sha512");
        Handshake.assertAuthenticated(pair, role, name, "RSASSA-PSS", protocol);
    }

    /** A key whose PSS parameters name SHA-256 skips the peer's preferred rsa_pss_pss_sha512. */
    @ParameterizedTest(name = "{3} {1} with {2} picks rsa_pss_pss_sha256 from a {4} peer's sha512,sha256, {0}")
    @MethodSource("restricted")
    void keyParametersPickTheScheme(String protocol, Role role, String name, Impl signer, Impl peer) throws Exception {
        EnginePair pair = Handshake.run(role, signer, peer, protocol, keys(name).array(), "rsa_pss_pss_sha512",
            "rsa_pss_pss_sha256");
        Handshake.assertAuthenticated(pair, role, name, "RSASSA-PSS", protocol);
    }

    /** ... and with no scheme its parameters allow, there is no handshake (SunJSSE fails it the same way). */
    @ParameterizedTest(name = "{3} {1} with {2} cannot sign for a {4} peer accepting only rsa_pss_pss_sha512, {0}")
    @MethodSource("restricted")
    void keyParametersForbidOtherSchemes(String protocol, Role role, String name, Impl signer, Impl peer) {
        assertThrows(SSLException.class,
            () -> Handshake.run(role, signer, peer, protocol, keys(name).array(), "rsa_pss_pss_sha512"));
    }

    /**
     * TLS 1.3 server with a SHA-256-only PSS key and an RSA key, for a client that prefers
     * rsa_pss_pss_sha512 to rsa_pss_rsae_sha256: the PSS key cannot sign the first, so NativeTLS
     * goes on to the next scheme's key type and presents the RSA key. A NativeTLS client, as only
     * it lists the PSS scheme first. (SunJSSE takes the first key type's alias without looking at
     * the key's parameters, then finds no scheme for it and fails this handshake.)
     */
    @org.junit.jupiter.api.Test
    void serverSkipsAKeyItsParametersForbid() throws Exception {
        EnginePair pair = Handshake.run(Role.SERVER, Impl.NATIVE, Impl.NATIVE, "TLSv1.3",
            new KeyManagers.Handing(KeyManagers.pkix("server-pss256", "server-rsa"), null).array(),
            "rsa_pss_pss_sha512", "rsa_pss_rsae_sha256");
        Handshake.assertAuthenticated(pair, Role.SERVER, "server-rsa", "RSA", "TLSv1.3");
    }

    /**
     * The key types NativeTLS asks its key manager for, in order, are SunJSSE's for the same peer:
     * TLS 1.2 servers ask for RSASSA-PSS after RSA (RSA suites take both), TLS 1.3 servers and all
     * clients follow the peer's signature schemes. (SunJSSE also names DSA when the peer lists DSA
     * schemes, as OpenSSL does in TLS 1.2; NativeTLS has no DSA signing and leaves it out. With
     * OpenSSL 3.5 on JDK 24+ NativeTLS also asks for ML-DSA, which SunJSSE cannot use: left out.)
     */
    @ParameterizedTest(name = "{1} with {2} asks its key manager as SunJSSE does, {3} peer, {0}")
    @MethodSource("peers")
    void asksTheKeyManagerAsSunJsseDoes(String protocol, Role role, String name, Impl peer) throws Exception {
        List<String> asked = new ArrayList<>();
        for (Impl signer : Impl.values()) {
            KeyManagers.Handing km = keys(name);
            EnginePair pair = Handshake.run(role, signer, peer, protocol, km.array());
            Handshake.assertAuthenticated(pair, role, name, "RSASSA-PSS", protocol);
            LinkedHashSet<String> types = new LinkedHashSet<>();
            if (role == Role.SERVER) {
                types.addAll(km.serverKeyTypes);
            } else {
                assertEquals(1, km.clientKeyTypes.size(), signer + " asks a client key manager once");
                types.addAll(km.clientKeyTypes.get(0));
            }
            types.remove("DSA");
            types.remove("ML-DSA"); // asked where OpenSSL 3.5 and the JDK have it; SunJSSE has no ML-DSA schemes
            asked.add(signer + " " + types);
            assertFalse(types.isEmpty());
        }
        assertEquals(asked.get(1).replaceFirst("^SUN", ""), asked.get(0).replaceFirst("^NATIVE", ""),
            "key types asked, NativeTLS then SunJSSE: " + asked);
    }
}
