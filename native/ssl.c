/*
 * Per-connection settings, the handshake, and the record path behind SSLEngine.wrap/unwrap (the
 * connection itself is conn.c's). The Java side serialises calls on one connection and hands
 * over exactly one whole record per unwrap, so consumption here is always exact.
 *
 * Results are packed into a jlong: bytes consumed (bits 0-27), bytes produced (bits 28-55) and
 * the NT_F_* state flags (bits 56-62).
 */
#include <string.h>
#include <openssl/err.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

/* Keeps each packed count far below its 28 bits. */
#define NT_MAX_PER_CALL (1u << 26)

static int state_flags(const nt_conn *conn, int overflow)
{
    int shutdown = SSL_get_shutdown(conn->ssl);
    return (SSL_is_init_finished(conn->ssl) ? NT_F_INIT_FINISHED : 0)
        | (conn->pend_len > 0 ? NT_F_PENDING : 0)
        | ((shutdown & SSL_RECEIVED_SHUTDOWN) != 0 ? NT_F_RECEIVED_SHUTDOWN : 0)
        | ((shutdown & SSL_SENT_SHUTDOWN) != 0 ? NT_F_SENT_SHUTDOWN : 0)
        | (overflow ? NT_F_OVERFLOW : 0)
        | (SSL_want_retry_verify(conn->ssl) || SSL_want_x509_lookup(conn->ssl) ? NT_F_NEED_TASK : 0);
}

static jlong pack(size_t consumed, size_t produced, int flags)
{
    return (jlong)((uint64_t)consumed | ((uint64_t)produced << 28) | ((uint64_t)flags << 56));
}

/* Moves whole records from pend into the destination window; sets *overflow if none fits. */
static size_t drain(nt_conn *conn, int *overflow)
{
    size_t produced = 0;
    while (conn->pend_len > 0) {
        const uint8_t *rec = conn->pend + conn->pend_off;
        size_t rlen = conn->pend_len;
        if (rlen >= 5) {
            size_t whole = 5 + (((size_t)rec[3] << 8) | rec[4]);
            rlen = whole < rlen ? whole : rlen;
        }
        nt_window *w = &conn->out;
        if (w->len - w->pos < rlen) {
            *overflow = produced == 0;
            break;
        }
        if (w->addr != NULL) {
            memcpy(w->addr + w->off + w->pos, rec, rlen);
        } else {
            (*conn->env)->SetByteArrayRegion(conn->env, w->array, (jsize)(w->off + w->pos), (jsize)rlen,
                                             (const jbyte *)rec);
            if (nt_pending_exception(conn->env)) {
                break;
            }
        }
        w->pos += rlen;
        produced += rlen;
        conn->pend_off += rlen;
        conn->pend_len -= rlen;
    }
    if (conn->pend_len == 0 && conn->pend != NULL) {
        /* pend is for handshake flights and records a destination could not take: rare once
         * established, so an idle connection keeps none of it */
        free(conn->pend);
        conn->pend = NULL;
        conn->pend_cap = 0;
        conn->pend_off = 0;
    }
    return produced;
}

/*
 * Our BIO never reports end of input: the Java side owns the transport and decides what an EOF
 * means. So SSL_ERROR_SYSCALL with nothing on the error queue after the whole record was read
 * only means OpenSSL wants the next record (OpenSSL 3.5 reports a skipped warning alert, such
 * as TLS 1.3 user_canceled, this way instead of as WANT_READ).
 */
static int input_exhausted_quietly(const nt_conn *conn)
{
    return conn->in.pos == conn->in.len && ERR_peek_error() == 0;
}

