package io.nativetls.internal.ssl;

/**
 * Whether engines hand the trust and key managers' work out as delegated tasks
 * ({@code -Dio.nativetls.delegatedTasks}, read when an SSLContext is initialised): on unless set
 * to {@code false}, as SunJSSE's engines always delegate. Off, the managers run inline inside
 * wrap and unwrap. Sockets always run them inline, as SunJSSE's sockets do.
 */
final class DelegatedTasks {
    static final String PROPERTY = "io.nativetls.delegatedTasks";

    private DelegatedTasks() {}

    static boolean enabled() {
        String value = System.getProperty(PROPERTY);
        return value == null || !value.trim().equalsIgnoreCase("false");
    }
}
