/* Unit tests for src/scan/deps: requirements files (continuations, comments, markers, extras,
 * includes with cycles and the depth cap, constraints, index options, URL/VCS/path sources),
 * pyproject.toml, setup.py/setup.cfg, package.json, package-lock.json v1-v3, the compatibility
 * text, de-duplication, caps and the JSON form. Skills are built in memory: no files. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/scan/deps.h"

static struct dependencies deps;
static struct findings fnd;

static void teardown(void) {
        deps_done(&deps);
        findings_done(&fnd);
}

TestSuite(deps, .fini = teardown);

/* A skill of files given as (path, kind, content) triples. */
struct file_spec {
        const char *path;
        enum scan_file_kind kind;
        const char *data;
        size_t len; /* 0: strlen(data) */
};

static void run(const struct file_spec *spec, size_t n, const char *compat) {
        struct scan_file *v = calloc(n ? n : 1, sizeof(*v));
        cr_assert_not_null(v);
        for (size_t i = 0; i < n; i++) {
                v[i].path = (char *) spec[i].path;
                v[i].kind = spec[i].kind;
                v[i].data = (char *) spec[i].data;
                v[i].len = spec[i].data ? (spec[i].len ? spec[i].len : strlen(spec[i].data)) : 0;
                v[i].size = v[i].len;
        }
        struct scan_files files = { v, n };
        int r = deps_extract(&files, compat, &deps, &fnd);
        free(v);
        cr_assert_eq(r, 0, "deps_extract: %d", r);
}

static void run1(const char *path, enum scan_file_kind kind, const char *data) {
        struct file_spec s = { path, kind, data, 0 };
        run(&s, 1, NULL);
}

static const struct dependency *find(enum dep_ecosystem eco, const char *name, const char *file) {
        for (size_t i = 0; i < deps.n; i++)
                if (deps.v[i].eco == eco && streq(deps.v[i].name, name) && (!file || streq(deps.v[i].file, file)))
                        return &deps.v[i];
        return NULL;
}

static const struct dependency *must_find(enum dep_ecosystem eco, const char *name, const char *file) {
        const struct dependency *d = find(eco, name, file);
        cr_assert_not_null(d, "dependency %s (%s) not found", name, file ? file : "any file");
        return d;
}

static void expect_dep(enum dep_ecosystem eco, const char *name, const char *file, const char *spec,
                       const char *version, uint32_t line) {
        const struct dependency *d = must_find(eco, name, file);
        cr_expect_str_eq(d->spec, spec, "%s: spec '%s', want '%s'", name, d->spec, spec);
        if (version)
                cr_expect(d->version && streq(d->version, version), "%s: version '%s', want '%s'", name,
                          d->version ? d->version : "(null)", version);
        else
                cr_expect_null(d->version, "%s: version '%s', want none", name, d->version);
        if (line != UINT32_MAX)
                cr_expect_eq(d->line, line, "%s: line %u, want %u", name, d->line, line);
}

static size_t count_rule(const char *rule) {
        size_t k = 0;
        for (size_t i = 0; i < fnd.n; i++)
                if (streq(fnd.v[i].rule_id, rule))
                        k++;
        return k;
}

static const struct finding *first_rule(const char *rule) {
        for (size_t i = 0; i < fnd.n; i++)
                if (streq(fnd.v[i].rule_id, rule))
                        return &fnd.v[i];
        return NULL;
}

static void expect_all_supply_chain(void) {
        for (size_t i = 0; i < fnd.n; i++) {
                cr_expect_str_eq(fnd.v[i].category, "supply_chain");
                cr_expect(fnd.v[i].message[0]);
        }
}

/* ---- requirements.txt ------------------------------------------------------------------------ */

Test(deps, requirements_basics) {
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS,
             "# a comment line\n"
             "requests>=2.0,<3  # trailing comment\n"
             "Flask[async, dotenv] == 2.3.2 ; python_version >= \"3.8\"\n"
             "numpy\n"
             "Django_REST..framework===3.14\n"
             "pkg2 (>=1.0)\n"
             "\n"
             "long-pkg \\\n"
             "  >= 1.0 \\\n"
             "  , <2\n"
             "hashed==1.0 --hash=sha256:abcd --hash=sha256:ef01\n"
             "wild==1.*\n"
             "  #indented comment \\\n"
             "after-comment==0.1\n"
             "not#a-comment\n");
        expect_dep(DEP_PYPI, "requests", "requirements.txt", ">=2.0,<3", NULL, 2);
        expect_dep(DEP_PYPI, "flask", NULL, "==2.3.2", "2.3.2", 3);
        expect_dep(DEP_PYPI, "numpy", NULL, "", NULL, 4);
        expect_dep(DEP_PYPI, "django-rest-framework", NULL, "===3.14", "3.14", 5);
        expect_dep(DEP_PYPI, "pkg2", NULL, ">=1.0", NULL, 6);
        expect_dep(DEP_PYPI, "long-pkg", NULL, ">=1.0,<2", NULL, 8);
        expect_dep(DEP_PYPI, "hashed", NULL, "==1.0", "1.0", 11);
        expect_dep(DEP_PYPI, "wild", NULL, "==1.*", NULL, 12);
        expect_dep(DEP_PYPI, "after-comment", NULL, "==0.1", "0.1", 14);
        cr_expect_eq(deps.n, 9, "got %zu", deps.n);
        cr_expect_eq(count_rule("dep.requirement.invalid"), 1, "not#a-comment is no comment and no requirement");
        for (size_t i = 0; i < deps.n; i++) {
                cr_expect(deps.v[i].direct);
                cr_expect_not(deps.v[i].url);
                cr_expect_not(deps.v[i].dev);
                cr_expect_eq(deps.v[i].eco, DEP_PYPI);
        }
        expect_all_supply_chain();
}

