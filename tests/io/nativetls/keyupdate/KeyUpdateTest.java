package io.nativetls.keyupdate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.testing.Contexts;
import io.nativetls.testing.Contexts.Impl;
import io.nativetls.testing.EnginePair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * beginHandshake on an established TLS 1.3 engine sends a KeyUpdate that asks the peer to update
 * its keys too, as SunJSSE's engine does: NEED_WRAP, the wrap that sends it reports FINISHED, the
 * peer's unwrap of it leaves the peer NEED_WRAP (its answer: only a requested update is answered),
 * and data flows both ways under the new keys. Every pairing of NativeTLS and SunJSSE, either end
 * initiating; the step sequence is the same for all of them (SunJSSE to SunJSSE is the oracle).
 */
class KeyUpdateTest {
    private static final List<String> EXPECTED = List.of(
        "after beginHandshake: NEED_WRAP",
        "wrap: OK FINISHED produced",
        "peer unwrap: OK NEED_WRAP consumed",
        "peer wrap: OK FINISHED produced",
        "unwrap: OK FINISHED consumed",
        "after: NOT_HANDSHAKING NOT_HANDSHAKING");

    @ParameterizedTest(name = "{0} client, {1} server, {2} initiates")
    @CsvSource({"NATIVE,NATIVE,client", "NATIVE,NATIVE,server", "NATIVE,SUN,client", "SUN,NATIVE,client",
        "NATIVE,SUN,server", "SUN,NATIVE,server", "SUN,SUN,client", "SUN,SUN,server"})
    void beginHandshakeSendsARequestedKeyUpdate(Impl client, Impl server, String initiator) throws Exception {
        SSLEngine c = Contexts.client(client).createSSLEngine("localhost", 443);
        c.setEnabledProtocols(new String[] {"TLSv1.3"});
        SSLEngine s = Contexts.server(server, "server-ec").createSSLEngine();
        EnginePair pair = new EnginePair(c, s);
        pair.handshake();
        pair.exchange(1000, 1); // the tickets and any other post-handshake message are through

        SSLEngine from = initiator.equals("client") ? c : s;
        SSLEngine to = from == c ? s : c;
        List<String> steps = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            steps.clear();
            from.beginHandshake();
            steps.add("after beginHandshake: " + from.getHandshakeStatus());
            ByteBuffer wire = ByteBuffer.allocate(from.getSession().getPacketBufferSize());
            ByteBuffer app = ByteBuffer.allocate(to.getSession().getApplicationBufferSize());
            steps.add(step("wrap", from.wrap(ByteBuffer.allocate(0), wire)));
            wire.flip();
            steps.add(step("peer unwrap", to.unwrap(wire, app)));
            assertFalse(wire.hasRemaining(), "one record, all consumed: " + steps);
            assertEquals(0, app.position(), "no application data");
            ByteBuffer back = ByteBuffer.allocate(to.getSession().getPacketBufferSize());
            steps.add(step("peer wrap", to.wrap(ByteBuffer.allocate(0), back)));
            back.flip();
            ByteBuffer app2 = ByteBuffer.allocate(from.getSession().getApplicationBufferSize());
            steps.add(step("unwrap", from.unwrap(back, app2)));
            steps.add("after: " + from.getHandshakeStatus() + " " + to.getHandshakeStatus());
            assertEquals(EXPECTED, steps, "round " + round);
            pair.exchange(20_000, 2 + round); // both directions under the updated keys
        }
        assertTrue(c.getSession().isValid() && s.getSession().isValid());
        assertEquals("TLSv1.3", c.getSession().getProtocol());
    }

    private static String step(String what, SSLEngineResult r) {
        String moved = r.bytesProduced() > 0 ? " produced" : r.bytesConsumed() > 0 ? " consumed" : " nothing";
        return what + ": " + r.getStatus() + " " + r.getHandshakeStatus() + moved;
    }
}
