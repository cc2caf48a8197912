package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.RecordLimits;
import io.nativetls.internal.ssl.SslHandle;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;

/**
 * What a TLS record header may say, judged from the header alone before any of the record goes to
 * OpenSSL. OpenSSL looks at a record's content type only once it has read the whole body, and
 * unwrap hands it whole records; so without this a header that is not TLS (plaintext HTTP, a
 * port scanner, garbage) would have the engine wait for a body that may never come, taking what
 * does come with OK and nothing to show for it.
 *
 * <p>The rules are the same in every state, before, during and after the handshake:
 * <ul>
 * <li>content type 20 to 23 (change_cipher_spec, alert, handshake, application_data); 24
 *     (heartbeat) too is refused, as NativeTLS never negotiates the extension;</li>
 * <li>major version 3 (OpenSSL checks the minor version against the negotiated one);</li>
 * <li>a body of at most 2^14 + 2048 bytes (TLSCiphertext, RFC 5246 6.2.3), at most 2^14 + 256
 *     once TLS 1.3 is negotiated (RFC 8446 5.2).</li>
 * </ul>
 * One exception: a server's first record may be an SSLv2-format ClientHello (first byte with the
 * high bit set, message type 1 in the third), which is refused as just that.
 *
 * <p>A header is judged as soon as the byte that decides is there: the type from the first byte,
 * the version from the second, the length from the fifth.
 *
 * <p>And a handshake may take at most {@link #MAX_QUIET_HANDSHAKE} bytes of records before OpenSSL
 * has something to say (its next flight, the end of the handshake): more than the longest flight
 * a legitimate peer can send, which OpenSSL's message limits bound at about 336 KiB (a TLS 1.2
 * server's: ServerHello 20,000 bytes, Certificate, ServerKeyExchange and CertificateRequest
 * 102,400 each, CertificateStatus 16,384). Without it a client would take an endless stream of
 * HelloRequests, which OpenSSL ignores during a handshake (as RFC 5246 lets it). That count is
 * the one piece of state here: each engine has its own RecordFraming.
 *
 * <p>The record sizes are defined here once for the JSSE layer: the engine, the sockets' buffers
 * and the sessions' buffer sizes all take them from this class.
 */
final class RecordFraming {
    static final int HEADER = RecordLimits.HEADER;
    static final int MAX_PLAINTEXT = RecordLimits.MAX_PLAINTEXT;
    static final int MAX_BODY = RecordLimits.MAX_BODY;
    /** The largest record, header included: what one whole record needs of a buffer. */
    static final int MAX_RECORD = HEADER + MAX_BODY;
    static final int MAX_TLS13_BODY = MAX_PLAINTEXT + 256;
    static final long MAX_QUIET_HANDSHAKE = 1L << 19;

    /** {@link #check}: more bytes are needed to judge the header (larger than any available count). */
    static final int INCOMPLETE = Integer.MAX_VALUE;
    /** {@link #check}: refusals. */
    static final int BAD_TYPE = -1;
    static final int BAD_VERSION = -2;
    static final int TOO_LONG = -3;
    static final int SSLV2_HELLO = -4;
    /** Not from {@link #check}: the record would take the handshake past {@link #MAX_QUIET_HANDSHAKE}. */
    static final int FLOOD = -5;
    /** Not from {@link #check}: longer than TLS 1.3 allows, on a connection that negotiated it. */
    static final int TOO_LONG_TLS13 = -6;

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int APPLICATION_DATA = 23;
    private static final int SSL2_MT_CLIENT_HELLO = 1;

    /** Bytes the handshake has taken since OpenSSL last had something to say (see {@link #FLOOD}). */
    private long quietHandshakeBytes;

    /**
     * The verdict on the record at {@code at} for this engine: {@link #check}'s, narrowed to TLS
     * 1.3's limit when tls13 says that protocol applies (asked only for a header that needs it),
     * and {@link #FLOOD} for a record that would take a handshake past its quiet bytes.
     */
    int judge(ByteBuffer src, int at, int available, boolean firstServerRecord, boolean handshaking,
              BooleanSupplier tls13) {
        int verdict = check(src, at, available, firstServerRecord);
        if (verdict > HEADER + MAX_TLS13_BODY && verdict != INCOMPLETE && tls13.getAsBoolean()) {
            return TOO_LONG_TLS13;
        }
        if (verdict >= 0 && verdict != INCOMPLETE && handshaking
            && quietHandshakeBytes + verdict > MAX_QUIET_HANDSHAKE) {
            return FLOOD;
        }
        return verdict;
    }

