package io.nativetls.fuzz;

import io.nativetls.testing.Contexts.Impl;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;

/**
 * Record headers no TLS peer sends, each in every state a NativeTLS engine can receive it in, and
 * what must come of it: the fixed cases of the fuzz test and of RecordRefusalTest.
 */
final class HostileHeaders {
    /** What is wrong with a header, and the alert that says so. */
    enum Problem {
        TYPE("unexpected_message", 10),
        VERSION("protocol_version", 70),
        LENGTH("record_overflow", 22);

        final String alert;
        final int description;

        Problem(String alert, int description) {
            this.alert = alert;
            this.description = description;
        }
    }

    /** A record header: 5 bytes. */
    static final class Header {
        final byte[] bytes;
        final Problem problem;

        Header(Problem problem, int type, int major, int minor, int length) {
            this.problem = problem;
            this.bytes = new byte[] {(byte) type, (byte) major, (byte) minor, (byte) (length >>> 8), (byte) length};
        }

        /** The header, then {@code body} bytes of nothing in particular. */
        byte[] withBody(int body) {
            byte[] r = new byte[Tls.HEADER + body];
            System.arraycopy(bytes, 0, r, 0, Tls.HEADER);
            for (int i = Tls.HEADER; i < r.length; i++) {
                r[i] = (byte) (i * 31);
            }
            return r;
        }

        @Override
        public String toString() {
            return problem + " " + Tls.hex(bytes);
        }
    }

    /** The description byte of an alert named as in RFC 8446. */
    static int description(String alert) {
        switch (alert) {
            case "bad_record_mac":
                return 20;
            default:
                for (Problem p : Problem.values()) {
                    if (p.alert.equals(alert)) {
                        return p.description;
                    }
                }
                throw new IllegalArgumentException(alert);
        }
    }

    /** 2^14 + 256 + 1: one byte more than TLS 1.3 allows. */
    static final int TLS13_OVER = Tls.MAX_PLAINTEXT + 256 + 1;

    /** Every hostile header; tls13: also the one too long only under TLS 1.3. */
    static List<Header> all(boolean tls13) {
        List<Header> out = new ArrayList<>();
        for (int type : new int[] {0, 1, 24, 25, 99, 0xC1}) {
            out.add(new Header(Problem.TYPE, type, 3, 3, 16));
        }
        int[][] versions = {{0, 2}, {2, 0}, {4, 3}, {0xfe, 0xfd}, {0xff, 0xff}};
        for (int[] v : versions) {
            out.add(new Header(Problem.VERSION, Tls.APPLICATION_DATA, v[0], v[1], 16));
        }
        out.add(new Header(Problem.VERSION, Tls.HANDSHAKE, 0x16, 0x03, 16));
        out.add(new Header(Problem.LENGTH, Tls.APPLICATION_DATA, 3, 3, Tls.MAX_BODY + 1));
        out.add(new Header(Problem.LENGTH, Tls.HANDSHAKE, 3, 1, Tls.MAX_BODY + 1));
        out.add(new Header(Problem.LENGTH, Tls.APPLICATION_DATA, 3, 3, 0xffff));
        if (tls13) {
            out.add(new Header(Problem.LENGTH, Tls.APPLICATION_DATA, 3, 3, TLS13_OVER));
        }
        return out;
    }

    /** Where the engine under test is when the header arrives. */
    enum State {
        FRESH_SERVER(true, false, null),
        CLIENT_AWAITING_SERVER_HELLO(true, false, null),
        TLS12_SERVER_AWAITING_CLIENT_FLIGHT(true, false, "TLSv1.2"),
        TLS13_SERVER_AWAITING_CLIENT_FINISHED(true, true, "TLSv1.3"),
        TLS13_CLIENT_AFTER_SERVER_HELLO(true, true, "TLSv1.3"),
        TLS12_CLIENT(false, false, "TLSv1.2"),
        TLS12_SERVER(false, false, "TLSv1.2"),
        TLS13_CLIENT(false, true, "TLSv1.3"),
        TLS13_SERVER(false, true, "TLSv1.3");

        final boolean handshaking;
        /** Whether TLS 1.3's length limit applies (for the first two: what OpenSSL offers before negotiating). */
        final boolean tls13;
        final String protocol;

