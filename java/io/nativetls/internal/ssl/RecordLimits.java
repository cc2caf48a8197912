package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;

/** The sizes of TLS records, as the native side enforces them (one definition, in SslNative). */
public final class RecordLimits {
    /** A record header: type, version, length. */
    public static final int HEADER = 5;
    /** Largest plaintext fragment (2^14). */
    public static final int MAX_PLAINTEXT = SslNative.MAX_PLAINTEXT;
    /** Largest growth of a fragment when protected: TLS 1.2's 2048 bytes. */
    public static final int MAX_EXPANSION = SslNative.MAX_EXPANSION;
    /** Largest record body: plaintext plus expansion. */
    public static final int MAX_BODY = MAX_PLAINTEXT + MAX_EXPANSION;

    private RecordLimits() {}
}
