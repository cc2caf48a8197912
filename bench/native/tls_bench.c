/*
 * tls_bench: the C ceiling for NativeTLS's benchmarks. The same in-memory client/server exchange
 * as bench/src/main/java (HandshakeBenchmark, ResumptionBenchmark, BulkBenchmark), written
 * directly against OpenSSL: client and server SSL objects in one process, joined by a BIO pair,
 * no sockets.
 *
 *   full_handshake/<config>/t<N>      new SSL pair, full handshake, close_notify both ways, free
 *   resumed_handshake/<kind>/t<N>     the same with the client offering its last session
 *   bulk/<suite>/<size>/t<N>          one SSL_write of <size> bytes on the client, SSL_read on the server
 *
 * Results are printed one per line as "name value unit"; lines starting with '#' are comments
 * (OpenSSL version, what was negotiated, how many handshakes were resumed).
 *
 * Built against the OpenSSL 3.0 headers, it links libssl.so.3 and runs unchanged with any
 * OpenSSL 3.x (LD_LIBRARY_PATH=/opt/openssl-3.5/lib ./tls_bench).
 *
 * usage: tls_bench [-d seconds] [-w warmup-seconds] [-j threads] [-f substring]
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define GROUPS "X25519:P-256"
#define WIRE_BUFFER (64 * 1024)
#define MAX_THREADS 64

enum key_type { KEY_EC_P256, KEY_RSA_2048 };

/* The same configurations as the Java enum io.nativetls.bench.Tls. */
struct config {
    const char *name;
    int version;
    const char *suite; /* TLS 1.3: ciphersuites; TLS 1.2: cipher list */
    enum key_type key;
};

