/*
 * Counts of live native handles by kind, so tests can prove every handle is freed exactly once
 * (the count returns to where it started) without a debugger or a leak checker.
 */
#include <stdatomic.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

static atomic_long live[NT_HANDLE_KINDS];

void nt_count_new(nt_handle_kind kind)
{
    atomic_fetch_add_explicit(&live[kind], 1, memory_order_relaxed);
}

void nt_count_free(nt_handle_kind kind)
{
    atomic_fetch_sub_explicit(&live[kind], 1, memory_order_relaxed);
}

static jlongArray native_liveHandles(JNIEnv *env, jclass cls)
{
    jlong values[NT_HANDLE_KINDS];
    for (int i = 0; i < NT_HANDLE_KINDS; i++) {
        values[i] = atomic_load_explicit(&live[i], memory_order_relaxed);
    }
    jlongArray out = (*env)->NewLongArray(env, NT_HANDLE_KINDS);
    if (out != NULL) {
        (*env)->SetLongArrayRegion(env, out, 0, NT_HANDLE_KINDS, values);
    }
    return out;
}

static const JNINativeMethod methods[] = {
    {"liveHandles", "()[J", (void *)native_liveHandles},
};
NT_NATIVES(nt_counters_natives, methods);
