/* A skill's input schema: the declared file (read beneath the skill's directory fd, capped,
 * parsed strictly), argparse inference on a Python script (input_schema_argparse.c), the fixed
 * object of a bash-tool skill, or the permissive default. */
#include "input_schema.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/path.h"
#include "../skill/scripts.h"
#include "../sys/sys.h"

json_t *input_schema_default(void) {
        return json_pack("{s:s, s:{}, s:b, s:s}", "type", "object", "properties", "additionalProperties", 1,
                         "x-skilllite-source", "default");
}

/* What `skilllite bash` takes: one command line, checked against the allowed prefixes. */
static json_t *bash_tool_schema(void) {
        return json_pack("{s:s, s:{s:{s:s, s:s}}, s:[s], s:b, s:s}", "type", "object", "properties", "command",
                         "type", "string", "description",
                         "the command line to run; it must start with one of the skill's allowed Bash prefixes",
                         "required", "command", "additionalProperties", 0, "x-skilllite-source", "bash-tool");
}

/* An fd for the skill directory: dirfd itself, or s->dir opened into *owned. */
static int skill_dirfd(const struct skill *s, int dirfd, int *owned, struct error *err) {
        if (dirfd >= 0)
                return dirfd;
        *owned = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (*owned < 0)
                return error_set(err, -errno, "skill directory '%s': %s", s->dir, strerror(errno));
        return *owned;
}

/* The declared schema file: relative, beneath the skill (symlinks only within it), a regular
 * file of at most INPUT_SCHEMA_FILE_MAX bytes holding a JSON object with "type": "object". */
