/*
 * Java keys: private keys OpenSSL cannot hold (in a PKCS#11 token, an HSM, a cloud KMS, any JCA
 * provider whose keys have no encoding) used by TLS all the same. libnativetls carries a small
 * OpenSSL provider of its own, "nativetls-javakeys", added as a built-in and loaded the first
 * time such a key is used. Its key management knows a key by its public half (the
 * certificate's, a key of the provider that parsed the certificate) and a global reference to a
 * Java KeySigner; its signature operation hands the message to KeySigner.sign, which signs with
 * java.security.Signature and the application's PrivateKey, on the thread of the handshake.
 *
 * OpenSSL asks a key for its size, group, digests and public parts while it picks signature
 * schemes; all of that is answered by the public half. Only signing calls Java. The provider
 * refuses to export a private part (there is none here), which is what makes OpenSSL sign with
 * this provider's signature operation instead of another provider's.
 */
#include <string.h>

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>

#include "nativetls.h"

#define PROVIDER_NAME "nativetls-javakeys"
#define PROVIDER_PROPERTIES "provider=" PROVIDER_NAME
/* The key's public half is built by any provider but this one (the default, or the FIPS one). */
#define PUBLIC_PROPERTIES "provider!=" PROVIDER_NAME
/* The one parameter only this library passes: a pointer to a nt_javakey_source. */
#define PARAM_SOURCE "nativetls-java-key"

typedef enum { KEY_EC, KEY_RSA, KEY_RSA_PSS, KEY_ED25519, KEY_ED448, KEY_TYPES } key_type;

/* The names the key managements answer to, as the default provider's (libssl fetches by them). */
#define EC_NAMES "EC:id-ecPublicKey:1.2.840.10045.2.1"
#define RSA_NAMES "RSA:rsaEncryption:1.2.840.113549.1.1.1"
#define RSA_PSS_NAMES "RSA-PSS:RSASSA-PSS:1.2.840.113549.1.1.10"
#define ED25519_NAMES "ED25519:1.3.101.112"
#define ED448_NAMES "ED448:1.3.101.113"

/* OpenSSL's name of each key type (what EVP_PKEY_is_a looks for) and of its signature. */
static const struct {
    const char *name;
    const char *signature;
} types[KEY_TYPES] = {
    [KEY_EC] = {"EC", "ECDSA"},
    [KEY_RSA] = {"RSA", "RSA"},
    [KEY_RSA_PSS] = {"RSA-PSS", "RSA"},
    [KEY_ED25519] = {"ED25519", "ED25519"},
    [KEY_ED448] = {"ED448", "ED448"},
};

typedef struct {
    key_type type;
    EVP_PKEY *pub;  /* the public half, never of this provider */
    jobject signer; /* a global reference to the KeySigner, or NULL for a public key only */
} java_key;

/* What credentials.c passes through PARAM_SOURCE to make a key. */
typedef struct {
    JNIEnv *env;
    jobject signer;
    EVP_PKEY *pub;
} nt_javakey_source;

static JNIEnv *thread_env(void)
{
    JNIEnv *env = NULL;
    if (nt_jni.vm == NULL || (*nt_jni.vm)->GetEnv(nt_jni.vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) {
        return NULL;
    }
    return env;
}

/* ---- key management ---------------------------------------------------------------------- */

static java_key *key_new(key_type type)
{
    java_key *key = OPENSSL_zalloc(sizeof(*key));
    if (key != NULL) {
        key->type = type;
    }
    return key;
}

static void key_free(void *keydata)
{
    java_key *key = keydata;
    if (key == NULL) {
        return;
    }
    if (key->signer != NULL) {
        /*
         * Keys are freed by native calls from Java threads (SSL_free, credentialFree), which are
         * attached; on a thread that is not, the reference is left to the JVM's end rather than
         * attaching a thread from inside OpenSSL.
         */
        JNIEnv *env = thread_env();
        if (env != NULL) {
            (*env)->DeleteGlobalRef(env, key->signer);
        }
    }
    EVP_PKEY_free(key->pub);
    OPENSSL_free(key);
}

static int key_has(const void *keydata, int selection)
{
    const java_key *key = keydata;
    if (key == NULL) {
        return 0;
    }
    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0 && key->signer == NULL) {
        return 0;
    }
    return key->pub != NULL;
}

