/* Unit tests for src/sandbox/env*.c: requirement normalisation and the environment key
 * (PEP 503 names, order independence, length-prefixed records), the index URL -> network grant
 * and loopback rule, what a skill's manifests turn into (through the scanner's extraction), the
 * plan's environment mounts, and the store's listing and removal. No sandbox is started. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/fileio.h"
#include "../../src/base/macros.h"
#include "../../src/base/sha256.h"
#include "../../src/policy/plan.h"
#include "../../src/sandbox/env.h"
#include "../../src/sys/landlock.h"

static void spec_donep(struct env_spec *s) {
        env_spec_done(s);
}
#define _cleanup_spec_ _cleanup_(spec_donep)

static void init_spec(struct env_spec *s, enum env_lang lang) {
        *s = (struct env_spec) { .lang = lang };
        s->runtime = strdup("/usr/bin/python3.11 Python 3.11.2");
        s->index = strdup("https://pypi.org/simple");
        cr_assert(s->runtime && s->index);
}

static void add_ok(struct env_spec *s, bool locked, const char *name, const char *spec) {
        int r = env_spec_add(s, locked, name, spec);
        cr_assert_eq(r, 0, "'%s' '%s' should be accepted: %d", name, spec, r);
}

/* The name of a spec built from (name, spec) pairs, in the order given. */
static void name_of(enum env_lang lang, const char *const *pairs, size_t n, char out[ENV_NAME_MAX]) {
        _cleanup_spec_ struct env_spec s;
        init_spec(&s, lang);
        for (size_t i = 0; i < n; i++)
                add_ok(&s, false, pairs[2 * i], pairs[2 * i + 1]);
        cr_assert_eq(env_spec_finish(&s), 0);
        snprintf(out, ENV_NAME_MAX, "%s", s.name);
}

/* ---- names ---------------------------------------------------------------------------------- */

