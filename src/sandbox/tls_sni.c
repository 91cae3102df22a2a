/* Finds the server name in the first TLS record a skill sends into a CONNECT tunnel, so the proxy
 * can refuse domain fronting. Every byte is attacker-controlled: all reads go through a bounded
 * cursor, the work is bounded by one record, and anything a TLS server might read differently
 * from us (fragments, duplicate names) is refused rather than guessed at. */
#include "tls_sni.h"

#include <stdbool.h>
#include <string.h>

#define TLS_RECORD_HEADER_LEN 5
#define TLS_RECORD_MAX 16384 /* RFC 8446 5.1: plaintext fragment limit */
#define TLS_CONTENT_HANDSHAKE 0x16
#define TLS_VERSION_MAJOR 0x03
#define TLS_VERSION_MINOR_MAX 0x04
#define TLS_HANDSHAKE_CLIENT_HELLO 1
#define TLS_RANDOM_LEN 32
#define TLS_SESSION_ID_MAX 32
#define TLS_EXT_SERVER_NAME 0
#define SNI_NAME_TYPE_HOST_NAME 0
#define SNI_HOST_MAX 253 /* longest DNS name in text form, without a trailing dot */

_Static_assert(TLS_SNI_PEEK_MAX == TLS_RECORD_HEADER_LEN + TLS_RECORD_MAX, "one record");

/* The bytes still to be parsed. Every read checks what is left first, so no length taken from
 * the input can move p past the end. */
struct cursor {
        const unsigned char *p;
        size_t left;
};

/* Split off the next n bytes into *ret (optional). */
static bool take(struct cursor *c, size_t n, struct cursor *ret) {
        if (n > c->left)
                return false;
        if (ret)
                *ret = (struct cursor) { .p = c->p, .left = n };
        c->p += n;
        c->left -= n;
        return true;
}

/* A big-endian integer of n (1..3) bytes. */
static bool take_uint(struct cursor *c, size_t n, size_t *ret) {
        size_t v = 0;
        if (n > c->left)
                return false;
        for (size_t i = 0; i < n; i++)
                v = v << 8 | c->p[i];
        c->p += n;
        c->left -= n;
        *ret = v;
        return true;
}

/* A TLS vector: an n-byte length, then that many bytes. */
static bool take_vector(struct cursor *c, size_t n, struct cursor *ret) {
        size_t len;
        return take_uint(c, n, &len) && take(c, len, ret);
}

static bool is_host_char(unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '-' || c == '_';
}

/* A DNS name as text: no NUL, '/', ':' or other byte a later string compare or log line could
 * trip on, and no empty label, so "a..b" or ".a" cannot alias a granted "a.b". */
static bool host_name_is_valid(struct cursor name) {
        if (name.left == 0 || name.left > SNI_HOST_MAX)
                return false;
        if (name.p[0] == '.' || name.p[name.left - 1] == '.')
                return false;
        for (size_t i = 0; i < name.left; i++) {
                if (!is_host_char(name.p[i]))
                        return false;
                if (name.p[i] == '.' && name.p[i + 1] == '.') /* i + 1 < left: the last byte is not '.' */
                        return false;
        }
        return true;
}

/* The body of a server_name extension (RFC 6066 3). */
static enum tls_sni_status parse_server_name(struct cursor ext, struct cursor *ret_name) {
        struct cursor list, name = {};
        bool found = false;

        if (!take_vector(&ext, 2, &list) || ext.left != 0 || list.left == 0)
                return TLS_SNI_MALFORMED;
        while (list.left > 0) {
                struct cursor entry;
                size_t name_type;

                if (!take_uint(&list, 1, &name_type) || !take_vector(&list, 2, &entry))
                        return TLS_SNI_MALFORMED;
                if (name_type != SNI_NAME_TYPE_HOST_NAME)
                        continue;
                /* RFC 6066 allows one name per type. A server that took the second one would be
                 * fronted past a check that looked at the first. */
                if (found)
                        return TLS_SNI_MALFORMED;
                if (!host_name_is_valid(entry))
                        return TLS_SNI_MALFORMED;
                name = entry;
                found = true;
        }
        /* An extension naming no host is nothing a real client sends. */
        if (!found)
                return TLS_SNI_MALFORMED;
        *ret_name = name;
        return TLS_SNI_FOUND;
}

