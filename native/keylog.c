/*
 * Key logging in the NSS key-log format (for Wireshark), opt-in per SSLContext. OpenSSL hands
 * over each line; it is appended to the file with one write() on an O_APPEND descriptor, so lines
 * from concurrent connections never interleave and no lock is needed. The descriptor belongs to
 * the SSL_CTX and is closed when the SSL_CTX is freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/err.h>

#include "nativetls.h"
#include "io_nativetls_internal_jni_SslNative.h"

static int keylog_index = -1;

/* ex_data holds fd + 1, so that an empty slot (NULL) is not descriptor 0. */
static void close_keylog(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    intptr_t slot = (intptr_t)ptr;
    if (slot > 0) {
        close((int)(slot - 1));
    }
}

int nt_keylog_index_init(void)
{
    keylog_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, close_keylog);
    return keylog_index >= 0;
}

/*
 * OpenSSL calls an index's free function for every SSL_CTX it frees, from any copy of this library:
 * a copy loaded by another class loader and then unloaded must take its function pointer with it.
 * (A context of that copy freed later leaks its key log descriptor instead.)
 */
void nt_keylog_index_free(void)
{
    if (keylog_index >= 0) {
        CRYPTO_free_ex_index(CRYPTO_EX_INDEX_SSL_CTX, keylog_index);
        keylog_index = -1;
    }
}

static void write_line(const SSL *ssl, const char *line)
{
    intptr_t slot = (intptr_t)SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), keylog_index);
    if (slot <= 0) {
        return;
    }
    size_t len = strlen(line);
    char *buf = malloc(len + 1);
    if (buf == NULL) {
        return;
    }
    memcpy(buf, line, len);
    buf[len] = '\n';
    ssize_t ignored = write((int)(slot - 1), buf, len + 1); /* best effort: a full disk loses lines, not connections */
    (void)ignored;
    OPENSSL_cleanse(buf, len + 1);
    free(buf);
}

static void native_contextSetKeyLog(JNIEnv *env, jclass cls, jlong handle, jstring path)
{
    SSL_CTX *ctx = nt_jlong_to_ptr(handle);
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    if (p == NULL) {
        return;
    }
    int fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    int err = errno;
    (*env)->ReleaseStringUTFChars(env, path, p);
    if (fd < 0) {
        nt_throw_message(env, nt_jni.key_management_exception, "opening the key log file: %s", strerror(err));
        return;
    }
    ERR_clear_error();
    if (SSL_CTX_set_ex_data(ctx, keylog_index, (void *)(intptr_t)(fd + 1)) != 1) {
        close(fd);
        nt_throw_openssl(env, nt_jni.key_management_exception, "attaching the key log");
        return;
    }
    SSL_CTX_set_keylog_callback(ctx, write_line);
}

static const JNINativeMethod methods[] = {
    {"contextSetKeyLog", "(JLjava/lang/String;)V", (void *)native_contextSetKeyLog},
};
NT_NATIVES(nt_keylog_natives, methods);
