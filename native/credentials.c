/*
 * Credentials: a certificate chain and its private key parsed once from their Java encodings
 * (DER certificates, PKCS#8 key) and kept for every handshake that uses the same alias.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
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
    /* Made in NativeTLS's library context: the certificate's key and signature are fetched there. */
    X509 *cert = X509_new_ex(nt_libctx(), NULL);
    if (cert != NULL && d2i_X509(&cert, &p, len) == NULL) {
        cert = NULL; /* d2i freed it */
    }
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
    EVP_PKEY *key = d2i_AutoPrivateKey_ex(NULL, &p, len, nt_libctx(), NULL);
    /* The Java array is a copy the caller wipes; wipe ours before the JVM frees it. */
    OPENSSL_cleanse(bytes, (size_t)len);
    (*env)->ReleaseByteArrayElements(env, pkcs8, bytes, 0);
    return key;
}

/* Parses the Java chain (DER, leaf first) into cred; 0 with an exception pending if it cannot. */
static int load_chain(JNIEnv *env, jobjectArray chain, nt_credential *cred)
{
    jsize n = (*env)->GetArrayLength(env, chain);
    for (jsize i = 0; i < n; i++) {
        jbyteArray der = (*env)->GetObjectArrayElement(env, chain, i);
        if (der == NULL) {
            if (!nt_pending_exception(env)) {
                nt_throw_message(env, nt_jni.ssl_exception, "the key manager's chain has a null certificate");
            }
            return 0;
        }
        X509 *cert = parse_cert(env, der);
        (*env)->DeleteLocalRef(env, der);
        if (cert == NULL) {
            nt_throw_openssl(env, nt_jni.ssl_exception, "parsing certificate of the key manager's chain");
            return 0;
        }
        if (i == 0) {
            cred->leaf = cert;
        } else if (sk_X509_push(cred->chain, cert) <= 0) {
            X509_free(cert);
            nt_throw_message(env, nt_jni.out_of_memory_error, "allocating a certificate chain");
            return 0;
        }
    }
    if (cred->leaf == NULL) {
        nt_throw_message(env, nt_jni.ssl_exception, "the key manager returned an empty certificate chain");
        return 0;
    }
    return 1;
}

/* A credential with its chain parsed and no key yet; NULL with an exception pending. */
static nt_credential *credential_with_chain(JNIEnv *env, jobjectArray chain)
{
    nt_credential *cred = OPENSSL_zalloc(sizeof(*cred));
    if (cred == NULL || (cred->chain = sk_X509_new_null()) == NULL) {
        nt_throw_message(env, nt_jni.out_of_memory_error, "allocating a credential");
        credential_free(cred);
        return NULL;
    }
    if (!load_chain(env, chain, cred)) {
        credential_free(cred);
        return NULL;
    }
    return cred;
}

static jlong native_credentialNew(JNIEnv *env, jclass cls, jobjectArray chain, jbyteArray pkcs8)
{
    ERR_clear_error();
    nt_credential *cred = credential_with_chain(env, chain);
    if (cred == NULL) {
        goto fail;
    }
    cred->key = parse_key(env, pkcs8);
    if (cred->key == NULL) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "parsing the private key (PKCS#8)");
        goto fail;
    }
    if (X509_check_private_key(cred->leaf, cred->key) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "matching the private key to its certificate");
        goto fail;
    }
    nt_count_new(NT_HANDLE_CREDENTIAL);
    return nt_ptr_to_jlong(cred);

fail:
    credential_free(cred);
    ERR_clear_error();
    return 0;
}

/*
 * RSA keys without CRT values (RSAPrivateKeySpec(n, d), as some key managers and HSM bridges hand
 * them over). Their PKCS#8 encoding carries zeros for e, p, q and the CRT exponents, which OpenSSL
 * takes for a different key (and whose zero primes it would try to sign with). OpenSSL 3 signs with
 * n, e and d alone, so the key is built from those: n and e (and an RSASSA-PSS key's parameter
 * restrictions) from the certificate, d from Java, after checking Java's n is the certificate's.
 */

