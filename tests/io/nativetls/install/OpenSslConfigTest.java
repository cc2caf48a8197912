package io.nativetls.install;

import static io.nativetls.install.ForkedJvm.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.jni.NativeLibrary;
import io.nativetls.internal.jni.SslNative;
import io.nativetls.internal.tool.Main;
import io.nativetls.testing.Tags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPENSSL_CONF naming a file OpenSSL cannot run TLS with, in fresh JVMs (OpenSSL reads its
 * configuration once per process): NativeTLS is unavailable with OpenSSL's own report as the
 * cause, says so in exactly one warning, registers nothing, TLS runs on SunJSSE, and the tool
 * prints the cause on one line with exit code 1. A valid custom file still runs NativeTLS.
 */
@Timeout(300)
@Tag(Tags.JVM)
class OpenSslConfigTest {
    private static final String CAUSE = "OpenSSL cannot run TLS with its configuration file ";

    @TempDir
    static Path dir;

    @BeforeAll
    static void keyStores() throws Exception {
        ForkedJvm.writeKeyStores(dir);
    }

    /**
     * The configuration of a FIPS system (the fips and base providers) where the FIPS module is not
     * installed. Should this OpenSSL have one, the file names a module path that does not exist.
     */
    private static Path fipsWithoutModule(String name, String otherProvider) throws Exception {
        String module = "";
        if (Files.exists(modulesDir().resolve("fips.so"))) {
            module = "module = " + dir.resolve("not-installed").resolve("fips.so") + "\n";
        }
        Path file = dir.resolve(name);
        Files.writeString(file, "openssl_conf = openssl_init\n"
            + "[openssl_init]\n"
            + "providers = provider_sect\n"
            + "[provider_sect]\n"
            + "fips = fips_sect\n"
            + otherProvider + " = other_sect\n"
            + "[fips_sect]\n"
            + "activate = 1\n"
            + module
            + "[other_sect]\n"
            + "activate = 1\n");
        return file;
    }

    /** MODULESDIR of the OpenSSL this test JVM runs on, where "fips" is looked for. */
    private static Path modulesDir() throws Exception {
        NativeLibrary.ensureLoaded(); // SslNative's methods link once NativeLibrary has loaded the library
        Matcher m = Pattern.compile("\"(.*)\"").matcher(SslNative.libraryInfo()[2]);
        assertTrue(m.find(), SslNative.libraryInfo()[2]);
        return Path.of(m.group(1));
    }

    private static Map<String, String> conf(Path file) {
        return Map.of("OPENSSL_CONF", file.toString());
    }

    private static String probe(Map<String, String> env, List<String> jvmArgs, String... probeArgs) throws Exception {
        List<String> all = new ArrayList<>(jvmArgs);
        all.addAll(List.of("-cp", System.getProperty("java.class.path"), InstallProbe.class.getName(), dir.toString()));
        all.addAll(List.of(probeArgs));
        return ForkedJvm.run(all, env);
    }

    /** install() and java.security both leave TLS to SunJSSE; returns the cause the first reported. */
    private static String assertUnavailableBothWays(Path file, String... causeParts) throws Exception {
        String installed = probe(conf(file), List.of(), "install");
        assertEquals("false", value(installed, "install"), installed);
        assertEquals("none", value(installed, "named"), installed);
        String cause = value(installed, "cause");
        assertTrue(cause.startsWith(CAUSE + file + " (named by OPENSSL_CONF): "), cause);
        for (String part : causeParts) {
            assertTrue(cause.contains(part), () -> "\"" + part + "\" missing in: " + cause);
        }
        InstallationTest.assertSunJsseServes(installed, cause);

        Path security = ForkedJvm.securityFileNamingNativeTls(dir);
        String named = probe(conf(file), List.of("-Djava.security.properties=" + security));
        assertEquals("NativeTLS", value(named, "first"), named);
        assertEquals("NativeTLS services=0", value(named, "named"), named);
        InstallationTest.assertSunJsseServes(named, cause);
        return cause;
    }

    /** The tool's command ends with exit code 1 and the cause on one line, without a stack trace. */
    private static void assertToolReports(Path file, String cause, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        args.addAll(List.of(command));
        ForkedJvm.Exit exit = ForkedJvm.exec(args, conf(file));
        assertEquals(1, exit.code, exit::toString);
        long lines = exit.output.lines().filter(l -> l.contains(CAUSE)).count();
        assertEquals(1, lines, exit::toString);
        assertTrue(exit.output.lines().anyMatch(l -> l.endsWith(cause)), exit::toString);
        assertFalse(exit.output.contains("Exception") || exit.output.contains("\tat "), exit::toString);
        assertFalse(exit.output.contains("WARNING: NativeTLS"), exit::toString);
    }

