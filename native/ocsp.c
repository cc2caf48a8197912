/*
 * OCSP stapling (status_request, RFC 6066), both roles, through OpenSSL's one status callback.
 *
 * Client: the trust decision sees the stapled response, as SunJSSE's does. In TLS 1.2
 * CertificateStatus follows Certificate, but OpenSSL verifies right after Certificate: when a
 * status was asked for, the verify callback accepts provisionally (nt_ocsp_verify_deferred) and
 * the Java trust decision runs here, with the response or none. OpenSSL calls this once the
 * server's flight is read (TLS 1.2: after ServerHelloDone; TLS 1.3: after CertificateVerify,
 * both mandatory in a full handshake) and before the client writes anything. A TLS 1.3 client
 * given a staple defers too, though the response is already there in the verify callback: a
 * refusal here makes OpenSSL send bad_certificate_status_response, which is what SunJSSE sends
 * when stapling is active and the revocation check fails (from the verify callback the alert
 * could only be bad_certificate). Without a staple (TLS 1.3) or an acknowledgement (TLS 1.2)
 * the verify callback decides as before. The tests refuse revoked staples in both versions, so
 * a path that skipped this call would show.
 *
 * Server: once OpenSSL has chosen the certificate it asks this callback; Java answers with the
 * DER response for that leaf (from its cache or its responder, bounded by the configured
 * timeout) or none, and OpenSSL staples it (TLS 1.2 CertificateStatus, TLS 1.3 the leaf's
 * certificate entry).
 */
#include <stdint.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "nativetls.h"

/*
 * Set (to non-NULL) on a client SSL whose server acknowledged status_request in its TLS 1.2
 * ServerHello: OpenSSL keeps that to itself, and only then does SunJSSE defer (staplingActive).
 */
static int acked_index = -1;
static CRYPTO_ONCE acked_once = CRYPTO_ONCE_STATIC_INIT;

static void acked_index_init(void)
{
    acked_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

/* Whether the ServerHello body (after type and length) carries the status_request extension. */
static int server_hello_acks_status(const unsigned char *p, size_t len)
{
    size_t off = 2 + 32; /* legacy_version, random */
    if (off >= len) {
        return 0;
    }
    off += 1 + p[off];   /* session id */
    off += 2 + 1;        /* cipher suite, compression */
    if (off + 2 > len) {
        return 0;
    }
    size_t end = off + 2 + ((size_t)p[off] << 8 | p[off + 1]);
    off += 2;
    if (end > len) {
        return 0;
    }
    while (off + 4 <= end) {
        unsigned type = (unsigned)p[off] << 8 | p[off + 1];
        size_t ext_len = (size_t)p[off + 2] << 8 | p[off + 3];
        if (type == TLSEXT_TYPE_status_request) {
            return 1;
        }
        off += 4 + ext_len;
    }
    return 0;
}

static void message_callback(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl,
                             void *arg)
{
    const unsigned char *msg = buf;
    if (write_p || content_type != SSL3_RT_HANDSHAKE || len < 4 || msg[0] != SSL3_MT_SERVER_HELLO) {
        return;
    }
    if (server_hello_acks_status(msg + 4, len - 4)) {
        SSL_set_ex_data(ssl, acked_index, (void *)1);
    }
}

/*
 * Whether the trust decision waits for the status callback: where SunJSSE's stapling is active,
 * that is a TLS 1.2 server acknowledged status_request, or a TLS 1.3 server stapled a response
 * to its leaf. Otherwise the verify callback decides, with the alerts it always had.
 */
int nt_ocsp_verify_deferred(const SSL *ssl)
{
    if (SSL_is_server(ssl) || SSL_get_tlsext_status_type((SSL *)ssl) != TLSEXT_STATUSTYPE_ocsp) {
        return 0;
    }
    if (SSL_version(ssl) < TLS1_3_VERSION) {
        return acked_index >= 0 && SSL_get_ex_data(ssl, acked_index) != NULL;
    }
    const unsigned char *resp = NULL;
    return SSL_get_tlsext_status_ocsp_resp((SSL *)ssl, &resp) > 0 && resp != NULL;
}

/* Client: the deferred trust decision; 1 trusted, 0 refused (OpenSSL sends the alert). */
static int client_status(SSL *ssl)
{
    X509 *leaf = SSL_get0_peer_certificate(ssl);
    if (leaf == NULL || SSL_session_reused(ssl) || !nt_ocsp_verify_deferred(ssl)) {
        return 1; /* decided in the verify callback, or no Certificate message at all */
    }
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL) {
        return 0;
    }
    /* On the client the peer chain starts with the leaf. OpenSSL cannot pause here: the check runs inline. */
    return nt_verify_peer(conn, ssl, SSL_get_peer_cert_chain(ssl), leaf, 0) == X509_V_OK;
}

