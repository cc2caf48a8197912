package io.nativetls.internal.jni;

import java.nio.ByteBuffer;

/**
 * The whole JNI surface of NativeTLS: static methods over native handles held as {@code long}.
 *
 * <p>Ownership: a method named {@code ...New} returns a handle its caller owns and must release
 * exactly once with the matching {@code ...Free}. Methods that take {@code callbacks} call back
 * into it ({@link NativeCallbacks}: trust decisions, key selection) on the calling thread;
 * passing it also keeps it, and so the handle's owner, reachable for the whole call. Callers serialise calls on one
 * connection handle; context and credential handles are read-only and shared.
 *
 * <p>Results of the record methods are packed: see {@link #consumed}, {@link #produced},
 * {@link #flags}.
 *
 * <p>Every constant both sides use is defined here, once: the C code includes the macros
 * {@code javac -h} generates from these fields (nativetls.h names them).
 */
public final class SslNative {
    /** The handshake is complete. */
    public static final int F_INIT_FINISHED = 1;
    /** Records wait to be wrapped out. */
    public static final int F_PENDING = 2;
    /** The peer's close_notify has been read. */
    public static final int F_RECEIVED_SHUTDOWN = 4;
    /** The destination could not take the next record. */
    public static final int F_OVERFLOW = 8;
    /** Our close_notify has been generated. */
    public static final int F_SENT_SHUTDOWN = 16;
    /**
     * The handshake is paused until a delegated task has answered a callback (OpenSSL's
     * SSL_ERROR_WANT_RETRY_VERIFY or SSL_ERROR_WANT_X509_LOOKUP): the next call asks it again.
     */
    public static final int F_NEED_TASK = 32;

    /** Hello extensions a side does not use (jdk.tls.*.disableExtensions); the same bits in ssl_ctx.c and ssl.c. */
    public static final int EXTENSION_SERVER_NAME = 1;
    public static final int EXTENSION_ALPN = 2;
    public static final int EXTENSION_EXTENDED_MASTER_SECRET = 4;

    public static final int PROTOCOL_TLS12 = 1;
    public static final int PROTOCOL_TLS13 = 2;

    /** A server's ALPN answers besides an index into the client's list: answer without ALPN, or fail. */
    public static final int ALPN_NONE = -1;
    public static final int ALPN_FATAL = -2;

    /**
     * What verifyPeer answers (and selectCredentials as its only handle) to pause the handshake
     * while a delegated task computes the real answer: C then asks OpenSSL to call again.
     */
    public static final int CALLBACK_RETRY = -1;

    /**
     * Verify errors a trust decision answers with (OpenSSL's X509_V_ERR_* numbers, which the C side
     * checks at compile time): each becomes its own alert.
     */
    public static final int X509_V_OK = 0;
    public static final int X509_V_ERR_CERT_NOT_YET_VALID = 9;
    public static final int X509_V_ERR_CERT_HAS_EXPIRED = 10;
    public static final int X509_V_ERR_CERT_UNTRUSTED = 27;
    public static final int X509_V_ERR_APPLICATION_VERIFICATION = 50;

    /** What a connection's failure becomes ({@link NativeCallbacks#failure}'s kind): SSLHandshakeException, */
    public static final int FAILURE_HANDSHAKE = 1;
    /** ... SSLProtocolException (a record that breaks the protocol), */
    public static final int FAILURE_PROTOCOL = 2;
    /** ... SSLException (a record that does not decrypt). */
    public static final int FAILURE_RECORD = 3;

    /**
     * OpenSSL's library code of libssl and the reasons a failure's hint tells apart (OpenSSL's
     * numbers, stable across 3.x; the C side checks them against its headers at compile time).
     */
    public static final int ERR_LIB_SSL = 20;
    public static final int SSL_R_BAD_PROTOCOL_VERSION_NUMBER = 116;
    public static final int SSL_R_NO_CIPHERS_AVAILABLE = 181;
    public static final int SSL_R_NO_CIPHER_MATCH = 185;
    public static final int SSL_R_NO_PROTOCOLS_AVAILABLE = 191;
    public static final int SSL_R_NO_SHARED_CIPHER = 193;
    public static final int SSL_R_UNSUPPORTED_PROTOCOL = 258;
    /** The peer's alert as a reason: handshake_failure, protocol_version. */
    public static final int SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE = 1040;
    public static final int SSL_R_TLSV1_ALERT_PROTOCOL_VERSION = 1070;