Test(env_spec, pypi_names_are_pep503_normalised) {
        static const struct {
                const char *in, *out;
        } table[] = {
                { "requests", "requests" },     { "Requests", "requests" },   { "Demo_Pkg", "demo-pkg" },
                { "demo.pkg", "demo-pkg" },     { "demo-_.pkg", "demo-pkg" }, { "A__B--C..D", "a-b-c-d" },
                { "zope.interface", "zope-interface" }, { "x", "x" },          { "9lives", "9lives" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_spec_ struct env_spec s;
                init_spec(&s, ENV_PYTHON);
                add_ok(&s, false, table[i].in, "");
                cr_assert_eq(s.n_reqs, 1);
                cr_expect_str_eq(s.reqs[0].name, table[i].out, "%s", table[i].in);
        }
}

Test(env_spec, bad_names_are_refused) {
        static const char *const pypi[] = { "", "-x", "x-", ".x", "a b", "a;b", "a/b", "a@b", "a\nb", "é" };
        for (size_t i = 0; i < ELEMENTSOF(pypi); i++) {
                _cleanup_spec_ struct env_spec s;
                init_spec(&s, ENV_PYTHON);
                cr_expect_eq(env_spec_add(&s, false, pypi[i], ""), -EINVAL, "PyPI '%s'", pypi[i]);
                cr_expect_eq(s.n_reqs, 0);
        }
        static const char *const npm[] = { "", ".x", "_x", "a/b", "@scope", "@scope/", "@/x", "@a/b/c", "a b",
                                           "a\"b", "a\\b" };
        for (size_t i = 0; i < ELEMENTSOF(npm); i++) {
                _cleanup_spec_ struct env_spec s;
                init_spec(&s, ENV_NODE);
                cr_expect_eq(env_spec_add(&s, false, npm[i], ""), -EINVAL, "npm '%s'", npm[i]);
        }
        char longname[300];
        memset(longname, 'a', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        _cleanup_spec_ struct env_spec s;
        init_spec(&s, ENV_PYTHON);
        cr_expect_eq(env_spec_add(&s, false, longname, ""), -EINVAL);
        cr_expect_eq(env_spec_add(&s, false, NULL, ""), -EINVAL);
        cr_expect_eq(env_spec_add(&s, true, "x", "1.0"), -EINVAL, "lock entries are npm only");
}

Test(env_spec, npm_names_lower_cased_scopes_kept) {
        _cleanup_spec_ struct env_spec s;
        init_spec(&s, ENV_NODE);
        add_ok(&s, false, "@Types/Node", "^20");
        add_ok(&s, false, "Left-Pad", "1.x");
        cr_assert_eq(env_spec_finish(&s), 0);
        cr_expect_str_eq(s.reqs[0].name, "@types/node");
        cr_expect_str_eq(s.reqs[1].name, "left-pad");
}

Test(env_spec, specs_that_could_inject_are_refused) {
        /* pip reads the generated requirements file: a blank starts per-requirement options, ';'
         * a marker, '@' a URL, a newline another line (an option such as --index-url). */
        static const char *const pip_bad[] = { " --hash=x", ">=1 ;x", "@ https://evil/x.whl", ">=1\n--index-url=x",
                                               ">=1#frag", "\t>=1" };
        for (size_t i = 0; i < ELEMENTSOF(pip_bad); i++) {
                _cleanup_spec_ struct env_spec s;
                init_spec(&s, ENV_PYTHON);
                cr_expect_eq(env_spec_add(&s, false, "x", pip_bad[i]), -EINVAL, "pip spec '%s'", pip_bad[i]);
        }
        static const char *const pip_ok[] = { "", ">=1.0", ">=1,<2", "==1.0.post1", "~=2.2", "===weird", "!=1.*" };
        for (size_t i = 0; i < ELEMENTSOF(pip_ok); i++) {
                _cleanup_spec_ struct env_spec s;
                init_spec(&s, ENV_PYTHON);
                cr_expect_eq(env_spec_add(&s, false, "x", pip_ok[i]), 0, "pip spec '%s'", pip_ok[i]);
        }
        _cleanup_spec_ struct env_spec s;
        init_spec(&s, ENV_NODE);
        cr_expect_eq(env_spec_add(&s, false, "x", "^1.0 || >=2 <3"), 0, "npm ranges keep their blanks (JSON)");
        cr_expect_eq(env_spec_add(&s, false, "y", "1.0\n"), -EINVAL);
        cr_expect_eq(env_spec_add(&s, false, "y", "1\x7f"), -EINVAL);
}

Test(env_spec, pip_lines) {
        struct env_req r = { (char *) "demo-pkg", (char *) ">=1,<2" };
        char *line = env_req_pip_line(&r);
        cr_assert_str_eq(line, "demo-pkg>=1,<2");
        free(line);
        r.spec = (char *) "";
        line = env_req_pip_line(&r);
        cr_assert_str_eq(line, "demo-pkg");
        free(line);
}

/* ---- the key -------------------------------------------------------------------------------- */

Test(env_key, name_shape) {
        char name[ENV_NAME_MAX];
        const char *const pairs[] = { "requests", ">=2" };
        name_of(ENV_PYTHON, pairs, 1, name);
        cr_assert_eq(strlen(name), strlen("python-") + 64);
        cr_expect(strneq(name, "python-", 7));
        cr_expect_eq(strspn(name + 7, "0123456789abcdef"), 64);
        name_of(ENV_NODE, pairs, 1, name);
        cr_expect(strneq(name, "node-", 5));
}

Test(env_key, order_and_duplicates_do_not_matter) {
        char a[ENV_NAME_MAX], b[ENV_NAME_MAX], c[ENV_NAME_MAX];
        const char *const one[] = { "requests", ">=2", "numpy", "", "attrs", "==23.1" };
        const char *const two[] = { "attrs", "==23.1", "requests", ">=2", "numpy", "", "requests", ">=2" };
        const char *const three[] = { "Attrs", "==23.1", "NumPy", "", "REQUESTS", ">=2" };
        name_of(ENV_PYTHON, one, 3, a);
        name_of(ENV_PYTHON, two, 4, b);
        name_of(ENV_PYTHON, three, 3, c);
        cr_expect_str_eq(a, b, "order and repetition change nothing");
        cr_expect_str_eq(a, c, "PEP 503 spellings of the same names are the same environment");
}

Test(env_key, every_part_counts) {
        char base[ENV_NAME_MAX], other[ENV_NAME_MAX];
        const char *const reqs[] = { "requests", ">=2" };
        name_of(ENV_PYTHON, reqs, 1, base);
        const char *const spec2[] = { "requests", ">=2.1" };
        name_of(ENV_PYTHON, spec2, 1, other);
        cr_expect_str_neq(base, other, "a changed constraint is a new environment");
        const char *const extra[] = { "requests", ">=2", "idna", "" };
        name_of(ENV_PYTHON, extra, 2, other);
        cr_expect_str_neq(base, other);

        struct {
                const char *runtime, *index;
                bool sdist;
        } variants[] = {
                { "/usr/bin/python3.12 Python 3.12.1", "https://pypi.org/simple", false },
                { "/usr/bin/python3.11 Python 3.11.2", "https://mirror.example/simple", false },
                { "/usr/bin/python3.11 Python 3.11.2", "https://pypi.org/simple", true },
        };
        for (size_t i = 0; i < ELEMENTSOF(variants); i++) {
                _cleanup_spec_ struct env_spec s;
                init_spec(&s, ENV_PYTHON);
                free(s.runtime), free(s.index);
                s.runtime = strdup(variants[i].runtime);
                s.index = strdup(variants[i].index);
                s.allow_sdist = variants[i].sdist;
                add_ok(&s, false, "requests", ">=2");
                cr_assert_eq(env_spec_finish(&s), 0);
                cr_expect_str_neq(s.name + 7, base + 7, "variant %zu", i);
        }
        /* the same list for the other language is another environment */
        _cleanup_spec_ struct env_spec n;
        init_spec(&n, ENV_NODE);
        add_ok(&n, false, "requests", ">=2");
        cr_assert_eq(env_spec_finish(&n), 0);
        cr_expect_str_neq(n.name + 5, base + 7);
}

/* Boundaries are part of the hash: moving bytes between neighbouring fields changes the key. */
Test(env_key, separators_are_unambiguous) {
        char a[ENV_NAME_MAX], b[ENV_NAME_MAX];
        const char *const split1[] = { "ab", "1" };
        const char *const split2[] = { "a", "b1" };
        name_of(ENV_NODE, split1, 1, a);
        name_of(ENV_NODE, split2, 1, b);
        cr_expect_str_neq(a, b, "name 'ab' spec '1' vs name 'a' spec 'b1'");
        const char *const one_item[] = { "ab", "" };
        const char *const two_items[] = { "a", "", "b", "" };
        name_of(ENV_NODE, one_item, 1, a);
        name_of(ENV_NODE, two_items, 2, b);
        cr_expect_str_neq(a, b);

        /* the same pair as a requirement or as a lock entry */
        _cleanup_spec_ struct env_spec r, l;
        init_spec(&r, ENV_NODE);
        init_spec(&l, ENV_NODE);
        add_ok(&r, false, "x", "1.0.0");
        add_ok(&l, true, "x", "1.0.0");
        cr_assert_eq(env_spec_finish(&r), 0);
        cr_assert_eq(env_spec_finish(&l), 0);
        cr_expect_str_neq(r.name, l.name);

        /* runtime "a b" + index "c" vs runtime "a" + index "b c" */
        _cleanup_spec_ struct env_spec x, y;
        x = (struct env_spec) { .lang = ENV_PYTHON, .runtime = strdup("a b"), .index = strdup("c") };
        y = (struct env_spec) { .lang = ENV_PYTHON, .runtime = strdup("a"), .index = strdup("b c") };
        cr_assert_eq(env_spec_finish(&x), 0);
        cr_assert_eq(env_spec_finish(&y), 0);
        cr_expect_str_neq(x.name, y.name);
}

static void put(struct sha256_ctx *c, const char *s) {
        size_t n = strlen(s);
        unsigned char len[8];
        for (int i = 0; i < 8; i++)
                len[i] = (unsigned char) ((uint64_t) n >> (56 - 8 * i));
        cr_assert_eq(sha256_update(c, len, 8), 0);
        cr_assert_eq(sha256_update(c, s, n), 0);
}

/* The documented record format, recomputed here from its description. */
Test(env_key, record_format) {
        _cleanup_spec_ struct env_spec s;
        init_spec(&s, ENV_PYTHON);
        add_ok(&s, false, "b", "");
        add_ok(&s, false, "a", "==1");
        cr_assert_eq(env_spec_finish(&s), 0);
        struct sha256_ctx c = { 0 };
        cr_assert_eq(sha256_init(&c), 0);
        const char *const records[] = { "skilllite-env-v1", "python", "/usr/bin/python3.11 Python 3.11.2",
                                        "https://pypi.org/simple", "binary-only", "requirements", "2",
                                        "a", "==1", "b", "", "locked", "0" };
        for (size_t i = 0; i < ELEMENTSOF(records); i++)
                put(&c, records[i]);
        uint8_t d[SHA256_DIGEST_BYTES];
        char hex[SHA256_HEX_BYTES];
        cr_assert_eq(sha256_final(&c, d), 0);
        sha256_ctx_free(&c);
        sha256_to_hex(d, hex);
        cr_expect_str_eq(s.name + strlen("python-"), hex);
}

Test(env_key, incomplete_spec_is_refused) {
        struct env_spec s = { .lang = ENV_PYTHON };
        cr_expect_eq(env_spec_finish(&s), -EINVAL);
        env_spec_done(&s);
}

/* ---- the index ------------------------------------------------------------------------------ */

static void grants_ok(const char *url, const char *want, bool loopback, const char *public) {
        char *g = NULL, *p = NULL;
        bool lo = !loopback;
        struct error err = ERROR_INIT;
        int r = env_index_grants(url, &g, &lo, &p, &err);
        cr_assert_eq(r, 0, "%s: %s", url, err.msg);
        cr_expect_str_eq(g, want, "%s", url);
        cr_expect_eq(lo, loopback, "%s", url);
        if (public)
                cr_expect_str_eq(p, public);
        free(g);
        free(p);
}

static void grants_bad(const char *url) {
        char *g = NULL, *p = NULL;
        bool lo = false;
        struct error err = ERROR_INIT;
        cr_expect_eq(env_index_grants(url, &g, &lo, &p, &err), -EINVAL, "'%s' should be refused", url);
        cr_expect_null(g);
        cr_expect_gt(strlen(err.msg), 0);
}

Test(env_index, grants_from_urls) {
        grants_ok("https://pypi.org/simple", "pypi.org:443,files.pythonhosted.org:443", false, NULL);
        grants_ok("HTTPS://PyPI.org/simple/", "PyPI.org:443,files.pythonhosted.org:443", false, NULL);
        grants_ok("https://registry.npmjs.org/", "registry.npmjs.org:443", false, NULL);
        grants_ok("http://mirror.example/simple", "mirror.example:80", false, NULL);
        grants_ok("https://mirror.example:8443/pypi/simple?x=1", "mirror.example:8443", false, NULL);
        grants_ok("http://127.0.0.1:8080/simple/", "127.0.0.1:8080", true, "http://127.0.0.1:8080/simple/");
        grants_ok("http://127.3.4.5:81/", "127.3.4.5:81", true, NULL);
        grants_ok("http://[::1]:3141/root/pypi/", "[::1]:3141", true, NULL);
        grants_ok("https://user:s3cret@127.0.0.1:8443/simple", "127.0.0.1:8443", true, "https://127.0.0.1:8443/simple");
        grants_ok("https://tok@en:x@mirror.example/simple", "mirror.example:443", false, "https://mirror.example/simple");
        /* only literal loopback addresses lift the proxy's loopback refusal */
        grants_ok("http://localhost:8080/simple", "localhost:8080", false, NULL);
        grants_ok("http://10.0.0.1/simple", "10.0.0.1:80", false, NULL);
        grants_ok("http://[fd00::1]:80/", "[fd00::1]:80", false, NULL);
}

Test(env_index, bad_urls_are_refused) {
        grants_bad("");
        grants_bad("ftp://pypi.org/simple");
        grants_bad("file:///srv/simple");
        grants_bad("pypi.org/simple");
        grants_bad("http://");
        grants_bad("http:///simple");
        grants_bad("http://a,b.example/");         /* a ',' would add a grant */
        grants_bad("http://a.example,127.0.0.1/"); /* likewise */
        grants_bad("http://*.example/");
        grants_bad("http://!pypi.org/");
        grants_bad("http://x.example:0/");
        grants_bad("http://x.example:65536/");
        grants_bad("http://x.example:8o/");
        grants_bad("http://x.example:/");
        grants_bad("http://[::1/");
        grants_bad("http://[::1]x/");
        grants_bad("http://[not-v6]:80/");
        grants_bad("http://127.1:80/");        /* inet_aton's shorthand is not a host name either */
        grants_bad("http://pypi.org /simple");
        grants_bad("http://pypi.org/\nsimple");
        char big[ENV_URL_MAX + 64];
        snprintf(big, sizeof(big), "https://pypi.org/");
        memset(big + strlen(big), 'a', sizeof(big) - strlen(big) - 1);
        big[sizeof(big) - 1] = '\0';
        grants_bad(big);
}

Test(env_index, urls_from_the_environment) {
        unsetenv("PIP_INDEX_URL");
        unsetenv("NPM_CONFIG_REGISTRY");
        unsetenv("npm_config_registry");
        cr_expect_str_eq(env_index_url(ENV_PYTHON), ENV_DEFAULT_PIP_INDEX);
        cr_expect_str_eq(env_index_url(ENV_NODE), ENV_DEFAULT_NPM_REGISTRY);
        setenv("PIP_INDEX_URL", "http://127.0.0.1:1/simple", 1);
        setenv("npm_config_registry", "http://127.0.0.1:2/", 1);
        cr_expect_str_eq(env_index_url(ENV_PYTHON), "http://127.0.0.1:1/simple");
        cr_expect_str_eq(env_index_url(ENV_NODE), "http://127.0.0.1:2/");
        setenv("NPM_CONFIG_REGISTRY", "http://127.0.0.1:3/", 1);
        cr_expect_str_eq(env_index_url(ENV_NODE), "http://127.0.0.1:3/", "the upper-case name wins");
        setenv("PIP_INDEX_URL", "", 1);
        cr_expect_str_eq(env_index_url(ENV_PYTHON), ENV_DEFAULT_PIP_INDEX, "empty is unset");
}

/* ---- a skill's manifests -------------------------------------------------------------------- */

static char *make_dir(void) {
        char *t = strdup("/tmp/skilllite-test-env-XXXXXX");
        cr_assert_not_null(t);
        cr_assert_not_null(mkdtemp(t));
        return t;
}

static void write_at(const char *dir, const char *rel, const char *content) {
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        mkdir(path, 0755);
        *slash = '/';
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f, "%s", path);
        fputs(content, f);
        fclose(f);
}

/* A skill "demo" in a fresh directory (*dir: its parent, to remove): SKILL.md with the given
 * compatibility (or none), scripts/main.py and the given (path, content) files. */
static struct skill *skill_with(char **dir, const char *compat, const char *const *files) {
        *dir = make_dir();
        char skill_dir[PATH_MAX], md[1024];
        snprintf(skill_dir, sizeof(skill_dir), "%s/demo", *dir);
        cr_assert_eq(mkdir(skill_dir, 0755), 0);
        snprintf(md, sizeof(md), "---\nname: demo\ndescription: Test skill.\n%s%s%s---\nbody\n",
                 compat ? "compatibility: \"" : "", compat ? compat : "", compat ? "\"\n" : "");
        write_at(skill_dir, "SKILL.md", md);
        write_at(skill_dir, "scripts/main.py", "print('{}')\n");
        for (size_t i = 0; files && files[i]; i += 2)
                write_at(skill_dir, files[i], files[i + 1]);
        struct skill *s = NULL;
        struct skill_report rep = { 0 };
        cr_assert_eq(skill_report_init(&rep), 0);
        struct error err = ERROR_INIT;
        int r = skill_load(skill_dir, &s, &rep, &err);
        skill_report_done(&rep);
        cr_assert_eq(r, 0, "skill_load: %d %s", r, err.msg);
        return s;
}

static void host_with_interpreters(struct host_caps *h) {
        *h = (struct host_caps) { 0 };
        h->python = realpath("/usr/bin/python3", NULL);
        cr_assert_not_null(h->python);
        h->node = realpath("/usr/bin/node", NULL); /* may be NULL on a host without Node */
}

struct specs_result {
        int mask;
        struct env_spec spec[2];
        struct error err;
};

static void specs_of(const char *compat, const char *const *files, struct specs_result *out) {
        char *dir = NULL;
        struct skill *s = skill_with(&dir, compat, files);
        struct host_caps h;
        host_with_interpreters(&h);
        unsetenv("PIP_INDEX_URL");
        unsetenv("NPM_CONFIG_REGISTRY");
        unsetenv("npm_config_registry");
        unsetenv("SKILLLITE_PIP_ALLOW_SDIST");
        *out = (struct specs_result) { .err = ERROR_INIT };
        out->mask = env_skill_specs(s, &h, NULL, out->spec, &out->err);
        skill_free(s);
        host_caps_done(&h);
        rm_rf(dir);
        free(dir);
}

static void specs_done(struct specs_result *r) {
        env_spec_done(&r->spec[0]);
        env_spec_done(&r->spec[1]);
}

static bool has_req(const struct env_spec *s, const char *name, const char *spec) {
        for (size_t i = 0; i < s->n_reqs; i++)
                if (streq(s->reqs[i].name, name) && streq(s->reqs[i].spec, spec))
                        return true;
        return false;
}

Test(env_skill, no_manifests_no_environment) {
        struct specs_result r;
        const char *const files[] = { "sub/requirements.txt", "requests\n", "docs/package.json",
                                      "{\"dependencies\": {\"x\": \"1\"}}", NULL };
        specs_of(NULL, files, &r);
        cr_expect_eq(r.mask, 0, "only top-level manifests count: %s", r.err.msg);
        specs_done(&r);
}

Test(env_skill, requirements_with_includes_and_constraints) {
        struct specs_result r;
        const char *const files[] = {
                "requirements.txt", "# top\nDemo_Pkg>=1.0\n-r reqs/base.txt\n-c constraints.txt\nidna\n",
                "reqs/base.txt", "attrs==23.1.0  # pinned\n",
                "constraints.txt", "idna==3.4\n",
                "requirements-dev.txt", "pytest\n", /* not read: only requirements.txt is */
                NULL,
        };
        specs_of(NULL, files, &r);
        cr_assert_eq(r.mask, 1 << ENV_PYTHON, "%s", r.err.msg);
        const struct env_spec *s = &r.spec[ENV_PYTHON];
        cr_expect_eq(s->n_reqs, 3);
        cr_expect(has_req(s, "demo-pkg", ">=1.0"));
        cr_expect(has_req(s, "attrs", "==23.1.0"), "an include is followed");
        cr_expect(has_req(s, "idna", "==3.4"), "a -c constraint pins");
        cr_expect(!has_req(s, "pytest", ""));
        cr_expect(strneq(s->name, "python-", 7));
        cr_expect(strstr(s->runtime, "Python 3.") != NULL, "runtime: %s", s->runtime);
        cr_expect_str_eq(s->index, ENV_DEFAULT_PIP_INDEX);
        specs_done(&r);
}

Test(env_skill, compatibility_names_count) {
        struct specs_result r;
        specs_of("Install with: pip install demo-pkg", NULL, &r);
        cr_assert_eq(r.mask, 1 << ENV_PYTHON, "%s", r.err.msg);
        cr_expect(has_req(&r.spec[ENV_PYTHON], "demo-pkg", ""));
        specs_done(&r);
}

Test(env_skill, sources_outside_the_index_are_refused) {
        static const char *const bad[] = {
                "git+https://example.com/x.git#egg=x\n",
                "x @ https://example.com/x-1.0-py3-none-any.whl\n",
                "--index-url https://evil.example/simple\nx\n",
                "--extra-index-url https://evil.example/simple\nx\n",
                "-r ../outside.txt\n",
                "-r missing.txt\n",
                "x>=1 <2\n", /* unreadable: never "install what can be read" */
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                struct specs_result r;
                const char *const files[] = { "requirements.txt", bad[i], NULL };
                specs_of(NULL, files, &r);
                cr_expect_eq(r.mask, -EINVAL, "'%s' -> %d", bad[i], r.mask);
                cr_expect_gt(strlen(r.err.msg), 0);
                specs_done(&r);
        }
        struct specs_result r;
        const char *const npm[] = { "package.json", "{\"dependencies\": {\"x\": \"github:user/x\"}}", NULL };
        specs_of(NULL, npm, &r);
        cr_expect_eq(r.mask, -EINVAL, "%d", r.mask);
        specs_done(&r);
}

Test(env_skill, unreadable_requirements_are_refused) {
        struct specs_result r;
        const char *const files[] = { "requirements.txt", "requests\n\xff\xfe\n", NULL };
        specs_of(NULL, files, &r);
        cr_expect_eq(r.mask, -EINVAL, "%d %s", r.mask, r.err.msg);
        specs_done(&r);
}

Test(env_skill, package_json_and_lockfile) {
        if (access("/usr/bin/node", X_OK) != 0)
                cr_skip_test("no node on this host");
        struct specs_result r;
        const char *const files[] = {
                "package.json",
                "{\"name\": \"s\", \"dependencies\": {\"Left-Pad\": \"^1.0.0\"}, \"devDependencies\": "
                "{\"jest\": \"29\"}, \"scripts\": {\"postinstall\": \"node x.js\"}}",
                "package-lock.json",
                "{\"name\": \"s\", \"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"s\"},"
                " \"node_modules/left-pad\": {\"version\": \"1.3.0\", \"resolved\": "
                "\"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz\"},"
                " \"node_modules/jest\": {\"version\": \"29.0.0\", \"dev\": true, \"resolved\": "
                "\"https://registry.npmjs.org/jest/-/jest-29.0.0.tgz\"}}}",
                NULL,
        };
        specs_of(NULL, files, &r);
        cr_assert_eq(r.mask, 1 << ENV_NODE, "%d %s", r.mask, r.err.msg);
        const struct env_spec *s = &r.spec[ENV_NODE];
        cr_expect_eq(s->n_reqs, 1);
        cr_expect(has_req(s, "left-pad", "^1.0.0"));
        cr_expect_eq(s->n_locked, 1, "dev entries of the lockfile are left out");
        cr_expect_str_eq(s->locked[0].name, "left-pad");
        cr_expect_str_eq(s->locked[0].spec, "1.3.0");
        cr_expect_str_eq(s->lockfile_name, "package-lock.json");
        cr_expect_gt(s->lockfile_len, 0);
        cr_expect(strneq(s->name, "node-", 5));
        char first[ENV_NAME_MAX];
        snprintf(first, sizeof(first), "%s", s->name);
        specs_done(&r);

        /* the same package.json without the lockfile is another environment */
        const char *const nolock[] = { "package.json", files[1], NULL };
        specs_of(NULL, nolock, &r);
        cr_assert_eq(r.mask, 1 << ENV_NODE);
        cr_expect_str_neq(r.spec[ENV_NODE].name, first);
        specs_done(&r);
}

Test(env_skill, missing_interpreter) {
        char *dir = NULL;
        const char *const files[] = { "requirements.txt", "x\n", NULL };
        struct skill *s = skill_with(&dir, NULL, files);
        struct host_caps h = { 0 }; /* no interpreters */
        struct env_spec spec[2] = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(env_skill_specs(s, &h, NULL, spec, &err), -ENOENT);
        cr_expect(strstr(err.msg, "Python") != NULL, "%s", err.msg);
        skill_free(s);
        rm_rf(dir);
        free(dir);
}

Test(env_skill, runtime_version_is_cached) {
        char *root = make_dir();
        char *dir = NULL;
        const char *const files[] = { "requirements.txt", "x\n", NULL };
        struct skill *s = skill_with(&dir, NULL, files);
        struct host_caps h;
        host_with_interpreters(&h);
        struct env_spec a[2] = { 0 }, b[2] = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(env_skill_specs(s, &h, root, a, &err), 1 << ENV_PYTHON, "%s", err.msg);
        /* one cache file, named by the interpreter's identity */
        int found = 0;
        DIR *d = opendir(root);
        for (struct dirent *e; d && (e = readdir(d));)
                found += strneq(e->d_name, ".runtime-", 9);
        if (d)
                closedir(d);
        cr_expect_eq(found, 1);
        cr_assert_eq(env_skill_specs(s, &h, root, b, &err), 1 << ENV_PYTHON);
        cr_expect_str_eq(a[ENV_PYTHON].runtime, b[ENV_PYTHON].runtime);
        cr_expect_str_eq(a[ENV_PYTHON].name, b[ENV_PYTHON].name);
        env_spec_done(&a[0]), env_spec_done(&b[0]);
        host_caps_done(&h);
        skill_free(s);
        rm_rf(dir), rm_rf(root);
        free(dir), free(root);
}

/* ---- plans with environments ---------------------------------------------------------------- */

static struct skill *plan_skill(enum skill_language lang, const char *entry) {
        struct skill *s = calloc(1, sizeof(*s));
        cr_assert_not_null(s);
        s->dir = strdup("/home/alice/skills/calc");
        s->dir_name = strdup("calc");
        s->name = strdup("calc");
        s->description = strdup("Adds.");
        s->entry_point = strdup(entry);
        s->metadata = json_object();
        s->language = lang;
        s->kind = SKILL_KIND_STANDARD;
        return s;
}

static void plan_host(struct host_caps *h) {
        *h = (struct host_caps) { .userns = true, .landlock_abi = 6, .seccomp = true, .merged_usr = true };
        h->python = strdup("/usr/bin/python3.11");
        h->node = strdup("/usr/bin/node");
        h->shell = strdup("/usr/bin/bash");
}

static const struct plan_mount *find_mount(const struct sandbox_plan *p, const char *target) {
        for (size_t i = 0; i < p->n_mounts; i++)
                if (streq(p->mounts[i].target, target))
                        return &p->mounts[i];
        return NULL;
}

static const struct plan_landlock_rule *find_rule(const struct sandbox_plan *p, const char *path) {
        for (size_t i = 0; i < p->n_rules; i++)
                if (streq(p->rules[i].path, path))
                        return &p->rules[i];
        return NULL;
}

static bool has_env(const struct sandbox_plan *p, const char *entry) {
        for (char **e = p->envp; e && *e; e++)
                if (streq(*e, entry))
                        return true;
        return false;
}

Test(env_plan, python_env_is_mounted_read_only_and_runs_the_venv_python) {
        struct skill *s = plan_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        struct host_caps h;
        plan_host(&h);
        struct run_options o = { .level = 2, .env_python = "/cache/envs/python-abc" };
        struct sandbox_plan *p = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(sandbox_plan_build(s, &o, &h, &p, &err), 0, "%s", err.msg);
        cr_expect_str_eq(p->argv[0], SANDBOX_ENV_PYTHON_DIR "/bin/python");
        cr_expect_str_eq(p->argv[3], "/skill/scripts/main.py");
        const struct plan_mount *m = find_mount(p, SANDBOX_ENV_PYTHON_DIR);
        cr_assert_not_null(m);
        cr_expect_eq(m->kind, MOUNT_BIND);
        cr_expect_str_eq(m->source, "/cache/envs/python-abc");
        cr_expect(m->flags & MNT_F_RDONLY);
        cr_expect(!(m->flags & MNT_F_NOEXEC), "native extensions are mapped executable");
        const struct plan_landlock_rule *r = find_rule(p, SANDBOX_ENV_PYTHON_DIR);
        cr_assert_not_null(r);
        cr_expect_eq(r->access, LL_FS_READ_FILE | LL_FS_READ_DIR, "read only, never EXECUTE");
        /* the exec allowlist is still the interpreter itself */
        cr_expect_str_eq(p->exec_allowed[0], "/usr/bin/python3.11");
        cr_expect_null(find_mount(p, "/node_modules"));
        sandbox_plan_free(p);
        skill_free(s);
        host_caps_done(&h);
}

Test(env_plan, build_mount_is_writable_noexec) {
        struct skill *s = plan_skill(SKILL_LANG_PYTHON, "build");
        struct host_caps h;
        plan_host(&h);
        struct run_options o = { .level = 2, .env_python = "/cache/envs/.tmp-x/env", .env_build = true,
                                 .network_extra = "127.0.0.1:8080", .allow_private_network = true };
        struct sandbox_plan *p = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(sandbox_plan_build(s, &o, &h, &p, &err), 0, "%s", err.msg);
        cr_expect_str_eq(p->argv[0], "/usr/bin/python3.11", "the builder sets its own argv");
        const struct plan_mount *m = find_mount(p, SANDBOX_ENV_PYTHON_DIR);
        cr_assert_not_null(m);
        cr_expect(!(m->flags & MNT_F_RDONLY));
        cr_expect(m->flags & MNT_F_NOEXEC);
        const struct plan_landlock_rule *r = find_rule(p, SANDBOX_ENV_PYTHON_DIR);
        cr_assert_not_null(r);
        cr_expect(r->access & LL_FS_WRITE_FILE);
        cr_expect(r->access & LL_FS_MAKE_SYM, "venv makes symlinks");
        cr_expect(!(r->access & LL_FS_EXECUTE));
        cr_expect_eq(p->network.mode, PLAN_NET_PROXY);
        cr_expect_eq(p->network.grants.n, 1);
        sandbox_plan_free(p);
        skill_free(s);
        host_caps_done(&h);
}

Test(env_plan, node_env_behind_slash_node_modules) {
        struct skill *s = plan_skill(SKILL_LANG_NODE, "scripts/main.js");
        struct host_caps h;
        plan_host(&h);
        struct run_options o = { .level = 2, .env_node = "/cache/envs/node-abc", .env_python = "/cache/envs/python-x" };
        struct sandbox_plan *p = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(sandbox_plan_build(s, &o, &h, &p, &err), 0, "%s", err.msg);
        cr_expect_str_eq(p->argv[0], "/usr/bin/node", "a Node script keeps node");
        const struct plan_mount *m = find_mount(p, SANDBOX_ENV_NODE_DIR);
        cr_assert_not_null(m);
        cr_expect(m->flags & MNT_F_RDONLY);
        const struct plan_mount *l = find_mount(p, "/node_modules");
        cr_assert_not_null(l);
        cr_expect_eq(l->kind, MOUNT_SYMLINK);
        cr_expect_str_eq(l->source, SANDBOX_ENV_NODE_DIR "/node_modules");
        cr_expect_not_null(find_rule(p, SANDBOX_ENV_NODE_DIR));
        sandbox_plan_free(p);
        skill_free(s);
        host_caps_done(&h);
}

Test(env_plan, level1_uses_host_paths) {
        struct skill *s = plan_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        struct host_caps h;
        plan_host(&h);
        struct run_options o = { .level = 1, .env_python = "/cache/envs/python-abc", .env_node = "/cache/envs/node-abc" };
        struct sandbox_plan *p = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(sandbox_plan_build(s, &o, &h, &p, &err), 0, "%s", err.msg);
        cr_expect_str_eq(p->argv[0], "/cache/envs/python-abc/bin/python");
        cr_expect(has_env(p, "NODE_PATH=/cache/envs/node-abc/node_modules"));
        cr_expect_eq(p->n_mounts, 0);
        sandbox_plan_free(p);
        skill_free(s);
        host_caps_done(&h);
}

Test(env_plan, no_env_no_change) {
        struct skill *s = plan_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        struct host_caps h;
        plan_host(&h);
        struct run_options o = { .level = 2 };
        struct sandbox_plan *p = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(sandbox_plan_build(s, &o, &h, &p, &err), 0, "%s", err.msg);
        cr_expect_str_eq(p->argv[0], "/usr/bin/python3.11");
        for (size_t i = 0; i < p->n_mounts; i++)
                cr_expect(!strneq(p->mounts[i].target, "/env", 4), "%s", p->mounts[i].target);
        sandbox_plan_free(p);
        skill_free(s);
        host_caps_done(&h);
}

/* ---- the store ------------------------------------------------------------------------------ */

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void mkdir_at(const char *root, const char *name) {
        char p[PATH_MAX];
        snprintf(p, sizeof(p), "%s/%s", root, name);
        cr_assert_eq(mkdir(p, 0755), 0, "%s", p);
}

static bool exists_at(const char *root, const char *name) {
        char p[PATH_MAX];
        struct stat st;
        snprintf(p, sizeof(p), "%s/%s", root, name);
        return lstat(p, &st) == 0;
}

Test(env_store, list_and_remove) {
        char *root = make_dir();
        mkdir_at(root, "python-" HEX64);
        mkdir_at(root, "python-" HEX64 "/lib");
        write_at(root, "python-" HEX64 "/lib/x.py", "12345");
        mkdir_at(root, "node-" HEX64);
        mkdir_at(root, ".tmp-node-" HEX64 "-Ab12Cd");
        mkdir_at(root, ".trash-python-" HEX64 "-Zz99Yy");
        write_at(root, ".log-python-" HEX64 ".txt", "pip said no");
        write_at(root, ".lock-node-" HEX64, "");
        write_at(root, ".runtime-0011223344556677", "Python 3.11.2");
        mkdir_at(root, "python-notakey");  /* not a name we create: never touched */
        write_at(root, "notes.txt", "mine");

        struct env_list l = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(env_list(root, &l, &err), 0, "%s", err.msg);
        cr_assert_eq(l.n, 5);
        cr_expect_str_eq(l.v[0].name, ".log-python-" HEX64 ".txt");
        cr_expect_str_eq(l.v[1].name, ".tmp-node-" HEX64 "-Ab12Cd");
        cr_expect_str_eq(l.v[2].name, ".trash-python-" HEX64 "-Zz99Yy");
        cr_expect_str_eq(l.v[3].name, "node-" HEX64);
        cr_expect_str_eq(l.v[4].name, "python-" HEX64);
        cr_expect(!l.v[0].complete && !l.v[1].complete && !l.v[2].complete);
        cr_expect(l.v[3].complete && l.v[4].complete);
        cr_expect_eq(l.v[4].bytes, 5);
        for (size_t i = 0; i < l.n; i++)
                cr_expect_eq(env_remove(root, l.v[i].name, &err), 1, "%s: %s", l.v[i].name, err.msg);
        env_list_done(&l);
        cr_expect(!exists_at(root, "python-" HEX64));
        cr_expect(!exists_at(root, "node-" HEX64));
        cr_expect(!exists_at(root, ".tmp-node-" HEX64 "-Ab12Cd"));
        cr_expect(!exists_at(root, ".lock-node-" HEX64), "a removed environment's lock file goes too");
        cr_expect(exists_at(root, "python-notakey"));
        cr_expect(exists_at(root, "notes.txt"));
        cr_expect(exists_at(root, ".runtime-0011223344556677"));
        cr_assert_eq(env_list(root, &l, &err), 0);
        cr_expect_eq(l.n, 0);
        /* no leftover trash directories either */
        DIR *d = opendir(root);
        for (struct dirent *e; d && (e = readdir(d));)
                cr_expect(!strneq(e->d_name, ".trash-", 7), "%s", e->d_name);
        closedir(d);
        env_list_done(&l);
        rm_rf(root);
        free(root);
}

Test(env_store, a_held_lock_is_respected) {
        char *root = make_dir();
        mkdir_at(root, "python-" HEX64);
        mkdir_at(root, ".tmp-python-" HEX64 "-qwerty");
        char lock[PATH_MAX];
        snprintf(lock, sizeof(lock), "%s/.lock-python-" HEX64, root);
        int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        cr_assert_geq(fd, 0);
        cr_assert_eq(flock(fd, LOCK_EX), 0); /* a build in progress */
        struct error err = ERROR_INIT;
        cr_expect_eq(env_remove(root, "python-" HEX64, &err), 0);
        cr_expect_eq(env_remove(root, ".tmp-python-" HEX64 "-qwerty", &err), 0);
        cr_expect(exists_at(root, "python-" HEX64));
        cr_expect(exists_at(root, ".tmp-python-" HEX64 "-qwerty"));
        close(fd);
        cr_expect_eq(env_remove(root, ".tmp-python-" HEX64 "-qwerty", &err), 1);
        cr_expect_eq(env_remove(root, "python-" HEX64, &err), 1);
        cr_expect(!exists_at(root, "python-" HEX64));
        rm_rf(root);
        free(root);
}

Test(env_store, names_outside_the_store_are_refused) {
        char *root = make_dir();
        struct error err = ERROR_INIT;
        static const char *const bad[] = { "", ".", "..", "../x", "a/b", "notes.txt", "python-short", ".lock-x",
                                           ".tmp-nonsense" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                error_clear(&err);
                cr_expect_eq(env_remove(root, bad[i], &err), -EINVAL, "'%s'", bad[i]);
        }
        struct env_list l = { 0 };
        char missing[PATH_MAX];
        snprintf(missing, sizeof(missing), "%s/none", root);
        cr_expect_eq(env_list(missing, &l, &err), 0, "a missing root is empty");
        cr_expect_eq(l.n, 0);
        rm_rf(root);
        free(root);
}

Test(env_store, root_from_environment) {
        char *r = NULL;
        setenv(ENV_DIR_VAR, "/tmp/skilllite-env-root-test/x", 1);
        cr_assert_eq(env_root(NULL, false, &r), 0);
        cr_expect_str_eq(r, "/tmp/skilllite-env-root-test/x");
        free(r);
        cr_assert_eq(env_root("/explicit", false, &r), 0);
        cr_expect_str_eq(r, "/explicit");
        free(r);
        unsetenv(ENV_DIR_VAR);
        setenv("XDG_CACHE_HOME", "/xdg/cache", 1);
        cr_assert_eq(env_root(NULL, false, &r), 0);
        cr_expect_str_eq(r, "/xdg/cache/skilllite/envs");
        free(r);
        setenv(ENV_DIR_VAR, "/tmp/skilllite-env-root-test/a/b", 1);
        cr_assert_eq(env_root(NULL, true, &r), 0);
        struct stat st;
        cr_expect_eq(stat(r, &st), 0);
        cr_expect_eq(st.st_mode & 0777, 0700);
        free(r);
        rm_rf("/tmp/skilllite-env-root-test");
}

Test(env_store, removing_a_missing_environment_is_not_an_error) {
        char *root = make_dir();
        struct error err = ERROR_INIT;
        cr_expect_eq(env_remove(root, "python-" HEX64, &err), 1, "%s", err.msg);
        cr_expect(!exists_at(root, ".lock-python-" HEX64));
        char none[PATH_MAX];
        snprintf(none, sizeof(none), "%s/no-store-yet", root);
        cr_expect_eq(env_remove(none, "python-" HEX64, &err), 1, "%s", err.msg);
        cr_expect(!exists_at(root, "no-store-yet"), "removing creates nothing");
        rm_rf(root);
        free(root);
}

/* Lookup without building: what run finds for a skill whose environment exists or not. */
Test(env_prepare, lookup_only) {
        char *root = make_dir();
        char *dir = NULL;
        const char *const files[] = { "requirements.txt", "demo-pkg>=1\n", NULL };
        struct skill *s = skill_with(&dir, NULL, files);
        struct host_caps h;
        host_with_interpreters(&h);
        unsetenv("PIP_INDEX_URL");
        unsetenv("SKILLLITE_PIP_ALLOW_SDIST");
        struct env_options o = { .root = root, .no_build = true };
        struct env_ref ref = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(env_prepare(s, &h, &o, &ref, &err), -ENOENT);
        cr_expect(strstr(err.msg, "not built") != NULL, "%s", err.msg);
        cr_expect_null(ref.python_dir);

        /* an environment of that key exists (made here by hand): it is found, nothing is built */
        struct env_spec spec[2] = { 0 };
        cr_assert_eq(env_skill_specs(s, &h, root, spec, &err), 1 << ENV_PYTHON);
        mkdir_at(root, spec[ENV_PYTHON].name);
        error_clear(&err);
        cr_assert_eq(env_prepare(s, &h, &o, &ref, &err), 1, "%s", err.msg);
        char want[PATH_MAX];
        snprintf(want, sizeof(want), "%s/%s", root, spec[ENV_PYTHON].name);
        cr_expect_str_eq(ref.python_dir, want);
        cr_expect_str_eq(ref.python_name, spec[ENV_PYTHON].name);
        cr_expect_null(ref.node_dir);
        struct run_options ro = { .env_build = true };
        env_ref_apply(&ref, &ro);
        cr_expect_eq(ro.env_python, ref.python_dir);
        cr_expect_null(ro.env_node);
        cr_expect(!ro.env_build);
        env_ref_done(&ref);
        env_spec_done(&spec[0]);

        /* the store lists just that environment (the runtime cache is not an entry) */
        struct env_list l = { 0 };
        cr_assert_eq(env_list(root, &l, &err), 0);
        cr_expect_eq(l.n, 1);
        env_list_done(&l);
        host_caps_done(&h);
        skill_free(s);
        rm_rf(dir), rm_rf(root);
        free(dir), free(root);
}

Test(env_prepare, no_dependencies) {
        char *root = make_dir();
        char *dir = NULL;
        struct skill *s = skill_with(&dir, "Python 3.10+, standard library only", NULL);
        struct host_caps h;
        host_with_interpreters(&h);
        struct env_options o = { .root = root };
        struct env_ref ref = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(env_prepare(s, &h, &o, &ref, &err), 0, "%s", err.msg);
        cr_expect_null(ref.python_dir);
        cr_expect_null(ref.node_dir);
        host_caps_done(&h);
        skill_free(s);
        rm_rf(dir), rm_rf(root);
        free(dir), free(root);
}

Test(env_prepare, build_needs_the_sandbox) {
        char *root = make_dir();
        char *dir = NULL;
        const char *const files[] = { "requirements.txt", "demo-pkg\n", NULL };
        struct skill *s = skill_with(&dir, NULL, files);
        struct host_caps h;
        host_with_interpreters(&h); /* no userns, Landlock or seccomp recorded */
        struct env_options o = { .root = root };
        struct env_ref ref = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(env_prepare(s, &h, &o, &ref, &err), -ENOTSUP);
        cr_expect(strstr(err.msg, "sandbox") != NULL, "%s", err.msg);
        struct env_list l = { 0 };
        cr_assert_eq(env_list(root, &l, &err), 0);
        cr_expect_eq(l.n, 0, "nothing was started");
        env_list_done(&l);
        host_caps_done(&h);
        skill_free(s);
        rm_rf(dir), rm_rf(root);
        free(dir), free(root);
}

Test(env_prepare, no_home_is_fine_without_dependencies) {
        char *dir = NULL;
        struct skill *s = skill_with(&dir, NULL, NULL);
        struct host_caps h;
        host_with_interpreters(&h);
        unsetenv(ENV_DIR_VAR);
        unsetenv("XDG_CACHE_HOME");
        unsetenv("HOME");
        struct env_ref ref = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(env_prepare(s, &h, NULL, &ref, &err), 0, "%s", err.msg);
        skill_free(s);
        rm_rf(dir);
        free(dir);
        /* with dependencies the store is needed, and its absence is said */
        const char *const files[] = { "requirements.txt", "demo-pkg\n", NULL };
        s = skill_with(&dir, NULL, files);
        cr_expect_eq(env_prepare(s, &h, NULL, &ref, &err), -ENOENT);
        cr_expect(strstr(err.msg, "no environment directory") != NULL, "%s", err.msg);
        host_caps_done(&h);
        skill_free(s);
        rm_rf(dir);
        free(dir);
}
