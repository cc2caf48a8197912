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

int nt_pending_exception(JNIEnv *env)
{
    return (*env)->ExceptionCheck(env) == JNI_TRUE;
}

static size_t append(char *buf, size_t used, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static size_t append(char *buf, size_t used, const char *fmt, ...)
{
    if (used >= NT_MESSAGE_MAX - 1) {
        return used;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, NT_MESSAGE_MAX - used, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return used;
    }
    used += (size_t)n;
    return used < NT_MESSAGE_MAX ? used : NT_MESSAGE_MAX - 1;
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
    return append(buf, used, "; alert %s: %s", direction, text);
}

void nt_throw_openssl(JNIEnv *env, jclass cls, const char *operation, const nt_conn *conn)
{
    char msg[NT_MESSAGE_MAX];
    size_t used = 0;
    int reasons = 0;
    const char *data;
    int flags;
    unsigned long code;

    if (nt_pending_exception(env)) {
        /* A Java exception is already on its way (e.g. OutOfMemoryError in a callback). */
        ERR_clear_error();
        return;
    }
    used = append(msg, used, "%s failed", operation);
    while ((code = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
        const char *reason = ERR_reason_error_string(code);
        used = append(msg, used, reasons == 0 ? ": " : "; ");
        if (reason != NULL) {
            used = append(msg, used, "%s", reason);
        } else {
            used = append(msg, used, "error %lx", code);
        }
        if ((flags & ERR_TXT_STRING) != 0 && data != NULL && data[0] != '\0') {
            used = append(msg, used, " (%s)", data);
        }
        reasons++;
    }
    if (reasons == 0) {
        used = append(msg, used, ": no reason given by OpenSSL");
    }
    if (conn != NULL) {
        used = append_alert(msg, used, "sent", conn->alert_sent);
        used = append_alert(msg, used, "received", conn->alert_received);
    }
    (*env)->ThrowNew(env, cls, msg);
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
