package io.nativetls.fuzz;

import io.nativetls.testing.Contexts.Impl;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Makes fuzz cases from a seed: a NativeTLS engine in some state (fresh server, client that has
 * sent its hello, established client or server) and the mutated bytes it is to unwrap, made from
 * the recorded corpus or from the live peer's next records for that very engine.
 */
final class Cases {
    /** The state the engine under test is in when the input arrives. */
    enum Target {
        FRESH_SERVER("fresh server"),
        CLIENT_AFTER_HELLO("client after its hello"),
        ESTABLISHED_CLIENT("established client"),
        ESTABLISHED_SERVER("established server");

        final String label;

        Target(String label) {
            this.label = label;
        }
    }

    /** What was done to the real traffic. */
    enum Kind {
        VALID("unmutated"),
        RANDOM_BYTES("random bytes"),
        BIT_FLIP("flipped bits/bytes"),
        TRUNCATED("truncated"),
        LENGTH("length >2^14+2048 / 0 / off"),
        CONTENT_TYPE("content type"),
        VERSION("record version"),
        STRUCTURE("records dropped/duplicated/reordered/split"),
        WRONG_TIME_ALERT("alert at the wrong time"),
        WRONG_TIME_HANDSHAKE("handshake message at the wrong time"),
        HELLO_EXTENSIONS("hello extensions mutated");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One input: the engine, what it is fed, and what else to close afterwards. */
    static final class Case {
        Target target;
        Kind kind;
        SSLEngine engine;
        List<byte[]> chunks;
        final List<SSLEngine> peers = new ArrayList<>();
        /** How the engine and its base traffic were made. */
        String setup;
        /** Whether the bytes alone reproduce the case (a fresh server; nothing depends on live keys). */
        boolean replayable;
        /** Unmutated live traffic: the engine must take it without an exception. */
        boolean mustSucceed;
        String mutations = "";

        int size() {
            int n = 0;
            for (byte[] c : chunks) {
                n += c.length;
            }
            return n;
        }
    }

    // Weights, in the order of Target and Kind.
    private static final int[] TARGET_WEIGHTS = {68, 22, 5, 5};
    private static final int[] SERVER_KINDS = {2, 10, 14, 9, 8, 8, 3, 7, 8, 10, 21};
    private static final int[] CLIENT_KINDS = {3, 7, 17, 9, 8, 8, 3, 9, 9, 10, 17};
    private static final int[] ESTABLISHED_KINDS = {4, 8, 23, 12, 10, 10, 4, 10, 9, 10, 0};

    private final Corpus corpus;
    private final Corpus.SslContexts contexts;

    Cases(Corpus corpus) {
        this.corpus = corpus;
        this.contexts = corpus.contexts;
    }

    static int weighted(SplittableRandom rnd, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = rnd.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        throw new AssertionError();
    }

    Case create(SplittableRandom rnd) throws SSLException {
        Case c = new Case();
        c.target = Target.values()[weighted(rnd, TARGET_WEIGHTS)];
        Mutator m = new Mutator(rnd);
        switch (c.target) {
            case FRESH_SERVER:
                freshServer(c, m);
                break;
            case CLIENT_AFTER_HELLO:
                clientAfterHello(c, m);
                break;
            default:
                established(c, m);
        }
        c.mutations = m.log.toString();
        return c;
    }

    private static String protocol(SplittableRandom rnd) {
        int x = rnd.nextInt(5);
        return x < 2 ? null : x < 4 ? "TLSv1.3" : "TLSv1.2";
    }

    // ---- a fresh server -----------------------------------------------------------------------

