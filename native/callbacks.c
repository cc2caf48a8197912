/*
 * Callbacks OpenSSL makes during a handshake, forwarded to the Java object that drives the
 * connection (the owner passed into the current native call, on the same thread): the trust
 * decision, the choice of certificate and key, and alert bookkeeping for error messages.
 * A Java callback never throws into here; it returns a verdict and keeps its exception.
 */
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "nativetls.h"

/* The verdicts Java answers with are OpenSSL's numbers, named once in SslNative. */
_Static_assert(io_nativetls_internal_jni_SslNative_X509_V_OK == X509_V_OK, "X509_V_OK");
_Static_assert(io_nativetls_internal_jni_SslNative_X509_V_ERR_CERT_NOT_YET_VALID == X509_V_ERR_CERT_NOT_YET_VALID,
               "X509_V_ERR_CERT_NOT_YET_VALID");
_Static_assert(io_nativetls_internal_jni_SslNative_X509_V_ERR_CERT_HAS_EXPIRED == X509_V_ERR_CERT_HAS_EXPIRED,
               "X509_V_ERR_CERT_HAS_EXPIRED");
_Static_assert(io_nativetls_internal_jni_SslNative_X509_V_ERR_CERT_UNTRUSTED == X509_V_ERR_CERT_UNTRUSTED,
               "X509_V_ERR_CERT_UNTRUSTED");
_Static_assert(io_nativetls_internal_jni_SslNative_X509_V_ERR_APPLICATION_VERIFICATION
                   == X509_V_ERR_APPLICATION_VERIFICATION,
               "X509_V_ERR_APPLICATION_VERIFICATION");

static const char *tls12_auth_type(const SSL_CIPHER *c)
{
    if (c == NULL) {
        return "UNKNOWN";
    }
    int kx = SSL_CIPHER_get_kx_nid(c);
    int au = SSL_CIPHER_get_auth_nid(c);
    if (kx == NID_kx_ecdhe) {
        return au == NID_auth_rsa ? "ECDHE_RSA" : au == NID_auth_ecdsa ? "ECDHE_ECDSA" : "UNKNOWN";
    }
    if (kx == NID_kx_dhe) {
        return au == NID_auth_rsa ? "DHE_RSA" : au == NID_auth_dss ? "DHE_DSS" : "UNKNOWN";
    }
    if (kx == NID_kx_rsa) {
        return "RSA";
    }
    return "UNKNOWN";
}

static const SSL_CIPHER *negotiated_cipher(const SSL *ssl)
{
    const SSL_CIPHER *c = SSL_get_pending_cipher(ssl);
    return c != NULL ? c : SSL_get_current_cipher(ssl);
}

static jstring new_string(JNIEnv *env, const char *s)
{
    return s != NULL ? (*env)->NewStringUTF(env, s) : NULL;
}

static int fail_verify(X509_STORE_CTX *store, int error)
{
    X509_STORE_CTX_set_error(store, error);
    return 0;
}

/* The OCSP response stapled to the peer's leaf (a new byte[]), or NULL when there is none. */
static jbyteArray stapled_response(JNIEnv *env, SSL *ssl)
{
    const unsigned char *resp = NULL;
    long len = SSL_is_server(ssl) ? -1 : SSL_get_tlsext_status_ocsp_resp(ssl, &resp);
    if (resp == NULL || len <= 0) {
        return NULL;
    }
    jbyteArray out = (*env)->NewByteArray(env, (jsize)len);
    if (out != NULL) {
        (*env)->SetByteArrayRegion(env, out, 0, (jsize)len, (const jbyte *)resp);
    }
    return out;
}

int nt_verify_peer(nt_conn *conn, SSL *ssl, STACK_OF(X509) *untrusted, X509 *leaf, int may_pause)
{
    JNIEnv *env = conn->env;
    const SSL_CIPHER *cipher = negotiated_cipher(ssl);
    const char *auth = NULL;
    if (!SSL_is_server(ssl)) {
        /* TLS 1.3 suites name no key exchange: SunJSSE's trust manager expects UNKNOWN there. */
        auth = SSL_version(ssl) >= TLS1_3_VERSION ? "UNKNOWN" : tls12_auth_type(cipher);
    }
    jint verdict = X509_V_ERR_APPLICATION_VERIFICATION;
    jobjectArray chain = nt_der_array(env, untrusted, leaf);
    jstring jauth = new_string(env, auth);
    jstring jprotocol = new_string(env, SSL_get_version(ssl));
    jstring jsuite = new_string(env, cipher != NULL ? SSL_CIPHER_standard_name(cipher) : NULL);
    jintArray schemes = nt_peer_signature_schemes(env, ssl);
    jbyteArray status = schemes != NULL && !nt_pending_exception(env) ? stapled_response(env, ssl) : NULL;
    if (chain != NULL && schemes != NULL && !nt_pending_exception(env)) {
        verdict = (*env)->CallIntMethod(env, conn->owner, nt_jni.verify_peer, chain, jauth, jprotocol, jsuite,
                                        schemes, status, may_pause ? JNI_TRUE : JNI_FALSE);
    }
    if (nt_pending_exception(env)) {
        /* Only an Error can get here (the Java side catches the rest): fail this handshake. */
        nt_upcall_failed(conn);
        verdict = X509_V_ERR_APPLICATION_VERIFICATION;
    }
    (*env)->DeleteLocalRef(env, chain);
    (*env)->DeleteLocalRef(env, jauth);
    (*env)->DeleteLocalRef(env, jprotocol);
    (*env)->DeleteLocalRef(env, jsuite);
    (*env)->DeleteLocalRef(env, schemes);
    (*env)->DeleteLocalRef(env, status);
    return verdict;
}

