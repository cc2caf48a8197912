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

size_t nt_error_queue_text(char *buf, size_t cap, size_t used, const char *lead, int *entries)
{
    char previous[256] = "";
    const char *func;
    const char *data;
    int flags;
    unsigned long code;
    int count = 0;

    while ((code = ERR_get_error_all(NULL, NULL, &func, &data, &flags)) != 0) {
        char reason[256];
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

void nt_throw_openssl(JNIEnv *env, jclass cls, const char *operation, const nt_conn *conn)
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
        used = append(msg, sizeof(msg), used, ": no reason given by OpenSSL");
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
