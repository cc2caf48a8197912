/*
 * Turning OpenSSL's per-thread error queue into Java exceptions. Every failure path drains the
 * queue here, so nothing is left behind to confuse the next call on the same thread.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>

#include "nativetls.h"

#define NT_MESSAGE_MAX 1024

/* The reasons Java tells apart are OpenSSL's numbers, named once in SslNative. */
_Static_assert(io_nativetls_internal_jni_SslNative_ERR_LIB_SSL == ERR_LIB_SSL, "ERR_LIB_SSL");
_Static_assert(io_nativetls_internal_jni_SslNative_SSL_R_BAD_PROTOCOL_VERSION_NUMBER
                   == SSL_R_BAD_PROTOCOL_VERSION_NUMBER, "SSL_R_BAD_PROTOCOL_VERSION_NUMBER");
_Static_assert(io_nativetls_internal_jni_SslNative_SSL_R_NO_CIPHERS_AVAILABLE == SSL_R_NO_CIPHERS_AVAILABLE,
               "SSL_R_NO_CIPHERS_AVAILABLE");
_Static_assert(io_nativetls_internal_jni_SslNative_SSL_R_NO_CIPHER_MATCH == SSL_R_NO_CIPHER_MATCH,
               "SSL_R_NO_CIPHER_MATCH");
_Static_assert(io_nativetls_internal_jni_SslNative_SSL_R_NO_PROTOCOLS_AVAILABLE == SSL_R_NO_PROTOCOLS_AVAILABLE,
               "SSL_R_NO_PROTOCOLS_AVAILABLE");
_Static_assert(io_nativetls_internal_jni_SslNative_SSL_R_NO_SHARED_CIPHER == SSL_R_NO_SHARED_CIPHER,
               "SSL_R_NO_SHARED_CIPHER");
_Static_assert(io_nativetls_internal_jni_SslNative_SSL_R_UNSUPPORTED_PROTOCOL == SSL_R_UNSUPPORTED_PROTOCOL,
               "SSL_R_UNSUPPORTED_PROTOCOL");
_Static_assert(io_nativetls_internal_jni_SslNative_SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE
                   == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE, "SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE");
_Static_assert(io_nativetls_internal_jni_SslNative_SSL_R_TLSV1_ALERT_PROTOCOL_VERSION
                   == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION, "SSL_R_TLSV1_ALERT_PROTOCOL_VERSION");

int nt_pending_exception(JNIEnv *env)
{
    return (*env)->ExceptionCheck(env) == JNI_TRUE;
}