/* Advances the handshake as far as the input allows; 0 means an exception is pending. */
static int handshake_step(JNIEnv *env, nt_conn *conn)
{
    if (SSL_is_init_finished(conn->ssl)) {
        return 1;
    }
    int r = SSL_do_handshake(conn->ssl);
    if (r == 1) {
        return 1;
    }
    switch (SSL_get_error(conn->ssl, r)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        return 1;
    case SSL_ERROR_WANT_RETRY_VERIFY:
    case SSL_ERROR_WANT_X509_LOOKUP:
        /* Paused for a delegated task: state_flags reports NT_F_NEED_TASK until a step resumes it. */
        return 1;
    case SSL_ERROR_ZERO_RETURN:
        nt_throw_message(env, nt_jni.ssl_handshake_exception, "TLS handshake failed: the peer sent close_notify");
        return 0;
    case SSL_ERROR_SYSCALL:
        if (input_exhausted_quietly(conn)) {
            return 1;
        }
        nt_throw_failure(env, conn, NT_FAILURE_HANDSHAKE, "TLS handshake");
        return 0;
    default:
        nt_throw_failure(env, conn, NT_FAILURE_HANDSHAKE, "TLS handshake");
        return 0;
    }
}

/* The most bytes one record adds to its plaintext, plus room for a KeyUpdate written alongside. */
static size_t record_overhead(const nt_conn *conn)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(conn->ssl);
    size_t overhead;
    if (SSL_version(conn->ssl) >= TLS1_3_VERSION) {
        overhead = 5 + 1 + 16;
    } else if (c != NULL && SSL_CIPHER_is_aead(c)) {
        overhead = 5 + 8 + 16;
    } else {
        overhead = 5 + 16 + 64 + 16;
    }
    return overhead + 64;
}

/*
 * The most plaintext one application-data record may carry so that the record, header included,
 * stays within packet bytes, for the negotiated suite (as SunJSSE fills its records to the
 * packet size). Never below 1: a packet smaller than the overhead cannot be honoured.
 */
static size_t fragment_for_packet(const nt_conn *conn, size_t packet)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(conn->ssl);
    long fragment;
    if (SSL_version(conn->ssl) >= TLS1_3_VERSION) {
        fragment = (long)packet - (5 + 1 + 16); /* header, inner content type, AEAD tag */
    } else if (c != NULL && SSL_CIPHER_get_cipher_nid(c) == NID_chacha20_poly1305) {
        fragment = (long)packet - (5 + 16); /* nonce derived from the sequence number */
    } else if (c != NULL && SSL_CIPHER_is_aead(c)) {
        fragment = (long)packet - (5 + 8 + 16); /* explicit nonce, tag */
    } else {
        /* CBC: explicit IV, then whole blocks of plaintext, MAC (up to SHA-384's 48) and padding. */
        fragment = ((long)packet - 5 - 16 - 48) / 16 * 16 - 1;
    }
    if (fragment > NT_MAX_PLAINTEXT) {
        fragment = NT_MAX_PLAINTEXT;
    }
    return fragment < 1 ? 1 : (size_t)fragment;
}

/*
 * Before the suite is known every record must fit too: SunJSSE's worst case, a CBC record's
 * explicit IV, SHA-384 MAC and a block of padding. OpenSSL takes no limit under 512 bytes.
 */
#define NT_PACKET_WORST_OVERHEAD (5 + 16 + 48 + 16)
#define NT_MIN_SEND_FRAGMENT 512

/*
 * Lowering max_send_fragment lowers split_send_fragment with it, raising it does not: both are
 * set, so a limit can grow again (once the suite is known, or when the user sets a larger one).
 */
static int set_send_fragment(SSL *ssl, long fragment)
{
    return SSL_set_max_send_fragment(ssl, fragment) == 1 && SSL_set_split_send_fragment(ssl, fragment) == 1;
}

