/*
 * SSL_CTX: one per initialised SSLContext, configured completely here and never changed after,
 * so every thread shares it without a lock. Also the table of cipher suites OpenSSL offers.
 */
#include <string.h>
#include <openssl/err.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

static const unsigned char SESSION_ID_CONTEXT[] = "nativetls";

static int set_ciphers(SSL_CTX *ctx, JNIEnv *env, jstring tls12, jstring tls13)
{
    const char *list12 = (*env)->GetStringUTFChars(env, tls12, NULL);
    if (list12 == NULL) {
        return 0;
    }
    const char *list13 = (*env)->GetStringUTFChars(env, tls13, NULL);
    if (list13 == NULL) {
        (*env)->ReleaseStringUTFChars(env, tls12, list12);
        return 0;
    }
    int ok = SSL_CTX_set_cipher_list(ctx, list12) == 1 && SSL_CTX_set_ciphersuites(ctx, list13) == 1;
    (*env)->ReleaseStringUTFChars(env, tls12, list12);
    (*env)->ReleaseStringUTFChars(env, tls13, list13);
    return ok;
}

static int set_list(SSL_CTX *ctx, JNIEnv *env, jstring value, int (*setter)(SSL_CTX *, const char *))
{
    if (value == NULL) {
        return 1;
    }
    const char *list = (*env)->GetStringUTFChars(env, value, NULL);
    if (list == NULL) {
        return 0;
    }
    int ok = setter(ctx, list) == 1;
    (*env)->ReleaseStringUTFChars(env, value, list);
    return ok;
}

static int set_groups(SSL_CTX *ctx, const char *list)
{
    return (int)SSL_CTX_set1_groups_list(ctx, list);
}

static int set_sigalgs(SSL_CTX *ctx, const char *list)
{
    return (int)SSL_CTX_set1_sigalgs_list(ctx, list);
}

/*
 * The JDK's policy decides which keys and algorithms are acceptable, not OpenSSL's security
 * level: the Java side filters suites, groups and signature schemes and checks chains, so this
 * callback, which replaces OpenSSL's level-based one, allows everything but an ephemeral
 * finite-field DH key below the policy's "DH keySize < n" (its bits are kept as the callback's
 * data). OpenSSL's own level-0 callback would still refuse DH keys below 1024 bits whatever the
 * policy says.
 */
static int security_callback(const SSL *ssl, const SSL_CTX *ctx, int op, int bits, int nid, void *other, void *ex)
{
    if (op == SSL_SECOP_TMP_DH && other != NULL) {
        intptr_t min_bits = (intptr_t)ex;
        return EVP_PKEY_get_bits((EVP_PKEY *)other) >= min_bits;
    }
    return 1;
}

static jlong native_contextNew(JNIEnv *env, jclass cls, jstring tls12, jstring tls13, jstring groups,
                               jstring sigalgs, jint min_dh_bits, jboolean server_tls12_tickets,
                               jint server_disabled_extensions)
{
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new_ex(nt_libctx(), NULL, TLS_method());
    if (ctx == NULL) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "SSL_CTX_new");
        return 0;
    }
    /* Renegotiation and compression are refused outright; TLS 1.2 is the floor. */
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    /*
     * OpenSSL's record read and write buffers (about 17 KiB each) go back to the allocator as
     * soon as they are empty, so an idle connection (a websocket, a pooled keep-alive) holds
     * none of them; a busy one gets them again from malloc's free lists.
     */
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    /*
     * Level 0 whatever openssl.cnf or the build's default (Debian: 2) says, so that OpenSSL
     * neither refuses what java.security allows (1024-bit RSA, SHA-1 or MD5 signed chains) nor
     * is the policy; the callback below replaces the level's checks.
     */
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_security_callback(ctx, security_callback);
    SSL_CTX_set0_security_ex_data(ctx, (void *)(intptr_t)(min_dh_bits > 0 ? min_dh_bits : 0));
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1
        || SSL_CTX_set_session_id_context(ctx, SESSION_ID_CONTEXT, sizeof(SESSION_ID_CONTEXT) - 1) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "configuring SSL_CTX");
        goto fail;
    }
    /*
     * DHE suites need server parameters: OpenSSL's, sized to the certificate's strength (2048
     * bits for RSA-2048), as SunJSSE serves ffdhe2048 and up; jdk.tls.disabledAlgorithms' DH
     * entries still apply to what a client accepts (security_callback).
     */
    if (SSL_CTX_set_dh_auto(ctx, 1) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "enabling DHE parameters");
        goto fail;
    }
    if (!set_ciphers(ctx, env, tls12, tls13)) {
        nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the default cipher suites");
        goto fail;
    }
    if (!set_list(ctx, env, groups, set_groups)) {
        nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the named groups");
        goto fail;
    }
    if (!set_list(ctx, env, sigalgs, set_sigalgs)) {
        nt_throw_openssl(env, nt_jni.illegal_argument_exception, "setting the signature schemes");
        goto fail;
    }
    /* The Java trust manager replaces OpenSSL's chain building; the key manager picks keys per handshake. */
    SSL_CTX_set_cert_verify_callback(ctx, nt_verify_callback, NULL);
    SSL_CTX_set_cert_cb(ctx, nt_cert_callback, NULL);
    SSL_CTX_set_info_callback(ctx, nt_info_callback);
    nt_extensions_configure(ctx);
    /* jdk.tls.server.disableExtensions: without its callback OpenSSL's server ignores the extension. */
    if ((server_disabled_extensions & NT_EXTENSION_SERVER_NAME) != 0) {
        SSL_CTX_set_tlsext_servername_callback(ctx, NULL);
    }
    if ((server_disabled_extensions & NT_EXTENSION_ALPN) != 0) {
        SSL_CTX_set_alpn_select_cb(ctx, NULL, NULL);
    }
    if (!nt_sessions_configure(ctx, server_tls12_tickets)) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "configuring the session cache");
        goto fail;
    }
    nt_count_new(NT_HANDLE_CONTEXT);
    return nt_ptr_to_jlong(ctx);

