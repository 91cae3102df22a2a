/* allowed-tools Bash(...) parsing and command checking. */
#include "bash_tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"
#include "../base/strv.h"
#include "../base/utf8.h"

static int push(char ***v, size_t *n, const char *s, size_t len) {
        if (*n >= BASH_TOOL_MAX_PREFIXES)
                return -E2BIG;
        return strv_pushn(v, n, s, len);
}

int bash_tool_prefixes(const char *allowed_tools, char ***ret) {
        char **v = NULL;
        size_t n = 0;
        *ret = NULL;
        for (const char *p = allowed_tools ? strstr(allowed_tools, "Bash(") : NULL; p; p = strstr(p, "Bash(")) {
                p += 5;
                const char *close = strchr(p, ')');
                if (!close)
                        break;
                size_t len = (size_t) (close - p);
                /* "git:*" and "npm run *" and "ls" */
                if (len >= 2 && p[len - 2] == ':' && p[len - 1] == '*')
                        len -= 2;
                else if (len >= 2 && p[len - 2] == ' ' && p[len - 1] == '*')
                        len -= 2;
                else if (len >= 1 && p[len - 1] == '*')
                        len -= 1;
                while (len && p[len - 1] == ' ')
                        len--;
                while (len && *p == ' ')
                        p++, len--;
                if (len) {
                        int r = push(&v, &n, p, len);
                        if (r < 0) {
                                strv_free(v);
                                return r;
                        }
                }
                p = close + 1;
        }
        *ret = v;
        return (int) n;
}

int bash_command_check(char *const *prefixes, const char *command, char **ret_tool, struct error *err) {
        size_t n = strlen(command);
        if (n == 0)
                return error_set(err, -EINVAL, "the command is empty");
        if (n > BASH_COMMAND_MAX)
                return error_set(err, -E2BIG, "the command is longer than %d bytes", BASH_COMMAND_MAX);
        if (!utf8_is_valid(command, n))
                return error_set(err, -EINVAL, "the command is not valid UTF-8");
        /* Shell control syntax would let one allowed prefix chain into anything else. */
        /* $'...' and $"..." would let escapes spell any of the others (\x3b is ';'). */
        static const char *const forbidden[] = { ";", "&", "|", "`", "$(", "${", "$'", "$\"", "<", ">",
                                                 "\n", "\r", NULL };
        for (const char *const *f = forbidden; *f; f++)
                if (strstr(command, *f))
                        return error_set(err, -EPERM, "the command contains '%s', which bash-tool commands "
                                         "may not use", streq(*f, "\n") ? "\\n" : streq(*f, "\r") ? "\\r" : *f);
        const char *cmd = command;
        while (*cmd == ' ' || *cmd == '\t')
                cmd++;
        for (char *const *p = prefixes; p && *p; p++) {
                size_t len = strlen(*p);
                if (strncmp(cmd, *p, len) != 0 || (cmd[len] != '\0' && cmd[len] != ' ' && cmd[len] != '\t'))
                        continue;
                size_t word = strcspn(*p, " \t");
                *ret_tool = strndup(*p, word);
                return *ret_tool ? 0 : -ENOMEM;
        }
        return error_set(err, -EPERM, "the command does not start with an allowed prefix");
}
