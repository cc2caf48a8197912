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
