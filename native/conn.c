/*
 * The owner of the per-connection state (nt_conn): its allocation and free, the SSL's pointer
 * back to it, the time a native call runs on it (env and callbacks set, windows on the caller's
 * buffers, arrays pinned or not), and the session that arrives while the arrays are pinned.
 * The other areas use these functions and read the fields; only this file changes the call
 * state, the pinning and the deferred session.
 */
#include <string.h>
#include <openssl/err.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

static int conn_index = -1;

int nt_conn_index_init(void)
{
    conn_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    return conn_index >= 0;
}

nt_conn *nt_conn_of(const SSL *ssl)
{
    return SSL_get_ex_data(ssl, conn_index);
}

/* conn if a native call is running on it and may call Java (its env and owner set, no array pinned). */
static nt_conn *usable_in_call(nt_conn *conn)
{
    return conn != NULL && conn->env != NULL && conn->owner != NULL && !conn->critical ? conn : NULL;
}

nt_conn *nt_conn_in_call(const SSL *ssl)
{
    return usable_in_call(ssl != NULL ? nt_conn_of(ssl) : NULL);
}

/*
 * The connection whose native call runs on this thread: code that OpenSSL calls without naming
 * the SSL (the Java keys' signature operation) finds its handshake's env and owner here.
 */
static _Thread_local nt_conn *on_thread;

nt_conn *nt_conn_on_thread(void)
{
    return usable_in_call(on_thread);
}

nt_conn *nt_conn_begin(JNIEnv *env, jlong handle, jobject owner)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    on_thread = conn;
    conn->env = env;
    conn->owner = owner;
    conn->out_enabled = 0;
    memset(&conn->in, 0, sizeof(conn->in));
    memset(&conn->out, 0, sizeof(conn->out));
    nt_clear_errors();
    return conn;
}

void nt_conn_end(nt_conn *conn)
{
    on_thread = NULL;
    conn->env = NULL;
    conn->owner = NULL;
    conn->out_enabled = 0;
    memset(&conn->in, 0, sizeof(conn->in));
    memset(&conn->out, 0, sizeof(conn->out));
}

/* A window on direct memory (address, from SslNative.directAddress) or on a Java array. */
void nt_conn_set_window(nt_window *w, jlong address, jbyteArray array, jint pos, jint len)
{
    w->off = (size_t)pos;
    w->len = (size_t)len;
    w->pos = 0;
    if (address != 0) {
        w->addr = nt_jlong_to_ptr(address);
    } else {
        w->array = array;
    }
}

static jlong native_directAddress(JNIEnv *env, jclass cls, jobject buffer)
{
    void *address = (*env)->GetDirectBufferAddress(env, buffer);
    if (address == NULL) {
        nt_throw_message(env, nt_jni.illegal_argument_exception, "buffer is not a direct buffer");
    }
    return nt_ptr_to_jlong(address);
}

static jlong native_connectionNew(JNIEnv *env, jclass cls, jlong ctx_handle, jboolean client, jboolean tickets)
{
    ERR_clear_error();
    nt_conn *conn = OPENSSL_zalloc(sizeof(*conn));
    if (conn == NULL) {
        nt_throw_message(env, nt_jni.out_of_memory_error, "allocating a TLS connection");
        return 0;
    }
    conn->ssl = SSL_new(nt_jlong_to_ptr(ctx_handle));
    if (conn->ssl == NULL) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "SSL_new");
        goto fail;
    }
    BIO *bio = nt_bio_new(conn);
    if (bio == NULL) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "creating the connection's BIO");
        goto fail;
    }
    SSL_set_bio(conn->ssl, bio, bio);
    if (SSL_set_ex_data(conn->ssl, conn_index, conn) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "SSL_set_ex_data");
        goto fail;
    }
    if (!tickets) {
        SSL_set_options(conn->ssl, SSL_OP_NO_TICKET);
    }
    if (client) {
        SSL_set_connect_state(conn->ssl);
        SSL_set_verify(conn->ssl, SSL_VERIFY_PEER, NULL);
    } else {
        SSL_set_accept_state(conn->ssl);
        SSL_set_verify(conn->ssl, SSL_VERIFY_NONE, NULL);
    }
    nt_count_new(NT_HANDLE_CONNECTION);
    return nt_ptr_to_jlong(conn);

fail:
    SSL_free(conn->ssl);
    OPENSSL_free(conn);
    return 0;
}

static void native_connectionFree(JNIEnv *env, jclass cls, jlong handle)
{
    nt_conn *conn = nt_jlong_to_ptr(handle);
    if (conn == NULL) {
        return;
    }
    SSL_free(conn->ssl);
    SSL_SESSION_free(conn->deferred_session);
    OPENSSL_free(conn->alpn_offered);
    /* pend holds only records as they go on the wire (ciphertext once keys exist): nothing to wipe. */
    free(conn->pend);
    OPENSSL_free(conn);
    nt_count_free(NT_HANDLE_CONNECTION);
}

/*
 * A new session while the arrays are pinned cannot reach Java (no JNI call may happen): keep it
 * for nt_conn_take_deferred_session. Only the newest matters to a client, so an older one goes.
 */
int nt_conn_defer_session(nt_conn *conn, SSL_SESSION *session)
{
    if (!conn->critical) {
        return 0;
    }
    SSL_SESSION_free(conn->deferred_session);
    conn->deferred_session = session;
    return 1;
}

SSL_SESSION *nt_conn_take_deferred_session(nt_conn *conn)
{
    SSL_SESSION *session = conn->deferred_session;
    conn->deferred_session = NULL;
    return session;
}

/*
 * Heap arrays of an established connection are pinned for the record work, so OpenSSL reads
 * and writes them in place as it does direct memory, instead of through a native copy. Only
 * after the handshake: no callback then needs Java (a TLS 1.3 ticket is deferred), and pinned
 * arrays forbid every JNI call. Errors are thrown after the arrays are released.
 */
static int pin(JNIEnv *env, nt_window *w)
{
    if (w->addr != NULL || w->array == NULL) {
        return 1;
    }
    w->addr = (*env)->GetPrimitiveArrayCritical(env, w->array, NULL);
    return w->addr != NULL;
}

static void unpin(JNIEnv *env, nt_window *w, int mode)
{
    if (w->array != NULL && w->addr != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, w->array, w->addr, mode);
        w->addr = NULL;
    }
}

void nt_conn_leave_critical(JNIEnv *env, nt_conn *conn)
{
    conn->critical = 0;
    unpin(env, &conn->in, JNI_ABORT);
    unpin(env, &conn->out, 0);
}

/* Pins the windows' arrays (direct ones need nothing); 0, with OutOfMemoryError pending, if one cannot be. */
int nt_conn_enter_critical(JNIEnv *env, nt_conn *conn)
{
    if (!pin(env, &conn->in) || !pin(env, &conn->out)) {
        nt_conn_leave_critical(env, conn);
        return 0;
    }
    conn->critical = 1;
    return 1;
}

static const JNINativeMethod methods[] = {
    {"connectionNew", "(JZZ)J", (void *)native_connectionNew},
    {"connectionFree", "(J)V", (void *)native_connectionFree},
    {"directAddress", "(Ljava/nio/ByteBuffer;)J", (void *)native_directAddress},
};
NT_NATIVES(nt_conn_natives, methods);