static const struct config TLS13_ECDSA_P256 = {"TLS13_ECDSA_P256", TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256", KEY_EC_P256};
static const struct config TLS13_RSA_2048 = {"TLS13_RSA_2048", TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256", KEY_RSA_2048};
static const struct config TLS12_ECDHE_ECDSA_AES128_GCM = {"TLS12_ECDHE_ECDSA_AES128_GCM", TLS1_2_VERSION,
                                                           "ECDHE-ECDSA-AES128-GCM-SHA256", KEY_EC_P256};
static const struct config TLS13_AES_128_GCM = {"TLS13_AES_128_GCM", TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256", KEY_EC_P256};
static const struct config TLS13_AES_256_GCM = {"TLS13_AES_256_GCM", TLS1_3_VERSION, "TLS_AES_256_GCM_SHA384", KEY_EC_P256};
static const struct config TLS13_CHACHA20_POLY1305 = {"TLS13_CHACHA20_POLY1305", TLS1_3_VERSION,
                                                      "TLS_CHACHA20_POLY1305_SHA256", KEY_EC_P256};

/* ---- errors ------------------------------------------------------------------------------- */

static void die(const char *what)
{
    fprintf(stderr, "tls_bench: %s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

#define CHECK(cond, what) \
    do { \
        if (!(cond)) { \
            die(what); \
        } \
    } while (0)

/* ---- the PKI: an EC P-256 CA, server certificates for localhost with EC P-256 and RSA-2048 keys */

static EVP_PKEY *ca_key;
static X509 *ca_cert;
static EVP_PKEY *server_keys[2];
static X509 *server_certs[2];

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    CHECK(ext != NULL && X509_add_ext(cert, ext, -1) == 1, "adding a certificate extension");
    X509_EXTENSION_free(ext);
}

/* A certificate for key, signed by issuer_key (issuer NULL: self-signed). */
static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, long serial)
{
    X509 *cert = X509_new();
    CHECK(cert != NULL, "X509_new");
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 24 * 3600);
    CHECK(X509_set_pubkey(cert, key) == 1, "X509_set_pubkey");
    X509_NAME *name = X509_get_subject_name(cert);
    CHECK(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) == 1,
          "setting the subject");
    CHECK(X509_set_issuer_name(cert, issuer != NULL ? X509_get_subject_name(issuer) : name) == 1, "setting the issuer");
    X509 *signer = issuer != NULL ? issuer : cert;
    if (issuer == NULL) {
        add_ext(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
        add_ext(cert, signer, NID_subject_key_identifier, "hash");
    } else {
        add_ext(cert, signer, NID_basic_constraints, "CA:FALSE");
        add_ext(cert, signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
        add_ext(cert, signer, NID_ext_key_usage, "serverAuth");
        add_ext(cert, signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    }
    CHECK(X509_sign(cert, issuer_key, EVP_sha256()) > 0, "X509_sign");
    return cert;
}

static void make_pki(void)
{
    ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    CHECK(ca_key != NULL, "generating the CA key");
    ca_cert = make_cert(ca_key, "NativeTLS-Bench-CA", NULL, ca_key, 1);
    server_keys[KEY_EC_P256] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    server_keys[KEY_RSA_2048] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    CHECK(server_keys[KEY_EC_P256] != NULL && server_keys[KEY_RSA_2048] != NULL, "generating the server keys");
    server_certs[KEY_EC_P256] = make_cert(server_keys[KEY_EC_P256], "localhost", ca_cert, ca_key, 2);
    server_certs[KEY_RSA_2048] = make_cert(server_keys[KEY_RSA_2048], "localhost", ca_cert, ca_key, 3);
}

/* ---- contexts ----------------------------------------------------------------------------- */

enum client_sessions { NO_SESSIONS, KEEP_LAST_SESSION };

static int worker_index = -1; /* SSL ex_data: the worker whose client this is */

static void configure_common(SSL_CTX *ctx, const struct config *c)
{
    CHECK(SSL_CTX_set_min_proto_version(ctx, c->version) == 1 && SSL_CTX_set_max_proto_version(ctx, c->version) == 1,
          "setting the protocol version");
    if (c->version == TLS1_3_VERSION) {
        CHECK(SSL_CTX_set_ciphersuites(ctx, c->suite) == 1, "SSL_CTX_set_ciphersuites");
    } else {
        CHECK(SSL_CTX_set_cipher_list(ctx, c->suite) == 1, "SSL_CTX_set_cipher_list");
    }
    CHECK(SSL_CTX_set1_groups_list(ctx, GROUPS) == 1, "SSL_CTX_set1_groups_list");
}

/* As NativeTLS makes its server contexts: no renegotiation or compression, server's order. */
static SSL_CTX *server_context(const struct config *c, int tickets)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    CHECK(ctx != NULL, "SSL_CTX_new");
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE
                                 | (tickets ? 0 : SSL_OP_NO_TICKET));
    configure_common(ctx, c);
    CHECK(SSL_CTX_use_certificate(ctx, server_certs[c->key]) == 1, "SSL_CTX_use_certificate");
    CHECK(SSL_CTX_use_PrivateKey(ctx, server_keys[c->key]) == 1, "SSL_CTX_use_PrivateKey");
    CHECK(SSL_CTX_add1_chain_cert(ctx, ca_cert) == 1, "SSL_CTX_add1_chain_cert");
    CHECK(SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"bench", 5) == 1, "session id context");
    return ctx;
}

struct worker;
static int new_session(SSL *ssl, SSL_SESSION *session);

/* Clients verify the server's chain against the CA (OpenSSL's own verification). */
static SSL_CTX *client_context(const struct config *c, enum client_sessions sessions)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    CHECK(ctx != NULL, "SSL_CTX_new");
    configure_common(ctx, c);
    CHECK(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca_cert) == 1, "X509_STORE_add_cert");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (sessions == NO_SESSIONS) {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    } else {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx, new_session);
    }
    return ctx;
}

/* ---- one connection ------------------------------------------------------------------------ */

struct worker {
    pthread_t thread;
    const struct test *test;
    SSL_SESSION *session; /* the client's last session, for resumption */
    double ops;
    double seconds;
    long resumed;
    long handshakes;
    unsigned char *buf;
    unsigned char *rbuf;
};