    /** OpenSSL took consumed bytes of records; handshakeMoved: it then had output, or finished. */
    void recordTaken(int consumed, boolean handshakeMoved) {
        quietHandshakeBytes = handshakeMoved ? 0 : quietHandshakeBytes + consumed;
    }

    /** Whether the record at {@code at} (whose header has been judged) carries application data. */
    static boolean isApplicationData(ByteBuffer src, int at) {
        return (src.get(at) & 0xff) == APPLICATION_DATA;
    }

    /**
     * The whole length (header included) of the record at {@code at}, given {@code available}
     * bytes there: {@link #INCOMPLETE} while the header cannot be judged yet, a negative refusal
     * if it cannot be TLS. firstServerRecord: this is the first record a server reads.
     */
    static int check(ByteBuffer src, int at, int available, boolean firstServerRecord) {
        if (available < 1) {
            return INCOMPLETE;
        }
        int type = src.get(at) & 0xff;
        if (type < CHANGE_CIPHER_SPEC || type > APPLICATION_DATA) {
            if ((type & 0x80) == 0 || !firstServerRecord) {
                return BAD_TYPE;
            }
            if (available < 3) {
                return INCOMPLETE;
            }
            return src.get(at + 2) == SSL2_MT_CLIENT_HELLO ? SSLV2_HELLO : BAD_TYPE;
        }
        if (available < 2) {
            return INCOMPLETE;
        }
        if (src.get(at + 1) != 3) {
            return BAD_VERSION;
        }
        if (available < HEADER) {
            return INCOMPLETE;
        }
        int body = bodyLength(src, at);
        return body > MAX_BODY ? TOO_LONG : HEADER + body;
    }

    /** The {@code SslHandle.REFUSE_*} problem of a refusal; 0 for an SSLv2 hello, which gets no alert. */
    static int problem(int verdict) {
        switch (verdict) {
            case BAD_TYPE:
            case FLOOD:
                return SslHandle.REFUSE_UNEXPECTED;
            case BAD_VERSION:
                return SslHandle.REFUSE_VERSION;
            case TOO_LONG:
            case TOO_LONG_TLS13:
                return SslHandle.REFUSE_LENGTH;
            default:
                return 0;
        }
    }

    /**
     * The exception for a refusal: SSLHandshakeException during the handshake, else
     * SSLProtocolException; worded as SunJSSE words it where it has words for it.
     */
    static SSLException refusal(int verdict, ByteBuffer src, int at, int available, boolean handshaking) {
        String message;
        switch (verdict) {
            case SSLV2_HELLO:
                return new SSLHandshakeException("SSLv2-format ClientHello is not supported");
            case BAD_TYPE:
                message = "Unrecognized SSL message, plaintext connection? (record content type "
                    + (src.get(at) & 0xff) + ")";
                break;
            case BAD_VERSION:
                message = "Unrecognized record version " + (available > 2
                    ? String.format("0x%02x%02x", src.get(at + 1) & 0xff, src.get(at + 2) & 0xff)
                    : String.format("0x%02x..", src.get(at + 1) & 0xff)) + ", plaintext connection?";
                break;
            case TOO_LONG:
            case TOO_LONG_TLS13:
                message = "Input record too big: max = " + (verdict == TOO_LONG ? MAX_BODY : MAX_TLS13_BODY)
                    + " len = " + bodyLength(src, at);
                break;
            case FLOOD:
                message = "The peer sent more than " + MAX_QUIET_HANDSHAKE + " bytes of records without the"
                    + " handshake moving on (more than any handshake flight)";
                break;
            default:
                throw new IllegalArgumentException("not a refusal: " + verdict);
        }
        return handshaking ? new SSLHandshakeException(message) : new SSLProtocolException(message);
    }

    /** The same refusal, saying why the peer gets no alert: that never happens silently. */
    static SSLException withoutAlert(SSLException refusal, String why) {
        String message = refusal.getMessage() + " (no alert for the peer: " + why + ")";
        return refusal instanceof SSLHandshakeException ? new SSLHandshakeException(message)
            : new SSLProtocolException(message);
    }

    private static int bodyLength(ByteBuffer src, int at) {
        return ((src.get(at + 3) & 0xff) << 8) | (src.get(at + 4) & 0xff);
    }
}
