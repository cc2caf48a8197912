package io.nativetls.internal.jni;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.ProviderException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds, extracts and loads libnativetls.so exactly once per class loader, and has OpenSSL
 * initialised and its configuration checked (SslNative.initialise). Every failure becomes one
 * readable cause (what is missing or broken and how to fix it) instead of an Error in user code.
 */
public final class NativeLibrary {
    /** Directory to load libnativetls.so from instead of the copy inside the jar. */
    public static final String PATH_PROPERTY = "io.nativetls.library.path";
    static final String LIBRARY_FILE = "libnativetls.so";
    /** OpenSSL_version_num() of 3.0.0: the oldest OpenSSL whose API and ABI the library uses. */
    static final long OPENSSL_3_0 = 0x30000000L;
    /** What every "unavailable" message ends with: nothing breaks, TLS just stays with the JDK. */
    static final String FALLBACK = "; NativeTLS registers no services and the JDK's own TLS (SunJSSE) stays in use";

    // Initialised before FAILURE: load() uses them.
    private static final System.Logger LOG = System.getLogger("io.nativetls");
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicLong TEMP_NAMES = new AtomicLong(System.nanoTime());
    /** Set by load() (no initialiser, so the field initialisers after it cannot reset it). */
    private static boolean fipsRequested;

    private static final Throwable FAILURE = load();
    /**
     * Read as false by anything running inside load() on this thread (class initialisation is
     * re-entrant there): a provider constructed then registers nothing, whatever load() decides.
     */
    private static final boolean LOADED = FAILURE == null;
    private static volatile String loadedFrom;

    private NativeLibrary() {}

    public static boolean isLoaded() {
        return LOADED;
    }

    /** Why the library is unusable, or null when it loaded. */
    public static Throwable failure() {
        if (LOADED) {
            return null;
        }
        return FAILURE != null ? FAILURE : new UnsatisfiedLinkError("NativeTLS is still loading its native library");
    }

    /** Where the library was loaded from (the extracted copy's original name for the jar case). */
    public static String loadedFrom() {
        return loadedFrom;
    }

    /**
     * Logs the load failure as one WARNING, the first time anyone (the provider's constructor,
     * NativeTls.install()) finds NativeTLS unavailable; later calls log nothing.
     */
    public static void warnUnavailableOnce() {
        if (!LOADED && FAILURE != null && WARNED.compareAndSet(false, true)) {
            // FIPS mode was asked for and TLS is not in it: an error for whoever runs the service.
            LOG.log(fipsRequested ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                "NativeTLS is not available: " + failure().getMessage() + FALLBACK);
        }
    }

    /** Throws the load failure as an IllegalStateException; for code that cannot run without it. */
    public static void ensureLoaded() {
        if (!LOADED) {
            Throwable failure = failure();
            throw new IllegalStateException(failure.getMessage(), failure);
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
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return "linux-aarch64";
        }
        return null;
    }

    /**
     * Loads the library, checks the OpenSSL version, then initialises OpenSSL and checks that its
     * configuration lets TLS run (SslNative.initialise): any of them failing is the one cause.
     */
    private static Throwable load() {
        FipsSwitch fips;
        try {
            fips = FipsSwitch.fromSystemProperties();
        } catch (ProviderException e) {
            fipsRequested = true;
            return e;
        }
        fipsRequested = fips.on();
        Throwable failure = loadLibrary();
        if (failure != null) {
            return failure;
        }
        failure = checkVersion(SslNative.openSslVersionNumber(), SslNative.openSslVersion());
        if (failure != null) {
            return failure;
        }
        return OpenSslSetup.cause(SslNative.initialise(fips.on(), fips.configFile()), System.getenv(OpenSslSetup.ENV));
    }

