/* SKILL.md front matter splitting. Delimiters are lines that are exactly "---" apart from
 * trailing spaces/tabs; lines may end in LF, CRLF or a lone CR; a UTF-8 BOM is tolerated. */
#include "skill_md.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/fileio.h"
#include "../base/macros.h"
#include "../base/utf8.h"
#include "yaml_tree.h"

/* The front matter's first line is line 2 of SKILL.md. */
#define YAML_FIRST_LINE 2

/* End of the line starting at p: the first CR or LF. Sets *next to the start of the following
 * line, or NULL when the text ends without a line break. */
static const char *line_end(const char *p, const char *end, const char **next) {
        for (const char *q = p; q < end; q++) {
                if (*q == '\n') {
                        *next = q + 1;
                        return q;
                }
                if (*q == '\r') {
                        *next = (q + 1 < end && q[1] == '\n') ? q + 2 : q + 1;
                        return q;
                }
        }
        *next = NULL;
        return end;
}

/* Is the line [s, end) a "---" delimiter? */
static bool is_delimiter(const char *s, const char *end) {
        if (end - s < 3 || memcmp(s, "---", 3) != 0)
                return false;
        for (s += 3; s < end; s++)
                if (*s != ' ' && *s != '\t')
                        return false;
        return true;
}

static size_t line_of_offset(const char *text, size_t off) {
        size_t line = 1;
        for (size_t i = 0; i < off; i++)
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= off || text[i + 1] != '\n')))
                        line++;
        return line;
}

/* libyaml reports a tab in indentation as a generic token error; name the real cause. Only the
 * line the error is on is examined: a tab after the indentation of a block scalar is content,
 * and blaming it would hide the real error (a duplicate key, say) further down. */
static void explain_tab_indentation(const char *yaml, size_t len, struct error *err) {
        size_t error_line = 0;
        if (!err || sscanf(err->msg, "line %zu", &error_line) != 1)
                return;
        const char *p = yaml, *end = yaml + len, *next = NULL;
        for (size_t line = YAML_FIRST_LINE; p && line <= error_line; line++, p = next) {
                const char *eol = line_end(p, end, &next);
                if (line != error_line)
                        continue;
                const char *q = p;
                while (q < eol && (*q == ' ' || *q == '\t'))
                        q++;
                if (q < eol && memchr(p, '\t', (size_t) (q - p))) {
                        error_clear(err);
                        error_set(err, -EINVAL,
                                  "line %zu: tab character in indentation (YAML allows only spaces)",
                                  line);
                        return;
                }
        }
}

int skill_md_parse(const char *text, size_t len, struct skill_md *ret, struct error *err) {
        if (len > SKILL_MD_MAX_BYTES)
                return error_set(err, -EFBIG, "SKILL.md is %zu bytes, over the 1 MiB limit", len);
        const char *nul = memchr(text, '\0', len);
        if (nul)
                return error_set(err, -EINVAL, "SKILL.md contains a NUL byte at line %zu",
                                 line_of_offset(text, (size_t) (nul - text)));
        size_t bad = utf8_first_invalid(text, len);
        if (bad != len)
                return error_set(err, -EINVAL,
                                 "SKILL.md is not valid UTF-8 (line %zu, byte offset %zu)",
                                 line_of_offset(text, bad), bad);

        const char *p = text, *end = text + len, *next = NULL;
        if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
                p += 3;
        const char *eol = line_end(p, end, &next);
        if (!is_delimiter(p, eol))
                return error_set(err, -EINVAL,
                                 "SKILL.md has no front matter: the first line must be '---'");

        const char *yaml = next, *close = NULL, *after = NULL;
        for (const char *line = yaml; line; line = next) {
                const char *le = line_end(line, end, &next);
                if (is_delimiter(line, le)) {
                        close = line;
                        after = next ? next : end;
                        break;
                }
        }
        if (!close)
                return error_set(err, -EINVAL,
                                 "SKILL.md front matter is not terminated by a '---' line");

        size_t yaml_len = (size_t) (close - yaml);
        json_t *tree = yaml_tree_parse(yaml, yaml_len, YAML_FIRST_LINE, err);
        if (!tree) {
                if (err && err->code == -EINVAL)
                        explain_tab_indentation(yaml, yaml_len, err);
                error_prefix(err, "SKILL.md front matter");
                return err && err->code ? err->code : -EINVAL;
        }
        char *body = strndup(after, (size_t) (end - after));
        if (!body) {
                json_decref(tree);
                return error_set(err, -ENOMEM, "out of memory");
        }
        *ret = (struct skill_md) { .front_matter = tree, .body = body };
        return 0;
}

void skill_md_done(struct skill_md *md) {
        json_decref(md->front_matter);
        free(md->body);
        *md = (struct skill_md) { 0 };
}

int skill_md_read(const char *dir, size_t max, char **text, size_t *len) {
        _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        return read_file_at_bounded_flags(dfd, "SKILL.md", O_NOFOLLOW | O_NONBLOCK, max, text, len);
}
