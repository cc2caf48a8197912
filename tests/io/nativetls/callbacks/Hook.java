package io.nativetls.callbacks;

import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.TestPki;
import java.net.Socket;
import java.security.Principal;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionBindingEvent;
import javax.net.ssl.SSLSessionBindingListener;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A place where application code runs inside a handshake and is handed the engine or socket
 * that runs it. Each installs itself on one side's managers or parameters and, when it runs,
 * passes that engine or socket to the action once (later calls of the same callback in the same
 * handshake only do the callback's real work).
 */
enum Hook {
    /** X509ExtendedTrustManager.check{Server,Client}Trusted on the side under test. */
    TRUST,
    /** X509ExtendedKeyManager.choose{Engine,}{Server,Client}Alias on the side under test. */
    KEY,
    /** The server's ALPN selector. */
    ALPN,
    /** An SNIMatcher on the server. */
    SNI,
    /** SSLSessionBindingListener.valueBound, for a value the trust or key manager puts on the handshake session. */
    BINDING,
    /** HandshakeCompletedListener (sockets only). */
    COMPLETED;

    boolean appliesTo(boolean client, boolean socket) {
        switch (this) {
            case ALPN:
            case SNI:
                return !client;
            case COMPLETED:
                return socket;
            default:
                return true;
        }
    }

    /** Whether the side under test must be asked for a certificate (client) or must ask for one (server). */
    boolean needsClientAuth(boolean client) {
        return (this == KEY || this == BINDING) && client || this == TRUST && !client;
    }

    /** Runs the action at most once per handshake, on the engine or socket a callback was handed. */
    static final class Once {
        private final Consumer<Object> action;
        private boolean ran;
        volatile boolean reached;
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        Once(Consumer<Object> action) {
            this.action = action;
        }

        void run(Object target) {
            reached = true;
            if (!ran) {
                ran = true;
                try {
                    action.accept(target);
                } finally {
                    done.countDown();
                }
            }
        }
    }

    static X509ExtendedKeyManager keyManager(String name) {
        for (KeyManager km : TestPki.get().keyManagers(name)) {
            if (km instanceof X509ExtendedKeyManager) {
                return (X509ExtendedKeyManager) km;
            }
        }
        throw new IllegalStateException("no X509ExtendedKeyManager for " + name);
    }

    static X509ExtendedTrustManager trustManager() {
        for (TrustManager tm : TestPki.get().trustManagers()) {
            if (tm instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) tm;
            }
        }
        throw new IllegalStateException("no X509ExtendedTrustManager");
    }

    /** A binding listener whose valueBound hands target to the action. */
    static SSLSessionBindingListener binding(Once once, Object target) {
        return new SSLSessionBindingListener() {
            @Override
            public void valueBound(SSLSessionBindingEvent event) {
                once.run(target);
            }

            @Override
            public void valueUnbound(SSLSessionBindingEvent event) {
            }
        };
    }

    static void bindOn(SSLSession handshakeSession, Once once, Object target) {
        if (handshakeSession != null && !once.reached) {
            handshakeSession.putValue("reentrant", binding(once, target));
        }
    }

    static SSLSession handshakeSession(Object target) {
        return target instanceof SSLEngine ? ((SSLEngine) target).getHandshakeSession()
            : ((javax.net.ssl.SSLSocket) target).getHandshakeSession();
    }

    /** A trust manager for the test CA that runs once (TRUST) or binds the listener (BINDING) first. */
    static X509ExtendedTrustManager trust(Hook hook, Once once) {
        X509ExtendedTrustManager real = trustManager();
        return new X509ExtendedTrustManager() {
            private void hooked(Object target) {
                if (hook == TRUST) {
                    once.run(target);
                } else if (hook == BINDING) {
                    bindOn(handshakeSession(target), once, target);
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
                hooked(engine);
                real.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
                hooked(socket);
                real.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
                hooked(engine);
                real.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
                hooked(socket);
                real.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                throw new AssertionError("the engine or socket variant must be called");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new AssertionError("the engine or socket variant must be called");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return real.getAcceptedIssuers();
            }
        };
    }

    /** A key manager for the named key that runs once (KEY) or binds the listener (BINDING) first. */
    static X509ExtendedKeyManager key(Hook hook, Once once, String name) {
        return new DelegatingKeyManager(keyManager(name)) {
            private void hooked(Object target) {
                if (hook == KEY) {
                    once.run(target);
                } else if (hook == BINDING) {
                    bindOn(handshakeSession(target), once, target);
                }
            }

            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                hooked(engine);
                return super.chooseEngineServerAlias(keyType, issuers, engine);
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                hooked(socket);
                return super.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                hooked(engine);
                return super.chooseEngineClientAlias(keyType, issuers, engine);
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                hooked(socket);
                return super.chooseClientAlias(keyType, issuers, socket);
            }
        };
    }

    /** A matcher accepting every host name, running the action on target first. */
    static SNIMatcher sniMatcher(Once once, java.util.function.Supplier<Object> target) {
        return new SNIMatcher(0) {
            @Override
            public boolean matches(SNIServerName name) {
                once.run(target.get());
                return name instanceof SNIHostName;
            }
        };
    }

    static final List<SNIServerName> SERVER_NAMES = List.of(new SNIHostName("www.example.com"));
}
