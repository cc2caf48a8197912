/*
 * Library load and unload: caches every JNI class and method id the native side uses, so no
 * lookup (and no class loading) happens on a handshake thread, and reports OpenSSL's version.
 * OpenSSL's own initialisation and its configuration check are in init.c.
 */
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

static void release_ids(JNIEnv *env)
{
    jclass *classes[] = {
        &nt_jni.ssl_exception, &nt_jni.ssl_handshake_exception, &nt_jni.ssl_protocol_exception,
        &nt_jni.key_management_exception, &nt_jni.illegal_state_exception,
        &nt_jni.illegal_argument_exception, &nt_jni.out_of_memory_error, &nt_jni.string,
        &nt_jni.byte_array,
    };
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        if (*classes[i] != NULL) {
            (*env)->DeleteGlobalRef(env, *classes[i]);
            *classes[i] = NULL;
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
        || (nt_jni.string = global_class(env, "java/lang/String")) == NULL
        || (nt_jni.byte_array = global_class(env, "[B")) == NULL) {
        return 0;
    }
    jclass handle = (*env)->FindClass(env, "io/nativetls/internal/ssl/SslHandle");
    if (handle == NULL) {
        return 0;
    }
    nt_jni.verify_peer = (*env)->GetMethodID(env, handle, "verifyPeer",
                                             "([[BLjava/lang/String;Ljava/lang/String;Ljava/lang/String;)I");
    nt_jni.select_credentials = (*env)->GetMethodID(env, handle, "selectCredentials", "()[J");
    nt_jni.session_created = (*env)->GetMethodID(env, handle, "sessionCreated", "(J[BI)V");
    nt_jni.find_session = (*env)->GetMethodID(env, handle, "findSession", "([BLjava/lang/String;)J");
    nt_jni.accept_ticket = (*env)->GetMethodID(env, handle, "acceptTicket", "([BJLjava/lang/String;)Z");
    nt_jni.ticket_token = (*env)->GetMethodID(env, handle, "ticketToken", "()[B");
    nt_jni.select_application_protocol = (*env)->GetMethodID(env, handle, "selectApplicationProtocol", "([B)I");
    nt_jni.server_name_received = (*env)->GetMethodID(env, handle, "serverNameReceived", "([B)Z");
    nt_jni.upcall_failed = (*env)->GetMethodID(env, handle, "upcallFailed", "(Ljava/lang/Throwable;)V");
    (*env)->DeleteLocalRef(env, handle);
    return nt_jni.select_application_protocol != NULL && nt_jni.server_name_received != NULL
        && nt_jni.ticket_token != NULL && nt_jni.verify_peer != NULL && nt_jni.select_credentials != NULL && nt_jni.session_created != NULL
        && nt_jni.find_session != NULL && nt_jni.accept_ticket != NULL && nt_jni.upcall_failed != NULL;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    /*
     * OpenSSL itself is initialised (its configuration file read) by SslNative.initialise(), which
     * the loader calls next: a broken configuration must become a cause the loader can report, not
     * a failed load. Nothing here needs the configuration.
     */
    if (!cache_ids(env) || !nt_bio_method_init() || !nt_conn_index_init() || !nt_keylog_index_init()) {
        /* FindClass left its NoClassDefFoundError pending: System.load reports it to the loader. */
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

JNIEXPORT jstring JNICALL Java_io_nativetls_internal_jni_SslNative_openSslVersion(JNIEnv *env, jclass cls)
{
    return (*env)->NewStringUTF(env, OpenSSL_version(OPENSSL_VERSION));
}

JNIEXPORT jlong JNICALL Java_io_nativetls_internal_jni_SslNative_openSslVersionNumber(JNIEnv *env, jclass cls)
{
    return (jlong)OpenSSL_version_num();
}

JNIEXPORT jboolean JNICALL Java_io_nativetls_internal_jni_SslNative_errorQueueEmpty(JNIEnv *env, jclass cls)
{
    return ERR_peek_error() == 0 ? JNI_TRUE : JNI_FALSE;
}
