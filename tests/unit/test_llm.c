/* Unit tests for src/llm: configuration from the environment, the request and response JSON,
 * excerpts that never show the key, and the HTTP path against a one-shot responder forked on a
 * loopback socket (status codes, retries, Retry-After, timeout, oversized and non-JSON bodies). */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../src/base/fileio.h"
#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/llm/client.h"

/* ---- a scripted HTTP responder (also used by test_review.c) --------------------------------- */

struct test_http_reply {
        int status;            /* 0: close the connection without answering */
        const char *headers;   /* extra header lines, each ending in \r\n, or NULL */
        const char *body;      /* NULL: "" */
        size_t body_len;       /* 0: strlen(body) */
        int delay_ms;          /* before answering */
        bool no_length;        /* no Content-Length: the body ends at close */
        size_t repeat_body;    /* send body this many times (for huge bodies); 0 = 1 */
};

struct test_http_server {
        pid_t pid;
        int port;
        int log_fd; /* memfd: every request, raw, separated by "\n=== END REQUEST ===\n" */
};

/* Shared with test_review.c (no header: test files are self-contained). */
int test_http_start(struct test_http_server *s, const struct test_http_reply *script, size_t n);
void test_http_stop(struct test_http_server *s);
char *test_http_log(const struct test_http_server *s);
size_t test_http_count(const struct test_http_server *s);

static void serve_one(int conn, const struct test_http_reply *x, int log_fd) {
        char req[1 << 20];
        size_t len = 0, body_at = 0, want = 0;
        for (;;) {
                struct pollfd p = { conn, POLLIN, 0 };
                if (poll(&p, 1, 5000) <= 0)
                        return;
                ssize_t k = read(conn, req + len, sizeof(req) - 1 - len);
                if (k <= 0)
                        return;
                len += (size_t) k;
                req[len] = '\0';
                if (!body_at) {
                        char *end = strstr(req, "\r\n\r\n");
                        if (!end)
                                continue;
                        body_at = (size_t) (end - req) + 4;
                        for (char *h = req; h < end; h++)
                                if (strncasecmp(h, "\r\ncontent-length:", 17) == 0)
                                        want = strtoul(h + 17, NULL, 10);
                }
                if (len - body_at >= want)
                        break;
                if (len == sizeof(req) - 1)
                        return;
        }
        (void) !write(log_fd, req, len);
        (void) !write(log_fd, "\n=== END REQUEST ===\n", 21);
        if (x->delay_ms) {
                struct timespec ts = { x->delay_ms / 1000, (x->delay_ms % 1000) * 1000000L };
                nanosleep(&ts, NULL);
        }
        if (x->status == 0)
                return;
        const char *body = x->body ? x->body : "";
        size_t blen = x->body_len ? x->body_len : strlen(body), times = x->repeat_body ? x->repeat_body : 1;
        char head[1024];
        int hn;
        if (x->no_length)
                hn = snprintf(head, sizeof(head), "HTTP/1.1 %d Test\r\nContent-Type: application/json\r\n"
                                                  "Connection: close\r\n%s\r\n", x->status, x->headers ? x->headers : "");
        else
                hn = snprintf(head, sizeof(head), "HTTP/1.1 %d Test\r\nContent-Type: application/json\r\n"
                                                  "Content-Length: %zu\r\nConnection: close\r\n%s\r\n",
                              x->status, blen * times, x->headers ? x->headers : "");
        if (write_all(conn, head, (size_t) hn) < 0)
                return;
        for (size_t i = 0; i < times; i++)
                if (write_all(conn, body, blen) < 0)
                        return;
}