static int key_match(const void *keydata1, const void *keydata2, int selection)
{
    const java_key *a = keydata1;
    const java_key *b = keydata2;
    /* The private halves cannot be compared; keys with the same public half are the same pair. */
    return a != NULL && b != NULL && a->pub != NULL && b->pub != NULL && EVP_PKEY_eq(a->pub, b->pub) == 1;
}

/* A public key of type built by another provider from exported parameters; NULL if that fails. */
static EVP_PKEY *public_from(key_type type, const OSSL_PARAM params[])
{
    EVP_PKEY *pub = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, types[type].name, PUBLIC_PROPERTIES);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1
        || EVP_PKEY_fromdata(ctx, &pub, EVP_PKEY_PUBLIC_KEY, (OSSL_PARAM *)params) != 1) {
        EVP_PKEY_free(pub);
        pub = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return pub;
}

static int key_import(void *keydata, int selection, const OSSL_PARAM params[])
{
    java_key *key = keydata;
    if (key == NULL || key->pub != NULL) {
        return 0;
    }
    const OSSL_PARAM *p = OSSL_PARAM_locate_const(params, PARAM_SOURCE);
    if (p != NULL) {
        const nt_javakey_source *source = NULL;
        if (p->data_type != OSSL_PARAM_OCTET_STRING || p->data_size != sizeof(source)) {
            return 0;
        }
        memcpy(&source, p->data, sizeof(source));
        if (source == NULL || source->pub == NULL || source->signer == NULL || EVP_PKEY_up_ref(source->pub) != 1) {
            return 0;
        }
        key->pub = source->pub;
        key->signer = (*source->env)->NewGlobalRef(source->env, source->signer);
        return key->signer != NULL;
    }
    /* Another provider's key compared with this one (a certificate's with its key): its public half. */
    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0) {
        return 0;
    }
    key->pub = public_from(key->type, params);
    return key->pub != NULL;
}

static int key_export(void *keydata, int selection, OSSL_CALLBACK *callback, void *arg)
{
    java_key *key = keydata;
    /* The private half stays in Java: refusing it is what keeps the signing in this provider. */
    if (key == NULL || key->pub == NULL || (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0) {
        return 0;
    }
    return EVP_PKEY_export(key->pub, selection, callback, arg);
}

static const OSSL_PARAM *key_import_types(int selection)
{
    static const OSSL_PARAM none[] = {OSSL_PARAM_END};
    return none;
}

static int key_get_params(void *keydata, OSSL_PARAM params[])
{
    java_key *key = keydata;
    /* Size, security bits, group, point format, digests: all the public half's. */
    return key != NULL && key->pub != NULL && EVP_PKEY_get_params(key->pub, params) == 1;
}

static const OSSL_PARAM *key_gettable_params(void *provctx)
{
    static const OSSL_PARAM gettable[] = {
        OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, NULL),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, NULL),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, NULL),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_MANDATORY_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, NULL, 0),
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0),
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, NULL, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, NULL, 0),
        OSSL_PARAM_END,
    };
    return gettable;
}

#define KEYMGMT(suffix, type)                                                                    \
    static void *key_new_##suffix(void *provctx)                                                 \
    {                                                                                             \
        return key_new(type);                                                                    \
    }                                                                                             \
    static const char *key_operation_##suffix(int operation)                                    \
    {                                                                                             \
        return operation == OSSL_OP_SIGNATURE ? types[type].signature : NULL;                    \
    }                                                                                             \
    static const OSSL_DISPATCH keymgmt_##suffix[] = {                                            \
        {OSSL_FUNC_KEYMGMT_NEW, (void (*)(void))key_new_##suffix},                               \
        {OSSL_FUNC_KEYMGMT_FREE, (void (*)(void))key_free},                                      \
        {OSSL_FUNC_KEYMGMT_HAS, (void (*)(void))key_has},                                        \
        {OSSL_FUNC_KEYMGMT_MATCH, (void (*)(void))key_match},                                    \
        {OSSL_FUNC_KEYMGMT_IMPORT, (void (*)(void))key_import},                                  \
        {OSSL_FUNC_KEYMGMT_IMPORT_TYPES, (void (*)(void))key_import_types},                      \
        {OSSL_FUNC_KEYMGMT_EXPORT, (void (*)(void))key_export},                                  \
        {OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))key_import_types},                      \
        {OSSL_FUNC_KEYMGMT_GET_PARAMS, (void (*)(void))key_get_params},                          \
        {OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, (void (*)(void))key_gettable_params},                \
        {OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, (void (*)(void))key_operation_##suffix},        \
        {0, NULL},                                                                                \
    }

