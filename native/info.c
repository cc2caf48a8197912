/*
 * Facts about the OpenSSL in use: for the command-line tool's "info", the CPU capability words
 * OpenSSL detected; for "info" and for jdk.tls.namedGroups / setNamedGroups, the TLS key exchange
 * groups its loaded providers offer; for the ML-DSA signature schemes, the TLS signature schemes
 * providers add; for NativeTls.isFipsEnabled and "info", the loaded providers and whether the default
 * properties ask for FIPS implementations. Read-only; owns nothing.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

#define NT_INFO_FIXED 3
#define NT_INFO_MAX_GROUPS 256
#define NT_INFO_ENTRY 128

typedef struct {
    char groups[NT_INFO_MAX_GROUPS][NT_INFO_ENTRY];
    int count;
} group_list;

static int already_listed(const group_list *list, const char *name)
{
    size_t len = strlen(name);
    for (int i = 0; i < list->count; i++) {
        if (strncmp(list->groups[i], name, len) == 0 && list->groups[i][len] == ' ') {
            return 1;
        }
    }
    return 0;
}

static int int_param(const OSSL_PARAM params[], const char *key, int *value)
{
    const OSSL_PARAM *p = OSSL_PARAM_locate_const(params, key);
    return p != NULL && OSSL_PARAM_get_int(p, value) == 1;
}

static int add_group(const OSSL_PARAM params[], void *arg)
{
    group_list *list = arg;
    const OSSL_PARAM *name = OSSL_PARAM_locate_const(params, OSSL_CAPABILITY_TLS_GROUP_NAME);
    const char *text = NULL;
    unsigned int id = 0;
    int min_tls = 0;
    int max_tls = 0;
    const OSSL_PARAM *idp = OSSL_PARAM_locate_const(params, OSSL_CAPABILITY_TLS_GROUP_ID);
    if (name == NULL || OSSL_PARAM_get_utf8_string_ptr(name, &text) != 1 || idp == NULL
        || OSSL_PARAM_get_uint(idp, &id) != 1 || !int_param(params, OSSL_CAPABILITY_TLS_GROUP_MIN_TLS, &min_tls)
        || !int_param(params, OSSL_CAPABILITY_TLS_GROUP_MAX_TLS, &max_tls)) {
        /* An entry we cannot read is skipped; the rest of the list is still useful. */
        ERR_clear_error();
        return 1;
    }
    if (list->count < NT_INFO_MAX_GROUPS && !already_listed(list, text)) {
        snprintf(list->groups[list->count], NT_INFO_ENTRY, "%s %u %d %d", text, id, min_tls, max_tls);
        list->count++;
    }
    return 1;
}

static int provider_groups(OSSL_PROVIDER *provider, void *arg)
{
    if (OSSL_PROVIDER_get_capabilities(provider, "TLS-GROUP", add_group, arg) != 1) {
        ERR_clear_error(); /* a provider without TLS groups (e.g. base) is not an error here */
    }
    return 1;
}

/*
 * One TLS signature scheme a provider adds (TLS-SIGALG capability, OpenSSL 3.4 on: the ML-DSA
 * schemes of 3.5's default provider), as "name codepoint". The names are spelled out, not taken
 * from core_names.h, so the library still builds against 3.0 headers, where the capability is
 * unknown and no provider lists any.
 */
static int add_sigalg(const OSSL_PARAM params[], void *arg)
{
    group_list *list = arg;
    const OSSL_PARAM *name = OSSL_PARAM_locate_const(params, "tls-sigalg-iana-name");
    const OSSL_PARAM *code = OSSL_PARAM_locate_const(params, "tls-sigalg-code-point");
    const char *text = NULL;
    unsigned int point = 0;
    if (name == NULL || OSSL_PARAM_get_utf8_string_ptr(name, &text) != 1 || code == NULL
        || OSSL_PARAM_get_uint(code, &point) != 1) {
        ERR_clear_error(); /* as for groups: an unreadable entry is skipped */
        return 1;
    }
    if (list->count < NT_INFO_MAX_GROUPS && !already_listed(list, text)) {
        snprintf(list->groups[list->count], NT_INFO_ENTRY, "%s %u", text, point);
        list->count++;
    }
    return 1;
}

static int provider_sigalgs(OSSL_PROVIDER *provider, void *arg)
{
    if (OSSL_PROVIDER_get_capabilities(provider, "TLS-SIGALG", add_sigalg, arg) != 1) {
        ERR_clear_error(); /* OpenSSL 3.0 and providers without schemes of their own */
    }
    return 1;
}

static int set_string(JNIEnv *env, jobjectArray array, jsize index, const char *text)
{
    jstring s = (*env)->NewStringUTF(env, text != NULL ? text : "");
    if (s == NULL) {
        return 0;
    }
    (*env)->SetObjectArrayElement(env, array, index, s);
    (*env)->DeleteLocalRef(env, s);
    return !nt_pending_exception(env);
}

/*
 * Every TLS group the loaded providers offer, once per name, as "name id minTLS maxTLS": the list
 * "info" prints and the one NamedGroups checks jdk.tls.namedGroups and setNamedGroups against.
 * Returns NULL with an exception pending on failure; the caller frees the list.
 */
static group_list *collect(JNIEnv *env, OSSL_LIB_CTX *libctx, int (*per_provider)(OSSL_PROVIDER *, void *),
                           const char *what)
{
    group_list *list = OPENSSL_zalloc(sizeof(group_list));
    if (list == NULL) {
        nt_throw_message(env, nt_jni.out_of_memory_error, "no memory for a list of the providers' capabilities");
        return NULL;
    }
    ERR_clear_error();
    if (OSSL_PROVIDER_do_all(libctx, per_provider, list) != 1) {
        nt_throw_openssl(env, nt_jni.ssl_exception, what);
        OPENSSL_free(list);
        return NULL;
    }
    return list;
}

