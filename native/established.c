/*
 * What a completed handshake negotiated: protocol, suite, the scheme the peer signed with, the
 * session id, both sides' chains, the application protocol, whether a session was resumed and
 * the key exchange group;
 * one at a time, or all in one call (handshakeSummary) for the moment the handshake completes.
 */
#include <openssl/err.h>
#include <openssl/x509.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

#define NT_SUMMARY_GROUP ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_GROUP)

/*
 * The TLS name of the scheme the peer signed this handshake with (its CertificateVerify, or a TLS
 * 1.2 server's key exchange), or NULL when it signed nothing. Sessions keep it, so a later
 * resumption can be refused when the constraints of that connection forbid it.
 */
static const char *peer_signature_scheme(SSL *ssl)
{
    int type = NID_undef;
    int md = NID_undef;
    if (SSL_get_peer_signature_type_nid(ssl, &type) != 1) {
        ERR_clear_error();
        return NULL;
    }
    if (SSL_get_peer_signature_nid(ssl, &md) != 1) {
        md = NID_undef; /* EdDSA has no separate digest */
    }
    ERR_clear_error();
    int bits = md == NID_sha1 ? 1 : md == NID_sha224 ? 224 : md == NID_sha256 ? 256 : md == NID_sha384 ? 384
             : md == NID_sha512 ? 512 : 0;
    switch (type) {
    case EVP_PKEY_ED25519:
        return "ed25519";
    case EVP_PKEY_ED448:
        return "ed448";
    case EVP_PKEY_EC:
        return bits == 1 ? "ecdsa_sha1" : bits == 224 ? "ecdsa_sha224" : bits == 256 ? "ecdsa_secp256r1_sha256"
             : bits == 384 ? "ecdsa_secp384r1_sha384" : bits == 512 ? "ecdsa_secp521r1_sha512" : NULL;
    case EVP_PKEY_RSA:
        return bits == 1 ? "rsa_pkcs1_sha1" : bits == 224 ? "rsa_sha224" : bits == 256 ? "rsa_pkcs1_sha256"
             : bits == 384 ? "rsa_pkcs1_sha384" : bits == 512 ? "rsa_pkcs1_sha512" : NULL;
    case EVP_PKEY_RSA_PSS: {
        X509 *peer = SSL_get0_peer_certificate(ssl);
        int pss_key = peer != NULL && EVP_PKEY_get_base_id(X509_get0_pubkey(peer)) == EVP_PKEY_RSA_PSS;
        if (bits == 256) {
            return pss_key ? "rsa_pss_pss_sha256" : "rsa_pss_rsae_sha256";
        }
        if (bits == 384) {
            return pss_key ? "rsa_pss_pss_sha384" : "rsa_pss_rsae_sha384";
        }
        if (bits == 512) {
            return pss_key ? "rsa_pss_pss_sha512" : "rsa_pss_rsae_sha512";
        }
        return NULL;
    }
    default:
        return NULL;
    }
}


static const char *suite_name(SSL *ssl)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    const char *suite = c != NULL ? SSL_CIPHER_standard_name(c) : NULL;
    return suite != NULL ? suite : "SSL_NULL_WITH_NULL_NULL";
}

/* The peer's chain (leaf first, DER), NULL without an exception pending if it sent none. */
static jobjectArray peer_chain(JNIEnv *env, SSL *ssl)
{
    X509 *leaf = SSL_get0_peer_certificate(ssl);
    if (leaf == NULL) {
        return NULL;
    }
    return nt_der_array(env, SSL_get_peer_cert_chain(ssl), leaf);
}

/* Whether cert's key can make signatures of OpenSSL's signature type sig_type (an EVP_PKEY id). */
static int signs_with(X509 *cert, int sig_type)
{
    int key_type = EVP_PKEY_get_base_id(X509_get0_pubkey(cert));
    if (sig_type == EVP_PKEY_RSA_PSS) {
        return key_type == EVP_PKEY_RSA || key_type == EVP_PKEY_RSA_PSS;
    }
    return key_type == sig_type;
}

/* The chain this side presented (leaf first, DER), NULL without an exception pending if none. */
static jobjectArray local_chain(JNIEnv *env, SSL *ssl)
{
    int sig_type = NID_undef;
    /* With several certificates loaded (say RSA and EC), the one used is the one that signed. */
    if (SSL_get_signature_type_nid(ssl, &sig_type) == 1) {
        for (long r = SSL_set_current_cert(ssl, SSL_CERT_SET_FIRST); r == 1;
             r = SSL_set_current_cert(ssl, SSL_CERT_SET_NEXT)) {
            X509 *cert = SSL_get_certificate(ssl);
            if (cert != NULL && signs_with(cert, sig_type)) {
                break;
            }
        }
    }
    ERR_clear_error();
    X509 *leaf = SSL_get_certificate(ssl);
    if (leaf == NULL) {
        return NULL;
    }
    STACK_OF(X509) *chain = NULL;
    if (SSL_get0_chain_certs(ssl, &chain) != 1) {
        chain = NULL;
    }
    return nt_der_array(env, chain, leaf);
}