/* The payload of a complete first handshake record (RFC 8446 4.1.2, RFC 5246 7.4.1.2). */
static enum tls_sni_status parse_client_hello(struct cursor rec, struct cursor *ret_name) {
        struct cursor hello, session_id, suites, compression, exts, name = {};
        size_t type, version;
        bool found = false;

        if (!take_uint(&rec, 1, &type) || type != TLS_HANDSHAKE_CLIENT_HELLO)
                return TLS_SNI_MALFORMED;
        /* Failing here includes a hello longer than this record: the rest, with perhaps the name,
         * would come in records we never look at. */
        if (!take_vector(&rec, 3, &hello))
                return TLS_SNI_MALFORMED;

        if (!take_uint(&hello, 2, &version) || version >> 8 != TLS_VERSION_MAJOR)
                return TLS_SNI_MALFORMED;
        if (!take(&hello, TLS_RANDOM_LEN, NULL))
                return TLS_SNI_MALFORMED;
        if (!take_vector(&hello, 1, &session_id) || session_id.left > TLS_SESSION_ID_MAX)
                return TLS_SNI_MALFORMED;
        if (!take_vector(&hello, 2, &suites) || suites.left < 2 || suites.left % 2 != 0)
                return TLS_SNI_MALFORMED;
        if (!take_vector(&hello, 1, &compression) || compression.left < 1)
                return TLS_SNI_MALFORMED;

        /* Extensions are optional (RFC 5246 7.4.1.2), but if present they fill the rest exactly. */
        if (hello.left == 0)
                return TLS_SNI_ABSENT;
        if (!take_vector(&hello, 2, &exts) || hello.left != 0)
                return TLS_SNI_MALFORMED;

        /* Walk every extension even after the name: a second server_name later on must not go
         * unseen, and a block that does not add up is not a hello a server would accept. */
        while (exts.left > 0) {
                struct cursor data;
                size_t ext_type;
                enum tls_sni_status st;

                if (!take_uint(&exts, 2, &ext_type) || !take_vector(&exts, 2, &data))
                        return TLS_SNI_MALFORMED;
                if (ext_type != TLS_EXT_SERVER_NAME)
                        continue;
                if (found)
                        return TLS_SNI_MALFORMED;
                st = parse_server_name(data, &name);
                if (st != TLS_SNI_FOUND)
                        return st;
                found = true;
        }
        if (!found)
                return TLS_SNI_ABSENT;
        *ret_name = name;
        return TLS_SNI_FOUND;
}

enum tls_sni_status tls_sni_parse(const unsigned char *buf, size_t len, char *host, size_t host_size) {
        struct cursor rec, name = {};
        size_t record_len;
        enum tls_sni_status st;

        /* Judge the record header byte by byte, so that a short read of something else is
         * recognised as early as it can be and only a true prefix of a hello waits for more. */
        if (len == 0)
                return TLS_SNI_NEED_MORE;
        if (buf[0] != TLS_CONTENT_HANDSHAKE)
                return TLS_SNI_NOT_TLS;
        if (len >= 2 && buf[1] != TLS_VERSION_MAJOR)
                return TLS_SNI_MALFORMED;
        if (len >= 3 && buf[2] > TLS_VERSION_MINOR_MAX)
                return TLS_SNI_MALFORMED;
        if (len >= 4 && buf[3] > (TLS_RECORD_MAX >> 8))
                return TLS_SNI_MALFORMED;
        if (len < TLS_RECORD_HEADER_LEN)
                return TLS_SNI_NEED_MORE;

        record_len = (size_t) buf[3] << 8 | buf[4];
        if (record_len == 0 || record_len > TLS_RECORD_MAX)
                return TLS_SNI_MALFORMED;
        if (len - TLS_RECORD_HEADER_LEN < record_len)
                return TLS_SNI_NEED_MORE;

        rec = (struct cursor) { .p = buf + TLS_RECORD_HEADER_LEN, .left = record_len };
        st = parse_client_hello(rec, &name);
        if (st != TLS_SNI_FOUND)
                return st;

        /* name.left <= SNI_HOST_MAX, so the + 1 cannot wrap. */
        if (!host || name.left + 1 > host_size)
                return TLS_SNI_MALFORMED;
        for (size_t i = 0; i < name.left; i++) {
                unsigned char c = name.p[i];
                host[i] = (char) (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
        host[name.left] = '\0';
        return TLS_SNI_FOUND;
}
