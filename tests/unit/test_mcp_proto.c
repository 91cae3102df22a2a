/* Unit tests for src/rpc/mcp_proto: version negotiation, JSON-RPC message shapes, tool results
 * built from `run --json` envelopes, tool names of skills and scripts, scan summaries, and the
 * one-use scan_id tokens (expiry, binding to subject and content hash, capacity). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/json.h"
#include "../../src/base/utf8.h"
#include "../../src/rpc/mcp_proto.h"

static json_t *parse(const char *s) {
        json_error_t e;
        json_t *j = json_loads(s, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
        cr_assert_not_null(j, "%s: %s", s, e.text);
        return j;
}

static const char *text_of(const json_t *res) {
        return json_string_value(json_object_get(json_array_get(json_object_get(res, "content"), 0), "text"));
}

Test(mcp_proto, versions) {
        cr_expect(mcp_version_supported("2025-11-25"));
        cr_expect(mcp_version_supported("2025-06-18"));
        cr_expect(mcp_version_supported("2024-11-05"));
        cr_expect_not(mcp_version_supported("2025-03-26"));
        cr_expect_not(mcp_version_supported("2026-07-28"));
        cr_expect_not(mcp_version_supported(NULL));
        cr_expect_str_eq(mcp_version_negotiate("2025-06-18"), "2025-06-18");
        cr_expect_str_eq(mcp_version_negotiate("2024-11-05"), "2024-11-05");
        cr_expect_str_eq(mcp_version_negotiate("1999-01-01"), MCP_VERSION_LATEST);
        cr_expect_str_eq(mcp_version_negotiate("2099-01-01"), MCP_VERSION_LATEST);
        cr_expect_str_eq(mcp_version_negotiate(""), MCP_VERSION_LATEST);
        cr_expect_str_eq(mcp_version_negotiate(NULL), MCP_VERSION_LATEST);
        cr_expect(mcp_version_at_least("2025-06-18", "2025-06-18"));
        cr_expect(mcp_version_at_least("2025-11-25", "2025-06-18"));
        cr_expect_not(mcp_version_at_least("2024-11-05", "2025-06-18"));
        cr_expect_not(mcp_version_at_least(NULL, "2025-06-18"));
}

Test(mcp_proto, classify) {
        static const struct {
                const char *msg;
                enum mcp_msg_kind kind;
        } cases[] = {
                { "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", MCP_MSG_REQUEST },
                { "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\",\"params\":{}}", MCP_MSG_REQUEST },
                { "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", MCP_MSG_NOTIFICATION },
                { "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}", MCP_MSG_RESPONSE },
                { "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":1,\"message\":\"x\"}}", MCP_MSG_RESPONSE },
                { "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", MCP_MSG_INVALID },
                { "\"ping\"", MCP_MSG_INVALID },
                { "{\"id\":1,\"method\":\"ping\"}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{}}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":\"2.0\",\"id\":1}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":\"2.0\",\"result\":{}}", MCP_MSG_INVALID },
                { "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"pi\\u0000ng\"}", MCP_MSG_INVALID },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                json_t *j = parse(cases[i].msg);
                const char *why = "unset";
                enum mcp_msg_kind k = mcp_msg_classify(j, &why);
                cr_expect_eq(k, cases[i].kind, "%s: got %d", cases[i].msg, k);
                if (k == MCP_MSG_INVALID)
                        cr_expect(why && *why, "%s: a reason", cases[i].msg);
                else
                        cr_expect_null(why);
                json_decref(j);
        }
        json_t *batch = parse("[]");
        const char *why;
        cr_expect_eq(mcp_msg_classify(batch, &why), MCP_MSG_INVALID);
        cr_expect(strstr(why, "batch"));
        json_decref(batch);
}

Test(mcp_proto, builders) {
        json_t *id = json_integer(7);
        json_t *e = mcp_error_new(id, MCP_METHOD_NOT_FOUND, "nope", json_pack("{s:s}", "k", "v"));
        _cleanup_free_ char *s = json_dumps(e, JSON_COMPACT);
        cr_expect_str_eq(s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,\"message\":\"nope\",\"data\":{\"k\":\"v\"}}}");
        json_decref(e);
        e = mcp_error_new(NULL, MCP_PARSE_ERROR, "bad", NULL);
        _cleanup_free_ char *s2 = json_dumps(e, JSON_COMPACT);
        cr_expect_str_eq(s2, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"bad\"}}");
        json_decref(e);
        json_t *r = mcp_response_new(id, json_object());
        _cleanup_free_ char *s3 = json_dumps(r, JSON_COMPACT);
        cr_expect_str_eq(s3, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}");
        json_decref(r);
        cr_expect_null(mcp_response_new(id, NULL));
        e = mcp_error_unsupported_version(id, "2026-07-28");
        _cleanup_free_ char *s4 = json_dumps(e, JSON_COMPACT);
        cr_expect_str_eq(s4, "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32022,\"message\":\"Unsupported "
                             "protocol version\",\"data\":{\"requested\":\"2026-07-28\",\"supported\":[\"2025-11-25\","
                             "\"2025-06-18\",\"2024-11-05\"]}}}");
        json_decref(e);
        json_decref(id);
}

Test(mcp_proto, tool_result_by_version) {
        json_t *r = mcp_tool_result("2025-06-18", "hi", false, json_pack("{s:i}", "a", 1));
        cr_expect_str_eq(text_of(r), "hi");
        cr_expect(json_is_false(json_object_get(r, "isError")));
        cr_expect_eq(json_integer_value(json_object_get(json_object_get(r, "structuredContent"), "a")), 1);
        json_decref(r);
        r = mcp_tool_result("2024-11-05", "hi", true, json_pack("{s:i}", "a", 1));
        cr_expect_null(json_object_get(r, "structuredContent"));
        cr_expect(json_is_true(json_object_get(r, "isError")));
        json_decref(r);
        /* non-objects are wrapped: structuredContent is an object in 2025-xx */
        r = mcp_tool_result("2025-11-25", "[1]", false, json_pack("[i]", 1));
        json_t *sc = json_object_get(r, "structuredContent");
        cr_expect(json_is_object(sc));
        cr_expect(json_is_array(json_object_get(sc, "result")));
        json_decref(r);
        r = mcp_tool_result("2025-11-25", NULL, false, NULL);
        cr_expect_str_eq(text_of(r), "");
        cr_expect_null(json_object_get(r, "structuredContent"));
        json_decref(r);
}

