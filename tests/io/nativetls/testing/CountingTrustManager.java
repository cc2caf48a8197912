package io.nativetls.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the certificate checks of every kind (client or server, with a socket, an engine or
 * neither) and forwards them to the test CA's trust manager: a test that says a handshake was
 * resumed can then also say that no certificate was checked.
 */
public final class CountingTrustManager extends ForwardingTrustManager {
    public final AtomicInteger checks = new AtomicInteger();

    @Override
    protected void onCheck() {
        checks.incrementAndGet();
    }
}
