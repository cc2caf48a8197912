package io.nativetls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Engines remember the addresses of the last few direct buffers they were given. Rotating through
 * more buffers than that, and through slices of one buffer (new objects, other addresses), must
 * still read and write exactly the bytes of the buffer passed in each call.
 */
@Timeout(30)
class DirectBufferRotationTest {
    @Test
    void everyCallUsesTheBufferItWasGiven() throws Exception {
        EnginePair pair = new EnginePair(Contexts.client(Impl.NATIVE).createSSLEngine("localhost", 443),
            Contexts.server(Impl.NATIVE, "server-ec").createSSLEngine());
        pair.handshake();
        SSLEngine client = pair.client.engine;
        SSLEngine server = pair.server.engine;
        int size = 3000;
        ByteBuffer[] sources = new ByteBuffer[7];
        ByteBuffer[] nets = new ByteBuffer[5];
        ByteBuffer[] sinks = new ByteBuffer[6];
        ByteBuffer big = ByteBuffer.allocateDirect(sources.length * size);
        for (int i = 0; i < sources.length; i++) {
            // odd ones are slices of one big buffer: distinct objects with distinct addresses
            sources[i] = i % 2 == 1 ? big.slice(i * size, size) : ByteBuffer.allocateDirect(size);
        }
        for (int i = 0; i < nets.length; i++) {
            nets[i] = ByteBuffer.allocateDirect(client.getSession().getPacketBufferSize());
        }
        for (int i = 0; i < sinks.length; i++) {
            sinks[i] = ByteBuffer.allocateDirect(server.getSession().getApplicationBufferSize());
        }
        for (int round = 0; round < 200; round++) {
            ByteBuffer src = sources[round % sources.length];
            src.clear();
            for (int i = 0; i < size; i++) {
                src.put((byte) (round * 31 + i));
            }
            src.flip();
            ByteBuffer net = nets[round % nets.length];
            net.clear();
            SSLEngineResult wrapped = client.wrap(src, net);
            assertEquals(SSLEngineResult.Status.OK, wrapped.getStatus());
            assertEquals(size, wrapped.bytesConsumed());
            net.flip();
            ByteBuffer sink = sinks[round % sinks.length];
            sink.clear();
            SSLEngineResult unwrapped = server.unwrap(net, sink);
            assertEquals(SSLEngineResult.Status.OK, unwrapped.getStatus());
            assertEquals(size, unwrapped.bytesProduced(), "round " + round);
            sink.flip();
            for (int i = 0; i < size; i++) {
                assertEquals((byte) (round * 31 + i), sink.get(i), "round " + round + ", byte " + i);
            }
        }
        pair.close(pair.client);
    }
}