KEYMGMT(ec, KEY_EC);
KEYMGMT(rsa, KEY_RSA);
KEYMGMT(rsa_pss, KEY_RSA_PSS);
KEYMGMT(ed25519, KEY_ED25519);
KEYMGMT(ed448, KEY_ED448);

/* ---- signature ---------------------------------------------------------------------------- */

/* The digests TLS signs with, by OpenSSL's name, and the JCA name KeySigner gets. */
static const struct {
    const char *openssl;
    const char *jca;
} digests[] = {
    {"SHA2-256", "SHA-256"}, {"SHA2-384", "SHA-384"}, {"SHA2-512", "SHA-512"},
    {"SHA2-224", "SHA-224"}, {"SHA1", "SHA-1"},
};

typedef struct {
    java_key *key;
    const char *digest; /* JCA name, or NULL for EdDSA (no digest) */
    int digest_size;
    int pss;            /* RSA: PSS padding (else PKCS #1 v1.5) */
    int salt_length;    /* PSS: bytes, or one of RSA_PSS_SALTLEN_DIGEST / _MAX / _AUTO */
    unsigned char *message;
    size_t message_len;
} sign_ctx;

static void *sign_newctx(void *provctx, const char *propq)
{
    return OPENSSL_zalloc(sizeof(sign_ctx));
}

static void sign_freectx(void *vctx)
{
    sign_ctx *ctx = vctx;
    if (ctx != NULL) {
        OPENSSL_clear_free(ctx->message, ctx->message_len);
        OPENSSL_free(ctx);
    }
}

static void *sign_dupctx(void *vctx)
{
    const sign_ctx *ctx = vctx;
    sign_ctx *dup = OPENSSL_memdup(ctx, sizeof(*ctx));
    if (dup == NULL) {
        return NULL;
    }
    dup->message = NULL;
    if (ctx->message_len > 0 && (dup->message = OPENSSL_memdup(ctx->message, ctx->message_len)) == NULL) {
        OPENSSL_free(dup);
        return NULL;
    }
    return dup;
}

static int is_eddsa(const java_key *key)
{
    return key->type == KEY_ED25519 || key->type == KEY_ED448;
}

static int set_digest(sign_ctx *ctx, const char *name)
{
    if (name == NULL || name[0] == '\0' || strcmp(name, "UNDEF") == 0) {
        /* EdDSA signs the message itself; every other scheme here needs a digest. */
        ctx->digest = NULL;
        return is_eddsa(ctx->key);
    }
    if (is_eddsa(ctx->key)) {
        return 0;
    }
    EVP_MD *md = EVP_MD_fetch(NULL, name, NULL);
    if (md == NULL) {
        ERR_clear_error();
        return 0;
    }
    int found = 0;
    for (size_t i = 0; i < sizeof(digests) / sizeof(digests[0]) && !found; i++) {
        if (EVP_MD_is_a(md, digests[i].openssl)) {
            ctx->digest = digests[i].jca;
            ctx->digest_size = EVP_MD_get_size(md);
            found = 1;
        }
    }
    EVP_MD_free(md);
    return found;
}