int test_http_start(struct test_http_server *s, const struct test_http_reply *script, size_t n) {
        int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        cr_assert_geq(lfd, 0);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t alen = sizeof(a);
        cr_assert_eq(bind(lfd, (struct sockaddr *) &a, sizeof(a)), 0);
        cr_assert_eq(listen(lfd, 8), 0);
        cr_assert_eq(getsockname(lfd, (struct sockaddr *) &a, &alen), 0);
        s->port = ntohs(a.sin_port);
        s->log_fd = memfd_create("http-log", MFD_CLOEXEC);
        cr_assert_geq(s->log_fd, 0);
        s->pid = fork();
        cr_assert_geq(s->pid, 0);
        if (s->pid == 0) {
                signal(SIGPIPE, SIG_IGN);
                for (size_t i = 0; i < n; i++) {
                        struct pollfd p = { lfd, POLLIN, 0 };
                        if (poll(&p, 1, 10000) <= 0)
                                _exit(1);
                        int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
                        if (conn < 0)
                                _exit(1);
                        serve_one(conn, &script[i], s->log_fd);
                        close(conn);
                }
                _exit(0);
        }
        close(lfd);
        return 0;
}

void test_http_stop(struct test_http_server *s) {
        if (s->pid > 0) {
                kill(s->pid, SIGKILL);
                waitpid(s->pid, NULL, 0);
                s->pid = 0;
        }
        if (s->log_fd >= 0)
                close(s->log_fd);
        s->log_fd = -1;
}

char *test_http_log(const struct test_http_server *s) {
        off_t end = lseek(s->log_fd, 0, SEEK_END);
        char *out = calloc(1, (size_t) end + 1);
        cr_assert_not_null(out);
        cr_assert_eq(pread(s->log_fd, out, (size_t) end, 0), end);
        return out;
}

size_t test_http_count(const struct test_http_server *s) {
        _cleanup_free_ char *log = test_http_log(s);
        size_t n = 0;
        for (const char *p = log; (p = strstr(p, "=== END REQUEST ===")); p++)
                n++;
        return n;
}

/* ---- helpers -------------------------------------------------------------------------------- */

static const char *const LLM_VARS[] = {
        "SKILLLITE_REVIEW_MODEL", "SKILLLITE_MODEL", "OPENAI_MODEL", "SKILLLITE_REVIEW_API_BASE",
        "SKILLLITE_API_BASE", "OPENAI_API_BASE", "OPENAI_BASE_URL", "SKILLLITE_REVIEW_API_KEY",
        "SKILLLITE_API_KEY", "OPENAI_API_KEY", "SKILLLITE_REVIEW_TIMEOUT_SECS", "SKILLLITE_TIMEOUT_SECS",
        "SKILLLITE_AGENT_MODEL",
};

static void clear_env(void) {
        for (size_t i = 0; i < ELEMENTSOF(LLM_VARS); i++)
                unsetenv(LLM_VARS[i]);
}

static const char OK_BODY[] =
        "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        "\"content\":\"hello there\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,"
        "\"completion_tokens\":3,\"total_tokens\":15}}";

static struct llm_config config_for(const struct test_http_server *s, long timeout_ms, const char *key) {
        static char base[64];
        snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1/", s->port);
        return (struct llm_config) { .base_url = base, .model = "test-model", .api_key = (char *) key,
                                     .timeout_ms = timeout_ms };
}

static int chat_once(const struct llm_config *c, struct llm_reply *reply, struct error *err) {
        const struct llm_message m[] = { { "system", "be brief" }, { "user", "hi" } };
        struct llm_chat_opts o = { .temperature = 0, .json_mode = true };
        return llm_chat(c, m, 2, &o, reply, err);
}

