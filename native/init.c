/*
 * OpenSSL's initialisation, and the one check that TLS can run with the configuration it loaded.
 *
 * OpenSSL reads its configuration file (OPENSSL_CONF, else OPENSSLDIR/openssl.cnf) once, in
 * OPENSSL_init_ssl, and forgives almost everything there: a file that does not parse is skipped as
 * if it were missing, and a provider the file activates that fails to load is left out, its errors
 * discarded. The damage shows only later, e.g. as "library has no ciphers" from every SSL_CTX_new
 * when the only provider named was a FIPS module that is not installed. This check runs once, when
 * the library loads, and names the cause from OpenSSL's own errors: the parse error and its line,
 * each activated provider that is missing with what loading it reports, or the failing call.
 *
 * With io.nativetls.fips=true it also makes the library context NativeTLS's TLS then runs in: a
 * context of its own (other users of libcrypto in the process keep the default one as the file set
 * it up), with the providers of the FIPS configuration file, the FIPS provider and base (encoders and
 * decoders) loaded, and default properties fips=yes, so every fetch is served by the FIPS provider or
 * fails. Any step failing is a finding and leaves no context: NativeTLS is then unavailable, never
 * running outside FIPS while FIPS was asked for.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <openssl/conf.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

#define NT_FINDINGS_MAX 8
#define NT_FINDING_TEXT 1024

/* One problem found; kind and subject as SslNative.initialise() documents them. */
typedef struct {
    const char *kind;
    char subject[256];
    char section[128];
    char text[NT_FINDING_TEXT];
} finding;

typedef struct {
    char *config_file;
    const char *fips_file; /* the file the FIPS context read, NULL when not in FIPS mode */
    finding items[NT_FINDINGS_MAX];
    int count;
} findings;

/* A new finding whose text is what the error queue holds (drained), or no_reason if it is empty. */
static void add_from_queue(findings *f, const char *kind, const char *subject, const char *section,
                           const char *no_reason)
{
    if (f->count >= NT_FINDINGS_MAX) {
        ERR_clear_error();
        return;
    }
    finding *item = &f->items[f->count++];
    int entries = 0;
    item->kind = kind;
    snprintf(item->subject, sizeof(item->subject), "%s", subject != NULL ? subject : "");
    snprintf(item->section, sizeof(item->section), "%s", section != NULL ? section : "");
    item->text[0] = '\0';
    nt_error_queue_text(item->text, sizeof(item->text), 0, "", &entries);
    if (entries == 0) {
        snprintf(item->text, sizeof(item->text), "%s", no_reason);
    }
}

/* "1", "yes", "true", "on": what OpenSSL 3.2 and later take as true for activate (3.0 takes any value). */
static int is_true(const char *value)
{
    return value != NULL && (strcmp(value, "1") == 0 || strcasecmp(value, "yes") == 0
                             || strcasecmp(value, "true") == 0 || strcasecmp(value, "on") == 0);
}

static int is_false(const char *value)
{
    return value != NULL && (strcmp(value, "0") == 0 || strcasecmp(value, "no") == 0
                             || strcasecmp(value, "false") == 0 || strcasecmp(value, "off") == 0);
}

/* A provider section's command name without the "prefix." OpenSSL's provider module ignores. */
static const char *command_name(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot != NULL ? dot + 1 : name;
}

/*
 * What OpenSSL reports when loading the provider by itself, in a library context of its own, so
 * nothing changes for the process: its activation errors from the configuration were discarded.
 */
static void explain_provider(findings *f, const char *name, const char *module, const char *section)
{
    OSSL_LIB_CTX *scratch = OSSL_LIB_CTX_new();
    if (scratch == NULL) {
        add_from_queue(f, "provider", name, section, "no memory to try loading it");
        return;
    }
    ERR_clear_error();
    OSSL_PROVIDER *prov = OSSL_PROVIDER_load(scratch, module != NULL ? module : name);
    if (prov != NULL) {
        /* It loads alone: what failed is in its section (parameters such as a FIPS module's MAC). */
        OSSL_PROVIDER_unload(prov);
        ERR_clear_error();
        add_from_queue(f, "provider", name, section,
                       "it loads on its own, so the settings in its section make its activation fail");
    } else {
        add_from_queue(f, "provider", name, section, "no reason given by OpenSSL");
    }
    OSSL_LIB_CTX_free(scratch);
}

