package io.nativetls.spring.boot;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * The application's SSL bundles, whose {@link SslBundle#createSslContext()} gives NativeTLS
 * contexts: what Spring Boot's HTTP clients (and other clients configured by bundle) take. Stores,
 * keys, options and managers are the bundle's own; registration and updates go to the registry
 * Boot made.
 */
final class NativeTlsSslBundles implements SslBundles, SslBundleRegistry {
    private final SslBundles bundles;
    private final Supplier<NativeTlsStatus> status;

    NativeTlsSslBundles(SslBundles bundles, Supplier<NativeTlsStatus> status) {
        this.bundles = bundles;
        this.status = status;
    }

    @Override
    public SslBundle getBundle(String name) throws NoSuchSslBundleException {
        return wrap(bundles.getBundle(name));
    }

    @Override
    public void addBundleUpdateHandler(String name, Consumer<SslBundle> handler) throws NoSuchSslBundleException {
        bundles.addBundleUpdateHandler(name, bundle -> handler.accept(wrap(bundle)));
    }

    @Override
    public void addBundleRegisterHandler(BiConsumer<String, SslBundle> handler) {
        bundles.addBundleRegisterHandler((name, bundle) -> handler.accept(name, wrap(bundle)));
    }

    @Override
    public List<String> getBundleNames() {
        return bundles.getBundleNames();
    }

    @Override
    public void registerBundle(String name, SslBundle bundle) {
        registry().registerBundle(name, bundle);
    }

    @Override
    public void updateBundle(String name, SslBundle bundle) throws NoSuchSslBundleException {
        registry().updateBundle(name, bundle);
    }

    private SslBundleRegistry registry() {
        if (bundles instanceof SslBundleRegistry registry) {
            return registry;
        }
        throw new UnsupportedOperationException(bundles.getClass().getName() + " is not an SslBundleRegistry");
    }

    private SslBundle wrap(SslBundle bundle) {
        return bundle instanceof OnNativeTls ? bundle : new OnNativeTls(bundle, status);
    }

    /** One bundle; only the SSLContext it creates changes provider. */
    private record OnNativeTls(SslBundle bundle, Supplier<NativeTlsStatus> status) implements SslBundle {
        @Override
        public SslStoreBundle getStores() {
            return bundle.getStores();
        }

        @Override
        public SslBundleKey getKey() {
            return bundle.getKey();
        }

        @Override
        public SslOptions getOptions() {
            return bundle.getOptions();
        }

        @Override
        public String getProtocol() {
            return bundle.getProtocol();
        }

        @Override
        public SslManagerBundle getManagers() {
            SslManagerBundle managers = bundle.getManagers();
            NativeTlsStatus now = status.get();
            return now.inUse() ? new Managers(managers, now) : managers;
        }
    }

    /** The bundle's managers; contexts from NativeTLS, initialised with them. */
    private record Managers(SslManagerBundle managers, NativeTlsStatus status) implements SslManagerBundle {
        @Override
        public KeyManagerFactory getKeyManagerFactory() {
            return managers.getKeyManagerFactory();
        }

        @Override
        public TrustManagerFactory getTrustManagerFactory() {
            return managers.getTrustManagerFactory();
        }

        @Override
        public SSLContext createSslContext(String protocol) {
            try {
                SSLContext context = SSLContext.getInstance(protocol, status.provider());
                context.init(getKeyManagers(), getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Could not create a NativeTLS SSLContext for " + protocol, e);
            }
        }
    }
}