Test(deps, requirements_line_endings_and_bom) {
        run1("requirements-dev.txt", SCAN_FILE_REQUIREMENTS, "\xef\xbb\xbf" "a==1\r\nb==2\rc==3\n\r\nd\\\r\n==4\re");
        expect_dep(DEP_PYPI, "a", NULL, "==1", "1", 1);
        expect_dep(DEP_PYPI, "b", NULL, "==2", "2", 2);
        expect_dep(DEP_PYPI, "c", NULL, "==3", "3", 3);
        expect_dep(DEP_PYPI, "d", NULL, "==4", "4", 5);
        expect_dep(DEP_PYPI, "e", NULL, "", NULL, 7);
        cr_expect_eq(deps.n, 5);
        cr_expect_eq(fnd.n, 0);
}

Test(deps, requirements_includes) {
        static const struct file_spec files[] = {
                { "requirements.txt", SCAN_FILE_REQUIREMENTS,
                  "-r sub/more.txt\n"
                  "--requirement=../escape.txt\n"
                  "-r /etc/passwd\n"
                  "-r missing.txt\n"
                  "-r https://example.com/reqs.txt\n"
                  "-cconstraints.txt\n"
                  "foo\n"
                  "-r ./sub/../sub/./more.txt\n", 0 },
                { "sub/more.txt", SCAN_FILE_TEXT, "bar==1\n-r ../requirements.txt\n-r ../sub/../../x.txt\n", 0 },
                { "constraints.txt", SCAN_FILE_TEXT, "foo==2.0\nbaz==1\n", 0 },
        };
        run(files, ELEMENTSOF(files), NULL);
        expect_dep(DEP_PYPI, "foo", "requirements.txt", "", "2.0", 7); /* pinned by the constraint */
        expect_dep(DEP_PYPI, "bar", "sub/more.txt", "==1", "1", 1);
        cr_expect_null(find(DEP_PYPI, "baz", NULL), "constraints only constrain");
        cr_expect_eq(deps.n, 2);
        cr_expect_eq(count_rule("dep.include.outside"), 3, "../escape.txt, /etc/passwd, sub/../../x.txt");
        cr_expect_eq(count_rule("dep.include.missing"), 1);
        cr_expect_eq(count_rule("dep.include.url"), 1);
        cr_expect_eq(count_rule("dep.include.cycle"), 1);
        const struct finding *m = first_rule("dep.include.missing");
        cr_assert_not_null(m);
        cr_expect_eq(m->severity, SEV_MEDIUM);
        cr_expect_eq(m->line, 4);
        cr_expect_str_eq(m->file, "requirements.txt");
        cr_expect_str_eq(m->snippet, "-r missing.txt");
        cr_expect_eq(first_rule("dep.include.outside")->severity, SEV_MEDIUM);
        expect_all_supply_chain();
}

Test(deps, requirements_self_include_terminates) {
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS, "-r requirements.txt\nx\n-r ./requirements.txt\n");
        cr_expect_eq(deps.n, 1);
        cr_expect_eq(count_rule("dep.include.cycle"), 2);
}

Test(deps, requirements_include_depth_cap) {
        struct file_spec files[12];
        char names[12][32], data[12][64];
        for (int i = 0; i < 12; i++) {
                snprintf(names[i], sizeof(names[i]), i ? "r%d.txt" : "requirements.txt", i);
                snprintf(data[i], sizeof(data[i]), "-r r%d.txt\npkg%d\n", i + 1, i);
                files[i] = (struct file_spec) { names[i], i ? SCAN_FILE_TEXT : SCAN_FILE_REQUIREMENTS, data[i], 0 };
        }
        run(files, ELEMENTSOF(files), NULL);
        /* the top file and DEPS_INCLUDE_MAX_DEPTH nested levels are read, nothing deeper */
        for (int i = 0; i <= DEPS_INCLUDE_MAX_DEPTH; i++) {
                char name[16];
                snprintf(name, sizeof(name), "pkg%d", i);
                cr_expect_not_null(find(DEP_PYPI, name, NULL), "%s", name);
        }
        cr_expect_null(find(DEP_PYPI, "pkg9", NULL));
        cr_expect_eq(deps.n, DEPS_INCLUDE_MAX_DEPTH + 1);
        cr_expect_eq(count_rule("dep.include.depth"), 1);
        cr_expect_eq(first_rule("dep.include.depth")->severity, SEV_MEDIUM);
}

Test(deps, requirements_diamond_is_read_once) {
        static const struct file_spec files[] = {
                { "requirements-a.txt", SCAN_FILE_REQUIREMENTS, "-r common.txt\na\n", 0 },
                { "requirements-b.txt", SCAN_FILE_REQUIREMENTS, "-r common.txt\nb\n", 0 },
                { "common.txt", SCAN_FILE_TEXT, "--extra-index-url https://x.example/simple\nc\n", 0 },
        };
        run(files, ELEMENTSOF(files), NULL);
        cr_expect_eq(deps.n, 3);
        cr_expect_eq(count_rule("dep.index.extra"), 1, "common.txt is read (and reported) once");
}

Test(deps, requirements_index_options) {
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS,
             "--extra-index-url https://evil.example/simple\n"
             "--extra-index=https://abbrev.example/simple\n"
             "-i https://mirror.example/simple\n"
             "--index-url=https://m2.example/simple\n"
             "--trusted-host evil.example\n"
             "-f ./wheels\n"
             "--find-links=https://x.example/links\n"
             "--no-index\n"
             "--pre\n"
             "--unknown-opt foo --extra-index-url https://not-read.example\n"
             "--e ambiguous\n"
             "-i\n"
             "-i https://a.example --trusted-host a.example\n"
             "after==1\n");
        cr_expect_eq(count_rule("dep.index.extra"), 2);
        cr_expect_eq(count_rule("dep.index.custom"), 3);
        cr_expect_eq(count_rule("dep.index.trusted-host"), 2);
        cr_expect_eq(count_rule("dep.index.find-links"), 2);
        cr_expect_eq(first_rule("dep.index.extra")->severity, SEV_HIGH);
        cr_expect_eq(first_rule("dep.index.trusted-host")->severity, SEV_HIGH);
        cr_expect_eq(first_rule("dep.index.custom")->severity, SEV_MEDIUM);
        cr_expect_eq(first_rule("dep.index.find-links")->severity, SEV_MEDIUM);
        cr_expect_eq(first_rule("dep.index.extra")->line, 1);
        cr_expect(strstr(first_rule("dep.index.extra")->message, "https://evil.example/simple"));
        expect_dep(DEP_PYPI, "after", NULL, "==1", "1", 14);
        cr_expect_eq(deps.n, 1);
}

