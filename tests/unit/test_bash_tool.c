/* Unit tests for src/skill/bash_tool: Bash(...) prefixes from allowed-tools and the check that a
 * command starts with one of them as a whole word and carries no shell control syntax. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/skill/bash_tool.h"

/* Expect exactly the prefixes in want (NULL-terminated). */
static void expect_prefixes(const char *allowed, const char *const *want) {
        _cleanup_strv_free_ char **got = NULL;
        int n = bash_tool_prefixes(allowed, &got);
        size_t n_want = 0;
        while (want[n_want])
                n_want++;
        cr_assert_eq(n, (int) n_want, "'%s': %d prefixes, want %zu", allowed ? allowed : "(null)", n, n_want);
        for (size_t i = 0; i < n_want; i++)
                cr_expect_str_eq(got[i], want[i], "'%s' prefix %zu", allowed, i);
        if (n_want)
                cr_expect_null(got[n_want], "NULL-terminated");
        else
                cr_expect_null(got);
}

Test(bash_tool_prefixes, colon_star) {
        expect_prefixes("Bash(git:*)", (const char *const[]) { "git", NULL });
}

Test(bash_tool_prefixes, mixed_list_with_other_tools) {
        expect_prefixes("Read, Bash(npm run:*), Bash(ls)", (const char *const[]) { "npm run", "ls", NULL });
}

Test(bash_tool_prefixes, space_star) {
        expect_prefixes("Bash(agent-browser *)", (const char *const[]) { "agent-browser", NULL });
}

Test(bash_tool_prefixes, bare_star_and_blanks_are_trimmed) {
        expect_prefixes("Bash(python3*)", (const char *const[]) { "python3", NULL });
        expect_prefixes("Bash(  jq  :*)", (const char *const[]) { "jq", NULL });
}

Test(bash_tool_prefixes, nothing_to_extract) {
        static const char *const none[] = { NULL };
        expect_prefixes(NULL, none);
        expect_prefixes("", none);
        expect_prefixes("Read, Write", none);
        expect_prefixes("Bash()", none);
        expect_prefixes("Bash(:*)", none);
        expect_prefixes("Bash(*)", none);
        expect_prefixes("Bash(   )", none);
}

Test(bash_tool_prefixes, unterminated_pattern_stops_the_scan) {
        expect_prefixes("Bash(git:*", (const char *const[]) { NULL });
        expect_prefixes("Bash(ls), Bash(git:*", (const char *const[]) { "ls", NULL });
}

static char *many_patterns(int n) {
        size_t cap = (size_t) n * 24 + 1;
        char *s = calloc(1, cap);
        cr_assert_not_null(s);
        size_t len = 0;
        for (int i = 0; i < n; i++)
                len += (size_t) snprintf(s + len, cap - len, "%sBash(tool%d:*)", i ? ", " : "", i);
        return s;
}

Test(bash_tool_prefixes, cap_is_enforced) {
        _cleanup_free_ char *ok = many_patterns(BASH_TOOL_MAX_PREFIXES);
        _cleanup_strv_free_ char **v = NULL;
        cr_assert_eq(bash_tool_prefixes(ok, &v), BASH_TOOL_MAX_PREFIXES);
        cr_expect_str_eq(v[BASH_TOOL_MAX_PREFIXES - 1], "tool31");

        _cleanup_free_ char *over = many_patterns(BASH_TOOL_MAX_PREFIXES + 1);
        char **w = (char **) 0x1;
        cr_assert_eq(bash_tool_prefixes(over, &w), -E2BIG);
        cr_expect_null(w, "nothing is handed out on failure");
}

/* ---- bash_command_check --------------------------------------------------------------------- */

static char *const PREFIXES[] = { "git", "npm run", "ls", NULL };

static void expect_allowed(const char *cmd, const char *tool) {
        struct error err = ERROR_INIT;
        _cleanup_free_ char *got = NULL;
        int r = bash_command_check(PREFIXES, cmd, &got, &err);
        cr_assert_eq(r, 0, "'%s' should be allowed: %d %s", cmd, r, err.msg);
        cr_expect_str_eq(got, tool, "'%s'", cmd);
}

static void expect_refused(const char *cmd, int code, const char *msg_part) {
        struct error err = ERROR_INIT;
        char *got = NULL;
        int r = bash_command_check(PREFIXES, cmd, &got, &err);
        cr_expect_eq(r, code, "'%s': got %d (%s), want %d", cmd, r, err.msg, code);
        cr_expect_null(got, "'%s': no tool on refusal", cmd);
        free(got);
        cr_expect_not_null(strstr(err.msg, msg_part), "'%s': message '%s' lacks '%s'", cmd, err.msg, msg_part);
}