static long now_ms(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- configuration -------------------------------------------------------------------------- */

Test(llm_config, not_configured_without_model_or_base) {
        clear_env();
        struct llm_config c;
        struct error err = ERROR_INIT;
        cr_expect_eq(llm_config_from_env(&c, "review", &err), 0);
        cr_expect_null(c.model);
        setenv("SKILLLITE_MODEL", "m", 1);
        cr_expect_eq(llm_config_from_env(&c, "review", &err), 0, "a model alone is not enough");
        unsetenv("SKILLLITE_MODEL");
        setenv("SKILLLITE_API_BASE", "http://127.0.0.1:1", 1);
        cr_expect_eq(llm_config_from_env(&c, "review", &err), 0, "a base alone is not enough");
        setenv("SKILLLITE_REVIEW_MODEL", "", 1);
        cr_expect_eq(llm_config_from_env(&c, "review", &err), 0, "empty counts as unset");
        cr_expect_eq(err.code, 0);
}

Test(llm_config, precedence) {
        clear_env();
        struct llm_config c;
        struct error err = ERROR_INIT;
        setenv("OPENAI_MODEL", "openai-model", 1);
        setenv("OPENAI_BASE_URL", "https://base-url.example/v1", 1);
        setenv("OPENAI_API_KEY", "sk-openai", 1);
        cr_assert_eq(llm_config_from_env(&c, "review", &err), 1, "%s", err.msg);
        cr_expect_str_eq(c.model, "openai-model");
        cr_expect_str_eq(c.base_url, "https://base-url.example/v1");
        cr_expect_str_eq(c.api_key, "sk-openai");
        cr_expect_eq(c.timeout_ms, 60000);
        llm_config_done(&c);

        setenv("OPENAI_API_BASE", "https://api-base.example", 1);
        setenv("SKILLLITE_MODEL", "sl-model", 1);
        setenv("SKILLLITE_API_KEY", "sk-sl", 1);
        cr_assert_eq(llm_config_from_env(&c, "review", &err), 1);
        cr_expect_str_eq(c.model, "sl-model");
        cr_expect_str_eq(c.base_url, "https://api-base.example");
        cr_expect_str_eq(c.api_key, "sk-openai", "the key of the base's own family, not SKILLLITE_API_KEY");
        llm_config_done(&c);

        setenv("SKILLLITE_API_BASE", "http://sl.example", 1);
        setenv("SKILLLITE_REVIEW_MODEL", "review-model", 1);
        setenv("SKILLLITE_REVIEW_API_BASE", "http://review.example:8080/v1", 1);
        setenv("SKILLLITE_REVIEW_API_KEY", "sk-review", 1);
        setenv("SKILLLITE_REVIEW_TIMEOUT_SECS", "7", 1);
        cr_assert_eq(llm_config_from_env(&c, "review", &err), 1);
        cr_expect_str_eq(c.model, "review-model");
        cr_expect_str_eq(c.base_url, "http://review.example:8080/v1");
        cr_expect_str_eq(c.api_key, "sk-review");
        cr_expect_eq(c.timeout_ms, 7000);
        llm_config_done(&c);
        cr_expect_null(c.model);

        /* A review server of its own never receives the general keys. */
        unsetenv("SKILLLITE_REVIEW_API_KEY");
        cr_assert_eq(llm_config_from_env(&c, "review", &err), 1);
        cr_expect_str_eq(c.base_url, "http://review.example:8080/v1");
        cr_expect_null(c.api_key);
        llm_config_done(&c);
        setenv("SKILLLITE_REVIEW_API_KEY", "sk-review", 1);

        /* Another purpose does not see the review variables. */
        cr_assert_eq(llm_config_from_env(&c, "agent", &err), 1);
        cr_expect_str_eq(c.model, "sl-model");
        cr_expect_str_eq(c.base_url, "http://sl.example");
        cr_expect_eq(c.timeout_ms, 60000);
        llm_config_done(&c);
}

Test(llm_config, key_is_optional) {
        clear_env();
        setenv("SKILLLITE_MODEL", "m", 1);
        setenv("SKILLLITE_API_BASE", "http://127.0.0.1:8000", 1);
        struct llm_config c;
        cr_assert_eq(llm_config_from_env(&c, "review", NULL), 1);
        cr_expect_null(c.api_key);
        llm_config_done(&c);
}

Test(llm_config, malformed_values) {
        static const struct {
                const char *var, *value;
        } bad[] = {
                { "SKILLLITE_API_BASE", "ftp://h/" },        { "SKILLLITE_API_BASE", "file:///etc/passwd" },
                { "SKILLLITE_API_BASE", "http://" },         { "SKILLLITE_API_BASE", "https:///x" },
                { "SKILLLITE_API_BASE", "api.openai.com" },  { "SKILLLITE_API_BASE", "http://a b/" },
                { "SKILLLITE_API_BASE", "http://h/\r\nX: y" }, { "SKILLLITE_REVIEW_TIMEOUT_SECS", "0" },
                { "SKILLLITE_REVIEW_TIMEOUT_SECS", "abc" },  { "SKILLLITE_REVIEW_TIMEOUT_SECS", "10s" },
                { "SKILLLITE_REVIEW_TIMEOUT_SECS", "-5" },   { "SKILLLITE_REVIEW_TIMEOUT_SECS", "99999" },
                { "SKILLLITE_MODEL", "m\nx" },
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                clear_env();
                setenv("SKILLLITE_MODEL", "m", 1);
                setenv("SKILLLITE_API_BASE", "http://127.0.0.1:8000", 1);
                setenv(bad[i].var, bad[i].value, 1);
                struct llm_config c;
                struct error err = ERROR_INIT;
                cr_expect_eq(llm_config_from_env(&c, "review", &err), -EINVAL, "%s=%s", bad[i].var, bad[i].value);
                cr_expect(strstr(err.msg, bad[i].var), "message names the variable: %s", err.msg);
                cr_expect_null(c.model);
        }
        /* A key with a line break would inject a header; its value is never quoted. */
        clear_env();
        setenv("SKILLLITE_MODEL", "m", 1);
        setenv("SKILLLITE_API_BASE", "http://127.0.0.1:8000", 1);
        setenv("SKILLLITE_API_KEY", "sk-SECRET\r\nX-Evil: 1", 1);
        struct llm_config c;
        struct error err = ERROR_INIT;
        cr_expect_eq(llm_config_from_env(&c, "review", &err), -EINVAL);
        cr_expect(strstr(err.msg, "SKILLLITE_API_KEY"));
        cr_expect_null(strstr(err.msg, "SECRET"));
        cr_expect_eq(llm_config_from_env(&c, "re view", &err), -EINVAL, "purpose is a plain word");
}

/* ---- request and response ------------------------------------------------------------------- */

Test(llm_json, chat_url) {
        static const struct {
                const char *base, *url;
        } t[] = {
                { "https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions" },
                { "https://api.openai.com/v1/", "https://api.openai.com/v1/chat/completions" },
                { "http://127.0.0.1:8080", "http://127.0.0.1:8080/chat/completions" },
                { "http://127.0.0.1:8080///", "http://127.0.0.1:8080/chat/completions" },
                { "http://h/v1/chat/completions", "http://h/v1/chat/completions" },
                { "http://h/v1/chat/completions/", "http://h/v1/chat/completions" },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_free_ char *u = llm_chat_url(t[i].base);
                cr_assert_not_null(u);
                cr_expect_str_eq(u, t[i].url);
        }
        cr_expect_null(llm_chat_url("///"));
        cr_expect_null(llm_chat_url(NULL));
}

Test(llm_json, display_url_hides_credentials) {
        static const struct {
                const char *url, *shown;
        } t[] = {
                { "https://api.example/v1/chat/completions", "https://api.example/v1/chat/completions" },
                { "https://user:pw@api.example:8443/v1/chat/completions", "https://api.example:8443/v1/chat/completions" },
                { "http://h/chat/completions?api-key=SECRET#frag", "http://h/chat/completions" },
                { "http://h/a@b/chat/completions", "http://h/a@b/chat/completions" },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_free_ char *u = llm_display_url(t[i].url);
                cr_expect_str_eq(u, t[i].shown);
        }
}

Test(llm_json, request_body) {
        struct llm_config c = { .model = "gpt-test" };
        const struct llm_message m[] = { { "system", "S" }, { "user", "U \"quoted\"\n<<<x" } };
        struct llm_chat_opts o = { .temperature = 0.25, .max_tokens = 512, .json_mode = true };
        _cleanup_json_ json_t *j = llm_request_json(&c, m, 2, &o, NULL);
        cr_assert_not_null(j);
        cr_expect_str_eq(json_string_value(json_object_get(j, "model")), "gpt-test");
        json_t *msgs = json_object_get(j, "messages");
        cr_assert_eq(json_array_size(msgs), 2);
        cr_expect_str_eq(json_string_value(json_object_get(json_array_get(msgs, 0), "role")), "system");
        cr_expect_str_eq(json_string_value(json_object_get(json_array_get(msgs, 1), "content")), "U \"quoted\"\n<<<x");
        cr_expect_eq(json_real_value(json_object_get(j, "temperature")), 0.25);
        cr_expect_eq(json_integer_value(json_object_get(j, "max_tokens")), 512);
        cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "response_format"), "type")),
                         "json_object");
        cr_expect(json_is_false(json_object_get(j, "stream")));

        struct llm_chat_opts plain = { .temperature = -1 };
        _cleanup_json_ json_t *k = llm_request_json(&c, m, 1, &plain, NULL);
        cr_assert_not_null(k);
        cr_expect_null(json_object_get(k, "temperature"));
        cr_expect_null(json_object_get(k, "max_tokens"));
        cr_expect_null(json_object_get(k, "response_format"));

        const struct llm_message bad[] = { { "user", "bad \xff utf8" } };
        struct error err = ERROR_INIT;
        cr_expect_null(llm_request_json(&c, bad, 1, &plain, &err));
        cr_expect_eq(err.code, -EINVAL);
        const struct llm_message none[] = { { NULL, "x" } };
        cr_expect_null(llm_request_json(&c, none, 1, &plain, NULL));
}

