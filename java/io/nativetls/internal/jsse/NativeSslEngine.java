package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.NativeFailure;
import io.nativetls.internal.ssl.RecordLimits;
import io.nativetls.internal.ssl.CipherSuites;
import io.nativetls.internal.ssl.Protocols;
import io.nativetls.internal.ssl.RecordResult;
import io.nativetls.internal.ssl.SessionHandle;
import io.nativetls.internal.ssl.SslContextHandle;
import io.nativetls.internal.ssl.SslHandle;
import io.nativetls.internal.ssl.Transport;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * SSLEngine over one OpenSSL connection. Every public operation takes the engine's lock (JSSE lets
 * wrap and unwrap run on two threads; OpenSSL does not), so the lock guards both the Java state
 * below and every native call, including the final free.
 *
 * <p>unwrap hands OpenSSL exactly one whole record per call, which makes BUFFER_UNDERFLOW consume
 * nothing and lets BUFFER_OVERFLOW be decided before anything is decrypted.
 */
final class NativeSslEngine extends SSLEngine implements SslHandle.Listener {
    private static final int MAX_PLAINTEXT = RecordLimits.MAX_PLAINTEXT;
    private static final int APPLICATION_DATA = 23;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private enum Phase { NEW, HANDSHAKING, ESTABLISHED }

    private final ReentrantLock lock = new ReentrantLock();
    private final SslContextHandle context;
    private final NativeSslContextSpi owner;
    private final EngineConfig config;
    private final Transport transport;
    /**
     * Whether a TLS 1.3 close_notify from the peer leaves our direction open (half-close). Sockets
     * do, as SunJSSE's: their application sees -1 and closes when it is done. Engines answer at
     * once unless jdk.tls.acknowledgeCloseNotify=false: engine users such as the JDK's HttpClient
     * wait for the outbound side to close before they release a connection the server ended.
     */
    private final boolean halfClose;

    private Phase phase = Phase.NEW;
    private SslHandle ssl;
    private boolean nativeFinished;
    /** Whether a record has gone to OpenSSL: a refusal before that needs no keys for its alert. */
    private boolean recordsRead;
    /** Bytes the handshake has taken since OpenSSL last had something to say (RecordFraming.FLOOD). */
    private long quietHandshakeBytes;
    private boolean pendingOutput;
    private boolean inboundDone;
    private boolean outboundDone;
    private boolean outboundClosing;
    private boolean receivedCloseNotify;
    /** closeOutbound came from a callback while OpenSSL was busy: close_notify is made by the next wrap. */
    private boolean closeNotifyDeferred;
    private NativeSslSession session;
    private NativeSslSession nullSession;
    private volatile NativeSslSession handshakeSession;
    /** The cached session this client offered to resume, if any. */
    private NativeSslSession offered;
    /**
     * The native session OpenSSL made during the handshake (client: to offer next time; server:
     * a TLS 1.2 session a client may ask for by id), kept once the final session object is known.
     */
    private SessionHandle newSession;
    private byte[] newSessionId;
    /** Server: the protocol chosen from the client's ALPN list ("" for none), during the handshake. */
    private volatile String chosenApplicationProtocol;
    /** After the handshake: the negotiated application protocol, "" for none. */
    private volatile String applicationProtocol;
    /** Server: the cached session the client's ticket or session id names, if still resumable. */
    private NativeSslSession resumeCandidate;
    /** Server: a ticket was issued in this handshake, so the session is known by its token. */
    private boolean ticketIssued;
    private byte[] staging;
    private byte[] recordStaging;

    NativeSslEngine(SslContextHandle context, NativeSslContextSpi owner, String host, int port) {
        this(context, owner, host, port, null);
    }

    /**
     * An engine that runs the TLS of a socket: key and trust managers are then shown the socket,
     * not this engine, as SunJSSE would.
     */
    NativeSslEngine(SslContextHandle context, NativeSslContextSpi owner, String host, int port, SSLSocket socket) {
        super(host, port);
        this.context = context;
        this.owner = owner;
        this.config = new EngineConfig(owner.defaults());
        this.transport = socket != null ? Transport.of(socket) : Transport.of(this);
        this.halfClose = socket != null || "false".equalsIgnoreCase(System.getProperty("jdk.tls.acknowledgeCloseNotify"));
    }

