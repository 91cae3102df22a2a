/* libyaml event stream -> jansson tree, with hard limits. */
#include "yaml_tree.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../base/json.h"
#include "../base/macros.h"

/* An anchored node remembered for later aliases, with its node count so that an alias costs
 * exactly what expanding it would cost. */
struct anchor {
        char *name;
        json_t *value;
        size_t nodes;
};

struct frame {
        json_t *container; /* array or object being filled */
        char *pending_key; /* objects: key waiting for its value */
        char *anchor;      /* anchor declared on this container, if any */
        size_t nodes_at_start;
};

struct tree_parser {
        yaml_parser_t parser;
        struct frame stack[YAML_TREE_MAX_DEPTH];
        size_t depth;
        struct anchor *anchors;
        size_t n_anchors;
        size_t nodes;
        json_t *root;
        bool have_root;
        size_t first_line;
        struct error *err;
};

static int fail_at(struct tree_parser *p, const yaml_mark_t *mark, int code, const char *what) {
        return error_set(p->err, code, "line %zu column %zu: %s", mark->line + p->first_line,
                         mark->column + 1, what);
}

static bool str_in(const char *s, const char *const *list) {
        for (; *list; list++)
                if (streq(s, *list))
                        return true;
        return false;
}

/* jansson refuses non-finite reals; out-of-range numbers keep their text. */
static json_t *real_or_string(const char *s) {
        double d = strtod(s, NULL);
        return isfinite(d) ? json_real(d) : json_string(s);
}

/* YAML 1.2 core schema resolution of a plain scalar. */
static json_t *resolve_plain_scalar(const char *s, size_t len) {
        static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
        static const char *const trues[] = { "true", "True", "TRUE", NULL };
        static const char *const falses[] = { "false", "False", "FALSE", NULL };

        if (strlen(s) != len) /* embedded NUL: keep as an (invalid) string for the validator */
                return json_stringn(s, len);
        if (str_in(s, nulls))
                return json_null();
        if (str_in(s, trues))
                return json_true();
        if (str_in(s, falses))
                return json_false();
        /* .inf/.nan have no JSON form; they stay strings (no SKILL.md field wants them). */

        const char *digits = s + (s[0] == '-' || s[0] == '+');
        if (digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'x') && digits[2]) {
                int base = digits[1] == 'o' ? 8 : 16;
                /* strtoll alone would also take blanks, a sign or a second "0x" here. */
                const char *allowed = base == 8 ? "01234567" : "0123456789abcdefABCDEF";
                if (digits != s || strspn(digits + 2, allowed) != strlen(digits + 2))
                        return json_string(s);
                char *end = NULL;
                errno = 0;
                long long v = strtoll(digits + 2, &end, base);
                if (*end == '\0' && errno == 0)
                        return json_integer(v);
                return json_string(s);
        }
        size_t i = 0, ndig = 0;
        bool is_int = true;
        for (i = 0; digits[i]; i++) {
                if (digits[i] >= '0' && digits[i] <= '9')
                        ndig++;
                else
                        is_int = false;
        }
        if (is_int && ndig > 0) {
                char *end = NULL;
                errno = 0;
                long long v = strtoll(s, &end, 10);
                if (*end == '\0' && errno == 0)
                        return json_integer(v);
                return real_or_string(s);
        }
        /* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
        const char *q = digits;
        size_t int_digits = 0, frac_digits = 0;
        while (*q >= '0' && *q <= '9')
                q++, int_digits++;
        if (*q == '.') {
                q++;
                while (*q >= '0' && *q <= '9')
                        q++, frac_digits++;
        }
        if (int_digits + frac_digits == 0)
                return json_string(s);
        if (*q == 'e' || *q == 'E') {
                q++;
                if (*q == '+' || *q == '-')
                        q++;
                if (!(*q >= '0' && *q <= '9'))
                        return json_string(s);
                while (*q >= '0' && *q <= '9')
                        q++;
        }
        if (*q != '\0')
                return json_string(s);
        return real_or_string(s);
}

static int remember_anchor(struct tree_parser *p, char *name, json_t *value, size_t nodes) {
        /* A redefined anchor shadows the earlier one (YAML allows it); keep the list bounded by
         * the node cap since each anchor sits on a node. */
        struct anchor *a = reallocarray(p->anchors, p->n_anchors + 1, sizeof(*a));
        if (!a)
                return -ENOMEM;
        p->anchors = a;
        p->anchors[p->n_anchors++] = (struct anchor) { name, json_incref(value), nodes };
        return 0;
}

