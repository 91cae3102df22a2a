/* Method -> CLI command. Every option is validated here and passed as its own argv element. A
 * client must not smuggle an option in through a value (a skill named "--yes", say): our commands
 * parse options before positionals, so positional values starting with '-' are refused. */
#include "methods.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/json.h"
#include "../base/macros.h"
#include "../base/path.h"
#include "../base/strv.h"
#include "../skill/catalog.h"

#define RPC_INPUT_MAX (16u << 20)

void method_call_done(struct method_call *c) {
        strv_free(c->argv);
        free(c->input);
        free(c->pool_key);
        *c = (struct method_call) { 0 };
}

static int push(struct method_call *c, const char *s) {
        return strv_pushn(&c->argv, &c->argc, s, strlen(s));
}

static int pushf(struct method_call *c, const char *opt, long long v) {
        char num[32];
        snprintf(num, sizeof(num), "%lld", v);
        int r = push(c, opt);
        return r ?: push(c, num);
}

/* An installed name (looked up in the skills directories) or a directory path. */
static int resolve_skill(const char *skills_dir, const char *s, char **ret, struct error *err) {
        if (!*s || s[0] == '-')
                return error_set(err, -EINVAL, "invalid skill \"%s\"", s);
        bool is_name = !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
        if (is_name) {
                _cleanup_strv_free_ char **dirs = NULL;
                if (catalog_resolve_dirs(skills_dir, &dirs) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                for (char **d = dirs; d && *d; d++) {
                        _cleanup_free_ char *p = path_join(*d, s);
                        if (!p)
                                return error_set(err, -ENOMEM, "out of memory");
                        if (path_is_dir(p)) {
                                *ret = TAKE_PTR(p);
                                return 0;
                        }
                }
        }
        if (path_is_dir(s)) {
                *ret = strdup(s);
                return *ret ? 0 : error_set(err, -ENOMEM, "out of memory");
        }
        return error_set(err, -ENXIO, "no skill \"%s\"%s", s,
                         is_name ? " in the skills directory (nor a directory of that name)" : "");
}

static int get_string(const json_t *params, const char *key, bool required, const char **ret, struct error *err) {
        json_t *v = json_object_get(params, key);
        *ret = NULL;
        if (!v || json_is_null(v))
                return required ? error_set(err, -EINVAL, "params.%s is required", key) : 0;
        if (!json_is_string(v))
                return error_set(err, -EINVAL, "params.%s must be a string", key);
        *ret = json_string_value(v);
        if (strlen(*ret) != json_string_length(v))
                return error_set(err, -EINVAL, "params.%s contains a NUL character", key);
        return 0;
}

static int get_uint(const json_t *o, const char *key, long long lo, long long hi, long long *ret, struct error *err) {
        json_t *v = json_object_get(o, key);
        *ret = -1;
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
                return error_set(err, -EINVAL, "options.%s must be an integer from %lld to %lld", key, lo, hi);
        *ret = json_integer_value(v);
        return 0;
}

static int add_network(struct method_call *c, json_t *v, struct error *err) {
        if (json_is_boolean(v))
                return json_is_true(v) ? push(c, "--allow-network") : push(c, "--no-network");
        if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 64)
                return error_set(err, -EINVAL, "options.allow_network must be a boolean or 1-64 host names");
        _cleanup_free_ char *joined = NULL;
        size_t len = 0;
        size_t i;
        json_t *h;
        json_array_foreach(v, i, h) {
                const char *s = json_string_value(h);
                if (!s || !*s || strlen(s) > 255 || strpbrk(s, ", \t\r\n") || strlen(s) != json_string_length(h))
                        return error_set(err, -EINVAL, "options.allow_network[%zu] is not a host pattern", i);
                size_t n = strlen(s);
                char *nj = realloc(joined, len + n + 2);
                if (!nj)
                        return -ENOMEM;
                joined = nj;
                if (len)
                        joined[len++] = ',';
                memcpy(joined + len, s, n + 1);
                len += n;
        }
        _cleanup_free_ char *opt = NULL;
        if (asprintf(&opt, "--allow-network=%s", joined) < 0)
                return -ENOMEM;
        return push(c, opt);
}

/* options -> run/exec/bash flags. Unknown keys are an error: a typo must not silently run
 * with defaults. */
