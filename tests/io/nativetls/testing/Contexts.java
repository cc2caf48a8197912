package io.nativetls.testing;

import io.nativetls.NativeTlsProvider;
import java.security.Provider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** SSLContexts of NativeTLS or SunJSSE with the test PKI, without installing any provider. */
public final class Contexts {
    public static final Provider NATIVE = new NativeTlsProvider();

    public enum Impl {
        NATIVE, SUN;

        public SSLContext context(String protocol) {
            try {
                return this == NATIVE ? SSLContext.getInstance(protocol, Contexts.NATIVE)
                    : SSLContext.getInstance(protocol, "SunJSSE");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Contexts() {}

    public static SSLContext create(Impl impl, String protocol, KeyManager[] km, TrustManager[] tm) {
        try {
            SSLContext ctx = impl.context(protocol);
            ctx.init(km, tm, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server context presenting the named key (e.g. "server-ec") and trusting the test CA. */
    public static SSLContext server(Impl impl, String keyName) {
        TestPki pki = TestPki.get();
        return create(impl, "TLS", pki.keyManagers(keyName), pki.trustManagers());
    }

    /** A client context trusting the test CA, with no key of its own. */
    public static SSLContext client(Impl impl) {
        return create(impl, "TLS", null, TestPki.get().trustManagers());
    }
}
