/* Loading a skill directory: read SKILL.md beneath the directory fd, validate it, list its
 * scripts and resolve the entry point. */
#include "skill.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/path.h"
#include "../sys/sys.h"
#include "scripts.h"
#include "skill_md.h"

const char *skill_kind_to_string(enum skill_kind kind) {
        switch (kind) {
        case SKILL_KIND_STANDARD: return "standard";
        case SKILL_KIND_MULTI_SCRIPT: return "multi-script";
        case SKILL_KIND_BASH_TOOL: return "bash-tool";
        case SKILL_KIND_PROMPT_ONLY: return "prompt-only";
        }
        return "unknown";
}

struct skill *skill_free(struct skill *s) {
        if (!s)
                return NULL;
        free(s->dir);
        free(s->dir_name);
        free(s->name);
        free(s->description);
        free(s->license);
        free(s->compatibility);
        free(s->allowed_tools);
        free(s->entry_point);
        json_decref(s->metadata);
        free(s->body);
        skill_scripts_free(s->scripts, s->n_scripts);
        free(s);
        return NULL;
}

const char *skill_metadata_get(const struct skill *s, const char *key) {
        return json_string_value(json_object_get(s->metadata, key));
}

static int dup_field(const json_t *fm, const char *key, char **ret) {
        const char *v = json_string_value(json_object_get(fm, key));
        *ret = NULL;
        if (!v)
                return 0;
        *ret = strdup(v);
        return *ret ? 0 : -ENOMEM;
}

