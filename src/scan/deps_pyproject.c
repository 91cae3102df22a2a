/* pyproject.toml: a small bounded reader of the TOML subset that carries dependencies, not a
 * full TOML parser. It reads tables, dotted keys, strings (basic, literal, multi-line, with
 * escapes), arrays and inline tables, skips other scalars, and recovers from what it cannot read
 * at the next line. Of the values it looks only at [project] dependencies and
 * optional-dependencies, [build-system] requires, [dependency-groups], Poetry's dependency tables
 * and custom package sources (Poetry, uv). Nesting is capped; nothing recurses deeper than that. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/buf.h"
#include "../base/utf8.h"
#include "deps_internal.h"

#define TOML_MAX_DEPTH 32         /* arrays / inline tables open at once */
#define TOML_MAX_PATH 16          /* components of a table path plus a dotted key */
#define TOML_MAX_NODES 200000     /* values in one statement */

enum tv_type { TV_STRING, TV_ARRAY, TV_TABLE, TV_OTHER };

/* A value of one statement. Inline-table keys are kept as written (a dotted key joined by '.'). */
struct tv {
        enum tv_type type;
        uint32_t line;
        char *s; /* TV_STRING: decoded, NUL-terminated (may hold NULs: len) */
        size_t len;
        struct tv *items; /* TV_ARRAY elements; TV_TABLE values */
        char **keys;      /* TV_TABLE keys */
        size_t n, cap;
};

struct toml {
        const char *s;
        size_t n, i;
        uint32_t line;
        size_t nodes;
        int oom; /* -ENOMEM seen */
};

static void tv_free(struct tv *v) {
        free(v->s);
        for (size_t k = 0; k < v->n; k++) {
                tv_free(&v->items[k]);
                if (v->keys)
                        free(v->keys[k]);
        }
        free(v->items);
        free(v->keys);
        *v = (struct tv) { 0 };
}

/* ---- lexical level --------------------------------------------------------------------------- */

static bool at_newline(const struct toml *t) {
        return t->i < t->n && (t->s[t->i] == '\n' || t->s[t->i] == '\r');
}

static void skip_newline(struct toml *t) {
        if (t->s[t->i] == '\r' && t->i + 1 < t->n && t->s[t->i + 1] == '\n')
                t->i++;
        t->i++;
        if (t->line < UINT32_MAX)
                t->line++;
}

static void skip_blanks(struct toml *t) {
        while (t->i < t->n && (t->s[t->i] == ' ' || t->s[t->i] == '\t'))
                t->i++;
}

static void skip_comment(struct toml *t) {
        if (t->i < t->n && t->s[t->i] == '#')
                while (t->i < t->n && !at_newline(t))
                        t->i++;
}

/* Blanks, comments and line breaks (inside arrays, and between statements). */
static void skip_space(struct toml *t) {
        for (;;) {
                skip_blanks(t);
                skip_comment(t);
                if (!at_newline(t))
                        return;
                skip_newline(t);
        }
}

/* The rest of a statement's line must be blank or a comment. */
static bool end_of_line(struct toml *t) {
        skip_blanks(t);
        skip_comment(t);
        if (t->i >= t->n)
                return true;
        if (!at_newline(t))
                return false;
        skip_newline(t);
        return true;
}

static void skip_to_next_line(struct toml *t) {
        while (t->i < t->n && !at_newline(t))
                t->i++;
        if (t->i < t->n)
                skip_newline(t);
}

static bool has(const struct toml *t, const char *p) {
        size_t k = strlen(p);
        return t->n - t->i >= k && memcmp(t->s + t->i, p, k) == 0;
}

