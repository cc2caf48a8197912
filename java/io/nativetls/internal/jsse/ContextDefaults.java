package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.CipherSuites;
import io.nativetls.internal.ssl.DisabledAlgorithms;
import io.nativetls.internal.ssl.DisabledExtensions;
import io.nativetls.internal.ssl.KeyLimits;
import io.nativetls.internal.ssl.Protocols;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocols and cipher suites an engine of one SSLContext enables by default, per role, with
 * SunJSSE's customisation properties: {@code jdk.tls.client.protocols} and
 * {@code jdk.tls.server.protocols} replace the default protocols of the "TLS" and "Default"
 * contexts only (not of "TLSv1.2" or "TLSv1.3"), in the order given, with an unknown name failing
 * the context's creation; {@code jdk.tls.client.cipherSuites} and {@code jdk.tls.server.cipherSuites}
 * replace the default suites of every context, in the order given, unknown names ignored, keeping
 * only suites that are negotiable, allowed by jdk.tls.disabledAlgorithms and usable with that
 * role's default protocols. An empty property, or one naming no known suite, leaves the default.
 * In FIPS mode a suite OpenSSL has but its FIPS provider does not offer fails the creation.
 * SunJSSE reads them once per JVM; NativeTLS when each SSLContext is created.
 */
final class ContextDefaults {
    static final String CLIENT_PROTOCOLS = "jdk.tls.client.protocols";
    static final String SERVER_PROTOCOLS = "jdk.tls.server.protocols";
    static final String CLIENT_SUITES = "jdk.tls.client.cipherSuites";
    static final String SERVER_SUITES = "jdk.tls.server.cipherSuites";

    final String[] clientProtocols;
    final String[] serverProtocols;
    final String[] clientSuites;
    final String[] serverSuites;
    /** jdk.tls.client.disableExtensions, as read when the context was created. */
    final DisabledExtensions clientExtensions = DisabledExtensions.of(true);
    /** jdk.tls.keyLimits (a security property), as read when the context was created. */
    final KeyLimits keyLimits = KeyLimits.current();

    /** contextProtocols: what a client of this context enables without properties; customisable: "TLS", "Default". */
    ContextDefaults(String[] contextProtocols, boolean customisable) {
        DisabledAlgorithms policy = DisabledAlgorithms.current();
        String[] client = customisable ? protocols(CLIENT_PROTOCOLS, policy) : null;
        String[] server = customisable ? protocols(SERVER_PROTOCOLS, policy) : null;
        this.clientProtocols = client != null ? client : contextProtocols.clone();
        this.serverProtocols = server != null ? server : Protocols.supported();
        this.clientSuites = suites(CLIENT_SUITES, clientProtocols, policy);
        this.serverSuites = suites(SERVER_SUITES, serverProtocols, policy);
    }

    /** The property's protocols NativeTLS can negotiate and the policy allows, or null when it is unset or empty. */
    private static String[] protocols(String property, DisabledAlgorithms policy) {
        String[] names = split(System.getProperty(property));
        if (names == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (!Protocols.isKnown(name)) {
                throw new IllegalArgumentException(property + ": " + name + " is not a supported SSL protocol name");
            }
            if (Protocols.isNegotiable(name) && !policy.disablesProtocol(name) && !out.contains(name)) {
                out.add(name);
            }
        }
        return out.toArray(new String[0]);
    }

    private static String[] suites(String property, String[] protocols, DisabledAlgorithms policy) {
        CipherSuites all = CipherSuites.get();
        if (protocols.length == 0) {
            return new String[0]; // as SunJSSE: no protocol, no suite
        }
        String[] names = split(System.getProperty(property));
        if (names == null) {
            return all.defaults();
        }
        List<String> known = new ArrayList<>();
        for (String name : names) {
            if (all.notApprovedInFips(name)) {
                // Ignoring it as unknown would hide that FIPS mode took away what was asked for.
                throw new IllegalArgumentException(property + ": " + name + CipherSuites.NOT_APPROVED);
            }
            if (all.isKnown(name) && !known.contains(name)) {
                known.add(name);
            }
        }
        if (known.isEmpty()) {
            return all.defaults();
        }
        boolean tls13 = List.of(protocols).contains(Protocols.TLS13);
        boolean tls12 = List.of(protocols).contains(Protocols.TLS12);
        List<String> out = new ArrayList<>();
        for (String name : policy.allowedSuites(known.toArray(new String[0]))) {
            Boolean suiteIs13 = all.isTls13(name);
            if (suiteIs13 != null && (suiteIs13 ? tls13 : tls12)) {
                out.add(name);
            }
        }
        return out.toArray(new String[0]);
    }

    /** A comma-separated property value (optionally quoted) as trimmed names, or null when unset or empty. */
    static String[] split(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.length() > 1 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1).trim();
        }
        if (v.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String n : v.split(",")) {
            if (!n.trim().isEmpty()) {
                out.add(n.trim());
            }
        }
        return out.isEmpty() ? null : out.toArray(new String[0]);
    }
}
