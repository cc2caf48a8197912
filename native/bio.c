/*
 * The BIO between OpenSSL and the caller's buffers. Reads come straight from the source window
 * the current call set up (direct memory or a Java array); writes go straight into the
 * destination window when it is enabled and the whole write fits, otherwise into pend, a
 * growable buffer drained by the next wrap. Writes are all-or-nothing per call so pend always
 * holds whole records, which lets wrap hand them out record by record.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>

#include "nativetls.h"

static BIO_METHOD *method;

static int copy_from_window(nt_conn *conn, nt_window *w, uint8_t *dst, size_t n)
{
    if (w->addr != NULL) {
        memcpy(dst, w->addr + w->off + w->pos, n);
    } else {
        (*conn->env)->GetByteArrayRegion(conn->env, w->array, (jsize)(w->off + w->pos), (jsize)n, (jbyte *)dst);
        if (nt_pending_exception(conn->env)) {
            return 0;
        }
    }
    w->pos += n;
    return 1;
}

static int copy_to_window(nt_conn *conn, nt_window *w, const uint8_t *src, size_t n)
{
    if (w->addr != NULL) {
        memcpy(w->addr + w->off + w->pos, src, n);
    } else {
        (*conn->env)->SetByteArrayRegion(conn->env, w->array, (jsize)(w->off + w->pos), (jsize)n, (const jbyte *)src);
        if (nt_pending_exception(conn->env)) {
            return 0;
        }
    }
    w->pos += n;
    return 1;
}

static int append_pend(nt_conn *conn, const uint8_t *src, size_t n)
{
    if (conn->pend_off > 0 && conn->pend_off + conn->pend_len + n > conn->pend_cap) {
        memmove(conn->pend, conn->pend + conn->pend_off, conn->pend_len);
        conn->pend_off = 0;
    }
    if (conn->pend_len + n > conn->pend_cap) {
        size_t cap = conn->pend_cap == 0 ? 4096 : conn->pend_cap;
        while (cap < conn->pend_len + n) {
            cap *= 2;
        }
        uint8_t *grown = realloc(conn->pend, cap);
        if (grown == NULL) {
            return 0;
        }
        conn->pend = grown;
        conn->pend_cap = cap;
    }
    memcpy(conn->pend + conn->pend_off + conn->pend_len, src, n);
    conn->pend_len += n;
    return 1;
}

int nt_bio_queue(nt_conn *conn, const uint8_t *records, size_t n)
{
    return append_pend(conn, records, n);
}

static int bio_write(BIO *bio, const char *data, size_t len, size_t *written)
{
    nt_conn *conn = BIO_get_data(bio);
    nt_window *w = &conn->out;
    const uint8_t *src = (const uint8_t *)data;
    int ok;
    if (conn->out_enabled && conn->pend_len == 0 && w->len - w->pos >= len) {
        ok = copy_to_window(conn, w, src, len);
    } else {
        ok = append_pend(conn, src, len);
    }
    if (!ok) {
        return 0;
    }
    *written = len;
    return 1;
}

static int bio_read(BIO *bio, char *data, size_t len, size_t *readbytes)
{
    nt_conn *conn = BIO_get_data(bio);
    nt_window *w = &conn->in;
    size_t avail = w->len - w->pos;
    BIO_clear_retry_flags(bio);
    if (avail == 0) {
        BIO_set_retry_read(bio);
        return 0;
    }
    size_t n = len < avail ? len : avail;
    if (!copy_from_window(conn, w, (uint8_t *)data, n)) {
        return 0;
    }
    *readbytes = n;
    return 1;
}

static long bio_ctrl(BIO *bio, int cmd, long num, void *ptr)
{
    nt_conn *conn = BIO_get_data(bio);
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_CTRL_WPENDING:
        return (long)conn->pend_len;
    case BIO_CTRL_PENDING:
        return (long)(conn->in.len - conn->in.pos);
    default:
        return 0;
    }
}

static int bio_create(BIO *bio)
{
    BIO_set_init(bio, 1);
    return 1;
}

static int bio_destroy(BIO *bio)
{
    BIO_set_data(bio, NULL);
    return 1;
}

int nt_bio_method_init(void)
{
    method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "nativetls");
    if (method == NULL) {
        return 0;
    }
    if (BIO_meth_set_write_ex(method, bio_write) != 1 || BIO_meth_set_read_ex(method, bio_read) != 1
        || BIO_meth_set_ctrl(method, bio_ctrl) != 1 || BIO_meth_set_create(method, bio_create) != 1
        || BIO_meth_set_destroy(method, bio_destroy) != 1) {
        BIO_meth_free(method);
        method = NULL;
        return 0;
    }
    return 1;
}

void nt_bio_method_free(void)
{
    BIO_meth_free(method);
    method = NULL;
}

BIO *nt_bio_new(nt_conn *conn)
{
    BIO *bio = BIO_new(method);
    if (bio != NULL) {
        BIO_set_data(bio, conn);
    }
    return bio;
}