Test(mcp_proto, result_from_run) {
        json_t *env = parse("{\"ok\":true,\"exit_code\":0,\"reason\":\"ok\",\"output\":{\"result\":3},\"stdout\":\"{\\\"result\\\": 3}\\n\",\"stderr\":\"\"}");
        json_t *r = mcp_tool_result_from_run("2025-11-25", env, 0, "", false);
        cr_expect(json_is_false(json_object_get(r, "isError")));
        cr_expect_str_eq(text_of(r), "{\"result\":3}");
        cr_expect(json_equal(json_object_get(r, "structuredContent"), json_object_get(env, "output")));
        json_decref(r);
        json_decref(env);

        /* plain text is a failure for a skill, the result for execute_code */
        env = parse("{\"ok\":false,\"exit_code\":1,\"reason\":\"ok\",\"output\":null,\"stdout\":\"hi\\n\",\"stderr\":\"\","
                    "\"error\":\"the skill's output is not a single JSON value\"}");
        r = mcp_tool_result_from_run("2025-11-25", env, 1, "", false);
        cr_expect(json_is_true(json_object_get(r, "isError")));
        cr_expect(strstr(text_of(r), "not a single JSON value"));
        cr_expect(strstr(text_of(r), "stdout:\nhi"));
        cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r, "structuredContent"), "reason")), "ok");
        json_decref(r);
        r = mcp_tool_result_from_run("2025-11-25", env, 1, "", true);
        cr_expect(json_is_false(json_object_get(r, "isError")));
        cr_expect_str_eq(text_of(r), "hi\n");
        json_decref(r);
        json_decref(env);

        /* a failed run: reason, stderr, and the integrity record */
        env = parse("{\"ok\":false,\"exit_code\":3,\"reason\":\"integrity_changed\",\"error\":\"refused: changed\","
                    "\"integrity\":{\"status\":\"integrity_changed\"}}");
        r = mcp_tool_result_from_run("2025-06-18", env, 3, "", true);
        cr_expect(json_is_true(json_object_get(r, "isError")));
        cr_expect(strstr(text_of(r), "Error: refused: changed (integrity_changed)"));
        json_t *sc = json_object_get(r, "structuredContent");
        cr_expect_str_eq(json_string_value(json_object_get(json_object_get(sc, "integrity"), "status")), "integrity_changed");
        json_decref(r);
        json_decref(env);

        /* refused by the scan: its findings are quoted */
        env = parse("{\"ok\":false,\"exit_code\":3,\"reason\":\"scan_critical\",\"error\":\"refused\",\"scan\":{\"verdict\":"
                    "\"critical\",\"findings\":[{\"severity\":\"critical\",\"file\":\"scripts/main.py\",\"line\":2,"
                    "\"message\":\"rm -rf /\"}]}}");
        r = mcp_tool_result_from_run("2025-06-18", env, 3, "", false);
        cr_expect(strstr(text_of(r), "[critical] scripts/main.py:2: rm -rf /"));
        json_decref(r);
        json_decref(env);

        /* no envelope at all */
        r = mcp_tool_result_from_run("2025-06-18", NULL, -1, "the engine's child was killed", false);
        cr_expect(json_is_true(json_object_get(r, "isError")));
        cr_expect_str_eq(text_of(r), "Error: the engine's child was killed");
        json_decref(r);
        r = mcp_tool_result_from_run("2025-06-18", NULL, 1, NULL, false);
        cr_expect_str_eq(text_of(r), "Error: the command failed");
        json_decref(r);

        /* huge stderr: only its tail is quoted, on a character boundary */
        size_t n = 20000;
        _cleanup_free_ char *big = malloc(n + 1);
        cr_assert_not_null(big);
        for (size_t i = 0; i + 1 < n; i += 2)
                memcpy(big + i, "\xc3\xa9", 2); /* é */
        big[n] = '\0';
        env = json_pack("{s:b, s:s, s:s, s:s}", "ok", 0, "reason", "exit", "error", "failed", "stderr", big);
        cr_assert_not_null(env);
        r = mcp_tool_result_from_run("2025-06-18", env, 1, "", false);
        cr_assert_not_null(r);
        cr_expect_lt(strlen(text_of(r)), 5000);
        cr_expect(utf8_is_valid(text_of(r), strlen(text_of(r))));
        json_decref(r);
        json_decref(env);
}