static int sign_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    sign_ctx *ctx = vctx;
    if (params == NULL) {
        return 1;
    }
    const OSSL_PARAM *p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PAD_MODE);
    if (p != NULL) {
        int mode = 0;
        if (p->data_type == OSSL_PARAM_UTF8_STRING) {
            const char *s = p->data;
            mode = strcmp(s, OSSL_PKEY_RSA_PAD_MODE_PSS) == 0 ? RSA_PKCS1_PSS_PADDING
                   : strcmp(s, OSSL_PKEY_RSA_PAD_MODE_PKCSV15) == 0 ? RSA_PKCS1_PADDING : 0;
        } else if (!OSSL_PARAM_get_int(p, &mode)) {
            return 0;
        }
        if ((mode != RSA_PKCS1_PSS_PADDING && mode != RSA_PKCS1_PADDING)
            || (ctx->key->type != KEY_RSA && ctx->key->type != KEY_RSA_PSS)
            || (ctx->key->type == KEY_RSA_PSS && mode != RSA_PKCS1_PSS_PADDING)) {
            return 0;
        }
        ctx->pss = mode == RSA_PKCS1_PSS_PADDING;
    }
    if ((p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN)) != NULL) {
        int salt = 0;
        if (p->data_type == OSSL_PARAM_UTF8_STRING) {
            const char *s = p->data;
            salt = strcmp(s, OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST) == 0 ? RSA_PSS_SALTLEN_DIGEST
                   : strcmp(s, OSSL_PKEY_RSA_PSS_SALT_LEN_MAX) == 0  ? RSA_PSS_SALTLEN_MAX
                   : strcmp(s, OSSL_PKEY_RSA_PSS_SALT_LEN_AUTO) == 0 ? RSA_PSS_SALTLEN_AUTO
                                                                     : atoi(s);
        } else if (!OSSL_PARAM_get_int(p, &salt)) {
            return 0;
        }
        ctx->salt_length = salt;
    }
    if ((p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_MGF1_DIGEST)) != NULL) {
        /* KeySigner uses MGF1 with the message digest, as TLS does: any other is refused. */
        const char *mgf1 = NULL;
        if (!OSSL_PARAM_get_utf8_string_ptr(p, &mgf1) || ctx->digest == NULL) {
            return 0;
        }
        EVP_MD *md = EVP_MD_fetch(NULL, mgf1, NULL);
        int same = md != NULL && EVP_MD_get_size(md) == ctx->digest_size;
        for (size_t i = 0; same && i < sizeof(digests) / sizeof(digests[0]); i++) {
            if (strcmp(digests[i].jca, ctx->digest) == 0) {
                same = EVP_MD_is_a(md, digests[i].openssl);
            }
        }
        EVP_MD_free(md);
        ERR_clear_error();
        if (!same) {
            return 0;
        }
    }
    if ((p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_DIGEST)) != NULL) {
        const char *name = NULL;
        if (!OSSL_PARAM_get_utf8_string_ptr(p, &name) || !set_digest(ctx, name)) {
            return 0;
        }
    }
    return 1;
}

static const OSSL_PARAM *sign_settable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM settable[] = {
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, NULL, 0),
        OSSL_PARAM_END,
    };
    return settable;
}

static int sign_init(void *vctx, const char *mdname, void *keydata, const OSSL_PARAM params[])
{
    sign_ctx *ctx = vctx;
    java_key *key = keydata;
    if (ctx == NULL || key == NULL || key->signer == NULL) {
        return 0;
    }
    ctx->key = key;
    ctx->pss = key->type == KEY_RSA_PSS;
    ctx->salt_length = RSA_PSS_SALTLEN_DIGEST;
    OPENSSL_clear_free(ctx->message, ctx->message_len);
    ctx->message = NULL;
    ctx->message_len = 0;
    return set_digest(ctx, mdname) && sign_set_ctx_params(ctx, params);
}

static int sign_update(void *vctx, const unsigned char *data, size_t len)
{
    sign_ctx *ctx = vctx;
    if (is_eddsa(ctx->key)) {
        return 0; /* EdDSA is one-shot only, as in every provider */
    }
    if (len == 0) {
        return 1;
    }
    unsigned char *grown = OPENSSL_clear_realloc(ctx->message, ctx->message_len, ctx->message_len + len);
    if (grown == NULL) {
        return 0;
    }
    memcpy(grown + ctx->message_len, data, len);
    ctx->message = grown;
    ctx->message_len += len;
    return 1;
}

/* The salt length KeySigner is given: bytes for PSS, -1 for PKCS #1 v1.5, ECDSA and EdDSA. */
static int salt_bytes(const sign_ctx *ctx)
{
    if (!ctx->pss) {
        return -1;
    }
    int em_len = (EVP_PKEY_get_bits(ctx->key->pub) - 1 + 7) / 8;
    switch (ctx->salt_length) {
    case RSA_PSS_SALTLEN_DIGEST:
        return ctx->digest_size;
    case RSA_PSS_SALTLEN_MAX:
    case RSA_PSS_SALTLEN_AUTO:
        return em_len - ctx->digest_size - 2;
    default:
        return ctx->salt_length;
    }
}

