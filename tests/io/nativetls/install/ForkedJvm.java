package io.nativetls.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.NativeTlsProvider;
import io.nativetls.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe class in a fresh JVM (the installation paths only show in a JVM that has not
 * loaded NativeTLS yet) and hands back everything it printed. The child inherits the test JVM's
 * environment and library path, so the sanitizer stage's library and preload stay consistent.
 */
public final class ForkedJvm {
    private ForkedJvm() {}

    /** The provider's compiled classes: target/classes, with module-info.class. */
    public static Path providerClasses() {
        return location(NativeTlsProvider.class);
    }

    /** The test classes, where the probes are. */
    public static Path testClasses() {
        return location(ForkedJvm.class);
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** java, then the test JVM's library path setting (if any), then args. */
    public static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String lib = System.getProperty("io.nativetls.library.path");
        if (lib != null && args.stream().noneMatch(a -> a.startsWith("-Dio.nativetls.library.path="))) {
            cmd.add("-Dio.nativetls.library.path=" + lib);
        }
        cmd.addAll(args);
        return cmd;
    }

    /** Runs java with args; the JVM must exit 0 within 60 s. Returns stdout and stderr together. */
    public static String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = command(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // Read on this thread: the probes print little, and a blocked child ends at the timeout below.
        Thread killer = new Thread(() -> {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        killer.setDaemon(true);
        killer.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish: " + cmd + "\n" + out);
        assertEquals(0, p.exitValue(), "probe JVM failed: " + cmd + "\n" + out);
        return out;
    }

    /** A java.security override naming NativeTLS first and the JDK's providers after it. */
    public static Path securityFileNamingNativeTls(Path dir) throws IOException {
        StringBuilder props = new StringBuilder("security.provider.1=NativeTLS\n");
        for (int i = 1; Security.getProperty("security.provider." + i) != null; i++) {
            props.append("security.provider.").append(i + 1).append('=')
                .append(Security.getProperty("security.provider." + i)).append('\n');
        }
        Path file = dir.resolve("nativetls.security");
        Files.writeString(file, props.toString());
        return file;
    }

    /** Writes server.p12 (the test PKI's EC server key) and trust.p12 (its CA) for InstallProbe. */
    public static void writeKeyStores(Path dir) throws Exception {
        store(TestPki.get().keyStore("server-ec"), dir.resolve("server.p12"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", TestPki.get().certificate("ca"));
        store(trust, dir.resolve("trust.p12"));
    }

    private static void store(KeyStore ks, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, TestPki.PASSWORD);
        }
    }

    /** The lines of out that start with prefix + " ", without the prefix. */
    public static List<String> lines(String out, String prefix) {
        List<String> found = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(prefix + " ")) {
                found.add(line.substring(prefix.length() + 1).trim());
            }
        }
        return found;
    }

    /** The single value the probe printed for key. */
    public static String value(String out, String key) {
        List<String> found = lines(out, key);
        assertEquals(1, found.size(), "expected one \"" + key + "\" line in:\n" + out);
        return found.get(0);
    }
}
