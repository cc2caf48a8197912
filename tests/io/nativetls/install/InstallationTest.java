package io.nativetls.install;

import static io.nativetls.install.ForkedJvm.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Tags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way of installing NativeTLS, in a fresh JVM running InstallProbe: named in java.security
 * (found through ServiceLoader) on the class path and as the named module io.nativetls on the
 * module path, NativeTls.install(), and each of those when the native library cannot load, where
 * nothing may be registered, one warning must say why, and TLS must keep working on SunJSSE.
 */
@Timeout(180)
@Tag(Tags.JVM)
class InstallationTest {
    private static final String NATIVE_ACCESS_WARNING = "WARNING: A restricted method";
    private static final String UNAVAILABLE_WARNING = "WARNING: NativeTLS is not available";

    @TempDir
    static Path dir;

    @BeforeAll
    static void keyStores() throws Exception {
        ForkedJvm.writeKeyStores(dir);
    }

    private static List<String> classPath(String... jvmArgs) {
        List<String> args = new ArrayList<>(List.of(jvmArgs));
        args.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return args;
    }

    /** The provider's classes as the module io.nativetls; the probe stays on the class path. */
    private static List<String> modulePath(String... jvmArgs) {
        List<String> args = new ArrayList<>(List.of(jvmArgs));
        args.addAll(List.of("--module-path", ForkedJvm.providerClasses().toString(), "--add-modules", "io.nativetls",
            "-cp", ForkedJvm.testClasses().toString()));
        return args;
    }

    private static String probe(List<String> args, String... probeArgs) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.add(InstallProbe.class.getName());
        all.add(dir.toString());
        all.addAll(List.of(probeArgs));
        return ForkedJvm.run(all);
    }

    static void assertNativeTlsServes(String out) {
        assertEquals("NativeTLS", value(out, "first"), out);
        assertEquals("NativeTLS services=4", value(out, "named"), out);
        assertEquals("NativeTLS", value(out, "default"), out);
        assertEquals("NativeTLS TLSv1.3,TLSv1.2", value(out, "tls"), out);
        assertEquals("ok", value(out, "direct"), out);
        assertTrue(value(out, "handshake").matches("NativeTLS TLSv1\\.3 TLS_\\S+ echo=42"), out);
        assertFalse(out.contains(UNAVAILABLE_WARNING), out);
    }

    /** SunJSSE did the handshake, and exactly one warning said what is missing. */
    static void assertSunJsseServes(String out, String cause) {
        assertEquals("false", value(out, "available"), out);
        assertEquals("SunJSSE", value(out, "default"), out);
        assertTrue(value(out, "tls").startsWith("SunJSSE "), out);
        assertTrue(value(out, "handshake").matches("SunJSSE TLSv1\\.3 TLS_\\S+ echo=42"), out);
        assertTrue(value(out, "direct").startsWith("NoSuchAlgorithmException"), out);
        String[] warnings = out.split(UNAVAILABLE_WARNING, -1);
        assertEquals(2, warnings.length, "expected exactly one unavailability warning:\n" + out);
        String warning = warnings[1].lines().findFirst().orElse("");
        assertTrue(warning.contains(cause), warning);
        assertTrue(warning.contains("SunJSSE) stays in use"), warning);
    }

    @Test
    void javaSecurityNamesTheProviderOnTheClassPath() throws Exception {
        Path security = ForkedJvm.securityFileNamingNativeTls(dir);
        String out = probe(classPath("-Djava.security.properties=" + security));
        assertEquals("NativeTLS unnamed", value(out, "serviceloader"), out);
        assertEquals("true", value(out, "available"), out);
        assertNativeTlsServes(out);
    }

    @Test
    void javaSecurityNamesTheProviderOnTheModulePath() throws Exception {
        Path security = ForkedJvm.securityFileNamingNativeTls(dir);
        String out = probe(modulePath("--enable-native-access=io.nativetls", "-Djava.security.properties=" + security));
        assertEquals("NativeTLS io.nativetls", value(out, "serviceloader"), out);
        assertEquals("io.nativetls", value(out, "module"), out);
        assertNativeTlsServes(out);
        assertFalse(out.contains(NATIVE_ACCESS_WARNING), out);
        if (Runtime.version().feature() >= 24) {
            // The check above means something only if the JVM warns without the flag.
            String unflagged = probe(modulePath("-Djava.security.properties=" + security));
            assertTrue(unflagged.contains(NATIVE_ACCESS_WARNING), unflagged);
            assertTrue(unflagged.contains("--enable-native-access=io.nativetls"), unflagged);
        }
    }

    @Test
    void installPutsNativeTlsFirst() throws Exception {
        String out = probe(classPath(), "install");
        assertEquals("true", value(out, "install"), out);
        assertNativeTlsServes(out);
    }

    @Test
    void installMovesAnAppendedNativeTlsFirst() throws Exception {
        String out = probe(classPath(), "install-after-append");
        assertEquals("true", value(out, "install"), out);
        assertEquals("1", value(out, "registered"), out);
        assertNativeTlsServes(out);
    }

    @Test
    void installOnTheModulePath() throws Exception {
        String out = probe(modulePath("--enable-native-access=io.nativetls"), "install");
        assertEquals("io.nativetls", value(out, "module"), out);
        assertEquals("true", value(out, "install"), out);
        assertNativeTlsServes(out);
    }

    @Test
    void withoutTheLibraryInstallRegistersNothingAndSunJsseServes() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String out = probe(classPath("-Dio.nativetls.library.path=" + empty), "install");
        assertEquals("false", value(out, "install"), out);
        assertEquals("SUN", value(out, "first"), out);
        assertEquals("none", value(out, "named"), out);
        assertSunJsseServes(out, "has no libnativetls.so");
        assertTrue(out.contains("point it at the directory holding libnativetls.so"), out);
    }

    @Test
    void aDamagedLibraryOnTheModulePathLeavesSunJsseServing() throws Exception {
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        Files.writeString(damaged.resolve("libnativetls.so"), "not a shared object");
        String out = probe(modulePath("--enable-native-access=io.nativetls", "-Dio.nativetls.library.path=" + damaged),
            "install");
        assertEquals("io.nativetls", value(out, "module"), out);
        assertEquals("false", value(out, "install"), out);
        assertSunJsseServes(out, "not a usable libnativetls.so");
    }

    /**
     * A damaged library inside the jar while java.security names NativeTLS: the copy extracted
     * to a temporary file once had its name drawn from SecureRandom, whose provider lookup built
     * the java.security NativeTLS instance in the middle of the load, and that instance registered
     * services the failed library could not serve (SSLContext.getInstance("TLS") then threw).
     */
    @Test
    void aDamagedLibraryInTheJarNamedInJavaSecurityLeavesSunJsseServing() throws Exception {
        Path jar = dir.resolve("damaged-jar");
        Path lib = Files.createDirectories(jar.resolve("META-INF/native/linux-x86_64")).resolve("libnativetls.so");
        Files.writeString(lib, "not a shared object");
        Path security = ForkedJvm.securityFileNamingNativeTls(dir);
        // An empty library path selects the copy in the jar, whose resource the first class path entry shadows.
        String out = probe(List.of("-Dio.nativetls.library.path=", "-Djava.security.properties=" + security,
            "-cp", jar + java.io.File.pathSeparator + System.getProperty("java.class.path")), "install");
        assertEquals("false", value(out, "install"), out);
        assertEquals("NativeTLS", value(out, "first"), out);
        assertEquals("NativeTLS services=0", value(out, "named"), out);
        assertSunJsseServes(out, "not a usable libnativetls.so");
    }
}
