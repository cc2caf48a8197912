/*
 * A throwaway self-signed EC P-256 certificate for the command-line tool's self-check and demo
 * server, made with OpenSSL so the tool needs no keytool and no files.
 */
#include <stdio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

static jbyteArray to_java(JNIEnv *env, unsigned char *der, int len)
{
    if (len <= 0) {
        return NULL;
    }
    jbyteArray out = (*env)->NewByteArray(env, len);
    if (out != NULL) {
        (*env)->SetByteArrayRegion(env, out, 0, len, (const jbyte *)der);
    }
    return out;
}

static int add_san(X509 *cert, const char *host)
{
    char value[300];
    X509V3_CTX v3;
    snprintf(value, sizeof(value), "DNS:%s,IP:127.0.0.1", host);
    X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, value);
    if (ext == NULL) {
        return 0;
    }
    int ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

static jobjectArray native_selfSignedCertificate(JNIEnv *env, jclass cls, jstring jhost)
{
    jobjectArray result = NULL;
    X509 *cert = NULL;
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    unsigned char *cert_der = NULL;
    unsigned char *key_der = NULL;
    int cert_len = 0;
    int key_len = 0;
    unsigned char serial[16];
    BIGNUM *bn = NULL;
    const char *host = (*env)->GetStringUTFChars(env, jhost, NULL);
    if (host == NULL) {
        return NULL;
    }
    ERR_clear_error();
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nt_libctx(), NULL, "EC", "P-256");
    if (key == NULL || (cert = X509_new_ex(nt_libctx(), NULL)) == NULL
        || RAND_bytes_ex(nt_libctx(), serial, sizeof(serial), 0) != 1) {
        goto fail;
    }
    serial[0] &= 0x7f;
    bn = BN_bin2bn(serial, sizeof(serial), NULL);
    X509_NAME *name = X509_get_subject_name(cert);
    if (bn == NULL || X509_set_version(cert, X509_VERSION_3) != 1
        || BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) == NULL
        || X509_gmtime_adj(X509_getm_notBefore(cert), -3600) == NULL
        || X509_gmtime_adj(X509_getm_notAfter(cert), 7 * 86400L) == NULL || X509_set_pubkey(cert, key) != 1
        || X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)host, -1, -1, 0) != 1
        || X509_set_issuer_name(cert, name) != 1 || !add_san(cert, host)
        || X509_sign(cert, key, EVP_sha256()) <= 0 || (p8 = EVP_PKEY2PKCS8(key)) == NULL) {
        goto fail;
    }
    cert_len = i2d_X509(cert, &cert_der);
    key_len = i2d_PKCS8_PRIV_KEY_INFO(p8, &key_der);
    if (cert_len <= 0 || key_len <= 0) {
        goto fail;
    }
    result = (*env)->NewObjectArray(env, 2, nt_jni.byte_array, NULL);
    if (result != NULL) {
        jbyteArray c = to_java(env, cert_der, cert_len);
        jbyteArray k = to_java(env, key_der, key_len);
        if (c == NULL || k == NULL) {
            result = NULL;
        } else {
            (*env)->SetObjectArrayElement(env, result, 0, c);
            (*env)->SetObjectArrayElement(env, result, 1, k);
        }
    }
    goto cleanup;

fail:
    nt_throw_openssl(env, nt_jni.ssl_exception, "making a self-signed certificate");
cleanup:
    (*env)->ReleaseStringUTFChars(env, jhost, host);
    if (key_der != NULL) {
        OPENSSL_clear_free(key_der, (size_t)key_len);
    }
    OPENSSL_free(cert_der);
    PKCS8_PRIV_KEY_INFO_free(p8);
    BN_free(bn);
    X509_free(cert);
    EVP_PKEY_free(key);
    return result;
}

static const JNINativeMethod methods[] = {
    {"selfSignedCertificate", "(Ljava/lang/String;)[[B", (void *)native_selfSignedCertificate},
};
NT_NATIVES(nt_selfsigned_natives, methods);