static size_t append(char *buf, size_t cap, size_t used, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Appends to the text in buf (cap bytes), truncating at cap; returns the new length. */
static size_t append(char *buf, size_t cap, size_t used, const char *fmt, ...)
{
    if (cap == 0 || used >= cap - 1) {
        return used;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, cap - used, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return used;
    }
    used += (size_t)n;
    return used < cap ? used : cap - 1;
}

/* What one queue entry says: its reason, or for the entries OpenSSL has no reason text for, what raised it. */
static void entry_reason(unsigned long code, const char *func, char *out, size_t cap)
{
    const char *reason = ERR_reason_error_string(code);
    if (reason != NULL) {
        snprintf(out, cap, "%s", reason);
    } else if (ERR_SYSTEM_ERROR(code)) {
        snprintf(out, cap, "%s", strerror(ERR_GET_REASON(code)));
    } else if (func != NULL && func[0] != '\0') {
        snprintf(out, cap, "%s failed", func);
    } else {
        snprintf(out, cap, "error %lx", code);
    }
}

/* The library and reason of each entry drained, in queue order (a full queue holds 16). */
#define NT_MAX_CODES 16
typedef struct {
    int n;
    jint library[NT_MAX_CODES];
    jint reason[NT_MAX_CODES];
} error_codes;

static size_t queue_text(char *buf, size_t cap, size_t used, const char *lead, int *entries, error_codes *codes);

size_t nt_error_queue_text(char *buf, size_t cap, size_t used, const char *lead, int *entries)
{
    return queue_text(buf, cap, used, lead, entries, NULL);
}

/* nt_error_queue_text, also keeping each entry's numbers in codes (may be NULL). */
static size_t queue_text(char *buf, size_t cap, size_t used, const char *lead, int *entries, error_codes *codes)
{
    char previous[256] = "";
    const char *func;
    const char *data;
    int flags;
    unsigned long code;
    int count = 0;

    while ((code = ERR_get_error_all(NULL, NULL, &func, &data, &flags)) != 0) {
        char reason[256];
        if (codes != NULL && codes->n < NT_MAX_CODES) {
            codes->library[codes->n] = ERR_GET_LIB(code);
            codes->reason[codes->n] = ERR_GET_REASON(code);
            codes->n++;
        }
        int has_data = (flags & ERR_TXT_STRING) != 0 && data != NULL && data[0] != '\0';
        entry_reason(code, func, reason, sizeof(reason));
        /* A caller re-raising its callee's reason without details adds nothing ("could not load" twice). */
        if (!has_data && strcmp(reason, previous) == 0) {
            continue;
        }
        used = append(buf, cap, used, "%s", count == 0 ? lead : "; ");
        used = append(buf, cap, used, "%s", reason);
        if (has_data) {
            used = append(buf, cap, used, " (%s)", data);
        }
        snprintf(previous, sizeof(previous), "%s", reason);
        count++;
    }
    if (entries != NULL) {
        *entries = count;
    }
    return used;
}

static size_t append_alert(char *buf, size_t used, const char *direction, int alert)
{
    if (alert == 0) {
        return used;
    }
    const char *text = SSL_alert_desc_string_long(alert);
    /* OpenSSL 3.0 has no text for the TLS 1.3 alerts; name them as RFC 8446 does. */
    switch (alert & 0xff) {
    case 109:
        text = "missing_extension";
        break;
    case 116:
        text = "certificate_required";
        break;
    default:
        break;
    }
    return append(buf, NT_MESSAGE_MAX, used, "; alert %s: %s", direction, text);
}

void nt_throw_openssl(JNIEnv *env, jclass cls, const char *operation)
{
    char msg[NT_MESSAGE_MAX];
    size_t used = 0;
    int reasons = 0;

    if (nt_pending_exception(env)) {
        /* A Java exception is already on its way (e.g. OutOfMemoryError in a callback). */
        ERR_clear_error();
        return;
    }
    used = append(msg, sizeof(msg), used, "%s failed", operation);
    used = nt_error_queue_text(msg, sizeof(msg), used, ": ", &reasons);
    if (reasons == 0) {
        append(msg, sizeof(msg), used, ": no reason given by OpenSSL");
    }
    (*env)->ThrowNew(env, cls, msg);
}

static jclass failure_class(int kind)
{
    return kind == NT_FAILURE_HANDSHAKE ? nt_jni.ssl_handshake_exception
         : kind == NT_FAILURE_PROTOCOL ? nt_jni.ssl_protocol_exception : nt_jni.ssl_exception;
}

static jintArray int_array(JNIEnv *env, const jint *values, int n)
{
    jintArray out = (*env)->NewIntArray(env, n);
    if (out != NULL && n > 0) {
        (*env)->SetIntArrayRegion(env, out, 0, n, values);
    }
    return out;
}

void nt_throw_failure(JNIEnv *env, nt_conn *conn, int kind, const char *operation)
{
    char msg[NT_MESSAGE_MAX];
    size_t used = 0;
    int reasons = 0;
    error_codes codes = {0};

    if (nt_pending_exception(env)) {
        /* A Java exception is already on its way (e.g. OutOfMemoryError in a callback). */
        ERR_clear_error();
        return;
    }
    used = append(msg, sizeof(msg), used, "%s failed", operation);
    used = queue_text(msg, sizeof(msg), used, ": ", &reasons, &codes);
    if (reasons == 0) {
        used = append(msg, sizeof(msg), used, ": no reason given by OpenSSL");
    }
    used = append_alert(msg, used, "sent", conn->alert_sent);
    append_alert(msg, used, "received", conn->alert_received);
    if (conn->owner == NULL) {
        (*env)->ThrowNew(env, failure_class(kind), msg);
        return;
    }
    /* The callbacks build the exception: its cause and the hint join the message there, once. */
    jstring text = (*env)->NewStringUTF(env, msg);
    jintArray libraries = text != NULL ? int_array(env, codes.library, codes.n) : NULL;
    jintArray reason_codes = libraries != NULL ? int_array(env, codes.reason, codes.n) : NULL;
    jthrowable failure = NULL;
    if (reason_codes != NULL) {
        failure = (*env)->CallObjectMethod(env, conn->owner, nt_jni.failure, (jint)kind, text, libraries,
                                           reason_codes, (jint)conn->alert_sent, (jint)conn->alert_received);
    }
    (*env)->DeleteLocalRef(env, text);
    (*env)->DeleteLocalRef(env, libraries);
    (*env)->DeleteLocalRef(env, reason_codes);
    if (nt_pending_exception(env)) {
        return; /* out of memory (or an Error the factory met) leaves as itself */
    }
    if (failure == NULL) {
        (*env)->ThrowNew(env, failure_class(kind), msg);
        return;
    }
    (*env)->Throw(env, failure);
    (*env)->DeleteLocalRef(env, failure);
}

void nt_throw_message(JNIEnv *env, jclass cls, const char *fmt, ...)
{
    char msg[NT_MESSAGE_MAX];
    va_list ap;
    ERR_clear_error();
    if (nt_pending_exception(env)) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    (*env)->ThrowNew(env, cls, msg);
}