Test(deps, requirements_long_option_lines) {
        /* pip reads every option of a line, however many come first */
        char line[2048];
        size_t o = 0;
        for (int i = 0; i < 200; i++)
                o += (size_t) snprintf(line + o, sizeof(line) - o, "--pre ");
        snprintf(line + o, sizeof(line) - o, "--extra-index-url https://late.example/simple\nx\n");
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS, line);
        cr_expect_eq(count_rule("dep.index.extra"), 1);
        cr_expect_eq(deps.n, 1);
}

Test(deps, requirements_urls_vcs_paths) {
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS,
             "-e git+https://github.com/x/y.git#egg=Egg_Name\n"
             "git+https://github.com/a/b@v1#subdirectory=s&egg=bee\n"
             "https://files.example/pkg_w-1.0-py3-none-any.whl\n"
             "./local/path\n"
             "name @ https://x.example/y.tar.gz ; python_version<'3.9'\n"
             "-e .\n"
             "../wheels/other-2.0-py3-none-any.whl\n"
             "file:///tmp/x.zip\n"
             "plain==1\n");
        cr_expect_eq(count_rule("dep.source.url"), 8);
        cr_expect_eq(first_rule("dep.source.url")->severity, SEV_MEDIUM);
        const struct dependency *d = must_find(DEP_PYPI, "egg-name", NULL);
        cr_expect(d->url);
        cr_expect_null(d->version);
        cr_expect_str_eq(d->spec, "@ git+https://github.com/x/y.git#egg=Egg_Name");
        cr_expect(must_find(DEP_PYPI, "bee", NULL)->url);
        cr_expect(must_find(DEP_PYPI, "pkg-w", NULL)->url);
        cr_expect(must_find(DEP_PYPI, "other", NULL)->url);
        d = must_find(DEP_PYPI, "name", NULL);
        cr_expect(d->url);
        cr_expect_str_eq(d->spec, "@ https://x.example/y.tar.gz");
        cr_expect_not(must_find(DEP_PYPI, "plain", NULL)->url);
        cr_expect_eq(deps.n, 6, "no name for ./local/path, '.' and x.zip: %zu", deps.n);
}

Test(deps, requirements_unparsable_lines) {
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS, "foo bar baz\n==1.0\n-pkg\nok\n[extra]\nx[unclosed\n");
        cr_expect_eq(count_rule("dep.requirement.invalid"), 4);
        cr_expect_eq(first_rule("dep.requirement.invalid")->severity, SEV_LOW);
        cr_expect_eq(deps.n, 1);
}

Test(deps, requirements_hostile_bytes) {
        static const char data[] = "ok==1\nnul\0byte==2\nx\0\n\\";
        struct file_spec s = { "requirements.txt", SCAN_FILE_REQUIREMENTS, data, sizeof(data) - 1 };
        run(&s, 1, NULL);
        cr_expect_not_null(find(DEP_PYPI, "ok", NULL));
        char *big = malloc(20000);
        cr_assert_not_null(big);
        memset(big, 'a', 19999);
        big[19999] = '\0';
        deps_done(&deps);
        findings_done(&fnd);
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS, big);
        cr_expect_eq(deps.n, 0);
        cr_expect_eq(count_rule("dep.name.too-long"), 1);
        memset(big, '\\', 19999); /* one endless continuation */
        deps_done(&deps);
        findings_done(&fnd);
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS, big);
        cr_expect_eq(deps.n, 0);
        free(big);
}

/* ---- pyproject.toml -------------------------------------------------------------------------- */

