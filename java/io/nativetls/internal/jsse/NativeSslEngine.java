package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.CipherSuites;
import io.nativetls.internal.ssl.HandshakeSummary;
import io.nativetls.internal.ssl.HandshakeTask;
import io.nativetls.internal.ssl.NativeFailure;
import io.nativetls.internal.ssl.Protocols;
import io.nativetls.internal.ssl.RecordResult;
import io.nativetls.internal.ssl.SessionHandle;
import io.nativetls.internal.ssl.SslContextHandle;
import io.nativetls.internal.ssl.SslHandle;
import io.nativetls.internal.ssl.Transport;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * SSLEngine over one OpenSSL connection. Every public operation takes the engine's lock (JSSE lets
 * wrap and unwrap run on two threads; OpenSSL does not), so the lock guards both the Java state
 * and every native call, including the final free.
 *
 * <p>unwrap hands OpenSSL exactly one whole record per call, which makes BUFFER_UNDERFLOW consume
 * nothing and lets BUFFER_OVERFLOW be decided before anything is decrypted.
 *
 * <p>This class drives the connection; the parts it drives each have their own class: the state
 * machines ({@link EngineState}), the caller's buffers ({@link EngineBuffers}), record headers
 * ({@link RecordFraming}), sessions ({@link EngineSessions}), ALPN and SNI ({@link AlpnSniPolicy})
 * and the settings ({@link EngineConfig}).
 */
final class NativeSslEngine extends SSLEngine implements SslHandle.Listener {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ReentrantLock lock = new ReentrantLock();
    private final SslContextHandle context;
    private final EngineConfig config;
    private final Transport transport;
    /**
     * Whether a TLS 1.3 close_notify from the peer leaves our direction open (half-close). Sockets
     * do, as SunJSSE's: their application sees -1 and closes when it is done. Engines answer at
     * once unless jdk.tls.acknowledgeCloseNotify=false: engine users such as the JDK's HttpClient
     * wait for the outbound side to close before they release a connection the server ended.
     */
    private final boolean halfClose;
    /**
     * Trust and key managers run in delegated tasks (NEED_TASK), as SunJSSE's engines run them,
     * unless io.nativetls.delegatedTasks=false; a socket's engine runs them inline, as SunJSSE's
     * sockets do.
     */
    private final boolean delegateTasks;
    private final EngineState state = new EngineState();
    private final KeyUsage keyUsage = new KeyUsage();
    private final EngineBuffers buffers = new EngineBuffers();
    private final RecordFraming framing = new RecordFraming();
    private final EngineSessions sessions;
    private final AlpnSniPolicy alpnSni = new AlpnSniPolicy();
    private SslHandle ssl;

    NativeSslEngine(SslContextHandle context, NativeSslContextSpi owner, String host, int port) {
        this(context, owner, host, port, null, new EngineConfig(owner.defaults()));
    }

    /**
     * An engine that runs the TLS of a socket (null: none) with the given settings, which it owns
     * from now on. Key and trust managers are then shown the socket, not this engine, as SunJSSE
     * would.
     */
    NativeSslEngine(SslContextHandle context, NativeSslContextSpi owner, String host, int port, SSLSocket socket,
                    EngineConfig config) {
        super(host, port);
        this.context = context;
        this.config = config;
        this.sessions = new EngineSessions(owner, config, host, port);
        this.transport = socket != null ? Transport.of(socket) : Transport.of(this);
        this.halfClose = socket != null || "false".equalsIgnoreCase(System.getProperty("jdk.tls.acknowledgeCloseNotify"));
        this.delegateTasks = socket == null && context.delegatedTasks;
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
        EngineBuffers.checkArray(srcs, offset, length, "srcs");
        return wrap(srcs, offset, length, null, dst);
    }