static int hex_digit(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        c = (char) (c | 0x20);
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* An escape after '\' at t->i in a basic string, appended to out. false when invalid. */
static bool escape(struct toml *t, struct buf *out) {
        static const char SIMPLE[] = "b\bt\tn\nf\fr\re\x1b\"\"\\\\";
        char e = t->s[t->i++];
        for (size_t k = 0; k + 1 < sizeof(SIMPLE); k += 2)
                if (SIMPLE[k] == e) {
                        if (buf_append(out, &SIMPLE[k + 1], 1) < 0)
                                t->oom = -ENOMEM;
                        return true;
                }
        size_t digits = e == 'u' ? 4 : e == 'U' ? 8 : e == 'x' ? 2 : 0;
        if (!digits || t->n - t->i < digits)
                return false;
        uint32_t cp = 0;
        for (size_t k = 0; k < digits; k++) {
                int d = hex_digit(t->s[t->i++]);
                if (d < 0)
                        return false;
                cp = cp << 4 | (uint32_t) d;
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return false;
        char enc[4];
        if (buf_append(out, enc, utf8_encode(cp, enc)) < 0)
                t->oom = -ENOMEM;
        return true;
}

/* A string at t->i (opening quote(s) included). false when malformed or unterminated. */
static bool parse_string(struct toml *t, struct buf *out) {
        char q = t->s[t->i];
        bool multi = t->n - t->i >= 3 && t->s[t->i + 1] == q && t->s[t->i + 2] == q;
        bool literal = q == '\'';
        t->i += multi ? 3 : 1;
        if (multi && t->i < t->n && at_newline(t))
                skip_newline(t); /* a newline right after the opening quotes is trimmed */
        while (t->i < t->n) {
                char ch = t->s[t->i];
                if (ch == q) {
                        if (!multi) {
                                t->i++;
                                return true;
                        }
                        if (t->n - t->i >= 3 && t->s[t->i + 1] == q && t->s[t->i + 2] == q) {
                                /* up to two quotes may stand right before the closing three */
                                size_t run = 3;
                                while (run < 5 && t->i + run < t->n && t->s[t->i + run] == q)
                                        run++;
                                if (buf_append(out, t->s + t->i, run - 3) < 0)
                                        t->oom = -ENOMEM;
                                t->i += run;
                                return true;
                        }
                }
                if (at_newline(t)) {
                        if (!multi)
                                return false;
                        if (buf_append(out, "\n", 1) < 0)
                                t->oom = -ENOMEM;
                        skip_newline(t);
                        continue;
                }
                if (ch == '\\' && !literal) {
                        t->i++;
                        if (t->i >= t->n)
                                return false;
                        size_t save = t->i;
                        skip_blanks(t);
                        if (multi && at_newline(t)) { /* line-ending backslash: trim to the next text */
                                while (t->i < t->n && (at_newline(t) || t->s[t->i] == ' ' || t->s[t->i] == '\t')) {
                                        if (at_newline(t))
                                                skip_newline(t);
                                        else
                                                t->i++;
                                }
                                continue;
                        }
                        t->i = save;
                        if (!escape(t, out))
                                return false;
                        continue;
                }
                if ((unsigned char) ch < 0x20 && ch != '\t')
                        return false; /* control characters must be escaped */
                if (buf_append(out, &ch, 1) < 0)
                        t->oom = -ENOMEM;
                t->i++;
        }
        return false;
}

static bool is_bare_key_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* One key component: bare, "basic" or 'literal'. */
static char *parse_key_part(struct toml *t) {
        _cleanup_buf_ struct buf b = BUF_INIT(t->n + 1);
        if (t->i < t->n && (t->s[t->i] == '"' || t->s[t->i] == '\'')) {
                if (has(t, "\"\"\"") || has(t, "'''") || !parse_string(t, &b))
                        return NULL;
        } else {
                size_t start = t->i;
                while (t->i < t->n && is_bare_key_char(t->s[t->i]))
                        t->i++;
                if (t->i == start || buf_append(&b, t->s + start, t->i - start) < 0)
                        return NULL;
        }
        if (!b.data && buf_append(&b, "", 0) < 0) {
                t->oom = -ENOMEM;
                return NULL;
        }
        char *r = buf_steal(&b);
        if (!r)
                t->oom = -ENOMEM;
        return r;
}

/* A dotted key into parts[*np..]. false when malformed (parts already taken stay for the caller). */
static bool parse_key(struct toml *t, char **parts, size_t *np) {
        for (;;) {
                skip_blanks(t);
                if (*np >= TOML_MAX_PATH)
                        return false;
                char *p = parse_key_part(t);
                if (!p)
                        return false;
                parts[(*np)++] = p;
                skip_blanks(t);
                if (t->i >= t->n || t->s[t->i] != '.')
                        return true;
                t->i++;
        }
}

static void free_parts(char **parts, size_t n) {
        for (size_t k = 0; k < n; k++)
                free(parts[k]);
}

/* ---- values ---------------------------------------------------------------------------------- */

static bool parse_value(struct toml *t, struct tv *v, unsigned depth);

static bool push_item(struct toml *t, struct tv *v, struct tv *item, char *key) {
        if (v->n == v->cap) {
                size_t cap = v->cap ? v->cap * 2 : 4;
                struct tv *items = reallocarray(v->items, cap, sizeof(*items));
                if (!items) {
                        t->oom = -ENOMEM;
                        return false;
                }
                v->items = items;
                if (v->type == TV_TABLE) {
                        char **keys = reallocarray(v->keys, cap, sizeof(*keys));
                        if (!keys) {
                                t->oom = -ENOMEM;
                                return false;
                        }
                        v->keys = keys;
                }
                v->cap = cap;
        }
        v->items[v->n] = *item;
        if (v->type == TV_TABLE)
                v->keys[v->n] = key;
        v->n++;
        return true;
}

static bool parse_array(struct toml *t, struct tv *v, unsigned depth) {
        t->i++; /* '[' */
        for (;;) {
                skip_space(t);
                if (t->i >= t->n)
                        return false;
                if (t->s[t->i] == ']') {
                        t->i++;
                        return true;
                }
                struct tv item = { 0 };
                if (!parse_value(t, &item, depth + 1) || !push_item(t, v, &item, NULL)) {
                        tv_free(&item);
                        return false;
                }
                skip_space(t);
                if (t->i < t->n && t->s[t->i] == ',')
                        t->i++;
                else if (t->i >= t->n || t->s[t->i] != ']')
                        return false;
        }
}

static bool parse_inline_table(struct toml *t, struct tv *v, unsigned depth) {
        t->i++; /* '{' */
        for (;;) {
                skip_space(t); /* TOML 1.1 allows line breaks here; accepting them costs nothing */
                if (t->i >= t->n)
                        return false;
                if (t->s[t->i] == '}') {
                        t->i++;
                        return true;
                }
                char *parts[TOML_MAX_PATH];
                size_t np = 0;
                bool ok = parse_key(t, parts, &np);
                _cleanup_buf_ struct buf key = BUF_INIT(t->n + TOML_MAX_PATH);
                for (size_t k = 0; ok && k < np; k++)
                        if ((k && buf_append(&key, ".", 1) < 0) || buf_append(&key, parts[k], strlen(parts[k])) < 0)
                                ok = false;
                free_parts(parts, np);
                if (!ok)
                        return false;
                skip_blanks(t);
                if (t->i >= t->n || t->s[t->i] != '=')
                        return false;
                t->i++;
                skip_blanks(t);
                struct tv item = { 0 };
                char *k = buf_steal(&key);
                if (!k || !parse_value(t, &item, depth + 1) || !push_item(t, v, &item, k)) {
                        if (!k)
                                t->oom = -ENOMEM;
                        free(k);
                        tv_free(&item);
                        return false;
                }
                skip_space(t);
                if (t->i < t->n && t->s[t->i] == ',')
                        t->i++;
                else if (t->i >= t->n || t->s[t->i] != '}')
                        return false;
        }
}

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

/* Numbers, booleans, dates and times: skipped, not interpreted. */
static bool parse_scalar(struct toml *t) {
        size_t start = t->i;
        while (t->i < t->n && (is_bare_key_char(t->s[t->i]) || t->s[t->i] == '.' || t->s[t->i] == ':' ||
                               t->s[t->i] == '+'))
                t->i++;
        /* "1979-05-27 07:32:00": a date and a time separated by one blank */
        if (t->i - start == 10 && t->s[start + 4] == '-' && t->n - t->i >= 3 && t->s[t->i] == ' ' &&
            is_digit(t->s[t->i + 1]) && is_digit(t->s[t->i + 2])) {
                t->i++;
                while (t->i < t->n && (is_bare_key_char(t->s[t->i]) || t->s[t->i] == '.' || t->s[t->i] == ':' ||
                                       t->s[t->i] == '+'))
                        t->i++;
        }
        return t->i > start;
}

static bool parse_value(struct toml *t, struct tv *v, unsigned depth) {
        *v = (struct tv) { .line = t->line };
        if (depth > TOML_MAX_DEPTH || ++t->nodes > TOML_MAX_NODES || t->i >= t->n)
                return false;
        char ch = t->s[t->i];
        if (ch == '"' || ch == '\'') {
                _cleanup_buf_ struct buf b = BUF_INIT(t->n + 1);
                if (!parse_string(t, &b))
                        return false;
                v->type = TV_STRING;
                v->len = b.len;
                v->s = buf_steal(&b);
                if (!v->s)
                        t->oom = -ENOMEM;
                return v->s != NULL;
        }
        if (ch == '[') {
                v->type = TV_ARRAY;
                return parse_array(t, v, depth);
        }
        if (ch == '{') {
                v->type = TV_TABLE;
                return parse_inline_table(t, v, depth);
        }
        v->type = TV_OTHER;
        return parse_scalar(t);
}

/* ---- what we look for ------------------------------------------------------------------------ */

struct reader {
        struct deps_ctx *c;
        const struct scan_file *x;
};

static bool path_is(char **path, size_t np, size_t want_n, const char *const *want) {
        if (np != want_n)
                return false;
        for (size_t k = 0; k < want_n; k++)
                if (want[k] && !streq(path[k], want[k]))
                        return false;
        return true;
}

/* An array of PEP 508 strings (other elements, like {include-group = ...}, are skipped). */
static int pep508_array(struct reader *rd, const struct tv *v, unsigned flags) {
        if (v->type != TV_ARRAY)
                return 0;
        for (size_t k = 0; k < v->n; k++) {
                const struct tv *e = &v->items[k];
                if (e->type != TV_STRING)
                        continue;
                int r = deps_add_pep508(rd->c, e->s, e->len, rd->x->path, e->line, flags);
                if (r < 0)
                        return r;
        }
        return 0;
}

static const struct tv *table_get(const struct tv *v, const char *key) {
        for (size_t k = 0; v->type == TV_TABLE && k < v->n; k++)
                if (streq(v->keys[k], key))
                        return &v->items[k];
        return NULL;
}

/* One Poetry dependency: "^1.2", {version = "..."}, {git|url|path = "..."} or a list of those. */
static int poetry_dep(struct reader *rd, const char *name, const struct tv *v, unsigned flags, unsigned depth) {
        static const char *const SOURCES[] = { "git", "url", "path" };
        const char *file = rd->x->path;
        if (strcasecmp(name, "python") == 0)
                return 0;
        flags |= DEP_F_BARE_EXACT | DEP_F_KEEP_BLANKS;
        if (v->type == TV_STRING)
                return deps_add(rd->c, DEP_PYPI, name, strlen(name), v->s, v->len, file, v->line, flags);
        if (v->type == TV_ARRAY && depth == 0) {
                for (size_t k = 0; k < v->n; k++) {
                        int r = poetry_dep(rd, name, &v->items[k], flags, depth + 1);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        if (v->type != TV_TABLE)
                return 0;
        for (size_t k = 0; k < ELEMENTSOF(SOURCES); k++) {
                const struct tv *src = table_get(v, SOURCES[k]);
                if (src && src->type == TV_STRING) {
                        int r = deps_url_finding(rd->c, file, src->line, NULL, 0, src->s, src->len);
                        if (r < 0)
                                return r;
                        return deps_add_pypi_url(rd->c, name, strlen(name), src->s, src->len, file, src->line, flags);
                }
        }
        const struct tv *ver = table_get(v, "version");
        if (ver && ver->type == TV_STRING)
                return deps_add(rd->c, DEP_PYPI, name, strlen(name), ver->s, ver->len, file, ver->line, flags);
        return deps_add(rd->c, DEP_PYPI, name, strlen(name), "", 0, file, v->line, flags);
}

static int custom_index(struct reader *rd, const struct tv *v, bool extra) {
        if (v->type != TV_STRING)
                return 0;
        int n = (int) (v->len > 160 ? 160 : v->len);
        if (extra)
                return deps_finding(rd->c, "dep.index.extra", SEV_HIGH, rd->x->path, v->line, NULL, 0,
                                    "an extra package index (%.*s) lets any of its packages shadow a public one of "
                                    "the same name (dependency confusion)", n, v->s);
        return deps_finding(rd->c, "dep.index.custom", SEV_MEDIUM, rd->x->path, v->line, NULL, 0,
                            "packages are installed from a custom index (%.*s)", n, v->s);
}

/* A value at its full path (table path + key): tables are walked, leaves looked at. */
static int visit(struct reader *rd, char **path, size_t np, const struct tv *v, unsigned depth) {
        static const char *const PROJECT_DEPS[] = { "project", "dependencies" };
        static const char *const OPTIONAL[] = { "project", "optional-dependencies", NULL };
        static const char *const BUILD[] = { "build-system", "requires" };
        static const char *const GROUPS[] = { "dependency-groups", NULL };
        static const char *const POETRY[] = { "tool", "poetry", "dependencies", NULL };
        static const char *const POETRY_DEV[] = { "tool", "poetry", "dev-dependencies", NULL };
        static const char *const POETRY_GROUP[] = { "tool", "poetry", "group", NULL, "dependencies", NULL };
        static const char *const POETRY_SOURCE[] = { "tool", "poetry", "source", "url" };
        static const char *const UV_INDEX[] = { "tool", "uv", "index", "url" };
        static const char *const UV_INDEX_URL[] = { "tool", "uv", "index-url" };
        static const char *const UV_EXTRA[] = { "tool", "uv", "extra-index-url" };

        if (v->type == TV_TABLE && depth < TOML_MAX_DEPTH && np < TOML_MAX_PATH) {
                for (size_t k = 0; k < v->n; k++) {
                        path[np] = v->keys[k];
                        int r = visit(rd, path, np + 1, &v->items[k], depth + 1);
                        if (r < 0)
                                return r;
                }
                if (!path_is(path, np, 4, POETRY) && !path_is(path, np, 4, POETRY_DEV) &&
                    !path_is(path, np, 6, POETRY_GROUP))
                        return 0;
        }
        if (path_is(path, np, 2, PROJECT_DEPS) || path_is(path, np, 3, OPTIONAL) || path_is(path, np, 2, BUILD))
                return pep508_array(rd, v, 0);
        if (path_is(path, np, 2, GROUPS))
                return pep508_array(rd, v, DEP_F_DEV);
        if (path_is(path, np, 4, POETRY))
                return poetry_dep(rd, path[3], v, 0, 0);
        if (path_is(path, np, 4, POETRY_DEV))
                return poetry_dep(rd, path[3], v, DEP_F_DEV, 0);
        if (path_is(path, np, 6, POETRY_GROUP))
                return poetry_dep(rd, path[5], v, streq(path[3], "main") ? 0 : DEP_F_DEV, 0);
        if (path_is(path, np, 4, POETRY_SOURCE) || path_is(path, np, 4, UV_INDEX) || path_is(path, np, 3, UV_INDEX_URL))
                return custom_index(rd, v, false);
        if (path_is(path, np, 3, UV_EXTRA)) {
                if (v->type == TV_ARRAY) {
                        for (size_t k = 0; k < v->n; k++) {
                                int r = custom_index(rd, &v->items[k], true);
                                if (r < 0)
                                        return r;
                        }
                        return 0;
                }
                return custom_index(rd, v, true);
        }
        return 0;
}

/* ---- statements ------------------------------------------------------------------------------ */

/* "[a.b]" or "[[a.b]]" at t->i: the new table path. */
static bool parse_header(struct toml *t, char **table, size_t *nt) {
        bool array = has(t, "[[");
        t->i += array ? 2 : 1;
        free_parts(table, *nt);
        *nt = 0;
        if (!parse_key(t, table, nt))
                return false;
        skip_blanks(t);
        if (!has(t, array ? "]]" : "]"))
                return false;
        t->i += array ? 2 : 1;
        return end_of_line(t);
}

/* "key = value" at t->i. */
static bool parse_keyval(struct toml *t, struct reader *rd, char **table, size_t nt, bool table_ok, int *ret) {
        char *path[TOML_MAX_PATH * 2 + 1];
        char *parts[TOML_MAX_PATH];
        size_t np = 0;
        struct tv v = { 0 };
        bool ok = parse_key(t, parts, &np);
        if (ok) {
                skip_blanks(t);
                ok = t->i < t->n && t->s[t->i] == '=';
        }
        if (ok) {
                t->i++;
                skip_blanks(t);
                t->nodes = 0;
                ok = parse_value(t, &v, 0) && end_of_line(t);
        }
        if (ok && table_ok) {
                memcpy(path, table, nt * sizeof(*path));
                memcpy(path + nt, parts, np * sizeof(*path));
                *ret = visit(rd, path, nt + np, &v, 0);
        }
        tv_free(&v);
        free_parts(parts, np);
        return ok;
}

int deps_read_pyproject(struct deps_ctx *c, const struct scan_file *x) {
        struct toml t = { .s = x->data, .n = x->len, .line = 1 };
        struct reader rd = { .c = c, .x = x };
        char *table[TOML_MAX_PATH];
        size_t nt = 0, statements = 0, errors = 0;
        bool table_ok = true; /* false after a header we could not read: its keys are not placed */
        uint32_t first_error = 0;
        int r = 0;
        if (t.n >= 3 && memcmp(t.s, "\xef\xbb\xbf", 3) == 0)
                t.i = 3;
        for (;;) {
                skip_space(&t);
                if (t.i >= t.n || r < 0 || t.oom)
                        break;
                uint32_t line = t.line;
                bool ok;
                if (t.s[t.i] == '[')
                        ok = table_ok = parse_header(&t, table, &nt);
                else
                        ok = parse_keyval(&t, &rd, table, nt, table_ok, &r);
                if (ok) {
                        statements++;
                        continue;
                }
                if (!errors++)
                        first_error = line;
                skip_to_next_line(&t); /* recover: the next line may be a statement again */
        }
        free_parts(table, nt);
        if (t.oom)
                return t.oom;
        if (r < 0)
                return r;
        if (errors == 0)
                return 0;
        if (statements == 0)
                return deps_finding(c, "dep.pyproject.unreadable", SEV_LOW, x->path, first_error, NULL, 0,
                                    "pyproject.toml could not be understood; the dependencies it declares are not "
                                    "audited");
        return deps_finding(c, "dep.pyproject.unreadable", SEV_LOW, x->path, first_error, NULL, 0,
                            "part of pyproject.toml could not be understood (first at line %u); dependencies "
                            "declared there may not be audited", first_error);
}