static int new_session(SSL *ssl, SSL_SESSION *session)
{
    struct worker *w = SSL_get_ex_data(ssl, worker_index);
    if (w == NULL) {
        return 0;
    }
    SSL_SESSION_free(w->session);
    w->session = session;
    return 1; /* we keep the reference */
}

struct conn {
    SSL *client;
    SSL *server;
};

static void conn_open(struct conn *k, SSL_CTX *cctx, SSL_CTX *sctx, struct worker *w)
{
    BIO *cb, *sb;
    k->client = SSL_new(cctx);
    k->server = SSL_new(sctx);
    CHECK(k->client != NULL && k->server != NULL, "SSL_new");
    CHECK(BIO_new_bio_pair(&cb, WIRE_BUFFER, &sb, WIRE_BUFFER) == 1, "BIO_new_bio_pair");
    SSL_set_bio(k->client, cb, cb);
    SSL_set_bio(k->server, sb, sb);
    SSL_set_connect_state(k->client);
    SSL_set_accept_state(k->server);
    SSL_set_ex_data(k->client, worker_index, w);
    if (w != NULL && w->session != NULL) {
        CHECK(SSL_set_session(k->client, w->session) == 1, "SSL_set_session");
    }
}

static int retry(SSL *ssl, int r)
{
    int e = SSL_get_error(ssl, r);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

static void handshake(struct conn *k)
{
    int client_done = 0, server_done = 0;
    for (int round = 0; round < 64 && !(client_done && server_done); round++) {
        if (!client_done) {
            int r = SSL_do_handshake(k->client);
            if (r == 1) {
                client_done = 1;
            } else if (!retry(k->client, r)) {
                die("client handshake");
            }
        }
        if (!server_done) {
            int r = SSL_do_handshake(k->server);
            if (r == 1) {
                server_done = 1;
            } else if (!retry(k->server, r)) {
                die("server handshake");
            }
        }
    }
    CHECK(client_done && server_done, "finishing the handshake");
}

/*
 * The client sends close_notify; the server reads it and answers; the client reads what is left
 * (TLS 1.3 tickets, then the server's close_notify). Then both are freed.
 */
static void conn_close(struct conn *k)
{
    unsigned char b[256];
    int r = SSL_shutdown(k->client);
    CHECK(r >= 0, "client SSL_shutdown");
    r = SSL_read(k->server, b, sizeof b);
    CHECK(r <= 0 && SSL_get_error(k->server, r) == SSL_ERROR_ZERO_RETURN, "server reading close_notify");
    CHECK(SSL_shutdown(k->server) == 1, "server SSL_shutdown");
    for (int i = 0; i < 8; i++) {
        r = SSL_shutdown(k->client);
        if (r == 1) {
            break;
        }
        CHECK(r == 0 || retry(k->client, r), "client SSL_shutdown (reading)");
    }
    CHECK(r == 1, "closing the client");
    SSL_free(k->client);
    SSL_free(k->server);
}

static void transfer(struct conn *k, const unsigned char *buf, unsigned char *rbuf, int size)
{
    size_t written;
    CHECK(SSL_write_ex(k->client, buf, (size_t)size, &written) == 1 && written == (size_t)size, "SSL_write_ex");
    size_t total = 0;
    while (total < (size_t)size) {
        size_t got;
        CHECK(SSL_read_ex(k->server, rbuf, 32 * 1024, &got) == 1, "SSL_read_ex");
        total += got;
    }
}

/* ---- tests ---------------------------------------------------------------------------------- */

enum kind { FULL, RESUMED, BULK };

struct test {
    enum kind kind;
    const char *name; /* the part after the kind, as in the Java benchmarks' parameters */
    const struct config *config;
    int size;
    SSL_CTX *cctx;
    SSL_CTX *sctx;
};

static double warmup_seconds = 1.0;
static double measure_seconds = 3.0;
static int nthreads = 1;
static pthread_barrier_t barrier;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the test's operation for 'seconds'; returns the number of operations. */
static long run_for(struct worker *w, struct conn *bulk, double seconds, int count)
{
    const struct test *t = w->test;
    long ops = 0;
    double end = now() + seconds;
    do {
        for (int i = 0; i < 16; i++) {
            if (t->kind == BULK) {
                transfer(bulk, w->buf, w->rbuf, t->size);
            } else {
                struct conn k;
                conn_open(&k, t->cctx, t->sctx, t->kind == RESUMED ? w : NULL);
                handshake(&k);
                if (count) {
                    w->handshakes++;
                    w->resumed += SSL_session_reused(k.client);
                }
                conn_close(&k);
            }
            ops++;
        }
    } while (now() < end);
    return ops;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    const struct test *t = w->test;
    struct conn bulk = {NULL, NULL};
    if (t->kind == BULK) {
        conn_open(&bulk, t->cctx, t->sctx, NULL);
        handshake(&bulk);
    }
    pthread_barrier_wait(&barrier);
    run_for(w, &bulk, warmup_seconds, 0);
    pthread_barrier_wait(&barrier);
    double start = now();
    w->ops = (double)run_for(w, &bulk, measure_seconds, 1);
    w->seconds = now() - start;
    if (t->kind == BULK) {
        conn_close(&bulk);
    }
    return NULL;
}

/* One connection up front: says what is negotiated, and fails early if the configuration can't be. */
static void describe(const struct test *t, const char *label)
{
    struct worker w;
    memset(&w, 0, sizeof w);
    char line[512];
    int n = snprintf(line, sizeof line, "# %s:", label);
    for (int i = 0; i < (t->kind == RESUMED ? 3 : 1); i++) {
        struct conn k;
        conn_open(&k, t->cctx, t->sctx, t->kind == RESUMED ? &w : NULL);
        handshake(&k);
        int nid = (int)SSL_get_negotiated_group(k.client);
        const char *group = SSL_group_to_name(k.client, nid);
        if (i == 0) {
            n += snprintf(line + n, sizeof line - (size_t)n, " %s %s group=%s", SSL_get_version(k.client),
                          SSL_CIPHER_standard_name(SSL_get_current_cipher(k.client)), group != NULL ? group : "?");
        }
        if (t->kind == RESUMED) {
            n += snprintf(line + n, sizeof line - (size_t)n, " #%d resumed=%s", i + 1,
                          SSL_session_reused(k.client) ? "yes" : "no");
        }
        conn_close(&k);
    }
    SSL_SESSION_free(w.session);
    puts(line);
}

static void run_test(struct test *t, const char *filter)
{
    char label[160];
    const char *kind = t->kind == FULL ? "full_handshake" : t->kind == RESUMED ? "resumed_handshake" : "bulk";
    if (t->kind == BULK) {
        snprintf(label, sizeof label, "%s/%s/%d/t%d", kind, t->name, t->size, nthreads);
    } else {
        snprintf(label, sizeof label, "%s/%s/t%d", kind, t->name, nthreads);
    }
    if (filter != NULL && strstr(label, filter) == NULL) {
        return;
    }
    int tickets = !(t->kind == RESUMED && t->config->version == TLS1_2_VERSION);
    t->sctx = server_context(t->config, tickets);
    t->cctx = client_context(t->config, t->kind == RESUMED ? KEEP_LAST_SESSION : NO_SESSIONS);
    describe(t, label);

    struct worker workers[MAX_THREADS];
    memset(workers, 0, sizeof workers);
    pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
    for (int i = 0; i < nthreads; i++) {
        workers[i].test = t;
        if (t->kind == BULK) {
            workers[i].buf = malloc((size_t)t->size);
            workers[i].rbuf = malloc(32 * 1024);
            CHECK(workers[i].buf != NULL && workers[i].rbuf != NULL, "malloc");
            for (int j = 0; j < t->size; j++) {
                workers[i].buf[j] = (unsigned char)(j * 31 + 7);
            }
        }
        CHECK(pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) == 0, "pthread_create");
    }
    double rate = 0;
    long resumed = 0, handshakes = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(workers[i].thread, NULL);
        rate += workers[i].ops / workers[i].seconds;
        resumed += workers[i].resumed;
        handshakes += workers[i].handshakes;
        SSL_SESSION_free(workers[i].session);
        free(workers[i].buf);
        free(workers[i].rbuf);
    }
    pthread_barrier_destroy(&barrier);
    if (t->kind == RESUMED) {
        printf("# %s: %ld of %ld handshakes resumed\n", label, resumed, handshakes);
    }
    if (t->kind == BULK) {
        printf("%s %.2f MB/s\n", label, rate * t->size / 1e6);
    } else {
        printf("%s %.1f ops/s\n", label, rate);
    }
    fflush(stdout);
    SSL_CTX_free(t->cctx);
    SSL_CTX_free(t->sctx);
}