/* A new String[] of the fixed leading strings (count of them), then the list's groups; NULL on failure. */
static jobjectArray to_array(JNIEnv *env, const group_list *list, const char *const fixed[], int count)
{
    jobjectArray result = (*env)->NewObjectArray(env, count + list->count, nt_jni.string, NULL);
    if (result == NULL) {
        return NULL;
    }
    for (int i = 0; i < count; i++) {
        if (!set_string(env, result, i, fixed[i])) {
            return NULL;
        }
    }
    for (int i = 0; i < list->count; i++) {
        if (!set_string(env, result, count + i, list->groups[i])) {
            return NULL;
        }
    }
    return result;
}

/* What per_provider collects from every provider, as a String[]; NULL with an exception pending. */
static jobjectArray collected(JNIEnv *env, OSSL_LIB_CTX *libctx, int (*per_provider)(OSSL_PROVIDER *, void *),
                              const char *what)
{
    group_list *list = collect(env, libctx, per_provider, what);
    if (list == NULL) {
        return NULL;
    }
    jobjectArray result = to_array(env, list, NULL, 0);
    OPENSSL_free(list);
    return result;
}

static jobjectArray native_libraryInfo(JNIEnv *env, jclass cls)
{
    (void)cls;
    const char *fixed[NT_INFO_FIXED] = {
        OpenSSL_version(OPENSSL_CPU_INFO), OpenSSL_version(OPENSSL_DIR), OpenSSL_version(OPENSSL_MODULES_DIR),
    };
    group_list *list = collect(env, nt_libctx(), provider_groups, "listing the providers' TLS groups");
    if (list == NULL) {
        return NULL;
    }
    jobjectArray result = to_array(env, list, fixed, NT_INFO_FIXED);
    OPENSSL_free(list);
    return result;
}

/* process_default: OpenSSL's default library context's, not NativeTLS's (they differ in FIPS mode only). */
static jobjectArray native_tlsGroups(JNIEnv *env, jclass cls, jboolean process_default)
{
    (void)cls;
    return collected(env, process_default ? NULL : nt_libctx(), provider_groups, "listing the providers' TLS groups");
}

/*
 * The TLS signature schemes providers add beyond libssl's built-in ones, "name codepoint" each:
 * what SignatureSchemes checks before it names mldsa65 and the like to this OpenSSL.
 */
static jobjectArray native_tlsProviderSignatureSchemes(JNIEnv *env, jclass cls)
{
    (void)cls;
    return collected(env, nt_libctx(), provider_sigalgs, "listing the providers' TLS signature schemes");
}

/* One loaded provider as "name<TAB>version<TAB>status" (version "?" when it does not say). */
static int provider_entry(OSSL_PROVIDER *provider, void *arg)
{
    group_list *list = arg;
    if (list->count >= NT_INFO_MAX_GROUPS) {
        return 1;
    }
    char *version = NULL;
    int status = 1;
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_utf8_ptr(OSSL_PROV_PARAM_VERSION, &version, 0);
    params[1] = OSSL_PARAM_construct_int(OSSL_PROV_PARAM_STATUS, &status);
    params[2] = OSSL_PARAM_construct_end();
    if (OSSL_PROVIDER_get_params(provider, params) != 1) {
        /* A provider that answers nothing is still loaded: listed without its facts. */
        ERR_clear_error();
        version = NULL;
        status = 1;
    }
    snprintf(list->groups[list->count], NT_INFO_ENTRY, "%s\t%s\t%s", OSSL_PROVIDER_get0_name(provider),
             version != NULL ? version : "?", status ? "active" : "inactive");
    list->count++;
    return 1;
}

static jobjectArray native_providers(JNIEnv *env, jclass cls)
{
    (void)cls;
    return collected(env, nt_libctx(), provider_entry, "listing the loaded providers");
}

/* Whether NativeTLS's library context's default properties ask for fips=yes (the file's, or FIPS mode's). */
static jboolean native_fipsDefaultProperties(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    return EVP_default_properties_is_fips_enabled(nt_libctx()) ? JNI_TRUE : JNI_FALSE;
}

/* Whether NativeTLS runs in a library context of its own (io.nativetls.fips=true started). */
static jboolean native_ownLibraryContext(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    return nt_libctx() != NULL ? JNI_TRUE : JNI_FALSE;
}

/* Its address, for tests that ask libcrypto about it directly (0 for the default context). */
static jlong native_libraryContextAddress(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    return nt_ptr_to_jlong(nt_libctx());
}

static const JNINativeMethod methods[] = {
    {"providers", "()[Ljava/lang/String;", (void *)native_providers},
    {"fipsDefaultProperties", "()Z", (void *)native_fipsDefaultProperties},
    {"ownLibraryContext", "()Z", (void *)native_ownLibraryContext},
    {"libraryContextAddress", "()J", (void *)native_libraryContextAddress},
    {"libraryInfo", "()[Ljava/lang/String;", (void *)native_libraryInfo},
    {"tlsGroups", "(Z)[Ljava/lang/String;", (void *)native_tlsGroups},
    {"tlsProviderSignatureSchemes", "()[Ljava/lang/String;", (void *)native_tlsProviderSignatureSchemes},
};
NT_NATIVES(nt_info_natives, methods);
