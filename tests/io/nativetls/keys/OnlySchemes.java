package io.nativetls.keys;

import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Algorithm constraints that forbid every TLS signature scheme but the ones named: SunJSSE asks
 * its constraints about each scheme by its TLS name before it offers or accepts it, so a SunJSSE
 * peer with these offers (and accepts) only those schemes. Everything else (certificate
 * signature algorithms, key algorithms, suites, groups) is left to the JDK's own policy.
 */
final class OnlySchemes implements AlgorithmConstraints {
    /** TLS signature scheme names as SunJSSE spells them (never the JDK's algorithm names). */
    private static final Pattern SCHEME = Pattern.compile("(rsa|ecdsa|dsa)_[a-z0-9_]+|ed25519|ed448");

    private final List<String> allowed;

    OnlySchemes(String... allowed) {
        this.allowed = List.of(allowed);
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
        return !SCHEME.matcher(algorithm).matches() || allowed.contains(algorithm);
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
        return true;
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters parameters) {
        return permits(primitives, algorithm, parameters);
    }
}