Test(llm_json, parse_response) {
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_assert_eq(llm_parse_response(OK_BODY, strlen(OK_BODY), &r, &err), 0, "%s", err.msg);
        cr_expect_str_eq(r.content, "hello there");
        cr_expect_eq(r.content_len, 11);
        cr_expect_str_eq(r.finish_reason, "stop");
        cr_expect_eq(r.prompt_tokens, 12);
        cr_expect_eq(r.completion_tokens, 3);
        cr_expect_eq(r.total_tokens, 15);
        llm_reply_done(&r);

        const char nul[] = "{\"choices\":[{\"message\":{\"content\":\"a\\u0000b\"}}]}";
        cr_assert_eq(llm_parse_response(nul, strlen(nul), &r, NULL), 0);
        cr_expect_eq(r.content_len, 3);
        cr_expect_eq(memcmp(r.content, "a\0b", 3), 0);
        cr_expect_str_eq(r.finish_reason, "");
        cr_expect_eq(r.total_tokens, -1);
        llm_reply_done(&r);

        static const char *const bad[] = {
                "", "hello", "[]", "{}", "{\"choices\":[]}", "{\"choices\":{}}", "{\"choices\":[1]}",
                "{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[]}}]}",
                "{\"choices\":[{\"message\":{\"content\":5}}]}",
                "{\"choices\":[{\"message\":{\"content\":\"a\"}}],\"choices\":[]}", /* duplicate key */
                "{\"error\":{\"message\":\"model overloaded\"}}",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                struct error e = ERROR_INIT;
                cr_expect_eq(llm_parse_response(bad[i], strlen(bad[i]), &r, &e), -EBADMSG, "'%s'", bad[i]);
        }
        struct error e = ERROR_INIT;
        const char *over = "{\"error\":{\"message\":\"model overloaded\"}}";
        llm_parse_response(over, strlen(over), &r, &e);
        cr_expect(strstr(e.msg, "model overloaded"), "%s", e.msg);
}

