package io.nativetls.bench;

import java.util.List;

/**
 * One TLS implementation under test. Each is in its own class under {@code peers}, loaded by name
 * only when asked for, so a peer whose jar or native part is missing fails alone, with its reason.
 */
public abstract class Peer {
    public static final String NATIVETLS = "NativeTLS";
    public static final String SUNJSSE = "SunJSSE";
    public static final String CONSCRYPT = "Conscrypt";
    public static final String NETTY = "Netty-OpenSSL";
    public static final String BCJSSE = "BCJSSE";
    public static final List<String> ALL = List.of(NATIVETLS, SUNJSSE, CONSCRYPT, NETTY, BCJSSE);

    /** Thrown when a peer cannot run here; the message says why. */
    public static final class UnavailableException extends Exception {
        public UnavailableException(String peer, String reason, Throwable cause) {
            super("provider " + peer + " unavailable: " + reason, cause);
        }
    }

    /** The peer's name, as in the benchmarks' provider parameter. */
    public abstract String name();

    /** What is being measured: the library and the version of its TLS engine. */
    public abstract String version();

    /** The client and server side of one configuration. */
    public abstract Endpoints open(Tls tls) throws Exception;

    /**
     * The same with the server's key managers given (a key in a PKCS#11 token); only the peers
     * that take the JDK's key managers as they are can do this.
     */
    public Endpoints open(Tls tls, javax.net.ssl.KeyManager[] serverKeys) throws Exception {
        throw new UnsupportedOperationException(name() + " is not measured with key managers of the application's");
    }

    /**
     * Loads the named peer, or explains why it cannot be used (the reason is printed as well, so
     * it shows in a benchmark's log next to the failed benchmark).
     */
    public static Peer load(String name) throws UnavailableException {
        String impl;
        String artifact;
        switch (name) {
            case NATIVETLS: impl = "NativeTlsPeer"; artifact = "io.nativetls:nativetls"; break;
            case SUNJSSE: impl = "SunJssePeer"; artifact = "the JDK"; break;
            case CONSCRYPT: impl = "ConscryptPeer"; artifact = "org.conscrypt:conscrypt-openjdk-uber"; break;
            case NETTY: impl = "NettyOpenSslPeer";
                artifact = "io.netty:netty-handler and io.netty:netty-tcnative-boringssl-static:linux-x86_64"; break;
            case BCJSSE: impl = "BcJssePeer"; artifact = "org.bouncycastle:bctls-jdk18on"; break;
            default: throw new IllegalArgumentException("unknown provider " + name + "; known: " + ALL);
        }
        try {
            return (Peer) Class.forName(Peer.class.getPackageName() + ".peers." + impl).getConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            UnavailableException u = cause instanceof UnavailableException ? (UnavailableException) cause
                : new UnavailableException(name, String.valueOf(cause), cause);
            System.out.println(u.getMessage());
            throw u;
        } catch (ReflectiveOperationException | LinkageError e) {
            UnavailableException u = new UnavailableException(name, "its classes are not in this jar (" + artifact
                + " was not resolved when the benchmarks were built): " + e, e);
            System.out.println(u.getMessage());
            throw u;
        }
    }
}