    /** Largest TLS plaintext fragment; a record's body may add 2048 bytes of expansion (TLS 1.2). */
    public static final int MAX_PLAINTEXT = 16384;
    public static final int MAX_EXPANSION = 2048;

    private SslNative() {}

    public static int consumed(long result) {
        return (int) (result & 0x0FFF_FFFFL);
    }

    public static int produced(long result) {
        return (int) ((result >>> 28) & 0x0FFF_FFFFL);
    }

    public static int flags(long result) {
        return (int) (result >>> 56);
    }

    /**
     * "name descriptor" of every native the library bound to this class when it loaded (JNI_OnLoad
     * registers them all, so a table entry that matches no method here fails the load); tests
     * check that it covers every native method declared here.
     */
    static native String[] registeredNatives();

    /** The runtime OpenSSL's version string, e.g. "OpenSSL 3.0.19 27 Jan 2026". */
    public static native String openSslVersion();

    /** OpenSSL_version_num() of the runtime library. */
    public static native long openSslVersionNumber();

    /**
     * Initialises OpenSSL (reading its configuration file) and checks that TLS can run with what it
     * loaded. Called once, by {@link NativeLibrary}, before any other use. Returns null when all is
     * well, else rows of four strings {kind, subject, section, OpenSSL's report}: first {"file",
     * the configuration file OpenSSL read ("" for none), "", ""}, then one per problem: "init"
     * (OPENSSL_init_ssl failed), "parse" (the file does not parse; subject the file), "provider"
     * (the file activates this provider, section its section, and it is not loaded; the report is
     * what loading it alone gives), "context" (subject the call: no SSL_CTX or no cipher suite).
     *
     * <p>With fips, it also makes NativeTLS's own library context with OpenSSL's FIPS provider
     * (io.nativetls.fips=true), reading fipsConfig (null: OpenSSL's default file); every later native
     * call then runs in it. The first row is then {"file", the file it read, "fips", OpenSSL's modules
     * directory}, and the problems are "fips-config" (the file does not load), "fips-provider"
     * (subject the provider that did not load or is not running), "fips" (subject the step that
     * failed) or "context" (section: the process's configuration file, whose system_default TLS
     * settings libssl applies to this context too). Any problem leaves no context: nothing runs outside FIPS.
     */
    public static native String[][] initialise(boolean fips, String fipsConfig);

    /** Whether this thread's OpenSSL error queue is empty (tests check every call leaves it so). */
    public static native boolean errorQueueEmpty();

    /**
     * Rows of {IANA name ("" if none), OpenSSL name, lowest protocol} for every suite OpenSSL has in
     * NativeTLS's library context, or with processDefault in OpenSSL's default one (they differ in
     * FIPS mode only).
     */
    public static native String[][] cipherSuiteTable(boolean processDefault) throws javax.net.ssl.SSLException;

    /**
     * A new SSL_CTX with the given default TLS 1.2 cipher list and TLS 1.3 suites, key exchange
     * groups and signature schemes (null: OpenSSL's default), all in OpenSSL syntax, OpenSSL's
     * security level 0, and ephemeral DH keys below minDhBits refused; a server ignores the
     * client's SNI or ALPN when serverDisabledExtensions has their EXTENSION_* bit. Caller owns it:
     * {@link #contextFree}.
     */
    public static native long contextNew(String tls12Ciphers, String tls13Suites, String groups,
                                        String signatureSchemes, int minDhBits, boolean serverTls12Tickets,
                                        int serverDisabledExtensions)
        throws javax.net.ssl.SSLException;

    public static native void contextFree(long ctx);

    /** Gives ctx {@code to} the session ticket keys of ctx {@code from}. */
    public static native void contextShareTicketKeys(long from, long to) throws javax.net.ssl.SSLException;

