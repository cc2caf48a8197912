package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.CipherSuites;
import io.nativetls.internal.ssl.DisabledAlgorithms;
import io.nativetls.internal.ssl.DisabledExtensions;
import io.nativetls.internal.ssl.NamedGroups;
import io.nativetls.internal.ssl.Protocols;
import io.nativetls.internal.ssl.SchemePolicy;
import io.nativetls.internal.ssl.SignatureSchemes;
import io.nativetls.internal.ssl.SslHandle;
import java.security.AlgorithmConstraints;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * What an engine's user configured, and how that becomes the connection's native settings. The
 * accessors JSSE names (enabled suites and protocols, mode, client authentication, session
 * creation, ALPN selector, SSLParameters) are here, so engines and server sockets expose the same
 * settings the same way. Mutable, guarded by its owner's lock (an engine's, a server socket's).
 */
final class EngineConfig {
    static final int CLIENT_AUTH_NONE = 0;
    static final int CLIENT_AUTH_WANT = 1;
    static final int CLIENT_AUTH_NEED = 2;

    private final ContextDefaults defaults;
    boolean clientMode;
    boolean modeSet;
    String[] protocols;
    /** The role's default list (that very array) until the user sets suites; engines start as servers, as SunJSSE's. */
    String[] cipherSuites;
    int clientAuth = CLIENT_AUTH_NONE;
    boolean sessionCreation = true;
    String endpointIdentification;
    List<SNIServerName> serverNames;
    Collection<SNIMatcher> sniMatchers;
    AlgorithmConstraints algorithmConstraints;
    boolean useCipherSuitesOrder = true;
    String[] applicationProtocols = new String[0];
    BiFunction<SSLEngine, List<String>, String> alpnSelector;
    /** Null: from jdk.tls.{client,server}.SignatureSchemes, else OpenSSL's defaults. */
    String[] signatureSchemes;
    /** Null: the context's groups (jdk.tls.namedGroups, else OpenSSL's defaults). */
    String[] namedGroups;
    final PacketSize packetSize = new PacketSize();

    EngineConfig(ContextDefaults defaults) {
        this.defaults = defaults;
        this.cipherSuites = defaults.serverSuites;
    }

    /**
     * A copy of these settings for a fresh engine (an accepted socket's, a socket's once it is
     * connected): made as a user would make it, through the mode and the SSLParameters.
     */
    EngineConfig copy() {
        EngineConfig to = new EngineConfig(defaults);
        to.setUseClientMode(clientMode);
        to.setSSLParameters(getSSLParameters());
        to.sessionCreation = sessionCreation;
        to.alpnSelector = alpnSelector;
        packetSize.copyTo(to.packetSize);
        return to;
    }

    // ---- the settings JSSE exposes (engines, sockets and server sockets share them) -----------

    boolean getUseClientMode() {
        return clientMode;
    }

    /** As SunJSSE: suites still at the old role's default take the new role's. */
    void setUseClientMode(boolean mode) {
        if (cipherSuites == (clientMode ? defaults.clientSuites : defaults.serverSuites)) {
            cipherSuites = mode ? defaults.clientSuites : defaults.serverSuites;
        }
        clientMode = mode;
        modeSet = true;
    }

    String[] getEnabledCipherSuites() {
        return cipherSuites.clone();
    }

    void setEnabledCipherSuites(String[] suites) {
        cipherSuites = CipherSuites.get().validate(suites);
    }

    /** Explicitly enabled protocols, else the role's default (see ContextDefaults). */
    String[] getEnabledProtocols() {
        if (protocols != null) {
            return protocols.clone();
        }
        return (clientMode ? defaults.clientProtocols : defaults.serverProtocols).clone();
    }

    void setEnabledProtocols(String[] enabled) {
        protocols = Protocols.validate(enabled);
    }

    boolean getNeedClientAuth() {
        return clientAuth == CLIENT_AUTH_NEED;
    }

