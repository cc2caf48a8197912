package io.nativetls.internal.jsse;

import io.nativetls.internal.ssl.SslHandle;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;

/**
 * ALPN and SNI as SunJSSE applies them: which server name a client sends, whether a server
 * accepts the name it is asked for, which application protocol a server chooses, and what an
 * engine reports as its application protocol during and after the handshake.
 *
 * <p>The protocol fields are written under the engine's lock and read by callbacks too.
 */
final class AlpnSniPolicy {
    /** Server: the protocol chosen from the client's ALPN list ("" for none), during the handshake. */
    private volatile String chosen;
    /** After the handshake: the negotiated application protocol, "" for none. */
    private volatile String negotiated;

    /** SNI as SunJSSE sends it: explicit server names first, else the peer host if it is a DNS name. */
    static String serverNameToSend(List<SNIServerName> serverNames, String peerHost) {
        if (serverNames != null) {
            for (SNIServerName name : serverNames) {
                if (name instanceof SNIHostName) {
                    return ((SNIHostName) name).getAsciiName();
                }
            }
            return null;
        }
        if (peerHost == null || peerHost.indexOf('.') <= 0 || peerHost.endsWith(".") || peerHost.indexOf(':') >= 0
            || peerHost.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return null;
        }
        try {
            return new SNIHostName(peerHost).getAsciiName();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Server: whether the name the client asked for is accepted (false: unrecognized_name). */
    static boolean serverNameAccepted(Collection<SNIMatcher> matchers, SNIHostName name) {
        if (matchers == null || matchers.isEmpty()) {
            return true;
        }
        // As SunJSSE: with matchers configured, some matcher of the name's type must accept it.
        for (SNIMatcher matcher : matchers) {
            if (matcher.getType() == name.getType() && matcher.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Server: the answer to the client's ALPN list (see {@link SslHandle.Listener#selectApplicationProtocol}):
     * the user's selector decides if there is one (shown engine), else the server's own list in its
     * order of preference.
     */
    int select(SSLEngine engine, BiFunction<SSLEngine, List<String>, String> selector, String[] mine,
               List<String> offered) {
        int index;
        if (offered.isEmpty()) {
            index = SslHandle.ALPN_NONE; // the client offered none: known now that ALPN is not used
        } else if (selector != null) {
            String answer = selector.apply(engine, List.copyOf(offered));
            // As SunJSSE: "" declines ALPN; null or a protocol the client did not offer is fatal.
            index = answer == null ? SslHandle.ALPN_FATAL : answer.isEmpty() ? SslHandle.ALPN_NONE
                : offered.indexOf(answer) >= 0 ? offered.indexOf(answer) : SslHandle.ALPN_FATAL;
        } else if (mine.length > 0) {
            index = SslHandle.ALPN_FATAL;
            for (String protocol : mine) {
                if (offered.contains(protocol)) {
                    index = offered.indexOf(protocol); // the server's preference decides
                    break;
                }
            }
        } else {
            index = SslHandle.ALPN_NONE;
        }
        chosen = index >= 0 ? offered.get(index) : "";
        return index;
    }

    /**
     * What the handshake has decided so far (null while it has not), as SunJSSE reports it: a
     * server knows its own choice; a client asks OpenSSL (ssl null or closed: nothing decided).
     */
    String duringHandshake(boolean clientMode, SslHandle ssl) {
        if (!clientMode) {
            return chosen;
        }
        if (ssl == null || ssl.isClosed()) {
            return null;
        }
        String selected = ssl.applicationProtocol();
        // Every client callback, and every delegated task, runs after the ServerHello: by then no
        // ALPN answer means none.
        return selected == null && (ssl.inCall() || ssl.pendingTask() != null) ? "" : selected;
    }

    /** The handshake completed with this protocol (null: none). */
    void established(String protocol) {
        negotiated = protocol != null ? protocol : "";
    }

    /** After the handshake: the negotiated protocol, "" for none; null before. */
    String negotiated() {
        return negotiated;
    }
}
