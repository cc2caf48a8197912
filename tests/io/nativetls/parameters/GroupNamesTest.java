package io.nativetls.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativetls.internal.ssl.NativeRuntime;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.SavedProperty;
import io.nativetls.testing.TestPki;
import java.lang.reflect.Method;
import java.security.KeyManagementException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * Group names as jdk.tls.namedGroups and SSLParameters.setNamedGroups give them: every name the
 * loaded OpenSSL has is used, the others are skipped, and a list with nothing usable fails with a
 * message that names where the list came from. SunJSSE, in the same JVM, is the oracle for the
 * names it knows.
 */
class GroupNamesTest {
    private static final String PROPERTY = "jdk.tls.namedGroups";

    private static boolean openSsl35() {
        Matcher m = Pattern.compile("OpenSSL (\\d+)\\.(\\d+)").matcher(NativeRuntime.openSslVersion());
        assertTrue(m.find(), NativeRuntime.openSslVersion());
        int major = Integer.parseInt(m.group(1));
        return major > 3 || (major == 3 && Integer.parseInt(m.group(2)) >= 5);
    }

    /** init's failure with the property set to value, or null when init succeeds. */
    private static KeyManagementException initWithProperty(String value) throws Exception {
        try (SavedProperty restored = SavedProperty.of(PROPERTY)) {
            System.setProperty(PROPERTY, value);
            SSLContext ctx = SSLContext.getInstance("TLS", Contexts.NATIVE);
            try {
                ctx.init(null, TestPki.get().trustManagers(), null);
                return null;
            } catch (KeyManagementException e) {
                return e;
            }
        }
    }

    @Test
    void aPropertyWithNoUsableGroupNamesTheProperty() throws Exception {
        KeyManagementException e = initWithProperty("NoSuchGroup, P-256");
        assertTrue(e != null, "a property naming no TLS group must fail init");
        assertTrue(e.getMessage().contains("System property jdk.tls.namedGroups(NoSuchGroup, P-256)"), e.getMessage());
        assertFalse(e.getMessage().contains("SSLParameters"), e.getMessage());
    }

    /** The hybrid alone: usable on OpenSSL 3.5, skipped (so nothing left) on 3.0. */
    @Test
    void aPostQuantumGroupAloneDependsOnTheOpenSsl() throws Exception {
        KeyManagementException e = initWithProperty("X25519MLKEM768");
        if (openSsl35()) {
            assertEquals(null, e, "OpenSSL 3.5 has X25519MLKEM768");
        } else {
            assertTrue(e != null && e.getMessage().contains("System property jdk.tls.namedGroups(X25519MLKEM768)"),
                "OpenSSL " + NativeRuntime.openSslVersion() + " has no X25519MLKEM768: " + e);
        }
        assertEquals(null, initWithProperty("X25519MLKEM768,x25519"), "x25519 is left in any case");
    }

    private static Method setNamedGroups() {
        try {
            return SSLParameters.class.getMethod("setNamedGroups", String[].class);
        } catch (NoSuchMethodException e) {
            assumeTrue(false, "SSLParameters.setNamedGroups exists from Java 20; this is " + Runtime.version());
            return null;
        }
    }

    private static SSLEngine engine(Impl impl, boolean client, String... groups) throws Exception {
        SSLEngine engine = client ? Contexts.client(impl).createSSLEngine("localhost", 443)
            : Contexts.server(impl, "server-ec").createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters p = engine.getSSLParameters();
        setNamedGroups().invoke(p, (Object) groups);
        engine.setSSLParameters(p);
        return engine;
    }

    @Test
    void aParameterWithNoUsableGroupNamesTheParameter() throws Exception {
        setNamedGroups(); // skips the test before Java 20
        // setSSLParameters refuses it (P-384 is OpenSSL's alias, not the IANA name SunJSSE knows either)
        IllegalArgumentException cause = assertThrows(IllegalArgumentException.class,
            () -> engine(Impl.NATIVE, true, "NoSuchGroup", "P-384"));
        assertTrue(cause.getMessage().contains("SSLParameters.setNamedGroups(NoSuchGroup,P-384)"), cause.getMessage());
        assertFalse(cause.getMessage().contains("System property"), cause.getMessage());
    }

    /**
     * NativeTLS and SunJSSE clients with the same lists against a SunJSSE server that has only
     * secp384r1: the lists that keep it (whatever else they name) complete for both, the others fail
     * for both. X25519MLKEM768 and brainpoolP256r1tls13 are skipped by SunJSSE and, where OpenSSL
     * has them, offered by NativeTLS, which the server then answers with a HelloRetryRequest.
     */
    @Test
    void sameOutcomeAsSunJsseForTheSameList() throws Exception {
        List<List<String>> lists = List.of(
            List.of("NoSuchGroup", "secp384r1"),
            List.of("X25519MLKEM768", "secp384r1"),
            List.of("brainpoolP256r1tls13", "SECP384R1"),
            List.of("x448", "NoSuchGroup"),
            List.of("secp256r1", "x25519"));
        for (List<String> list : lists) {
            String[] groups = list.toArray(new String[0]);
            boolean sun = completes(engine(Impl.SUN, true, groups), engine(Impl.SUN, false, "secp384r1"));
            boolean nativeTls = completes(engine(Impl.NATIVE, true, groups), engine(Impl.SUN, false, "secp384r1"));
            assertEquals(sun, nativeTls, "client groups " + list + ": SunJSSE " + (sun ? "completes" : "fails"));
            assertEquals(list.stream().anyMatch("secp384r1"::equalsIgnoreCase), sun, "the oracle itself, " + list);
        }
    }

    private static boolean completes(SSLEngine client, SSLEngine server) {
        try {
            new EnginePair(client, server).handshake();
            return true;
        } catch (SSLException e) {
            return false;
        }
    }
}
