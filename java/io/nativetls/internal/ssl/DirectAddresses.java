package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.SslNative;
import java.nio.ByteBuffer;

/**
 * The native addresses of the last few direct buffers a connection was given. Asking the JVM
 * (GetDirectBufferAddress, with its type check) cost about 3% of a 1 KiB record exchange, and a
 * connection keeps using the same few buffers: its application and network buffers each way.
 * A buffer object's address never changes, and an entry holds its buffer, so its memory stays.
 * Entries are immutable and replaced whole, so a race costs a lookup, never a wrong address.
 */
final class DirectAddresses {
    private record Entry(ByteBuffer buffer, long address) {}

    private final Entry[] entries = new Entry[4];
    private int next;

    long of(ByteBuffer buffer) {
        for (Entry e : entries) {
            if (e != null && e.buffer == buffer) {
                return e.address;
            }
        }
        long address = SslNative.directAddress(buffer);
        entries[next] = new Entry(buffer, address);
        next = (next + 1) & (entries.length - 1);
        return address;
    }
}
