/*
 * The fatal alert for a record NativeTLS refused before OpenSSL saw it. RecordFraming (Java) judges
 * each header: a content type other than 20-23, a major version other than 3, a length over the
 * limit; and a handshake that takes more input than any flight needs. OpenSSL has no public call
 * that sends an arbitrary alert, and once keys are in use an alert must be encrypted under them
 * with the right sequence number, which only OpenSSL knows. So OpenSSL is handed a made-up record
 * that it rejects, with the wanted alert, in a check both OpenSSL 3.0 (ssl/record/ssl3_record.c)
 * and 3.5 (ssl/record/methods/tls_common.c, tlsany_meth.c, tls13_meth.c) make:
 *
 *   length      type 23, version 3.3, length 0xffff. Both compare the length with their read
 *               buffer (2^14 + 320 + header + alignment) right after parsing the header, and
 *               answer record_overflow in every state (3.5 before any version check, 3.0 after
 *               version checks that 3.3 passes).
 *   version     version 0.2 (SSL2_VERSION). 3.5 refuses exactly that record version from the
 *               header with protocol_version in every state; 3.0 answers protocol_version to any
 *               major version other than 3, except in a connection's first record, where it
 *               sends no alert at all ("doesn't look like TLS"): that record is handled below.
 *   unexpected  type 0, version 3.3, 64 zero bytes. Where TLS 1.3 keys protect what is read,
 *               both refuse any type but application data from the header: unexpected_message.
 *               Where nothing protects it (TLS 1.2 before the peer's ChangeCipherSpec, TLS 1.3
 *               before the ServerHello), the record is read and its unknown type refused:
 *               unexpected_message. Where TLS 1.2 keys protect it, the type is covered by the
 *               record MAC, which both check first: bad_record_mac. No header makes TLS 1.2 say
 *               unexpected_message there, and bad_record_mac is what OpenSSL (and SunJSSE) send
 *               for such a record once its body has come, so NativeTLS sends the same, sooner.
 *               64 bytes: longer than any suite's explicit IV, tag or MAC, so no cipher finds it
 *               "too short" (decode_error with encrypt-then-MAC) instead of bad_record_mac.
 *
 * A connection's first record can only be refused before any keys exist (nothing has been read;
 * a client has sent just its ClientHello): that plaintext alert is built here, without OpenSSL.
 */
#include <string.h>
#include <openssl/err.h>

#include "nativetls.h"


#define ALERT_FATAL 2
#define AD_UNEXPECTED_MESSAGE 10
#define AD_RECORD_OVERFLOW 22
#define AD_PROTOCOL_VERSION 70

#define TYPE_RECORD_BODY 64

static int wanted_alert(int problem)
{
    switch (problem) {
    case NT_REFUSE_UNEXPECTED:
        return AD_UNEXPECTED_MESSAGE;
    case NT_REFUSE_VERSION:
        return AD_PROTOCOL_VERSION;
    case NT_REFUSE_LENGTH:
        return AD_RECORD_OVERFLOW;
    default:
        return -1;
    }
}

static int plaintext_alert(nt_conn *conn, int description)
{
    const uint8_t record[] = {21, 3, 3, 0, 2, ALERT_FATAL, (uint8_t)description};
    if (!nt_bio_queue(conn, record, sizeof(record))) {
        return 0;
    }
    conn->alert_sent = (ALERT_FATAL << 8) | description;
    return conn->alert_sent;
}

int nt_refuse_record(nt_conn *conn, int problem, int first_record)
{
    int description = wanted_alert(problem);
    if (description < 0) {
        return 0;
    }
    if (first_record) {
        return plaintext_alert(conn, description);
    }
    uint8_t record[5 + TYPE_RECORD_BODY];
    size_t length = 5;
    memset(record, 0, sizeof(record));
    if (problem == NT_REFUSE_LENGTH) {
        const uint8_t header[] = {23, 3, 3, 0xff, 0xff};
        memcpy(record, header, sizeof(header));
    } else if (problem == NT_REFUSE_VERSION) {
        const uint8_t header[] = {23, 0, 2, 0, TYPE_RECORD_BODY};
        memcpy(record, header, sizeof(header));
    } else {
        const uint8_t header[] = {0, 3, 3, 0, TYPE_RECORD_BODY};
        memcpy(record, header, sizeof(header));
        length = sizeof(record);
    }
    /* The made-up record is this call's whole input; what OpenSSL writes (the alert) goes to pend. */
    memset(&conn->in, 0, sizeof(conn->in));
    memset(&conn->out, 0, sizeof(conn->out));
    conn->in.addr = record;
    conn->in.len = length;
    conn->out_enabled = 0;
    conn->alert_sent = 0;
    int r;
    if (!SSL_is_init_finished(conn->ssl)) {
        r = SSL_do_handshake(conn->ssl);
    } else {
        uint8_t scratch[TYPE_RECORD_BODY];
        size_t n = 0;
        r = SSL_read_ex(conn->ssl, scratch, sizeof(scratch), &n);
        OPENSSL_cleanse(scratch, sizeof(scratch));
    }
    /* The Java side throws its own exception, which says what was wrong with the header. */
    ERR_clear_error();
    memset(&conn->in, 0, sizeof(conn->in));
    if (r == 1 || (conn->alert_sent >> 8) != ALERT_FATAL) {
        return 0;
    }
    return conn->alert_sent;
}
