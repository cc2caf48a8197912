/*
 * Declarations shared by the native sources of libnativetls: the JNI ids cached at load, the
 * per-connection state, and the helpers every area uses. Each area lives in its own .c file.
 */
#ifndef NATIVETLS_H
#define NATIVETLS_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "io_nativetls_internal_jni_SslNative.h"

/*
 * Constants shared with Java are defined once, as static finals of SslNative; these are the
 * macros javac -h generates from them, under short names.
 */
#define NT_MAX_PLAINTEXT ((int)io_nativetls_internal_jni_SslNative_MAX_PLAINTEXT)
#define NT_MAX_RECORD (5 + NT_MAX_PLAINTEXT + (int)io_nativetls_internal_jni_SslNative_MAX_EXPANSION)
#define NT_F_INIT_FINISHED ((int)io_nativetls_internal_jni_SslNative_F_INIT_FINISHED)
#define NT_F_PENDING ((int)io_nativetls_internal_jni_SslNative_F_PENDING)
#define NT_F_RECEIVED_SHUTDOWN ((int)io_nativetls_internal_jni_SslNative_F_RECEIVED_SHUTDOWN)
#define NT_F_OVERFLOW ((int)io_nativetls_internal_jni_SslNative_F_OVERFLOW)
#define NT_F_SENT_SHUTDOWN ((int)io_nativetls_internal_jni_SslNative_F_SENT_SHUTDOWN)
#define NT_F_NEED_TASK ((int)io_nativetls_internal_jni_SslNative_F_NEED_TASK)
#define NT_CALLBACK_RETRY ((int)io_nativetls_internal_jni_SslNative_CALLBACK_RETRY)
#define NT_EXTENSION_SERVER_NAME ((int)io_nativetls_internal_jni_SslNative_EXTENSION_SERVER_NAME)
#define NT_EXTENSION_ALPN ((int)io_nativetls_internal_jni_SslNative_EXTENSION_ALPN)
#define NT_EXTENSION_EXTENDED_MASTER_SECRET ((int)io_nativetls_internal_jni_SslNative_EXTENSION_EXTENDED_MASTER_SECRET)
#define NT_PROTOCOL_TLS12 ((int)io_nativetls_internal_jni_SslNative_PROTOCOL_TLS12)
#define NT_PROTOCOL_TLS13 ((int)io_nativetls_internal_jni_SslNative_PROTOCOL_TLS13)
#define NT_REFUSE_UNEXPECTED ((int)io_nativetls_internal_jni_SslNative_REFUSE_UNEXPECTED)
#define NT_REFUSE_VERSION ((int)io_nativetls_internal_jni_SslNative_REFUSE_VERSION)
#define NT_REFUSE_LENGTH ((int)io_nativetls_internal_jni_SslNative_REFUSE_LENGTH)
#define NT_ALPN_NONE ((int)io_nativetls_internal_jni_SslNative_ALPN_NONE)
#define NT_ALPN_FATAL ((int)io_nativetls_internal_jni_SslNative_ALPN_FATAL)
#define NT_FAILURE_HANDSHAKE ((int)io_nativetls_internal_jni_SslNative_FAILURE_HANDSHAKE)
#define NT_FAILURE_PROTOCOL ((int)io_nativetls_internal_jni_SslNative_FAILURE_PROTOCOL)
#define NT_FAILURE_RECORD ((int)io_nativetls_internal_jni_SslNative_FAILURE_RECORD)
#define NT_SUMMARY_PROTOCOL ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_PROTOCOL)
#define NT_SUMMARY_CIPHER_SUITE ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_CIPHER_SUITE)
#define NT_SUMMARY_PEER_SIGNATURE_SCHEME ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_PEER_SIGNATURE_SCHEME)
#define NT_SUMMARY_SESSION_ID ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_SESSION_ID)
#define NT_SUMMARY_PEER_CHAIN ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_PEER_CHAIN)
#define NT_SUMMARY_LOCAL_CHAIN ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_LOCAL_CHAIN)
#define NT_SUMMARY_APPLICATION_PROTOCOL ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_APPLICATION_PROTOCOL)
#define NT_SUMMARY_RESUMED ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_RESUMED)
#define NT_SUMMARY_FIELDS ((jint)io_nativetls_internal_jni_SslNative_SUMMARY_FIELDS)

/*
 * The package of SslNative and NativeCallbacks: the only Java names the native side spells out,
 * so moving those two classes means changing this line.
 */
