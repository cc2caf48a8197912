package io.nativetls.tasks;

import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.ForwardingTrustManager;
import java.net.Socket;
import java.security.Principal;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Key and trust managers that note each question (its name and the thread it ran on) and can be
 * made to throw, for the tests to see where an engine runs them.
 */
final class Recorder {
    /** One question a manager was asked. */
    record Call(String method, String thread, boolean handshakeSessionSeen) {}

    final List<Call> calls = new ArrayList<>();
    /** What the trust manager throws instead of answering (null: it answers). */
    volatile Supplier<RuntimeException> trustUnchecked;
    volatile CertificateException trustRefusal;
    volatile RuntimeException keyFailure;

    synchronized void note(String method, SSLEngine engine) {
        calls.add(new Call(method, Thread.currentThread().getName(), engine != null && engine.getHandshakeSession() != null));
    }

    synchronized List<String> methods() {
        return calls.stream().map(Call::method).distinct().toList();
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    X509ExtendedKeyManager keyManager(X509ExtendedKeyManager real) {
        return new DelegatingKeyManager(real) {
            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                note("chooseEngineServerAlias", engine);
                if (keyFailure != null) {
                    throw keyFailure;
                }
                return super.chooseEngineServerAlias(keyType, issuers, engine);
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                note("chooseEngineClientAlias", engine);
                if (keyFailure != null) {
                    throw keyFailure;
                }
                return super.chooseEngineClientAlias(keyType, issuers, engine);
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                note("chooseServerAlias", null);
                return super.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                note("chooseClientAlias", null);
                return super.chooseClientAlias(keyType, issuers, socket);
            }
        };
    }

    ForwardingTrustManager trustManager() {
        return new ForwardingTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
                note("checkServerTrusted", engine);
                refuseIfTold();
                super.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
                note("checkClientTrusted", engine);
                refuseIfTold();
                super.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
                note("checkServerTrusted(socket)", null);
                super.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
                note("checkClientTrusted(socket)", null);
                super.checkClientTrusted(chain, authType, socket);
            }
        };
    }

    private void refuseIfTold() throws CertificateException {
        if (trustRefusal != null) {
            throw trustRefusal;
        }
        if (trustUnchecked != null) {
            throw trustUnchecked.get();
        }
    }
}