    private void freshServer(Case c, Mutator m) {
        SplittableRandom rnd = m.rnd;
        c.kind = Kind.values()[weighted(rnd, SERVER_KINDS)];
        String protocol = protocol(rnd);
        int clientAuth = rnd.nextInt(10) < 8 ? 0 : 1 + rnd.nextInt(2);
        boolean rsa = rnd.nextInt(7) == 0;
        c.engine = contexts.server(Impl.NATIVE, rsa, protocol, clientAuth);
        c.replayable = true;
        Corpus.Stream stream = m.pick(corpus.clientStreams);
        boolean whole = rnd.nextBoolean();
        List<byte[]> base = Mutator.copy(whole ? stream.all : stream.firstFlight);
        c.setup = "NativeTLS server (" + (protocol == null ? "default protocols" : protocol) + ", "
            + (rsa ? "RSA" : "EC") + " key" + (clientAuth == 0 ? "" : clientAuth == 1 ? ", wants client auth"
            : ", needs client auth") + "), base: " + (whole ? "all records sent by " : "the ClientHello of ")
            + stream.label;
        if (c.kind == Kind.HELLO_EXTENSIONS) {
            Hello h = Hello.parse(m.pick(corpus.clientHellos));
            m.mutateExtensions(h);
            base = m.asRecords(h.encode(), rnd.nextBoolean() ? Tls.TLS10 : Tls.TLS12);
            if (whole) {
                // The rest of some client's traffic after the hello.
                base.addAll(Mutator.copy(stream.all.subList(stream.firstFlight.size(), stream.all.size())));
            }
            c.chunks = List.of(Tls.concat(base));
            return;
        }
        if (c.kind == Kind.WRONG_TIME_HANDSHAKE) {
            List<byte[]> wrong;
            int x = rnd.nextInt(10);
            if (x < 3) {
                byte[] msg = m.pick(corpus.messages.get(m.pick(new int[] {Tls.SERVER_HELLO, Tls.SERVER_HELLO,
                    Tls.CERTIFICATE, Tls.SERVER_KEY_EXCHANGE, Tls.CERTIFICATE_REQUEST, Tls.SERVER_HELLO_DONE})));
                m.note("a real message of type " + (msg[0] & 0xff) + " from a server");
                wrong = m.asRecords(msg, Tls.TLS12);
            } else if (x < 5) {
                m.note("a Finished");
                wrong = m.asRecords(m.syntheticMessage(Tls.FINISHED), Tls.TLS12);
            } else if (x < 6) {
                Corpus.Stream s = m.pick(corpus.serverStreams);
                m.note("the first flight of the server in " + s.label);
                wrong = Mutator.copy(s.firstFlight);
            } else if (x < 7) {
                m.note("a second ClientHello");
                wrong = m.asRecords(m.pick(corpus.clientHellos), Tls.TLS12);
            } else {
                wrong = List.of(wrongTimeRecord(m));
            }
            place(m, base, wrong, rnd.nextInt(5) < 2);
        } else {
            mutate(c.kind, m, base);
        }
        c.chunks = c.kind == Kind.TRUNCATED ? m.truncate(Tls.concat(base))
            : c.kind == Kind.RANDOM_BYTES ? List.of(m.randomBytes()) : List.of(Tls.concat(base));
    }

    /** A record that is wrong almost anywhere: an odd handshake message, a CCS, application data. */
    private static byte[] wrongTimeRecord(Mutator m) {
        SplittableRandom rnd = m.rnd;
        int x = rnd.nextInt(10);
        if (x < 6) {
            int type = rnd.nextInt(5) == 0 ? rnd.nextInt(256) : m.pick(new int[] {Tls.HELLO_REQUEST,
                Tls.NEW_SESSION_TICKET, Tls.END_OF_EARLY_DATA, Tls.ENCRYPTED_EXTENSIONS, Tls.CERTIFICATE,
                Tls.CERTIFICATE_REQUEST, Tls.SERVER_HELLO_DONE, Tls.CERTIFICATE_VERIFY, Tls.CLIENT_KEY_EXCHANGE,
                Tls.FINISHED, Tls.KEY_UPDATE, Tls.MESSAGE_HASH});
            m.note("a handshake message of type " + type);
            return Tls.record(Tls.HANDSHAKE, Tls.TLS12, m.syntheticMessage(type));
        } else if (x < 8) {
            byte[] body = rnd.nextInt(3) == 0 ? m.bytes(rnd.nextInt(4)) : new byte[] {1};
            m.note("a ChangeCipherSpec (" + body.length + " bytes)");
            return Tls.record(Tls.CHANGE_CIPHER_SPEC, Tls.TLS12, body);
        } else {
            byte[] body = m.bytes(m.size(2000));
            m.note("application data (" + body.length + " bytes)");
            return Tls.record(Tls.APPLICATION_DATA, Tls.TLS12, body);
        }
    }

    /** Puts the wrong records alone, or at a random record boundary in base. */
    private static void place(Mutator m, List<byte[]> base, List<byte[]> wrong, boolean alone) {
        if (alone) {
            base.clear();
            base.addAll(wrong);
            m.note("alone");
        } else {
            int at = m.rnd.nextInt(base.size() + 1);
            base.addAll(at, wrong);
            m.note("before record " + at + " of the real traffic");
        }
    }