#define NT_JNI_PACKAGE "io/nativetls/internal/jni/"
/* The callbacks' type in a JNI descriptor. */
#define NT_CALLBACKS_TYPE "L" NT_JNI_PACKAGE "NativeCallbacks;"

/*
 * One area's native methods of SslNative (name, JNI descriptor, function): JNI_OnLoad registers
 * every area's table, so a native missing here or described wrongly fails the load, not its
 * first call. Each .c file that implements natives ends with its table.
 */
typedef struct {
    const JNINativeMethod *methods;
    int count;
} nt_natives;
#define NT_NATIVES(name, table) const nt_natives name = {table, (int)(sizeof(table) / sizeof((table)[0]))}
extern const nt_natives nt_conn_natives, nt_counters_natives, nt_credentials_natives, nt_established_natives,
    nt_extensions_natives, nt_info_natives, nt_init_natives, nt_keylog_natives, nt_ocsp_natives, nt_onload_natives,
    nt_selfsigned_natives, nt_sessions_natives, nt_ssl_natives, nt_ssl_ctx_natives;

/* Classes and method ids looked up once in JNI_OnLoad (onload.c). */
typedef struct {
    jclass ssl_exception;
    jclass ssl_handshake_exception;
    jclass ssl_protocol_exception;
    jclass key_management_exception;
    jclass illegal_state_exception;
    jclass illegal_argument_exception;
    jclass out_of_memory_error;
    jclass unsatisfied_link_error;
    jclass string;
    jclass byte_array;
    jclass object;
    jobject boolean_true; /* Boolean.TRUE and FALSE (global refs) */
    jobject boolean_false;
    /* The methods of NativeCallbacks (descriptors in onload.c). */
    jmethodID verify_peer;
    jmethodID select_credentials;
    jmethodID stapled_response;
    jmethodID session_created;
    jmethodID find_session;
    jmethodID accept_ticket;
    jmethodID ticket_token;
    jmethodID select_application_protocol;
    jmethodID server_name_received;
    jmethodID upcall_failed;
    jmethodID failure;
    /* KeySigner.sign (javakeys.c) */
    jmethodID key_sign;
    /* The JVM, for code OpenSSL calls on a thread without handing it an env (freeing a Java key). */
    JavaVM *vm;
} nt_jni_ids;

extern nt_jni_ids nt_jni;

/* A caller's buffer for the length of one native call: direct memory or a Java array (local ref). */
typedef struct {
    uint8_t *addr;
    jbyteArray array;
    size_t off;
    size_t len;
    size_t pos;
} nt_window;

/*
 * One TLS connection: the SSL plus the BIO glue that reads ciphertext from the caller's source
 * buffer and writes records into the caller's destination, keeping what does not fit in pend.
 * conn.c owns it (allocates, frees, and alone changes the call state, the pinning and the
 * deferred session; the functions under "conn.c" below). env and owner (the call's
 * NativeCallbacks) are set only while a native call runs on this connection, never kept past it.
 */
typedef struct {
    SSL *ssl;
    JNIEnv *env;
    jobject owner;
    nt_window in;
    nt_window out;
    int out_enabled;
    uint8_t *pend;
    size_t pend_off;
    size_t pend_len;
    size_t pend_cap;
    int alert_sent;
    int alert_received;
    /*
     * Set while the caller's Java arrays are pinned (GetPrimitiveArrayCritical): no JNI call may
     * happen then, so callbacks refuse to call Java and a new session waits in deferred_session
     * until the arrays are released.
     */
    int critical;
    SSL_SESSION *deferred_session;
    /*
     * Server ALPN, decided in SunJSSE's order: after SNI, before the key manager runs, whereas
     * OpenSSL asks only after choosing the certificate. The ClientHello callback keeps a copy of
     * the client's list (alpn_offered, NULL and 0 when it offered none; alpn_pending set); the
     * SNI callback has Java choose (alpn_choice: an index into that list, or NT_ALPN_NONE /
     * NT_ALPN_FATAL; alpn_decided set), and OpenSSL's ALPN callback hands the answer over.
     */
    unsigned char *alpn_offered;
    size_t alpn_offered_len;
    int alpn_pending;
    int alpn_decided;
    int alpn_choice;
    /*
     * SSLParameters.setMaximumPacketSize: the largest record this side writes, header included;
     * 0 when unlimited. OpenSSL's max_send_fragment (at least 512) bounds every record, and
     * application data is cut finer where that is not enough (ssl.c).
     */
    size_t max_packet;
    /* Set once max_send_fragment is the negotiated suite's exact fragment for max_packet. */
    int max_packet_exact;
} nt_conn;

