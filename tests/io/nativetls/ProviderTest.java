package io.nativetls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyManagementException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** What the provider registers and how its contexts start out. */
class ProviderTest {
    private final NativeTlsProvider provider = new NativeTlsProvider();

    @Test
    void registersTheSslContexts() throws Exception {
        assertEquals("NativeTLS", provider.getName());
        for (String alg : List.of("TLS", "TLSv1.2", "TLSv1.3", "Default")) {
            assertNotNull(provider.getService("SSLContext", alg), alg);
            assertEquals(provider, SSLContext.getInstance(alg, provider).getProvider(), alg);
        }
    }

    @Test
    void defaultContextIsReadyAndRefusesInit() throws Exception {
        SSLContext ctx = SSLContext.getInstance("Default", provider);
        SSLEngine engine = ctx.createSSLEngine("example.org", 443);
        assertNotNull(engine.getSession());
        assertThrows(KeyManagementException.class, () -> ctx.init(null, null, null));
    }

    @Test
    void secureDefaults() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS", provider);
        ctx.init(null, null, null);
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(true);
        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, engine.getEnabledProtocols());
        for (String suite : engine.getEnabledCipherSuites()) {
            boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
            boolean ecdheAead = suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20"));
            assertTrue(tls13 || ecdheAead, "not a secure default: " + suite);
        }
        assertTrue(List.of(engine.getEnabledCipherSuites()).contains("TLS_AES_128_GCM_SHA256"));
        assertTrue(List.of(engine.getSupportedCipherSuites()).containsAll(List.of(engine.getEnabledCipherSuites())));
        SSLParameters params = engine.getSSLParameters();
        assertArrayEquals(engine.getEnabledCipherSuites(), params.getCipherSuites());
    }

    @Test
    void tls12ContextClientsOfferOnlyTls12() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLSv1.2", provider);
        ctx.init(null, null, null);
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(true);
        assertArrayEquals(new String[] {"TLSv1.2"}, engine.getEnabledProtocols());
    }

    @Test
    void uninitialisedContextSaysSo() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS", provider);
        assertThrows(IllegalStateException.class, ctx::createSSLEngine);
    }
}