/*
 * KeySigner.sign on this thread. A Java exception goes to the connection whose handshake is
 * running (the cause of its failure) and the error queue says that the Java key failed.
 */
static int java_sign(sign_ctx *ctx, unsigned char *sig, size_t *siglen, size_t sigsize, const unsigned char *tbs,
                     size_t tbslen)
{
    nt_conn *conn = nt_conn_on_thread();
    if (conn == NULL) {
        /* No JNI call may happen here (arrays pinned, or no handshake of ours on this thread). */
        ERR_raise_data(ERR_LIB_USER, ERR_R_OPERATION_FAIL,
                       "a Java private key can sign only inside a NativeTLS handshake step");
        return 0;
    }
    JNIEnv *env = conn->env;
    int salt = salt_bytes(ctx);
    if (ctx->pss && salt < 0) {
        ERR_raise_data(ERR_LIB_USER, ERR_R_PASSED_INVALID_ARGUMENT, "PSS salt length %d", salt);
        return 0;
    }
    int ok = 0;
    jstring digest = ctx->digest != NULL ? (*env)->NewStringUTF(env, ctx->digest) : NULL;
    jbyteArray message = (*env)->NewByteArray(env, (jsize)tbslen);
    jbyteArray signature = NULL;
    if (message != NULL && (ctx->digest == NULL || digest != NULL)) {
        (*env)->SetByteArrayRegion(env, message, 0, (jsize)tbslen, (const jbyte *)tbs);
        signature = (*env)->CallObjectMethod(env, ctx->key->signer, nt_jni.key_sign, digest, (jint)salt, message);
    }
    if (nt_pending_exception(env)) {
        nt_upcall_failed(conn);
        ERR_raise_data(ERR_LIB_USER, ERR_R_OPERATION_FAIL, "the Java private key did not sign (see the cause)");
    } else if (signature == NULL) {
        ERR_raise_data(ERR_LIB_USER, ERR_R_OPERATION_FAIL, "the Java private key gave no signature");
    } else {
        jsize n = (*env)->GetArrayLength(env, signature);
        if (n <= 0 || (size_t)n > sigsize) {
            ERR_raise_data(ERR_LIB_USER, ERR_R_OPERATION_FAIL,
                           "the Java private key's signature has %d bytes, more than the %zu its key allows", (int)n,
                           sigsize);
        } else {
            (*env)->GetByteArrayRegion(env, signature, 0, n, (jbyte *)sig);
            *siglen = (size_t)n;
            ok = 1;
        }
    }
    (*env)->DeleteLocalRef(env, digest);
    (*env)->DeleteLocalRef(env, message);
    (*env)->DeleteLocalRef(env, signature);
    return ok;
}

static int sign_oneshot(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize, const unsigned char *tbs,
                        size_t tbslen)
{
    sign_ctx *ctx = vctx;
    int max = EVP_PKEY_get_size(ctx->key->pub);
    if (max <= 0) {
        return 0;
    }
    if (sig == NULL) {
        /* Asked only for the size the signature may have. */
        *siglen = (size_t)max;
        return 1;
    }
    return java_sign(ctx, sig, siglen, sigsize, tbs, tbslen);
}

static int sign_final(void *vctx, unsigned char *sig, size_t *siglen, size_t sigsize)
{
    sign_ctx *ctx = vctx;
    return sign_oneshot(ctx, sig, siglen, sigsize, ctx->message, ctx->message_len);
}

static const OSSL_DISPATCH signature_functions[] = {
    {OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))sign_newctx},
    {OSSL_FUNC_SIGNATURE_FREECTX, (void (*)(void))sign_freectx},
    {OSSL_FUNC_SIGNATURE_DUPCTX, (void (*)(void))sign_dupctx},
    {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT, (void (*)(void))sign_init},
    {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE, (void (*)(void))sign_update},
    {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL, (void (*)(void))sign_final},
    {OSSL_FUNC_SIGNATURE_DIGEST_SIGN, (void (*)(void))sign_oneshot},
    {OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, (void (*)(void))sign_set_ctx_params},
    {OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, (void (*)(void))sign_settable_ctx_params},
    {0, NULL},
};