/*
 * Empties the thread's error queue before a call on the record path. ERR_clear_error walks every
 * slot of the queue even when it is empty, which showed as 4% of a 1 KiB record exchange; an
 * empty queue is the rule, and looking costs one check.
 */
static inline void nt_clear_errors(void)
{
    if (ERR_peek_error() != 0) {
        ERR_clear_error();
    }
}

/* errors.c */
/* Throws cls with "operation failed: " and the error queue's text (drained). */
void nt_throw_openssl(JNIEnv *env, jclass cls, const char *operation);
/*
 * A connection's handshake or record failure (kind: NT_FAILURE_*): the message as
 * nt_throw_openssl writes it plus the alerts sent and received, and the numbers (each queue
 * entry's library and reason, the alerts) go to the connection's NativeCallbacks.failure, which
 * returns the exception thrown.
 */
void nt_throw_failure(JNIEnv *env, nt_conn *conn, int kind, const char *operation);
/*
 * Drains the thread's error queue into buf (cap bytes, text so far: used) as "reason (data); ...",
 * lead written before the first entry; stores the number of entries in *entries (may be NULL) and
 * returns the new length. Truncates at cap, always terminated.
 */
size_t nt_error_queue_text(char *buf, size_t cap, size_t used, const char *lead, int *entries);
void nt_throw_message(JNIEnv *env, jclass cls, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int nt_pending_exception(JNIEnv *env);

/*
 * init.c: the library context every TLS operation of NativeTLS runs in. NULL (OpenSSL's default
 * context, as the configuration file set it up) unless io.nativetls.fips=true, when it is NativeTLS's
 * own context with the FIPS provider and default properties fips=yes. Set once, by initialise, before
 * any other native call; never changed or freed after.
 */
OSSL_LIB_CTX *nt_libctx(void);

/* bio.c */
int nt_bio_method_init(void);
void nt_bio_method_free(void);
BIO *nt_bio_new(nt_conn *conn);
/* Appends whole records (made outside OpenSSL) to the connection's outgoing records; 0 if out of memory. */
int nt_bio_queue(nt_conn *conn, const uint8_t *records, size_t n);

/* conn.c: the one owner of nt_conn (the other areas read its fields and call these) */
int nt_conn_index_init(void);
nt_conn *nt_conn_of(const SSL *ssl);
/* The connection of ssl if a native call is running on it (so its env and owner may be used), else NULL. */
nt_conn *nt_conn_in_call(const SSL *ssl);
/* The same for the connection whose native call runs on this thread, when the SSL is not known. */
nt_conn *nt_conn_on_thread(void);
/* A native call on the connection handle starts (callbacks: its NativeCallbacks) and ends. */
nt_conn *nt_conn_begin(JNIEnv *env, jlong handle, jobject callbacks);
void nt_conn_end(nt_conn *conn);
/* Points w at direct memory (address non-zero, from SslNative.directAddress) or a Java array. */
void nt_conn_set_window(nt_window *w, jlong address, jbyteArray array, jint pos, jint len);
/*
 * Pins the windows' arrays for record work (see conn.c); 0, with OutOfMemoryError pending, if one
 * cannot be. While pinned no JNI call may happen: callbacks see no connection in a call.
 */
int nt_conn_enter_critical(JNIEnv *env, nt_conn *conn);
void nt_conn_leave_critical(JNIEnv *env, nt_conn *conn);
/* Keeps a new session while the arrays are pinned (1: kept, the connection owns it; 0: not pinned). */
int nt_conn_defer_session(nt_conn *conn, SSL_SESSION *session);
/* The session kept meanwhile (the caller owns it), or NULL. */
SSL_SESSION *nt_conn_take_deferred_session(nt_conn *conn);

/*
 * refusals.c: makes the fatal alert for a record the Java side refused (problem: 1 unexpected,
 * 2 version, 3 length) wait in pend. Call inside a native call on conn. Returns the alert
 * (level << 8 | description), or 0 if none could be made.
 */
int nt_refuse_record(nt_conn *conn, int problem, int first_record);

/* callbacks.c: installed on every SSL_CTX by ssl_ctx.c */
int nt_verify_callback(X509_STORE_CTX *store, void *arg);
/*
 * Asks the connection's Java side (in a call: conn from nt_conn_in_call) to trust the peer's
 * chain, leaf first, with the OCSP response stapled to it; returns X509_V_OK or the refusal.
 */
/* may_pause: the caller can stop the handshake for a delegated task (the verify callback; not ocsp.c's status callback). */
int nt_verify_peer(nt_conn *conn, SSL *ssl, STACK_OF(X509) *untrusted, X509 *leaf, int may_pause);
int nt_cert_callback(SSL *ssl, void *arg);
void nt_info_callback(const SSL *ssl, int where, int ret);
/*
 * After an upcall (or building its arguments) left a Java exception pending: takes it off the
 * thread and hands it to the connection's Java side, which rethrows an Error from the native call
 * that ran the handshake once OpenSSL is off the stack. The callback then answers as it does for
 * any refusal.
 */
void nt_upcall_failed(nt_conn *conn);

/* sessions.c: the session cache callbacks, installed on every SSL_CTX by ssl_ctx.c */
int nt_sessions_configure(SSL_CTX *ctx, int tls12_tickets);
/* TLS 1.2 with tickets: a server names its new session on the wire, a client keeps that name (sessions.c). */
int nt_sessions_name_ticketed(nt_conn *conn, SSL *ssl);
void nt_sessions_server_hello_read(const SSL *ssl);
/* Hands a session that arrived while the arrays were pinned to Java (ssl.c, once they are released). */
void nt_sessions_report_deferred(nt_conn *conn);

/* extensions.c: ALPN and SNI callbacks, installed on every SSL_CTX by ssl_ctx.c */
void nt_extensions_configure(SSL_CTX *ctx);
/* The extensions' part of the server's ClientHello callback (which sessions.c installs). */
int nt_extensions_client_hello(SSL *ssl, int *alert);

/*
 * What the callbacks hand Java (each a new local ref, NULL with an exception pending): the
 * peer's signature schemes as TLS code points and, for a client, the CA names of the server's
 * certificate request (extensions.c); a TLS 1.2 server's key types in the order a suite will be
 * chosen (credentials.c).
 */
jintArray nt_peer_signature_schemes(JNIEnv *env, SSL *ssl);
jobjectArray nt_peer_ca_names(JNIEnv *env, SSL *ssl);
jobjectArray nt_server_key_types(JNIEnv *env, SSL *ssl);

/* ocsp.c: OCSP stapling, both roles */
/* A TLS 1.2 client that asked for a staple decides trust in the status callback, once it is read. */
int nt_ocsp_verify_deferred(const SSL *ssl);

/* keylog.c */
int nt_keylog_index_init(void);
void nt_keylog_index_free(void);

/* credentials.c */
typedef struct {
    X509 *leaf;
    STACK_OF(X509) *chain;
    EVP_PKEY *key;
} nt_credential;

/*
 * javakeys.c: a key of NativeTLS's own OpenSSL provider whose public half is pub (the
 * certificate's) and whose signatures KeySigner signer makes in Java; NULL (the error queue says
 * why) if the provider cannot be loaded or pub's type is not one it signs for.
 */
EVP_PKEY *nt_javakeys_key(JNIEnv *env, jobject signer, EVP_PKEY *pub);

/* counters.c: live handles by kind, indexes of SslNative.liveHandles() */
/* Indexes of SslNative.liveHandles(): SslNative.LIVE_*. */
typedef enum {
    NT_HANDLE_CONTEXT = io_nativetls_internal_jni_SslNative_LIVE_CONTEXTS,
    NT_HANDLE_CONNECTION = io_nativetls_internal_jni_SslNative_LIVE_CONNECTIONS,
    NT_HANDLE_CREDENTIAL = io_nativetls_internal_jni_SslNative_LIVE_CREDENTIALS,
    NT_HANDLE_SESSION = io_nativetls_internal_jni_SslNative_LIVE_SESSIONS,
    NT_HANDLE_KINDS = io_nativetls_internal_jni_SslNative_LIVE_SESSIONS + 1
} nt_handle_kind;
void nt_count_new(nt_handle_kind kind);
void nt_count_free(nt_handle_kind kind);

/* Shared helpers (util.c) */
jobjectArray nt_der_array(JNIEnv *env, STACK_OF(X509) *certs, X509 *first);
/* A new String[] of the n values (each non-NULL); NULL with an exception pending if Java is out of memory. */
jobjectArray nt_string_array(JNIEnv *env, const char *const *values, int n);
/* The session's id as a new byte[] (empty for no session or no id); NULL with an exception pending. */
jbyteArray nt_session_id(JNIEnv *env, const SSL_SESSION *session);
jlong nt_ptr_to_jlong(const void *p);
void *nt_jlong_to_ptr(jlong v);

#endif