Test(llm_json, sanitize_excerpt) {
        const char body[] = "line1\nkey=sk-SECRET-123\x01\x1b[31m and \xc3\xa9 sk-SECRET-123";
        _cleanup_free_ char *x = llm_sanitize_excerpt(body, sizeof(body) - 1, 200, "sk-SECRET-123");
        cr_assert_not_null(x);
        cr_expect_null(strstr(x, "SECRET"), "%s", x);
        cr_expect_str_eq(x, "line1 key=[redacted]??[31m and ?? [redacted]");
        char big[1000];
        memset(big, 'a', sizeof(big));
        _cleanup_free_ char *y = llm_sanitize_excerpt(big, sizeof(big), 50, NULL);
        cr_expect_eq(strlen(y), 53);
        cr_expect_eq(strcmp(y + 50, "..."), 0);
        /* A key that straddles the cut is redacted, not half shown. */
        char tail[80];
        memset(tail, 'b', 45);
        memcpy(tail + 45, "sk-SECRET-123", 13);
        _cleanup_free_ char *z = llm_sanitize_excerpt(tail, 58, 50, "sk-SECRET-123");
        cr_expect_null(strstr(z, "sk-SEC"), "%s", z);
}

/* ---- HTTP ----------------------------------------------------------------------------------- */