Test(deps, pyproject) {
        run1("pyproject.toml", SCAN_FILE_PYPROJECT,
             "# comment\n"
             "[build-system]\n"
             "requires = [\"setuptools>=61\", 'wheel']\n"
             "\n"
             "[project]\n"
             "name = \"demo\"\n"
             "description = \"\"\"A [project] with\n"
             "dependencies = [\"not-a-dep\"]\n"
             "inside a string\"\"\"\n"
             "released = 1979-05-27 07:32:00Z\n"
             "pi = 3.14\n"
             "flag = true\n"
             "dependencies = [\n"
             "  \"requ\\u0065sts >= 2.0\",  # escaped e\n"
             "  'httpx[http2]==0.27.0; python_version > \"3.8\"',\n"
             "  \"\"\"multi-line-basic\"\"\",\n"
             "  '''lit.eral'''  ,\n"
             "]\n"
             "[project.optional-dependencies]\n"
             "test = [\"pytest>=8\"]\n"
             "\"quoted-group\" = [\"coverage\"]\n"
             "\n"
             "[dependency-groups]\n"
             "dev = [\"ruff\", {include-group = \"test\"}]\n"
             "\n"
             "[tool.poetry.dependencies]\n"
             "python = \"^3.10\"\n"
             "pendulum = \"^2.1\"\n"
             "exact = \"1.2.3\"\n"
             "inline = { version = \">=1, <2\", extras = [\"x\"] }\n"
             "from-git = { git = \"https://github.com/a/b.git\", branch = \"main\" }\n"
             "multi = [ { version = \"<1\", python = \"<3.8\" }, { version = \">=1\", python = \">=3.8\" } ]\n"
             "\n"
             "[tool.poetry.group.dev.dependencies]\n"
             "black = \"*\"\n"
             "\n"
             "[tool.poetry]\n"
             "dev-dependencies = { mypy = \"1.0\" }\n"
             "\n"
             "[[tool.poetry.source]]\n"
             "name = \"private\"\n"
             "url = \"https://pypi.private.example/simple\"\n"
             "\n"
             "[tool.uv]\n"
             "extra-index-url = [\"https://extra.example/simple\"]\n");
        const char *F = "pyproject.toml";
        expect_dep(DEP_PYPI, "setuptools", F, ">=61", NULL, 3);
        expect_dep(DEP_PYPI, "wheel", F, "", NULL, 3);
        expect_dep(DEP_PYPI, "requests", F, ">=2.0", NULL, 14);
        expect_dep(DEP_PYPI, "httpx", F, "==0.27.0", "0.27.0", 15);
        expect_dep(DEP_PYPI, "multi-line-basic", F, "", NULL, 16);
        expect_dep(DEP_PYPI, "lit-eral", F, "", NULL, 17);
        cr_expect_null(find(DEP_PYPI, "lit", NULL));
        cr_expect_null(find(DEP_PYPI, "not-a-dep", NULL), "text inside a multi-line string");
        expect_dep(DEP_PYPI, "pytest", F, ">=8", NULL, 20);
        expect_dep(DEP_PYPI, "coverage", F, "", NULL, 21);
        expect_dep(DEP_PYPI, "ruff", F, "", NULL, 24);
        cr_expect(must_find(DEP_PYPI, "ruff", F)->dev);
        cr_expect_null(find(DEP_PYPI, "python", NULL));
        expect_dep(DEP_PYPI, "pendulum", F, "^2.1", NULL, 28);
        expect_dep(DEP_PYPI, "exact", F, "1.2.3", "1.2.3", 29);
        expect_dep(DEP_PYPI, "inline", F, ">=1, <2", NULL, 30);
        const struct dependency *g = must_find(DEP_PYPI, "from-git", F);
        cr_expect(g->url);
        cr_expect_str_eq(g->spec, "@ https://github.com/a/b.git");
        cr_expect_not_null(find(DEP_PYPI, "multi", F));
        size_t multi = 0;
        for (size_t i = 0; i < deps.n; i++)
                multi += streq(deps.v[i].name, "multi");
        cr_expect_eq(multi, 2, "one entry per constraint");
        const struct dependency *b = must_find(DEP_PYPI, "black", F);
        cr_expect(b->dev);
        cr_expect_str_eq(b->spec, "*");
        cr_expect(must_find(DEP_PYPI, "mypy", F)->dev);
        cr_expect_eq(count_rule("dep.source.url"), 1);
        cr_expect_eq(count_rule("dep.index.custom"), 1);
        cr_expect_eq(count_rule("dep.index.extra"), 1);
        cr_expect_eq(first_rule("dep.index.custom")->line, 42);
        cr_expect_eq(count_rule("dep.pyproject.unreadable"), 0, "everything above is valid TOML");
        expect_all_supply_chain();
}

Test(deps, pyproject_damaged) {
        run1("pyproject.toml", SCAN_FILE_PYPROJECT,
             "[project]\n"
             "dependencies = [\"good>=1\"]\n"
             "readme = \"unterminated\n"
             "optional-dependencies = { x = [\"later\"] }\n"
             "[tool.poetry.dependencies\n"
             "dependencies = [\"hidden\"]\n"
             "[build-system]\n"
             "requires = [\"bad\\qescape\", \"fine\"]\n"
             "requires2 = 'x' trailing\n"
             "bad = [1, 2\n");
        cr_expect_not_null(find(DEP_PYPI, "good", NULL));
        cr_expect_not_null(find(DEP_PYPI, "later", NULL), "reading goes on after an error");
        cr_expect_null(find(DEP_PYPI, "hidden", NULL), "keys under a broken header are not placed");
        cr_expect_null(find(DEP_PYPI, "fine", NULL), "a statement with a bad escape is dropped whole");
        cr_expect_eq(count_rule("dep.pyproject.unreadable"), 1);
        const struct finding *u = first_rule("dep.pyproject.unreadable");
        cr_assert_not_null(u);
        cr_expect_eq(u->severity, SEV_LOW);
        cr_expect_eq(u->line, 3);
}

Test(deps, pyproject_garbage_and_hostile) {
        run1("pyproject.toml", SCAN_FILE_PYPROJECT, "\x01\x02 this is {{{ not toml ]]]\n\"\"\"");
        cr_expect_eq(deps.n, 0);
        cr_expect_eq(count_rule("dep.pyproject.unreadable"), 1);
        cr_expect(strstr(first_rule("dep.pyproject.unreadable")->message, "could not be understood"));

        /* nesting far past TOML_MAX_DEPTH, an unterminated multi-line string, huge arrays */
        size_t n = 100000;
        char *big = malloc(n + 64);
        cr_assert_not_null(big);
        size_t o = (size_t) snprintf(big, 64, "[project]\ndependencies = ");
        while (o < n / 2)
                big[o++] = '[';
        memcpy(big + o, "\n[project]\nx = \"\"\"never closed", 30);
        big[o + 30] = '\0';
        deps_done(&deps);
        findings_done(&fnd);
        run1("pyproject.toml", SCAN_FILE_PYPROJECT, big);
        cr_expect_eq(deps.n, 0);
        cr_expect_geq(count_rule("dep.pyproject.unreadable"), 1);

        o = (size_t) snprintf(big, 64, "[project]\ndependencies = [");
        while (o + 8 < n) {
                memcpy(big + o, "\"a\",", 4);
                o += 4;
        }
        memcpy(big + o, "]\n", 3);
        deps_done(&deps);
        findings_done(&fnd);
        run1("pyproject.toml", SCAN_FILE_PYPROJECT, big);
        cr_expect_eq(deps.n, 1, "duplicates are one dependency");
        free(big);
}

/* ---- setup.py / setup.cfg -------------------------------------------------------------------- */