static void native_connectionSetMaxPacketSize(JNIEnv *env, jclass cls, jlong handle, jint packet,
                                              jint max_fragment_length)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    SSL *ssl = conn->ssl;
    ERR_clear_error();
    long fragment = packet > 0 ? (long)packet - NT_PACKET_WORST_OVERHEAD : NT_MAX_PLAINTEXT;
    if (fragment > NT_MAX_PLAINTEXT) {
        fragment = NT_MAX_PLAINTEXT;
    }
    if (fragment < NT_MIN_SEND_FRAGMENT) {
        fragment = NT_MIN_SEND_FRAGMENT;
    }
    if (!set_send_fragment(ssl, fragment)) {
        nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the maximum packet size");
        return;
    }
    conn->max_packet = packet > 0 ? (size_t)packet : 0;
    conn->max_packet_exact = 0;
    if (max_fragment_length != 0 && !SSL_is_server(ssl)
        && SSL_set_tlsext_max_fragment_length(ssl, (uint8_t)max_fragment_length) != 1) {
        nt_throw_openssl(env, nt_jni.illegal_argument_exception, "requesting a maximum fragment length");
    }
}

static void throw_record_error(JNIEnv *env, nt_conn *conn, const char *operation)
{
    unsigned long e = ERR_peek_error();
    int kind = ERR_GET_REASON(e) == SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC ? NT_FAILURE_RECORD : NT_FAILURE_PROTOCOL;
    nt_throw_failure(env, conn, kind, operation);
}

static void native_connectionDisableExtensions(JNIEnv *env, jclass cls, jlong handle, jint extensions)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    if ((extensions & NT_EXTENSION_EXTENDED_MASTER_SECRET) != 0) {
        SSL_set_options(conn->ssl, SSL_OP_NO_EXTENDED_MASTER_SECRET);
    }
}

static int set_string(JNIEnv *env, SSL *ssl, jstring value, int (*setter)(SSL *, const char *))
{
    if (value == NULL) {
        return 1;
    }
    const char *s = (*env)->GetStringUTFChars(env, value, NULL);
    if (s == NULL) {
        return 0;
    }
    int ok = setter(ssl, s) == 1;
    (*env)->ReleaseStringUTFChars(env, value, s);
    return ok;
}

static int set_host_name(SSL *ssl, const char *name)
{
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/* Only for suite sets the context has no SSL_CTX for: OpenSSL parses the lists on every call. */
static void native_connectionSetCipherSuites(JNIEnv *env, jclass cls, jlong handle, jstring tls12, jstring tls13)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    ERR_clear_error();
    if (!set_string(env, conn->ssl, tls12, SSL_set_cipher_list)
        || !set_string(env, conn->ssl, tls13, SSL_set_ciphersuites)) {
        nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the enabled cipher suites");
    }
}

static void native_connectionConfigure(JNIEnv *env, jclass cls, jlong handle, jint protocols, jstring sni,
                                       jint client_auth)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    SSL *ssl = conn->ssl;
    ERR_clear_error();
    int min = (protocols & NT_PROTOCOL_TLS12) != 0 ? TLS1_2_VERSION : TLS1_3_VERSION;
    int max = (protocols & NT_PROTOCOL_TLS13) != 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
    if (SSL_set_min_proto_version(ssl, min) != 1 || SSL_set_max_proto_version(ssl, max) != 1) {
        nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the enabled protocols");
        return;
    }
    if (!set_string(env, ssl, sni, set_host_name)) {
        nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the server name");
        return;
    }
    if (SSL_is_server(ssl)) {
        int mode = client_auth == 0 ? SSL_VERIFY_NONE
                 : client_auth == 1 ? SSL_VERIFY_PEER
                                    : SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        SSL_set_verify(ssl, mode, NULL);
    }
}

static jlong native_handshake(JNIEnv *env, jclass cls, jlong handle, jobject owner)
{
    nt_conn *conn = nt_conn_begin(env, handle, owner);
    handshake_step(env, conn);
    jlong result = pack(0, 0, state_flags(conn, 0));
    nt_conn_end(conn);
    return result;
}

/*
 * Encrypts from the source window (direct or pinned) into the destination, record by record. Returns the bytes
 * consumed; *failed is set when SSL_write failed (the error is still on OpenSSL's queue: the
 * caller throws once no array is pinned).
 */
