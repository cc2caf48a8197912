package io.nativetls.internal.ssl;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where TLS secrets are logged for Wireshark, if anywhere: {@code -Dio.nativetls.keylog=PATH},
 * else the SSLKEYLOGFILE environment variable. Off when neither is set. Anyone holding the file can
 * decrypt the traffic, so turning it on is logged as a warning (once per file).
 */
final class KeyLog {
    static final String PROPERTY = "io.nativetls.keylog";
    private static final System.Logger LOG = System.getLogger("io.nativetls");
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private KeyLog() {}

    /** The file to log to, or null. */
    static String target() {
        String path = System.getProperty(PROPERTY);
        if (path == null || path.isEmpty()) {
            path = System.getenv("SSLKEYLOGFILE");
        }
        if (path == null || path.isEmpty()) {
            return null;
        }
        if (WARNED.add(path)) {
            LOG.log(System.Logger.Level.WARNING, "NativeTLS writes TLS session keys to {0}: anyone who can read"
                + " that file can decrypt this process's TLS traffic. Unset " + PROPERTY
                + " and SSLKEYLOGFILE to stop it.", path);
        }
        return path;
    }
}
