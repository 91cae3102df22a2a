/* Unit tests for skill_load: a skill directory on disk -> struct skill or findings. Covers the
 * missing SKILL.md, the 1 MiB cap on the file, entry points that escape or do not exist, and the
 * four kinds (standard, multi-script, bash-tool, prompt-only). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/skill/skill.h"
#include "../../src/skill/skill_json.h"
#include "../../src/skill/skill_md.h"

static char *tmp;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        return remove(path);
}

static void setup(void) {
        char t[] = "/tmp/skilllite-load-XXXXXX";
        cr_assert_not_null(mkdtemp(t));
        tmp = strdup(t);
}

static void teardown(void) {
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(tmp);
}

TestSuite(skill_load, .init = setup, .fini = teardown);

static char *at(const char *rel) {
        char *p = NULL;
        cr_assert_geq(asprintf(&p, "%s/%s", tmp, rel), 0);
        return p;
}

static void put_n(const char *rel, const char *content, size_t n) {
        _cleanup_free_ char *path = at(rel);
        for (char *s = path + strlen(tmp) + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
                *s = '/';
        }
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f, "create %s", path);
        cr_assert_eq(fwrite(content, 1, n, f), n);
        fclose(f);
}

static void put(const char *rel, const char *content) {
        put_n(rel, content, strlen(content));
}

static void put_link(const char *target, const char *rel) {
        _cleanup_free_ char *path = at(rel);
        cr_assert_eq(symlink(target, path), 0, "symlink %s", path);
}

/* A SKILL.md for skill `name` with extra front matter lines. */
static void put_skill(const char *name, const char *extra) {
        char rel[256], *text = NULL;
        snprintf(rel, sizeof(rel), "%s/SKILL.md", name);
        cr_assert_geq(asprintf(&text, "---\nname: %s\ndescription: Test skill %s.\n%s---\n# %s\n",
                               name, name, extra, name), 0);
        put(rel, text);
        free(text);
}

struct loaded {
        int r;
        struct skill *skill;
        struct skill_report rep;
        struct error err;
};

static void loaded_done(struct loaded *l) {
        skill_free(l->skill);
        skill_report_done(&l->rep);
}
#define _cleanup_loaded_ _cleanup_(loaded_done)

static struct loaded load(const char *rel) {
        struct loaded l = { .err = ERROR_INIT };
        cr_assert_eq(skill_report_init(&l.rep), 0);
        _cleanup_free_ char *path = at(rel);
        l.r = skill_load(path, &l.skill, &l.rep, &l.err);
        return l;
}

static void dump(const struct loaded *l) {
        _cleanup_free_ char *e = json_dumps(l->rep.errors, 0);
        _cleanup_free_ char *w = json_dumps(l->rep.warnings, 0);
        cr_log_info("r=%d err=%s\nerrors: %s\nwarnings: %s", l->r, l->err.msg, e, w);
}

static void expect_valid(const struct loaded *l) {
        if (l->r != 0)
                dump(l);
        cr_assert_eq(l->r, 0);
        cr_assert_not_null(l->skill);
        cr_assert_eq(json_array_size(l->rep.errors), 0);
}

static const json_t *find(const json_t *list, const char *field, const char *rule) {
        size_t i;
        const json_t *f;
        json_array_foreach(list, i, f) {
                if (streq(json_string_value(json_object_get(f, "field")), field) &&
                    streq(json_string_value(json_object_get(f, "rule")), rule))
                        return f;
        }
        return NULL;
}

static const char *expect_invalid(const struct loaded *l, const char *field, const char *rule) {
        if (l->r != -EINVAL || !find(l->rep.errors, field, rule))
                dump(l);
        cr_assert_eq(l->r, -EINVAL);
        cr_assert_null(l->skill, "*ret untouched on an invalid skill");
        const json_t *f = find(l->rep.errors, field, rule);
        cr_assert_not_null(f, "expected error %s/%s", field, rule);
        return json_string_value(json_object_get(f, "message"));
}

/* --- valid skills and their kinds --- */