Test(bash_command_check, allowed_commands_return_the_tool) {
        expect_allowed("git status", "git");
        expect_allowed("git", "git");
        expect_allowed("git\tlog", "git");
        expect_allowed("npm run build", "npm");
        expect_allowed("npm run", "npm");
        expect_allowed("ls -la /skill", "ls");
        expect_allowed("   git diff", "git");
        expect_allowed("\tls", "ls");
        expect_allowed("git commit -m 'h\xc3\xa9llo'", "git");
}

Test(bash_command_check, prefix_must_be_a_whole_word) {
        expect_refused("gitx status", -EPERM, "allowed prefix");
        expect_refused("git-shell", -EPERM, "allowed prefix");
        expect_refused("lsblk", -EPERM, "allowed prefix");
        expect_refused("npm runx", -EPERM, "allowed prefix");
        expect_refused("npm install", -EPERM, "allowed prefix");
        expect_refused("npm", -EPERM, "allowed prefix");
        expect_refused("GIT status", -EPERM, "allowed prefix");
        expect_refused("/usr/bin/git status", -EPERM, "allowed prefix");
        expect_refused("FOO=1 git status", -EPERM, "allowed prefix");
}

Test(bash_command_check, every_forbidden_sequence_is_refused) {
        static const struct {
                const char *cmd;
                const char *shown;
        } table[] = {
                { "git status; id", "';'" },
                { "git status && id", "'&'" },
                { "git status & id", "'&'" },
                { "git status | sh", "'|'" },
                { "git status || id", "'|'" },
                { "git `id`", "'`'" },
                { "git $(id)", "'$('" },
                { "git $((1+1))", "'$('" },
                { "git ${HOME}", "'${'" },
                { "git < /etc/passwd", "'<'" },
                { "git diff <(id)", "'<'" },
                { "git > /sandbox/out", "'>'" },
                { "git diff >(sh)", "'>'" },
                { "git status\nid", "'\\n'" },
                { "git status\rid", "'\\r'" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                expect_refused(table[i].cmd, -EPERM, table[i].shown);
}

Test(bash_command_check, empty_too_long_and_invalid_utf8) {
        expect_refused("", -EINVAL, "empty");
        expect_refused("git \xff", -EINVAL, "UTF-8");
        expect_refused("git \xc3", -EINVAL, "UTF-8");        /* truncated sequence */
        expect_refused("git \xc0\xaf", -EINVAL, "UTF-8");    /* overlong '/' */
        expect_refused("git \xed\xa0\x80", -EINVAL, "UTF-8"); /* surrogate */

        char *max = malloc(BASH_COMMAND_MAX + 2);
        cr_assert_not_null(max);
        memcpy(max, "git ", 4);
        memset(max + 4, 'a', BASH_COMMAND_MAX - 4);
        max[BASH_COMMAND_MAX] = '\0';
        expect_allowed(max, "git");
        max[BASH_COMMAND_MAX] = 'a';
        max[BASH_COMMAND_MAX + 1] = '\0';
        expect_refused(max, -E2BIG, "longer than");
        free(max);
}

Test(bash_command_check, blank_or_no_prefixes_allow_nothing) {
        struct error err = ERROR_INIT;
        char *tool = NULL;
        cr_expect_eq(bash_command_check(NULL, "git status", &tool, &err), -EPERM);
        char *const none[] = { NULL };
        cr_expect_eq(bash_command_check(none, "git status", &tool, &err), -EPERM);
        cr_expect_null(tool);
        expect_refused("   ", -EPERM, "allowed prefix");
}

/* The prefixes as parsed from a skill feed the check: end to end. */
Test(bash_command_check, with_parsed_prefixes) {
        _cleanup_strv_free_ char **v = NULL;
        cr_assert_eq(bash_tool_prefixes("Bash(agent-browser *), Bash(npm run:*)", &v), 2);
        struct error err = ERROR_INIT;
        _cleanup_free_ char *tool = NULL;
        cr_assert_eq(bash_command_check(v, "agent-browser open https://example.com", &tool, &err), 0, "%s",
                     err.msg);
        cr_expect_str_eq(tool, "agent-browser");
        char *none = NULL;
        cr_expect_eq(bash_command_check(v, "agent-browserx", &none, &err), -EPERM);
        cr_expect_null(none);
}