    /**
     * Parses a certificate chain (DER, leaf first) and its PKCS#8 private key, and checks they
     * match. The native side wipes its copy of the key bytes. Caller owns the result:
     * {@link #credentialFree}; connections that used it keep their own references.
     */
    public static native long credentialNew(byte[][] chain, byte[] pkcs8Key) throws javax.net.ssl.SSLException;

    /**
     * Like {@link #credentialNew} for an RSA key known only by n and d (no CRT values): e and any
     * RSASSA-PSS restrictions come from the leaf certificate, n must be the certificate's, and a
     * test signature must verify with the certificate's key. The native side wipes its copy of d.
     */
    public static native long credentialNewRsa(byte[][] chain, byte[] modulus, byte[] privateExponent)
        throws javax.net.ssl.SSLException;

    /**
     * A chain (DER, leaf first) whose private key stays in Java: OpenSSL signs through signer, on
     * the thread of the handshake, with the leaf's public key standing for the key everywhere
     * else. The native side keeps a global reference to signer until the last connection using
     * the credential is freed.
     */
    public static native long credentialNewJavaKey(byte[][] chain, KeySigner signer) throws javax.net.ssl.SSLException;

    public static native void credentialFree(long credential);

    /**
     * A new connection (SSL plus its buffers) on ctx; the SSL holds a reference on ctx.
     * Caller owns it: {@link #connectionFree}. A client without tickets sends no TLS 1.2 ticket
     * extension, so servers resume it by session id.
     */
    public static native long connectionNew(long ctx, boolean client, boolean tickets)
        throws javax.net.ssl.SSLException;

    public static native void connectionFree(long conn);

    /**
     * Installs the OCSP status callback on ctx: its clients that ask for a staple see it in
     * verifyPeer, and (serverStapling) its servers staple what stapledResponse answers.
     */
    /** TLS 1.3 clients of ctx offer post-handshake authentication (servers are not affected). */
    public static native void contextOfferPostHandshakeAuth(long ctx);

    public static native void contextEnableStatus(long ctx, boolean serverStapling) throws javax.net.ssl.SSLException;

    /** Client: the ClientHello asks for the server's OCSP response (status_request, type ocsp). */
    public static native void connectionRequestStatus(long conn) throws javax.net.ssl.SSLException;

    /** Switches off hello extensions (EXTENSION_EXTENDED_MASTER_SECRET) before the handshake. */
    public static native void connectionDisableExtensions(long conn, int extensions);

    /**
     * Per-connection settings, applied before the handshake starts. A null server name sends
     * none; clientAuth is 0 none, 1 want, 2 need (servers only).
     */
    public static native void connectionConfigure(long conn, int protocols, String serverName, int clientAuth);

    /**
     * SSLParameters.setMaximumPacketSize: records this side writes stay within packet bytes, header
     * included (0: no limit). OpenSSL cannot fragment below 512 bytes of plaintext, so handshake
     * records of a very small packet size may be larger; application data always fits.
     * maxFragmentLength, when not 0 (a client's, before the handshake): the max_fragment_length
     * code to request (RFC 6066: 1 for 512 bytes, 2 for 1024, 3 for 2048, 4 for 4096).
     */
    public static native void connectionSetMaxPacketSize(long conn, int packet, int maxFragmentLength);

    /** The connection's own suite lists (OpenSSL syntax); null keeps the context's list. */
    public static native void connectionSetCipherSuites(long conn, String tls12Ciphers, String tls13Suites);

    /**
     * Per-connection hello extensions: the client's ALPN list in wire format (null: none), whether
     * a server prefers its own suite order, and signature schemes and groups in OpenSSL syntax
     * (null: the context's).
     */
    public static native void connectionSetExtensions(long conn, byte[] alpnWire, boolean serverPreference,
                                                      String signatureSchemes, String groups);

    /** The certificate authorities a server names in its certificate request (DER X.500 names). */
    public static native void contextSetClientCaNames(long ctx, byte[][] names)
        throws java.security.KeyManagementException;

    /**
     * Appends the keys of every connection of ctx to the file at path, in the NSS key-log format
     * (created with mode 0600 if missing). The context owns the descriptor.
     */
    public static native void contextSetKeyLog(long ctx, String path) throws java.security.KeyManagementException;

