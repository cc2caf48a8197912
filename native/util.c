/* Small conversions shared by the areas: pointers in Java longs, certificate stacks as byte[][]. */
#include <openssl/x509.h>

#include "nativetls.h"

jlong nt_ptr_to_jlong(const void *p)
{
    return (jlong)(intptr_t)p;
}

void *nt_jlong_to_ptr(jlong v)
{
    return (void *)(intptr_t)v;
}

static jbyteArray der_of(JNIEnv *env, X509 *cert)
{
    unsigned char *der = NULL;
    int len = i2d_X509(cert, &der);
    if (len <= 0) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "encoding a certificate");
        return NULL;
    }
    jbyteArray out = (*env)->NewByteArray(env, len);
    if (out != NULL) {
        (*env)->SetByteArrayRegion(env, out, 0, len, (const jbyte *)der);
    }
    OPENSSL_free(der);
    return out;
}

jbyteArray nt_session_id(JNIEnv *env, const SSL_SESSION *session)
{
    unsigned int len = 0;
    const unsigned char *id = session != NULL ? SSL_SESSION_get_id(session, &len) : NULL;
    jbyteArray out = (*env)->NewByteArray(env, (jsize)len);
    if (out != NULL && len > 0) {
        (*env)->SetByteArrayRegion(env, out, 0, (jsize)len, (const jbyte *)id);
    }
    return out;
}

/* The DER encodings of first (if not NULL and not already at the head of certs) and then certs. */
jobjectArray nt_der_array(JNIEnv *env, STACK_OF(X509) *certs, X509 *first)
{
    int n = certs != NULL ? sk_X509_num(certs) : 0;
    int prepend = first != NULL && (n == 0 || X509_cmp(sk_X509_value(certs, 0), first) != 0);
    jobjectArray out = (*env)->NewObjectArray(env, n + prepend, nt_jni.byte_array, NULL);
    if (out == NULL) {
        return NULL;
    }
    for (int i = 0; i < n + prepend; i++) {
        X509 *cert = (prepend && i == 0) ? first : sk_X509_value(certs, i - prepend);
        jbyteArray der = der_of(env, cert);
        if (der == NULL) {
            return NULL;
        }
        (*env)->SetObjectArrayElement(env, out, i, der);
        (*env)->DeleteLocalRef(env, der);
    }
    return out;
}

jobjectArray nt_string_array(JNIEnv *env, const char *const *values, int n)
{
    jobjectArray out = (*env)->NewObjectArray(env, n, nt_jni.string, NULL);
    for (int i = 0; out != NULL && i < n; i++) {
        if (values[i] == NULL) {
            continue; /* stays null in Java */
        }
        jstring s = (*env)->NewStringUTF(env, values[i]);
        if (s == NULL) {
            return NULL;
        }
        (*env)->SetObjectArrayElement(env, out, i, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return out;
}
