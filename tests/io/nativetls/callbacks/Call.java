package io.nativetls.callbacks;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One public method of SSLEngine or SSLSocket, as a callback would call it on the engine or
 * socket it was handed. Each returns a short text of what happened: "ok" with the value where
 * the value is part of the contract, or the simple name of what it threw.
 */
enum Call {
    CLOSE_OUTBOUND(Kind.ENGINE) {
        @Override
        String engine(SSLEngine e) {
            e.closeOutbound();
            return "ok";
        }
    },
    CLOSE_INBOUND(Kind.ENGINE) {
        @Override
        String engine(SSLEngine e) throws Exception {
            e.closeInbound();
            return "ok";
        }
    },
    WRAP(Kind.ENGINE) {
        @Override
        String engine(SSLEngine e) throws Exception {
            e.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(e.getSession().getPacketBufferSize()));
            return "ok";
        }
    },
    UNWRAP(Kind.ENGINE) {
        @Override
        String engine(SSLEngine e) throws Exception {
            e.unwrap(ByteBuffer.allocate(0), ByteBuffer.allocate(e.getSession().getApplicationBufferSize()));
            return "ok";
        }
    },
    BEGIN_HANDSHAKE(Kind.ENGINE) {
        @Override
        String engine(SSLEngine e) throws Exception {
            e.beginHandshake();
            return "ok";
        }
    },
    HANDSHAKE_STATUS(Kind.ENGINE) {
        @Override
        String engine(SSLEngine e) {
            e.getHandshakeStatus();
            return "ok";
        }
    },
    DELEGATED_TASK(Kind.ENGINE) {
        @Override
        String engine(SSLEngine e) {
            return "ok " + (e.getDelegatedTask() == null ? "none" : "task");
        }
    },
    IS_DONE(Kind.ENGINE) {
        @Override
        String engine(SSLEngine e) {
            return "ok " + e.isInboundDone() + "/" + e.isOutboundDone();
        }
    },
    CLOSE(Kind.SOCKET) {
        @Override
        String socket(SSLSocket s) throws Exception {
            s.close();
            return "ok";
        }
    },
    START_HANDSHAKE(Kind.SOCKET) {
        @Override
        String socket(SSLSocket s) throws Exception {
            s.startHandshake();
            return "ok";
        }
    },
    READ(Kind.SOCKET) {
        @Override
        String socket(SSLSocket s) throws Exception {
            s.setSoTimeout(500);
            try {
                return "ok " + s.getInputStream().read();
            } finally {
                s.setSoTimeout(Scenario.SO_TIMEOUT_MS);
            }
        }
    },
    WRITE(Kind.SOCKET) {
        @Override
        String socket(SSLSocket s) throws Exception {
            s.getOutputStream().write(new byte[0]);
            s.getOutputStream().flush();
            return "ok";
        }
    },
    SHUTDOWN_OUTPUT(Kind.SOCKET) {
        @Override
        String socket(SSLSocket s) throws Exception {
            s.shutdownOutput();
            return "ok";
        }
    },
    IS_CLOSED(Kind.SOCKET) {
        @Override
        String socket(SSLSocket s) {
            return "ok " + s.isClosed();
        }
    },
    GET_PARAMETERS(Kind.BOTH) {
        @Override
        String engine(SSLEngine e) {
            return "ok " + e.getSSLParameters().getProtocols().length;
        }

        @Override
        String socket(SSLSocket s) {
            return "ok " + s.getSSLParameters().getProtocols().length;
        }
    },
    SET_PARAMETERS(Kind.BOTH) {
        @Override
        String engine(SSLEngine e) {
            e.setSSLParameters(e.getSSLParameters());
            return "ok";
        }

        @Override
        String socket(SSLSocket s) {
            s.setSSLParameters(s.getSSLParameters());
            return "ok";
        }
    },
    SET_SUITES(Kind.BOTH) {
        @Override
        String engine(SSLEngine e) {
            e.setEnabledCipherSuites(e.getEnabledCipherSuites());
            return "ok";
        }

        @Override
        String socket(SSLSocket s) {
            s.setEnabledCipherSuites(s.getEnabledCipherSuites());
            return "ok";
        }
    },
    SET_CLIENT_MODE(Kind.BOTH) {
        @Override
        String engine(SSLEngine e) {
            e.setUseClientMode(e.getUseClientMode());
            return "ok";
        }

        @Override
        String socket(SSLSocket s) {
            s.setUseClientMode(s.getUseClientMode());
            return "ok";
        }
    },
    SET_NEED_CLIENT_AUTH(Kind.BOTH) {
        @Override
        String engine(SSLEngine e) {
            e.setNeedClientAuth(e.getNeedClientAuth());
            return "ok";
        }

        @Override
        String socket(SSLSocket s) {
            s.setNeedClientAuth(s.getNeedClientAuth());
            return "ok";
        }
    },
    SESSION(Kind.BOTH) {
        @Override
        String engine(SSLEngine e) {
            return "ok " + describe(e.getSession());
        }

        @Override
        String socket(SSLSocket s) {
            return "ok " + describe(s.getSession());
        }
    },
    HANDSHAKE_SESSION(Kind.BOTH) {
        @Override
        String engine(SSLEngine e) {
            return "ok " + (e.getHandshakeSession() != null);
        }

        @Override
        String socket(SSLSocket s) {
            return "ok " + (s.getHandshakeSession() != null);
        }
    },
    INVALIDATE(Kind.BOTH) {
        @Override
        String engine(SSLEngine e) {
            e.getSession().invalidate();
            SSLSession hs = e.getHandshakeSession();
            if (hs != null) {
                hs.invalidate();
            }
            return "ok";
        }

        @Override
        String socket(SSLSocket s) {
            SSLSession hs = s.getHandshakeSession();
            if (hs != null) {
                hs.invalidate();
            }
            return "ok";
        }
    },
    APPLICATION_PROTOCOL(Kind.BOTH) {
        @Override
        String engine(SSLEngine e) {
            return "ok " + e.getApplicationProtocol() + "/" + e.getHandshakeApplicationProtocol();
        }

        @Override
        String socket(SSLSocket s) {
            return "ok " + s.getApplicationProtocol() + "/" + s.getHandshakeApplicationProtocol();
        }
    };

    enum Kind { ENGINE, SOCKET, BOTH }

    final Kind kind;

    Call(Kind kind) {
        this.kind = kind;
    }

    boolean appliesTo(boolean socket) {
        return kind == Kind.BOTH || (kind == Kind.SOCKET) == socket;
    }

    String engine(SSLEngine e) throws Exception {
        throw new UnsupportedOperationException(name() + " on an engine");
    }

    String socket(SSLSocket s) throws Exception {
        throw new UnsupportedOperationException(name() + " on a socket");
    }

    /** Runs the call on target and says what happened; never throws. */
    String on(Object target) {
        try {
            return target instanceof SSLEngine ? engine((SSLEngine) target) : socket((SSLSocket) target);
        } catch (Exception | Error e) {
            return e.getClass().getSimpleName();
        }
    }

    private static String describe(SSLSession s) {
        return s == null ? "null" : s.getCipherSuite().equals("SSL_NULL_WITH_NULL_NULL") ? "null-session"
            : "valid=" + s.isValid();
    }
}
