package io.nativetls.internal.jni;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The causes users read when the library cannot load say what is missing and how to get it. */
class NativeLibraryExplainTest {
    @Test
    void missingLibsslNamesThePackage() {
        UnsatisfiedLinkError raw = new UnsatisfiedLinkError(
            "/tmp/nativetls-1.so: libssl.so.3: cannot open shared object file: No such file or directory");
        Throwable cause = NativeLibrary.explain(raw);
        assertTrue(cause.getMessage().contains("libssl.so.3 not found"), cause.getMessage());
        assertTrue(cause.getMessage().contains("apt-get install libssl3"), cause.getMessage());
        assertSame(raw, cause.getCause());
    }

    @Test
    void tooOldOpenSslIsNamed() {
        Throwable cause = NativeLibrary.explain(new UnsatisfiedLinkError("version `OPENSSL_3.0.0' not found"));
        assertTrue(cause.getMessage().contains("OpenSSL 3.0 or newer"), cause.getMessage());
    }

    @Test
    void otherFailuresKeepTheOriginalText() {
        Throwable cause = NativeLibrary.explain(new UnsatisfiedLinkError("wrong ELF class: ELFCLASS32"));
        assertTrue(cause.getMessage().contains("wrong ELF class"), cause.getMessage());
    }

    @Test
    void openSslOlderThan30AtRunTimeIsRefusedSayingWhatToInstall() {
        Throwable cause = NativeLibrary.checkVersion(0x1010117fL, "OpenSSL 1.1.1w  11 Sep 2023");
        assertTrue(cause.getMessage().contains("too old"), cause.getMessage());
        assertTrue(cause.getMessage().contains("OpenSSL 1.1.1w"), cause.getMessage());
        assertTrue(cause.getMessage().contains("needs OpenSSL 3.0 or newer"), cause.getMessage());
        assertTrue(cause.getMessage().contains("apt-get install libssl3"), cause.getMessage());
        assertTrue(cause.getMessage().contains("LD_LIBRARY_PATH"), cause.getMessage());
        assertNull(NativeLibrary.checkVersion(0x30000000L, "OpenSSL 3.0.0 7 sep 2021"));
        assertNull(NativeLibrary.checkVersion(0x30500010L, "OpenSSL 3.5.1 1 Jul 2025"));
    }

    @Test
    void anUnsupportedPlatformSaysWhatIsSupportedAndTheWayOut() {
        String msg = NativeLibrary.unsupportedPlatform("Mac OS X", "aarch64");
        assertTrue(msg.contains("Mac OS X/aarch64"), msg);
        assertTrue(msg.contains("Linux x86_64"), msg);
        assertTrue(msg.contains("-Dio.nativetls.library.path"), msg);
    }

    @Test
    void aNoexecTemporaryDirectoryIsNamed() {
        Throwable cause = NativeLibrary.explain(new UnsatisfiedLinkError(
            "/tmp/nativetls-1-2.so: /tmp/nativetls-1-2.so: failed to map segment from shared object"));
        assertTrue(cause.getMessage().contains("noexec"), cause.getMessage());
        assertTrue(cause.getMessage().contains("-Djava.io.tmpdir"), cause.getMessage());
    }

    @Test
    void aDamagedFileSaysHowToReplaceIt() {
        Throwable cause = NativeLibrary.explain(new UnsatisfiedLinkError("/x/libnativetls.so: file too short"));
        assertTrue(cause.getMessage().contains("not a usable libnativetls.so"), cause.getMessage());
        assertTrue(cause.getMessage().contains("file too short"), cause.getMessage());
    }

    @Test
    void deniedNativeAccessNamesTheFlag() {
        Throwable cause = NativeLibrary.nativeAccessDenied(new IllegalCallerException("Illegal native access"));
        assertTrue(cause.getMessage().contains("--enable-native-access=io.nativetls"), cause.getMessage());
        assertTrue(cause.getMessage().contains("--enable-native-access=ALL-UNNAMED"), cause.getMessage());
    }
}