static void server_donep(struct test_http_server *s) {
        test_http_stop(s);
}
#define _cleanup_server_ _cleanup_(server_donep)

Test(llm_http, ok_and_what_was_sent) {
        const struct test_http_reply script[] = { { 200, NULL, OK_BODY } };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 1);
        struct llm_config c = config_for(&s, 5000, "sk-test-key");
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_assert_eq(chat_once(&c, &r, &err), 0, "%s", err.msg);
        cr_expect_str_eq(r.content, "hello there");
        cr_expect_eq(r.total_tokens, 15);
        llm_reply_done(&r);
        _cleanup_free_ char *log = test_http_log(&s);
        cr_expect(strncmp(log, "POST /v1/chat/completions HTTP/1.1\r\n", 36) == 0, "%s", log);
        cr_expect(strcasestr(log, "\r\nAuthorization: Bearer sk-test-key\r\n"), "%s", log);
        cr_expect(strcasestr(log, "\r\nContent-Type: application/json\r\n"));
        cr_expect_null(strcasestr(log, "Expect: 100"), "no 100-continue");
        const char *body = strstr(log, "\r\n\r\n") + 4;
        _cleanup_json_ json_t *j = json_loadb(body, strstr(body, "\n=== END") - body, 0, NULL);
        cr_assert_not_null(j, "%s", body);
        cr_expect_str_eq(json_string_value(json_object_get(j, "model")), "test-model");
        cr_expect_eq(json_array_size(json_object_get(j, "messages")), 2);
}

Test(llm_http, no_key_no_authorization_header) {
        const struct test_http_reply script[] = { { 200, NULL, OK_BODY } };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 1);
        struct llm_config c = config_for(&s, 5000, NULL);
        struct llm_reply r;
        cr_assert_eq(chat_once(&c, &r, NULL), 0);
        llm_reply_done(&r);
        _cleanup_free_ char *log = test_http_log(&s);
        cr_expect_null(strcasestr(log, "Authorization"), "%s", log);
}

Test(llm_http, status_400_and_401_are_not_retried) {
        const struct test_http_reply script[] = {
                { 400, NULL, "{\"error\":{\"message\":\"bad model name\",\"type\":\"invalid_request_error\"}}" },
                { 401, NULL, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-key\"}}" },
        };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 2);
        struct llm_config c = config_for(&s, 5000, "sk-test-key");
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_expect_eq(chat_once(&c, &r, &err), -EINVAL);
        cr_expect(strstr(err.msg, "HTTP 400"), "%s", err.msg);
        cr_expect(strstr(err.msg, "bad model name"), "%s", err.msg);
        error_clear(&err);
        cr_expect_eq(chat_once(&c, &r, &err), -EACCES);
        cr_expect(strstr(err.msg, "HTTP 401"), "%s", err.msg);
        cr_expect(strstr(err.msg, "Incorrect API key"), "%s", err.msg);
        cr_expect_null(strstr(err.msg, "sk-test-key"), "the key is never shown: %s", err.msg);
        cr_expect_eq(test_http_count(&s), 2);
}

Test(llm_http, status_429_then_200_is_retried) {
        const struct test_http_reply script[] = {
                { 429, "Retry-After: 0\r\n", "{\"error\":{\"message\":\"slow down\"}}" },
                { 200, NULL, OK_BODY },
        };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 2);
        struct llm_config c = config_for(&s, 5000, NULL);
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_assert_eq(chat_once(&c, &r, &err), 0, "%s", err.msg);
        cr_expect_str_eq(r.content, "hello there");
        llm_reply_done(&r);
        cr_expect_eq(test_http_count(&s), 2);
}

Test(llm_http, retry_after_is_honoured) {
        const struct test_http_reply script[] = {
                { 503, "Retry-After: 1\r\n", "busy" },
                { 200, NULL, OK_BODY },
        };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 2);
        struct llm_config c = config_for(&s, 5000, NULL);
        struct llm_reply r;
        long t0 = now_ms();
        cr_assert_eq(chat_once(&c, &r, NULL), 0);
        cr_expect_geq(now_ms() - t0, 950);
        llm_reply_done(&r);
}

