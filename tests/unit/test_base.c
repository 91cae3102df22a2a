/* Unit tests for src/base: bounded buffer, UTF-8, paths, SHA-256, JSON helpers. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/buf.h"
#include "../../src/base/json.h"
#include "../../src/base/path.h"
#include "../../src/base/sha256.h"
#include "../../src/base/utf8.h"

Test(buf, grows_up_to_cap_and_refuses_beyond) {
        _cleanup_buf_ struct buf b = BUF_INIT(10);
        cr_assert_eq(buf_append(&b, "0123456789", 10), 0);
        cr_assert_eq(b.len, 10);
        cr_assert_str_eq(b.data, "0123456789");
        cr_assert_eq(buf_append(&b, "x", 1), -E2BIG);
        cr_assert_eq(b.len, 10, "a refused append leaves the buffer unchanged");
}

Test(buf, printf_respects_cap) {
        _cleanup_buf_ struct buf b = BUF_INIT(8);
        cr_assert_eq(buf_printf(&b, "%d-%s", 42, "ab"), 0);
        cr_assert_str_eq(b.data, "42-ab");
        cr_assert_eq(buf_printf(&b, "%s", "toolong"), -E2BIG);
        cr_assert_str_eq(b.data, "42-ab");
}

Test(buf, steal_empty_gives_empty_string) {
        struct buf b = BUF_INIT(4);
        char *s = buf_steal(&b);
        cr_assert_not_null(s);
        cr_assert_str_eq(s, "");
        free(s);
}

/* A pipe holding n bytes of a known pattern, its write end closed. */
static int pipe_with(size_t n) {
        int p[2];
        cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
        cr_assert_geq(fcntl(p[1], F_SETPIPE_SZ, 1 << 20), (int) n);
        for (size_t i = 0; i < n; i++) {
                char c = (char) ('a' + i % 26);
                cr_assert_eq(write(p[1], &c, 1), 1);
        }
        close(p[1]);
        return p[0];
}

/* buf_read_fd() until it returns something other than a byte count */
static ssize_t read_until_not_data(struct buf *b, int fd) {
        ssize_t k;
        while ((k = buf_read_fd(b, fd)) > 0)
                ;
        return k;
}

Test(buf, read_fd_takes_everything_under_the_cap) {
        size_t n = 200000; /* several growths */
        int fd = pipe_with(n);
        _cleanup_buf_ struct buf b = BUF_INIT(1 << 20);
        ssize_t k = read_until_not_data(&b, fd);
        cr_assert_eq(k, 0, "end of file, not %zd", k);
        cr_assert_eq(b.len, n);
        cr_assert_eq(b.data[n], '\0');
        for (size_t i = 0; i < n; i++)
                cr_assert_eq(b.data[i], (char) ('a' + i % 26), "byte %zu", i);
        close(fd);
}

Test(buf, read_fd_exactly_the_cap_is_not_an_overflow) {
        int fd = pipe_with(5000);
        _cleanup_buf_ struct buf b = BUF_INIT(5000);
        cr_assert_eq(read_until_not_data(&b, fd), 0);
        cr_assert_eq(b.len, 5000);
        cr_assert_leq(b.alloc, 5001, "never allocates past the cap");
        close(fd);
}

Test(buf, read_fd_past_the_cap_keeps_what_fits_and_drains) {
        int fd = pipe_with(10000);
        _cleanup_buf_ struct buf b = BUF_INIT(3000);
        cr_assert_eq(read_until_not_data(&b, fd), -E2BIG);
        cr_assert_eq(b.len, 3000);
        cr_assert_eq(b.data[2999], (char) ('a' + 2999 % 26));
        int overflows = 0;
        ssize_t k;
        while ((k = buf_read_fd(&b, fd)) == -E2BIG)
                overflows++;
        cr_assert_eq(k, 0, "going on drains the rest to end of file");
        cr_assert_geq(overflows, 1);
        cr_assert_eq(b.len, 3000, "dropped bytes do not enter the buffer");
        close(fd);
}

Test(buf, read_fd_reports_eagain_and_bad_fds) {
        int p[2];
        cr_assert_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
        _cleanup_buf_ struct buf b = BUF_INIT(100);
        cr_assert_eq(buf_read_fd(&b, p[0]), -EAGAIN);
        cr_assert_eq(write(p[1], "hi", 2), 2);
        cr_assert_eq(buf_read_fd(&b, p[0]), 2);
        cr_assert_str_eq(b.data, "hi");
        close(p[0]);
        close(p[1]);
        cr_assert_eq(buf_read_fd(&b, p[0]), -EBADF);
}

Test(utf8, accepts_valid_and_counts_code_points) {
        const char *s = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"; /* héllo € 😀 */
        cr_assert(utf8_is_valid(s, strlen(s)));
        cr_assert_eq(utf8_length(s), 9);
}