        State(boolean handshaking, boolean tls13, String protocol) {
            this.handshaking = handshaking;
            this.tls13 = tls13 || protocol == null;
            this.protocol = protocol;
        }

        /** Whether the engine has read nothing yet, so its alert is plaintext, readable as bytes. */
        boolean firstRecord() {
            return this == FRESH_SERVER || this == CLIENT_AWAITING_SERVER_HELLO;
        }

        boolean client() {
            return this == CLIENT_AWAITING_SERVER_HELLO || this == TLS13_CLIENT_AFTER_SERVER_HELLO
                || this == TLS12_CLIENT || this == TLS13_CLIENT;
        }

        /** The exception NativeTLS throws for a refused header here. */
        Class<? extends SSLException> exception() {
            return handshaking ? SSLHandshakeException.class : SSLProtocolException.class;
        }

        /**
         * The alert the peer must get. Under TLS 1.2 keys a bad type gets bad_record_mac: the MAC
         * covers the type, OpenSSL checks it first, and no header makes it say unexpected_message
         * (native/refusals.c).
         */
        String alert(Problem p) {
            boolean tls12Keys = this == TLS12_CLIENT || this == TLS12_SERVER;
            return p == Problem.TYPE && tls12Keys ? "bad_record_mac" : p.alert;
        }
    }

    /** An engine in a state, the peer it talks to (null for none) and their conversation so far. */
    static final class Subject {
        final SSLEngine engine;
        final SSLEngine peer;
        final Conversation conversation;

        Subject(SSLEngine engine, SSLEngine peer, Conversation conversation) {
            this.engine = engine;
            this.peer = peer;
            this.conversation = conversation;
        }
    }

    /** A NativeTLS engine brought to state, talking to a peer of peerImpl where the state has one. */
    static Subject create(Corpus.SslContexts contexts, State state, Impl peerImpl) throws SSLException {
        switch (state) {
            case FRESH_SERVER:
                return new Subject(contexts.server(Impl.NATIVE, false, null, 0), null, null);
            case CLIENT_AWAITING_SERVER_HELLO: {
                SSLEngine client = contexts.client(Impl.NATIVE, false, null);
                client.beginHandshake();
                new Conversation(client, client).flush(client); // the ClientHello goes nowhere
                return new Subject(client, null, null);
            }
            case TLS12_SERVER_AWAITING_CLIENT_FLIGHT:
            case TLS13_SERVER_AWAITING_CLIENT_FINISHED: {
                SSLEngine client = contexts.client(peerImpl, false, state.protocol);
                SSLEngine server = contexts.server(Impl.NATIVE, false, state.protocol, 0);
                Conversation c = new Conversation(client, server);
                client.beginHandshake();
                c.deliver(server, c.flush(client));
                c.deliver(client, c.flush(server));
                // The client takes the whole flight (SunJSSE stops to wrap its ChangeCipherSpec
                // midway); its own last flight never arrives.
                for (int i = 0; i < 4; i++) {
                    c.flush(client);
                    c.deliver(client, new byte[0]);
                }
                return new Subject(server, client, c);
            }
            case TLS13_CLIENT_AFTER_SERVER_HELLO: {
                SSLEngine client = contexts.client(Impl.NATIVE, false, state.protocol);
                SSLEngine server = contexts.server(peerImpl, false, state.protocol, 0);
                Conversation c = new Conversation(client, server);
                client.beginHandshake();
                c.deliver(server, c.flush(client));
                List<byte[]> flight = Tls.records(c.flush(server));
                c.deliver(client, flight.get(0)); // the ServerHello alone
                return new Subject(client, server, c);
            }
            default: {
                boolean subjectIsClient = state.client();
                SSLEngine client = contexts.client(subjectIsClient ? Impl.NATIVE : peerImpl, false, state.protocol);
                SSLEngine server = contexts.server(subjectIsClient ? peerImpl : Impl.NATIVE, false, state.protocol, 0);
                Conversation c = new Conversation(client, server);
                c.handshake();
                return subjectIsClient ? new Subject(client, server, c) : new Subject(server, client, c);
            }
        }
    }

    private HostileHeaders() {}
}
