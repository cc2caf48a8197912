package io.nativetls.internal.jni;

import java.security.ProviderException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what {@link SslNative#initialise()} found wrong with OpenSSL's configuration into the one
 * cause NativeTLS reports: what OpenSSL said, and what to check. OpenSSL itself carries on past a
 * configuration file that does not parse or a provider that does not load, so without this the
 * first sign is "library has no ciphers" from deep inside the first SSLContext.
 */
final class OpenSslSetup {
    static final String ENV = "OPENSSL_CONF";

    private OpenSslSetup() {}

    /**
     * Null when rows is null (all is well), else the cause. conf is the OPENSSL_CONF environment
     * variable (null if unset), to say whether the file came from it.
     */
    static Throwable cause(String[][] rows, String conf) {
        if (rows == null) {
            return null;
        }
        String file = rows.length > 0 && rows[0][0].equals("file") ? rows[0][1] : "";
        if (rows.length > 0 && rows[0][2].equals("fips")) {
            return fipsCause(rows, file, rows[0][3], conf);
        }
        List<String> found = new ArrayList<>();
        List<String> providers = new ArrayList<>();
        boolean parse = false;
        boolean init = false;
        boolean fips = false;
        for (int i = 1; i < rows.length; i++) {
            String[] row = rows[i];
            String text = oneLine(row[3]);
            switch (row[0]) {
                case "parse":
                    parse = true;
                    found.add("it does not parse: " + text);
                    break;
                case "provider":
                    providers.add("\"" + row[1] + "\"");
                    found.add("it activates the provider \"" + row[1] + "\" (section [" + row[2] + "]), which did not"
                        + " load (loading it alone: " + text + ")");
                    break;
                case "fips":
                    fips = true;
                    found.add(text);
                    break;
                case "init":
                    init = true;
                    found.add(row[1] + " failed reading it: " + text);
                    break;
                default:
                    found.add(row[1] + " failed: " + text);
                    break;
            }
        }
        boolean fromEnv = conf != null && !conf.isEmpty() && conf.equals(file);
        String subject = file.isEmpty() ? "OpenSSL cannot run TLS (it read no configuration file)"
            : "OpenSSL cannot run TLS with its configuration file " + oneLine(file)
                + (fromEnv ? " (named by " + ENV + ")" : " (OpenSSL's default file)");
        return new ProviderException(subject + ": " + String.join("; ", found) + ". " + advice(file, fromEnv, parse,
            init, fips, providers));
    }

    private static String advice(String file, boolean fromEnv, boolean parse, boolean init, boolean fips,
                                 List<String> providers) {
        String elsewhere = fromEnv ? ", or point " + ENV + " at a working file (or unset it)"
            : ", or set " + ENV + " to a working file";
        if (file.isEmpty()) {
            return "Check the OpenSSL installation: its providers (openssl list -providers) offer no TLS";
        }
        if (parse) {
            return "Fix that line of " + (fromEnv ? ENV + "'s file" : file) + elsewhere;
        }
        if (!providers.isEmpty()) {
            String names = String.join(", ", providers);
            boolean one = providers.size() == 1;
            return "Check " + (fromEnv ? ENV : file) + ": install the provider" + (one ? " " : "s ") + names
                + " or remove " + (one ? "its activate line" : "their activate lines") + elsewhere;
        }
        if (init) {
            return "Fix " + (fromEnv ? ENV : file) + " (config_diagnostics = 1 makes any error in it fatal)" + elsewhere;
        }
        if (fips) {
            return "Install OpenSSL's FIPS provider and activate it in " + (fromEnv ? ENV : file)
                + " (openssl fipsinstall makes its configuration), or remove fips=yes from its default_properties"
                + elsewhere;
        }
        return "Check which providers " + (fromEnv ? ENV : file) + " activates (openssl list -providers with the same "
            + ENV + "): together they offer no TLS" + elsewhere;
    }

    /**
     * Why FIPS mode (io.nativetls.fips=true) did not start: the file its context read, what failed
     * in OpenSSL's words, and what to install or fix. modules: OpenSSL's modules directory.
     */
    private static Throwable fipsCause(String[][] rows, String file, String modules, String conf) {
        List<String> found = new ArrayList<>();
        boolean provider = false;
        for (int i = 1; i < rows.length; i++) {
            String[] row = rows[i];
            String text = oneLine(row[3]);
            switch (row[0]) {
                case "fips-config":
                    found.add("the file does not load: " + text);
                    break;
                case "fips-provider":
                    provider = true;
                    found.add("the provider \"" + row[1] + "\" " + (text.startsWith("it reports") ? text : "did not load: " + text));
                    break;
                case "context":
                    found.add(row[1] + " failed: " + text + (text.contains("system default config") && !row[2].isEmpty()
                        ? " (the system_default TLS settings of " + oneLine(row[2]) + ", the process's configuration"
                            + " file, which libssl applies to every SSL_CTX, FIPS mode's too)" : ""));
                    break;
                default:
                    found.add(row[1] + " failed: " + text);
                    break;
            }
        }
        // OpenSSL_version(OPENSSL_MODULES_DIR) is 'MODULESDIR: "/path"'.
        String dir = modules.startsWith("MODULESDIR: ") ? modules.substring("MODULESDIR: ".length()) : modules;
        dir = dir.length() > 1 && dir.startsWith("\"") && dir.endsWith("\"") ? dir.substring(1, dir.length() - 1) : dir;
        String property = System.getProperty(FipsSwitch.CONFIG_PROPERTY);
        String origin = property != null && property.equals(file) ? " (named by " + FipsSwitch.CONFIG_PROPERTY + ")"
            : conf != null && conf.equals(file) ? " (named by " + ENV + ")" : " (OpenSSL's default file)";
        String where = file.isEmpty() ? "without a configuration file" : "with the configuration file " + oneLine(file) + origin;
        String advice = provider
            ? "Install OpenSSL's FIPS provider (fips.so in " + oneLine(dir) + ", or where OPENSSL_MODULES points) and"
                + " its configuration (openssl fipsinstall writes it), and include that in the file, or name a file that"
                + " does with " + FipsSwitch.CONFIG_PROPERTY
            : "Fix the file, or name one that loads the FIPS provider with " + FipsSwitch.CONFIG_PROPERTY;
        return new ProviderException("NativeTLS's FIPS mode (" + FipsSwitch.PROPERTY + "=true) cannot start " + where
            + ": " + String.join("; ", found) + ". " + advice + ". NativeTLS never runs outside FIPS mode while "
            + FipsSwitch.PROPERTY + "=true");
    }

    /** OpenSSL's texts may hold line breaks or control characters; the cause is one log line. */
    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString();
    }
}