    private SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer single, ByteBuffer dst)
        throws SSLException {
        EngineBuffers.checkDestination(dst);
        lock.lock();
        try {
            checkNotInCallback();
            if (state.outbound().isDone()) {
                return result(Status.CLOSED, false, 0, 0);
            }
            start();
            if (state.awaitingTask() && !state.pendingOutput()) {
                return result(Status.OK, false, 0, 0); // NEED_TASK: nothing moves until the task has run
            }
            long r;
            int consumed = 0;
            // A post-handshake message (a KeyUpdate, ours or the answer to the peer's) waits: as
            // SunJSSE, the wrap that sends its last bytes reports FINISHED.
            boolean postHandshake = state.phase() == HandshakePhase.ESTABLISHED && state.pendingOutput()
                && !state.outbound().isClosing();
            if (state.awaitingTask()) {
                r = ssl.drain(dst); // what OpenSSL wrote before it paused; it is not called again yet
            } else if (state.outbound().isClosing()) {
                if (state.outbound() == OutboundState.CLOSE_DEFERRED) {
                    state.closeNotifyQueued(RecordResult.flags(ssl.shutdown()));
                }
                r = ssl.drain(dst);
            } else if (state.phase() != HandshakePhase.ESTABLISHED || state.pendingOutput()) {
                r = ssl.wrap(EMPTY, 0, dst);
            } else {
                ByteBuffer src = buffers.source(single, srcs, offset, length);
                r = ssl.wrap(src, src.remaining(), dst);
                consumed = RecordResult.consumed(r);
                EngineBuffers.advance(single, srcs, offset, length, consumed);
            }
            int produced = RecordResult.produced(r);
            dst.position(dst.position() + produced);
            int flags = tracked(r);
            state.drained();
            boolean finished = finishHandshakeIfDone(flags)
                || postHandshake && produced > 0 && !state.pendingOutput() && !state.outbound().isClosing();
            if (consumed > 0 && keyUsage.wrote(consumed)) {
                renewKeysAtLimit("write");
            }
            Status status = RecordResult.overflow(flags) ? Status.BUFFER_OVERFLOW
                : state.outbound().isDone() ? Status.CLOSED : Status.OK;
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

    // ---- unwrap -------------------------------------------------------------------------------

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        EngineBuffers.checkDestination(dst);
        return unwrap(src, null, 0, 0, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        EngineBuffers.checkArray(dsts, offset, length, "dsts");
        for (int i = offset; i < offset + length; i++) {
            EngineBuffers.checkDestination(dsts[i]);
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
            if (state.inbound().isDone()) {
                return result(Status.CLOSED, false, 0, 0);
            }
            start();
            if (state.awaitingTask()) {
                return result(Status.OK, false, 0, 0); // as SunJSSE: nothing consumed until the task has run
            }
            int available = src.remaining();
            int at = src.position();
            int recordLength = framedLength(src, at, available);
            if (available < recordLength) {
                return result(Status.BUFFER_UNDERFLOW, false, 0, 0);
            }
            int bodyLength = recordLength - RecordFraming.HEADER;
            int needed = state.nativeFinished() && RecordFraming.isApplicationData(src, at)
                ? Math.min(bodyLength, RecordFraming.MAX_PLAINTEXT) : 0;
            ByteBuffer dst = buffers.destination(single, dsts, offset, length, needed);
            if (dst == null) {
                return result(Status.BUFFER_OVERFLOW, false, 0, 0);
            }
            state.recordRead();
            long r = ssl.unwrap(buffers.record(src, recordLength), recordLength, dst);
            int consumed = RecordResult.consumed(r);
            int produced = RecordResult.produced(r);
            src.position(src.position() + consumed);
            buffers.delivered(dst, produced, single, dsts, offset, length);
            int flags = tracked(r);
            framing.recordTaken(consumed, RecordResult.pending(flags) || RecordResult.finished(flags));
            if (RecordResult.receivedShutdown(flags) && !state.inbound().isDone()) {
                state.inboundClosed(true);
                // TLS 1.2 must answer close_notify. TLS 1.3 closes each direction on its own; see halfClose.
                NativeSslSession session = sessions.current();
                if (!halfClose || session == null || !Protocols.TLS13.equals(session.getProtocol())) {
                    closeOutboundLocked();
                }
            }
            // The peer's KeyUpdate after ours is its answer; FINISHED then, unless this side has output
            // waiting (its own answer to a request in the same flight), whose wrap reports it instead.
            boolean answered = consumed > 0 && produced == 0 && !state.inbound().isDone() && state.keyUpdateAnswered();
            boolean finished = finishHandshakeIfDone(flags) || answered && !state.pendingOutput();
            if (produced > 0 && keyUsage.readBytes(produced)) {
                renewKeysAtLimit("read");
            }
            SSLEngineResult result = result(state.inbound().isDone() ? Status.CLOSED : Status.OK, finished, consumed,
                produced);
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
        boolean handshaking = state.phase() != HandshakePhase.ESTABLISHED;
        boolean firstRecord = state.inbound() == InboundState.AWAITING_FIRST_RECORD;
        int verdict = framing.judge(src, at, available, firstRecord && !config.clientMode, handshaking,
            this::negotiatedTls13);
        if (verdict >= 0) {
            return verdict;
        }
        SSLException refusal = RecordFraming.refusal(verdict, src, at, available, handshaking);
        int problem = RecordFraming.problem(verdict);
        if (problem == 0) {
            throw refusal; // an SSLv2 hello: its sender would not read a TLS alert
        }
        // The peer is told why, as SunJSSE tells it: the fatal alert waits for the next wrap.
        if (state.outbound() != OutboundState.OPEN) {
            throw RecordFraming.withoutAlert(refusal, "this side had already closed");
        }
        if (ssl == null || ssl.isClosed() || ssl.refuseRecord(problem, firstRecord) == 0) {
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
        NativeSslSession session = sessions.current();
        if (session != null) {
            return Protocols.TLS13.equals(session.getProtocol());
        }
        return ssl != null && !ssl.isClosed() && Protocols.TLS13.equals(ssl.sessionInfo()[0]);
    }

    // ---- the connection's life ----------------------------------------------------------------

    /** wrap, unwrap and beginHandshake from a callback of this engine's own handshake are refused. */
    private void checkNotInCallback() {
        if (ssl != null) {
            ssl.checkNotInCall();
        }
    }

    /** Creates and configures the native connection on first use; clients then write their hello. */
    private void start() throws SSLException {
        if (state.phase() != HandshakePhase.NEW) {
            return;
        }
        if (!config.modeSet) {
            throw new IllegalStateException("Client/Server mode has not yet been set.");
        }
        EngineConfig.Native settings = config.nativeSettings(getPeerHost());
        if (settings.protocols == 0) {
            state.stop();
            throw NegotiationHint.noProtocolEnabled(this,
                "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)");
        }
        ssl = context.newConnection(config.clientMode, transport, this, settings.tls12Ciphers, settings.tls13Suites);
        if (delegateTasks) {
            ssl.delegateTasks();
        }
        ssl.configure(settings.protocols, settings.serverName, settings.clientAuth);
        int maxFragmentLength = config.maxFragmentLengthCode();
        if (config.packetSize.limitsRecords() || maxFragmentLength != 0) {
            ssl.setMaxPacketSize(config.packetSize.limit, maxFragmentLength); // else OpenSSL's full records
        }
        ssl.configureExtensions(settings.alpn, settings.serverPreference, settings.signatureSchemes, settings.groups);
        sessions.begin(settings.serverName);
        state.advanceTo(HandshakePhase.HANDSHAKING);
        if (config.clientMode) {
            sessions.offerCached(ssl, settings.serverName);
            tracked(ssl.handshake());
        }
    }

    /** Takes in what OpenSSL said after a call that may run its handshake; returns the result's flags. */
    private int tracked(long result) {
        int flags = RecordResult.flags(result);
        state.track(flags, RecordResult.needsTask(flags) && !ssl.isClosed() ? ssl.pendingTask() : null);
        return flags;
    }

    /** FINISHED is reported once: when OpenSSL is done and the last handshake bytes have gone out. */
    private boolean finishHandshakeIfDone(int flags) throws SSLException {
        if (state.phase() != HandshakePhase.HANDSHAKING || !RecordResult.finished(flags)
            || RecordResult.pending(flags) || ssl.isClosed() || state.inbound().isDone()) {
            // Not done yet, or a callback closed the engine while OpenSSL finished, or the engine
            // failed after OpenSSL finished but before its last bytes went out (the wrap that
            // sends the alert drains them too): no session to report.
            return false;
        }
        HandshakeSummary summary = ssl.handshakeSummary();
        NativeSslSession s = completedSession(summary);
        state.advanceTo(HandshakePhase.ESTABLISHED);
        keyUsage.start(Protocols.TLS13.equals(summary.protocol()) ? config.keyLimit(summary.cipherSuite()) : 0);
        HandshakeLog.completed(this, s, summary);
        sessions.publish();
        return true;
    }

    /**
     * What the engine takes from a completed handshake, all from one native call: whether it
     * resumed, what it negotiated, both sides' certificates (decoded only for a new session), the
     * session id and the application protocol. Returns the connection's session from now on.
     */
    private NativeSslSession completedSession(HandshakeSummary summary) throws SSLException {
        NativeSslSession s = sessions.resumed(summary.resumed());
        if (s == null) {
            s = sessions.made(summary.protocol(), summary.cipherSuite(), summary.peerSignatureScheme(),
                summary.peerCertificates(), summary.localCertificates(), summary.sessionId());
        }
        sessions.established(s, summary.group());
        alpnSni.established(summary.applicationProtocol());
        return s;
    }

    /**
     * A TLS 1.3 traffic key has protected what jdk.tls.keyLimits allows: as SunJSSE, a KeyUpdate
     * asking for the peer's too, sent by the next wrap (this call's result says NEED_WRAP). Also
     * while an earlier request is unanswered (as SunJSSE: OpenSSL peers answer only with their next
     * write, and this side's write key changes with each update); not once either direction closes.
     */
    private void renewKeysAtLimit(String direction) throws SSLException {
        if (state.phase() != HandshakePhase.ESTABLISHED || state.inbound().isDone()
            || state.outbound() != OutboundState.OPEN || ssl.isClosed()) {
            return;
        }
        tracked(ssl.keyUpdate());
        state.keyUpdateRequested();
        keyUsage.renewed();
        HandshakeLog.keyLimitReached(this, direction);
    }

    private SSLException failed(SSLException failure) {
        SSLException e = HandshakeLog.failed(this, failure, state.phase() != HandshakePhase.ESTABLISHED);
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
        state.fail(sendAlert);
        sessions.invalidate();
        releaseIfDone();
    }

    private void releaseIfDone() {
        if (state.closed() && ssl != null && !ssl.isClosed()) {
            sessions.releaseNew();
            ssl.close();
        }
    }

    private SSLEngineResult result(Status status, boolean finished, int consumed, int produced) {
        return new SSLEngineResult(status, finished ? HandshakeStatus.FINISHED : state.handshakeStatus(), consumed,
            produced);
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        return locked(state::handshakeStatus);
    }

    /**
     * The task a paused handshake waits for, once (then null, as SunJSSE's). It runs the trust or
     * key manager on the caller's thread without this engine's lock, so the manager may call the
     * engine; the next wrap or unwrap resumes the handshake with its answer.
     */
    @Override
    public Runnable getDelegatedTask() {
        return locked(() -> {
            HandshakeTask task = state.task();
            return task != null && !state.closed() && task.handOut() ? task : null;
        });
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
            if (state.outbound().isClosing()) {
                // close_notify is on its way out: as on a closed engine, no handshake can begin.
                throw new SSLException("Cannot begin a handshake: the engine is closing");
            }
            if (state.phase() == HandshakePhase.ESTABLISHED && !state.inbound().isDone() && !state.outbound().isDone()) {
                if (!Protocols.TLS13.equals(sessions.current().getProtocol())) {
                    // A refused request, not a broken connection: it goes on with its session.
                    throw new SSLException("NativeTLS refuses TLS 1.2 renegotiation: the connection goes on with"
                        + " its current session");
                }
                // TLS 1.3 has no renegotiation: as SunJSSE, a KeyUpdate that asks the peer for one too.
                try {
                    tracked(ssl.keyUpdate());
                    state.keyUpdateRequested();
                } catch (SSLException e) {
                    throw failed(e);
                }
                return;
            }
            try {
                if (state.inbound().isDone() || state.outbound().isDone()) {
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

    /** Throws, as SunJSSE, once the handshake has started: had the peer's close_notify come, inbound would be done. */
    @Override
    public void closeInbound() throws SSLException {
        lock.lock();
        try {
            if (state.inbound().isDone()) {
                return;
            }
            boolean started = state.phase() != HandshakePhase.NEW;
            state.inboundClosed(false);
            closeOutboundLocked();
            releaseIfDone();
            if (started) {
                throw new SSLException("closing inbound before receiving peer's close_notify"
                    + " (possible truncation attack)");
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isInboundDone() {
        return locked(() -> state.inbound().isDone());
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
        if (state.outbound() != OutboundState.OPEN) {
            return;
        }
        boolean connected = state.phase() == HandshakePhase.ESTABLISHED && ssl != null && !ssl.isClosed();
        if (connected && ssl.inCall()) {
            // A callback inside unwrap (a session listener): OpenSSL is busy, the next wrap says goodbye.
            state.deferCloseNotify();
        } else if (connected) {
            state.closeNotifyQueued(RecordResult.flags(ssl.shutdown()));
            state.drained();
        } else {
            state.stop();
        }
    }

    @Override
    public boolean isOutboundDone() {
        return locked(() -> state.outbound().isDone());
    }

    // ---- sessions -----------------------------------------------------------------------------

    @Override
    public SSLSession getSession() {
        return locked(sessions::shown);
    }

    @Override
    public SSLSession getHandshakeSession() {
        return sessions.handshake();
    }

    // ---- callbacks from OpenSSL (SslHandle.Listener), on the thread in a native call ------------

    @Override
    public void peerCertificates(X509Certificate[] chain, String protocol, String cipherSuite) {
        sessions.peerCertificates(chain, protocol, cipherSuite);
    }

    @Override
    public void peerSignatureAlgorithms(String[] algorithms) {
        sessions.peerSignatureAlgorithms(algorithms);
    }

    @Override
    public void localCertificates(X509Certificate[] chain) {
        sessions.localCertificates(chain);
    }

    @Override
    public void peerStatusResponses(List<byte[]> responses) {
        sessions.peerStatusResponses(responses);
    }

    @Override
    public void sessionCreated(SessionHandle handle, byte[] id, boolean tls13) {
        if (state.closed()) {
            handle.release(); // a callback closed the engine earlier in this handshake
            return;
        }
        sessions.created(handle, id, tls13, state.phase() == HandshakePhase.ESTABLISHED);
    }

    @Override
    public SessionHandle findSession(byte[] id, String serverName) {
        return sessions.find(id, serverName);
    }

    @Override
    public boolean acceptTicket(byte[] token, long createdSeconds, String serverName) {
        return sessions.acceptTicket(token, createdSeconds, serverName);
    }

    @Override
    public String failureHint(NativeFailure failure) {
        return NegotiationHint.of(this, failure);
    }

    @Override
    public byte[] ticketToken() {
        return sessions.ticketToken();
    }

    @Override
    public int selectApplicationProtocol(List<String> offered) {
        return alpnSni.select(this, config.alpnSelector, config.applicationProtocols, offered);
    }

    @Override
    public boolean serverNameReceived(SNIHostName name) {
        sessions.serverNameRequested(name);
        return AlpnSniPolicy.serverNameAccepted(config.sniMatchers, name);
    }

    // ---- configuration (EngineConfig's, under this engine's lock) -----------------------------

    @Override
    public String[] getSupportedCipherSuites() {
        return CipherSuites.get().supported();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return locked(config::getEnabledCipherSuites);
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        locked(() -> config.setEnabledCipherSuites(suites));
    }

    @Override
    public String[] getSupportedProtocols() {
        return Protocols.supported();
    }

    @Override
    public String[] getEnabledProtocols() {
        return locked(config::getEnabledProtocols);
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        locked(() -> config.setEnabledProtocols(protocols));
    }

    /** The one setting that is not only a setting: the role cannot change once the connection exists. */
    @Override
    public void setUseClientMode(boolean mode) {
        lock.lock();
        try {
            if (state.phase() != HandshakePhase.NEW) {
                throw new IllegalArgumentException("Cannot change mode after the handshake has started");
            }
            config.setUseClientMode(mode);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean getUseClientMode() {
        return locked(config::getUseClientMode);
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        locked(() -> config.setNeedClientAuth(need));
    }

    @Override
    public boolean getNeedClientAuth() {
        return locked(config::getNeedClientAuth);
    }

    @Override
    public void setWantClientAuth(boolean want) {
        locked(() -> config.setWantClientAuth(want));
    }

    @Override
    public boolean getWantClientAuth() {
        return locked(config::getWantClientAuth);
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        locked(() -> config.setEnableSessionCreation(flag));
    }

    @Override
    public boolean getEnableSessionCreation() {
        return locked(config::getEnableSessionCreation);
    }

    @Override
    public SSLParameters getSSLParameters() {
        return locked(config::getSSLParameters);
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        locked(() -> {
            config.setSSLParameters(params);
            // As SunJSSE's: a new size applies at once to the records still to be written.
            if (ssl != null && !ssl.isClosed()) {
                ssl.setMaxPacketSize(config.packetSize.limit, 0);
            }
        });
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        locked(() -> config.setHandshakeApplicationProtocolSelector(selector));
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return locked(config::getHandshakeApplicationProtocolSelector);
    }

    /** A copy of the settings, for the engine that replaces this one (a socket once it connects). */
    EngineConfig settingsCopy() {
        return locked(config::copy);
    }

    /** During the handshake, as SunJSSE: what the handshake has decided so far (null while it has not). */
    @Override
    public String getApplicationProtocol() {
        return locked(() -> state.phase() == HandshakePhase.HANDSHAKING
            ? alpnSni.duringHandshake(config.clientMode, ssl) : alpnSni.negotiated());
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return locked(() -> state.phase() == HandshakePhase.HANDSHAKING
            ? alpnSni.duringHandshake(config.clientMode, ssl) : null);
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

    @Override
    public String toString() {
        return "NativeSslEngine[" + (config.clientMode ? "client" : "server") + ", " + getPeerHost() + ":"
            + getPeerPort() + ", " + state.phase() + "]";
    }
}
