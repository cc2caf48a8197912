package io.nativetls.internal.ssl;

import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Asks the key manager which credentials a handshake should offer and keeps their parsed native
 * form per alias. A server offers one credential per key type the key manager has (OpenSSL then
 * picks the one the client's signature algorithms prefer); a client offers the one alias chosen.
 * Parsed credentials are cached per certificate chain, and an alias's chain is read again at
 * most every ten seconds, so a key manager that swaps certificates is followed within that time.
 */
final class CredentialSelector {
    /**
     * Key types in order of preference, for when the peer's signature schemes do not say (names as
     * SunJSSE passes them to key managers, and Ed25519 for key managers that name that one).
     */
    private static final String[] CLASSICAL_KEY_TYPES = {"EC", "RSA", "RSASSA-PSS", "EdDSA", "Ed25519"};

    /**
     * Those, and last "ML-DSA" (the key algorithm of JDK 24+'s ML-DSA keys, which SunJSSE's key
     * managers match the keyType against) where this OpenSSL can sign with ML-DSA: elsewhere a key
     * manager is not asked for a key no handshake could use.
     */
    private static volatile String[] keyTypes;

    private static String[] keyTypes() {
        String[] k = keyTypes;
        if (k == null) {
            List<String> all = new ArrayList<>(List.of(CLASSICAL_KEY_TYPES));
            if (SignatureSchemes.keyType(0x0905) != null) {
                all.add("ML-DSA");
            }
            k = all.toArray(new String[0]);
            keyTypes = k;
        }
        return k;
    }

    private static final int MAX_CACHED = 64;
    /** How long an alias keeps its parsed credential before the key manager's chain is read again. */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final X509KeyManager keyManager;
    private final boolean pkixKeyManager;
    private final ConcurrentMap<List<X509Certificate>, Credential> cache = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AliasEntry> byAlias = new ConcurrentHashMap<>();

    CredentialSelector(X509KeyManager keyManager) {
        this.keyManager = keyManager;
        this.pkixKeyManager = keyManager != null
            && keyManager.getClass().getName().equals("sun.security.ssl.X509KeyManagerImpl");
    }

    /**
     * The server's credential: the key manager is asked for each key type the handshake could
     * use, in the order the handshake prefers them, and the first alias it names is taken, as
     * SunJSSE does (so a slow key manager is asked no more often than there). keyTypes null: the
     * order is unknown, and every key type is asked for, one credential offered per answer.
     */
    /**
     * TLS 1.2: the key types the shared suites authenticate with, in the order a suite will be
     * chosen. ECDSA suites also take EdDSA keys (RFC 8422), asked for after EC, and RSA suites
     * RSASSA-PSS keys (RFC 8446 section 4.2.3 for TLS 1.2), asked for after RSA, as SunJSSE does.
     */
    List<Credential> forServerTls12(Transport transport, String[] suiteKeyTypes) throws SSLException {
        if (suiteKeyTypes.length == 0) {
            return forServer(transport, null);
        }
        List<String> keyTypes = new ArrayList<>(3);
        for (String type : suiteKeyTypes) {
            keyTypes.add(type);
            if (type.equals("EC")) {
                keyTypes.add("EdDSA");
            } else if (type.equals("RSA")) {
                keyTypes.add("RSASSA-PSS");
            }
        }
        return forServer(transport, keyTypes);
    }

    List<Credential> forServer(Transport transport, List<String> keyTypes) throws SSLException {
        List<Credential> out = new ArrayList<>(2);
        if (keyManager == null) {
            return out;
        }
        List<String> aliases = new ArrayList<>(2);
        for (String keyType : keyTypes != null ? keyTypes : List.of(keyTypes())) {
            String alias = keyManager instanceof X509ExtendedKeyManager && transport.engine != null
                ? ((X509ExtendedKeyManager) keyManager).chooseEngineServerAlias(keyType, null, transport.engine)
                : keyManager.chooseServerAlias(keyType, null, transport.socket);
            if (alias != null && !aliases.contains(alias)) {
                aliases.add(alias);
                out.add(credential(alias));
                if (keyTypes != null) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * TLS 1.3: for each of the peer's signature schemes in its order, the alias for the key type
     * it needs (each key type asked for once), until one whose key can make that signature: as
     * SunJSSE chooses. If none can, every credential found is offered and OpenSSL decides.
     */
    List<Credential> forServerTls13(Transport transport, int[] peerSchemes) throws SSLException {
        List<String> asked = new ArrayList<>(4);
        List<Credential> found = new ArrayList<>(2);
        for (int code : peerSchemes) {
            String keyType = SignatureSchemes.keyType(code);
            if (keyType != null && !asked.contains(keyType)) {
                asked.add(keyType);
                for (Credential c : forServer(transport, List.of(keyType))) {
                    if (!found.contains(c)) {
                        found.add(c);
                    }
                }
            }
            for (Credential c : found) {
                if (SignatureSchemes.canSign(c, code)) {
                    return List.of(c);
                }
            }
        }
        return found.isEmpty() ? forServer(transport, null) : found;
    }

    /**
     * The client's credential: the key manager is asked once, with the key types of the server's
     * signature schemes in the server's order (each once), as SunJSSE asks it; an RSASSA-PSS key
     * is only offered where the server accepts rsa_pss_pss schemes.
     */
    List<Credential> forClient(Transport transport, Principal[] issuers, int[] peerSchemes) throws SSLException {
        List<Credential> out = new ArrayList<>(1);
        if (keyManager == null) {
            return out;
        }
        String[] keyTypes = clientKeyTypes(peerSchemes);
        String alias = keyManager instanceof X509ExtendedKeyManager && transport.engine != null
            ? ((X509ExtendedKeyManager) keyManager).chooseEngineClientAlias(keyTypes, issuers, transport.engine)
            : keyManager.chooseClientAlias(keyTypes, issuers, transport.socket);
        if (alias != null) {
            out.add(credential(alias));
        }
        return out;
    }

    static String[] clientKeyTypes(int[] peerSchemes) {
        List<String> types = new ArrayList<>(4);
        for (int code : peerSchemes) {
            String type = SignatureSchemes.keyType(code);
            if (type != null && !types.contains(type)) {
                types.add(type);
            }
        }
        return types.isEmpty() ? keyTypes().clone() : types.toArray(new String[0]);
    }

    private Credential credential(String alias) throws SSLException {
        String stable = stableAlias(alias);
        long now = System.nanoTime();
        AliasEntry known = byAlias.get(stable);
        if (known != null && now - known.checkedAt < RECHECK_NANOS) {
            return known.credential;
        }
        Credential credential = byChain(alias);
        if (byAlias.size() >= MAX_CACHED) {
            byAlias.clear();
        }
        byAlias.put(stable, new AliasEntry(credential, now));
        return credential;
    }

    private Credential byChain(String alias) throws SSLException {
        X509Certificate[] chain = keyManager.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
            return Credential.load(alias, chain, null);
        }
        // Keyed by the chain, not the alias: a key manager may swap the chain behind one alias.
        List<X509Certificate> key = List.of(chain);
        Credential cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Credential fresh = Credential.load(alias, chain, keyManager.getPrivateKey(alias));
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // a key manager rotating through many chains; the Cleaner frees the dropped ones
        }
        cache.put(key, fresh);
        return fresh;
    }

    /**
     * The alias with SunJSSE's PKIX key manager's per-call prefix removed: it answers every choice
     * with a fresh "uid.builder.alias", and asking it for that alias's chain decrypts the key
     * store entry (PBKDF2) each time. Other key managers' aliases are taken as they are.
     */
    private String stableAlias(String alias) {
        if (!pkixKeyManager) {
            return alias;
        }
        int first = alias.indexOf('.');
        return first > 0 && alias.chars().limit(first).allMatch(Character::isDigit) ? alias.substring(first + 1) : alias;
    }

    private static final class AliasEntry {
        final Credential credential;
        final long checkedAt;

        AliasEntry(Credential credential, long checkedAt) {
            this.credential = credential;
            this.checkedAt = checkedAt;
        }
    }
}
