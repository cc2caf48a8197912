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
 */
final class HandshakeCallbacks implements NativeCallbacks {
    private static final int TLS13_VERSION = 0x0304;

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

    HandshakeCallbacks(SslContextHandle context, boolean client, Transport transport, SslHandle.Listener listener) {
        this.context = context;
        this.client = client;
        this.transport = transport;
        this.listener = listener;
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
                          byte[] statusResponse) {
        try {
            X509Certificate[] chain = CertificateDecoder.chain(der);
            listener.peerSignatureAlgorithms(SignatureSchemes.jdkAlgorithms(peerSchemes));
            listener.peerCertificates(chain, protocol, cipherSuite);
            if (statusResponse != null) {
                // Before the trust manager runs: a PKIX one with revocation checking uses it.
                listener.peerStatusResponses(List.of(statusResponse));
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
            listener.peerSignatureAlgorithms(SignatureSchemes.jdkAlgorithms(peerSchemes));
            List<Credential> chosen = CredentialChoice.choose(context.credentials, client, transport, version,
                peerSchemes, issuers, keyTypes);
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