/* A big-endian Java byte[] (BigInteger.toByteArray, so positive) as a BIGNUM; the copy is wiped. */
static BIGNUM *java_bn(JNIEnv *env, jbyteArray bytes, int secret)
{
    jsize len = (*env)->GetArrayLength(env, bytes);
    jbyte *b = (*env)->GetByteArrayElements(env, bytes, NULL);
    if (b == NULL) {
        return NULL;
    }
    BIGNUM *bn = secret ? BN_secure_new() : BN_new();
    if (bn != NULL && BN_bin2bn((const unsigned char *)b, len, bn) == NULL) {
        BN_clear_free(bn);
        bn = NULL;
    }
    if (secret) {
        OPENSSL_cleanse(b, (size_t)len);
    }
    (*env)->ReleaseByteArrayElements(env, bytes, b, secret ? 0 : JNI_ABORT);
    return bn;
}

/* The certificate's public parameters plus d, as a new key of the certificate's type; NULL if that fails. */
static EVP_PKEY *rsa_key_from(EVP_PKEY *pub, const BIGNUM *d)
{
    EVP_PKEY *key = NULL;
    OSSL_PARAM *public_params = NULL;
    OSSL_PARAM *private_params = NULL;
    OSSL_PARAM *all = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    /* EVP_PKEY_PUBLIC_KEY takes n, e and (RSASSA-PSS) the restrictions on digest, MGF1 and salt. */
    if (EVP_PKEY_todata(pub, EVP_PKEY_PUBLIC_KEY, &public_params) != 1
        || (bld = OSSL_PARAM_BLD_new()) == NULL
        || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) != 1
        || (private_params = OSSL_PARAM_BLD_to_param(bld)) == NULL
        || (all = OSSL_PARAM_merge(public_params, private_params)) == NULL
        || (ctx = EVP_PKEY_CTX_new_from_pkey(nt_libctx(), pub, NULL)) == NULL
        || EVP_PKEY_fromdata_init(ctx) != 1
        || EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, all) != 1) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    /* merge copied only pointers; private_params came from secure (wiped on free) memory as d is secure. */
    OSSL_PARAM_free(all);
    OSSL_PARAM_free(private_params);
    OSSL_PARAM_free(public_params);
    OSSL_PARAM_BLD_free(bld);
    return key;
}

/*
 * Signs with key and verifies with the certificate's public key: the only proof that d belongs to
 * n and e (a key built from the certificate's own n and e always "matches" it), and that this
 * OpenSSL can sign with the key at all, before any handshake relies on it. 1 if it verifies, 0 if
 * the signature does not verify, -1 if no signature could be made (the error queue says why).
 */
static int signs_for(EVP_PKEY *key, EVP_PKEY *pub)
{
    static const unsigned char probe[] = "NativeTLS: does this private key sign for the certificate?";
    char digest[64];
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int ok = -1;
    EVP_MD_CTX *sign = EVP_MD_CTX_new();
    EVP_MD_CTX *verify = EVP_MD_CTX_new();
    /* The key's own digest: an RSASSA-PSS key restricted to one digest allows no other. */
    if (sign == NULL || verify == NULL || EVP_PKEY_get_default_digest_name(key, digest, sizeof(digest)) <= 0
        || EVP_DigestSignInit_ex(sign, NULL, digest, nt_libctx(), NULL, key, NULL) != 1
        || EVP_DigestSign(sign, NULL, &sig_len, probe, sizeof(probe)) != 1
        || (sig = OPENSSL_malloc(sig_len)) == NULL
        || EVP_DigestSign(sign, sig, &sig_len, probe, sizeof(probe)) != 1
        || EVP_DigestVerifyInit_ex(verify, NULL, digest, nt_libctx(), NULL, pub, NULL) != 1) {
        goto done;
    }
    ok = EVP_DigestVerify(verify, sig, sig_len, probe, sizeof(probe)) == 1 ? 1 : 0;

done:
    OPENSSL_free(sig);
    EVP_MD_CTX_free(sign);
    EVP_MD_CTX_free(verify);
    return ok;
}