static const struct anchor *find_anchor(struct tree_parser *p, const char *name) {
        for (size_t i = p->n_anchors; i > 0; i--)
                if (streq(p->anchors[i - 1].name, name))
                        return &p->anchors[i - 1];
        return NULL;
}

/* Attach a finished node to the current container (or make it the root). Steals value. */
static int attach(struct tree_parser *p, json_t *value, const yaml_mark_t *mark) {
        if (!value)
                return error_set(p->err, -ENOMEM, "out of memory");
        if (p->depth == 0) {
                p->root = value;
                p->have_root = true;
                return 0;
        }
        struct frame *f = &p->stack[p->depth - 1];
        if (json_is_array(f->container))
                return json_array_append_new(f->container, value) == 0
                               ? 0
                               : error_set(p->err, -ENOMEM, "out of memory");
        if (!f->pending_key) {
                /* This node is a key. Only scalar keys make sense for SKILL.md. */
                if (!json_is_string(value)) {
                        const char *what = json_is_object(value) || json_is_array(value)
                                                   ? "mapping keys must be scalars, not collections"
                                                   : NULL;
                        if (what) {
                                json_decref(value);
                                return fail_at(p, mark, -EINVAL, what);
                        }
                        /* Non-string scalar keys (e.g. `1: x`) are used by their text. */
                        char *text = json_dumps(value, JSON_ENCODE_ANY);
                        json_decref(value);
                        if (!text)
                                return error_set(p->err, -ENOMEM, "out of memory");
                        f->pending_key = text;
                } else {
                        f->pending_key = strdup(json_string_value(value));
                        size_t klen = json_string_length(value);
                        json_decref(value);
                        if (!f->pending_key)
                                return error_set(p->err, -ENOMEM, "out of memory");
                        if (strlen(f->pending_key) != klen)
                                return fail_at(p, mark, -EINVAL, "mapping key contains a NUL byte");
                }
                if (json_object_get(f->container, f->pending_key)) {
                        char what[256];
                        snprintf(what, sizeof(what), "duplicate key '%.200s'", f->pending_key);
                        return fail_at(p, mark, -EINVAL, what);
                }
                return 0;
        }
        int r = json_object_set_new(f->container, f->pending_key, value);
        free(f->pending_key);
        f->pending_key = NULL;
        return r == 0 ? 0 : error_set(p->err, -ENOMEM, "out of memory");
}

static int count_node(struct tree_parser *p, size_t n, const yaml_mark_t *mark) {
        if (n > YAML_TREE_MAX_NODES || p->nodes > YAML_TREE_MAX_NODES - n)
                return fail_at(p, mark, -E2BIG,
                               "document has too many nodes (alias expansion included); "
                               "the limit is " "10000");
        p->nodes += n;
        return 0;
}