Test(deps, setup_py) {
        run1("setup.py", SCAN_FILE_SETUP_PY,
             "from setuptools import setup\n"
             "reqs = open('requirements.txt').read().splitlines()\n"
             "setup(\n"
             "    name='demo',\n"
             "    install_requires=[\n"
             "        'requests>=2',  # comment\n"
             "        \"click\",\n"
             "    ],\n"
             "    setup_requires=('setuptools_scm',),\n"
             "    extras_require={'dev': ['pytest', 'mypy==1.0'], \"docs\": ['sphinx']},\n"
             "    tests_require=['nose'],\n"
             ")\n"
             "config = {'install_requires': reqs}\n");
        expect_dep(DEP_PYPI, "requests", "setup.py", ">=2", NULL, 6);
        expect_dep(DEP_PYPI, "click", NULL, "", NULL, 7);
        expect_dep(DEP_PYPI, "setuptools-scm", NULL, "", NULL, 9);
        expect_dep(DEP_PYPI, "pytest", NULL, "", NULL, 10);
        expect_dep(DEP_PYPI, "mypy", NULL, "==1.0", "1.0", 10);
        expect_dep(DEP_PYPI, "sphinx", NULL, "", NULL, 10);
        cr_expect_null(find(DEP_PYPI, "dev", NULL));
        cr_expect_null(find(DEP_PYPI, "nose", NULL));
        cr_expect_eq(deps.n, 6);
        cr_expect_eq(count_rule("dep.setup-py.computed"), 1);
        cr_expect_eq(first_rule("dep.setup-py.computed")->line, 13);
}

Test(deps, setup_cfg) {
        static const struct file_spec files[] = {
                { "setup.cfg", SCAN_FILE_SETUP_PY,
                  "[metadata]\n"
                  "name = demo\n"
                  "install_requires = not-here\n"
                  "[options]\n"
                  "packages = find:\n"
                  "install_requires =\n"
                  "    requests>=2\n"
                  "    # a comment\n"
                  "    click; python_version>'3'\n"
                  "setup_requires = wheel; setuptools>=40\n"
                  "[options.extras_require]\n"
                  "dev = pytest\n"
                  "docs = file: docs-req.txt\n", 0 },
                { "docs-req.txt", SCAN_FILE_TEXT, "sphinx==7\n", 0 },
        };
        run(files, ELEMENTSOF(files), NULL);
        cr_expect_null(find(DEP_PYPI, "not-here", NULL));
        expect_dep(DEP_PYPI, "requests", "setup.cfg", ">=2", NULL, 7);
        expect_dep(DEP_PYPI, "click", "setup.cfg", "", NULL, 9);
        expect_dep(DEP_PYPI, "wheel", "setup.cfg", "", NULL, 10);
        expect_dep(DEP_PYPI, "setuptools", "setup.cfg", ">=40", NULL, 10);
        expect_dep(DEP_PYPI, "pytest", "setup.cfg", "", NULL, 12);
        expect_dep(DEP_PYPI, "sphinx", "docs-req.txt", "==7", "7", 1);
        cr_expect_eq(deps.n, 6);
        cr_expect_eq(fnd.n, 0);
}

/* ---- package.json ---------------------------------------------------------------------------- */

Test(deps, package_json) {
        run1("package.json", SCAN_FILE_PACKAGE_JSON,
             "{\n"
             "  \"name\": \"demo\",\n"
             "  \"dependencies\": {\n"
             "    \"lodash\": \"^4.17.21\",\n"
             "    \"@scope/Pkg\": \"1.2.3\",\n"
             "    \"JSONStream\": \"=1.3.5\",\n"
             "    \"vee\": \"v2.0.0\",\n"
             "    \"spaced\": \">= 1.0.0   < 2\",\n"
             "    \"tagged\": \"latest\",\n"
             "    \"from-url\": \"https://example.com/x.tgz\",\n"
             "    \"from-git\": \"git+ssh://git@github.com/a/b.git#v1\",\n"
             "    \"shorthand\": \"user/repo#main\",\n"
             "    \"gh\": \"github:user/repo\",\n"
             "    \"local\": \"file:../local\",\n"
             "    \"linked\": \"link:./x\",\n"
             "    \"aliased\": \"npm:real-pkg@^2.0.0\",\n"
             "    \"scoped-alias\": \"npm:@real/scoped@1.0.0\",\n"
             "    \"not-a-string\": 5\n"
             "  },\n"
             "  \"devDependencies\": { \"jest\": \"^29\" },\n"
             "  \"optionalDependencies\": { \"fsevents\": \"*\" },\n"
             "  \"peerDependencies\": { \"react\": \">=17\" }\n"
             "}\n");
        const char *F = "package.json";
        expect_dep(DEP_NPM, "lodash", F, "^4.17.21", NULL, 4);
        expect_dep(DEP_NPM, "@scope/pkg", F, "1.2.3", "1.2.3", 5);
        expect_dep(DEP_NPM, "jsonstream", F, "=1.3.5", "1.3.5", 6);
        expect_dep(DEP_NPM, "vee", F, "v2.0.0", "2.0.0", 7);
        expect_dep(DEP_NPM, "spaced", F, ">= 1.0.0 < 2", NULL, 8);
        expect_dep(DEP_NPM, "tagged", F, "latest", NULL, 9);
        static const char *const SOURCES[] = { "from-url", "from-git", "shorthand", "gh", "local", "linked" };
        for (size_t i = 0; i < ELEMENTSOF(SOURCES); i++) {
                const struct dependency *d = must_find(DEP_NPM, SOURCES[i], F);
                cr_expect(d->url, "%s", SOURCES[i]);
                cr_expect_null(d->version);
        }
        cr_expect_str_eq(must_find(DEP_NPM, "from-git", F)->spec, "git+ssh://git@github.com/a/b.git#v1");
        cr_expect_eq(count_rule("dep.source.url"), ELEMENTSOF(SOURCES));
        cr_expect_null(find(DEP_NPM, "aliased", NULL));
        expect_dep(DEP_NPM, "real-pkg", F, "^2.0.0", NULL, 16);
        expect_dep(DEP_NPM, "@real/scoped", F, "1.0.0", "1.0.0", 17);
        cr_expect_eq(count_rule("dep.npm.alias"), 2);
        cr_expect_eq(first_rule("dep.npm.alias")->severity, SEV_MEDIUM);
        cr_expect_null(find(DEP_NPM, "not-a-string", NULL));
        cr_expect(must_find(DEP_NPM, "jest", F)->dev);
        cr_expect_not(must_find(DEP_NPM, "lodash", F)->dev);
        cr_expect_not_null(find(DEP_NPM, "fsevents", F));
        cr_expect_not_null(find(DEP_NPM, "react", F));
        cr_expect_eq(deps.n, 17);
        expect_all_supply_chain();
}