    private static Throwable loadLibrary() {
        try {
            String dir = System.getProperty(PATH_PROPERTY);
            if (dir != null && !dir.isEmpty()) {
                Path file = Path.of(dir).resolve(LIBRARY_FILE).toAbsolutePath();
                if (!Files.isRegularFile(file)) {
                    return new UnsatisfiedLinkError(PATH_PROPERTY + "=" + dir + " has no " + LIBRARY_FILE
                        + ": point it at the directory holding " + LIBRARY_FILE
                        + ", or remove the property to use the copy inside the NativeTLS jar");
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
            return null;
        } catch (UnsatisfiedLinkError e) {
            return explain(e);
        } catch (IllegalCallerException e) {
            return nativeAccessDenied(e);
        } catch (IOException | RuntimeException e) {
            return new UnsatisfiedLinkError("NativeTLS could not extract its native library to the temporary directory"
                + " (" + e + "): make java.io.tmpdir (" + System.getProperty("java.io.tmpdir")
                + ") writable, or copy " + LIBRARY_FILE + " out of the jar and set -D" + PATH_PROPERTY
                + " to its directory").initCause(e);
        }
    }

    private static void loadFromJar() throws IOException {
        String platform = platform();
        if (platform == null) {
            throw new UnsatisfiedLinkError(unsupportedPlatform(System.getProperty("os.name"), System.getProperty("os.arch")));
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
        Path tmp = createPrivateFile();
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                in.transferTo(out); // into the file created above, keeping its owner-only mode
            }
            System.load(tmp.toString());
        } finally {
            // Linux keeps a loaded library mapped after unlink: nothing is left in the temp directory.
            Files.deleteIfExists(tmp);
        }
    }

    static String unsupportedPlatform(String os, String arch) {
        return "NativeTLS has no native library for " + os + "/" + arch + " (it ships one for Linux x86_64 and Linux aarch64 only):"
            + " build " + LIBRARY_FILE + " for this platform (CMakeLists.txt) and set -D" + PATH_PROPERTY
            + " to its directory, or use the JDK's own TLS";
    }

    /** Null for OpenSSL 3.0 or newer, else the cause naming the version found and what to install. */
    static Throwable checkVersion(long number, String text) {
        if (number >= OPENSSL_3_0) {
            return null;
        }
        return new UnsatisfiedLinkError("the OpenSSL loaded at run time is too old (" + text + "; version number 0x"
            + Long.toHexString(number) + "): NativeTLS needs OpenSSL 3.0 or newer; install OpenSSL 3"
            + " (Debian/Ubuntu: apt-get install libssl3; Fedora/RHEL: dnf install openssl-libs) and make sure"
            + " LD_LIBRARY_PATH does not put an older libssl first");
    }

    static Throwable nativeAccessDenied(IllegalCallerException e) {
        return new UnsatisfiedLinkError("the JVM denies NativeTLS native access (" + e.getMessage() + "): run java with"
            + " --enable-native-access=io.nativetls (module path) or --enable-native-access=ALL-UNNAMED (class path)")
            .initCause(e);
    }

    /**
     * A new file only this user can use, in java.io.tmpdir. Not Files.createTempFile: its random
     * name comes from SecureRandom, whose lookup loads the security providers, NativeTLS among
     * them when java.security names it, from inside this class's initialisation. O_EXCL creation
     * makes a predictable name safe: a file or link planted there only makes us try the next name.
     */
    private static Path createPrivateFile() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0;; attempt++) {
            Path file = dir.resolve("nativetls-" + pid + "-" + Long.toHexString(TEMP_NAMES.incrementAndGet()) + ".so");
            try {
                return Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    static Throwable explain(UnsatisfiedLinkError e) {
        String msg = String.valueOf(e.getMessage());
        String advice;
        if (msg.contains("libssl.so.3") || msg.contains("libcrypto.so.3")) {
            advice = "libssl.so.3 not found: install OpenSSL 3 (Debian/Ubuntu: apt-get install libssl3;"
                + " Fedora/RHEL: dnf install openssl-libs)";
        } else if (msg.contains("OPENSSL_3")) {
            advice = "the system libssl is older than OpenSSL 3.0: NativeTLS needs OpenSSL 3.0 or newer; install"
                + " OpenSSL 3 (Debian/Ubuntu: apt-get install libssl3) and make sure LD_LIBRARY_PATH does not put an"
                + " older libssl first";
        } else if (msg.contains("failed to map segment")) {
            advice = "the temporary directory " + System.getProperty("java.io.tmpdir") + " does not allow executing"
                + " the extracted " + LIBRARY_FILE + " (mounted noexec?): set -Djava.io.tmpdir to a directory that"
                + " allows it, or copy " + LIBRARY_FILE + " out of the jar and set -D" + PATH_PROPERTY;
        } else if (msg.contains("ELF") || msg.contains("too short") || msg.contains("invalid")) {
            advice = "the file is not a usable " + LIBRARY_FILE + " for this JVM (damaged, or built for another"
                + " platform): rebuild it (mvn package) or point -D" + PATH_PROPERTY + " at a good copy";
        } else {
            advice = "NativeTLS native library unavailable: check that the NativeTLS jar is complete and that"
                + " OpenSSL 3 (libssl.so.3) is installed";
        }
        return new UnsatisfiedLinkError(advice + " (" + msg + ")").initCause(e);
    }
}