/* The negotiated application protocol as a new byte[], NULL (no exception) if none. */
static jbyteArray selected_alpn(JNIEnv *env, SSL *ssl)
{
    const unsigned char *data = NULL;
    unsigned int len = 0;
    SSL_get0_alpn_selected(ssl, &data, &len);
    if (data == NULL) {
        return NULL;
    }
    jbyteArray out = (*env)->NewByteArray(env, (jsize)len);
    if (out != NULL) {
        (*env)->SetByteArrayRegion(env, out, 0, (jsize)len, (const jbyte *)data);
    }
    return out;
}

static jobjectArray native_sessionInfo(JNIEnv *env, jclass cls, jlong handle)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    const char *values[3] = {SSL_get_version(conn->ssl), suite_name(conn->ssl), peer_signature_scheme(conn->ssl)};
    return nt_string_array(env, values, 3);
}

static jbyteArray native_alpnSelected(JNIEnv *env, jclass cls, jlong handle)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    return selected_alpn(env, conn->ssl);
}

/*
 * The IANA name of the key exchange group this handshake used (x25519, X25519MLKEM768, ...); for
 * a TLS 1.2 resumption, which exchanges no key, the group of the handshake that made the session
 * (OpenSSL keeps it in the session). NULL when there is none (RSA key exchange) or OpenSSL has no
 * name for it.
 */
static const char *negotiated_group(SSL *ssl)
{
    int group = SSL_get_negotiated_group(ssl);
    if (group <= 0) {
        return NULL;
    }
    return SSL_group_to_name(ssl, group);
}

/* Stores value (a new local ref, or NULL) at index i of out and drops the local ref; 0 if Java failed. */
static int put(JNIEnv *env, jobjectArray out, jint i, jobject value)
{
    if (value == NULL) {
        return !nt_pending_exception(env);
    }
    (*env)->SetObjectArrayElement(env, out, i, value);
    (*env)->DeleteLocalRef(env, value);
    return !nt_pending_exception(env);
}

static jstring string_or_null(JNIEnv *env, const char *s)
{
    return s != NULL ? (*env)->NewStringUTF(env, s) : NULL;
}

/*
 * What a completed handshake negotiated, in one array indexed by SslNative.SUMMARY_*; the chains
 * only when asked for (Java may already hold them), resumption as a Boolean.
 */
static jobjectArray native_handshakeSummary(JNIEnv *env, jclass cls, jlong handle, jboolean want_peer,
                                            jboolean want_local)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    SSL *ssl = conn->ssl;
    ERR_clear_error();
    jobjectArray out = (*env)->NewObjectArray(env, NT_SUMMARY_FIELDS, nt_jni.object, NULL);
    if (out == NULL) {
        return NULL;
    }
    int reused = SSL_session_reused(ssl) == 1;
    if (!put(env, out, NT_SUMMARY_PROTOCOL, string_or_null(env, SSL_get_version(ssl)))
        || !put(env, out, NT_SUMMARY_CIPHER_SUITE, string_or_null(env, suite_name(ssl)))
        || !put(env, out, NT_SUMMARY_PEER_SIGNATURE_SCHEME, string_or_null(env, peer_signature_scheme(ssl)))
        || !put(env, out, NT_SUMMARY_SESSION_ID, nt_session_id(env, SSL_get_session(ssl)))
        || (want_peer && !put(env, out, NT_SUMMARY_PEER_CHAIN, peer_chain(env, ssl)))
        || (want_local && !put(env, out, NT_SUMMARY_LOCAL_CHAIN, local_chain(env, ssl)))
        || !put(env, out, NT_SUMMARY_APPLICATION_PROTOCOL, selected_alpn(env, ssl))
        || !put(env, out, NT_SUMMARY_GROUP, string_or_null(env, negotiated_group(ssl)))) {
        (*env)->DeleteLocalRef(env, out);
        ERR_clear_error();
        return NULL;
    }
    (*env)->SetObjectArrayElement(env, out, NT_SUMMARY_RESUMED, reused ? nt_jni.boolean_true : nt_jni.boolean_false);
    return out;
}

static const JNINativeMethod methods[] = {
    {"sessionInfo", "(J)[Ljava/lang/String;", (void *)native_sessionInfo},
    {"alpnSelected", "(J)[B", (void *)native_alpnSelected},
    {"handshakeSummary", "(JZZ)[Ljava/lang/Object;", (void *)native_handshakeSummary},
};
NT_NATIVES(nt_established_natives, methods);
