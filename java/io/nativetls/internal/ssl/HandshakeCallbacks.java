package io.nativetls.internal.ssl;

import io.nativetls.internal.jni.NativeCallbacks;
import io.nativetls.internal.jni.SslNative;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;

/**
 * The target of one connection's native callbacks: turns each into a question to the trust or
 * key manager or to the listener, and keeps what the handshake learns (the verified chain, the
 * credentials offered) and what a callback threw, for the {@link SslHandle} to use once its
 * native call has returned. Runs only on the thread of that call, under the owner's lock.
 *
 * <p>When tasks are delegated, the trust check (client) and the key choice (both roles) do not
 * run here: the first call keeps its inputs in a {@link HandshakeTask} and answers
 * {@link SslNative#CALLBACK_RETRY}, which pauses OpenSSL; once the task has run, OpenSSL calls
 * again and the kept answer goes back exactly as an inline answer would.
 */
final class HandshakeCallbacks implements NativeCallbacks {
    private static final int TLS13_VERSION = 0x0304;
    /** selectCredentials' answer that pauses the handshake for a delegated task. */
    private static final long[] RETRY = {SslNative.CALLBACK_RETRY};
    /**
     * OpenSSL can pause a client's certificate check from 3.0.2 on (SSL_set_retry_verify); before
     * that the check stays inline. OpenSSL 3.0-3.5 cannot pause a server's check at all.
     */
    private static final boolean RETRY_VERIFY = SslNative.openSslVersionNumber() >= 0x3000_0020L;

    private final SslContextHandle context;
    private final boolean client;
    private final Transport transport;
    private final SslHandle.Listener listener;
    /** An Error a callback met: rethrown from the native call that ran it, once that returns. */
    private Error callbackError;
    /** Why a callback refused: the cause of the handshake failure that follows. */
    private Throwable pendingCause;
    private X509Certificate[] verifiedChain;
    private List<Credential> offered = List.of();
    /** Trust and key questions go to delegated tasks instead of being answered inline. */
    private boolean delegating;
    /** The task the paused handshake waits for, until the retried callback takes its answer. */
    private HandshakeTask task;

    HandshakeCallbacks(SslContextHandle context, boolean client, Transport transport, SslHandle.Listener listener) {
        this.context = context;
        this.client = client;
        this.transport = transport;
        this.listener = listener;
    }

    /** From now on trust (client) and key questions become delegated tasks. */
    void delegateTasks() {
        delegating = true;
    }

    /**
     * The handshake is done: a later question (a TLS 1.3 server's post-handshake CertificateRequest)
     * arrives inside SSL_read, which cannot wait for a task, so it is answered inline.
     */
    void handshakeCompleted() {
        delegating = false;
    }

    /** The task the handshake waits for (handed out or not, run or not), or null. */
    HandshakeTask task() {
        return task;
    }

    /**
     * The finished task of this kind for the retried callback to answer from, taken; null when a
     * new one is to be made. A task of another kind, or one not yet run (the engine waits for it
     * before resuming, so neither happens), is an internal error that fails the handshake.
     */
    private HandshakeTask answered(HandshakeTask.Kind kind) {
        HandshakeTask t = task;
        if (t == null) {
            return null;
        }
        task = null;
        if (t.kind != kind || !t.isDone()) {
            throw new IllegalStateException("OpenSSL resumed a handshake paused for " + t + " in " + kind);
        }
        return t;
    }

    /** The Error a callback met since the last call, cleared (with any refusal's cause). */
    Error takeError() {
        Error e = callbackError;
        if (e != null) {
            callbackError = null;
            pendingCause = null;
        }
        return e;
    }

    /** Why a callback refused since the last call, or null; cleared. */
    Throwable takeCause() {
        Throwable cause = pendingCause;
        pendingCause = null;
        return cause;
    }

    /** The peer's chain as verified in this handshake, or null (none yet, or resumed). */
    X509Certificate[] verifiedChain() {
        return verifiedChain;
    }

    /** The credentials loaded into the connection (one, several, or none). */
    List<Credential> offered() {
        return offered;
    }

    /** A callback refused (or failed): its reason becomes the handshake failure's cause. */
    private void refused(Throwable t) {
        pendingCause = t;
        noteError(t);
    }

    /**
     * An Error (out of memory, stack overflow, a failed assertion) is not a verdict on the peer:
     * it leaves the native call as itself, as it would from SunJSSE, instead of as "certificate
     * verify failed". Kept until that call returns, since OpenSSL is still on the stack now.
     */
    private void noteError(Throwable t) {
        if (t instanceof Error && callbackError == null) {
            callbackError = (Error) t;
        }
    }

    @Override
    public void upcallFailed(Throwable t) {
        refused(t);
    }

    /** Builds the failure's exception once, with the cause a callback left and the listener's hint. */
    @Override
    public Throwable failure(int kind, String message, int[] libraries, int[] reasons, int alertSent,
                             int alertReceived) {
        try {
            NativeFailure failure = new NativeFailure(kind, libraries, reasons, alertSent, alertReceived);
            Throwable cause = takeCause();
            String hint = failure.handshake() ? listener.failureHint(failure) : null;
            return FailureCause.create(kind, message, cause, hint);
        } catch (Throwable t) {
            noteError(t);
            return null;
        }
    }