static int handle_event(struct tree_parser *p, yaml_event_t *ev) {
        const yaml_mark_t *mark = &ev->start_mark;
        int r;
        switch (ev->type) {
        case YAML_STREAM_START_EVENT:
        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        case YAML_NO_EVENT:
                return 0;
        case YAML_DOCUMENT_START_EVENT:
                if (p->have_root)
                        return fail_at(p, mark, -EINVAL, "only one YAML document is allowed");
                return 0;
        case YAML_ALIAS_EVENT: {
                const struct anchor *a = find_anchor(p, (const char *) ev->data.alias.anchor);
                if (!a)
                        return fail_at(p, mark, -EINVAL, "alias to an undefined anchor");
                r = count_node(p, a->nodes, mark);
                if (r < 0)
                        return r;
                /* Shared by reference: memory stays linear while the node budget above counts
                 * the full expansion. */
                return attach(p, json_incref(a->value), mark);
        }
        case YAML_SCALAR_EVENT: {
                r = count_node(p, 1, mark);
                if (r < 0)
                        return r;
                const char *v = (const char *) ev->data.scalar.value;
                size_t len = ev->data.scalar.length;
                const char *tag = (const char *) ev->data.scalar.tag;
                json_t *j;
                if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag)
                        j = resolve_plain_scalar(v, len);
                else
                        j = json_stringn(v, len);
                if (!j)
                        return fail_at(p, mark, -EINVAL, "scalar is not valid UTF-8");
                if (ev->data.scalar.anchor) {
                        char *name = strdup((const char *) ev->data.scalar.anchor);
                        if (!name || remember_anchor(p, name, j, 1) < 0) {
                                free(name);
                                json_decref(j);
                                return error_set(p->err, -ENOMEM, "out of memory");
                        }
                }
                return attach(p, j, mark);
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
                if (p->depth >= YAML_TREE_MAX_DEPTH)
                        return fail_at(p, mark, -E2BIG,
                                       "nesting is deeper than the limit of 16 levels");
                r = count_node(p, 1, mark);
                if (r < 0)
                        return r;
                bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
                const yaml_char_t *anchor =
                        seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
                json_t *c = seq ? json_array() : json_object();
                char *anchor_name = anchor ? strdup((const char *) anchor) : NULL;
                if (!c || (anchor && !anchor_name)) {
                        /* A lost anchor name would turn later aliases into confusing errors. */
                        json_decref(c);
                        free(anchor_name);
                        return error_set(p->err, -ENOMEM, "out of memory");
                }
                p->stack[p->depth++] = (struct frame) {
                        .container = c,
                        .anchor = anchor_name,
                        .nodes_at_start = p->nodes,
                };
                return 0;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
                struct frame f = p->stack[--p->depth];
                free(f.pending_key);
                if (f.anchor) {
                        r = remember_anchor(p, f.anchor, f.container,
                                            p->nodes - f.nodes_at_start + 1);
                        if (r < 0) {
                                free(f.anchor);
                                json_decref(f.container);
                                return error_set(p->err, r, "out of memory");
                        }
                }
                return attach(p, f.container, mark);
        }
        }
        return 0;
}

json_t *yaml_tree_parse(const char *text, size_t len, size_t first_line, struct error *err) {
        struct tree_parser p = { .err = err, .first_line = first_line };
        if (!yaml_parser_initialize(&p.parser)) {
                error_set(err, -ENOMEM, "cannot initialize the YAML parser");
                return NULL;
        }
        yaml_parser_set_input_string(&p.parser, (const unsigned char *) text, len);
        yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);

        int r = 0;
        bool done = false;
        while (!done && r == 0) {
                yaml_event_t ev;
                if (!yaml_parser_parse(&p.parser, &ev)) {
                        const char *problem = p.parser.problem ? p.parser.problem : "syntax error";
                        r = error_set(err, -EINVAL, "line %zu column %zu: %s",
                                      p.parser.problem_mark.line + first_line,
                                      p.parser.problem_mark.column + 1, problem);
                        break;
                }
                done = ev.type == YAML_STREAM_END_EVENT;
                r = handle_event(&p, &ev);
                yaml_event_delete(&ev);
        }

        while (p.depth > 0) {
                struct frame *f = &p.stack[--p.depth];
                free(f->pending_key);
                free(f->anchor);
                json_decref(f->container);
        }
        for (size_t i = 0; i < p.n_anchors; i++) {
                free(p.anchors[i].name);
                json_decref(p.anchors[i].value);
        }
        free(p.anchors);
        yaml_parser_delete(&p.parser);

        if (r < 0) {
                json_decref(p.root);
                return NULL;
        }
        return p.root ? p.root : json_null();
}