static size_t write_application_data(nt_conn *conn, size_t src_len, size_t limit, size_t *produced, int *overflow,
                                     int *failed)
{
    size_t consumed = 0;
    size_t overhead = record_overhead(conn);
    size_t fragment = conn->max_packet > 0 ? fragment_for_packet(conn, conn->max_packet) : NT_MAX_PLAINTEXT;
    if (conn->max_packet > 0 && !conn->max_packet_exact) {
        /*
         * The suite is known now: records may grow from the worst case's size to the packet size,
         * as SunJSSE fills them. If OpenSSL refuses (a fragment under its 512), the worst case's
         * limit stays and the chunks below keep application data within the packet size.
         */
        ERR_clear_error();
        if (fragment >= NT_MIN_SEND_FRAGMENT && !set_send_fragment(conn->ssl, (long)fragment)) {
            ERR_clear_error();
        }
        conn->max_packet_exact = 1;
    }
    nt_window *in = &conn->in;
    nt_window *out = &conn->out;
    while (consumed < src_len && *produced < limit) {
        size_t chunk = src_len - consumed < fragment ? src_len - consumed : fragment;
        if (out->len - out->pos < chunk + overhead) {
            *overflow = consumed == 0 && *produced == 0;
            break;
        }
        const uint8_t *plain = in->addr + in->off + consumed;
        size_t before = out->pos;
        size_t written = 0;
        conn->out_enabled = 1;
        int r = SSL_write_ex(conn->ssl, plain, chunk, &written);
        conn->out_enabled = 0;
        if (r != 1) {
            *failed = 1;
            break;
        }
        consumed += written;
        *produced += out->pos - before;
        if (conn->pend_len > 0) {
            break; /* a record did not fit after all: it waits in pend for the next wrap */
        }
    }
    return consumed;
}

/* While pinned the garbage collector waits, so one call encrypts at most this much. */
#define NT_MAX_PINNED_PER_CALL (1u << 20)

static jlong wrap_or_drain(JNIEnv *env, jlong handle, jobject owner, jlong src_address, jbyteArray src_array,
                           jint src_pos, jint src_len, jlong dst_address, jbyteArray dst_array, jint dst_pos,
                           jint dst_len, int drain_only)
{
    nt_conn *conn = nt_conn_begin(env, handle, owner);
    size_t consumed = 0;
    size_t produced = 0;
    int overflow = 0;
    nt_conn_set_window(&conn->out, dst_address, dst_array, dst_pos, dst_len);
    if (!drain_only) {
        nt_conn_set_window(&conn->in, src_address, src_array, src_pos, src_len);
    }
    produced = drain(conn, &overflow);
    if (drain_only || conn->pend_len > 0 || nt_pending_exception(env)) {
        goto done;
    }
    if (!SSL_is_init_finished(conn->ssl)) {
        if (handshake_step(env, conn)) {
            produced += drain(conn, &overflow);
        }
    } else if (src_len > 0) {
        int failed = 0;
        size_t limit = conn->in.array != NULL || conn->out.array != NULL ? NT_MAX_PINNED_PER_CALL : NT_MAX_PER_CALL;
        if (!nt_conn_enter_critical(env, conn)) {
            goto done;
        }
        consumed = write_application_data(conn, (size_t)src_len, limit, &produced, &overflow, &failed);
        nt_conn_leave_critical(env, conn);
        if (failed) {
            throw_record_error(env, conn, "SSL_write");
        }
    }

done:;
    jlong result = pack(consumed, produced, state_flags(conn, overflow));
    nt_conn_end(conn);
    return result;
}

