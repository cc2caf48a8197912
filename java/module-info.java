/**
 * NativeTLS: a JSSE provider whose TLS runs in the system's OpenSSL 3. Only {@code io.nativetls}
 * is API; the provider is found through ServiceLoader, so {@code java.security} can name it.
 * On JDK 24 and newer, run with {@code --enable-native-access=io.nativetls} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path) to load its JNI library without a warning.
 */
module io.nativetls {
    // HostnameMatcher reads subject names with javax.naming.ldap.LdapName.
    requires java.naming;

    exports io.nativetls;

    provides java.security.Provider with io.nativetls.NativeTlsProvider;
}