int nt_verify_callback(X509_STORE_CTX *store, void *arg)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL) {
        return fail_verify(store, X509_V_ERR_APPLICATION_VERIFICATION);
    }
    /* TLS 1.2 with a status request: the trust decision waits for CertificateStatus (ocsp.c). */
    jint verdict = nt_ocsp_verify_deferred(ssl)
                       ? X509_V_OK
                       : nt_verify_peer(conn, ssl, X509_STORE_CTX_get0_untrusted(store), X509_STORE_CTX_get0_cert(store),
                                        1);
    if (verdict == NT_CALLBACK_RETRY) {
        /*
         * A delegated task decides (client only: OpenSSL 3.0-3.5 cannot retry a server's check).
         * The handshake stops with SSL_ERROR_WANT_RETRY_VERIFY, and the next SSL_do_handshake
         * calls this callback again, which then gets the task's verdict.
         */
        if (SSL_is_server(ssl) || !SSL_set_retry_verify(ssl)) {
            return fail_verify(store, X509_V_ERR_APPLICATION_VERIFICATION);
        }
        X509_STORE_CTX_set_error(store, X509_V_OK);
        return 1;
    }
    if (verdict != X509_V_OK) {
        return fail_verify(store, verdict);
    }
    X509_STORE_CTX_set_error(store, X509_V_OK);
    return 1;
}

#define NT_MAX_CREDENTIALS 8

int nt_cert_callback(SSL *ssl, void *arg)
{
    nt_conn *pinned = nt_conn_of(ssl);
    if (pinned != NULL && pinned->critical) {
        /*
         * A TLS 1.3 server's post-handshake CertificateRequest, read inside SSL_read while the
         * record's arrays are pinned (no JNI call allowed): OpenSSL pauses, and ssl.c resumes it
         * once they are released, when this callback can ask the key manager.
         */
        return -1;
    }
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL) {
        return 0;
    }
    JNIEnv *env = conn->env;
    /* What the choice depends on: a client's the request's issuers, a TLS 1.2 server's the suites' key types. */
    int version = SSL_version(ssl);
    int server = SSL_is_server(ssl);
    jintArray schemes = nt_peer_signature_schemes(env, ssl);
    jobjectArray issuers = schemes != NULL && !server ? nt_peer_ca_names(env, ssl) : NULL;
    jobjectArray key_types = schemes != NULL && server && version < TLS1_3_VERSION ? nt_server_key_types(env, ssl)
                                                                                   : NULL;
    jlongArray chosen = NULL;
    if (!nt_pending_exception(env)) {
        chosen = (*env)->CallObjectMethod(env, conn->owner, nt_jni.select_credentials, schemes, (jint)version,
                                          issuers, key_types);
    }
    (*env)->DeleteLocalRef(env, schemes);
    (*env)->DeleteLocalRef(env, issuers);
    (*env)->DeleteLocalRef(env, key_types);
    if (nt_pending_exception(env)) {
        nt_upcall_failed(conn);
        return 0;
    }
    if (chosen == NULL) {
        return 0;
    }
    jlong handles[NT_MAX_CREDENTIALS];
    jsize n = (*env)->GetArrayLength(env, chosen);
    if (n > NT_MAX_CREDENTIALS) {
        n = NT_MAX_CREDENTIALS;
    }
    (*env)->GetLongArrayRegion(env, chosen, 0, n, handles);
    (*env)->DeleteLocalRef(env, chosen);
    if (n == 1 && handles[0] == NT_CALLBACK_RETRY) {
        /* A delegated task chooses: SSL_ERROR_WANT_X509_LOOKUP, and OpenSSL calls again on the next step. */
        return -1;
    }
    for (jsize i = 0; i < n; i++) {
        nt_credential *cred = nt_jlong_to_ptr(handles[i]);
        /* The SSL takes its own references: the cached credential may be freed while it lives. */
        if (cred == NULL || SSL_use_cert_and_key(ssl, cred->leaf, cred->key, cred->chain, 1) != 1) {
            return 0;
        }
    }
    /* The last point before a TLS 1.2 server writes its session id (see sessions.c). */
    return nt_sessions_name_ticketed(conn, ssl);
}

void nt_upcall_failed(nt_conn *conn)
{
    JNIEnv *env = conn->env;
    jthrowable thrown = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    if (thrown == NULL) {
        return;
    }
    (*env)->CallVoidMethod(env, conn->owner, nt_jni.upcall_failed, thrown);
    /* Reporting failed too (another Error on the way): the handshake fails all the same. */
    (*env)->ExceptionClear(env);
    (*env)->DeleteLocalRef(env, thrown);
}

void nt_info_callback(const SSL *ssl, int where, int ret)
{
    if ((where & SSL_CB_LOOP) != 0 && SSL_get_state(ssl) == TLS_ST_CR_SRVR_HELLO) {
        nt_sessions_server_hello_read(ssl); /* the ServerHello has been read: see sessions.c */
    }
    if ((where & SSL_CB_ALERT) == 0 || (ret & 0xff) == SSL3_AD_CLOSE_NOTIFY) {
        return;
    }
    nt_conn *conn = nt_conn_of(ssl);
    if (conn == NULL) {
        return;
    }
    if ((where & SSL_CB_READ) != 0) {
        conn->alert_received = ret;
    } else {
        conn->alert_sent = ret;
    }
}
