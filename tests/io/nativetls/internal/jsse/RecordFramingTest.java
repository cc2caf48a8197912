package io.nativetls.internal.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativetls.internal.ssl.SslHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;
import org.junit.jupiter.api.Test;

/** Record headers judged before OpenSSL sees them, and the handshake's quiet-bytes bound. */
class RecordFramingTest {
    private static final BooleanSupplier NOT_TLS13 = () -> false;
    private static final BooleanSupplier NOT_ASKED = () -> {
        throw new AssertionError("the protocol should not be asked for this header");
    };

    private static ByteBuffer header(int type, int major, int bodyLength) {
        return ByteBuffer.wrap(new byte[] {(byte) type, (byte) major, 3, (byte) (bodyLength >> 8), (byte) bodyLength});
    }

    @Test
    void aTlsHeaderGivesTheWholeRecordLength() {
        assertEquals(5 + 512, RecordFraming.check(header(22, 3, 512), 0, 5, true));
        assertEquals(5 + RecordFraming.MAX_BODY, RecordFraming.check(header(23, 3, RecordFraming.MAX_BODY), 0, 5, false));
        assertTrue(RecordFraming.isApplicationData(header(23, 3, 1), 0));
    }

    @Test
    void eachVerdictWaitsOnlyForTheByteThatDecidesIt() {
        assertEquals(RecordFraming.INCOMPLETE, RecordFraming.check(header(22, 3, 1), 0, 0, false));
        assertEquals(RecordFraming.INCOMPLETE, RecordFraming.check(header(22, 3, 1), 0, 1, false));
        assertEquals(RecordFraming.INCOMPLETE, RecordFraming.check(header(22, 3, 1), 0, 4, false));
        assertEquals(RecordFraming.BAD_TYPE, RecordFraming.check(header(24, 3, 1), 0, 1, false));
        assertEquals(RecordFraming.BAD_VERSION, RecordFraming.check(header(22, 2, 1), 0, 2, false));
        assertEquals(RecordFraming.TOO_LONG, RecordFraming.check(header(22, 3, RecordFraming.MAX_BODY + 1), 0, 5, false));
    }

    @Test
    void plaintextIsRefusedFromItsFirstByte() {
        ByteBuffer http = ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(RecordFraming.BAD_TYPE, RecordFraming.check(http, 0, 1, true));
        SSLProtocolException e = assertInstanceOf(SSLProtocolException.class,
            RecordFraming.refusal(RecordFraming.BAD_TYPE, http, 0, 1, false));
        assertTrue(e.getMessage().contains("plaintext connection?"), e.getMessage());
        assertEquals(SslHandle.REFUSE_UNEXPECTED, RecordFraming.problem(RecordFraming.BAD_TYPE));
    }

    @Test
    void anSslv2HelloIsNamedOnlyAsAServersFirstRecordAndGetsNoAlert() {
        ByteBuffer v2 = ByteBuffer.wrap(new byte[] {(byte) 0x80, 0x2e, 1, 3, 1});
        assertEquals(RecordFraming.SSLV2_HELLO, RecordFraming.check(v2, 0, 3, true));
        assertEquals(RecordFraming.INCOMPLETE, RecordFraming.check(v2, 0, 2, true));
        assertEquals(RecordFraming.BAD_TYPE, RecordFraming.check(v2, 0, 3, false));
        assertEquals(0, RecordFraming.problem(RecordFraming.SSLV2_HELLO));
        assertInstanceOf(SSLHandshakeException.class, RecordFraming.refusal(RecordFraming.SSLV2_HELLO, v2, 0, 3, false));
    }

    @Test
    void tls13sLimitAppliesOnlyOnceNegotiatedAndIsAskedOnlyWhenItMatters() {
        RecordFraming framing = new RecordFraming();
        int body = RecordFraming.MAX_TLS13_BODY + 1;
        assertEquals(5 + body, framing.judge(header(23, 3, body), 0, 5, false, false, NOT_TLS13));
        assertEquals(RecordFraming.TOO_LONG_TLS13, framing.judge(header(23, 3, body), 0, 5, false, false, () -> true));
        assertEquals(5 + RecordFraming.MAX_TLS13_BODY,
            framing.judge(header(23, 3, RecordFraming.MAX_TLS13_BODY), 0, 5, false, false, NOT_ASKED));
        assertEquals(RecordFraming.INCOMPLETE, framing.judge(header(23, 3, body), 0, 4, false, false, NOT_ASKED));
        String message = RecordFraming.refusal(RecordFraming.TOO_LONG_TLS13, header(23, 3, body), 0, 5, false)
            .getMessage();
        assertEquals("Input record too big: max = " + RecordFraming.MAX_TLS13_BODY + " len = " + body, message);
        assertEquals(SslHandle.REFUSE_LENGTH, RecordFraming.problem(RecordFraming.TOO_LONG_TLS13));
        assertEquals(SslHandle.REFUSE_LENGTH, RecordFraming.problem(RecordFraming.TOO_LONG));
    }

    @Test
    void aHandshakeTakesBoundedQuietBytes() {
        RecordFraming framing = new RecordFraming();
        ByteBuffer record = header(22, 3, 1000);
        framing.recordTaken((int) RecordFraming.MAX_QUIET_HANDSHAKE - 1000, false);
        assertEquals(1005, framing.judge(record, 0, 5, false, false, NOT_ASKED), "after the handshake: no bound");
        assertEquals(RecordFraming.FLOOD, framing.judge(record, 0, 5, false, true, NOT_ASKED));
        assertEquals(RecordFraming.INCOMPLETE, framing.judge(record, 0, 4, false, true, NOT_ASKED));
        framing.recordTaken(1005, true);
        assertEquals(1005, framing.judge(record, 0, 5, false, true, NOT_ASKED), "OpenSSL spoke: the count starts again");
        assertInstanceOf(SSLHandshakeException.class, RecordFraming.refusal(RecordFraming.FLOOD, record, 0, 5, true));
    }

    @Test
    void aRefusalWithoutAlertSaysWhyAndKeepsItsKind() {
        ByteBuffer record = header(22, 2, 1);
        assertEquals(SslHandle.REFUSE_VERSION, RecordFraming.problem(RecordFraming.BAD_VERSION));
        SSLHandshakeException e = assertInstanceOf(SSLHandshakeException.class, RecordFraming.withoutAlert(
            RecordFraming.refusal(RecordFraming.BAD_VERSION, record, 0, 3, true), "closed"));
        assertEquals("Unrecognized record version 0x0203, plaintext connection? (no alert for the peer: closed)",
            e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RecordFraming.refusal(10, record, 0, 5, true));
    }
}