/* One entry of the providers section: a provider the file activates that is not loaded is a finding. */
static void check_provider(findings *f, const CONF *conf, const CONF_VALUE *entry)
{
    STACK_OF(CONF_VALUE) *commands = NCONF_get_section(conf, entry->value);
    if (commands == NULL) {
        ERR_clear_error(); /* OpenSSL fails on a missing section; the cipher probe then reports it */
        return;
    }
    const char *name = entry->name;
    const char *module = NULL;
    int activate = 0;
    int soft = 0;
    for (int i = 0; i < sk_CONF_VALUE_num(commands); i++) {
        const CONF_VALUE *command = sk_CONF_VALUE_value(commands, i);
        const char *key = command_name(command->name);
        if (strcmp(key, "identity") == 0) {
            name = command->value;
        } else if (strcmp(key, "module") == 0) {
            module = command->value;
        } else if (strcmp(key, "activate") == 0) {
            activate = is_true(command->value);
        } else if (strcmp(key, "soft_load") == 0) {
            soft = !is_false(command->value); /* a provider allowed to be missing is not a finding */
        }
    }
    if (activate && !soft && OSSL_PROVIDER_available(NULL, name) != 1) {
        explain_provider(f, name, module, entry->value);
    }
    ERR_clear_error();
}

/* Reads the file as OpenSSL did and checks every provider it activates, the way its provider module reads it. */
static void check_config_file(findings *f)
{
    CONF *conf = NCONF_new(NULL);
    long line = -1;
    if (conf == NULL) {
        ERR_clear_error();
        return;
    }
    if (NCONF_load(conf, f->config_file, &line) <= 0) {
        /* A missing file is no configuration, and OpenSSL treats it so too. */
        if (ERR_GET_REASON(ERR_peek_last_error()) == CONF_R_NO_SUCH_FILE) {
            ERR_clear_error();
        } else {
            add_from_queue(f, "parse", f->config_file, NULL, "the file cannot be read");
        }
        NCONF_free(conf);
        return;
    }
    const char *init = NCONF_get_string(conf, NULL, "openssl_conf");
    STACK_OF(CONF_VALUE) *modules = init != NULL ? NCONF_get_section(conf, init) : NULL;
    for (int i = 0; i < sk_CONF_VALUE_num(modules); i++) {
        const CONF_VALUE *module = sk_CONF_VALUE_value(modules, i);
        /* OpenSSL matches module names up to a dot: "providers" and "providers.2" both name it. */
        size_t len = strcspn(module->name, ".");
        if (len != strlen("providers") || strncmp(module->name, "providers", len) != 0) {
            continue;
        }
        STACK_OF(CONF_VALUE) *providers = NCONF_get_section(conf, module->value);
        for (int j = 0; j < sk_CONF_VALUE_num(providers); j++) {
            check_provider(f, conf, sk_CONF_VALUE_value(providers, j));
        }
    }
    ERR_clear_error(); /* NCONF_get_string raises an error for an absent openssl_conf */
    NCONF_free(conf);
}

static OSSL_LIB_CTX *tls_libctx;

OSSL_LIB_CTX *nt_libctx(void)
{
    return tls_libctx;
}

