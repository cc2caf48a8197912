package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.util.ArrayList;
import java.util.List;

/** The protocol names NativeTLS supports, and their native bit mask. */
public final class Protocols {
    /** The bits of {@link #mask}: one per protocol, the native side's codes. */
    public static final int MASK_TLS12 = SslNative.PROTOCOL_TLS12;
    public static final int MASK_TLS13 = SslNative.PROTOCOL_TLS13;

    public static final String TLS13 = "TLSv1.3";
    public static final String TLS12 = "TLSv1.2";
    private static final String[] SUPPORTED = {TLS13, TLS12};
    /**
     * Names SunJSSE knows and accepts in setEnabledProtocols, which applications still list next
     * to TLSv1.2 ("TLSv1.2", "TLSv1.1"): accepted and kept, so such code keeps working, but never
     * negotiated, as in SunJSSE where jdk.tls.disabledAlgorithms disables the old ones. Any other
     * name is an IllegalArgumentException, as the Javadoc asks.
     */
    private static final List<String> LEGACY = List.of("TLSv1.1", "TLSv1", "SSLv3", "SSLv2Hello", "DTLSv1.0",
        "DTLSv1.2", "NONE");

    private Protocols() {}

    public static String[] supported() {
        return SUPPORTED.clone();
    }

    /** Whether setEnabledProtocols accepts the name. */
    public static boolean isKnown(String name) {
        return name != null && (TLS13.equals(name) || TLS12.equals(name) || LEGACY.contains(name));
    }

    /** Whether a connection can use the protocol. */
    public static boolean isNegotiable(String name) {
        return TLS13.equals(name) || TLS12.equals(name);
    }

    /** Checks names as SunJSSE does: null or unknown names are an IllegalArgumentException. */
    public static String[] validate(String[] names) {
        if (names == null) {
            throw new IllegalArgumentException("protocols must not be null");
        }
        List<String> out = new ArrayList<>(names.length);
        for (String name : names) {
            if (!isKnown(name)) {
                throw new IllegalArgumentException("Unsupported protocol: " + name
                    + " (NativeTLS supports " + String.join(", ", SUPPORTED) + ")");
            }
            out.add(name); // as given, duplicates too, as SunJSSE reports them
        }
        return out.toArray(new String[0]);
    }

    public static int mask(String[] names) {
        int mask = 0;
        for (String name : names) {
            mask |= TLS13.equals(name) ? SslNative.PROTOCOL_TLS13 : TLS12.equals(name) ? SslNative.PROTOCOL_TLS12 : 0;
        }
        return mask;
    }
}