static jlong native_wrap(JNIEnv *env, jclass cls, jlong handle, jobject owner, jlong src_address,
                         jbyteArray src_array, jint src_pos, jint src_len, jlong dst_address, jbyteArray dst_array,
                         jint dst_pos, jint dst_len)
{
    return wrap_or_drain(env, handle, owner, src_address, src_array, src_pos, src_len, dst_address, dst_array,
                         dst_pos, dst_len, 0);
}

static jlong native_drain(JNIEnv *env, jclass cls, jlong handle, jobject owner, jlong dst_address,
                          jbyteArray dst_array, jint dst_pos, jint dst_len)
{
    return wrap_or_drain(env, handle, owner, 0, NULL, 0, 0, dst_address, dst_array, dst_pos, dst_len, 1);
}

/* Decrypts one record's application data into the destination window (pinned or direct). */
static int read_application_data(nt_conn *conn, size_t *n)
{
    nt_window *out = &conn->out;
    int r = SSL_read_ex(conn->ssl, out->addr + out->off, out->len, n);
    if (r == 1) {
        return 1;
    }
    *n = 0;
    switch (SSL_get_error(conn->ssl, r)) {
    case SSL_ERROR_WANT_READ:   /* a record without application data (ticket, key update, alert) */
    case SSL_ERROR_WANT_WRITE:
    case SSL_ERROR_WANT_X509_LOOKUP: /* a post-handshake CertificateRequest: resumed by native_unwrap */
    case SSL_ERROR_ZERO_RETURN: /* close_notify: reported through the flags */
        nt_clear_errors();
        return 1;
    case SSL_ERROR_SYSCALL:
        return input_exhausted_quietly(conn);
    default:
        return 0;
    }
}

static jlong native_unwrap(JNIEnv *env, jclass cls, jlong handle, jobject owner, jlong src_address,
                           jbyteArray src_array, jint src_pos, jint src_len, jlong dst_address,
                           jbyteArray dst_array, jint dst_pos, jint dst_len)
{
    nt_conn *conn = nt_conn_begin(env, handle, owner);
    size_t produced = 0;
    nt_conn_set_window(&conn->in, src_address, src_array, src_pos, src_len);
    nt_conn_set_window(&conn->out, dst_address, dst_array, dst_pos, dst_len);
    if (!SSL_is_init_finished(conn->ssl)) {
        handshake_step(env, conn);
    } else if (nt_conn_enter_critical(env, conn)) {
        int ok = read_application_data(conn, &produced);
        nt_conn_leave_critical(env, conn);
        nt_sessions_report_deferred(conn);
        if (!ok) {
            throw_record_error(env, conn, "SSL_read");
        } else if (SSL_want_x509_lookup(conn->ssl)) {
            /*
             * The server asked for our certificate after the handshake (TLS 1.3 post-handshake
             * authentication); the certificate callback paused while the arrays were pinned. Now
             * it runs, and Certificate, CertificateVerify and Finished go into pend for the next wrap.
             */
            handshake_step(env, conn);
        } else if (SSL_get_key_update_type(conn->ssl) == SSL_KEY_UPDATE_NOT_REQUESTED) {
            /*
             * The peer asked for our KeyUpdate. OpenSSL queues the answer (this very type) for the
             * next SSL_write; queued again through the API and written now, into pend, it leaves
             * with the next wrap, which the engine asks for at once, as SunJSSE does.
             */
            if (SSL_key_update(conn->ssl, SSL_KEY_UPDATE_NOT_REQUESTED) != 1) {
                nt_throw_failure(env, conn, NT_FAILURE_RECORD, "answering the peer's KeyUpdate");
            } else {
                handshake_step(env, conn);
            }
        }
    }
    jlong result = pack(conn->in.pos, produced, state_flags(conn, 0));
    nt_conn_end(conn);
    return result;
}

static jint native_refuseRecord(JNIEnv *env, jclass cls, jlong handle, jobject owner, jint problem,
                                jboolean first_record)
{
    nt_conn *conn = nt_conn_begin(env, handle, owner);
    jint alert = nt_refuse_record(conn, problem, first_record == JNI_TRUE);
    nt_conn_end(conn);
    return alert;
}