    /** The generic record mutations, shared by every target. */
    private static void mutate(Kind kind, Mutator m, List<byte[]> base) {
        switch (kind) {
            case BIT_FLIP:
                m.flipBits(base);
                break;
            case LENGTH:
                m.length(base);
                break;
            case CONTENT_TYPE:
                m.contentType(base);
                break;
            case VERSION:
                m.version(base);
                break;
            case STRUCTURE:
                m.structure(base);
                if (m.rnd.nextBoolean()) {
                    m.structure(base);
                }
                break;
            case WRONG_TIME_ALERT:
                place(m, base, List.of(m.alert()), m.rnd.nextInt(5) < 2);
                break;
            default:
                // VALID, RANDOM_BYTES and TRUNCATED are applied by the caller
        }
    }

    // ---- a client that has sent its ClientHello -----------------------------------------------

    private void clientAfterHello(Case c, Mutator m) throws SSLException {
        SplittableRandom rnd = m.rnd;
        c.kind = Kind.values()[weighted(rnd, CLIENT_KINDS)];
        String protocol = protocol(rnd);
        boolean withKey = rnd.nextInt(10) < 3;
        SSLEngine client = contexts.client(Impl.NATIVE, withKey, protocol);
        c.engine = client;
        List<byte[]> base;
        boolean live = rnd.nextInt(100) < 85;
        String what = "NativeTLS client (" + (protocol == null ? "default protocols" : protocol)
            + (withKey ? ", with a key" : "") + ")";
        if (live) {
            Impl peerImpl = rnd.nextInt(100) < 80 ? Impl.NATIVE : Impl.SUN;
            int clientAuth = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(2) : 0;
            boolean rsa = peerImpl == Impl.NATIVE && rnd.nextInt(8) == 0;
            SSLEngine server = contexts.server(peerImpl, rsa, null, clientAuth);
            c.peers.add(server);
            Conversation conv = new Conversation(client, server);
            client.beginHandshake();
            conv.deliver(server, conv.flush(client));
            base = Tls.records(conv.flush(server));
            c.setup = what + ", base: the live answer of a " + peerImpl + " server" + (rsa ? " (RSA key)" : "")
                + (clientAuth == 0 ? "" : " asking for a client certificate");
            c.mustSucceed = c.kind == Kind.VALID;
        } else {
            // A recorded answer (to another ClientHello); half the time the client has not even
            // wrapped its own hello yet, now and then not even begun the handshake.
            int state = rnd.nextInt(4);
            if (state > 0) {
                client.beginHandshake();
            }
            if (state > 1) {
                new Conversation(client, client).flush(client); // the hello goes nowhere
            }
            Corpus.Stream s = m.pick(corpus.serverStreams);
            base = Mutator.copy(s.firstFlight);
            c.setup = what + (state == 0 ? " before beginHandshake" : state == 1 ? " with its hello not yet wrapped"
                : "") + ", base: the recorded first flight of the server in " + s.label;
        }
        if (c.kind == Kind.HELLO_EXTENSIONS) {
            int[] used = new int[1];
            List<byte[]> msgs = Tls.leadingHandshakeMessages(base, used);
            Hello h = msgs.isEmpty() ? null : Hello.parse(msgs.get(0));
            if (h == null) {
                h = Hello.parse(m.pick(corpus.serverHellos));
                m.note("no ServerHello in the flight: a recorded one instead");
                used[0] = 0;
                msgs = new ArrayList<>(List.of(new byte[0]));
            }
            m.mutateExtensions(h);
            List<byte[]> rest = new ArrayList<>(msgs.subList(1, msgs.size()));
            rest.add(0, h.encode());
            List<byte[]> mutated = m.asRecords(Tls.concat(rest), base.isEmpty() ? Tls.TLS12 : Tls.version(base.get(0)));
            mutated.addAll(base.subList(used[0], base.size()));
            base = mutated;
        } else if (c.kind == Kind.WRONG_TIME_HANDSHAKE) {
            List<byte[]> wrong;
            int x = rnd.nextInt(10);
            if (x < 3) {
                m.note("a ClientHello");
                wrong = m.asRecords(m.pick(corpus.clientHellos), Tls.TLS10);
            } else if (x < 5) {
                m.note("a Finished");
                wrong = m.asRecords(m.syntheticMessage(Tls.FINISHED), Tls.TLS12);
            } else if (x < 6) {
                byte[] msg = m.pick(corpus.messages.get(m.pick(new int[] {Tls.SERVER_HELLO, Tls.CERTIFICATE,
                    Tls.CLIENT_KEY_EXCHANGE, Tls.SERVER_HELLO_DONE})));
                m.note("a real message of type " + (msg[0] & 0xff));
                wrong = m.asRecords(msg, Tls.TLS12);
            } else {
                wrong = List.of(wrongTimeRecord(m));
            }
            place(m, base, wrong, rnd.nextInt(5) < 2);
        } else {
            mutate(c.kind, m, base);
        }
        c.chunks = c.kind == Kind.TRUNCATED ? m.truncate(Tls.concat(base))
            : c.kind == Kind.RANDOM_BYTES ? List.of(m.randomBytes()) : List.of(Tls.concat(base));
    }