Test(deps, package_json_duplicate_keys_and_invalid) {
        run1("package.json", SCAN_FILE_PACKAGE_JSON,
             "{\"dependencies\": {\"a\": \"1.0.0\", \"a\": \"2.0.0\"}}");
        cr_expect_eq(count_rule("dep.json.duplicate-keys"), 1);
        cr_expect_eq(first_rule("dep.json.duplicate-keys")->severity, SEV_MEDIUM);
        expect_dep(DEP_NPM, "a", NULL, "2.0.0", "2.0.0", UINT32_MAX); /* npm keeps the last one */
        cr_expect_eq(deps.n, 1);

        deps_done(&deps);
        findings_done(&fnd);
        run1("package.json", SCAN_FILE_PACKAGE_JSON, "{\"dependencies\": {\"a\": ");
        cr_expect_eq(deps.n, 0);
        cr_expect_eq(fnd.n, 0, "scan_discover reports invalid package.json already");

        deps_done(&deps);
        findings_done(&fnd);
        run1("package.json", SCAN_FILE_PACKAGE_JSON,
             "{\"dependencies\": {\"bad name\": \"1\", \"ok\": \"1\\u0000\", \"\": \"1\", "
             "\"@x\": \"1\", \"@x/\": \"1\", \".dot\": \"1\"}, \"devDependencies\": [\"x\"]}");
        cr_expect_eq(deps.n, 0);
        cr_expect_eq(count_rule("dep.name.invalid"), 5);
        cr_expect_eq(count_rule("dep.spec.invalid"), 1);

        /* jansson refuses a NUL in a key: like any invalid JSON, no dependencies */
        deps_done(&deps);
        findings_done(&fnd);
        run1("package.json", SCAN_FILE_PACKAGE_JSON, "{\"dependencies\": {\"a\\u0000b\": \"1\"}}");
        cr_expect_eq(deps.n, 0);
}

/* ---- lockfiles ------------------------------------------------------------------------------- */

Test(deps, package_lock_v3) {
        static const struct file_spec files[] = {
                { "app/package.json", SCAN_FILE_PACKAGE_JSON,
                  "{\"dependencies\": {\"a\": \"^1\", \"alias\": \"npm:real@^3\"}, \"devDependencies\": {\"@s/d\": \"*\"}}", 0 },
                { "app/package-lock.json", SCAN_FILE_TEXT,
                  "{\"name\": \"app\", \"lockfileVersion\": 3, \"packages\": {\n"
                  "\"\": {\"name\": \"app\", \"dependencies\": {\"zzz\": \"1\"}},\n"
                  "\"node_modules/a\": {\"version\": \"1.2.3\", \"resolved\": \"https://registry.npmjs.org/a/-/a-1.2.3.tgz\"},\n"
                  "\"node_modules/b\": {\"version\": \"2.0.0\", \"dev\": true, \"resolved\": \"https://evil.example/b.tgz\"},\n"
                  "\"node_modules/a/node_modules/c\": {\"version\": \"3.0.0-beta.1\"},\n"
                  "\"node_modules/@s/d\": {\"version\": \"4.0.0\", \"dev\": true},\n"
                  "\"node_modules/alias\": {\"name\": \"real\", \"version\": \"3.1.0\"},\n"
                  "\"node_modules/ws\": {\"resolved\": \"packages/ws\", \"link\": true},\n"
                  "\"packages/ws\": {\"version\": \"0.0.1\"},\n"
                  "\"node_modules/g\": {\"version\": \"git+ssh://git@github.com/x/g.git#abc\"},\n"
                  "\"node_modules/noversion\": {}\n"
                  "}}", 0 },
        };
        run(files, ELEMENTSOF(files), NULL);
        const char *L = "app/package-lock.json";
        const struct dependency *d = must_find(DEP_NPM, "a", L);
        cr_expect_str_eq(d->spec, "1.2.3");
        cr_expect_str_eq(d->version, "1.2.3");
        cr_expect(d->direct);
        cr_expect_not(d->dev);
        d = must_find(DEP_NPM, "b", L);
        cr_expect_not(d->direct, "b is not in package.json");
        cr_expect(d->dev);
        d = must_find(DEP_NPM, "c", L);
        cr_expect_not(d->direct, "nested under a");
        cr_expect_str_eq(d->version, "3.0.0-beta.1");
        d = must_find(DEP_NPM, "@s/d", L);
        cr_expect(d->direct);
        cr_expect(d->dev);
        d = must_find(DEP_NPM, "real", L);
        cr_expect_str_eq(d->version, "3.1.0");
        cr_expect_null(find(DEP_NPM, "ws", L), "workspace links are local");
        cr_expect_null(find(DEP_NPM, "noversion", L));
        d = must_find(DEP_NPM, "g", L);
        cr_expect(d->url);
        cr_expect_null(d->version);
        cr_expect_eq(count_rule("dep.lock.resolved"), 1);
        cr_expect_eq(first_rule("dep.lock.resolved")->severity, SEV_MEDIUM);
        cr_expect(strstr(first_rule("dep.lock.resolved")->message, "evil.example"));
        cr_expect_eq(count_rule("dep.source.url"), 1);
        cr_expect_eq(count_rule("dep.npm.alias"), 1, "from package.json");
        size_t in_lock = 0;
        for (size_t i = 0; i < deps.n; i++)
                in_lock += streq(deps.v[i].file, L);
        cr_expect_eq(in_lock, 6);
}

