package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.NativeLibrary;
import io.nativetls.internal.jni.SslNative;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.security.KeyManagementException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.security.auth.x500.X500Principal;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Owns the SSL_CTXs of one SSLContext (see {@link NativeContexts}): each configured completely
 * before any connection uses it and read-only afterwards, so any number of threads create
 * connections from them without a lock. Each SSL holds its own reference on its SSL_CTX, so
 * connections outlive this object safely.
 */
public final class SslContextHandle {
    /** The groups and signature schemes every SSL_CTX of this context has (OpenSSL syntax; null: OpenSSL's). */
    final String groups;
    final String signatureSchemes;
    private final int minDhBits;
    private final DisabledExtensions clientExtensions = DisabledExtensions.of(true);
    private final DisabledExtensions serverExtensions = DisabledExtensions.of(false);
    private final boolean serverTls12Tickets = SessionTickets.SERVER.enabled()
        && !serverExtensions.disables(DisabledExtensions.SESSION_TICKET);
    private final boolean clientTickets = SessionTickets.CLIENT.enabled()
        && !clientExtensions.disables(DisabledExtensions.SESSION_TICKET);
    /** SunJSSE's jdk.tls.client.enableStatusRequestExtension (default true), read at init as there. */
    private final boolean clientStatusRequest = Boolean.parseBoolean(
        System.getProperty("jdk.tls.client.enableStatusRequestExtension", "true"))
        && !clientExtensions.disables(DisabledExtensions.STATUS_REQUEST);
    /**
     * io.nativetls.postHandshakeAuth (default true): TLS 1.3 clients offer post-handshake
     * authentication and answer a server's later CertificateRequest from the key manager.
     * SunJSSE does not offer it (a server that asks after the handshake gets no certificate).
     */
    private final boolean postHandshakeAuth = Boolean.parseBoolean(
        System.getProperty("io.nativetls.postHandshakeAuth", "true"));
    /** The server's stapler, null unless jdk.tls.server.enableStatusRequestExtension is true. */
    final OcspStapling stapling = OcspStapling.fromProperties(serverExtensions);
    private final byte[][] clientCaNames;
    private final String keyLog;
    /** Engines hand trust and key questions out as delegated tasks ({@link DelegatedTasks}). */
    public final boolean delegatedTasks = DelegatedTasks.enabled();
    private final NativeContexts contexts;
    private final Cleaner.Cleanable cleanable;
    private final NativeContexts.Factory derive = this::derive;
    final PeerVerifier verifier;
    final CredentialSelector credentials;

    public SslContextHandle(X509KeyManager keyManager, X509TrustManager trustManager) throws KeyManagementException {
        NativeLibrary.ensureLoaded();
        CipherSuites suites = CipherSuites.get();
        String default12 = suites.defaultTls12List();
        String default13 = suites.defaultTls13List();
        this.clientCaNames = clientCaNames(trustManager);
        this.keyLog = KeyLog.target();
        long base;
        DisabledAlgorithms policy = DisabledAlgorithms.current();
        this.minDhBits = policy.minDhBits();
        try {
            NamedGroups.fromSystemProperty(); // a property naming no group at all fails init, as in SunJSSE
            this.groups = contextValue(() -> NamedGroups.forConnection(null, policy));
            this.signatureSchemes = contextValue(() -> SchemePolicy.forConnection(null, policy));
            base = build(default12, default13, 0);
        } catch (SSLException | IllegalArgumentException e) {
            throw new KeyManagementException("creating the OpenSSL context failed: " + e.getMessage(), e);
        }
        this.contexts = new NativeContexts(base, default12, default13);
        this.cleanable = NativeCleaner.CLEANER.register(this, contexts);
        this.verifier = new PeerVerifier(trustManager);
        this.credentials = new CredentialSelector(keyManager);
    }

    private interface Setting {
        String get() throws SSLException;
    }

    /**
     * A list every connection starts from; one the policy empties is left to OpenSSL here, since
     * each connection computes its own list again and fails its handshake then.
     */
    private static String contextValue(Setting setting) {
        try {
            return setting.get();
        } catch (SSLException e) {
            return null;
        }
    }

    private long derive(String tls12, String tls13) throws SSLException {
        return build(tls12, tls13, contexts.base());
    }

    /** One complete SSL_CTX of this context, with the given default suite lists and keysFrom's ticket keys. */
    private long build(String tls12, String tls13, long keysFrom) throws SSLException {
        long ctx = SslNative.contextNew(tls12, tls13, groups, signatureSchemes, minDhBits,
            serverTls12Tickets, serverExtensions.nativeBits());
        try {
            if (clientCaNames != null) {
                SslNative.contextSetClientCaNames(ctx, clientCaNames);
            }
            if (keysFrom != 0) {
                SslNative.contextShareTicketKeys(keysFrom, ctx);
            }
            if (postHandshakeAuth) {
                SslNative.contextOfferPostHandshakeAuth(ctx);
            }
            if (clientStatusRequest || stapling != null) {
                SslNative.contextEnableStatus(ctx, stapling != null);
            }
        } catch (KeyManagementException | SSLException | RuntimeException e) {
            SslNative.contextFree(ctx);
            throw e instanceof SSLException ? (SSLException) e : new SSLException(e.getMessage(), e);
        }
        if (keyLog != null) {
            try {
                SslNative.contextSetKeyLog(ctx, keyLog);
            } catch (KeyManagementException e) {
                // Diagnostics must not stop the application: it runs on without the key log.
                System.getLogger("io.nativetls").log(System.Logger.Level.WARNING,
                    "NativeTLS key log {0} not written: {1}", keyLog, e.getMessage());
            }
        }
        return ctx;
    }

    /** A server's certificate request names the issuers the trust manager accepts, as SunJSSE's does. */
    private static byte[][] clientCaNames(X509TrustManager trustManager) {
        X509Certificate[] issuers = trustManager.getAcceptedIssuers();
        if (issuers == null || issuers.length == 0) {
            return null;
        }
        Set<X500Principal> names = new LinkedHashSet<>();
        for (X509Certificate issuer : issuers) {
            names.add(issuer.getSubjectX500Principal());
        }
        byte[][] der = new byte[names.size()][];
        int i = 0;
        for (X500Principal name : names) {
            der[i++] = name.getEncoded();
        }
        return der;
    }

    /**
     * A new connection in the given role with these enabled suites (OpenSSL lists; null: the
     * default of that protocol); its native side lives until {@link SslHandle#close()}.
     */
    public SslHandle newConnection(boolean client, Transport transport, SslHandle.Listener listener, String tls12,
                                   String tls13) throws SSLException {
        try {
            long ctx = contexts.forSuites(tls12, tls13, derive);
            SslHandle handle = new SslHandle(this, SslNative.connectionNew(ctx == 0 ? contexts.base() : ctx, client,
                !client || clientTickets), client, transport, listener);
            if (ctx == 0) {
                handle.setCipherSuites(tls12, tls13);
            }
            int disabled = (client ? clientExtensions : serverExtensions).nativeBits()
                & SslNative.EXTENSION_EXTENDED_MASTER_SECRET;
            if (disabled != 0) {
                handle.disableExtensions(disabled);
            }
            if (client && clientStatusRequest) {
                handle.requestStatus();
            }
            return handle;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Releases the SSL_CTXs now instead of at garbage collection; live connections keep theirs. */
    public void close() {
        cleanable.clean();
    }
}