static jlong native_shutdown(JNIEnv *env, jclass cls, jlong handle, jobject owner)
{
    nt_conn *conn = nt_conn_begin(env, handle, owner);
    /* Mid-handshake OpenSSL cannot send close_notify; the caller then just closes the transport. */
    if (SSL_is_init_finished(conn->ssl) && (SSL_get_shutdown(conn->ssl) & SSL_SENT_SHUTDOWN) == 0) {
        SSL_shutdown(conn->ssl);
    }
    ERR_clear_error();
    /*
     * The close_notify is in pend now, but OpenSSL keeps the 17 KiB write buffer it wrote the alert
     * through (SSL_MODE_RELEASE_BUFFERS releases it only after application data). A server that
     * closes first often never hears of the connection again: Netty, for one, does not call
     * closeInbound once the outbound is closed, so the engine stays half open until the Cleaner
     * frees it after a GC, and thousands of such connections each kept that buffer. 0 means a
     * buffer still holds data (a record partly read): then it stays, nothing is lost either way.
     */
    (void)SSL_free_buffers(conn->ssl);
    jlong result = pack(0, 0, state_flags(conn, 0));
    nt_conn_end(conn);
    return result;
}

/*
 * TLS 1.3: queues a KeyUpdate that also asks the peer to update its keys (what SSLEngine.beginHandshake
 * and SSLSocket.startHandshake mean on an established TLS 1.3 connection, as with SunJSSE). The
 * handshake call writes it now, into pend, so the next wrap sends it before any application data.
 */
static jlong native_keyUpdate(JNIEnv *env, jclass cls, jlong handle, jobject owner)
{
    nt_conn *conn = nt_conn_begin(env, handle, owner);
    ERR_clear_error();
    if (SSL_key_update(conn->ssl, SSL_KEY_UPDATE_REQUESTED) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "SSL_key_update");
    } else if (SSL_do_handshake(conn->ssl) != 1) {
        nt_throw_failure(env, conn, NT_FAILURE_RECORD, "sending a KeyUpdate");
    }
    jlong result = pack(0, 0, state_flags(conn, 0));
    nt_conn_end(conn);
    return result;
}

static jint native_pendingBytes(JNIEnv *env, jclass cls, jlong handle)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    return conn->pend_len > INT32_MAX ? INT32_MAX : (jint)conn->pend_len;
}

static const JNINativeMethod methods[] = {
    {"connectionDisableExtensions", "(JI)V", (void *)native_connectionDisableExtensions},
    {"connectionSetCipherSuites", "(JLjava/lang/String;Ljava/lang/String;)V", (void *)native_connectionSetCipherSuites},
    {"connectionConfigure", "(JILjava/lang/String;I)V", (void *)native_connectionConfigure},
    {"connectionSetMaxPacketSize", "(JII)V", (void *)native_connectionSetMaxPacketSize},
    {"handshake", "(J" NT_CALLBACKS_TYPE ")J", (void *)native_handshake},
    {"wrap", "(J" NT_CALLBACKS_TYPE "J[BIIJ[BII)J", (void *)native_wrap},
    {"drain", "(J" NT_CALLBACKS_TYPE "J[BII)J", (void *)native_drain},
    {"unwrap", "(J" NT_CALLBACKS_TYPE "J[BIIJ[BII)J", (void *)native_unwrap},
    {"refuseRecord", "(J" NT_CALLBACKS_TYPE "IZ)I", (void *)native_refuseRecord},
    {"shutdown", "(J" NT_CALLBACKS_TYPE ")J", (void *)native_shutdown},
    {"keyUpdate", "(J" NT_CALLBACKS_TYPE ")J", (void *)native_keyUpdate},
    {"pendingBytes", "(J)I", (void *)native_pendingBytes},
};
NT_NATIVES(nt_ssl_natives, methods);