Test(skill_load, standard_skill) {
        put_skill("my-skill", "license: MIT\ncompatibility: Python 3\nmetadata:\n  skilllite.network: "
                              "api.example.com\n");
        put("my-skill/scripts/main.py", "import sys\nprint(sys.stdin.read())\n");
        put("my-skill/scripts/helper.py", "x = 1\n");
        _cleanup_loaded_ struct loaded l = load("my-skill");
        expect_valid(&l);
        struct skill *s = l.skill;
        cr_assert_str_eq(s->name, "my-skill");
        cr_assert_str_eq(s->dir_name, "my-skill");
        cr_assert_str_eq(s->description, "Test skill my-skill.");
        cr_assert_str_eq(s->license, "MIT");
        cr_assert_str_eq(s->compatibility, "Python 3");
        cr_assert_null(s->allowed_tools);
        cr_assert_str_eq(s->body, "# my-skill\n");
        cr_assert_eq(s->kind, SKILL_KIND_STANDARD);
        cr_assert_str_eq(s->entry_point, "scripts/main.py");
        cr_assert_not(s->entry_declared);
        cr_assert_eq(s->language, SKILL_LANG_PYTHON);
        cr_assert_eq(s->n_scripts, 2);
        cr_assert_str_eq(skill_metadata_get(s, "skilllite.network"), "api.example.com");
        cr_assert_null(skill_metadata_get(s, "skilllite.exec"));
        _cleanup_free_ char *real = realpath(tmp, NULL);
        _cleanup_free_ char *expected_dir = NULL;
        cr_assert_geq(asprintf(&expected_dir, "%s/my-skill", real), 0);
        cr_assert_str_eq(s->dir, expected_dir, "the canonical absolute path");
        cr_assert_eq(json_array_size(l.rep.warnings), 0);
}

Test(skill_load, path_forms_resolve_to_the_same_name) {
        put_skill("tool", "");
        _cleanup_loaded_ struct loaded a = load("tool/");
        expect_valid(&a);
        cr_assert_str_eq(a.skill->dir_name, "tool");
        _cleanup_loaded_ struct loaded b = load("tool/.");
        expect_valid(&b);
        cr_assert_str_eq(b.skill->dir_name, "tool");
        _cleanup_loaded_ struct loaded c = load("tool/../tool");
        expect_valid(&c);
}

Test(skill_load, prompt_only_skill) {
        put_skill("prompt", "");
        _cleanup_loaded_ struct loaded l = load("prompt");
        expect_valid(&l);
        cr_assert_eq(l.skill->kind, SKILL_KIND_PROMPT_ONLY);
        cr_assert_null(l.skill->entry_point);
        cr_assert_eq(l.skill->language, SKILL_LANG_NONE);
        cr_assert_eq(l.skill->n_scripts, 0);
        cr_assert_not_null(l.skill->metadata, "metadata is never NULL");
        cr_assert_eq(json_object_size(l.skill->metadata), 0);
}

Test(skill_load, prompt_only_when_scripts_hold_no_scripts) {
        put_skill("docs", "");
        put("docs/scripts/README.md", "# nothing to run\n");
        put("docs/scripts/test_x.py", "def test(): pass\n");
        _cleanup_loaded_ struct loaded l = load("docs");
        expect_valid(&l);
        cr_assert_eq(l.skill->kind, SKILL_KIND_PROMPT_ONLY);
}

Test(skill_load, multi_script_skill) {
        put_skill("multi", "");
        put("multi/scripts/alpha.py", "print(1)\n");
        put("multi/scripts/beta.py", "print(2)\n");
        _cleanup_loaded_ struct loaded l = load("multi");
        expect_valid(&l);
        cr_assert_eq(l.skill->kind, SKILL_KIND_MULTI_SCRIPT);
        cr_assert_null(l.skill->entry_point);
        cr_assert_eq(l.skill->n_scripts, 2);
        cr_assert_eq(l.skill->language, SKILL_LANG_PYTHON, "scripts agree on a language");
        cr_assert_str_eq(l.skill->scripts[0].path, "scripts/alpha.py");
        cr_assert_str_eq(l.skill->scripts[1].path, "scripts/beta.py");
}

Test(skill_load, multi_script_mixed_languages) {
        put_skill("mixed", "");
        put("mixed/scripts/a.py", "print(1)\n");
        put("mixed/scripts/b.sh", "echo\n");
        _cleanup_loaded_ struct loaded l = load("mixed");
        expect_valid(&l);
        cr_assert_eq(l.skill->kind, SKILL_KIND_MULTI_SCRIPT);
        cr_assert_eq(l.skill->language, SKILL_LANG_NONE);
}

