package io.nativetls.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** unwrap reads records from read-only buffers (heap ones have no array to hand to native code). */
class ReadOnlySourceTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(booleans = {false, true})
    void unwrapFromReadOnlySource(boolean direct) throws Exception {
        EnginePair pair = EngineSupport.established(EngineSupport.client(Impl.NATIVE),
            EngineSupport.server(Impl.NATIVE, "server-ec"));
        byte[] data = EngineSupport.random(5000, 9);
        byte[] records = EngineSupport.wrapAll(pair.client.engine, data);
        ByteBuffer src = EngineSupport.filled(records, direct).asReadOnlyBuffer();
        ByteBuffer app = ByteBuffer.allocate(pair.server.engine.getSession().getApplicationBufferSize());
        for (int i = 0; i < 10 && src.hasRemaining(); i++) {
            int before = src.position();
            SSLEngineResult r = pair.server.engine.unwrap(src, app);
            assertEquals(SSLEngineResult.Status.OK, r.getStatus());
            assertEquals(r.bytesConsumed(), src.position() - before);
        }
        assertEquals(0, src.remaining());
        assertArrayEquals(data, EngineSupport.written(app));
    }
}
