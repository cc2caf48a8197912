package io.nativetls.internal.jni;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Finds, extracts and loads libnativetls.so exactly once per class loader. Every failure becomes
 * one readable cause (what is missing and how to get it) instead of a LinkageError in user code.
 */
public final class NativeLibrary {
    /** Directory to load libnativetls.so from instead of the copy inside the jar. */
    public static final String PATH_PROPERTY = "io.nativetls.library.path";
    static final String LIBRARY_FILE = "libnativetls.so";

    private static final Throwable FAILURE = load();
    private static volatile String loadedFrom;

    private NativeLibrary() {}

    public static boolean isLoaded() {
        return FAILURE == null;
    }

    /** Why the library is unusable, or null when it loaded. */
    public static Throwable failure() {
        return FAILURE;
    }

    /** Where the library was loaded from (the extracted copy's original name for the jar case). */
    public static String loadedFrom() {
        return loadedFrom;
    }

    /** Throws the load failure as an IllegalStateException; for code that cannot run without it. */
    public static void ensureLoaded() {
        if (FAILURE != null) {
            throw new IllegalStateException(FAILURE.getMessage(), FAILURE);
        }
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return null;
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return "linux-x86_64";
        }
        return null;
    }

    private static Throwable load() {
        try {
            String dir = System.getProperty(PATH_PROPERTY);
            if (dir != null && !dir.isEmpty()) {
                Path file = Path.of(dir).resolve(LIBRARY_FILE).toAbsolutePath();
                if (!Files.isRegularFile(file)) {
                    return new UnsatisfiedLinkError(PATH_PROPERTY + "=" + dir + " has no " + LIBRARY_FILE);
                }
                try {
                    System.load(file.toString());
                } catch (UnsatisfiedLinkError e) {
                    if (!String.valueOf(e.getMessage()).contains("another classloader")) {
                        throw e;
                    }
                    // Another class loader has this file: this one loads a private copy instead.
                    try (InputStream in = Files.newInputStream(file)) {
                        loadPrivateCopy(in);
                    }
                }
                loadedFrom = file.toString();
            } else {
                loadFromJar();
            }
            SslNative.openSslVersion();
            return null;
        } catch (UnsatisfiedLinkError e) {
            return explain(e);
        } catch (IOException | RuntimeException e) {
            return new UnsatisfiedLinkError("NativeTLS could not extract its native library: " + e).initCause(e);
        }
    }

    private static void loadFromJar() throws IOException {
        String platform = platform();
        if (platform == null) {
            throw new UnsatisfiedLinkError("NativeTLS has no native library for " + System.getProperty("os.name") + "/"
                + System.getProperty("os.arch") + " (supported: Linux x86_64); SunJSSE stays in use");
        }
        String resource = "/META-INF/native/" + platform + "/" + LIBRARY_FILE;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("the NativeTLS jar lacks " + resource
                    + " (a build without the native part); set -D" + PATH_PROPERTY + " to a directory holding it");
            }
            loadPrivateCopy(in);
            loadedFrom = NativeLibrary.class.getResource(resource).toString();
        }
    }

    /** Loads a private copy: the JVM refuses to load one file from two class loaders. */
    private static void loadPrivateCopy(InputStream in) throws IOException {
        Path tmp = Files.createTempFile("nativetls-", ".so",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            System.load(tmp.toString());
        } finally {
            // Linux keeps a loaded library mapped after unlink: nothing is left in the temp directory.
            Files.deleteIfExists(tmp);
        }
    }

    static Throwable explain(UnsatisfiedLinkError e) {
        String msg = String.valueOf(e.getMessage());
        String advice;
        if (msg.contains("libssl.so.3") || msg.contains("libcrypto.so.3")) {
            advice = "libssl.so.3 not found: install OpenSSL 3 (Debian/Ubuntu: apt-get install libssl3;"
                + " Fedora/RHEL: dnf install openssl-libs)";
        } else if (msg.contains("OPENSSL_3")) {
            advice = "the system libssl is older than OpenSSL 3.0: NativeTLS needs OpenSSL 3.0 or newer";
        } else {
            return new UnsatisfiedLinkError("NativeTLS native library unavailable: " + msg).initCause(e);
        }
        return new UnsatisfiedLinkError(advice + " (" + msg + ")").initCause(e);
    }
}