Test(skill_load, bash_tool_skill) {
        put_skill("git-helper", "allowed-tools: Bash(git:*)\n");
        _cleanup_loaded_ struct loaded l = load("git-helper");
        expect_valid(&l);
        cr_assert_eq(l.skill->kind, SKILL_KIND_BASH_TOOL);
        cr_assert_str_eq(l.skill->allowed_tools, "Bash(git:*)");
        cr_assert_eq(l.skill->language, SKILL_LANG_SHELL);
        cr_assert_null(l.skill->entry_point);
}

Test(skill_load, allowed_tools_without_bash_is_prompt_only) {
        put_skill("reader", "allowed-tools: Read Grep\n");
        _cleanup_loaded_ struct loaded l = load("reader");
        expect_valid(&l);
        cr_assert_eq(l.skill->kind, SKILL_KIND_PROMPT_ONLY);
}

Test(skill_load, entry_script_wins_over_bash_tool) {
        put_skill("both", "allowed-tools: Bash(git:*)\n");
        put("both/scripts/main.sh", "echo\n");
        _cleanup_loaded_ struct loaded l = load("both");
        expect_valid(&l);
        cr_assert_eq(l.skill->kind, SKILL_KIND_STANDARD);
        cr_assert_str_eq(l.skill->entry_point, "scripts/main.sh");
        cr_assert_eq(l.skill->language, SKILL_LANG_SHELL);
}

Test(skill_load, only_script_is_the_entry) {
        put_skill("single", "");
        put("single/scripts/convert", "#!/usr/bin/env -S node --no-warnings\n");
        put("single/scripts/test_convert.py", "def test(): pass\n");
        _cleanup_loaded_ struct loaded l = load("single");
        expect_valid(&l);
        cr_assert_eq(l.skill->kind, SKILL_KIND_STANDARD);
        cr_assert_str_eq(l.skill->entry_point, "scripts/convert");
        cr_assert_eq(l.skill->language, SKILL_LANG_NODE);
        cr_assert_eq(l.skill->n_scripts, 1);
}

Test(skill_load, index_entry) {
        put_skill("idx", "");
        put("idx/scripts/index.js", "1;\n");
        put("idx/scripts/lib.js", "1;\n");
        _cleanup_loaded_ struct loaded l = load("idx");
        expect_valid(&l);
        cr_assert_str_eq(l.skill->entry_point, "scripts/index.js");
        cr_assert_eq(l.skill->language, SKILL_LANG_NODE);
}

Test(skill_load, crlf_bom_skill) {
        put("win/SKILL.md", "\xEF\xBB\xBF---  \r\nname: win\r\ndescription: From Windows.\r\n---\t\r\n"
                            "Body\r\n");
        _cleanup_loaded_ struct loaded l = load("win");
        expect_valid(&l);
        cr_assert_str_eq(l.skill->description, "From Windows.");
        cr_assert_str_eq(l.skill->body, "Body\r\n");
}

Test(skill_load, warnings_do_not_invalidate) {
        put_skill("warned", "capabilities: [network]\nversion: '1'\n");
        _cleanup_loaded_ struct loaded l = load("warned");
        expect_valid(&l);
        cr_assert_not_null(find(l.rep.warnings, "capabilities", "extension"));
        cr_assert_not_null(find(l.rep.warnings, "version", "unknown"));
}

/* --- declared entry_point --- */

Test(skill_load, declared_entry_point) {
        put_skill("declared", "entry_point: bin/run\n");
        put("declared/bin/run", "#!/usr/bin/env python3\nprint(1)\n");
        put("declared/scripts/main.sh", "echo\n");
        _cleanup_loaded_ struct loaded l = load("declared");
        expect_valid(&l);
        cr_assert_str_eq(l.skill->entry_point, "bin/run");
        cr_assert(l.skill->entry_declared);
        cr_assert_eq(l.skill->language, SKILL_LANG_PYTHON);
        cr_assert_eq(l.skill->kind, SKILL_KIND_STANDARD);
        cr_assert_not_null(find(l.rep.warnings, "entry_point", "extension"));
}

