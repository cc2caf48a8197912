package io.nativetls.internal.jni;

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
}