fail:
    SSL_CTX_free(ctx);
    return 0;
}

/*
 * A context made for another set of enabled suites decrypts the tickets of its sibling: one
 * SSLContext, one set of ticket keys, whichever SSL_CTX a connection happens to use.
 */
static void native_contextShareTicketKeys(JNIEnv *env, jclass cls, jlong from, jlong to)
{
    unsigned char keys[80]; /* OpenSSL's layout: 16 bytes name, 32 HMAC key, 32 AES key */
    ERR_clear_error();
    int ok = SSL_CTX_get_tlsext_ticket_keys((SSL_CTX *)nt_jlong_to_ptr(from), keys, sizeof(keys)) == 1
             && SSL_CTX_set_tlsext_ticket_keys((SSL_CTX *)nt_jlong_to_ptr(to), keys, sizeof(keys)) == 1;
    OPENSSL_cleanse(keys, sizeof(keys));
    if (!ok) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "sharing the session ticket keys");
    }
}

static void native_contextFree(JNIEnv *env, jclass cls, jlong handle)
{
    SSL_CTX *ctx = nt_jlong_to_ptr(handle);
    if (ctx != NULL) {
        SSL_CTX_free(ctx);
        nt_count_free(NT_HANDLE_CONTEXT);
    }
}

/*
 * Rows of {IANA name, OpenSSL name, lowest protocol} for every suite this OpenSSL can offer in
 * NativeTLS's library context, or (process_default) in OpenSSL's default one: in FIPS mode, what
 * the FIPS provider does not offer is what is in the second table and not in the first.
 */
static jobjectArray native_cipherSuiteTable(JNIEnv *env, jclass cls, jboolean process_default)
{
    jobjectArray table = NULL;
    jclass row_class = NULL;
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new_ex(process_default ? NULL : nt_libctx(), NULL, TLS_method());
    SSL *ssl = ctx != NULL ? SSL_new(ctx) : NULL;
    if (ssl == NULL || SSL_set_cipher_list(ssl, "ALL:COMPLEMENTOFALL") != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "listing cipher suites");
        goto cleanup;
    }
    STACK_OF(SSL_CIPHER) *ciphers = SSL_get_ciphers(ssl);
    int n = sk_SSL_CIPHER_num(ciphers);
    row_class = (*env)->FindClass(env, "[Ljava/lang/String;");
    if (row_class == NULL || (table = (*env)->NewObjectArray(env, n, row_class, NULL)) == NULL) {
        goto cleanup;
    }
    for (int i = 0; i < n; i++) {
        const SSL_CIPHER *c = sk_SSL_CIPHER_value(ciphers, i);
        const char *std = SSL_CIPHER_standard_name(c);
        const char *values[3] = {std != NULL ? std : "", SSL_CIPHER_get_name(c),
                                 SSL_CIPHER_get_version(c)};
        jobjectArray row = (*env)->NewObjectArray(env, 3, nt_jni.string, NULL);
        if (row == NULL) {
            table = NULL;
            goto cleanup;
        }
        for (int j = 0; j < 3; j++) {
            jstring s = (*env)->NewStringUTF(env, values[j]);
            if (s == NULL) {
                table = NULL;
                goto cleanup;
            }
            (*env)->SetObjectArrayElement(env, row, j, s);
            (*env)->DeleteLocalRef(env, s);
        }
        (*env)->SetObjectArrayElement(env, table, i, row);
        (*env)->DeleteLocalRef(env, row);
    }

cleanup:
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return table;
}

/*
 * TLS 1.3 clients of this context offer post-handshake authentication (post_handshake_auth), so a
 * server may ask for the client's certificate after the handshake; the key manager answers then
 * (callbacks.c, and ssl.c for the request met inside SSL_read). Servers are not affected.
 */
static void native_contextOfferPostHandshakeAuth(JNIEnv *env, jclass cls, jlong handle)
{
    SSL_CTX_set_post_handshake_auth(nt_jlong_to_ptr(handle), 1); /* returns nothing */
}

static const JNINativeMethod methods[] = {
    {"contextOfferPostHandshakeAuth", "(J)V", (void *)native_contextOfferPostHandshakeAuth},
    {"contextNew", "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;IZI)J", (void *)native_contextNew},
    {"contextShareTicketKeys", "(JJ)V", (void *)native_contextShareTicketKeys},
    {"contextFree", "(J)V", (void *)native_contextFree},
    {"cipherSuiteTable", "(Z)[[Ljava/lang/String;", (void *)native_cipherSuiteTable},
};
NT_NATIVES(nt_ssl_ctx_natives, methods);