static int read_declared(int dirfd, const char *rel, json_t **ret, struct error *err) {
        const char *key = INPUT_SCHEMA_METADATA_KEY;
        if (!path_is_safe_relative(rel))
                return error_set(err, -EINVAL, "%s '%.200s' must be a relative path inside the skill", key, rel);
        _cleanup_close_ int fd = sys_open_beneath(dirfd, rel, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
        if (fd == -EXDEV || fd == -ELOOP)
                return error_set(err, -EINVAL, "%s '%.200s' resolves outside the skill directory", key, rel);
        if (fd == -ENOENT || fd == -ENOTDIR)
                return error_set(err, -EINVAL, "%s '%.200s' does not exist in the skill", key, rel);
        if (fd < 0)
                return error_set(err, fd, "%s '%.200s': %s", key, rel, strerror(-fd));
        struct stat st;
        if (fstat(fd, &st) < 0)
                return error_set(err, -errno, "%s '%.200s': %s", key, rel, strerror(errno));
        if (!S_ISREG(st.st_mode))
                return error_set(err, -EINVAL, "%s '%.200s' is not a regular file", key, rel);
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r = read_fd_bounded(fd, INPUT_SCHEMA_FILE_MAX, &text, &len);
        if (r == -EFBIG)
                return error_set(err, -EINVAL, "%s '%.200s' is larger than %u KiB", key, rel,
                                 INPUT_SCHEMA_FILE_MAX / 1024);
        if (r < 0)
                return error_set(err, r, "%s '%.200s': %s", key, rel, strerror(-r));
        struct error perr = ERROR_INIT;
        _cleanup_json_ json_t *schema = json_parse_strict(text, len, INPUT_SCHEMA_FILE_MAX, &perr);
        if (!schema)
                return error_set(err, perr.code == -ENOMEM ? -ENOMEM : -EINVAL, "%s '%.200s': %s", key, rel,
                                 perr.msg);
        if (!json_is_object(schema))
                return error_set(err, -EINVAL, "%s '%.200s' must hold a JSON object, not %s", key, rel,
                                 json_is_array(schema) ? "an array" : "a scalar");
        const char *type = json_string_value(json_object_get(schema, "type"));
        if (!type || !streq(type, "object"))
                return error_set(err, -EINVAL, "%s '%.200s' must be an object schema (\"type\": \"object\")",
                                 key, rel);
        if (json_object_set_new(schema, "x-skilllite-source", json_string("declared")) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        *ret = TAKE_PTR(schema);
        return 0;
}

/* argparse inference on a Python script, or the default. A script that cannot be read (gone,
 * not a regular file, over INPUT_SCHEMA_SCRIPT_MAX) just gets the default: it is a hint. */
static int infer_python(int dirfd, const char *rel, json_t **ret, struct error *err) {
        *ret = NULL;
        _cleanup_close_ int fd = sys_open_beneath(dirfd, rel, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return 0;
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r = read_fd_bounded(fd, INPUT_SCHEMA_SCRIPT_MAX, &text, &len);
        if (r == -EFBIG)
                return 0;
        if (r < 0)
                return error_set(err, r, "reading '%.200s': %s", rel, strerror(-r));
        r = input_schema_python(text, len, ret);
        if (r < 0)
                return error_set(err, r, "out of memory");
        return 0;
}

static int finish(json_t *schema, json_t **ret, struct error *err) {
        if (!schema)
                schema = input_schema_default();
        if (!schema)
                return error_set(err, -ENOMEM, "out of memory");
        *ret = schema;
        return 0;
}

int skill_script_input_schema(const struct skill *s, int dirfd, const char *script_rel, json_t **ret,
                              struct error *err) {
        if (!script_rel || !path_is_safe_relative(script_rel))
                return error_set(err, -EINVAL, "script '%.200s' must be a relative path inside the skill",
                                 script_rel ? script_rel : "");
        _cleanup_close_ int owned = -1;
        int fd = skill_dirfd(s, dirfd, &owned, err);
        if (fd < 0)
                return fd;
        json_t *schema = NULL;
        const char *declared = skill_metadata_get(s, INPUT_SCHEMA_METADATA_KEY);
        if (declared) {
                int r = read_declared(fd, declared, &schema, err);
                return r < 0 ? r : finish(schema, ret, err);
        }
        enum skill_language lang = SKILL_LANG_NONE;
        for (size_t i = 0; i < s->n_scripts; i++)
                if (streq(s->scripts[i].path, script_rel))
                        lang = s->scripts[i].language;
        if (lang == SKILL_LANG_NONE)
                lang = skill_detect_language(fd, script_rel);
        if (lang == SKILL_LANG_PYTHON) {
                int r = infer_python(fd, script_rel, &schema, err);
                if (r < 0)
                        return r;
        }
        return finish(schema, ret, err);
}

int skill_input_schema(const struct skill *s, int dirfd, json_t **ret, struct error *err) {
        /* a bash-tool skill's input is its command, whatever else the skill says */
        if (s->kind == SKILL_KIND_BASH_TOOL) {
                *ret = bash_tool_schema();
                return *ret ? 0 : error_set(err, -ENOMEM, "out of memory");
        }
        if (s->kind == SKILL_KIND_STANDARD && s->entry_point)
                return skill_script_input_schema(s, dirfd, s->entry_point, ret, err);
        const char *declared = skill_metadata_get(s, INPUT_SCHEMA_METADATA_KEY);
        if (!declared)
                return finish(NULL, ret, err);
        _cleanup_close_ int owned = -1;
        int fd = skill_dirfd(s, dirfd, &owned, err);
        if (fd < 0)
                return fd;
        json_t *schema = NULL;
        int r = read_declared(fd, declared, &schema, err);
        return r < 0 ? r : finish(schema, ret, err);
}

int input_schema_json_set(json_t *obj, const struct skill *s, int dirfd) {
        json_t *schema = NULL;
        struct error err = ERROR_INIT;
        int r = skill_input_schema(s, dirfd, &schema, &err);
        if (r == -ENOMEM)
                return r;
        if (json_object_set_new(obj, "input_schema", r < 0 ? json_null() : schema) < 0)
                return -ENOMEM;
        if (r < 0 && json_object_set_new(obj, "input_schema_error", json_stringn_lossy(err.msg, strlen(err.msg))) < 0)
                return -ENOMEM;
        return 0;
}
