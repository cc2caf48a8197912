package io.nativetls.fips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.Tags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FIPS mode fails closed: each JVM here asks for io.nativetls.fips=true where the FIPS module
 * cannot start (no module at all in the system's OpenSSL 3.0, an empty modules directory, a
 * module whose integrity check fails, a value that is not true or false), and NativeTLS must then
 * be unavailable, offer no SSLContext and say why in OpenSSL's words; beside them the same JVM
 * with a working module starts in FIPS mode, so the probe itself can tell the difference.
 */
@Tag(Tags.FIPS)
class FipsFailClosedTest {
    private static Path prefix;

    @BeforeAll
    static void fipsBuild() {
        prefix = Path.of(System.getProperty("io.nativetls.test.openssl35", "/opt/openssl-3.5"));
        boolean present = Files.isRegularFile(prefix.resolve("lib/ossl-modules/fips.so"))
            && Files.isRegularFile(prefix.resolve("ssl/openssl-fips.cnf"));
        if (Boolean.getBoolean("io.nativetls.test.expectFips")) {
            assertTrue(present, "the stage's OpenSSL 3.5 has its FIPS module: " + prefix);
        } else {
            assumeTrue(present && Boolean.getBoolean("io.nativetls.fips"),
                "FIPS mode runs in the openssl-3.5-fips stage (OpenSSL 3.5 with its FIPS module)");
        }
    }

    @Test
    void aWorkingModuleStartsFipsMode() throws Exception {
        String line = probe(fipsBuildEnv(), "-Dio.nativetls.fips=true",
            "-Dio.nativetls.fips.config=" + prefix.resolve("ssl/openssl-fips.cnf"));
        assertEquals("available=true fipsMode=true fipsEnabled=true install=true context=NativeTLS cause=none", line);
    }

    @Test
    void withoutAFipsModuleNativeTlsIsUnavailable() throws Exception {
        // The system's OpenSSL 3.0 (Debian ships no fips.so) and its default configuration file.
        String line = probe(Map.of(), List.of("LD_LIBRARY_PATH", "OPENSSL_MODULES", "OPENSSL_CONF"),
            "-Dio.nativetls.fips=true");
        assertUnavailable(line);
        assertTrue(line.contains("the provider \"fips\" did not load") && line.contains("fips.so"), line);
        assertTrue(line.contains("(OpenSSL's default file)"), line);
    }

    @Test
    void anEmptyModulesDirectoryIsUnavailable(@TempDir Path dir) throws Exception {
        Map<String, String> env = fipsBuildEnv();
        env.put("OPENSSL_MODULES", dir.toString());
        String line = probe(env, "-Dio.nativetls.fips=true",
            "-Dio.nativetls.fips.config=" + prefix.resolve("ssl/openssl-fips.cnf"));
        assertUnavailable(line);
        assertTrue(line.contains(dir.resolve("fips.so").toString()), line);
        assertTrue(line.contains("(named by io.nativetls.fips.config)"), line);
    }

    @Test
    void aModuleFailingItsIntegrityCheckIsUnavailable(@TempDir Path dir) throws Exception {
        // The module's configuration with a MAC that is not the module's: its self test must fail.
        List<String> module = new ArrayList<>();
        boolean changed = false;
        for (String l : Files.readAllLines(prefix.resolve("ssl/fipsmodule.cnf"))) {
            if (l.startsWith("module-mac = ") && !changed) {
                String mac = l.substring("module-mac = ".length());
                l = "module-mac = " + (mac.startsWith("00") ? "11" : "00") + mac.substring(2);
                changed = true;
            }
            module.add(l);
        }
        assertTrue(changed, "fipsmodule.cnf has a module-mac line");
        Files.write(dir.resolve("fipsmodule.cnf"), module);
        String config = Files.readString(prefix.resolve("ssl/openssl-fips.cnf"))
            .replace(prefix.resolve("ssl/fipsmodule.cnf").toString(), dir.resolve("fipsmodule.cnf").toString());
        Files.writeString(dir.resolve("fips.cnf"), config);
        String line = probe(fipsBuildEnv(), "-Dio.nativetls.fips=true", "-Dio.nativetls.fips.config=" + dir.resolve("fips.cnf"));
        assertUnavailable(line);
        assertTrue(line.contains("self test"), line);
    }

