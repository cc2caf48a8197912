package io.nativetls.internal.tool;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * An SSLEngine driven over a connected Socket with blocking streams: the smallest correct JSSE
 * driving loop, used by the command-line tool (and by tests that talk to real peers).
 * Not thread-safe.
 */
public final class EngineStream implements Closeable {
    private final SSLEngine engine;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean eof;

    public EngineStream(SSLEngine engine, Socket socket) throws IOException {
        this.engine = engine;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        appIn.flip();
    }

    public SSLEngine engine() {
        return engine;
    }

    /** Runs the handshake to completion (bounded by the socket's read timeout). */
    public void handshake() throws IOException {
        engine.beginHandshake();
        for (int i = 0; i < 10_000; i++) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_WRAP:
                    wrap(ByteBuffer.allocate(0));
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    if (!unwrapOnce()) {
                        throw new EOFException("connection closed during the TLS handshake");
                    }
                    break;
                case NEED_TASK:
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    break;
                default:
                    return;
            }
        }
        throw new SSLException("handshake did not complete in 10000 steps");
    }

    /** Encrypts and sends all of data. */
    public void write(byte[] data, int offset, int length) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(data, offset, length);
        while (src.hasRemaining()) {
            wrap(src);
        }
    }

    /** Reads decrypted bytes; -1 once the peer has closed. */
    public int read(byte[] buf, int offset, int length) throws IOException {
        while (!appIn.hasRemaining()) {
            if (eof || engine.isInboundDone()) {
                return -1;
            }
            if (!unwrapOnce()) {
                return -1;
            }
        }
        int n = Math.min(length, appIn.remaining());
        appIn.get(buf, offset, n);
        return n;
    }

    private void wrap(ByteBuffer src) throws IOException {
        for (;;) {
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW:
                    netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                    continue;
                case CLOSED:
                case OK:
                    flush();
                    return;
                default:
                    throw new SSLException("unexpected wrap status " + r.getStatus());
            }
        }
    }

    private void flush() throws IOException {
        netOut.flip();
        out.write(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
        out.flush();
        netOut.clear();
    }

    /** Unwraps one record (reading from the socket as needed); false at end of stream. */
    private boolean unwrapOnce() throws IOException {
        appIn.compact();
        try {
            for (;;) {
                netIn.flip();
                SSLEngineResult r;
                try {
                    r = engine.unwrap(netIn, appIn);
                } finally {
                    netIn.compact();
                }
                switch (r.getStatus()) {
                    case BUFFER_UNDERFLOW:
                        if (!netIn.hasRemaining()) {
                            netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                        }
                        int n = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
                        if (n < 0) {
                            eof = true;
                            return false;
                        }
                        netIn.position(netIn.position() + n);
                        continue;
                    case BUFFER_OVERFLOW:
                        appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                        continue;
                    case CLOSED:
                        if (!engine.isOutboundDone()) {
                            engine.closeOutbound();
                            wrap(ByteBuffer.allocate(0));
                        }
                        return r.bytesProduced() > 0 || appIn.position() > 0;
                    default:
                        if (r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                            wrap(ByteBuffer.allocate(0));
                        }
                        return true;
                }
            }
        } finally {
            appIn.flip();
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
        b.flip();
        bigger.put(b);
        return bigger;
    }

    /** Sends close_notify and closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            if (!engine.isOutboundDone()) {
                engine.closeOutbound();
                for (int i = 0; i < 16 && !engine.isOutboundDone(); i++) {
                    wrap(ByteBuffer.allocate(0));
                }
            }
        } finally {
            socket.close();
        }
    }
}
