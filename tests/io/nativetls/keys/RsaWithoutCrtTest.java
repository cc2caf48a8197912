package io.nativetls.keys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Matrix;
import io.nativetls.keys.Handshake.Role;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.TestPki;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RSA private keys without CRT values, as RSAPrivateKeySpec(n, d) makes them (some key managers and
 * HSM bridges hand those over): SunJSSE signs with them, so NativeTLS must too, as server and as
 * client, and a peer of either kind must verify the signatures. One whose d is another key's is
 * refused before it signs, with an SSLException that says so.
 */
@Timeout(120)
class RsaWithoutCrtTest {
    static List<Arguments> cases() {
        return Matrix.list(Matrix.PROTOCOLS, Role.values(), Impl.values(), Impl.values());
    }

    private static String name(Role role) {
        return role == Role.SERVER ? "server-rsa" : "client-rsa";
    }

    @ParameterizedTest(name = "{2} {1} signs with an n,d-only RSA key, {3} peer, {0}")
    @MethodSource("cases")
    void signsWithTheKey(String protocol, Role role, Impl signer, Impl peer) throws Exception {
        RSAPrivateKey key = KeyManagers.withoutCrt(name(role));
        assertFalse(key instanceof RSAPrivateCrtKey);
        KeyManagers.Handing km = new KeyManagers.Handing(KeyManagers.pkix(name(role)), key);
        EnginePair pair = Handshake.run(role, signer, peer, protocol, km.array());
        assertTrue(km.handed.get() > 0, "the key manager handed over the key without CRT values");
        Handshake.assertAuthenticated(pair, role, name(role), "RSA", protocol);
    }

    static List<Arguments> pssCases() {
        List<Arguments> out = new ArrayList<>();
        for (Arguments a : cases()) {
            Object[] c = a.get();
            out.add(Arguments.of(c[0], c[1], c[2], c[3], c[1] == Role.SERVER ? "server-pss256" : "client-pss"));
        }
        return out;
    }

    /**
     * An RSASSA-PSS key without CRT values keeps what its certificate restricts: the SHA-256-only key
     * signs rsa_pss_pss_sha256 for a peer preferring sha512, client-pss signs the peer's only sha512.
     */
    @ParameterizedTest(name = "{2} {1} signs with {4} without CRT values, {3} peer, {0}")
    @MethodSource("pssCases")
    void signsWithAPssKeyWithoutCrt(String protocol, Role role, Impl signer, Impl peer, String name) throws Exception {
        RSAPrivateKey key = KeyManagers.withoutCrt(name);
        assertFalse(key instanceof RSAPrivateCrtKey);
        KeyManagers.Handing km = new KeyManagers.Handing(KeyManagers.pkix(name), key);
        String[] peerSchemes = name.equals("server-pss256") ? new String[] {"rsa_pss_pss_sha512", "rsa_pss_pss_sha256"}
            : new String[] {"rsa_pss_pss_sha512"};
        EnginePair pair = Handshake.run(role, signer, peer, protocol, km.array(), peerSchemes);
        assertTrue(km.handed.get() > 0, "the key manager handed over the key without CRT values");
        Handshake.assertAuthenticated(pair, role, name, "RSASSA-PSS", protocol);
    }

    /** d of another key with the certificate's own n: only a signature shows the mismatch. */
    @ParameterizedTest(name = "{2} {1} with another key's private exponent, {3} peer, {0}")
    @MethodSource("cases")
    void otherPrivateExponentIsRefused(String protocol, Role role, Impl signer, Impl peer) {
        RSAPrivateKey own = (RSAPrivateKey) TestPki.get().privateKey(name(role));
        RSAPrivateKey other = (RSAPrivateKey) TestPki.get().privateKey(role == Role.SERVER ? "client-rsa" : "server-rsa");
        RSAPrivateKey mixed = KeyManagers.withoutCrt(own.getModulus(), other.getPrivateExponent());
        SSLException e = assertThrows(SSLException.class,
            () -> Handshake.run(role, signer, peer, protocol, new KeyManagers.Handing(KeyManagers.pkix(name(role)),
                mixed).array()));
        if (signer == Impl.NATIVE) {
            // NativeTLS refuses the key itself, before the peer sees a signature
            assertRefusedLocally(e, "its private exponent belongs to another key");
        }
        // SunJSSE (the oracle) signs and its peer rejects the signature: no handshake either way
    }

    /** Another key entirely (its n and d): refused on its modulus. */
    @ParameterizedTest(name = "{2} {1} with another key's n and d, {3} peer, {0}")
    @MethodSource("cases")
    void otherKeyIsRefused(String protocol, Role role, Impl signer, Impl peer) {
        RSAPrivateKey other = KeyManagers.withoutCrt(role == Role.SERVER ? "client-rsa" : "server-rsa");
        SSLException e = assertThrows(SSLException.class,
            () -> Handshake.run(role, signer, peer, protocol, new KeyManagers.Handing(KeyManagers.pkix(name(role)),
                other).array()));
        if (signer == Impl.NATIVE) {
            assertRefusedLocally(e, "modulus is not the certificate's");
        }
    }

    private static void assertRefusedLocally(SSLException e, String reason) {
        String all = messages(e);
        assertTrue(all.contains("unusable") && all.contains(reason), "the refusal says why: " + all);
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" | ");
        }
        return b.toString();
    }
}