static void usage(void)
{
    fprintf(stderr, "usage: tls_bench [-d seconds] [-w warmup-seconds] [-j threads] [-f substring]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *filter = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "d:w:j:f:h")) != -1) {
        switch (opt) {
        case 'd': measure_seconds = atof(optarg); break;
        case 'w': warmup_seconds = atof(optarg); break;
        case 'j': nthreads = atoi(optarg); break;
        case 'f': filter = optarg; break;
        default: usage();
        }
    }
    if (measure_seconds <= 0 || warmup_seconds < 0 || nthreads < 1 || nthreads > MAX_THREADS || optind != argc) {
        usage();
    }
    worker_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    CHECK(worker_index >= 0, "SSL_get_ex_new_index");
    make_pki();
    printf("# %s\n", OpenSSL_version(OPENSSL_VERSION));
    printf("# groups %s, threads %d, warmup %.1f s, measurement %.1f s\n", GROUPS, nthreads, warmup_seconds,
           measure_seconds);

    struct test tests[] = {
        {FULL, "TLS13_ECDSA_P256", &TLS13_ECDSA_P256, 0, NULL, NULL},
        {FULL, "TLS13_RSA_2048", &TLS13_RSA_2048, 0, NULL, NULL},
        {FULL, "TLS12_ECDHE_ECDSA_AES128_GCM", &TLS12_ECDHE_ECDSA_AES128_GCM, 0, NULL, NULL},
        {RESUMED, "tls13Ticket", &TLS13_ECDSA_P256, 0, NULL, NULL},
        {RESUMED, "tls12SessionId", &TLS12_ECDHE_ECDSA_AES128_GCM, 0, NULL, NULL},
        {BULK, "TLS13_AES_128_GCM", &TLS13_AES_128_GCM, 1024, NULL, NULL},
        {BULK, "TLS13_AES_128_GCM", &TLS13_AES_128_GCM, 16384, NULL, NULL},
        {BULK, "TLS13_AES_256_GCM", &TLS13_AES_256_GCM, 1024, NULL, NULL},
        {BULK, "TLS13_AES_256_GCM", &TLS13_AES_256_GCM, 16384, NULL, NULL},
        {BULK, "TLS13_CHACHA20_POLY1305", &TLS13_CHACHA20_POLY1305, 1024, NULL, NULL},
        {BULK, "TLS13_CHACHA20_POLY1305", &TLS13_CHACHA20_POLY1305, 16384, NULL, NULL},
        {BULK, "TLS12_ECDHE_ECDSA_AES128_GCM", &TLS12_ECDHE_ECDSA_AES128_GCM, 1024, NULL, NULL},
        {BULK, "TLS12_ECDHE_ECDSA_AES128_GCM", &TLS12_ECDHE_ECDSA_AES128_GCM, 16384, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        run_test(&tests[i], filter);
    }
    return 0;
}