    @Test
    void aConfigurationFileThatIsNotThereIsUnavailable(@TempDir Path dir) throws Exception {
        String line = probe(fipsBuildEnv(), "-Dio.nativetls.fips=true",
            "-Dio.nativetls.fips.config=" + dir.resolve("missing.cnf"));
        assertUnavailable(line);
        assertTrue(line.contains("the file does not load"), line);
    }

    @Test
    void aProcessConfigurationWhoseTlsSettingsFipsCannotMeetIsNamed(@TempDir Path dir) throws Exception {
        // libssl applies the process file's system_default settings to every SSL_CTX, FIPS mode's too:
        // X25519 is not in FIPS, so no context can be made, and the cause must name that file.
        Path conf = dir.resolve("process.cnf");
        Files.writeString(conf, "openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = tls\n"
            + "[tls]\nGroups = X25519\n");
        Map<String, String> env = fipsBuildEnv();
        env.put("OPENSSL_CONF", conf.toString());
        String line = probe(env, "-Dio.nativetls.fips=true",
            "-Dio.nativetls.fips.config=" + prefix.resolve("ssl/openssl-fips.cnf"));
        assertUnavailable(line);
        assertTrue(line.contains("value=X25519") && line.contains("the system_default TLS settings of " + conf), line);
    }

    @Test
    void aValueOtherThanTrueOrFalseIsUnavailable() throws Exception {
        String line = probe(fipsBuildEnv(), "-Dio.nativetls.fips=yes");
        assertUnavailable(line);
        assertTrue(line.contains("io.nativetls.fips is \"yes\": it must be true or false"), line);
    }

    @Test
    void falseIsOrdinaryMode() throws Exception {
        String line = probe(fipsBuildEnv(), "-Dio.nativetls.fips=false");
        assertEquals("available=true fipsMode=false fipsEnabled=false install=true context=NativeTLS cause=none", line);
    }

    private static void assertUnavailable(String line) {
        assertTrue(line.startsWith("available=false fipsMode=false fipsEnabled=false install=false"
            + " context=NoSuchAlgorithmException cause="), line);
        assertTrue(line.contains("NativeTLS never runs outside FIPS mode while io.nativetls.fips=true")
            || line.contains("must be true or false"), line);
    }

    /** The stage's OpenSSL 3.5 (with its FIPS module) under the system's configuration file. */
    private static Map<String, String> fipsBuildEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("LD_LIBRARY_PATH", prefix.resolve("lib").toString());
        env.put("OPENSSL_CONF", "/usr/lib/ssl/openssl.cnf");
        return env;
    }

    private static String probe(Map<String, String> env, String... jvmArgs) throws Exception {
        return probe(env, List.of("OPENSSL_MODULES"), jvmArgs);
    }

    /** FipsProbe's line from a fresh JVM with env on top of this one's, without the unset variables. */
    private static String probe(Map<String, String> env, List<String> unset, String... jvmArgs)
        throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(jvmArgs));
        args.add("-cp");
        args.add(System.getProperty("java.class.path"));
        args.add(FipsProbe.class.getName());
        try (ChildProcess jvm = ChildProcess.in(null).unset(unset.toArray(new String[0])).env(env)
                 .start(ChildProcess.java(args))) {
            assertTrue(jvm.awaitExit(Duration.ofSeconds(60)), "the probe JVM did not finish: " + jvm.output());
            String out = jvm.output().trim();
            String last = out.substring(out.lastIndexOf('\n') + 1);
            assertTrue(last.startsWith("available="), out);
            return last;
        }
    }
}