    /** The negotiated application protocol, or null if none (yet). */
    public static native byte[] alpnSelected(long conn);

    /** Advances the handshake without input (a client's first flight). */
    public static native long handshake(long conn, NativeCallbacks callbacks) throws javax.net.ssl.SSLException;

    /**
     * Hands out pending records, advances the handshake, or encrypts src (only once the handshake
     * is complete) into dst. Buffers are either direct (address from {@link #directAddress}, array
     * null, offset its position) or heap (address 0, array and absolute offset given).
     */
    public static native long wrap(long conn, NativeCallbacks callbacks, long srcAddress, byte[] srcArray, int srcOffset,
                                   int srcLength, long dstAddress, byte[] dstArray, int dstOffset,
                                   int dstLength) throws javax.net.ssl.SSLException;

    /** The base address of a direct buffer, fixed for the buffer object's life. */
    public static native long directAddress(ByteBuffer buffer);

    /** Hands out pending records only. */
    public static native long drain(long conn, NativeCallbacks callbacks, long dstAddress, byte[] dstArray, int dstOffset,
                                    int dstLength);

    /** Processes exactly one whole record from src; plaintext, if any, goes to dst. */
    public static native long unwrap(long conn, NativeCallbacks callbacks, long srcAddress, byte[] srcArray, int srcOffset,
                                     int srcLength, long dstAddress, byte[] dstArray, int dstOffset,
                                     int dstLength) throws javax.net.ssl.SSLException;

    /** What {@link #refuseRecord} is told is wrong: a record no peer may send now (a content type, say). */
    public static final int REFUSE_UNEXPECTED = 1;
    /** ... a record version. */
    public static final int REFUSE_VERSION = 2;
    /** ... a record length. */
    public static final int REFUSE_LENGTH = 3;

    /**
     * Makes the fatal alert for a record refused before OpenSSL saw it wait to be wrapped out:
     * unexpected_message (bad_record_mac once TLS 1.2 keys protect what is read),
     * protocol_version, or record_overflow; encrypted when keys are in use.
     * firstRecord: nothing has been read yet, so the alert is plaintext. OpenSSL fails the
     * connection doing so; nothing else may be done with it but draining and freeing. Returns the
     * alert queued (level &lt;&lt; 8 | description), or 0 if none could be made.
     */
    public static native int refuseRecord(long conn, NativeCallbacks callbacks, int problem, boolean firstRecord);

    /** Queues close_notify (once the handshake is complete). */
    public static native long shutdown(long conn, NativeCallbacks callbacks);

    /**
     * TLS 1.3, established: writes a KeyUpdate that asks the peer to update too (into the pending
     * output the next wrap sends); the packed result's flags as {@link #wrap}'s.
     */
    public static native long keyUpdate(long conn, NativeCallbacks callbacks) throws javax.net.ssl.SSLException;

    /** How many bytes of records wait to be wrapped out (e.g. a fatal alert after a failure). */
    public static native int pendingBytes(long conn);

    /**
     * {protocol, IANA cipher suite, the TLS name of the scheme the peer signed this handshake with
     * or null} of the connection.
     */
    public static native String[] sessionInfo(long conn);

    /** Indexes of {@link #handshakeSummary}'s answer: Strings (scheme null if the peer signed nothing), */
    public static final int SUMMARY_PROTOCOL = 0;
    public static final int SUMMARY_CIPHER_SUITE = 1;
    public static final int SUMMARY_PEER_SIGNATURE_SCHEME = 2;
    /** ... byte[] (empty for no id), */
    public static final int SUMMARY_SESSION_ID = 3;
    /** ... byte[][] (leaf first, DER; null when not asked for or none), */
    public static final int SUMMARY_PEER_CHAIN = 4;
    public static final int SUMMARY_LOCAL_CHAIN = 5;
    /** ... byte[] or null, */
    public static final int SUMMARY_APPLICATION_PROTOCOL = 6;
    /** ... Boolean, */
    public static final int SUMMARY_RESUMED = 7;
    /** ... String: the key exchange group's IANA name, null when the handshake used none. */
    public static final int SUMMARY_GROUP = 8;
    public static final int SUMMARY_FIELDS = 9;

