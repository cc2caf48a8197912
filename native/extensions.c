/*
 * Hello extensions the application decides on: ALPN (the server's choice is made by Java: the
 * engine's protocol list or its selector), SNI (the server's matchers, and the requested names
 * key managers read), the certificate authorities a server names in its certificate request, and
 * per-connection signature schemes and groups.
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"


/* Asks Java to choose from the client's ALPN list (wire format, no length prefix; empty: no ALPN offered). */
static int ask_java_for_alpn(nt_conn *conn, const unsigned char *list, size_t len, jint *chosen)
{
    JNIEnv *env = conn->env;
    jbyteArray offered = (*env)->NewByteArray(env, (jsize)len);
    if (offered == NULL) {
        nt_upcall_failed(conn);
        return 0;
    }
    (*env)->SetByteArrayRegion(env, offered, 0, (jsize)len, (const jbyte *)list);
    *chosen = (*env)->CallIntMethod(env, conn->owner, nt_jni.select_application_protocol, offered);
    (*env)->DeleteLocalRef(env, offered);
    if (nt_pending_exception(env)) {
        nt_upcall_failed(conn);
        return 0;
    }
    return 1;
}

/*
 * Keeps the client's ALPN list for the decision the SNI callback makes (see nt_conn). A malformed
 * extension is left to OpenSSL, which refuses the hello while parsing it.
 */
int nt_extensions_client_hello(SSL *ssl, int *alert)
{
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL) {
        return SSL_CLIENT_HELLO_SUCCESS;
    }
    OPENSSL_free(conn->alpn_offered);
    conn->alpn_offered = NULL;
    conn->alpn_offered_len = 0;
    conn->alpn_pending = 0;
    conn->alpn_decided = 0;
    const unsigned char *p = NULL;
    size_t len = 0;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_application_layer_protocol_negotiation, &p, &len) == 1) {
        if (len < 3 || (((size_t)p[0] << 8) | p[1]) != len - 2) {
            return SSL_CLIENT_HELLO_SUCCESS;
        }
        conn->alpn_offered = OPENSSL_memdup(p + 2, len - 2);
        if (conn->alpn_offered == NULL) {
            *alert = SSL_AD_INTERNAL_ERROR;
            return SSL_CLIENT_HELLO_ERROR;
        }
        conn->alpn_offered_len = len - 2;
    }
    conn->alpn_pending = 1;
    return SSL_CLIENT_HELLO_SUCCESS;
}

/* Has Java decide on the list the ClientHello callback kept; 0 if the upcall failed. */
static int decide_alpn(nt_conn *conn)
{
    if (!conn->alpn_pending) {
        return 1;
    }
    conn->alpn_pending = 0;
    jint chosen = NT_ALPN_FATAL;
    int ok = ask_java_for_alpn(conn, conn->alpn_offered != NULL ? conn->alpn_offered : (const unsigned char *)"",
                               conn->alpn_offered_len, &chosen);
    OPENSSL_free(conn->alpn_offered);
    conn->alpn_offered = NULL;
    conn->alpn_offered_len = 0;
    if (ok) {
        conn->alpn_choice = chosen;
        conn->alpn_decided = 1;
    }
    return ok;
}