Test(skill_load, declared_entry_point_missing) {
        put_skill("nomain", "entry_point: scripts/main.py\n");
        _cleanup_loaded_ struct loaded l = load("nomain");
        const char *msg = expect_invalid(&l, "entry_point", "exists");
        cr_assert(strstr(msg, "entry_point"), "%s", msg);
}

Test(skill_load, declared_entry_point_is_a_directory) {
        put_skill("dirmain", "entry_point: scripts\n");
        put("dirmain/scripts/a.py", "print(1)\n");
        _cleanup_loaded_ struct loaded l = load("dirmain");
        expect_invalid(&l, "entry_point", "exists");
}

Test(skill_load, declared_entry_point_unknown_language) {
        put_skill("ruby", "entry_point: scripts/main.rb\n");
        put("ruby/scripts/main.rb", "puts 1\n");
        _cleanup_loaded_ struct loaded l = load("ruby");
        expect_invalid(&l, "entry_point", "language");
}

Test(skill_load, declared_entry_point_dotdot) {
        put_skill("dots", "entry_point: ../x.py\n");
        put("x.py", "print(1)\n");
        _cleanup_loaded_ struct loaded l = load("dots");
        expect_invalid(&l, "entry_point", "path");
}

Test(skill_load, declared_entry_point_absolute) {
        _cleanup_free_ char *abs = at("abs.py");
        put("abs.py", "print(1)\n");
        char extra[4200];
        snprintf(extra, sizeof(extra), "entry_point: %s\n", abs);
        put_skill("absolute", extra);
        _cleanup_loaded_ struct loaded l = load("absolute");
        expect_invalid(&l, "entry_point", "path");
}

Test(skill_load, declared_entry_point_symlink_outside) {
        put("secret.py", "print('outside')\n");
        put_skill("linked", "entry_point: scripts/main.py\n");
        put("linked/scripts/.keep", "");
        put_link("../../secret.py", "linked/scripts/main.py");
        _cleanup_loaded_ struct loaded l = load("linked");
        const char *msg = expect_invalid(&l, "entry_point", "path");
        cr_assert(strstr(msg, "outside"), "%s", msg);
}

Test(skill_load, declared_entry_point_absolute_symlink) {
        put("secret.sh", "echo\n");
        _cleanup_free_ char *target = at("secret.sh");
        put_skill("abslink", "entry_point: run.sh\n");
        put_link(target, "abslink/run.sh");
        _cleanup_loaded_ struct loaded l = load("abslink");
        expect_invalid(&l, "entry_point", "path");
}

Test(skill_load, declared_entry_point_symlink_inside_is_fine) {
        put_skill("inlink", "entry_point: run.py\n");
        put("inlink/scripts/real.py", "print(1)\n");
        put_link("scripts/real.py", "inlink/run.py");
        _cleanup_loaded_ struct loaded l = load("inlink");
        expect_valid(&l);
        cr_assert_str_eq(l.skill->entry_point, "run.py");
        cr_assert_eq(l.skill->language, SKILL_LANG_PYTHON);
}

Test(skill_load, default_entry_symlink_outside_is_not_listed) {
        put("secret.py", "print('outside')\n");
        put_skill("sneaky", "");
        put("sneaky/scripts/.keep", "");
        put_link("../../secret.py", "sneaky/scripts/main.py");
        _cleanup_loaded_ struct loaded l = load("sneaky");
        expect_valid(&l);
        cr_assert_null(l.skill->entry_point);
        cr_assert_eq(l.skill->kind, SKILL_KIND_PROMPT_ONLY);
}

/* --- invalid skills --- */

Test(skill_load, directory_without_skill_md_is_invalid) {
        put("empty/scripts/main.py", "print(1)\n");
        _cleanup_loaded_ struct loaded l = load("empty");
        const char *msg = expect_invalid(&l, "SKILL.md", "required");
        cr_assert(strstr(msg, "SKILL.md"), "%s", msg);
        cr_assert_eq(l.err.code, 0, "an invalid skill is not an I/O error");
}

Test(skill_load, lowercase_skill_md_is_not_enough) {
        put("lower/skill.md", "---\nname: lower\ndescription: d\n---\n");
        _cleanup_loaded_ struct loaded l = load("lower");
        expect_invalid(&l, "SKILL.md", "required");
}

