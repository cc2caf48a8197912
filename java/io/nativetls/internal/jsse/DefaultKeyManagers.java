package io.nativetls.internal.jsse;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/** The key managers SunJSSE's default context builds from javax.net.ssl.keyStore and friends. */
final class DefaultKeyManagers {
    private DefaultKeyManagers() {}

    static KeyManager[] fromSystemProperties() throws KeyManagementException {
        String file = System.getProperty("javax.net.ssl.keyStore", "");
        String type = System.getProperty("javax.net.ssl.keyStoreType", KeyStore.getDefaultType());
        String provider = System.getProperty("javax.net.ssl.keyStoreProvider", "");
        String password = System.getProperty("javax.net.ssl.keyStorePassword");
        if (file.isEmpty()) {
            return new KeyManager[0];
        }
        char[] pass = password == null ? null : password.toCharArray();
        try {
            KeyStore ks = provider.isEmpty() ? KeyStore.getInstance(type) : KeyStore.getInstance(type, provider);
            if ("NONE".equals(file)) {
                ks.load(null, pass);
            } else {
                try (InputStream in = Files.newInputStream(Path.of(file))) {
                    ks.load(in, pass);
                }
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            return kmf.getKeyManagers();
        } catch (Exception e) {
            throw new KeyManagementException("loading javax.net.ssl.keyStore=" + file + " failed: " + e, e);
        }
    }
}
