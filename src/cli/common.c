/* Terminal output helpers shared by the commands. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../base/json.h"
#include "cli.h"

const struct command *cli_find_command(const char *name) {
        for (const struct command *const *c = cli_commands; *c; c++)
                if (streq((*c)->name, name))
                        return *c;
        return NULL;
}

int cli_fail(int code, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        fputs("skilllite: error: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
        return code;
}

void cli_warn(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        fputs("skilllite: warning: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

int cli_usage(const struct command *cmd, bool error) {
        FILE *f = error ? stderr : stdout;
        fprintf(f, "Usage: skilllite %s\n\n%s\n", cmd->synopsis, cmd->summary);
        if (!error && cmd->help)
                fprintf(f, "\n%s", cmd->help);
        if (error)
                fprintf(f, "\nRun 'skilllite %s --help' for details.\n", cmd->name);
        return error ? EXIT_USAGE : EXIT_OK;
}

int cli_print_json(const json_t *j) {
        int r = json_print(stdout, j, isatty(STDOUT_FILENO));
        if (r == 0 && fflush(stdout) != 0)
                r = -errno;
        if (r < 0)
                return cli_fail(EXIT_FAILED, "writing output: %s", strerror(-r));
        return EXIT_OK;
}

int cli_exit_for_errno(int r) {
        switch (-r) {
        case 0: return EXIT_OK;
        case EINVAL:
        case ENOENT:
        case ENOTDIR:
        case E2BIG:
        case EFBIG: return EXIT_USAGE;
        case EPERM:
        case EACCES: return EXIT_REFUSED;
        default: return EXIT_FAILED;
        }
}

void cli_fputs_safe(FILE *f, const char *s, bool keep_newlines) {
        for (const unsigned char *p = (const unsigned char *) (s ? s : ""); *p; p++) {
                if (*p == '\n' && keep_newlines)
                        fputc('\n', f);
                else if (*p < 0x20 || *p == 0x7f)
                        fputc(*p == '\n' || *p == '\t' ? ' ' : '?', f);
                else
                        fputc(*p, f);
        }
}

#define TTY_ANSWER_MAX 64

FILE *cli_tty_open(void) {
        int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
                errno = ENXIO;
                return NULL;
        }
        FILE *tty = fdopen(fd, "r+");
        if (!tty)
                close(fd);
        return tty;
}

int cli_tty_ask(FILE *tty, const char *question) {
        fprintf(tty, "%s [y/N] ", question);
        fflush(tty);
        char answer[TTY_ANSWER_MAX] = "";
        bool yes = fgets(answer, sizeof(answer), tty) && (answer[0] == 'y' || answer[0] == 'Y') &&
                   (answer[1] == '\n' || answer[1] == '\0' || strncasecmp(answer, "yes", 3) == 0);
        fclose(tty);
        return yes;
}

bool cli_env_auto_approve(void) {
        const char *v = getenv("SKILLLITE_AUTO_APPROVE");
        if (!v || !*v)
                v = getenv("SKILLBOX_AUTO_APPROVE"); /* the original's older name */
        return v && (streq(v, "1") || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0);
}

int cli_parse_number(const char *flag, const char *v, unsigned long long lo, unsigned long long hi,
                     unsigned long long *ret) {
        char *end = NULL;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (!*v || *end || v[0] == '-' || v[0] == '+' || errno || n < lo || n > hi)
                return cli_fail(EXIT_USAGE, "%s expects a number from %llu to %llu, not '%s'", flag, lo, hi, v);
        *ret = n;
        return -1;
}
