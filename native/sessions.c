/*
 * Sessions and resumption. OpenSSL's own session store stays off: the Java session contexts are
 * the cache (so getIds, invalidate, size and timeout mean what JSSE says), and a client session
 * never lands where a server lookup could find it. OpenSSL tells Java about each new session and
 * asks Java for a server session by id (TLS 1.2). Each ticket a server issues carries the token
 * of its Java session, and a decrypted ticket is used only while that session is still in the
 * server's cache and valid: Java knows about invalidation and the current timeout, the ticket
 * knows neither.
 *
 * Every SSL_SESSION reference Java holds is counted as a live handle and released exactly once
 * with sessionFree.
 */
#include <openssl/err.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

/* OpenSSL's own limit; the Java context applies the (usually shorter) configured timeout. */
#define NT_SESSION_LIFETIME_SECONDS (7 * 24 * 3600)

/*
 * TLS 1.2 with tickets: both sides name the session by the id the ServerHello carried, as SunJSSE
 * does. A server issuing a ticket would send an empty id (OpenSSL's rule), so it sends its Java
 * session's token (nt_sessions_name_ticketed). A client reading a ticket replaces the ServerHello's
 * id with a hash of the ticket; it is kept when the ServerHello is read (nt_sessions_server_hello_read)
 * in the client session's ticket application data, which only a server ever puts into a ticket,
 * and put back when the session is reported. The client then also offers that id with the ticket,
 * and a server resuming by ticket echoes it (RFC 5077, section 3.4), so the resumed session keeps
 * the name on both sides.
 */
void nt_sessions_server_hello_read(const SSL *ssl)
{
    SSL_SESSION *session = SSL_get_session(ssl);
    if (session == NULL || SSL_is_server(ssl) || SSL_version(ssl) >= TLS1_3_VERSION || SSL_session_reused(ssl)) {
        return;
    }
    unsigned int len = 0;
    const unsigned char *id = SSL_SESSION_get_id(session, &len);
    if (len > 0 && SSL_SESSION_set1_ticket_appdata(session, id, len) != 1) {
        ERR_clear_error(); /* the hash of the ticket names the session then */
    }
}

static void restore_server_id(SSL *ssl, SSL_SESSION *session)
{
    void *data = NULL;
    size_t len = 0;
    if (SSL_is_server(ssl) || SSL_SESSION_get_protocol_version(session) >= TLS1_3_VERSION
        || SSL_SESSION_get0_ticket_appdata(session, &data, &len) != 1 || data == NULL || len == 0
        || len > SSL_MAX_SSL_SESSION_ID_LENGTH) {
        return;
    }
    if (SSL_SESSION_set1_id(session, data, (unsigned int)len) != 1) {
        ERR_clear_error();
    }
}

int nt_sessions_name_ticketed(nt_conn *conn, SSL *ssl)
{
    SSL_SESSION *session = SSL_get_session(ssl);
    if (session == NULL || !SSL_is_server(ssl) || SSL_version(ssl) >= TLS1_3_VERSION || SSL_session_reused(ssl)) {
        return 1;
    }
    unsigned int len = 0;
    SSL_SESSION_get_id(session, &len);
    if (len > 0) {
        return 1; /* no ticket: OpenSSL's own id names the session */
    }
    JNIEnv *env = conn->env;
    jbyteArray token = (*env)->CallObjectMethod(env, conn->owner, nt_jni.ticket_token);
    if (nt_pending_exception(env)) {
        nt_upcall_failed(conn);
        return 0;
    }
    if (token == NULL) {
        return 1;
    }
    int ok = 0;
    jsize token_len = (*env)->GetArrayLength(env, token);
    jbyte *bytes = token_len > 0 && token_len <= SSL_MAX_SSL_SESSION_ID_LENGTH
        ? (*env)->GetByteArrayElements(env, token, NULL) : NULL;
    if (bytes != NULL) {
        ok = SSL_SESSION_set1_id(session, (const unsigned char *)bytes, (unsigned int)token_len) == 1;
        (*env)->ReleaseByteArrayElements(env, token, bytes, JNI_ABORT);
    }
    (*env)->DeleteLocalRef(env, token);
    if (!ok) {
        ERR_clear_error(); /* the session goes without an id on the wire, as OpenSSL would send it */
    }
    return 1;
}

static void report_session(nt_conn *conn, SSL_SESSION *session)
{
    JNIEnv *env = conn->env;
    jbyteArray id = nt_session_id(env, session);
    if (id == NULL) {
        nt_upcall_failed(conn);
        SSL_SESSION_free(session);
        return;
    }
    nt_count_new(NT_HANDLE_SESSION);
    (*env)->CallVoidMethod(env, conn->owner, nt_jni.session_created, nt_ptr_to_jlong(session), id,
                           (jint)SSL_SESSION_get_protocol_version(session));
    (*env)->DeleteLocalRef(env, id);
    if (nt_pending_exception(env)) {
        /* Only an Error gets here; Java may not have recorded the handle, so it leaks rather than dangles. */
        nt_upcall_failed(conn);
    }
}