Test(mcp_proto, skill_names) {
        static const char *const good[] = { "a", "calculator", "hash-text", "a1-b2-c3", "0" };
        static const char *const bad[] = { "", "-a", "a-", "a--b", "A", "a_b", "a.b", "a/b", "a b", "ü",
                                           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                cr_expect(mcp_skill_name_valid(good[i]), "%s", good[i]);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                cr_expect_not(mcp_skill_name_valid(bad[i]), "%s", bad[i]);
        cr_expect_not(mcp_skill_name_valid(NULL));
        cr_expect(mcp_skill_name_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 64 */
}

Test(mcp_proto, script_tool_names) {
        static const struct {
                const char *skill, *path, *want;
        } cases[] = {
                { "unit-converter", "scripts/length.py", "unit-converter_length" },
                { "x", "scripts/a.b.py", "x_a-b" },
                { "x", "scripts/sub/run_it.sh", "x_run-it" },
                { "x", "main", "x_main" },
                { "x", "scripts/Ünï.py", "x_--n--" },
                { "x", "scripts/.hidden", "x_-hidden" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *n = mcp_script_tool_name(cases[i].skill, cases[i].path);
                cr_assert_not_null(n, "%s", cases[i].path);
                cr_expect_str_eq(n, cases[i].want);
        }
        cr_expect_null(mcp_script_tool_name("x", "scripts/"));
        char longpath[200];
        memset(longpath, 'a', sizeof(longpath) - 1);
        longpath[sizeof(longpath) - 1] = '\0';
        cr_expect_null(mcp_script_tool_name("x", longpath));
}

Test(mcp_proto, tool_name_split) {
        char *skill, *stem;
        cr_assert(mcp_tool_name_split("calculator", &skill, &stem));
        cr_expect_str_eq(skill, "calculator");
        cr_expect_null(stem);
        free(skill);
        cr_assert(mcp_tool_name_split("unit-converter_length", &skill, &stem));
        cr_expect_str_eq(skill, "unit-converter");
        cr_expect_str_eq(stem, "length");
        free(skill);
        free(stem);
        cr_assert(mcp_tool_name_split("a_b_c", &skill, &stem));
        cr_expect_str_eq(stem, "b_c");
        free(skill);
        free(stem);
        static const char *const bad[] = { "", "_x", "x_", "Calc", "../x", "a b", "list-skills-", "-x_y" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                cr_expect_not(mcp_tool_name_split(bad[i], &skill, &stem), "%s", bad[i]);
                cr_expect(skill == NULL && stem == NULL);
        }
}

Test(mcp_proto, verdicts) {
        cr_expect_lt(mcp_verdict_rank("safe"), mcp_verdict_rank("low"));
        cr_expect_lt(mcp_verdict_rank("low"), mcp_verdict_rank("medium"));
        cr_expect_lt(mcp_verdict_rank("medium"), mcp_verdict_rank("high"));
        cr_expect_lt(mcp_verdict_rank("high"), mcp_verdict_rank("critical"));
        cr_expect_lt(mcp_verdict_rank("bogus"), 0);
        cr_expect_lt(mcp_verdict_rank(NULL), 0);
}

Test(mcp_proto, scan_summary) {
        json_t *rep = parse("{\"findings\":["
                            "{\"severity\":\"low\",\"file\":\"a.py\",\"line\":1,\"message\":\"hidden\"},"
                            "{\"severity\":\"high\",\"file\":\"b.py\",\"line\":2,\"message\":\"line\\nbreak\\u001b[31m\"},"
                            "{\"severity\":\"medium\",\"file\":\"c.py\",\"message\":\"no line\"},"
                            "{\"severity\":\"critical\",\"file\":\"d.py\",\"line\":4,\"message\":\"d\"}]}");
        _cleanup_free_ char *all = mcp_scan_summary(rep, 10);
        cr_assert_not_null(all);
        cr_expect_str_eq(all, "- [high] b.py:2: line break [31m\n- [medium] c.py: no line\n- [critical] d.py:4: d");
        _cleanup_free_ char *one = mcp_scan_summary(rep, 1);
        cr_expect_str_eq(one, "- [high] b.py:2: line break [31m\n(and 2 more)");
        json_decref(rep);
        rep = parse("{\"findings\":[]}");
        _cleanup_free_ char *none = mcp_scan_summary(rep, 10);
        cr_expect_str_eq(none, "");
        json_decref(rep);
        /* long messages are cut on a character boundary */
        char msg[1200];
        size_t k = 0;
        while (k + 3 < sizeof(msg)) {
                memcpy(msg + k, "\xe2\x82\xac", 3); /* € */
                k += 3;
        }
        msg[k] = '\0';
        rep = json_pack("{s:[{s:s, s:s, s:s}]}", "findings", "severity", "high", "file", "x", "message", msg);
        _cleanup_free_ char *cut = mcp_scan_summary(rep, 10);
        cr_assert_not_null(cut);
        cr_expect_lt(strlen(cut), 300);
        cr_expect(utf8_is_valid(cut, strlen(cut)));
        cr_expect(strstr(cut, "..."));
        json_decref(rep);
}

Test(mcp_proto, tokens_one_use_and_bound) {
        static struct mcp_tokens t;
        char id[MCP_TOKEN_ID_LEN + 1], id2[MCP_TOKEN_ID_LEN + 1];
        cr_assert_eq(mcp_tokens_issue(&t, "code:python", "h1", 1000, 300000, id), 0);
        cr_expect_eq(strlen(id), 32);
        cr_expect_eq(strspn(id, "0123456789abcdef"), 32);
        cr_assert_eq(mcp_tokens_issue(&t, "code:python", "h1", 1000, 300000, id2), 0);
        cr_expect_str_neq(id, id2);
        cr_expect_eq(mcp_tokens_redeem(&t, id, "code:python", "h1", 2000), MCP_TOKEN_OK);
        cr_expect_eq(mcp_tokens_redeem(&t, id, "code:python", "h1", 2000), MCP_TOKEN_UNKNOWN);
        cr_expect_eq(mcp_tokens_redeem(&t, "0123456789abcdef0123456789abcdef", "code:python", "h1", 2000),
                     MCP_TOKEN_UNKNOWN);
        cr_expect_eq(mcp_tokens_redeem(&t, NULL, "code:python", "h1", 2000), MCP_TOKEN_UNKNOWN);
        /* presented with the wrong content: refused and spent */
        cr_expect_eq(mcp_tokens_redeem(&t, id2, "code:python", "h2", 2000), MCP_TOKEN_CHANGED);
        cr_expect_eq(mcp_tokens_redeem(&t, id2, "code:python", "h1", 2000), MCP_TOKEN_UNKNOWN);
        cr_assert_eq(mcp_tokens_issue(&t, "skill:a", "h1", 1000, 300000, id), 0);
        cr_expect_eq(mcp_tokens_redeem(&t, id, "skill:b", "h1", 2000), MCP_TOKEN_OTHER_SUBJECT);
        cr_assert_eq(mcp_tokens_issue(&t, "skill:a", "h1", 1000, 300000, id), 0);
        cr_expect_eq(mcp_tokens_redeem(&t, id, "skill:a", "h1", 301000), MCP_TOKEN_EXPIRED);
        cr_expect_eq(t.n, 0);
        for (enum mcp_token_check c = MCP_TOKEN_OK; c <= MCP_TOKEN_CHANGED; c++)
                cr_expect(strlen(mcp_token_check_to_string(c)) > 3);
        mcp_tokens_clear(&t);
}

Test(mcp_proto, tokens_capacity_and_sweep) {
        static struct mcp_tokens t;
        char first[MCP_TOKEN_ID_LEN + 1], id[MCP_TOKEN_ID_LEN + 1], last[MCP_TOKEN_ID_LEN + 1];
        cr_assert_eq(mcp_tokens_issue(&t, "s", "h", 0, 1000000, first), 0);
        for (int i = 1; i < MCP_TOKENS_MAX; i++)
                cr_assert_eq(mcp_tokens_issue(&t, "s", "h", 0, 1000000, id), 0);
        cr_expect_eq(t.n, MCP_TOKENS_MAX);
        cr_assert_eq(mcp_tokens_issue(&t, "s", "h", 0, 1000000, last), 0);
        cr_expect_eq(t.n, MCP_TOKENS_MAX);
        cr_expect_eq(mcp_tokens_redeem(&t, first, "s", "h", 1), MCP_TOKEN_UNKNOWN); /* the oldest went */
        cr_expect_eq(mcp_tokens_redeem(&t, last, "s", "h", 1), MCP_TOKEN_OK);
        /* expired ones are swept when the next is issued */
        cr_assert_eq(mcp_tokens_issue(&t, "s", "h", 2000000, 10, id), 0);
        cr_expect_eq(t.n, 1);
        mcp_tokens_clear(&t);
        cr_expect_eq(t.n, 0);
}

Test(mcp_proto, code_hash_and_random) {
        char h[65];
        cr_assert_eq(mcp_code_hash("python", "print(1)", 8, h), 0);
        cr_expect_str_eq(h, "b47c30757163417b933315727bc16abbc529be32c888b8daff9e688fbd21976c");
        char h2[65];
        cr_assert_eq(mcp_code_hash("bash", "print(1)", 8, h2), 0);
        cr_expect_str_neq(h, h2);
        char a[MCP_TOKEN_ID_LEN + 1], b[MCP_TOKEN_ID_LEN + 1];
        cr_assert_eq(mcp_random_hex(a), 0);
        cr_assert_eq(mcp_random_hex(b), 0);
        cr_expect_str_neq(a, b);
        cr_expect_eq(strlen(a), 32);
}