Test(deps, package_lock_v1_tree) {
        static const struct file_spec files[] = {
                { "package-lock.json", SCAN_FILE_TEXT,
                  "{\"lockfileVersion\": 1, \"dependencies\": {\n"
                  " \"top\": {\"version\": \"1.0.0\", \"resolved\": \"https://registry.npmjs.org/top/-/top-1.0.0.tgz\",\n"
                  "   \"requires\": {\"inner\": \"^2\"},\n"
                  "   \"dependencies\": {\"inner\": {\"version\": \"2.1.0\", \"dev\": true,\n"
                  "      \"dependencies\": {\"deepest\": {\"version\": \"0.0.1\"}}}}},\n"
                  " \"al\": {\"version\": \"npm:real-one@5.0.0\"},\n"
                  " \"tarball\": {\"version\": \"1.0.0\", \"resolved\": \"https://codeload.github.com/x/y/tar.gz/abc\"}\n"
                  "}}", 0 },
        };
        run(files, ELEMENTSOF(files), NULL);
        /* no package.json: the v1 lockfile names no root, so nothing is known to be direct */
        const struct dependency *d = must_find(DEP_NPM, "top", NULL);
        cr_expect_str_eq(d->version, "1.0.0");
        cr_expect_not(d->direct);
        d = must_find(DEP_NPM, "inner", NULL);
        cr_expect_str_eq(d->version, "2.1.0");
        cr_expect(d->dev);
        cr_expect_not_null(find(DEP_NPM, "deepest", NULL));
        expect_dep(DEP_NPM, "real-one", NULL, "5.0.0", "5.0.0", 0);
        cr_expect_null(find(DEP_NPM, "al", NULL));
        cr_expect_not_null(find(DEP_NPM, "tarball", NULL));
        cr_expect_eq(count_rule("dep.lock.resolved"), 1);
        cr_expect_eq(deps.n, 5);
}

Test(deps, package_lock_hostile) {
        /* nesting deeper than LOCK_MAX_DEPTH, and an invalid lockfile */
        size_t depth = 200;
        char *big = malloc(depth * 64 + 64);
        cr_assert_not_null(big);
        size_t o = (size_t) snprintf(big, 64, "{\"dependencies\": ");
        for (size_t i = 0; i < depth; i++)
                o += (size_t) snprintf(big + o, 64, "{\"p%zu\": {\"version\": \"1.0.%zu\", \"dependencies\": ", i, i);
        o += (size_t) snprintf(big + o, 64, "{}");
        for (size_t i = 0; i < depth; i++)
                o += (size_t) snprintf(big + o, 64, "}}");
        snprintf(big + o, 64, "}");
        struct file_spec files[] = {
                { "package-lock.json", SCAN_FILE_TEXT, big, 0 },
                { "sub/package-lock.json", SCAN_FILE_TEXT, "{\"packages\": ", 0 },
        };
        run(files, ELEMENTSOF(files), NULL);
        cr_expect_eq(deps.n, 64, "LOCK_MAX_DEPTH levels: %zu", deps.n);
        cr_expect_eq(count_rule("dep.json.invalid"), 1);
        cr_expect_str_eq(first_rule("dep.json.invalid")->file, "sub/package-lock.json");
        free(big);
}

Test(deps, lock_resolved_findings_are_capped) {
        char *big = malloc(100000);
        cr_assert_not_null(big);
        size_t o = (size_t) snprintf(big, 64, "{\"packages\": {");
        for (int i = 0; i < 50; i++)
                o += (size_t) snprintf(big + o, 200, "%s\"node_modules/p%d\": {\"version\": \"1.0.0\", \"resolved\": "
                                       "\"http://registry.npmjs.org/p%d.tgz\"}", i ? "," : "", i, i);
        snprintf(big + o, 8, "}}");
        run1("package-lock.json", SCAN_FILE_TEXT, big);
        cr_expect_eq(deps.n, 50);
        cr_expect_eq(count_rule("dep.lock.resolved"), 21, "20 single findings and one summary");
        free(big);
}

/* ---- compatibility text ---------------------------------------------------------------------- */

Test(deps, compatibility_explicit_forms) {
        run(NULL, 0,
            "Requires: requests, pandas >= 2 and numpy. Works with Python 3.10+.\n"
            "Run `pip install -r requirements.txt flask==2.0` then `npm install --save lodash@^4 @scope/pkg`.\n"
            "Also: python -m pip install --upgrade httpx; echo done\n"
            "npm packages: left-pad, chalk@5\n");
        expect_dep(DEP_PYPI, "requests", "SKILL.md", "", NULL, 0);
        expect_dep(DEP_PYPI, "pandas", "SKILL.md", ">=2", NULL, 0);
        expect_dep(DEP_PYPI, "numpy", "SKILL.md", "", NULL, 0);
        expect_dep(DEP_PYPI, "flask", "SKILL.md", "==2.0", "2.0", 0);
        expect_dep(DEP_PYPI, "httpx", "SKILL.md", "", NULL, 0);
        expect_dep(DEP_NPM, "lodash", "SKILL.md", "^4", NULL, 0);
        expect_dep(DEP_NPM, "@scope/pkg", "SKILL.md", "", NULL, 0);
        expect_dep(DEP_NPM, "left-pad", "SKILL.md", "", NULL, 0);
        expect_dep(DEP_NPM, "chalk", "SKILL.md", "5", NULL, 0);
        cr_expect_null(find(DEP_PYPI, "requirements-txt", NULL));
        cr_expect_null(find(DEP_PYPI, "python", NULL));
        cr_expect_null(find(DEP_PYPI, "echo", NULL));
        cr_expect_null(find(DEP_PYPI, "done", NULL));
        cr_expect_eq(deps.n, 9, "got %zu", deps.n);
        cr_expect_eq(fnd.n, 0);
}

Test(deps, compatibility_prose_is_not_packages) {
        static const char *const PROSE[] = {
                "This skill needs internet access and uses the requests library to fetch pages.",
                "Requires: Python 3.8+, network access",
                "Requires Python 3.10 and git",
                "pip install the package first",
                "Requires: internet, docker",
                "Works on Linux and macOS. Dependencies: none.",
                "Please npm install it globally",
                "Designed for Claude Code (or similar products)",
                "需要网络访问; Requires: 联网",
        };
        for (size_t i = 0; i < ELEMENTSOF(PROSE); i++) {
                run(NULL, 0, PROSE[i]);
                cr_expect_eq(deps.n, 0, "'%s' gave %zu packages (first: %s)", PROSE[i], deps.n,
                             deps.n ? deps.v[0].name : "");
                deps_done(&deps);
                findings_done(&fnd);
        }
}