/* OpenSSL has taken a reference for us; returning 1 hands it to Java, which always keeps it. */
static int new_session(SSL *ssl, SSL_SESSION *session)
{
    nt_conn *conn = nt_conn_of(ssl);
    if (conn != NULL && nt_conn_defer_session(conn, session)) {
        return 1; /* a TLS 1.3 ticket read with the arrays pinned */
    }
    conn = nt_conn_in_call(ssl);
    if (conn == NULL) {
        return 0;
    }
    restore_server_id(ssl, session);
    report_session(conn, session);
    return 1;
}

void nt_sessions_report_deferred(nt_conn *conn)
{
    SSL_SESSION *session = nt_conn_take_deferred_session(conn);
    if (session != NULL) {
        report_session(conn, session);
    }
}

/*
 * The host name a ClientHello asks for, or NULL: read from the hello itself, since OpenSSL looks
 * the session up before it parses server_name. A resumed session must have been made for the
 * same name (RFC 6066, section 3); Java compares. Only valid while the hello is being processed.
 */
static jstring hello_server_name(JNIEnv *env, SSL *ssl)
{
    const unsigned char *p;
    size_t len;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) != 1 || len < 2) {
        return NULL;
    }
    size_t list = ((size_t)p[0] << 8) | p[1];
    if (list + 2 > len) {
        return NULL;
    }
    for (size_t i = 2; i + 3 <= list + 2;) {
        unsigned int type = p[i];
        size_t name_len = ((size_t)p[i + 1] << 8) | p[i + 2];
        i += 3;
        if (i + name_len > list + 2) {
            return NULL;
        }
        if (type == TLSEXT_NAMETYPE_host_name && name_len > 0 && name_len <= 255) {
            char name[256];
            for (size_t k = 0; k < name_len; k++) {
                unsigned char ch = p[i + k];
                if (ch < 0x21 || ch > 0x7e) {
                    return NULL; /* not a DNS name: OpenSSL refuses the hello anyway */
                }
                name[k] = (char)ch;
            }
            name[name_len] = '\0';
            return (*env)->NewStringUTF(env, name);
        }
        i += name_len;
    }
    return NULL;
}

/* A TLS 1.2 client offered a session id: Java returns a reference it took for OpenSSL, or 0. */
static SSL_SESSION *get_session(SSL *ssl, const unsigned char *data, int len, int *copy)
{
    *copy = 0;
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL || len <= 0) {
        return NULL;
    }
    JNIEnv *env = conn->env;
    jbyteArray id = (*env)->NewByteArray(env, len);
    if (id == NULL) {
        nt_upcall_failed(conn);
        return NULL;
    }
    (*env)->SetByteArrayRegion(env, id, 0, len, (const jbyte *)data);
    jstring name = hello_server_name(env, ssl);
    jlong found = 0;
    if (!nt_pending_exception(env)) {
        found = (*env)->CallLongMethod(env, conn->owner, nt_jni.find_session, id, name);
    }
    (*env)->DeleteLocalRef(env, id);
    if (name != NULL) {
        (*env)->DeleteLocalRef(env, name);
    }
    if (nt_pending_exception(env)) {
        nt_upcall_failed(conn);
        return NULL;
    }
    if (found != 0) {
        nt_count_free(NT_HANDLE_SESSION); /* the reference now belongs to OpenSSL */
    }
    return nt_jlong_to_ptr(found);
}

/* Puts the Java session's token into the ticket about to be encrypted. */
static int generate_ticket(SSL *ssl, void *arg)
{
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL) {
        return 0;
    }
    JNIEnv *env = conn->env;
    jbyteArray token = (*env)->CallObjectMethod(env, conn->owner, nt_jni.ticket_token);
    if (nt_pending_exception(env) || token == NULL) {
        nt_upcall_failed(conn);
        return 0;
    }
    int ok = 0;
    jsize len = (*env)->GetArrayLength(env, token);
    jbyte *bytes = (*env)->GetByteArrayElements(env, token, NULL);
    if (bytes != NULL) {
        ok = SSL_SESSION_set1_ticket_appdata(SSL_get_session(ssl), bytes, (size_t)len) == 1;
        (*env)->ReleaseByteArrayElements(env, token, bytes, JNI_ABORT);
    }
    (*env)->DeleteLocalRef(env, token);
    return ok;
}