    @Test
    void anActivatedFipsProviderThatIsNotInstalled() throws Exception {
        Path file = fipsWithoutModule("fips.cnf", "base");
        String cause = assertUnavailableBothWays(file, "activates the provider \"fips\" (section [fips_sect])",
            "fips.so", "cannot open shared object file", "library has no ciphers", "install the provider \"fips\"",
            "OPENSSL_CONF");
        assertToolReports(file, cause, "info");
        assertToolReports(file, cause, "selfcheck");
        assertToolReports(file, cause, "client", "127.0.0.1:9");
    }

    /**
     * FIPS mode asked for (default_properties = fips=yes) with only the default provider: OpenSSL
     * finds no algorithm at all. NativeTLS stays off, never runs non-FIPS, and says why.
     */
    @Test
    void fipsDefaultPropertiesWithoutAFipsProvider() throws Exception {
        Path file = dir.resolve("fips-properties.cnf");
        Files.writeString(file, "openssl_conf = openssl_init\n"
            + "[openssl_init]\n"
            + "providers = provider_sect\n"
            + "alg_section = algorithm_sect\n"
            + "[provider_sect]\n"
            + "default = default_sect\n"
            + "[default_sect]\n"
            + "activate = 1\n"
            + "[algorithm_sect]\n"
            + "default_properties = fips=yes\n");
        String cause = assertUnavailableBothWays(file, "library has no ciphers",
            "its default properties ask for fips=yes, but no FIPS provider is loaded",
            "Install OpenSSL's FIPS provider and activate it in OPENSSL_CONF", "remove fips=yes");
        assertToolReports(file, cause, "info");
    }

    /**
     * Next to the default provider TLS would run, but without the provider the file asks for
     * (OpenSSL carries on silently): NativeTLS stays off rather than run other algorithms.
     */
    @Test
    void anActivatedProviderMissingNextToTheDefaultOne() throws Exception {
        Path file = fipsWithoutModule("fips-and-default.cnf", "default");
        String installed = probe(conf(file), List.of(), "install");
        String cause = value(installed, "cause");
        assertTrue(cause.contains("activates the provider \"fips\""), cause);
        assertFalse(cause.contains("library has no ciphers"), cause);
        InstallationTest.assertSunJsseServes(installed, cause);
    }

    @Test
    void aFileThatDoesNotParse() throws Exception {
        Path file = dir.resolve("unparsable.cnf");
        Files.writeString(file, "openssl_conf = openssl_init\n[openssl_init\nproviders = provider_sect\n");
        String cause = assertUnavailableBothWays(file, "does not parse: missing close square bracket (line 2)",
            "OPENSSL_CONF");
        assertToolReports(file, cause, "info");
        assertToolReports(file, cause, "selfcheck");
    }

    /** config_diagnostics = 1 makes OPENSSL_init_ssl itself fail on an unknown module. */
    @Test
    void aFatalErrorUnderConfigDiagnostics() throws Exception {
        Path file = dir.resolve("diagnostics.cnf");
        Files.writeString(file, "config_diagnostics = 1\nopenssl_conf = openssl_init\n[openssl_init]\n"
            + "nosuchmodule = x_sect\n[x_sect]\nx = 1\n");
        String installed = probe(conf(file), List.of(), "install");
        String cause = value(installed, "cause");
        assertTrue(cause.contains("OPENSSL_init_ssl failed reading it: "), cause);
        assertTrue(cause.contains("module=nosuchmodule"), cause);
        InstallationTest.assertSunJsseServes(installed, cause);
    }

    @Test
    void aValidCustomFileStillRunsNativeTls() throws Exception {
        Path file = dir.resolve("custom.cnf");
        Files.writeString(file, "openssl_conf = openssl_init\n"
            + "[openssl_init]\n"
            + "providers = provider_sect\n"
            + "ssl_conf = ssl_sect\n"
            + "[provider_sect]\n"
            + "default = default_sect\n"
            + "base = base_sect\n"
            + "[default_sect]\n"
            + "activate = 1\n"
            + "[base_sect]\n"
            + "activate = yes\n"
            + "[ssl_sect]\n"
            + "system_default = system_default_sect\n"
            + "[system_default_sect]\n"
            + "MinProtocol = TLSv1.2\n");
        String out = probe(conf(file), List.of(), "install");
        assertEquals("true", value(out, "install"), out);
        InstallationTest.assertNativeTlsServes(out);

        ForkedJvm.Exit check = ForkedJvm.exec(List.of("-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "selfcheck"), conf(file));
        assertEquals(0, check.code, check::toString);
        assertTrue(check.output.contains("self-check passed"), check::toString);
    }
}