    @Override
    public int verifyPeer(byte[][] der, String authType, String protocol, String cipherSuite, int[] peerSchemes,
                          byte[] statusResponse, boolean mayPause) {
        try {
            // Only a client's check can pause: OpenSSL 3.0-3.5 has no retry for a server's (issue 30068).
            boolean delegated = delegating && client && RETRY_VERIFY && mayPause;
            HandshakeTask done = delegated ? answered(HandshakeTask.Kind.VERIFY_PEER) : null;
            if (done != null) {
                if (done.thrown() != null) {
                    throw done.thrown();
                }
                verifiedChain = (X509Certificate[]) done.answer();
                return SslNative.X509_V_OK;
            }
            X509Certificate[] chain = CertificateDecoder.chain(der);
            listener.peerSignatureAlgorithms(SignatureSchemes.jdkAlgorithms(peerSchemes));
            listener.peerCertificates(chain, protocol, cipherSuite);
            if (statusResponse != null) {
                // Before the trust manager runs: a PKIX one with revocation checking uses it.
                listener.peerStatusResponses(List.of(statusResponse));
            }
            if (delegated) {
                task = new HandshakeTask(HandshakeTask.Kind.VERIFY_PEER, () -> {
                    context.verifier.verifyServer(chain, authType, transport);
                    return chain;
                });
                return SslNative.CALLBACK_RETRY;
            }
            if (client) {
                context.verifier.verifyServer(chain, authType, transport);
            } else {
                context.verifier.verifyClient(chain, transport);
            }
            verifiedChain = chain;
            return SslNative.X509_V_OK;
        } catch (Throwable t) {
            refused(t);
            return VerifyErrors.of(t);
        }
    }

    @Override
    public byte[] stapledResponse(byte[] leaf) {
        try {
            OcspStapling stapling = context.stapling;
            return stapling == null ? null : stapling.responseFor(leaf, offered);
        } catch (Throwable t) {
            noteError(t); // no staple: the handshake goes on, as when the responder fails
            return null;
        }
    }

    @Override
    public long[] selectCredentials(int[] peerSchemes, int version, byte[][] issuers, String[] keyTypes) {
        try {
            HandshakeTask done = delegating ? answered(HandshakeTask.Kind.SELECT_CREDENTIALS) : null;
            List<Credential> chosen;
            if (done != null) {
                if (done.thrown() != null) {
                    throw done.thrown();
                }
                @SuppressWarnings("unchecked")
                List<Credential> answer = (List<Credential>) done.answer();
                chosen = answer;
            } else {
                listener.peerSignatureAlgorithms(SignatureSchemes.jdkAlgorithms(peerSchemes));
                if (delegating) {
                    task = new HandshakeTask(HandshakeTask.Kind.SELECT_CREDENTIALS, () -> CredentialChoice.choose(
                        context.credentials, client, transport, version, peerSchemes, issuers, keyTypes));
                    return RETRY;
                }
                chosen = CredentialChoice.choose(context.credentials, client, transport, version, peerSchemes,
                    issuers, keyTypes);
            }
            offered = chosen;
            if (chosen.size() == 1) {
                // Several (one per key type): OpenSSL picks among them later, out of Java's sight.
                listener.localCertificates(chosen.get(0).chain.clone());
            }
            long[] handles = new long[chosen.size()];
            for (int i = 0; i < handles.length; i++) {
                handles[i] = chosen.get(i).handle;
            }
            return handles;
        } catch (Throwable t) {
            refused(t);
            return null;
        }
    }

    /** Takes the reference OpenSSL handed over; the listener keeps it or it is released now. */
    @Override
    public void sessionCreated(long session, byte[] id, int version) {
        SessionHandle handle = new SessionHandle(session);
        try {
            listener.sessionCreated(handle, id, version == TLS13_VERSION);
        } catch (Throwable t) {
            handle.release();
            noteError(t);
        }
    }

    @Override
    public long findSession(byte[] id, String serverName) {
        try {
            SessionHandle handle = listener.findSession(id, serverName);
            return handle == null ? 0 : handle.acquire();
        } catch (Throwable t) {
            noteError(t);
            return 0;
        }
    }

    @Override
    public boolean acceptTicket(byte[] token, long createdSeconds, String serverName) {
        try {
            return listener.acceptTicket(token, createdSeconds, serverName);
        } catch (Throwable t) {
            noteError(t);
            return false;
        }
    }

    @Override
    public byte[] ticketToken() {
        try {
            return listener.ticketToken();
        } catch (Throwable t) {
            noteError(t);
            return null;
        }
    }

    @Override
    public int selectApplicationProtocol(byte[] offeredIds) {
        try {
            return listener.selectApplicationProtocol(AlpnWire.decode(offeredIds));
        } catch (Throwable t) {
            refused(t);
            return SslNative.ALPN_FATAL;
        }
    }

    @Override
    public boolean serverNameReceived(byte[] name) {
        try {
            return listener.serverNameReceived(new SNIHostName(name));
        } catch (Throwable t) {
            refused(t);
            return false;
        }
    }
}