Test(llm_http, status_500_gives_up_after_two_retries) {
        const struct test_http_reply script[] = {
                { 500, NULL, "<html>internal error</html>" },
                { 502, NULL, "bad gateway" },
                { 500, NULL, "<html>internal error\x01\x02</html>" },
                { 200, NULL, OK_BODY }, /* never reached */
        };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 4);
        struct llm_config c = config_for(&s, 5000, NULL);
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_expect_eq(chat_once(&c, &r, &err), -EIO);
        cr_expect(strstr(err.msg, "HTTP 500"), "%s", err.msg);
        cr_expect(strstr(err.msg, "<html>internal error?" "?</html>"), "sanitized excerpt: %s", err.msg);
        cr_expect_eq(test_http_count(&s), 3);
}

Test(llm_http, timeout) {
        const struct test_http_reply script[] = { { 200, NULL, OK_BODY, 0, 3000 } };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 1);
        struct llm_config c = config_for(&s, 300, NULL);
        struct llm_reply r;
        struct error err = ERROR_INIT;
        long t0 = now_ms();
        cr_expect_eq(chat_once(&c, &r, &err), -ETIMEDOUT, "%s", err.msg);
        cr_expect_lt(now_ms() - t0, 2500);
}

Test(llm_http, oversized_body_with_length) {
        static char chunk[64 * 1024];
        memset(chunk, ' ', sizeof(chunk));
        const struct test_http_reply script[] = { { 200, NULL, chunk, sizeof(chunk), 0, false, 80 } };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 1);
        struct llm_config c = config_for(&s, 5000, NULL);
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_expect_eq(chat_once(&c, &r, &err), -EFBIG, "%s", err.msg);
}

Test(llm_http, oversized_body_without_length) {
        static char chunk[64 * 1024];
        memset(chunk, ' ', sizeof(chunk));
        const struct test_http_reply script[] = { { 200, NULL, chunk, sizeof(chunk), 0, true, 80 } };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 1);
        struct llm_config c = config_for(&s, 5000, NULL);
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_expect_eq(chat_once(&c, &r, &err), -EFBIG, "%s", err.msg);
}

Test(llm_http, non_json_body) {
        const struct test_http_reply script[] = { { 200, NULL, "<html>captive portal sk-test-key</html>" } };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 1);
        struct llm_config c = config_for(&s, 5000, "sk-test-key");
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_expect_eq(chat_once(&c, &r, &err), -EBADMSG);
        cr_expect(strstr(err.msg, "captive portal"), "%s", err.msg);
        cr_expect_null(strstr(err.msg, "sk-test-key"), "%s", err.msg);
}

Test(llm_http, redirect_is_not_followed) {
        const struct test_http_reply script[] = {
                { 307, "Location: http://127.0.0.1:1/elsewhere\r\n", "" },
                { 200, NULL, OK_BODY },
        };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 2);
        struct llm_config c = config_for(&s, 5000, "sk-test-key");
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_expect_eq(chat_once(&c, &r, &err), -EIO);
        cr_expect(strstr(err.msg, "307"), "%s", err.msg);
        cr_expect_eq(test_http_count(&s), 1);
}

Test(llm_http, connection_closed_and_refused) {
        const struct test_http_reply script[] = { { 0 } };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 1);
        struct llm_config c = config_for(&s, 5000, NULL);
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_expect_eq(chat_once(&c, &r, &err), -EIO, "empty reply: %s", err.msg);
        test_http_stop(&s); /* nobody listens on the port any more */
        error_clear(&err);
        cr_expect_eq(chat_once(&c, &r, &err), -ECONNREFUSED, "%s", err.msg);
}

Test(llm_http, only_http_and_https) {
        struct llm_config c = { .base_url = "file:///etc/passwd#", .model = "m", .timeout_ms = 1000 };
        struct llm_reply r;
        struct error err = ERROR_INIT;
        cr_expect_lt(chat_once(&c, &r, &err), 0);
        cr_expect(err.code < 0 && err.msg[0]);
        struct llm_config unset = { 0 };
        cr_expect_eq(chat_once(&unset, &r, NULL), -EINVAL);
}