/* What CipherSuites and every SSLContext need first: a context and the list of every suite. */
static void check_ciphers(findings *f, OSSL_LIB_CTX *libctx)
{
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new_ex(libctx, NULL, TLS_method());
    SSL *ssl = ctx != NULL ? SSL_new(ctx) : NULL;
    if (ctx == NULL) {
        add_from_queue(f, "context", "SSL_CTX_new", NULL, "no reason given by OpenSSL");
    } else if (ssl == NULL) {
        add_from_queue(f, "context", "SSL_new", NULL, "no reason given by OpenSSL");
    } else if (SSL_set_cipher_list(ssl, "ALL:COMPLEMENTOFALL") != 1
               || sk_SSL_CIPHER_num(SSL_get_ciphers(ssl)) <= 0) {
        add_from_queue(f, "context", "listing cipher suites", NULL, "OpenSSL offers no cipher suite");
    }
    if ((ctx == NULL || ssl == NULL) && libctx == NULL && EVP_default_properties_is_fips_enabled(NULL)
        && !OSSL_PROVIDER_available(NULL, "fips")) {
        /* FIPS mode asked for, no FIPS provider to serve it: say so, it is the cause. */
        ERR_clear_error();
        add_from_queue(f, "fips", "default_properties", NULL,
                       "its default properties ask for fips=yes, but no FIPS provider is loaded");
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    ERR_clear_error();
}

/* Loads the named provider into ctx (a reference to it when the configuration already did); NULL and a finding if it cannot. */
static OSSL_PROVIDER *load_provider(findings *f, OSSL_LIB_CTX *ctx, const char *name)
{
    ERR_clear_error();
    OSSL_PROVIDER *prov = OSSL_PROVIDER_load(ctx, name);
    if (prov == NULL) {
        add_from_queue(f, "fips-provider", name, NULL, "no reason given by OpenSSL");
    }
    return prov;
}

/* Whether the provider reports itself usable: the FIPS provider says 0 once a self test has failed. */
static int provider_running(OSSL_PROVIDER *prov)
{
    int status = 0;
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_int(OSSL_PROV_PARAM_STATUS, &status);
    params[1] = OSSL_PARAM_construct_end();
    return OSSL_PROVIDER_get_params(prov, params) == 1 && OSSL_PARAM_modified(&params[0]) && status == 1;
}

/*
 * The FIPS library context (see the file comment), or NULL with findings. file: the configuration
 * it reads; explicit: the application named it (io.nativetls.fips.config), so it must exist, where
 * OpenSSL's default file may be missing (the FIPS provider is then loaded without settings, which
 * works only where its build needs none).
 */
static OSSL_LIB_CTX *start_fips(findings *f, const char *file, int explicit)
{
    OSSL_PROVIDER *fips = NULL;
    OSSL_PROVIDER *base = NULL;
    EVP_MD *probe = NULL;
    int before = f->count;
    ERR_clear_error();
    OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();
    if (ctx == NULL) {
        add_from_queue(f, "fips", "OSSL_LIB_CTX_new", NULL, "no memory for a library context");
        return NULL;
    }
    if (file != NULL && file[0] != '\0' && OSSL_LIB_CTX_load_config(ctx, file) != 1) {
        if (!explicit && ERR_GET_REASON(ERR_peek_last_error()) == CONF_R_NO_SUCH_FILE) {
            ERR_clear_error();
        } else {
            add_from_queue(f, "fips-config", file, NULL, "the file cannot be read");
            goto fail;
        }
    }
    /* A reference whether or not the file activated it: the first load runs the module's self tests. */
    if ((fips = load_provider(f, ctx, "fips")) == NULL || (base = load_provider(f, ctx, "base")) == NULL) {
        goto fail;
    }
    if (!provider_running(fips)) {
        ERR_clear_error();
        add_from_queue(f, "fips-provider", "fips", NULL, "it reports that it is not running (a self test failed)");
        goto fail;
    }
    ERR_clear_error();
    if (EVP_default_properties_enable_fips(ctx, 1) != 1 || EVP_default_properties_is_fips_enabled(ctx) != 1) {
        add_from_queue(f, "fips", "EVP_default_properties_enable_fips", NULL, "the default properties cannot be set");
        goto fail;
    }
    /* A property claims little: a digest fetched as TLS fetches it must come from the FIPS provider itself. */
    probe = EVP_MD_fetch(ctx, "SHA2-256", NULL);
    if (probe == NULL || strcmp(OSSL_PROVIDER_get0_name(EVP_MD_get0_provider(probe)), "fips") != 0) {
        add_from_queue(f, "fips", "fetching SHA2-256", NULL,
                       probe == NULL ? "nothing serves it" : "a provider other than fips serves it");
        goto fail;
    }
    EVP_MD_free(probe);
    probe = NULL;
    check_ciphers(f, ctx);
    for (int i = before; i < f->count; i++) {
        /* libssl applies the process's file's system_default TLS settings to every SSL_CTX, this context's too. */
        snprintf(f->items[i].section, sizeof(f->items[i].section), "%s", f->config_file != NULL ? f->config_file : "");
    }
    if (f->count == before) {
        /* The context lives as long as the process; the references to fips and base with it. */
        return ctx;
    }

fail:
    EVP_MD_free(probe);
    if (base != NULL) {
        OSSL_PROVIDER_unload(base);
    }
    if (fips != NULL) {
        OSSL_PROVIDER_unload(fips);
    }
    OSSL_LIB_CTX_free(ctx);
    ERR_clear_error();
    return NULL;
}

static jobjectArray row(JNIEnv *env, const char *a, const char *b, const char *c, const char *d)
{
    const char *values[4] = {a, b, c, d};
    return nt_string_array(env, values, 4);
}

static jobjectArray to_java(JNIEnv *env, const findings *f)
{
    jclass row_class = (*env)->FindClass(env, "[Ljava/lang/String;");
    if (row_class == NULL) {
        return NULL;
    }
    jobjectArray table = (*env)->NewObjectArray(env, f->count + 1, row_class, NULL);
    (*env)->DeleteLocalRef(env, row_class);
    if (table == NULL) {
        return NULL;
    }
    const char *file = f->fips_file != NULL ? f->fips_file : f->config_file;
    jobjectArray first = row(env, "file", file != NULL ? file : "", f->fips_file != NULL ? "fips" : "",
                             OpenSSL_version(OPENSSL_MODULES_DIR));
    if (first == NULL) {
        return NULL;
    }
    (*env)->SetObjectArrayElement(env, table, 0, first);
    (*env)->DeleteLocalRef(env, first);
    for (int i = 0; i < f->count; i++) {
        const finding *item = &f->items[i];
        jobjectArray r = row(env, item->kind, item->subject, item->section, item->text);
        if (r == NULL) {
            return NULL;
        }
        (*env)->SetObjectArrayElement(env, table, i + 1, r);
        (*env)->DeleteLocalRef(env, r);
    }
    return table;
}

static jobjectArray native_initialise(JNIEnv *env, jclass cls, jboolean fips, jstring fips_config)
{
    findings *f = OPENSSL_zalloc(sizeof(findings));
    const char *fips_file = NULL;
    jobjectArray result = NULL;
    if (f == NULL) {
        nt_throw_message(env, nt_jni.out_of_memory_error, "no memory to initialise OpenSSL");
        return NULL;
    }
    if (fips_config != NULL && (fips_file = (*env)->GetStringUTFChars(env, fips_config, NULL)) == NULL) {
        OPENSSL_free(f);
        return NULL;
    }
    ERR_clear_error();
    /* Loads the configuration file: only a fatal error in it (config_diagnostics = 1) fails here. */
    if (OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_LOAD_CONFIG,
                         NULL) != 1) {
        add_from_queue(f, "init", "OPENSSL_init_ssl", NULL, "no reason given by OpenSSL");
    }
    f->config_file = CONF_get1_default_config_file();
    ERR_clear_error();
    if (fips) {
        /* The default context's configuration is not NativeTLS's then: only a fatal error reading it counts. */
        f->fips_file = fips_file != NULL ? fips_file : (f->config_file != NULL ? f->config_file : "");
        if (f->count == 0) {
            tls_libctx = start_fips(f, f->fips_file, fips_file != NULL);
        }
    } else {
        if (f->config_file != NULL && f->config_file[0] != '\0') {
            check_config_file(f);
        }
        if (f->count == 0 || strcmp(f->items[0].kind, "init") != 0) {
            check_ciphers(f, NULL);
        }
    }
    if (f->count > 0) {
        result = to_java(env, f);
    }
    if (fips_file != NULL) {
        (*env)->ReleaseStringUTFChars(env, fips_config, fips_file);
    }
    OPENSSL_free(f->config_file);
    OPENSSL_free(f);
    ERR_clear_error();
    return result;
}

static const JNINativeMethod methods[] = {
    {"initialise", "(ZLjava/lang/String;)[[Ljava/lang/String;", (void *)native_initialise},
};
NT_NATIVES(nt_init_natives, methods);
