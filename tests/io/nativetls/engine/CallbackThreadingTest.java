package io.nativetls.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Causes;
import io.nativetls.testing.Contexts;
import io.nativetls.testing.DelegatingKeyManager;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import io.nativetls.testing.ForwardingTrustManager;
import io.nativetls.testing.TestPki;
import java.net.Socket;
import java.security.Principal;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Callbacks and threads: engines made on one thread and driven on others, key managers that
 * throw or block, trust managers that call back into the engine that is calling them.
 */
class CallbackThreadingTest {
    @Test
    void enginesCreatedOnOneThreadAreDrivenOnOthers() throws Exception {
        ExecutorService maker = Executors.newSingleThreadExecutor();
        ExecutorService driver = Executors.newSingleThreadExecutor();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            EnginePair pair = maker.submit(() -> new EnginePair(
                Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443),
                Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine())).get(30, TimeUnit.SECONDS);
            driver.submit(() -> {
                pair.handshake();
                return null;
            }).get(30, TimeUnit.SECONDS);
            sender.submit(() -> {
                pair.exchange(200_000, 5);
                pair.close(pair.server);
                return null;
            }).get(30, TimeUnit.SECONDS);
        } finally {
            maker.shutdownNow();
            driver.shutdownNow();
            sender.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void throwingKeyManagerFailsTheHandshakeWithItsExceptionAsCause(String protocol) throws Exception {
        IllegalStateException boom = new IllegalStateException("key store offline");
        SSLContext server = Contexts.create(Impl.NATIVE, "TLS",
            new KeyManager[] {new DelegatingKeyManager(serverKeyManager()) {
                @Override
                public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                    throw boom;
                }
            }}, null);
        EnginePair d = new EnginePair(EngineSupport.client(Impl.NATIVE, protocol),
            server.createSSLEngine());
        assertFalse(d.settle(SSLException.class));
        assertInstanceOf(SSLHandshakeException.class, d.server.failure);
        assertTrue(Causes.chainContainsInstance(d.server.failure, boom), Causes.describe(d.server.failure));
        assertInstanceOf(SSLHandshakeException.class, d.client.failure, "the client learns through the alert");
    }

    @Test
    void slowKeyManagerOnlyDelaysTheHandshake() throws Exception {
        SSLContext server = Contexts.create(Impl.NATIVE, "TLS",
            new KeyManager[] {new DelegatingKeyManager(serverKeyManager()) {
                @Override
                public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.chooseEngineServerAlias(keyType, issuers, engine);
                }
            }}, null);
        EnginePair pair = new EnginePair(Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443),
            server.createSSLEngine());
        pair.handshake();
        pair.exchange(10_000, 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void trustManagerMayCallBackIntoTheEngine(String protocol) throws Exception {
        X509ExtendedTrustManager real = ForwardingTrustManager.testCa();
        AtomicReference<String> seen = new AtomicReference<>();
        TrustManager reentrant = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
                SSLSession hs = engine.getHandshakeSession();
                assertNotNull(hs, "handshake session inside the trust manager");
                seen.set(hs.getProtocol() + " " + engine.getSSLParameters().getProtocols().length + " "
                    + engine.getHandshakeStatus() + " " + engine.getSession().isValid() + " "
                    + engine.getEnabledCipherSuites().length + " " + engine.isInboundDone());
                real.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
                throw new AssertionError("socket variant");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                throw new AssertionError("engine-less variant");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                throw new AssertionError("client check on a client");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
                throw new AssertionError("client check on a client");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new AssertionError("client check on a client");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return real.getAcceptedIssuers();
            }
        };
        SSLContext client = Contexts.create(Impl.NATIVE, "TLS", null, new TrustManager[] {reentrant});
        SSLEngine c = client.createSSLEngine("localhost", 443);
        c.setEnabledProtocols(new String[] {protocol});
        EnginePair pair = new EnginePair(c, Contexts.server(Impl.NATIVE, "server-rsa").createSSLEngine());
        pair.handshake();
        assertNotNull(seen.get(), "the trust manager ran");
        // The check runs in the delegated task the engine handed out: the engine waits for it.
        assertTrue(seen.get().startsWith(protocol + " 1 NEED_TASK false "), seen.get());
        pair.exchange(1000, 2);
    }

    /** An Error is no verdict on the peer: it leaves the engine call as itself (CallbackErrorTest has the matrix). */
    @Test
    void trustManagerErrorsLeaveTheEngineAsThemselves() throws Exception {
        AssertionError error = new AssertionError("trust manager bug");
        SSLContext client = Contexts.create(Impl.NATIVE, "TLS", null, new TrustManager[] {
            new EngineSupport.RecordingTrustManager(false) {
                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                    throw error;
                }
            }});
        EnginePair d = new EnginePair(client.createSSLEngine("localhost", 443),
            Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine());
        AssertionError thrown = assertThrows(AssertionError.class, () -> d.settle(SSLException.class));
        assertSame(error, thrown);
        assertTrue(d.client.engine.isInboundDone() && d.client.engine.isOutboundDone(), "the engine is closed");
    }

    private static X509ExtendedKeyManager serverKeyManager() {
        for (KeyManager km : TestPki.get().keyManagers("server-ec")) {
            if (km instanceof X509ExtendedKeyManager) {
                return (X509ExtendedKeyManager) km;
            }
        }
        throw new IllegalStateException("no X509ExtendedKeyManager");
    }
}