    /**
     * What a completed handshake negotiated, in one call: {@link #sessionInfo}, the session id,
     * the peer's and this side's chains (each only if asked for), {@link #alpnSelected},
     * resumption and the group.
     */
    public static native Object[] handshakeSummary(long conn, boolean peerChain, boolean localChain);

    /**
     * Takes one more reference on an SSL_SESSION the caller holds a reference to; the new one is
     * the caller's to give away (to {@link #connectionOfferSession}, or to OpenSSL from a session
     * lookup) or to release with {@link #sessionFree}. False if OpenSSL refused.
     */
    public static native boolean sessionUpRef(long session);

    /** Releases one SSL_SESSION reference (handed to Java by a sessionCreated callback or sessionUpRef). */
    public static native void sessionFree(long session);

    /** Offers session for resumption on a client connection; consumes the caller's reference. */
    public static native void connectionOfferSession(long conn, long session) throws javax.net.ssl.SSLException;

    /**
     * A fresh self-signed EC P-256 certificate for host (and 127.0.0.1), valid a week:
     * {certificate DER, PKCS#8 private key DER}. For the tool's demo server and self-check.
     */
    public static native byte[][] selfSignedCertificate(String host) throws javax.net.ssl.SSLException;

    /** Index of live SSL_CTX handles in {@link #liveHandles()}. */
    public static final int LIVE_CONTEXTS = 0;
    /** Index of live connections (SSL) in {@link #liveHandles()}. */
    public static final int LIVE_CONNECTIONS = 1;
    /** Index of live credentials in {@link #liveHandles()}. */
    public static final int LIVE_CREDENTIALS = 2;

    /** Index of SSL_SESSION references Java holds in {@link #liveHandles()}. */
    public static final int LIVE_SESSIONS = 3;

    /** How many handles of each kind are allocated and not yet freed, process-wide. */
    public static native long[] liveHandles();

    /**
     * What the command-line tool's {@code info} prints about this OpenSSL: {CPU info
     * (OpenSSL_version(OPENSSL_CPU_INFO), e.g. "CPUINFO: OPENSSL_ia32cap=0x...:0x..."), OPENSSLDIR,
     * modules directory, then one "name id minTLS maxTLS" entry per TLS group the loaded providers
     * offer (TLS-GROUP capability; versions as OpenSSL's numbers, 0 = no limit)}. New strings, no handles.
     */
    public static native String[] libraryInfo() throws javax.net.ssl.SSLException;

    /** The providers loaded in NativeTLS's library context: "name\tversion\tactive|inactive" each. */
    public static native String[] providers() throws javax.net.ssl.SSLException;

    /** Whether the default properties of NativeTLS's library context ask for FIPS implementations (fips=yes). */
    public static native boolean fipsDefaultProperties();

    /** Whether NativeTLS runs in a library context of its own: FIPS mode (io.nativetls.fips=true) started. */
    public static native boolean ownLibraryContext();

    /** That context's OSSL_LIB_CTX address, 0 for OpenSSL's default one (for tests asking libcrypto directly). */
    public static native long libraryContextAddress();

    /**
     * The TLS groups the loaded providers offer (TLS-GROUP capability), one "name id minTLS maxTLS"
     * entry per name, in the providers' order: the entries {@link #libraryInfo()} ends with. Aliases
     * of one code point (secp256r1, P-256) are separate entries, the IANA name first. Those of NativeTLS's
     * library context, or with processDefault of OpenSSL's default one. New strings, no handles.
     */
    public static native String[] tlsGroups(boolean processDefault) throws javax.net.ssl.SSLException;

    /**
     * The TLS signature schemes the loaded providers add to libssl's own (TLS-SIGALG capability:
     * mldsa44, mldsa65, mldsa87 on OpenSSL 3.5; none on 3.0), one "name codepoint" entry per
     * name (code point in decimal). New strings, no handles.
     */
    public static native String[] tlsProviderSignatureSchemes() throws javax.net.ssl.SSLException;
}
