/* The server name (SNI) in the TLS ClientHello a skill sends first into a CONNECT tunnel. Pure
 * parser of untrusted bytes, no I/O; unit tests in tests/unit/test_tls_sni.c, fuzz target
 * tests/fuzz/fuzz_tls_sni.c. */
#pragma once

#include <stddef.h>

/* The proxy grants CONNECT per host, but the TLS server at that address picks its certificate and
 * backend from the SNI, not from our CONNECT line. A skill granted api.example.com could CONNECT
 * there and then send a ClientHello naming evil.example.net on the same CDN (domain fronting).
 * So the proxy holds back the first bytes of the tunnel, asks tls_sni_parse() what they say, and
 * compares the name with the one it granted before relaying anything.
 *
 * tls_sni_parse() looks only at the first TLS record in buf[0..len) and never reads past len;
 * bytes after that record are ignored. It needs at most TLS_SNI_PEEK_MAX bytes to answer anything
 * but TLS_SNI_NEED_MORE, so a caller that has read that much and is still told NEED_MORE has a bug.
 * A ClientHello split over several records (legal, but no real client does it for a hello this
 * small) is TLS_SNI_MALFORMED: we refuse it rather than let a name we never saw pass unchecked.
 *
 * On TLS_SNI_FOUND the name is written to host[0..host_size) lower-cased and NUL-terminated:
 * 1..253 bytes of [a-z0-9._-], no leading, trailing or doubled '.'. An IP literal (forbidden in SNI
 * by RFC 6066) is passed through as text: the proxy compares strings. If the name does not fit in
 * host_size bytes the answer is TLS_SNI_MALFORMED. host is left untouched on every other status. */
#define TLS_SNI_PEEK_MAX (16384 + 5)  /* one TLS record: all the proxy will hold back */

enum tls_sni_status {
        TLS_SNI_NEED_MORE = 0,  /* a TLS handshake record has started but is not complete */
        TLS_SNI_FOUND = 1,      /* *host filled (lower-cased, NUL-terminated) */
        TLS_SNI_ABSENT = 2,     /* a complete ClientHello without a server_name extension */
        TLS_SNI_NOT_TLS = 3,    /* the first byte is not a TLS handshake record (0x16): some other protocol */
        TLS_SNI_MALFORMED = -1, /* looks like TLS but is not a well-formed ClientHello, or the ClientHello does not fit in the first record (fragmented), or the name is invalid */
};

enum tls_sni_status tls_sni_parse(const unsigned char *buf, size_t len, char *host, size_t host_size);