Test(utf8, cut_never_splits_a_sequence) {
        const char *s = "ab\xC3\xA9\xE2\x82\xAC"; /* "ab", e-acute (2 bytes), euro sign (3) */
        size_t n = strlen(s);
        cr_expect_eq(utf8_cut(s, n, 10), n);
        cr_expect_eq(utf8_cut(s, n, 7), 7);
        cr_expect_eq(utf8_cut(s, n, 6), 4);
        cr_expect_eq(utf8_cut(s, n, 5), 4);
        cr_expect_eq(utf8_cut(s, n, 3), 2);
        cr_expect_eq(utf8_cut(s, n, 0), 0);
}

Test(utf8, rejects_overlong_surrogate_and_truncated) {
        cr_assert_not(utf8_is_valid("\xc0\xaf", 2), "overlong '/'");
        cr_assert_not(utf8_is_valid("\xed\xa0\x80", 3), "UTF-16 surrogate");
        cr_assert_not(utf8_is_valid("\xf4\x90\x80\x80", 4), "past U+10FFFF");
        cr_assert_not(utf8_is_valid("\xe2\x82", 2), "truncated");
        cr_assert_not(utf8_is_valid("\xff", 1));
        cr_assert_eq(utf8_first_invalid("ab\xffz", 4), 2);
}

/* The ASCII fast path reads eight bytes at a time: an invalid byte (or a valid multi-byte
 * sequence) at every position of and after a word must still be found exactly. */
Test(utf8, first_invalid_at_every_position) {
        char buf[40];
        for (size_t at = 0; at < 32; at++) {
                memset(buf, 'a', sizeof(buf));
                buf[at] = '\xff';
                cr_assert_eq(utf8_first_invalid(buf, sizeof(buf)), at, "invalid byte at %zu", at);
                cr_assert_eq(utf8_first_invalid(buf, at), at, "ends just before it");
                memset(buf, 'a', sizeof(buf));
                memcpy(buf + at, "\xc3\xa9", 2); /* e-acute: valid */
                cr_assert_eq(utf8_first_invalid(buf, sizeof(buf)), sizeof(buf));
                cr_assert_eq(utf8_first_invalid(buf, at + 1), at, "truncated sequence at the end");
        }
}

Test(path, join_and_basename) {
        _cleanup_free_ char *a = path_join("/a/b/", "/c");
        cr_assert_str_eq(a, "/a/b/c");
        _cleanup_free_ char *b = path_basename("/x/y/skill/");
        cr_assert_str_eq(b, "skill");
        _cleanup_free_ char *c = path_basename("plain");
        cr_assert_str_eq(c, "plain");
}

Test(path, safe_relative) {
        cr_assert(path_is_safe_relative("scripts/main.py"));
        cr_assert(path_is_safe_relative("a/..b/c"));
        cr_assert_not(path_is_safe_relative("/etc/passwd"));
        cr_assert_not(path_is_safe_relative("../x"));
        cr_assert_not(path_is_safe_relative("a/../../x"));
        cr_assert_not(path_is_safe_relative("a/.."));
        cr_assert_not(path_is_safe_relative(""));
}

Test(path, extension) {
        cr_assert_str_eq(path_extension("scripts/main.py"), "py");
        cr_assert_str_eq(path_extension("a.b/noext"), "");
        cr_assert_str_eq(path_extension(".hidden"), "");
}

Test(sha256, known_vector) {
        uint8_t d[SHA256_DIGEST_BYTES];
        char hex[SHA256_HEX_BYTES];
        cr_assert_eq(sha256_buffer("abc", 3, d), 0);
        sha256_to_hex(d, hex);
        cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(json, strict_parse_rejects_duplicates_and_oversize) {
        struct error err = ERROR_INIT;
        cr_assert_null(json_parse_strict("{\"a\":1,\"a\":2}", 13, 100, &err));
        cr_assert_neq(err.code, 0);
        error_clear(&err);
        cr_assert_null(json_parse_strict("[1,2,3]", 7, 3, &err));
        cr_assert_eq(err.code, -EFBIG);
        error_clear(&err);
        json_t *j = json_parse_strict("5050", 4, 100, &err);
        cr_assert_not_null(j, "a bare number is valid skill output");
        json_decref(j);
}

Test(utf8, encode_round_trips_through_decode) {
        static const uint32_t cps[] = { 0, 0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x20ac, 0xfffd, 0xffff,
                                        0x10000, 0x1f600, 0x10ffff };
        for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
                char out[4];
                size_t n = utf8_encode(cps[i], out);
                uint32_t back = 0;
                cr_expect_eq(utf8_decode((const unsigned char *) out, n, &back), n, "U+%X", cps[i]);
                cr_expect_eq(back, cps[i], "U+%X", cps[i]);
        }
        char out[4];
        cr_expect_eq(utf8_encode(0xd800, out), 3, "a lone surrogate is 3 bytes (WTF-8)");
        cr_expect(memcmp(out, "\xed\xa0\x80", 3) == 0);
}
