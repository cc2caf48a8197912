package io.nativetls.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.NativeTlsProvider;
import io.nativetls.testing.ChildProcess;
import io.nativetls.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        return ChildProcess.java(args);
    }

    /** Runs java with args; the JVM must exit 0 within 60 s. Returns stdout and stderr together. */
    public static String run(List<String> args) throws IOException, InterruptedException {
        return run(args, Map.of());
    }

    /** As {@link #run(List)}, with these environment variables set for the child on top of ours. */
    public static String run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        Exit exit = exec(args, env);
        assertEquals(0, exit.code, "probe JVM failed: " + exit.command + "\n" + exit.output);
        return exit.output;
    }

    /** How a child JVM ended: its exit code and stdout and stderr together. */
    public static final class Exit {
        public final int code;
        public final String output;
        final List<String> command;

        Exit(int code, String output, List<String> command) {
            this.code = code;
            this.output = output;
            this.command = command;
        }

        @Override
        public String toString() {
            return "exit " + code + " of " + command + ":\n" + output;
        }
    }

    /** Runs java with args and env (on top of ours) to its end, within 60 s, whatever its exit code. */
    public static Exit exec(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = command(args);
        ChildProcess.Result r = ChildProcess.in(null).env(env).charset(StandardCharsets.UTF_8)
            .run(cmd, null, Duration.ofSeconds(60));
        assertTrue(r.exit >= 0, "probe JVM did not finish: " + cmd + "\n" + r.output);
        return new Exit(r.exit, r.output, cmd);
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