static int alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                       unsigned int inlen, void *arg)
{
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    jint chosen = conn->alpn_choice;
    if (!conn->alpn_decided && !ask_java_for_alpn(conn, in, inlen, &chosen)) {
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    if (chosen == NT_ALPN_NONE) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    /* The answer must point into the client's list, which outlives this callback. */
    unsigned int at = 0;
    for (jint i = 0; chosen >= 0 && at < inlen; i++) {
        unsigned int len = in[at];
        if (len == 0 || at + 1 + len > inlen) {
            break;
        }
        if (i == chosen) {
            *out = in + at + 1;
            *outlen = (unsigned char)len;
            return SSL_TLSEXT_ERR_OK;
        }
        at += 1 + len;
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL; /* OpenSSL sends no_application_protocol */
}

static int server_name(SSL *ssl, int *alert, void *arg)
{
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (name == NULL) {
        if (!decide_alpn(conn)) {
            *alert = SSL_AD_INTERNAL_ERROR;
            return SSL_TLSEXT_ERR_ALERT_FATAL;
        }
        return SSL_TLSEXT_ERR_NOACK;
    }
    JNIEnv *env = conn->env;
    size_t len = strlen(name);
    jbyteArray jname = (*env)->NewByteArray(env, (jsize)len);
    if (jname == NULL) {
        nt_upcall_failed(conn);
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    (*env)->SetByteArrayRegion(env, jname, 0, (jsize)len, (const jbyte *)name);
    jboolean accepted = (*env)->CallBooleanMethod(env, conn->owner, nt_jni.server_name_received, jname);
    (*env)->DeleteLocalRef(env, jname);
    if (nt_pending_exception(env)) {
        nt_upcall_failed(conn);
        accepted = JNI_FALSE;
    }
    if (!accepted) {
        *alert = SSL_AD_UNRECOGNIZED_NAME;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    if (!decide_alpn(conn)) {
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    return SSL_TLSEXT_ERR_OK;
}

void nt_extensions_configure(SSL_CTX *ctx)
{
    SSL_CTX_set_alpn_select_cb(ctx, alpn_select, NULL);
    SSL_CTX_set_tlsext_servername_callback(ctx, server_name);
}

static void native_contextSetClientCaNames(JNIEnv *env, jclass cls, jlong handle, jobjectArray names)
{
    ERR_clear_error();
    STACK_OF(X509_NAME) *list = sk_X509_NAME_new_null();
    if (list == NULL) {
        nt_throw_message(env, nt_jni.out_of_memory_error, "allocating the CA name list");
        return;
    }
    jsize n = (*env)->GetArrayLength(env, names);
    for (jsize i = 0; i < n; i++) {
        jbyteArray der = (*env)->GetObjectArrayElement(env, names, i);
        if (der == NULL) {
            goto fail;
        }
        jsize len = (*env)->GetArrayLength(env, der);
        jbyte *bytes = (*env)->GetByteArrayElements(env, der, NULL);
        X509_NAME *name = NULL;
        if (bytes != NULL) {
            const unsigned char *p = (const unsigned char *)bytes;
            name = d2i_X509_NAME(NULL, &p, len);
            (*env)->ReleaseByteArrayElements(env, der, bytes, JNI_ABORT);
        }
        (*env)->DeleteLocalRef(env, der);
        if (name == NULL || !sk_X509_NAME_push(list, name)) {
            X509_NAME_free(name);
            nt_throw_openssl(env, nt_jni.key_management_exception, "reading the trust manager's accepted issuers");
            goto fail;
        }
    }
    /* The context takes the list; it is set before the context is shared. */
    SSL_CTX_set_client_CA_list(nt_jlong_to_ptr(handle), list);
    return;

fail:
    sk_X509_NAME_pop_free(list, X509_NAME_free);
}

jobjectArray nt_peer_ca_names(JNIEnv *env, SSL *ssl)
{
    STACK_OF(X509_NAME) *list = SSL_get_client_CA_list(ssl);
    int n = list != NULL ? sk_X509_NAME_num(list) : 0;
    jobjectArray out = (*env)->NewObjectArray(env, n, nt_jni.byte_array, NULL);
    for (int i = 0; out != NULL && i < n; i++) {
        unsigned char *der = NULL;
        int len = i2d_X509_NAME(sk_X509_NAME_value(list, i), &der);
        if (len <= 0) {
            ERR_clear_error();
            continue;
        }
        jbyteArray item = (*env)->NewByteArray(env, len);
        if (item != NULL) {
            (*env)->SetByteArrayRegion(env, item, 0, len, (const jbyte *)der);
            (*env)->SetObjectArrayElement(env, out, i, item);
            (*env)->DeleteLocalRef(env, item);
        }
        OPENSSL_free(der);
        if (item == NULL) {
            (*env)->DeleteLocalRef(env, out);
            return NULL;
        }
    }
    return out;
}

static void native_connectionSetExtensions(JNIEnv *env, jclass cls, jlong handle, jbyteArray alpn,
                                           jboolean server_preference, jstring sigalgs, jstring groups)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    SSL *ssl = conn->ssl;
    ERR_clear_error();
    if (alpn != NULL) {
        jsize len = (*env)->GetArrayLength(env, alpn);
        jbyte *bytes = (*env)->GetByteArrayElements(env, alpn, NULL);
        if (bytes == NULL) {
            return;
        }
        int failed = SSL_set_alpn_protos(ssl, (const unsigned char *)bytes, (unsigned int)len); /* 0 is success */
        (*env)->ReleaseByteArrayElements(env, alpn, bytes, JNI_ABORT);
        if (failed) {
            nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the application protocols");
            return;
        }
    }
    if (server_preference) {
        SSL_set_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
    } else {
        SSL_clear_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
    }
    if (sigalgs != NULL) {
        const char *list = (*env)->GetStringUTFChars(env, sigalgs, NULL);
        if (list == NULL) {
            return;
        }
        int ok = SSL_set1_sigalgs_list(ssl, list) == 1;
        (*env)->ReleaseStringUTFChars(env, sigalgs, list);
        if (!ok) {
            nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the signature schemes");
            return;
        }
    }
    if (groups != NULL) {
        const char *list = (*env)->GetStringUTFChars(env, groups, NULL);
        if (list == NULL) {
            return;
        }
        int ok = SSL_set1_groups_list(ssl, list) == 1;
        (*env)->ReleaseStringUTFChars(env, groups, list);
        if (!ok) {
            nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the named groups");
            return;
        }
    }
}

/* The peer's signature schemes as TLS code points (SSL_get_sigalgs' rsign/hash bytes). */
jintArray nt_peer_signature_schemes(JNIEnv *env, SSL *ssl)
{
    int n = SSL_get_sigalgs(ssl, -1, NULL, NULL, NULL, NULL, NULL);
    if (n < 0) {
        n = 0;
    }
    jintArray out = (*env)->NewIntArray(env, n);
    for (int i = 0; out != NULL && i < n; i++) {
        unsigned char rsig = 0;
        unsigned char rhash = 0;
        SSL_get_sigalgs(ssl, i, NULL, NULL, NULL, &rsig, &rhash);
        jint code = ((jint)rhash << 8) | rsig;
        (*env)->SetIntArrayRegion(env, out, i, 1, &code);
    }
    return out;
}

static const JNINativeMethod methods[] = {
    {"contextSetClientCaNames", "(J[[B)V", (void *)native_contextSetClientCaNames},
    {"connectionSetExtensions", "(J[BZLjava/lang/String;Ljava/lang/String;)V", (void *)native_connectionSetExtensions},
};
NT_NATIVES(nt_extensions_natives, methods);