    // ---- an established engine ----------------------------------------------------------------

    private void established(Case c, Mutator m) throws SSLException {
        SplittableRandom rnd = m.rnd;
        c.kind = Kind.values()[weighted(rnd, ESTABLISHED_KINDS)];
        boolean subjectIsClient = c.target == Target.ESTABLISHED_CLIENT;
        String protocol = rnd.nextBoolean() ? "TLSv1.3" : "TLSv1.2";
        Impl peerImpl = rnd.nextInt(100) < 80 ? Impl.NATIVE : Impl.SUN;
        SSLEngine client = contexts.client(subjectIsClient ? Impl.NATIVE : peerImpl, false, protocol);
        SSLEngine server = contexts.server(subjectIsClient ? peerImpl : Impl.NATIVE, false, protocol, 0);
        c.engine = subjectIsClient ? client : server;
        SSLEngine peer = subjectIsClient ? server : client;
        c.peers.add(peer);
        Conversation conv = new Conversation(client, server);
        conv.handshake();
        List<byte[]> base = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        StringBuilder what = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int size = 1 + m.size(20_000);
            base.addAll(Tls.records(conv.send(peer, m.bytes(size))));
            what.append(i == 0 ? "" : " + ").append(size);
        }
        boolean clean = true;
        if (peerImpl == Impl.SUN && rnd.nextInt(6) == 0) {
            // SunJSSE: TLS 1.2 renegotiation (HelloRequest or ClientHello), or a TLS 1.3 KeyUpdate.
            peer.beginHandshake();
            base.addAll(Tls.records(conv.flush(peer)));
            what.append(" + ").append(protocol.equals("TLSv1.3") ? "KeyUpdate" : "renegotiation");
            clean = protocol.equals("TLSv1.3");
        }
        if (rnd.nextInt(6) == 0) {
            base.addAll(Tls.records(conv.close(peer)));
            what.append(" + close_notify");
        }
        c.setup = "NativeTLS " + (subjectIsClient ? "client" : "server") + " established over " + protocol
            + " with a " + peerImpl + " peer, base: application data of " + what + " bytes";
        c.mustSucceed = c.kind == Kind.VALID && clean;
        if (c.kind == Kind.WRONG_TIME_HANDSHAKE) {
            List<byte[]> wrong;
            int x = rnd.nextInt(10);
            if (x < 3) {
                m.note("a plaintext ClientHello");
                wrong = m.asRecords(m.pick(corpus.clientHellos), Tls.TLS10);
            } else if (x < 4) {
                m.note("a plaintext ServerHello");
                wrong = m.asRecords(m.pick(corpus.serverHellos), Tls.TLS12);
            } else if (x < 5) {
                Corpus.Stream s = m.pick(corpus.serverStreams);
                m.note("the first flight of the server in " + s.label);
                wrong = Mutator.copy(s.firstFlight);
            } else {
                wrong = List.of(wrongTimeRecord(m));
            }
            place(m, base, wrong, rnd.nextInt(5) < 2);
        } else {
            mutate(c.kind, m, base);
        }
        c.chunks = c.kind == Kind.TRUNCATED ? m.truncate(Tls.concat(base))
            : c.kind == Kind.RANDOM_BYTES ? List.of(m.randomBytes()) : List.of(Tls.concat(base));
    }
}
