package io.nativetls.internal.jni;

import java.security.ProviderException;

/**
 * The application's request for FIPS mode: {@code io.nativetls.fips=true} runs every TLS operation
 * of NativeTLS in a library context of its own with OpenSSL's FIPS provider (see
 * SslNative.initialise), reading the configuration file {@code io.nativetls.fips.config} names, else
 * OpenSSL's default one. Read once, when the library loads. A value other than true or false is
 * refused rather than guessed at: a typo must not silently leave FIPS mode off.
 */
public final class FipsSwitch {
    public static final String PROPERTY = "io.nativetls.fips";
    public static final String CONFIG_PROPERTY = "io.nativetls.fips.config";

    private final boolean on;
    private final String configFile;

    private FipsSwitch(boolean on, String configFile) {
        this.on = on;
        this.configFile = configFile;
    }

    /** The switch as the system properties set it; a ProviderException naming the property for a bad value. */
    static FipsSwitch fromSystemProperties() {
        String value = System.getProperty(PROPERTY);
        String config = System.getProperty(CONFIG_PROPERTY);
        if (value == null || value.trim().equalsIgnoreCase("false")) {
            return new FipsSwitch(false, null);
        }
        if (!value.trim().equalsIgnoreCase("true")) {
            throw new ProviderException(PROPERTY + " is \"" + value + "\": it must be true or false (unset is false)."
                + " NativeTLS does not start rather than guess whether FIPS mode is wanted");
        }
        if (config != null && config.isEmpty()) {
            throw new ProviderException(CONFIG_PROPERTY + " is empty: name the OpenSSL configuration file that"
                + " loads the FIPS provider, or leave it unset for OpenSSL's default file");
        }
        return new FipsSwitch(true, config);
    }

    public boolean on() {
        return on;
    }

    /** The configuration file the FIPS context reads, or null for OpenSSL's default file. */
    public String configFile() {
        return configFile;
    }
}