    void setNeedClientAuth(boolean need) {
        clientAuth = need ? CLIENT_AUTH_NEED : CLIENT_AUTH_NONE;
    }

    boolean getWantClientAuth() {
        return clientAuth == CLIENT_AUTH_WANT;
    }

    void setWantClientAuth(boolean want) {
        clientAuth = want ? CLIENT_AUTH_WANT : CLIENT_AUTH_NONE;
    }

    /** The bytes one TLS 1.3 traffic key of this suite may protect (jdk.tls.keyLimits), 0 for no limit. */
    long keyLimit(String cipherSuite) {
        return defaults.keyLimits.forSuite(cipherSuite);
    }

    boolean getEnableSessionCreation() {
        return sessionCreation;
    }

    void setEnableSessionCreation(boolean flag) {
        sessionCreation = flag;
    }

    BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return alpnSelector;
    }

    void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        alpnSelector = selector;
    }

    SSLParameters getSSLParameters() {
        SSLParameters p = new SSLParameters(cipherSuites.clone(), getEnabledProtocols());
        if (clientAuth == CLIENT_AUTH_NEED) {
            p.setNeedClientAuth(true);
        } else if (clientAuth == CLIENT_AUTH_WANT) {
            p.setWantClientAuth(true);
        }
        p.setEndpointIdentificationAlgorithm(endpointIdentification);
        if (serverNames != null) {
            p.setServerNames(serverNames);
        }
        if (sniMatchers != null) {
            p.setSNIMatchers(sniMatchers);
        }
        p.setAlgorithmConstraints(algorithmConstraints);
        p.setUseCipherSuitesOrder(useCipherSuitesOrder);
        p.setApplicationProtocols(applicationProtocols.clone());
        p.setMaximumPacketSize(packetSize.reported);
        if (signatureSchemes != null) {
            NewerParameters.signatureSchemes(p, signatureSchemes.clone());
        }
        if (namedGroups != null) {
            NewerParameters.namedGroups(p, namedGroups.clone());
        }
        return p;
    }

    /** Suites and protocols are checked first: a list with a name unknown here changes nothing. */
    void setSSLParameters(SSLParameters p) {
        String[] suites = p.getCipherSuites() != null ? CipherSuites.get().validate(p.getCipherSuites()) : null;
        String[] enabled = p.getProtocols() != null ? Protocols.validate(p.getProtocols()) : null;
        if (suites != null) {
            cipherSuites = suites;
        }
        if (enabled != null) {
            protocols = enabled;
        }
        if (p.getNeedClientAuth()) {
            clientAuth = CLIENT_AUTH_NEED;
        } else if (p.getWantClientAuth()) {
            clientAuth = CLIENT_AUTH_WANT;
        } else {
            clientAuth = CLIENT_AUTH_NONE;
        }
        endpointIdentification = p.getEndpointIdentificationAlgorithm();
        if (p.getServerNames() != null) {
            serverNames = p.getServerNames();
        }
        if (p.getSNIMatchers() != null) {
            sniMatchers = p.getSNIMatchers();
        }
        algorithmConstraints = p.getAlgorithmConstraints();
        useCipherSuitesOrder = p.getUseCipherSuitesOrder();
        applicationProtocols = p.getApplicationProtocols().clone();
        packetSize.set(p.getMaximumPacketSize());
        String[] schemes = NewerParameters.signatureSchemes(p);
        if (schemes != null) {
            SignatureSchemes.toOpenSsl(schemes); // rejects a list with nothing usable now, not at handshake
            signatureSchemes = schemes.clone();
        }
        String[] groups = NewerParameters.namedGroups(p);
        if (groups != null) {
            NamedGroups.fromList(groups);
            namedGroups = groups.clone();
        }
    }

    /** The max_fragment_length code this engine's ClientHello carries (0: none), as SunJSSE's. */
    int maxFragmentLengthCode() {
        return packetSize.maxFragmentLengthCode(clientMode
            && !defaults.clientExtensions.disables(DisabledExtensions.MAX_FRAGMENT_LENGTH));
    }

    /** The settings handed to OpenSSL when the connection is created. */
    static final class Native {
        final int protocols;
        final String tls12Ciphers;
        final String tls13Suites;
        final String serverName;
        final int clientAuth;
        final byte[] alpn;
        final boolean serverPreference;
        final String signatureSchemes;
        final String groups;

        Native(int protocols, String tls12Ciphers, String tls13Suites, String serverName, int clientAuth, byte[] alpn,
               boolean serverPreference, String signatureSchemes, String groups) {
            this.protocols = protocols;
            this.tls12Ciphers = tls12Ciphers;
            this.tls13Suites = tls13Suites;
            this.serverName = serverName;
            this.clientAuth = clientAuth;
            this.alpn = alpn;
            this.serverPreference = serverPreference;
            this.signatureSchemes = signatureSchemes;
            this.groups = groups;
        }
    }

    Native nativeSettings(String peerHost) throws SSLHandshakeException {
        CipherSuites suites = CipherSuites.get();
        DisabledAlgorithms disabled = DisabledAlgorithms.current();
        String[] lists = suites.openSslLists(disabled.allowedSuites(cipherSuites));
        String tls12 = lists[0];
        String tls13 = lists[1];
        int mask = Protocols.mask(disabled.allowedProtocols(getEnabledProtocols()));
        // A protocol without an enabled suite is switched off rather than left on OpenSSL's defaults.
        if (tls12.isEmpty()) {
            mask &= ~Protocols.MASK_TLS12;
        }
        if (tls13.isEmpty()) {
            mask &= ~Protocols.MASK_TLS13;
        }
        // Setting a suite list costs OpenSSL a walk over every cipher it has, on every connection:
        // skip lists equal to the context's and lists of a protocol that is switched off anyway.
        boolean tls12On = (mask & Protocols.MASK_TLS12) != 0;
        boolean tls13On = (mask & Protocols.MASK_TLS13) != 0;
        return new Native(mask,
            !tls12On || tls12.equals(suites.defaultTls12List()) ? null : tls12,
            !tls13On || tls13.equals(suites.defaultTls13List()) ? null : tls13,
            clientMode && !defaults.clientExtensions.disables(DisabledExtensions.SERVER_NAME)
                ? AlpnSniPolicy.serverNameToSend(serverNames, peerHost)
                : null,
            clientMode ? CLIENT_AUTH_NONE : clientAuth,
            clientMode && applicationProtocols.length > 0 && !defaults.clientExtensions.disables(DisabledExtensions.ALPN)
                ? SslHandle.alpnWire(applicationProtocols) : null,
            !clientMode && useCipherSuitesOrder,
            signatureSchemes(disabled),
            NamedGroups.forConnection(namedGroups, disabled));
    }

    /**
     * Explicit schemes, else the role's system property (one with nothing known is ignored), else
     * every scheme; narrowed by the algorithm constraints if any (as SunJSSE's narrow what it
     * offers and accepts), minus what jdk.tls.disabledAlgorithms disables.
     */
    private String signatureSchemes(DisabledAlgorithms disabled) throws SSLHandshakeException {
        String[] names = signatureSchemes;
        if (names == null) {
            names = SignatureSchemes.fromProperty(clientMode ? SignatureSchemes.CLIENT_PROPERTY
                : SignatureSchemes.SERVER_PROPERTY);
            try {
                SignatureSchemes.toOpenSsl(names);
            } catch (IllegalArgumentException e) {
                names = null;
            }
        }
        if (algorithmConstraints != null) {
            names = SignatureSchemes.permitted(names, algorithmConstraints);
        }
        return SchemePolicy.forConnection(names, disabled);
    }
}
