package io.nativetls.internal.ssl;

/**
 * SunJSSE's switches for stateless session tickets, read when an SSLContext is initialised:
 * {@code jdk.tls.client.enableSessionTicketExtension} (a TLS 1.2 client asks for tickets) and
 * {@code jdk.tls.server.enableSessionTicketExtension} (a server issues TLS 1.2 tickets; without,
 * TLS 1.2 resumes by session id). TLS 1.3 always resumes by ticket, and a NativeTLS server's
 * tickets are honoured only while the session they name is in its cache, so they behave as
 * SunJSSE's stateful ones do. Both default to true, as in SunJSSE.
 */
enum SessionTickets {
    CLIENT("jdk.tls.client.enableSessionTicketExtension"),
    SERVER("jdk.tls.server.enableSessionTicketExtension");

    private final String property;

    SessionTickets(String property) {
        this.property = property;
    }

    boolean enabled() {
        String value = System.getProperty(property);
        return value == null || !value.trim().equalsIgnoreCase("false");
    }
}
