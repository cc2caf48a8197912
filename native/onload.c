/*
 * Library load and unload: registers the native methods of SslNative, caches every JNI class and
 * method id the native side uses, so no lookup (and no class loading) happens on a handshake
 * thread, and reports OpenSSL's version. OpenSSL's own initialisation and its configuration
 * check are in init.c.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

nt_jni_ids nt_jni;

static jclass global_class(JNIEnv *env, const char *name)
{
    jclass local = (*env)->FindClass(env, name);
    if (local == NULL) {
        return NULL;
    }
    jclass global = (*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return global;
}

/* Boolean.TRUE or Boolean.FALSE as a global ref. */
static jobject global_boolean(JNIEnv *env, const char *name)
{
    jclass cls = (*env)->FindClass(env, "java/lang/Boolean");
    if (cls == NULL) {
        return NULL;
    }
    jfieldID field = (*env)->GetStaticFieldID(env, cls, name, "Ljava/lang/Boolean;");
    jobject local = field != NULL ? (*env)->GetStaticObjectField(env, cls, field) : NULL;
    (*env)->DeleteLocalRef(env, cls);
    if (local == NULL) {
        return NULL;
    }
    jobject global = (*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return global;
}

static void release_ids(JNIEnv *env)
{
    jobject *refs[] = {
        &nt_jni.ssl_exception, &nt_jni.ssl_handshake_exception, &nt_jni.ssl_protocol_exception,
        &nt_jni.key_management_exception, &nt_jni.illegal_state_exception, &nt_jni.illegal_argument_exception,
        &nt_jni.out_of_memory_error, &nt_jni.unsatisfied_link_error, &nt_jni.string, &nt_jni.byte_array,
        &nt_jni.object, &nt_jni.boolean_true, &nt_jni.boolean_false,
    };
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        if (*refs[i] != NULL) {
            (*env)->DeleteGlobalRef(env, *refs[i]);
            *refs[i] = NULL;
        }
    }
}

static int cache_ids(JNIEnv *env)
{
    if ((nt_jni.ssl_exception = global_class(env, "javax/net/ssl/SSLException")) == NULL
        || (nt_jni.ssl_handshake_exception = global_class(env, "javax/net/ssl/SSLHandshakeException")) == NULL
        || (nt_jni.ssl_protocol_exception = global_class(env, "javax/net/ssl/SSLProtocolException")) == NULL
        || (nt_jni.key_management_exception = global_class(env, "java/security/KeyManagementException")) == NULL
        || (nt_jni.illegal_state_exception = global_class(env, "java/lang/IllegalStateException")) == NULL
        || (nt_jni.illegal_argument_exception = global_class(env, "java/lang/IllegalArgumentException")) == NULL
        || (nt_jni.out_of_memory_error = global_class(env, "java/lang/OutOfMemoryError")) == NULL
        || (nt_jni.unsatisfied_link_error = global_class(env, "java/lang/UnsatisfiedLinkError")) == NULL
        || (nt_jni.string = global_class(env, "java/lang/String")) == NULL
        || (nt_jni.byte_array = global_class(env, "[B")) == NULL
        || (nt_jni.object = global_class(env, "java/lang/Object")) == NULL
        || (nt_jni.boolean_true = global_boolean(env, "TRUE")) == NULL
        || (nt_jni.boolean_false = global_boolean(env, "FALSE")) == NULL) {
        return 0;
    }
    /* The callbacks are looked up on the interface: any class implementing it can be the target. */
    jclass callbacks = (*env)->FindClass(env, NT_JNI_PACKAGE "NativeCallbacks");
    if (callbacks == NULL) {
        return 0;
    }
    static const struct {
        jmethodID *id;
        const char *name;
        const char *descriptor;
    } methods[] = {
        {&nt_jni.verify_peer, "verifyPeer", "([[BLjava/lang/String;Ljava/lang/String;Ljava/lang/String;[I[BZ)I"},
        {&nt_jni.stapled_response, "stapledResponse", "([B)[B"},
        {&nt_jni.select_credentials, "selectCredentials", "([II[[B[Ljava/lang/String;)[J"},
        {&nt_jni.session_created, "sessionCreated", "(J[BI)V"},
        {&nt_jni.find_session, "findSession", "([BLjava/lang/String;)J"},
        {&nt_jni.accept_ticket, "acceptTicket", "([BJLjava/lang/String;)Z"},
        {&nt_jni.ticket_token, "ticketToken", "()[B"},
        {&nt_jni.select_application_protocol, "selectApplicationProtocol", "([B)I"},
        {&nt_jni.server_name_received, "serverNameReceived", "([B)Z"},
        {&nt_jni.upcall_failed, "upcallFailed", "(Ljava/lang/Throwable;)V"},
        {&nt_jni.failure, "failure", "(ILjava/lang/String;[I[III)Ljava/lang/Throwable;"},
    };
    int ok = 1;
    for (size_t i = 0; ok && i < sizeof(methods) / sizeof(methods[0]); i++) {
        /* A missing one leaves NoSuchMethodError pending, which System.load throws. */
        *methods[i].id = (*env)->GetMethodID(env, callbacks, methods[i].name, methods[i].descriptor);
        ok = *methods[i].id != NULL;
    }
    (*env)->DeleteLocalRef(env, callbacks);
    if (!ok) {
        return 0;
    }
    jclass signer = (*env)->FindClass(env, NT_JNI_PACKAGE "KeySigner");
    if (signer == NULL) {
        return 0;
    }
    nt_jni.key_sign = (*env)->GetMethodID(env, signer, "sign", "(Ljava/lang/String;I[B)[B");
    (*env)->DeleteLocalRef(env, signer);
    return nt_jni.key_sign != NULL;
}

