package io.nativetls.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.ssl.SslBundles;

/**
 * Hands out the application's SSL bundle registry as {@link NativeTlsSslBundles}. The status is
 * looked up when a context is first made, not here: post-processors are created before other beans.
 */
final class SslBundlesPostProcessor implements BeanPostProcessor {
    private final ObjectProvider<NativeTlsStatus> status;

    SslBundlesPostProcessor(ObjectProvider<NativeTlsStatus> status) {
        this.status = status;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof SslBundles bundles && !(bean instanceof NativeTlsSslBundles)) {
            return new NativeTlsSslBundles(bundles, status::getObject);
        }
        return bean;
    }
}