static int add_run_options(struct method_call *c, const json_t *params, struct error *err) {
        json_t *o = json_object_get(params, "options");
        if (!o || json_is_null(o))
                return 0;
        if (!json_is_object(o))
                return error_set(err, -EINVAL, "params.options must be an object");
        static const char *const known[] = { "sandbox_level", "timeout", "max_memory", "max_procs",
                                             "max_output", "allow_network", "approve", "approve_hash" };
        const char *key;
        json_t *v;
        json_object_foreach((json_t *) o, key, v) {
                bool ok = false;
                for (size_t i = 0; i < ELEMENTSOF(known); i++)
                        ok = ok || streq(key, known[i]);
                if (!ok)
                        return error_set(err, -EINVAL, "unknown option \"%.64s\"", key);
        }
        long long n;
        int r;
        if ((r = get_uint(o, "sandbox_level", 1, 3, &n, err)) < 0)
                return r;
        if (n > 0 && (r = pushf(c, "--sandbox-level", n)) < 0)
                return r;
        if ((r = get_uint(o, "timeout", 1, 86400, &n, err)) < 0)
                return r;
        if (n > 0 && (r = pushf(c, "--timeout", n)) < 0)
                return r;
        if ((r = get_uint(o, "max_memory", 1, 1 << 20, &n, err)) < 0)
                return r;
        if (n > 0 && (r = pushf(c, "--max-memory", n)) < 0)
                return r;
        if ((r = get_uint(o, "max_procs", 1, 4096, &n, err)) < 0)
                return r;
        if (n > 0 && (r = pushf(c, "--max-procs", n)) < 0)
                return r;
        if ((r = get_uint(o, "max_output", 1024, 1LL << 30, &n, err)) < 0)
                return r;
        if (n > 0 && (r = pushf(c, "--max-output", n)) < 0)
                return r;
        v = json_object_get(o, "allow_network");
        if (v && !json_is_null(v) && (r = add_network(c, v, err)) < 0)
                return r;
        v = json_object_get(o, "approve");
        if (v && !json_is_null(v) && !json_is_boolean(v))
                return error_set(err, -EINVAL, "options.approve must be a boolean");
        if (json_is_true(v) && (r = push(c, "--yes")) < 0)
                return r;
        v = json_object_get(o, "approve_hash");
        if (v && !json_is_null(v)) {
                const char *h = json_string_value(v);
                if (!h || strlen(h) != 64 || strspn(h, "0123456789abcdef") != 64)
                        return error_set(err, -EINVAL, "options.approve_hash must be a skill hash (64 hex digits)");
                if ((r = push(c, "--approve-hash")) < 0 || (r = push(c, h)) < 0)
                        return r;
        }
        return 0;
}

static int set_input(struct method_call *c, const json_t *params, struct error *err) {
        json_t *in = json_object_get(params, "input");
        /* The original's daemon took the input as a JSON text: accept both. */
        json_t *text = json_object_get(params, "input_json");
        if (text && !in) {
                if (!json_is_string(text))
                        return error_set(err, -EINVAL, "params.input_json must be a string");
                struct error perr = ERROR_INIT;
                json_t *parsed = json_parse_strict(json_string_value(text), json_string_length(text), RPC_INPUT_MAX, &perr);
                if (!parsed)
                        return error_set(err, -EINVAL, "params.input_json is not JSON: %s", perr.msg);
                c->input = json_dumps(parsed, JSON_COMPACT | JSON_ENCODE_ANY);
                json_decref(parsed);
        } else if (in)
                c->input = json_dumps(in, JSON_COMPACT | JSON_ENCODE_ANY);
        else
                c->input = strdup("{}");
        if (!c->input)
                return error_set(err, -ENOMEM, "out of memory");
        c->input_len = strlen(c->input);
        if (c->input_len > RPC_INPUT_MAX)
                return error_set(err, -EINVAL, "params.input is larger than %u bytes", RPC_INPUT_MAX);
        return 0;
}

static char *join_argv(char **argv) {
        size_t len = 1;
        for (char **a = argv; *a; a++)
                len += strlen(*a) + 1;
        char *s = malloc(len), *p = s;
        if (!s)
                return NULL;
        for (char **a = argv; *a; a++) {
                size_t n = strlen(*a);
                memcpy(p, *a, n);
                p += n;
                *p++ = '\x1f';
        }
        *p = '\0';
        return s;
}