/* Every area's table of natives (see nt_natives). */
static const nt_natives *const areas[] = {
    &nt_conn_natives,     &nt_counters_natives,   &nt_credentials_natives, &nt_established_natives,
    &nt_extensions_natives, &nt_info_natives,     &nt_init_natives,        &nt_keylog_natives,
    &nt_ocsp_natives,     &nt_onload_natives,   &nt_selfsigned_natives, &nt_sessions_natives,    &nt_ssl_natives,
    &nt_ssl_ctx_natives,
};

/*
 * Binds every native of SslNative to its function. A table entry naming no native of that class
 * (a renamed method, a changed descriptor) fails here: the NoSuchMethodError becomes an
 * UnsatisfiedLinkError saying which entry, which System.load throws to the loader.
 */
static int register_natives(JNIEnv *env)
{
    jclass ssl_native = (*env)->FindClass(env, NT_JNI_PACKAGE "SslNative");
    if (ssl_native == NULL) {
        return 0;
    }
    int ok = 1;
    for (size_t a = 0; ok && a < sizeof(areas) / sizeof(areas[0]); a++) {
        for (int i = 0; ok && i < areas[a]->count; i++) {
            const JNINativeMethod *m = &areas[a]->methods[i];
            if ((*env)->RegisterNatives(env, ssl_native, m, 1) != JNI_OK) {
                (*env)->ExceptionClear(env);
                nt_throw_message(env, nt_jni.unsatisfied_link_error,
                                 "libnativetls.so does not match its Java classes: SslNative has no native %s%s",
                                 m->name, m->signature);
                ok = 0;
            }
        }
    }
    (*env)->DeleteLocalRef(env, ssl_native);
    return ok;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    nt_jni.vm = vm;
    /*
     * OpenSSL itself is initialised (its configuration file read) by SslNative.initialise(), which
     * the loader calls next: a broken configuration must become a cause the loader can report, not
     * a failed load. Nothing here needs the configuration.
     */
    if (!cache_ids(env) || !register_natives(env) || !nt_bio_method_init() || !nt_conn_index_init() || !nt_keylog_index_init()) {
        /* FindClass or register_natives left an Error pending: System.load reports it to the loader. */
        release_ids(env);
        nt_keylog_index_free();
        ERR_clear_error();
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}

JNIEXPORT void JNICALL JNI_OnUnload(JavaVM *vm, void *reserved)
{
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) == JNI_OK) {
        release_ids(env);
    }
    nt_keylog_index_free();
    nt_bio_method_free();
}

static jstring native_openSslVersion(JNIEnv *env, jclass cls)
{
    return (*env)->NewStringUTF(env, OpenSSL_version(OPENSSL_VERSION));
}

static jlong native_openSslVersionNumber(JNIEnv *env, jclass cls)
{
    return (jlong)OpenSSL_version_num();
}

static jboolean native_errorQueueEmpty(JNIEnv *env, jclass cls)
{
    return ERR_peek_error() == 0 ? JNI_TRUE : JNI_FALSE;
}

/* "name descriptor" of every native registered, so a test can compare them with SslNative's natives. */
static jobjectArray native_registeredNatives(JNIEnv *env, jclass cls)
{
    int n = 0;
    for (size_t a = 0; a < sizeof(areas) / sizeof(areas[0]); a++) {
        n += areas[a]->count;
    }
    jobjectArray out = (*env)->NewObjectArray(env, n, nt_jni.string, NULL);
    int k = 0;
    for (size_t a = 0; out != NULL && a < sizeof(areas) / sizeof(areas[0]); a++) {
        for (int i = 0; i < areas[a]->count; i++) {
            char row[512];
            snprintf(row, sizeof(row), "%s %s", areas[a]->methods[i].name, areas[a]->methods[i].signature);
            jstring s = (*env)->NewStringUTF(env, row);
            if (s == NULL) {
                return NULL;
            }
            (*env)->SetObjectArrayElement(env, out, k++, s);
            (*env)->DeleteLocalRef(env, s);
        }
    }
    return out;
}

static const JNINativeMethod methods[] = {
    {"registeredNatives", "()[Ljava/lang/String;", (void *)native_registeredNatives},
    {"openSslVersion", "()Ljava/lang/String;", (void *)native_openSslVersion},
    {"openSslVersionNumber", "()J", (void *)native_openSslVersionNumber},
    {"errorQueueEmpty", "()Z", (void *)native_errorQueueEmpty},
};
NT_NATIVES(nt_onload_natives, methods);
