package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.util.Locale;

/**
 * SunJSSE's {@code jdk.tls.client.disableExtensions} and {@code jdk.tls.server.disableExtensions}:
 * hello extensions a side neither sends nor answers, by their TLS names. What OpenSSL can switch
 * off is honoured: server_name (a client sends no SNI, a server ignores the client's),
 * application_layer_protocol_negotiation (likewise for ALPN), session_ticket (no TLS 1.2 tickets)
 * extended_master_secret and status_request (OCSP stapling, see {@link OcspStapling}). Other names are ignored: OpenSSL sends supported_groups,
 * signature_algorithms, key_share, supported_versions, renegotiation_info and ec_point_formats
 * whenever the protocol needs them, and never sends status_request_v2, which NativeTLS does not
 * use. max_fragment_length, which clients send only with jsse.enableMFLNExtension, is switched
 * off for clients; OpenSSL servers always answer it. Read when an SSLContext is initialised
 * (SunJSSE reads them once per JVM).
 */
public final class DisabledExtensions {
    public static final String CLIENT_PROPERTY = "jdk.tls.client.disableExtensions";
    public static final String SERVER_PROPERTY = "jdk.tls.server.disableExtensions";

    public static final String SERVER_NAME = "server_name";
    public static final String ALPN = "application_layer_protocol_negotiation";
    public static final String MAX_FRAGMENT_LENGTH = "max_fragment_length";
    static final String SESSION_TICKET = "session_ticket";
    static final String EXTENDED_MASTER_SECRET = "extended_master_secret";
    static final String STATUS_REQUEST = "status_request";

    private final String[] names;

    private DisabledExtensions(String value) {
        String[] split = PropertyLists.split(value);
        this.names = split == null ? new String[0] : split;
        for (int i = 0; i < names.length; i++) {
            names[i] = names[i].toLowerCase(Locale.ROOT);
        }
    }

    public static DisabledExtensions of(boolean client) {
        return new DisabledExtensions(System.getProperty(client ? CLIENT_PROPERTY : SERVER_PROPERTY));
    }

    public boolean disables(String extension) {
        for (String n : names) {
            if (n.equals(extension)) {
                return true;
            }
        }
        return false;
    }

    /** The SslNative.EXTENSION_* bits of what is disabled. */
    int nativeBits() {
        return (disables(SERVER_NAME) ? SslNative.EXTENSION_SERVER_NAME : 0)
            | (disables(ALPN) ? SslNative.EXTENSION_ALPN : 0)
            | (disables(EXTENDED_MASTER_SECRET) ? SslNative.EXTENSION_EXTENDED_MASTER_SECRET : 0);
    }
}
