/*
 * Credentials: a certificate chain and its private key parsed once from their Java encodings
 * (DER certificates, PKCS#8 key) and kept for every handshake that uses the same alias.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

static void credential_free(nt_credential *cred)
{
    if (cred == NULL) {
        return;
    }
    X509_free(cred->leaf);
    sk_X509_pop_free(cred->chain, X509_free);
    EVP_PKEY_free(cred->key);
    OPENSSL_free(cred);
}

static X509 *parse_cert(JNIEnv *env, jbyteArray der)
{
    jsize len = (*env)->GetArrayLength(env, der);
    jbyte *bytes = (*env)->GetByteArrayElements(env, der, NULL);
    if (bytes == NULL) {
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)bytes;
    X509 *cert = d2i_X509(NULL, &p, len);
    (*env)->ReleaseByteArrayElements(env, der, bytes, JNI_ABORT);
    return cert;
}

static EVP_PKEY *parse_key(JNIEnv *env, jbyteArray pkcs8)
{
    jsize len = (*env)->GetArrayLength(env, pkcs8);
    jbyte *bytes = (*env)->GetByteArrayElements(env, pkcs8, NULL);
    if (bytes == NULL) {
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)bytes;
    EVP_PKEY *key = d2i_AutoPrivateKey(NULL, &p, len);
    /* The Java array is a copy the caller wipes; wipe ours before the JVM frees it. */
    OPENSSL_cleanse(bytes, (size_t)len);
    (*env)->ReleaseByteArrayElements(env, pkcs8, bytes, 0);
    return key;
}

JNIEXPORT jlong JNICALL Java_io_nativetls_internal_jni_SslNative_credentialNew(JNIEnv *env, jclass cls,
                                                                               jobjectArray chain, jbyteArray pkcs8)
{
    ERR_clear_error();
    nt_credential *cred = OPENSSL_zalloc(sizeof(*cred));
    jsize n = (*env)->GetArrayLength(env, chain);
    if (cred == NULL || (cred->chain = sk_X509_new_null()) == NULL) {
        nt_throw_message(env, nt_jni.out_of_memory_error, "allocating a credential");
        goto fail;
    }
    for (jsize i = 0; i < n; i++) {
        jbyteArray der = (*env)->GetObjectArrayElement(env, chain, i);
        if (der == NULL) {
            goto fail;
        }
        X509 *cert = parse_cert(env, der);
        (*env)->DeleteLocalRef(env, der);
        if (cert == NULL) {
            nt_throw_openssl(env, nt_jni.ssl_exception, "parsing certificate of the key manager's chain", NULL);
            goto fail;
        }
        if (i == 0) {
            cred->leaf = cert;
        } else if (sk_X509_push(cred->chain, cert) <= 0) {
            X509_free(cert);
            nt_throw_message(env, nt_jni.out_of_memory_error, "allocating a certificate chain");
            goto fail;
        }
    }
    if (cred->leaf == NULL) {
        nt_throw_message(env, nt_jni.ssl_exception, "the key manager returned an empty certificate chain");
        goto fail;
    }
    cred->key = parse_key(env, pkcs8);
    if (cred->key == NULL) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "parsing the private key (PKCS#8)", NULL);
        goto fail;
    }
    if (X509_check_private_key(cred->leaf, cred->key) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "matching the private key to its certificate", NULL);
        goto fail;
    }
    nt_count_new(NT_HANDLE_CREDENTIAL);
    return nt_ptr_to_jlong(cred);

fail:
    credential_free(cred);
    ERR_clear_error();
    return 0;
}

JNIEXPORT void JNICALL Java_io_nativetls_internal_jni_SslNative_credentialFree(JNIEnv *env, jclass cls, jlong handle)
{
    nt_credential *cred = nt_jlong_to_ptr(handle);
    if (cred != NULL) {
        credential_free(cred);
        nt_count_free(NT_HANDLE_CREDENTIAL);
    }
}

/* The JSSE key type a TLS 1.2 suite's authentication needs, or NULL for one no certificate serves. */
static const char *suite_key_type(const SSL_CIPHER *c)
{
    /* TLS 1.3 suites say NID_auth_any: they name no key, the signature schemes decide. */
    switch (SSL_CIPHER_get_auth_nid(c)) {
    case NID_auth_ecdsa:
        return "EC";
    case NID_auth_rsa:
        return "RSA";
    default:
        return NULL;
    }
}

/* A plain scan: sk_SSL_CIPHER_find would sort a stack that has a comparison function, reordering it. */
static int has_cipher(STACK_OF(SSL_CIPHER) *list, const SSL_CIPHER *c)
{
    for (int i = 0; i < sk_SSL_CIPHER_num(list); i++) {
        if (SSL_CIPHER_get_id(sk_SSL_CIPHER_value(list, i)) == SSL_CIPHER_get_id(c)) {
            return 1;
        }
    }
    return 0;
}

/*
 * Server, TLS 1.2, from the certificate callback: the key types of the suites both sides enable,
 * in the order OpenSSL will pick a suite (the server's order, or the client's when the server
 * does not insist), each once. Asking the key manager in this order and stopping at the first
 * alias is what SunJSSE does; a slow key manager (an HSM, a remote store) pays per question.
 */
JNIEXPORT jobjectArray JNICALL Java_io_nativetls_internal_jni_SslNative_serverKeyTypes(JNIEnv *env, jclass cls,
                                                                                      jlong handle)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    SSL *ssl = conn->ssl;
    STACK_OF(SSL_CIPHER) *mine = SSL_get_ciphers(ssl);
    STACK_OF(SSL_CIPHER) *theirs = SSL_get_client_ciphers(ssl);
    const char *found[2];
    int n = 0;
    if (mine != NULL && theirs != NULL) {
        int server_order = (SSL_get_options(ssl) & SSL_OP_CIPHER_SERVER_PREFERENCE) != 0;
        STACK_OF(SSL_CIPHER) *first = server_order ? mine : theirs;
        STACK_OF(SSL_CIPHER) *other = server_order ? theirs : mine;
        for (int i = 0; i < sk_SSL_CIPHER_num(first) && n < 2; i++) {
            const SSL_CIPHER *c = sk_SSL_CIPHER_value(first, i);
            const char *type = suite_key_type(c);
            if (type == NULL || !has_cipher(other, c) || (n == 1 && found[0] == type)) {
                continue;
            }
            found[n++] = type;
        }
    }
    return nt_string_array(env, found, n);
}