Test(skill_load, missing_directory_is_an_error_not_a_finding) {
        _cleanup_loaded_ struct loaded l = load("does-not-exist");
        cr_assert_eq(l.r, -ENOENT);
        cr_assert_eq(l.err.code, -ENOENT);
        cr_assert(strstr(l.err.msg, "does-not-exist"), "%s", l.err.msg);
        cr_assert_null(l.skill);
        cr_assert_eq(json_array_size(l.rep.errors), 0);
}

Test(skill_load, file_instead_of_directory) {
        put("plain", "x\n");
        _cleanup_loaded_ struct loaded l = load("plain");
        cr_assert_eq(l.r, -ENOTDIR);
        cr_assert_null(l.skill);
}

Test(skill_load, skill_md_is_a_directory) {
        put("weird/SKILL.md/x", "");
        _cleanup_loaded_ struct loaded l = load("weird");
        expect_invalid(&l, "SKILL.md", "type");
}

Test(skill_load, skill_md_symlink_outside) {
        put("real.md", "---\nname: out\ndescription: d\n---\n");
        put("out/.keep", "");
        put_link("../real.md", "out/SKILL.md");
        _cleanup_loaded_ struct loaded l = load("out");
        expect_invalid(&l, "SKILL.md", "path");
}

Test(skill_load, skill_md_size_boundary) {
        const char *head = "---\nname: big\ndescription: Big.\n---\n";
        size_t hl = strlen(head);
        char *text = malloc(SKILL_MD_MAX_BYTES + 1);
        cr_assert_not_null(text);
        memcpy(text, head, hl);
        memset(text + hl, 'a', SKILL_MD_MAX_BYTES + 1 - hl);
        put_n("big/SKILL.md", text, SKILL_MD_MAX_BYTES);
        {
                _cleanup_loaded_ struct loaded l = load("big");
                expect_valid(&l);
                cr_assert_eq(strlen(l.skill->body), SKILL_MD_MAX_BYTES - hl);
        }
        put_n("big/SKILL.md", text, SKILL_MD_MAX_BYTES + 1);
        free(text);
        _cleanup_loaded_ struct loaded l = load("big");
        const char *msg = expect_invalid(&l, "SKILL.md", "size");
        cr_assert(strstr(msg, "1 MiB"), "%s", msg);
}

Test(skill_load, syntax_errors_become_findings) {
        put("broken/SKILL.md", "---\nname: broken\ndescription: [oops\n---\n");
        _cleanup_loaded_ struct loaded l = load("broken");
        const char *msg = expect_invalid(&l, "SKILL.md", "syntax");
        cr_assert(strstr(msg, "line"), "%s", msg);
}

Test(skill_load, no_front_matter) {
        put("plainmd/SKILL.md", "# Just a title\n");
        _cleanup_loaded_ struct loaded l = load("plainmd");
        const char *msg = expect_invalid(&l, "SKILL.md", "syntax");
        cr_assert(strstr(msg, "front matter"), "%s", msg);
}

Test(skill_load, unterminated_front_matter) {
        put("unterm/SKILL.md", "---\nname: unterm\ndescription: d\n");
        _cleanup_loaded_ struct loaded l = load("unterm");
        const char *msg = expect_invalid(&l, "SKILL.md", "syntax");
        cr_assert(strstr(msg, "not terminated"), "%s", msg);
}

Test(skill_load, nul_byte_and_bad_utf8) {
        put_n("nul/SKILL.md", "---\nname: nul\ndescription: d\0\n---\n", 32);
        _cleanup_loaded_ struct loaded a = load("nul");
        const char *msg = expect_invalid(&a, "SKILL.md", "syntax");
        cr_assert(strstr(msg, "NUL"), "%s", msg);
        put("utf/SKILL.md", "---\nname: utf\ndescription: caf\xe9\n---\n");
        _cleanup_loaded_ struct loaded b = load("utf");
        msg = expect_invalid(&b, "SKILL.md", "syntax");
        cr_assert(strstr(msg, "UTF-8"), "%s", msg);
}