Test(deps, compatibility_npm_hint_and_limits) {
        run(NULL, 0, "Node.js 18+. Requires: express, ws");
        cr_expect_not_null(find(DEP_NPM, "express", NULL), "a node skill's generic list is npm");
        cr_expect_not_null(find(DEP_NPM, "ws", NULL));
        deps_done(&deps);
        findings_done(&fnd);
        char *big = malloc(DEPS_COMPAT_MAX_BYTES * 2);
        cr_assert_not_null(big);
        size_t o = (size_t) snprintf(big, 32, "pip install");
        while (o + 8 < DEPS_COMPAT_MAX_BYTES * 2) {
                memcpy(big + o, " pkg", 4);
                o += 4;
        }
        big[o] = '\0';
        run(NULL, 0, big);
        cr_expect_eq(deps.n, 1);
        free(big);
}

/* ---- the list -------------------------------------------------------------------------------- */

Test(deps, dedup_caps_and_names) {
        static const struct file_spec files[] = {
                { "requirements.txt", SCAN_FILE_REQUIREMENTS, "a==1\nA==1\na_==1\na == 1\na==2\n", 0 },
                { "sub/requirements.txt", SCAN_FILE_REQUIREMENTS, "a==1\n", 0 },
        };
        run(files, ELEMENTSOF(files), NULL);
        /* "a_" is not a valid name (ends with '_'); "A" and "a" normalise alike */
        cr_expect_eq(deps.n, 3, "a==1 and a==2 in one file, a==1 in the other: %zu", deps.n);
        cr_expect_eq(count_rule("dep.requirement.invalid"), 1);
        deps_done(&deps);
        findings_done(&fnd);

        size_t n = DEPS_MAX + 500;
        char *big = malloc(n * 16);
        cr_assert_not_null(big);
        size_t o = 0;
        for (size_t i = 0; i < n; i++)
                o += (size_t) snprintf(big + o, 16, "p%zu\n", i);
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS, big);
        cr_expect_eq(deps.n, DEPS_MAX);
        cr_expect_eq(count_rule("dep.limit"), 1);
        cr_expect_eq(first_rule("dep.limit")->severity, SEV_MEDIUM);
        deps_done(&deps);
        findings_done(&fnd);

        memset(big, 'n', DEP_NAME_MAX + 1);
        big[DEP_NAME_MAX + 1] = '\0';
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS, big);
        cr_expect_eq(deps.n, 0);
        cr_expect_eq(count_rule("dep.name.too-long"), 1);
        cr_expect_eq(first_rule("dep.name.too-long")->severity, SEV_LOW);
        deps_done(&deps);
        findings_done(&fnd);
        big[DEP_NAME_MAX] = '\0';
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS, big);
        cr_expect_eq(deps.n, 1, "exactly DEP_NAME_MAX is fine");
        free(big);
}

Test(deps, pypi_name_normalisation) {
        run1("requirements.txt", SCAN_FILE_REQUIREMENTS, "Foo.Bar_baz--Qux\nzope.interface\nA-_.-B\n");
        cr_expect_not_null(find(DEP_PYPI, "foo-bar-baz-qux", NULL));
        cr_expect_not_null(find(DEP_PYPI, "zope-interface", NULL));
        cr_expect_not_null(find(DEP_PYPI, "a-b", NULL));
}

Test(deps, json_form) {
        static const struct file_spec files[] = {
                { "requirements.txt", SCAN_FILE_REQUIREMENTS, "requests==2.31.0\n", 0 },
                { "package.json", SCAN_FILE_PACKAGE_JSON, "{\"devDependencies\": {\"x\": \"git+https://h/x.git\"}}", 0 },
        };
        run(files, ELEMENTSOF(files), NULL);
        _cleanup_json_ json_t *j = deps_to_json(&deps);
        cr_assert_not_null(j);
        cr_assert_eq(json_array_size(j), 2);
        json_t *o = json_array_get(j, 0);
        cr_expect_str_eq(json_string_value(json_object_get(o, "ecosystem")), "PyPI");
        cr_expect_str_eq(json_string_value(json_object_get(o, "name")), "requests");
        cr_expect_str_eq(json_string_value(json_object_get(o, "spec")), "==2.31.0");
        cr_expect_str_eq(json_string_value(json_object_get(o, "version")), "2.31.0");
        cr_expect_str_eq(json_string_value(json_object_get(o, "file")), "requirements.txt");
        cr_expect_eq(json_integer_value(json_object_get(o, "line")), 1);
        cr_expect(json_is_true(json_object_get(o, "direct")));
        cr_expect(json_is_false(json_object_get(o, "dev")));
        cr_expect(json_is_false(json_object_get(o, "url")));
        o = json_array_get(j, 1);
        cr_expect_str_eq(json_string_value(json_object_get(o, "ecosystem")), "npm");
        cr_expect(json_is_null(json_object_get(o, "version")));
        cr_expect(json_is_true(json_object_get(o, "dev")));
        cr_expect(json_is_true(json_object_get(o, "url")));
        cr_expect_str_eq(dep_ecosystem_to_string(DEP_PYPI), "PyPI");
        cr_expect_str_eq(dep_ecosystem_to_string(DEP_NPM), "npm");
        struct dependencies empty = { 0 };
        _cleanup_json_ json_t *e = deps_to_json(&empty);
        cr_expect(json_is_array(e) && json_array_size(e) == 0);
}

Test(deps, unreadable_files_are_skipped) {
        static const struct file_spec files[] = {
                { "requirements.txt", SCAN_FILE_REQUIREMENTS, NULL, 0 },
                { "package.json", SCAN_FILE_BINARY, NULL, 0 },
                { "notes.txt", SCAN_FILE_TEXT, "pip install evil\n-r x\n", 0 },
        };
        run(files, ELEMENTSOF(files), NULL);
        cr_expect_eq(deps.n, 0);
        cr_expect_eq(fnd.n, 0);
}
