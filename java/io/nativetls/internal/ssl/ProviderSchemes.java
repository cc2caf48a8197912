package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.NativeLibrary;
import io.nativetls.internal.jni.SslNative;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The TLS signature schemes the loaded OpenSSL's providers add to libssl's built-in ones (the
 * ML-DSA schemes of OpenSSL 3.5). A scheme only a provider has must not be named to an OpenSSL
 * without it: SSL_CTX_set1_sigalgs_list refuses the whole list for one unknown name. Asked once
 * per JVM, as {@link TlsGroups} asks for the groups.
 */
final class ProviderSchemes {
    private static volatile Set<String> offered;

    private ProviderSchemes() {}

    /** Whether a loaded provider offers the scheme of this TLS name (lower case). */
    static boolean offers(String name) {
        Set<String> s = offered;
        if (s == null) {
            NativeLibrary.ensureLoaded();
            String[] entries;
            try {
                entries = SslNative.tlsProviderSignatureSchemes();
            } catch (SSLException e) {
                throw new IllegalStateException("OpenSSL's TLS signature schemes could not be listed: "
                    + e.getMessage(), e);
            }
            s = new HashSet<>();
            for (String entry : entries) {
                int space = entry.indexOf(' ');
                s.add((space > 0 ? entry.substring(0, space) : entry).toLowerCase(Locale.ROOT));
            }
            offered = Set.copyOf(s);
            s = offered;
        }
        return s.contains(name);
    }
}