    // ---- wrap ---------------------------------------------------------------------------------

    @Override
    public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        if (src == null) {
            throw new IllegalArgumentException("src is null");
        }
        return wrap(null, 0, 0, src, dst);
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        checkArray(srcs, offset, length, "srcs");
        return wrap(srcs, offset, length, null, dst);
    }

    private SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer single, ByteBuffer dst)
        throws SSLException {
        checkDestination(dst);
        lock.lock();
        try {
            checkNotInCallback();
            if (outboundDone) {
                return result(Status.CLOSED, false, 0, 0);
            }
            start();
            long r;
            int consumed = 0;
            if (outboundClosing) {
                if (closeNotifyDeferred) {
                    closeNotifyDeferred = false;
                    track(RecordResult.flags(ssl.shutdown()));
                }
                r = ssl.drain(dst);
            } else if (phase != Phase.ESTABLISHED || pendingOutput) {
                r = ssl.wrap(EMPTY, 0, dst);
            } else {
                ByteBuffer src = single != null ? single : soleSource(srcs, offset, length);
                if (src != null && (src.isDirect() || src.hasArray())) {
                    r = ssl.wrap(src, src.remaining(), dst);
                    consumed = RecordResult.consumed(r);
                    src.position(src.position() + consumed);
                } else {
                    ByteBuffer gathered = gather(single, srcs, offset, length);
                    r = ssl.wrap(gathered, gathered.remaining(), dst);
                    consumed = RecordResult.consumed(r);
                    advance(single, srcs, offset, length, consumed);
                }
            }
            int produced = RecordResult.produced(r);
            dst.position(dst.position() + produced);
            int flags = RecordResult.flags(r);
            track(flags);
            if (outboundClosing && !pendingOutput) {
                outboundDone = true;
            }
            boolean finished = finishHandshakeIfDone(flags);
            Status status = RecordResult.overflow(flags) ? Status.BUFFER_OVERFLOW
                : outboundDone ? Status.CLOSED : Status.OK;
            SSLEngineResult result = result(status, finished, consumed, produced);
            releaseIfDone();
            return result;
        } catch (SSLException e) {
            throw failed(e);
        } catch (Error e) {
            throw abandoned(e);
        } finally {
            lock.unlock();
        }
    }

    private static ByteBuffer soleSource(ByteBuffer[] srcs, int offset, int length) {
        ByteBuffer found = null;
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                if (found != null) {
                    return null;
                }
                found = srcs[i];
            }
        }
        return found != null ? found : EMPTY;
    }

    /** Copies up to one record's worth of the sources into the staging array, leaving them as they are. */
    private ByteBuffer gather(ByteBuffer single, ByteBuffer[] srcs, int offset, int length) {
        byte[] buf = staging();
        int filled = 0;
        int end = single != null ? 1 : offset + length;
        for (int i = single != null ? 0 : offset; i < end && filled < buf.length; i++) {
            ByteBuffer b = single != null ? single : srcs[i];
            int n = Math.min(b.remaining(), buf.length - filled);
            b.get(b.position(), buf, filled, n);
            filled += n;
        }
        return ByteBuffer.wrap(buf, 0, filled);
    }

    private static void advance(ByteBuffer single, ByteBuffer[] srcs, int offset, int length, int consumed) {
        if (single != null) {
            single.position(single.position() + consumed);
            return;
        }
        for (int i = offset; i < offset + length && consumed > 0; i++) {
            int n = Math.min(srcs[i].remaining(), consumed);
            srcs[i].position(srcs[i].position() + n);
            consumed -= n;
        }
    }

    // ---- unwrap -------------------------------------------------------------------------------

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        checkDestination(dst);
        return unwrap(src, null, 0, 0, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        checkArray(dsts, offset, length, "dsts");
        for (int i = offset; i < offset + length; i++) {
            checkDestination(dsts[i]);
        }
        return unwrap(src, dsts, offset, length, null);
    }

    private SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length, ByteBuffer single)
        throws SSLException {
        if (src == null) {
            throw new IllegalArgumentException("src is null");
        }
        lock.lock();
        try {
            checkNotInCallback();
            if (inboundDone) {
                return result(Status.CLOSED, false, 0, 0);
            }
            start();
            int available = src.remaining();
            int at = src.position();
            int recordLength = framedLength(src, at, available);
            if (available < recordLength) {
                return result(Status.BUFFER_UNDERFLOW, false, 0, 0);
            }
            int type = src.get(at) & 0xff;
            int bodyLength = recordLength - RecordFraming.HEADER;
            int needed = nativeFinished && type == APPLICATION_DATA ? Math.min(bodyLength, MAX_PLAINTEXT) : 0;
            ByteBuffer dst = single != null ? single : roomyDestination(dsts, offset, length, needed);
            if (dst == null) {
                if (needed > remaining(dsts, offset, length)) {
                    return result(Status.BUFFER_OVERFLOW, false, 0, 0);
                }
                dst = ByteBuffer.wrap(staging());
            } else if (dst.remaining() < needed) {
                return result(Status.BUFFER_OVERFLOW, false, 0, 0);
            }
            recordsRead = true;
            long r = ssl.unwrap(readable(src, recordLength), recordLength, dst);
            int consumed = RecordResult.consumed(r);
            int produced = RecordResult.produced(r);
            src.position(src.position() + consumed);
            if (dst.hasArray() && dst.array() == staging && single == null) {
                scatter(staging, produced, dsts, offset, length);
            } else {
                dst.position(dst.position() + produced);
            }
            int flags = RecordResult.flags(r);
            track(flags);
            quietHandshakeBytes = (RecordResult.pending(flags) || RecordResult.finished(flags)) ? 0
                : quietHandshakeBytes + consumed;
            if (RecordResult.receivedShutdown(flags) && !inboundDone) {
                receivedCloseNotify = true;
                inboundDone = true;
                // TLS 1.2 must answer close_notify. TLS 1.3 closes each direction on its own; see halfClose.
                if (!halfClose || session == null || !Protocols.TLS13.equals(session.getProtocol())) {
                    closeOutboundLocked();
                }
            }
            boolean finished = finishHandshakeIfDone(flags);
            SSLEngineResult result = result(inboundDone ? Status.CLOSED : Status.OK, finished, consumed, produced);
            releaseIfDone();
            return result;
        } catch (SSLException e) {
            throw failed(e);
        } catch (Error e) {
            throw abandoned(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The length of the record at src's position, header included; RecordFraming.INCOMPLETE
     * while the header cannot be judged. A header no TLS peer sends is refused here, before
     * OpenSSL sees any of it: OpenSSL would judge the type only after the whole body.
     */
    private int framedLength(ByteBuffer src, int at, int available) throws SSLException {
        int verdict = RecordFraming.check(src, at, available, RecordFraming.MAX_BODY,
            !recordsRead && !config.clientMode);
        int maxBody = RecordFraming.MAX_BODY;
        if (RecordFraming.tooLongForTls13(verdict) && negotiatedTls13()) {
            verdict = RecordFraming.TOO_LONG;
            maxBody = RecordFraming.MAX_TLS13_BODY;
        }
        if (verdict != RecordFraming.INCOMPLETE && verdict >= 0 && phase == Phase.HANDSHAKING
            && quietHandshakeBytes + verdict > RecordFraming.MAX_QUIET_HANDSHAKE) {
            verdict = RecordFraming.FLOOD;
        }
        if (verdict >= 0) {
            return verdict;
        }
        SSLException refusal = RecordFraming.refusal(verdict, src, at, available, maxBody,
            phase != Phase.ESTABLISHED);
        int problem = RecordFraming.problem(verdict);
        if (problem == 0) {
            throw refusal; // an SSLv2 hello: its sender would not read a TLS alert
        }
        // The peer is told why, as SunJSSE tells it: the fatal alert waits for the next wrap.
        if (outboundDone || outboundClosing) {
            throw RecordFraming.withoutAlert(refusal, "this side had already closed");
        }
        if (ssl == null || ssl.isClosed() || ssl.refuseRecord(problem, !recordsRead) == 0) {
            throw RecordFraming.withoutAlert(refusal, "OpenSSL made none");
        }
        throw refusal;
    }

    /**
     * Whether TLS 1.3 applies, asked of OpenSSL only for the rare header that needs it. Before the
     * hellos OpenSSL reports the highest version enabled; every record is plaintext then, at most
     * 2^14 bytes, so TLS 1.3's tighter limit refuses nothing a peer may send.
     */
    private boolean negotiatedTls13() {
        if (session != null) {
            return Protocols.TLS13.equals(session.getProtocol());
        }
        return ssl != null && !ssl.isClosed() && Protocols.TLS13.equals(ssl.sessionInfo()[0]);
    }

    /**
     * The buffer to decrypt into directly: the first one with room, if it can take the whole
     * record. Otherwise null, and the record goes through staging to be scattered in order.
     */
    private static ByteBuffer roomyDestination(ByteBuffer[] dsts, int offset, int length, int needed) {
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer b = dsts[i];
            if (b.hasRemaining() || needed == 0) {
                return b.remaining() >= needed && (b.isDirect() || b.hasArray()) ? b : null;
            }
        }
        return null;
    }

    private static long remaining(ByteBuffer[] dsts, int offset, int length) {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += dsts[i].remaining();
        }
        return total;
    }

    private static void scatter(byte[] from, int count, ByteBuffer[] dsts, int offset, int length) {
        int done = 0;
        for (int i = offset; i < offset + length && done < count; i++) {
            int n = Math.min(dsts[i].remaining(), count - done);
            dsts[i].put(from, done, n);
            done += n;
        }
    }

    /** src itself, unless it is a read-only heap buffer (no array to hand over): then a copy. */
    private ByteBuffer readable(ByteBuffer src, int length) {
        if (src.isDirect() || src.hasArray()) {
            return src;
        }
        if (recordStaging == null) {
            recordStaging = new byte[RecordFraming.HEADER + RecordFraming.MAX_BODY];
        }
        src.get(src.position(), recordStaging, 0, length);
        return ByteBuffer.wrap(recordStaging, 0, length);
    }

    private byte[] staging() {
        if (staging == null) {
            staging = new byte[MAX_PLAINTEXT];
        }
        return staging;
    }

    // ---- state --------------------------------------------------------------------------------

    /** wrap, unwrap and beginHandshake from a callback of this engine's own handshake are refused. */
    private void checkNotInCallback() {
        if (ssl != null) {
            ssl.checkNotInCall();
        }
    }

    /** Creates and configures the native connection on first use; clients then write their hello. */
    private void start() throws SSLException {
        if (phase != Phase.NEW) {
            return;
        }
        if (!config.modeSet) {
            throw new IllegalStateException("Client/Server mode has not yet been set.");
        }
        EngineConfig.Native settings = config.nativeSettings(getPeerHost());
        if (settings.protocols == 0) {
            inboundDone = true;
            outboundDone = true;
            throw NegotiationHint.noProtocolEnabled(this,
                "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)");
        }
        ssl = context.newConnection(config.clientMode, transport, this, settings.tls12Ciphers, settings.tls13Suites);
        ssl.configure(settings.protocols, settings.serverName, settings.clientAuth);
        ssl.configureExtensions(settings.alpn, settings.serverPreference, settings.signatureSchemes, settings.groups);
        NativeSslSession hs = new NativeSslSession(owner.sessionContext(config.clientMode), getPeerHost(),
            getPeerPort());
        if (settings.serverName != null) {
            hs.requestedServerNames(List.of(new SNIHostName(settings.serverName)));
        }
        handshakeSession = hs;
        phase = Phase.HANDSHAKING;
        if (config.clientMode) {
            offerCachedSession(settings.serverName);
            track(RecordResult.flags(ssl.handshake()));
        }
    }

    /** Offers the newest session with this peer, if this engine could have made it (see ResumptionRules). */
    private void offerCachedSession(String serverName) throws SSLException {
        NativeSslSession cached = owner.sessionContext(true).findClient(getPeerHost(), getPeerPort());
        if (cached == null) {
            return;
        }
        SessionHandle resumption = cached.resumption();
        if (resumption == null || !ResumptionRules.clientMayOffer(cached, config, serverName)) {
            return;
        }
        if (ssl.offerSession(resumption)) {
            offered = cached;
        }
    }

    private void track(int flags) {
        pendingOutput = RecordResult.pending(flags) || closeNotifyDeferred;
        nativeFinished = RecordResult.finished(flags);
    }

    /** FINISHED is reported once: when OpenSSL is done and the last handshake bytes have gone out. */
    private boolean finishHandshakeIfDone(int flags) throws SSLException {
        if (phase != Phase.HANDSHAKING || !RecordResult.finished(flags)
            || RecordResult.pending(flags) || ssl.isClosed()) {
            return false; // not done yet, or a callback closed the engine while OpenSSL finished
        }
        NativeSslSession s = resumedSession();
        if (s == null) {
            s = handshakeSession;
            String[] info = ssl.sessionInfo();
            s.negotiating(info[0], info[1]);
            s.peerSignatureScheme(info[2]);
            s.peerCertificates(ssl.peerCertificates());
            s.localCertificates(ssl.localCertificates());
            s.established(newSessionId(), config.endpointIdentification);
        }
        s.accessed();
        String alpn = ssl.applicationProtocol();
        applicationProtocol = alpn != null ? alpn : "";
        session = s;
        handshakeSession = null;
        offered = null;
        phase = Phase.ESTABLISHED;
        HandshakeLog.completed(this, s, ssl);
        keepNewSessions();
        return true;
    }

    /** The existing session object this handshake resumed, so users see the same SSLSession. */
    private NativeSslSession resumedSession() {
        if (!ssl.sessionReused()) {
            return null;
        }
        NativeSslSession found = config.clientMode ? offered : resumeCandidate;
        return found != null && found.isValid() ? found : null;
    }

    /** The id a new session gets: OpenSSL's, except a server session known by its tickets' token. */
    private byte[] newSessionId() {
        byte[] nativeId = ssl.sessionId();
        if (!config.clientMode && (ticketIssued || nativeId.length == 0)) {
            return handshakeSession.token();
        }
        return nativeId;
    }

    /** Hands what OpenSSL reported during the handshake (or after it: TLS 1.3 tickets) to the cache. */
    private void keepNewSessions() {
        NativeSessionContext cache = owner.sessionContext(config.clientMode);
        SessionHandle handle = newSession;
        byte[] handleId = newSessionId;
        newSession = null;
        newSessionId = null;
        if (config.clientMode) {
            if (handle != null) {
                session.resumption(handle);
            }
            cache.rememberClient(session);
            return;
        }
        cache.rememberServer(session.getId(), session);
        if (handle != null) {
            if (java.util.Arrays.equals(handleId, session.getId())) {
                session.resumption(handle); // a TLS 1.2 session clients may ask for by id
            } else {
                handle.release();
            }
        }
    }

    @Override
    public void sessionCreated(SessionHandle handle, byte[] id, boolean tls13) {
        if (inboundDone && outboundDone) {
            handle.release(); // a callback closed the engine earlier in this handshake
            return;
        }
        if (!config.clientMode && (tls13 || id.length == 0)) {
            handle.release(); // tickets carry these sessions; the server keeps nothing native
            return;
        }
        releaseNewSession();
        newSession = handle;
        newSessionId = id;
        if (phase == Phase.ESTABLISHED && session != null && session.isValid()) {
            keepNewSessions();
        }
    }

    @Override
    public SessionHandle findSession(byte[] id, String serverName) {
        NativeSslSession found = owner.sessionContext(false).findServer(id);
        if (found != null && !ResumptionRules.serverMayResume(found, config, serverName)) {
            found = null;
        }
        resumeCandidate = found;
        return found == null ? null : found.resumption();
    }

    @Override
    public boolean acceptTicket(byte[] token, long createdSeconds, String serverName) {
        NativeSessionContext cache = owner.sessionContext(false);
        NativeSslSession found = cache.findServer(token);
        if (found == null || cache.expired(createdSeconds * 1000)
            || !ResumptionRules.serverMayResume(found, config, serverName)) {
            return false;
        }
        resumeCandidate = found;
        return true;
    }

    @Override
    public void peerSignatureAlgorithms(String[] algorithms) {
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.peerSignatureAlgorithms(algorithms);
        }
    }

    @Override
    public int selectApplicationProtocol(List<String> offered) {
        BiFunction<SSLEngine, List<String>, String> selector = config.alpnSelector;
        int chosen;
        if (offered.isEmpty()) {
            chosen = SslHandle.ALPN_NONE; // the client offered none: known now that ALPN is not used
        } else if (selector != null) {
            String answer = selector.apply(this, List.copyOf(offered));
            // As SunJSSE: "" declines ALPN; null or a protocol the client did not offer is fatal.
            chosen = answer == null ? SslHandle.ALPN_FATAL : answer.isEmpty() ? SslHandle.ALPN_NONE
                : offered.indexOf(answer) >= 0 ? offered.indexOf(answer) : SslHandle.ALPN_FATAL;
        } else if (config.applicationProtocols.length > 0) {
            chosen = SslHandle.ALPN_FATAL;
            for (String mine : config.applicationProtocols) {
                if (offered.contains(mine)) {
                    chosen = offered.indexOf(mine); // the server's preference decides
                    break;
                }
            }
        } else {
            chosen = SslHandle.ALPN_NONE;
        }
        chosenApplicationProtocol = chosen >= 0 ? offered.get(chosen) : "";
        return chosen;
    }

    @Override
    public boolean serverNameReceived(SNIHostName name) {
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.requestedServerNames(List.of(name));
        }
        if (config.sniMatchers == null || config.sniMatchers.isEmpty()) {
            return true;
        }
        // As SunJSSE: with matchers configured, some matcher of the name's type must accept it.
        for (SNIMatcher matcher : config.sniMatchers) {
            if (matcher.getType() == name.getType() && matcher.matches(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String failureHint(NativeFailure failure) {
        return NegotiationHint.of(this, failure);
    }

    @Override
    public byte[] ticketToken() {
        ticketIssued = true;
        NativeSslSession target = resumeCandidate != null ? resumeCandidate : handshakeSession;
        return target != null ? target.token() : null;
    }

    private SSLException failed(SSLException failure) {
        SSLException e = HandshakeLog.failed(this, failure, phase != Phase.ESTABLISHED);
        end(ssl != null && ssl.pendingBytes() > 0);
        return e;
    }

    /**
     * A callback met an Error: it leaves as itself (see SslHandle), and the connection is over at
     * once, its native memory freed; no alert is sent, since nothing here can vouch for the state.
     */
    private Error abandoned(Error e) {
        end(false);
        return e;
    }

    /** Ends the connection after a failure; an alert OpenSSL queued is left for wrap when sendAlert. */
    private void end(boolean sendAlert) {
        inboundDone = true;
        outboundClosing = true;
        closeNotifyDeferred = false;
        pendingOutput = sendAlert;
        if (!pendingOutput) {
            outboundDone = true;
        }
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.invalidate();
        }
        if (session != null) {
            session.invalidate();
        }
        if (offered != null) {
            offered.invalidate();
            offered = null;
        }
        releaseNewSession();
        handshakeSession = null;
        releaseIfDone();
    }

    private void releaseIfDone() {
        if (inboundDone && outboundDone && ssl != null && !ssl.isClosed()) {
            releaseNewSession();
            ssl.close();
        }
    }

    /** A native session reported but never handed to a cache (the connection failed or ended first). */
    private void releaseNewSession() {
        if (newSession != null) {
            newSession.release();
            newSession = null;
        }
    }

    private SSLEngineResult result(Status status, boolean finished, int consumed, int produced) {
        return new SSLEngineResult(status, finished ? HandshakeStatus.FINISHED : handshakeStatus(), consumed,
            produced);
    }

    private HandshakeStatus handshakeStatus() {
        if (phase == Phase.NEW) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        if (pendingOutput && !outboundDone) {
            return HandshakeStatus.NEED_WRAP;
        }
        if (inboundDone && outboundDone) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        if (phase == Phase.HANDSHAKING) {
            return inboundDone ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NEED_UNWRAP;
        }
        if (outboundDone) {
            return HandshakeStatus.NEED_UNWRAP;
        }
        if (inboundDone && outboundClosing) {
            return HandshakeStatus.NEED_WRAP;
        }
        return HandshakeStatus.NOT_HANDSHAKING;
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        return locked(this::handshakeStatus);
    }

    @Override
    public Runnable getDelegatedTask() {
        return null;
    }

    /**
     * Starts the handshake. On an established TLS 1.2 connection this would be a renegotiation,
     * which NativeTLS refuses: SSLException, and the connection goes on as it was (the refusal
     * is of the request, the connection is not broken by it).
     */
    @Override
    public void beginHandshake() throws SSLException {
        lock.lock();
        try {
            checkNotInCallback();
            if (outboundClosing && !outboundDone) {
                // close_notify is on its way out: as on a closed engine, no handshake can begin.
                throw new SSLException("Cannot begin a handshake: the engine is closing");
            }
            if (phase == Phase.ESTABLISHED && !inboundDone && !outboundDone) {
                if (!Protocols.TLS13.equals(session.getProtocol())) {
                    // A refused request, not a broken connection: it goes on with its session.
                    throw new SSLException("NativeTLS refuses TLS 1.2 renegotiation: the connection goes on with"
                        + " its current session");
                }
                return; // TLS 1.3 has no renegotiation
            }
            try {
                if (inboundDone || outboundDone) {
                    throw new SSLException("Cannot begin a handshake: the engine is closed");
                }
                start();
            } catch (SSLException e) {
                throw failed(e);
            } catch (Error e) {
                throw abandoned(e);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void closeInbound() throws SSLException {
        lock.lock();
        try {
            if (inboundDone) {
                return;
            }
            boolean started = phase != Phase.NEW;
            inboundDone = true;
            closeOutboundLocked();
            releaseIfDone();
            if (started && !receivedCloseNotify) {
                throw new SSLException("closing inbound before receiving peer's close_notify"
                    + " (possible truncation attack)");
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isInboundDone() {
        return locked(() -> inboundDone);
    }

    @Override
    public void closeOutbound() {
        lock.lock();
        try {
            closeOutboundLocked();
            releaseIfDone();
        } finally {
            lock.unlock();
        }
    }

    private void closeOutboundLocked() {
        if (outboundClosing || outboundDone) {
            return;
        }
        outboundClosing = true;
        if (phase == Phase.ESTABLISHED && ssl != null && !ssl.isClosed() && ssl.inCall()) {
            // A callback inside unwrap (a session listener): OpenSSL is busy, the next wrap says goodbye.
            closeNotifyDeferred = true;
            pendingOutput = true;
        } else if (phase == Phase.ESTABLISHED && ssl != null && !ssl.isClosed()) {
            track(RecordResult.flags(ssl.shutdown()));
            if (!pendingOutput) {
                outboundDone = true;
            }
        } else {
            // Before or during the handshake there is no session to close: the engine just stops.
            outboundDone = true;
            inboundDone = true;
            pendingOutput = false;
        }
    }

    @Override
    public boolean isOutboundDone() {
        return locked(() -> outboundDone);
    }

    // ---- sessions -----------------------------------------------------------------------------

    @Override
    public SSLSession getSession() {
        lock.lock();
        try {
            if (session != null) {
                return session;
            }
            if (nullSession == null) {
                nullSession = new NativeSslSession(owner.sessionContext(config.clientMode), getPeerHost(),
                    getPeerPort());
            }
            return nullSession;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SSLSession getHandshakeSession() {
        return handshakeSession;
    }

    @Override
    public void peerCertificates(X509Certificate[] chain, String protocol, String cipherSuite) {
        NativeSslSession hs = handshakeSession;
        if (hs != null) {
            hs.negotiating(protocol, cipherSuite);
            hs.peerCertificates(chain);
        }
    }

    // ---- configuration ------------------------------------------------------------------------

    @Override
    public String[] getSupportedCipherSuites() {
        return CipherSuites.get().supported();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return locked(() -> config.cipherSuites.clone());
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        String[] checked = CipherSuites.get().validate(suites);
        locked(() -> config.cipherSuites = checked);
    }

    @Override
    public String[] getSupportedProtocols() {
        return Protocols.supported();
    }

    @Override
    public String[] getEnabledProtocols() {
        return locked(config::enabledProtocols);
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        String[] checked = Protocols.validate(protocols);
        locked(() -> config.protocols = checked);
    }

    @Override
    public void setUseClientMode(boolean mode) {
        lock.lock();
        try {
            if (phase != Phase.NEW) {
                throw new IllegalArgumentException("Cannot change mode after the handshake has started");
            }
            config.setClientMode(mode);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean getUseClientMode() {
        return locked(() -> config.clientMode);
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        locked(() -> config.clientAuth = need ? EngineConfig.CLIENT_AUTH_NEED : EngineConfig.CLIENT_AUTH_NONE);
    }

    @Override
    public boolean getNeedClientAuth() {
        return locked(() -> config.clientAuth == EngineConfig.CLIENT_AUTH_NEED);
    }

    @Override
    public void setWantClientAuth(boolean want) {
        locked(() -> config.clientAuth = want ? EngineConfig.CLIENT_AUTH_WANT : EngineConfig.CLIENT_AUTH_NONE);
    }

    @Override
    public boolean getWantClientAuth() {
        return locked(() -> config.clientAuth == EngineConfig.CLIENT_AUTH_WANT);
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        locked(() -> config.sessionCreation = flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return locked(() -> config.sessionCreation);
    }

    @Override
    public SSLParameters getSSLParameters() {
        return locked(config::toParameters);
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        String[] suites = params.getCipherSuites() != null ? CipherSuites.get().validate(params.getCipherSuites())
            : null;
        String[] protocols = params.getProtocols() != null ? Protocols.validate(params.getProtocols()) : null;
        lock.lock();
        try {
            config.apply(params, suites, protocols);
        } finally {
            lock.unlock();
        }
    }

    /** During the handshake, as SunJSSE: what the handshake has decided so far (null while it has not). */
    @Override
    public String getApplicationProtocol() {
        lock.lock();
        try {
            return phase == Phase.HANDSHAKING ? handshakeApplicationProtocol() : applicationProtocol;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        lock.lock();
        try {
            return phase == Phase.HANDSHAKING ? handshakeApplicationProtocol() : null;
        } finally {
            lock.unlock();
        }
    }

    private String handshakeApplicationProtocol() {
        if (!config.clientMode) {
            return chosenApplicationProtocol;
        }
        if (ssl == null || ssl.isClosed()) {
            return null;
        }
        String selected = ssl.applicationProtocol();
        // Every client callback runs after the ServerHello: by then no ALPN answer means none.
        return selected == null && ssl.inCall() ? "" : selected;
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        locked(() -> config.alpnSelector = selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return locked(() -> config.alpnSelector);
    }

    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable write) {
        lock.lock();
        try {
            write.run();
        } finally {
            lock.unlock();
        }
    }

    // ---- argument checks ----------------------------------------------------------------------

    private static void checkArray(ByteBuffer[] buffers, int offset, int length, String name) {
        if (buffers == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (offset < 0 || length < 0 || offset > buffers.length - length) {
            throw new IndexOutOfBoundsException(name + ": offset " + offset + ", length " + length + ", size "
                + buffers.length);
        }
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i] == null) {
                throw new IllegalArgumentException(name + "[" + i + "] is null");
            }
        }
    }

    private static void checkDestination(ByteBuffer dst) {
        if (dst == null) {
            throw new IllegalArgumentException("destination buffer is null");
        }
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
    }

    @Override
    public String toString() {
        return "NativeSslEngine[" + (config.clientMode ? "client" : "server") + ", " + getPeerHost() + ":"
            + getPeerPort() + ", " + phase + "]";
    }

}
