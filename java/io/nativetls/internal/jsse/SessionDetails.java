package io.nativetls.internal.jsse;

import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * What a NativeTLS session knows beyond the JSSE interface, for the public API in
 * {@code io.nativetls} (which cannot see the package-private session class).
 */
public final class SessionDetails {
    private SessionDetails() {}

    /** The IANA name of the key exchange group; empty for another provider's session or none. */
    public static Optional<String> negotiatedGroup(SSLSession session) {
        if (!(session instanceof NativeSslSession)) {
            return Optional.empty();
        }
        return Optional.ofNullable(((NativeSslSession) session).group());
    }
}