/* Check a declared entry_point: a regular file inside the skill with a runnable language. */
static int check_declared_entry(int dirfd, const char *entry, enum skill_language *ret_lang,
                                struct skill_report *rep) {
        _cleanup_close_ int fd = sys_open_beneath(dirfd, entry, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
        if (fd == -EXDEV || fd == -ELOOP)
                return skill_report_add(rep, true, "entry_point", "path",
                                        "entry_point '%.200s' resolves outside the skill directory",
                                        entry);
        if (fd < 0)
                return skill_report_add(rep, true, "entry_point", "exists",
                                        "entry_point '%.200s' does not exist in the skill", entry);
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return skill_report_add(rep, true, "entry_point", "exists",
                                        "entry_point '%.200s' is not a regular file", entry);
        *ret_lang = skill_detect_language(dirfd, entry);
        if (*ret_lang == SKILL_LANG_NONE)
                return skill_report_add(rep, true, "entry_point", "language",
                                        "entry_point '%.200s' is not a Python, JavaScript/TypeScript "
                                        "or shell script (by extension or shebang)",
                                        entry);
        return 0;
}

static bool mentions_bash_tool(const char *allowed_tools) {
        return allowed_tools && strstr(allowed_tools, "Bash(");
}

int skill_load(const char *dir, struct skill **ret, struct skill_report *rep, struct error *err) {
        _cleanup_free_ char *canonical = realpath(dir, NULL);
        if (!canonical)
                return error_set(err, -errno, "skill directory '%s': %s", dir, strerror(errno));
        _cleanup_close_ int dirfd = open(canonical, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return error_set(err, -errno, "skill directory '%s': %s", dir, strerror(errno));
        _cleanup_free_ char *dir_name = path_basename(canonical);
        if (!dir_name)
                return error_set(err, -ENOMEM, "out of memory");

        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int fd = sys_open_beneath(dirfd, "SKILL.md", O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
        if (fd == -ENOENT) {
                skill_report_add(rep, true, "SKILL.md", "required",
                                 "no SKILL.md in '%s': a skill is a directory with a SKILL.md", dir);
                return -EINVAL;
        }
        if (fd == -EXDEV || fd == -ELOOP) {
                skill_report_add(rep, true, "SKILL.md", "path",
                                 "SKILL.md is a symlink that leaves the skill directory");
                return -EINVAL;
        }
        if (fd < 0)
                return error_set(err, fd, "opening SKILL.md: %s", strerror(-fd));
        struct stat st;
        int r = fstat(fd, &st) < 0 ? -errno : 0;
        if (r == 0 && !S_ISREG(st.st_mode))
                r = -EINVAL;
        if (r == 0)
                r = read_fd_bounded_sized(fd, SKILL_MD_MAX_BYTES, (uint64_t) st.st_size, &text, &len);
        safe_close(fd);
        if (r == -EFBIG || r == -EINVAL) {
                skill_report_add(rep, true, "SKILL.md", r == -EFBIG ? "size" : "type",
                                 r == -EFBIG ? "SKILL.md is larger than the 1 MiB limit"
                                             : "SKILL.md is not a regular file");
                return -EINVAL;
        }
        if (r < 0)
                return error_set(err, r, "reading SKILL.md: %s", strerror(-r));

        struct skill_md md = { 0 };
        struct error perr = ERROR_INIT;
        r = skill_md_parse(text, len, &md, &perr);
        if (r < 0) {
                skill_report_add(rep, true, "SKILL.md", "syntax", "%s", perr.msg);
                return -EINVAL;
        }
        (void) skill_validate_front_matter(md.front_matter, dir_name, rep);

        _cleanup_(skill_freep) struct skill *s = calloc(1, sizeof(*s));
        if (!s) {
                skill_md_done(&md);
                return error_set(err, -ENOMEM, "out of memory");
        }
        r = skill_list_scripts(dirfd, &s->scripts, &s->n_scripts);
        if (r == -E2BIG)
                skill_report_add(rep, true, "scripts", "count",
                                 "scripts/ holds more than %d scripts", SKILL_SCRIPTS_MAX);
        else if (r < 0) {
                skill_md_done(&md);
                return error_set(err, r, "listing scripts/: %s", strerror(-r));
        }

        const json_t *fm = md.front_matter;
        const char *declared = json_is_object(fm) ? json_string_value(json_object_get(fm, "entry_point"))
                                                  : NULL;
        enum skill_language entry_lang = SKILL_LANG_NONE;
        if (declared && path_is_safe_relative(declared))
                (void) check_declared_entry(dirfd, declared, &entry_lang, rep);

        if (!skill_report_ok(rep)) {
                skill_md_done(&md);
                return -EINVAL;
        }

        s->dir = TAKE_PTR(canonical);
        s->dir_name = TAKE_PTR(dir_name);
        s->body = TAKE_PTR(md.body);
        r = 0;
        r = r ?: dup_field(fm, "name", &s->name);
        r = r ?: dup_field(fm, "description", &s->description);
        r = r ?: dup_field(fm, "license", &s->license);
        r = r ?: dup_field(fm, "compatibility", &s->compatibility);
        r = r ?: dup_field(fm, "allowed-tools", &s->allowed_tools);
        /* `declared` points into the front matter, which dies with md just below. */
        r = r ?: dup_field(fm, "entry_point", &s->entry_point);
        json_t *md_obj = json_object_get(fm, "metadata");
        s->metadata = md_obj ? json_incref(md_obj) : json_object();
        skill_md_done(&md);
        if (r < 0 || !s->metadata)
                return error_set(err, -ENOMEM, "out of memory");

        if (s->entry_point) {
                s->entry_declared = true;
                s->language = entry_lang;
        } else {
                const char *entry = skill_default_entry(s->scripts, s->n_scripts);
                if (entry) {
                        s->entry_point = strdup(entry);
                        if (!s->entry_point)
                                return error_set(err, -ENOMEM, "out of memory");
                        s->language = skill_detect_language(dirfd, entry);
                }
        }

        if (s->entry_point)
                s->kind = SKILL_KIND_STANDARD;
        else if (mentions_bash_tool(s->allowed_tools))
                s->kind = SKILL_KIND_BASH_TOOL;
        else if (s->n_scripts > 1)
                s->kind = SKILL_KIND_MULTI_SCRIPT;
        else
                s->kind = SKILL_KIND_PROMPT_ONLY;

        if (s->kind == SKILL_KIND_MULTI_SCRIPT) {
                /* One language for the skill when its scripts agree. */
                s->language = s->scripts[0].language;
                for (size_t i = 1; i < s->n_scripts; i++)
                        if (s->scripts[i].language != s->language)
                                s->language = SKILL_LANG_NONE;
        } else if (s->kind == SKILL_KIND_BASH_TOOL)
                s->language = SKILL_LANG_SHELL;

        *ret = TAKE_PTR(s);
        return 0;
}