static int build(const char *skills_dir, const char *method, const json_t *params, struct method_call *c, struct error *err) {
        const char *skill = NULL, *other = NULL;
        _cleanup_free_ char *dir = NULL;
        int r;
        /* The original's daemon called it skill_dir. */
        bool wants_skill = streq(method, "run") || streq(method, "exec") || streq(method, "bash") ||
                           streq(method, "validate") || streq(method, "get_skill");
        if (wants_skill) {
                if ((r = get_string(params, "skill", false, &skill, err)) < 0)
                        return r;
                if (!skill && (r = get_string(params, "skill_dir", true, &skill, err)) < 0)
                        return r;
        }
        if (streq(method, "run") || streq(method, "exec") || streq(method, "bash")) {
                if ((r = resolve_skill(skills_dir, skill, &dir, err)) < 0)
                        return r;
                if ((r = push(c, method)) < 0 || (r = push(c, "--json")) < 0)
                        return r;
                if ((r = add_run_options(c, params, err)) < 0)
                        return r;
        }
        if (streq(method, "run")) {
                if ((r = set_input(c, params, err)) < 0)
                        return r;
                c->poolable = true;
                if ((r = push(c, dir)) < 0 || (r = push(c, "-")) < 0)
                        return r;
        } else if (streq(method, "exec")) {
                if ((r = get_string(params, "script", false, &other, err)) < 0)
                        return r;
                if (!other && (r = get_string(params, "script_path", true, &other, err)) < 0)
                        return r;
                if (!*other || other[0] == '-')
                        return error_set(err, -EINVAL, "invalid params.script");
                if ((r = set_input(c, params, err)) < 0)
                        return r;
                if ((r = push(c, dir)) < 0 || (r = push(c, other)) < 0 || (r = push(c, "-")) < 0)
                        return r;
        } else if (streq(method, "bash")) {
                if ((r = get_string(params, "command", true, &other, err)) < 0)
                        return r;
                if (!*other || other[0] == '-')
                        return error_set(err, -EINVAL, "invalid params.command");
                if ((r = push(c, dir)) < 0 || (r = push(c, other)) < 0)
                        return r;
        } else if (streq(method, "scan")) {
                if ((r = get_string(params, "path", true, &other, err)) < 0)
                        return r;
                if (!*other || other[0] == '-')
                        return error_set(err, -EINVAL, "invalid params.path");
                if ((r = push(c, "scan")) < 0 || (r = push(c, "--json")) < 0 || (r = push(c, other)) < 0)
                        return r;
        } else if (streq(method, "validate")) {
                if ((r = resolve_skill(skills_dir, skill, &dir, err)) < 0)
                        return r;
                if ((r = push(c, "validate")) < 0 || (r = push(c, "--json")) < 0 || (r = push(c, dir)) < 0)
                        return r;
        } else if (streq(method, "list_skills") || streq(method, "get_skill")) {
                if ((r = push(c, streq(method, "list_skills") ? "list" : "show")) < 0 || (r = push(c, "--json")) < 0)
                        return r;
                if (skills_dir && ((r = push(c, "--skills-dir")) < 0 || (r = push(c, skills_dir)) < 0))
                        return r;
                if (skill) {
                        if (!*skill || skill[0] == '-' || strchr(skill, '/'))
                                return error_set(err, -EINVAL, "params.skill must be an installed skill's name");
                        if ((r = push(c, skill)) < 0)
                                return r;
                }
        } else if (!wants_skill)
                return error_set(err, -ENOENT, "unknown method");
        return 0;
}

int method_call_build(const char *self_exe, const char *skills_dir, const char *method,
                      const json_t *params, struct method_call *ret, struct error *err) {
        struct method_call c = { 0 };
        _cleanup_json_ json_t *empty = NULL;
        if (!params || json_is_null(params))
                params = empty = json_object();
        if (!params || !json_is_object(params))
                return error_set(err, -EINVAL, "params must be an object");
        int r = push(&c, self_exe);
        r = r ?: build(skills_dir, method, params, &c, err);
        if (r == -ENOMEM && !err->msg[0])
                error_set(err, r, "out of memory");
        if (r == 0 && c.poolable) {
                /* The warm sandbox was started with everything but the input. */
                c.pool_key = join_argv(c.argv);
                if (!c.pool_key)
                        r = error_set(err, -ENOMEM, "out of memory");
        }
        if (r < 0) {
                method_call_done(&c);
                return r;
        }
        *ret = c;
        return 0;
}