/* Server: the response Java has for the chosen leaf, handed to OpenSSL, or NOACK for none. */
static int server_status(SSL *ssl)
{
    nt_conn *conn = nt_conn_in_call(ssl);
    X509 *leaf = SSL_get_certificate(ssl);
    /* A resumption sends no Certificate, so no staple (as SunJSSE): no reason to fetch one. */
    if (conn == NULL || leaf == NULL || SSL_session_reused(ssl)) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    JNIEnv *env = conn->env;
    unsigned char *der = NULL;
    int der_len = i2d_X509(leaf, &der);
    if (der_len <= 0) {
        ERR_clear_error();
        return SSL_TLSEXT_ERR_NOACK; /* no staple: the handshake goes on, as when the responder fails */
    }
    jbyteArray jleaf = (*env)->NewByteArray(env, der_len);
    if (jleaf != NULL) {
        (*env)->SetByteArrayRegion(env, jleaf, 0, der_len, (const jbyte *)der);
    }
    OPENSSL_free(der);
    jbyteArray response = NULL;
    if (jleaf != NULL) {
        response = (*env)->CallObjectMethod(env, conn->owner, nt_jni.stapled_response, jleaf);
    }
    (*env)->DeleteLocalRef(env, jleaf);
    if (nt_pending_exception(env)) {
        nt_upcall_failed(conn);
        return SSL_TLSEXT_ERR_NOACK;
    }
    if (response == NULL) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    jsize len = (*env)->GetArrayLength(env, response);
    unsigned char *copy = len > 0 ? OPENSSL_malloc((size_t)len) : NULL;
    if (copy == NULL) {
        (*env)->DeleteLocalRef(env, response);
        ERR_clear_error();
        return SSL_TLSEXT_ERR_NOACK;
    }
    (*env)->GetByteArrayRegion(env, response, 0, len, (jbyte *)copy);
    (*env)->DeleteLocalRef(env, response);
    /* OpenSSL owns copy from here, also when it fails. */
    if (SSL_set_tlsext_status_ocsp_resp(ssl, copy, len) != 1) {
        ERR_clear_error();
        return SSL_TLSEXT_ERR_NOACK;
    }
    return SSL_TLSEXT_ERR_OK;
}

/* arg: non-zero when this context staples as a server. */
static int status_callback(SSL *ssl, void *arg)
{
    if (!SSL_is_server(ssl)) {
        return client_status(ssl);
    }
    return arg != NULL ? server_status(ssl) : SSL_TLSEXT_ERR_NOACK;
}

/* A context whose clients ask for staples or whose servers staple (or both). */
static void native_contextEnableStatus(JNIEnv *env, jclass cls, jlong handle, jboolean server_stapling)
{
    SSL_CTX *ctx = nt_jlong_to_ptr(handle);
    ERR_clear_error();
    if (SSL_CTX_set_tlsext_status_cb(ctx, status_callback) != 1
        || SSL_CTX_set_tlsext_status_arg(ctx, server_stapling ? (void *)(intptr_t)1 : NULL) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "installing the OCSP status callback");
    }
}

/* Client: send status_request (type ocsp, no responder ids, no extensions), as SunJSSE does. */
static void native_connectionRequestStatus(JNIEnv *env, jclass cls, jlong handle)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    ERR_clear_error();
    if (!CRYPTO_THREAD_run_once(&acked_once, acked_index_init) || acked_index < 0
        || SSL_set_tlsext_status_type(conn->ssl, TLSEXT_STATUSTYPE_ocsp) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "requesting the certificate status");
        return;
    }
    SSL_set_msg_callback(conn->ssl, message_callback);
}

static const JNINativeMethod methods[] = {
    {"contextEnableStatus", "(JZ)V", (void *)native_contextEnableStatus},
    {"connectionRequestStatus", "(J)V", (void *)native_connectionRequestStatus},
};
NT_NATIVES(nt_ocsp_natives, methods);
