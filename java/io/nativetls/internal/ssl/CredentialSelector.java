package io.nativetls.internal.ssl;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Asks the key manager which credentials a handshake should offer and keeps their parsed native
 * form per alias. A server offers one credential per key type the key manager has (OpenSSL then
 * picks the one the client's signature algorithms prefer); a client offers the one alias chosen.
 * Parsed credentials are cached per certificate chain.
 */
final class CredentialSelector {
    /** Key types in the order a server offers them; names as SunJSSE passes them to key managers. */
    private static final String[] SERVER_KEY_TYPES = {"EC", "RSA", "EdDSA", "Ed25519"};
    private static final String[] CLIENT_KEY_TYPES = {"EC", "RSA", "EdDSA", "Ed25519"};

    private final X509KeyManager keyManager;
    private static final int MAX_CACHED = 64;
    private final ConcurrentMap<List<X509Certificate>, Credential> cache = new ConcurrentHashMap<>();

    CredentialSelector(X509KeyManager keyManager) {
        this.keyManager = keyManager;
    }

    List<Credential> forServer(SSLEngine engine) throws SSLException {
        List<Credential> out = new ArrayList<>(2);
        if (keyManager == null) {
            return out;
        }
        List<String> aliases = new ArrayList<>(2);
        for (String keyType : SERVER_KEY_TYPES) {
            String alias = keyManager instanceof X509ExtendedKeyManager && engine != null
                ? ((X509ExtendedKeyManager) keyManager).chooseEngineServerAlias(keyType, null, engine)
                : keyManager.chooseServerAlias(keyType, null, null);
            if (alias != null && !aliases.contains(alias)) {
                aliases.add(alias);
                out.add(credential(alias));
            }
        }
        return out;
    }

    List<Credential> forClient(SSLEngine engine) throws SSLException {
        List<Credential> out = new ArrayList<>(1);
        if (keyManager == null) {
            return out;
        }
        String alias = keyManager instanceof X509ExtendedKeyManager && engine != null
            ? ((X509ExtendedKeyManager) keyManager).chooseEngineClientAlias(CLIENT_KEY_TYPES.clone(), null, engine)
            : keyManager.chooseClientAlias(CLIENT_KEY_TYPES.clone(), null, null);
        if (alias != null) {
            out.add(credential(alias));
        }
        return out;
    }

    private Credential credential(String alias) throws SSLException {
        X509Certificate[] chain = keyManager.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
            return Credential.load(alias, chain, null);
        }
        // Keyed by the chain, not the alias: SunJSSE's PKIX key manager names the same entry
        // differently on every call, and a key manager may swap the chain behind one alias.
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
}