static SSL_TICKET_RETURN decrypt_ticket(SSL *ssl, SSL_SESSION *session, const unsigned char *keyname,
                                        size_t keyname_len, SSL_TICKET_STATUS status, void *arg)
{
    switch (status) {
    case SSL_TICKET_SUCCESS:
    case SSL_TICKET_SUCCESS_RENEW:
        break;
    case SSL_TICKET_EMPTY:
    case SSL_TICKET_NO_DECRYPT:
        return SSL_TICKET_RETURN_IGNORE_RENEW; /* a full handshake, and a fresh ticket */
    case SSL_TICKET_NONE:
        return SSL_TICKET_RETURN_IGNORE;
    default:
        return SSL_TICKET_RETURN_ABORT;
    }
    nt_conn *conn = nt_conn_in_call(ssl);
    if (conn == NULL || session == NULL) {
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    JNIEnv *env = conn->env;
    void *data = NULL;
    size_t len = 0;
    if (SSL_SESSION_get0_ticket_appdata(session, &data, &len) != 1 || data == NULL || len == 0 || len > 64) {
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    jbyteArray token = (*env)->NewByteArray(env, (jsize)len);
    if (token == NULL) {
        nt_upcall_failed(conn);
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    (*env)->SetByteArrayRegion(env, token, 0, (jsize)len, (const jbyte *)data);
    jstring name = hello_server_name(env, ssl);
    jboolean usable = JNI_FALSE;
    if (!nt_pending_exception(env)) {
        usable = (*env)->CallBooleanMethod(env, conn->owner, nt_jni.accept_ticket, token,
                                           (jlong)SSL_SESSION_get_time(session), name);
    }
    (*env)->DeleteLocalRef(env, token);
    if (name != NULL) {
        (*env)->DeleteLocalRef(env, name);
    }
    if (nt_pending_exception(env)) {
        nt_upcall_failed(conn);
        usable = JNI_FALSE;
    }
    if (!usable) {
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    return status == SSL_TICKET_SUCCESS_RENEW ? SSL_TICKET_RETURN_USE_RENEW : SSL_TICKET_RETURN_USE;
}

static int offers_tls13(SSL *ssl)
{
    const unsigned char *p;
    size_t len;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_supported_versions, &p, &len) != 1 || len < 1 || p[0] + 1u > len) {
        return 0;
    }
    for (size_t i = 1; i + 1 < (size_t)p[0] + 1; i += 2) {
        if (p[i] == 0x03 && p[i + 1] == 0x04) {
            return 1;
        }
    }
    return 0;
}

/*
 * A server without TLS 1.2 tickets resumes TLS 1.2 by session id. SSL_OP_NO_TICKET would also
 * turn TLS 1.3 tickets into OpenSSL's stateful ones, which name a native session the Java cache
 * does not hold; the TLS 1.3 tickets here are already bound to the Java cache by their token, so
 * the option is set only for a hello that will not be TLS 1.3.
 */
static void tls12_without_tickets(SSL *ssl)
{
    long max = SSL_get_max_proto_version(ssl);
    if ((max != 0 && max < TLS1_3_VERSION) || !offers_tls13(ssl)) {
        SSL_set_options(ssl, SSL_OP_NO_TICKET);
    }
}

/* A context has one ClientHello callback: the ticket rule above (arg set) and the extensions' part. */
static int client_hello(SSL *ssl, int *alert, void *arg)
{
    if (arg != NULL) {
        tls12_without_tickets(ssl);
    }
    return nt_extensions_client_hello(ssl, alert);
}

static int no_tls12_tickets; /* only its address is used, as the callback's marker */

int nt_sessions_configure(SSL_CTX *ctx, int tls12_tickets)
{
    SSL_CTX_set_client_hello_cb(ctx, client_hello, tls12_tickets ? NULL : &no_tls12_tickets);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_BOTH | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, new_session);
    SSL_CTX_sess_set_get_cb(ctx, get_session);
    SSL_CTX_set_timeout(ctx, NT_SESSION_LIFETIME_SECONDS);
    /* One TLS 1.3 ticket per handshake: clients keep only the newest anyway. */
    return SSL_CTX_set_num_tickets(ctx, 1) == 1 && SSL_CTX_set_session_ticket_cb(ctx, generate_ticket, decrypt_ticket, NULL) == 1;
}

static jboolean native_sessionUpRef(JNIEnv *env, jclass cls, jlong handle)
{
    if (SSL_SESSION_up_ref(nt_jlong_to_ptr(handle)) != 1) {
        ERR_clear_error();
        return JNI_FALSE;
    }
    nt_count_new(NT_HANDLE_SESSION);
    return JNI_TRUE;
}

static void native_sessionFree(JNIEnv *env, jclass cls, jlong handle)
{
    SSL_SESSION *session = nt_jlong_to_ptr(handle);
    if (session != NULL) {
        SSL_SESSION_free(session);
        nt_count_free(NT_HANDLE_SESSION);
    }
}

static void native_connectionOfferSession(JNIEnv *env, jclass cls, jlong conn_handle, jlong session_handle)
{
    nt_conn *conn = nt_jlong_to_ptr(conn_handle);
    SSL_SESSION *session = nt_jlong_to_ptr(session_handle);
    ERR_clear_error();
    /* SSL_set_session takes its own reference; the caller's is consumed either way. */
    int ok = SSL_set_session(conn->ssl, session);
    SSL_SESSION_free(session);
    nt_count_free(NT_HANDLE_SESSION);
    if (ok != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, "offering a session for resumption");
    }
}

static const JNINativeMethod methods[] = {
    {"sessionUpRef", "(J)Z", (void *)native_sessionUpRef},
    {"sessionFree", "(J)V", (void *)native_sessionFree},
    {"connectionOfferSession", "(JJ)V", (void *)native_connectionOfferSession},
};
NT_NATIVES(nt_sessions_natives, methods);
