/*
 * OCSP stapling (status_request, RFC 6066), both roles, through OpenSSL's one status callback.
 *
 * Client: the trust decision sees the stapled response, as SunJSSE's does. In TLS 1.3 the
 * response rides in the Certificate message and is there when the verify callback runs. In
 * TLS 1.2 CertificateStatus follows Certificate, but OpenSSL verifies right after Certificate:
 * when a status was asked for, the verify callback accepts provisionally (nt_ocsp_verify_deferred)
 * and the Java trust decision runs here, after ServerHelloDone and before the client writes
 * anything, with the response or none. A refusal here makes OpenSSL send
 * bad_certificate_status_response.
 *
 * Server: once OpenSSL has chosen the certificate it asks this callback; Java answers with the
 * DER response for that leaf (from its cache or its responder, bounded by the configured
 * timeout) or none, and OpenSSL staples it (TLS 1.2 CertificateStatus, TLS 1.3 the leaf's
 * certificate entry).
 */
#include <stdint.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "nativetls.h"

int nt_ocsp_verify_deferred(const SSL *ssl)
{
    return !SSL_is_server(ssl) && SSL_version(ssl) < TLS1_3_VERSION
           && SSL_get_tlsext_status_type((SSL *)ssl) == TLSEXT_STATUSTYPE_ocsp;
}

/* Client, TLS 1.2: the deferred trust decision; 1 trusted, 0 refused (OpenSSL sends the alert). */
static int client_status(SSL *ssl)
{
    if (SSL_version(ssl) >= TLS1_3_VERSION) {
        return 1; /* decided in the verify callback, which saw the response already */
    }
    X509 *leaf = SSL_get0_peer_certificate(ssl);
    if (leaf == NULL) {
        return 1; /* a resumed handshake: nothing to decide (OpenSSL does not call then) */
    }
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL) {
        return 0;
    }
    /* On the client the peer chain starts with the leaf. */
    return nt_verify_peer(conn, ssl, SSL_get_peer_cert_chain(ssl), leaf) == X509_V_OK;
}

/* Server: the response Java has for the chosen leaf, handed to OpenSSL, or NOACK for none. */
static int server_status(SSL *ssl)
{
    nt_conn *conn = nt_conn_in_call(ssl);
    X509 *leaf = SSL_get_certificate(ssl);
    if (conn == NULL || leaf == NULL) {
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
    if (SSL_set_tlsext_status_type(conn->ssl, TLSEXT_STATUSTYPE_ocsp) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "requesting the certificate status");
    }
}

static const JNINativeMethod methods[] = {
    {"contextEnableStatus", "(JZ)V", (void *)native_contextEnableStatus},
    {"connectionRequestStatus", "(J)V", (void *)native_connectionRequestStatus},
};
NT_NATIVES(nt_ocsp_natives, methods);