static jlong native_credentialNewRsa(JNIEnv *env, jclass cls, jobjectArray chain, jbyteArray modulus,
                                     jbyteArray private_exponent)
{
    ERR_clear_error();
    BIGNUM *n = NULL;
    BIGNUM *d = NULL;
    BIGNUM *cert_n = NULL;
    nt_credential *cred = credential_with_chain(env, chain);
    if (cred == NULL) {
        goto fail;
    }
    EVP_PKEY *pub = X509_get0_pubkey(cred->leaf);
    if (pub == NULL) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "reading the certificate's public key");
        goto fail;
    }
    if (!EVP_PKEY_is_a(pub, "RSA") && !EVP_PKEY_is_a(pub, "RSA-PSS")) {
        nt_throw_message(env, nt_jni.ssl_exception,
                         "the private key is an RSA key but the certificate's key is %s: key and certificate do not"
                         " match", EVP_PKEY_get0_type_name(pub) != NULL ? EVP_PKEY_get0_type_name(pub) : "another type");
        goto fail;
    }
    if ((n = java_bn(env, modulus, 0)) == NULL || (d = java_bn(env, private_exponent, 1)) == NULL) {
        if (!nt_pending_exception(env)) {
            nt_throw_message(env, nt_jni.out_of_memory_error, "copying an RSA key");
        }
        goto fail;
    }
    if (EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_N, &cert_n) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "reading the certificate's RSA modulus");
        goto fail;
    }
    if (BN_cmp(n, cert_n) != 0) {
        nt_throw_message(env, nt_jni.ssl_exception,
                         "the private key's RSA modulus is not the certificate's: key and certificate do not match");
        goto fail;
    }
    cred->key = rsa_key_from(pub, d);
    if (cred->key == NULL) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "building the RSA private key from n, e and d");
        goto fail;
    }
    int signs = signs_for(cred->key, pub);
    if (signs < 0) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "signing with the RSA private key (n, d without CRT values)");
        goto fail;
    }
    if (signs == 0) {
        ERR_clear_error();
        nt_throw_message(env, nt_jni.ssl_exception,
                         "the RSA private key (n, d without CRT values) does not make signatures the certificate's"
                         " public key verifies (its private exponent belongs to another key): key and certificate do"
                         " not match");
        goto fail;
    }
    BN_free(n);
    BN_clear_free(d);
    BN_free(cert_n);
    nt_count_new(NT_HANDLE_CREDENTIAL);
    return nt_ptr_to_jlong(cred);

fail:
    BN_free(n);
    BN_clear_free(d);
    BN_free(cert_n);
    credential_free(cred);
    ERR_clear_error();
    return 0;
}

/*
 * A key that stays in Java (no encoding: a PKCS#11 token, an HSM, any JCA provider's): the key
 * is the certificate's public half plus the KeySigner that signs with the PrivateKey
 * (javakeys.c). Nothing proves here that the private key belongs to the certificate, since a
 * signature would cost the token a real operation; a wrong key fails the handshake instead, as
 * with SunJSSE.
 */
static jlong native_credentialNewJavaKey(JNIEnv *env, jclass cls, jobjectArray chain, jobject signer)
{
    if (nt_libctx() != NULL) {
        /* FIPS mode: nativetls-javakeys is not a FIPS provider, and the context fetches nothing else. */
        nt_throw_message(env, nt_jni.ssl_exception, "in FIPS mode only OpenSSL's FIPS provider signs");
        return 0;
    }
    ERR_clear_error();
    nt_credential *cred = credential_with_chain(env, chain);
    if (cred == NULL) {
        goto fail;
    }
    EVP_PKEY *pub = X509_get0_pubkey(cred->leaf);
    if (pub == NULL) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "reading the certificate's public key");
        goto fail;
    }
    cred->key = nt_javakeys_key(env, signer, pub);
    if (cred->key == NULL) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "making a key that signs in Java");
        goto fail;
    }
    nt_count_new(NT_HANDLE_CREDENTIAL);
    return nt_ptr_to_jlong(cred);

fail:
    credential_free(cred);
    ERR_clear_error();
    return 0;
}

static void native_credentialFree(JNIEnv *env, jclass cls, jlong handle)
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
jobjectArray nt_server_key_types(JNIEnv *env, SSL *ssl)
{
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

static const JNINativeMethod methods[] = {
    {"credentialNew", "([[B[B)J", (void *)native_credentialNew},
    {"credentialNewRsa", "([[B[B[B)J", (void *)native_credentialNewRsa},
    {"credentialNewJavaKey", "([[BL" NT_JNI_PACKAGE "KeySigner;)J", (void *)native_credentialNewJavaKey},
    {"credentialFree", "(J)V", (void *)native_credentialFree},
};
NT_NATIVES(nt_credentials_natives, methods);