Test(skill_load, tab_indentation_message) {
        put("tabs/SKILL.md", "---\nname: tabs\ndescription: d\nmetadata:\n\tauthor: me\n---\n");
        _cleanup_loaded_ struct loaded l = load("tabs");
        const char *msg = expect_invalid(&l, "SKILL.md", "syntax");
        cr_assert(strstr(msg, "tab"), "%s", msg);
        cr_assert(strstr(msg, "line 5"), "%s", msg);
}

Test(skill_load, duplicate_key) {
        put("dup/SKILL.md", "---\nname: dup\ndescription: a\ndescription: b\n---\n");
        _cleanup_loaded_ struct loaded l = load("dup");
        const char *msg = expect_invalid(&l, "SKILL.md", "syntax");
        cr_assert(strstr(msg, "duplicate key 'description'"), "%s", msg);
}

Test(skill_load, name_must_match_directory) {
        put_skill("right", "");
        _cleanup_free_ char *from = at("right");
        _cleanup_free_ char *to = at("wrong");
        cr_assert_eq(rename(from, to), 0);
        _cleanup_loaded_ struct loaded l = load("wrong");
        expect_invalid(&l, "name", "directory");
}

Test(skill_load, front_matter_not_a_mapping) {
        put("list/SKILL.md", "---\n- a\n- b\n---\n");
        _cleanup_loaded_ struct loaded l = load("list");
        expect_invalid(&l, "front_matter", "type");
}

Test(skill_load, empty_front_matter) {
        put("blank/SKILL.md", "---\n---\nbody\n");
        _cleanup_loaded_ struct loaded l = load("blank");
        expect_invalid(&l, "front_matter", "type");
}

Test(skill_load, too_many_scripts) {
        put_skill("crowd", "");
        char rel[64];
        for (int i = 0; i <= SKILL_SCRIPTS_MAX; i++) {
                snprintf(rel, sizeof(rel), "crowd/scripts/s%03d.sh", i);
                put(rel, "echo\n");
        }
        _cleanup_loaded_ struct loaded l = load("crowd");
        expect_invalid(&l, "scripts", "count");
}

Test(skill_load, billion_laughs_in_skill_md) {
        put("lol/SKILL.md", "---\nname: lol\ndescription: d\n"
                            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                            "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                            "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                            "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n");
        _cleanup_loaded_ struct loaded l = load("lol");
        const char *msg = expect_invalid(&l, "SKILL.md", "syntax");
        cr_assert(strstr(msg, "too many nodes"), "%s", msg);
}

/* --- JSON form --- */

Test(skill_load, to_json) {
        put_skill("jsonny", "metadata:\n  skilllite.timeout: '30'\n");
        put("jsonny/scripts/main.sh", "echo\n");
        _cleanup_loaded_ struct loaded l = load("jsonny");
        expect_valid(&l);
        _cleanup_json_ json_t *j = skill_to_json(l.skill);
        cr_assert_not_null(j);
        cr_assert_str_eq(json_string_value(json_object_get(j, "name")), "jsonny");
        cr_assert_str_eq(json_string_value(json_object_get(j, "kind")), "standard");
        cr_assert_str_eq(json_string_value(json_object_get(j, "language")), "bash");
        cr_assert_str_eq(json_string_value(json_object_get(j, "entry_point")), "scripts/main.sh");
        cr_assert(json_is_null(json_object_get(j, "license")));
        cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "metadata"),
                                                           "skilllite.timeout")), "30");
        json_t *scripts = json_object_get(j, "scripts");
        cr_assert_eq(json_array_size(scripts), 1);
        cr_assert_str_eq(json_string_value(json_object_get(json_array_get(scripts, 0), "path")),
                         "scripts/main.sh");
}

Test(skill_load, kind_names) {
        cr_assert_str_eq(skill_kind_to_string(SKILL_KIND_STANDARD), "standard");
        cr_assert_str_eq(skill_kind_to_string(SKILL_KIND_MULTI_SCRIPT), "multi-script");
        cr_assert_str_eq(skill_kind_to_string(SKILL_KIND_BASH_TOOL), "bash-tool");
        cr_assert_str_eq(skill_kind_to_string(SKILL_KIND_PROMPT_ONLY), "prompt-only");
}

Test(skill_load, free_null) {
        cr_assert_null(skill_free(NULL));
}