/* ---- the provider ------------------------------------------------------------------------- */

static const OSSL_ALGORITHM keymgmt_algorithms[] = {
    {EC_NAMES, PROVIDER_PROPERTIES, keymgmt_ec, "Java EC keys"},
    {RSA_NAMES, PROVIDER_PROPERTIES, keymgmt_rsa, "Java RSA keys"},
    {RSA_PSS_NAMES, PROVIDER_PROPERTIES, keymgmt_rsa_pss, "Java RSASSA-PSS keys"},
    {ED25519_NAMES, PROVIDER_PROPERTIES, keymgmt_ed25519, "Java Ed25519 keys"},
    {ED448_NAMES, PROVIDER_PROPERTIES, keymgmt_ed448, "Java Ed448 keys"},
    {NULL, NULL, NULL, NULL},
};

static const OSSL_ALGORITHM signature_algorithms[] = {
    {"ECDSA", PROVIDER_PROPERTIES, signature_functions, "ECDSA by a Java key"},
    {RSA_NAMES, PROVIDER_PROPERTIES, signature_functions, "RSA by a Java key"},
    {"ED25519:Ed25519", PROVIDER_PROPERTIES, signature_functions, "Ed25519 by a Java key"},
    {"ED448:Ed448", PROVIDER_PROPERTIES, signature_functions, "Ed448 by a Java key"},
    {NULL, NULL, NULL, NULL},
};

static const OSSL_ALGORITHM *provider_query(void *provctx, int operation, int *no_cache)
{
    *no_cache = 0;
    switch (operation) {
    case OSSL_OP_KEYMGMT:
        return keymgmt_algorithms;
    case OSSL_OP_SIGNATURE:
        return signature_algorithms;
    default:
        return NULL;
    }
}

static const OSSL_DISPATCH provider_functions[] = {
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*)(void))provider_query},
    {0, NULL},
};

static int provider_init(const OSSL_CORE_HANDLE *handle, const OSSL_DISPATCH *in, const OSSL_DISPATCH **out,
                         void **provctx)
{
    *out = provider_functions;
    *provctx = (void *)handle;
    return 1;
}

static CRYPTO_ONCE load_once = CRYPTO_ONCE_STATIC_INIT;
static OSSL_PROVIDER *loaded;

static void load_provider(void)
{
    /*
     * Loaded on first use only, so a process without Java keys never sees this provider; with
     * fallbacks retained, loading it does not stop OpenSSL from loading the default provider.
     */
    if (OSSL_PROVIDER_add_builtin(NULL, PROVIDER_NAME, provider_init) == 1) {
        loaded = OSSL_PROVIDER_try_load(NULL, PROVIDER_NAME, 1);
    }
}

EVP_PKEY *nt_javakeys_key(JNIEnv *env, jobject signer, EVP_PKEY *pub)
{
    if (!CRYPTO_THREAD_run_once(&load_once, load_provider) || loaded == NULL) {
        ERR_raise_data(ERR_LIB_USER, ERR_R_INIT_FAIL, "loading NativeTLS's provider of Java keys");
        return NULL;
    }
    key_type type = KEY_TYPES;
    for (int i = 0; i < KEY_TYPES; i++) {
        if (EVP_PKEY_is_a(pub, types[i].name)) {
            type = (key_type)i;
            break;
        }
    }
    if (type == KEY_TYPES) {
        ERR_raise_data(ERR_LIB_USER, ERR_R_UNSUPPORTED, "a Java private key for a %s certificate",
                       EVP_PKEY_get0_type_name(pub) != NULL ? EVP_PKEY_get0_type_name(pub) : "unknown");
        return NULL;
    }
    nt_javakey_source source = {env, signer, pub};
    nt_javakey_source *pointer = &source;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(PARAM_SOURCE, &pointer, sizeof(pointer)),
        OSSL_PARAM_END,
    };
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, types[type].name, PROVIDER_PROPERTIES);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) != 1) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return key;
}
