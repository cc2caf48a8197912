package io.nativetls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.jni.SslNative;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the native library: from the jar, from a directory, twice, and failing clearly. */
class LoaderTest {
    @Test
    void loadsAndReportsTheRuntimeOpenSsl() {
        assertTrue(NativeTls.isAvailable(), () -> "unavailable: " + NativeTls.unavailabilityCause());
        assertNull(NativeTls.unavailabilityCause());
        String version = NativeTls.openSslVersion();
        assertTrue(version.matches("OpenSSL 3\\.\\d+\\.\\d+.*"), version);
        String expected = System.getProperty("io.nativetls.test.expectOpenSsl");
        if (expected != null && !expected.isEmpty()) {
            assertTrue(version.startsWith("OpenSSL " + expected), version + " but expected " + expected);
        }
        assertTrue(SslNative.errorQueueEmpty());
    }

    @Test
    void sanitizerRuntimeIsActiveWhenAskedFor() throws IOException {
        if (!Boolean.getBoolean("io.nativetls.test.sanitizer")) {
            return;
        }
        String maps = Files.readString(Path.of("/proc/self/maps"));
        assertTrue(maps.contains("libasan"), "the sanitizer build must run with libasan loaded");
    }

    @Test
    void twoClassLoadersEachGetTheirOwnCopy() throws Exception {
        URL classes = NativeTls.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> facade = isolated.loadClass("io.nativetls.NativeTls");
            assertTrue(facade != NativeTls.class, "the test needs a second copy of the class");
            Method available = facade.getMethod("isAvailable");
            Method cause = facade.getMethod("unavailabilityCause");
            assertEquals(Boolean.TRUE, available.invoke(null), () -> {
                try {
                    return "second loader: " + cause.invoke(null);
                } catch (ReflectiveOperationException e) {
                    return e.toString();
                }
            });
            Method version = facade.getMethod("openSslVersion");
            assertEquals(NativeTls.openSslVersion(), version.invoke(null));
        }
        assertTrue(NativeTls.isAvailable());
    }

    @Test
    void libraryPathPropertyLoadsFromADirectory(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("libnativetls.so");
        try (var in = NativeTls.class.getResourceAsStream("/META-INF/native/linux-x86_64/libnativetls.so")) {
            assertNotNull(in, "the build puts the library into the class path");
            Files.copy(in, lib);
        }
        String out = probe("-Dio.nativetls.library.path=" + dir);
        assertTrue(out.startsWith("available OpenSSL 3."), out);
    }

    @Test
    void badLibraryPathGivesAClearCauseNotACrash(@TempDir Path dir) throws Exception {
        String missing = probe("-Dio.nativetls.library.path=" + dir.resolve("nowhere"));
        assertTrue(missing.startsWith("unavailable"), missing);
        assertTrue(missing.contains("io.nativetls.library.path"), missing);

        Files.writeString(dir.resolve("libnativetls.so"), "not a shared object");
        String corrupt = probe("-Dio.nativetls.library.path=" + dir);
        assertTrue(corrupt.startsWith("unavailable"), corrupt);
        assertTrue(corrupt.contains("libnativetls.so"), corrupt);
        assertTrue(corrupt.contains("no SSLContext service"), corrupt);
    }

    /** Runs LoaderProbe in a fresh JVM and returns its report (the last line; the JVM may warn before it). */
    private static String probe(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LoaderProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        return out.substring(out.lastIndexOf('\n') + 1);
    }
}
