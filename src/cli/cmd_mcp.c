/* `mcp`: the Model Context Protocol server (rpc/mcp.c) on stdio or Streamable HTTP. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/fileio.h"
#include "../base/strv.h"
#include "../rpc/mcp.h"
#include "cli.h"

#define TOKEN_FILE_MAX 4096
#define ORIGINS_MAX 32

static int cmd_mcp(int argc, char **argv);

const struct command command_mcp = {
        .name = "mcp",
        .synopsis = "mcp [--http HOST:PORT [--allow-remote] [--token-file FILE] [--allow-origin URL]...] [-s DIR] "
                    "[--sandbox-level N]",
        .summary = "Serve the skills as MCP tools (Model Context Protocol) on stdio or Streamable HTTP.",
        .help = "Every installed skill is a tool, plus list_skills, get_skill_info, run_skill,\n"
                "scan_code and execute_code. Protocol versions 2025-11-25, 2025-06-18 and\n"
                "2024-11-05. At sandbox level 3 risky runs need a person's approval: asked\n"
                "through MCP elicitation when the client supports it, else a scan_id to call\n"
                "again with confirmed=true.\n\n"
                "Options:\n"
                "  -s, --skills-dir DIR  where installed skills are looked up\n"
                "  --sandbox-level N     1, 2 or 3 (default $SKILLLITE_SANDBOX_LEVEL, else 3);\n"
                "                        a tool call may raise it, never lower it\n"
                "  --http HOST:PORT      Streamable HTTP on /mcp instead of stdio (PORT 0: any free\n"
                "                        port; the URL is printed on stderr once listening)\n"
                "  --allow-remote        allow a non-loopback HOST (a bearer token is then required)\n"
                "  --token-file FILE     require 'Authorization: Bearer <first line of FILE>'\n"
                "                        ($SKILLLITE_MCP_TOKEN works too)\n"
                "  --allow-origin URL    accept browser requests from this origin besides loopback\n"
                "                        pages (repeatable)\n"
                "  --workers N           runs at once (default 2 x CPUs)\n"
                "  --max-inflight N      requests in flight per session (default 32)\n"
                "  --pool N              pre-warmed sandboxes per hot skill (default 2, 0 = none)\n"
                "\nEnvironment: SKILLLITE_MCP_SCAN_TTL_SECS (scan_id lifetime, default 300),\n"
                "SKILLLITE_MCP_ELICIT_TIMEOUT_SECS (wait for a person's answer, default 600),\n"
                "SKILLLITE_AUTO_APPROVE=1 (approve medium/high without asking; critical stays refused).\n"
                "See docs/MCP.md.\n",
        .run = cmd_mcp,
};

/* The first line of the file, without surrounding whitespace. */
static int read_token(const char *path, char **ret) {
        char *data = NULL;
        size_t len = 0;
        int r = read_file_at_bounded(AT_FDCWD, path, TOKEN_FILE_MAX, &data, &len);
        if (r < 0)
                return cli_fail(EXIT_USAGE, "--token-file %s: %s", path, strerror(-r));
        char *start = data;
        while (*start == ' ' || *start == '\t')
                start++;
        size_t n = strcspn(start, "\r\n");
        while (n && (start[n - 1] == ' ' || start[n - 1] == '\t'))
                n--;
        start[n] = '\0';
        if (n < 16) {
                free(data);
                return cli_fail(EXIT_USAGE, "--token-file %s: the token must be at least 16 characters", path);
        }
        memmove(data, start, n + 1);
        *ret = data;
        return -1;
}

static void print_listening(const char *url, void *ctx) {
        (void) ctx;
        fprintf(stderr, "listening on %s\n", url);
        fflush(stderr);
}

static int cmd_mcp(int argc, char **argv) {
        enum { OPT_HTTP = 256, OPT_REMOTE, OPT_TOKEN_FILE, OPT_ORIGIN, OPT_LEVEL, OPT_WORKERS, OPT_INFLIGHT, OPT_POOL };
        static const struct option opts[] = {
                { "skills-dir", required_argument, NULL, 's' },
                { "http", required_argument, NULL, OPT_HTTP },
                { "allow-remote", no_argument, NULL, OPT_REMOTE },
                { "token-file", required_argument, NULL, OPT_TOKEN_FILE },
                { "allow-origin", required_argument, NULL, OPT_ORIGIN },
                { "sandbox-level", required_argument, NULL, OPT_LEVEL },
                { "workers", required_argument, NULL, OPT_WORKERS },
                { "max-inflight", required_argument, NULL, OPT_INFLIGHT },
                { "pool", required_argument, NULL, OPT_POOL },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct mcp_options o = { .engine = { .pool_size = 2 }, .auto_approve = cli_env_auto_approve(),
                                 .on_listening = print_listening };
        _cleanup_free_ char *token = NULL;
        _cleanup_strv_free_ char **origins = NULL;
        size_t n_origins = 0;
        unsigned long long n;
        int ch, r = -1;
        optind = 0;
        while ((ch = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
                switch (ch) {
                case 's': o.skills_dir = optarg; break;
                case OPT_HTTP: o.http_listen = optarg; break;
                case OPT_REMOTE: o.allow_remote = true; break;
                case OPT_TOKEN_FILE:
                        free(token);
                        token = NULL;
                        r = read_token(optarg, &token);
                        break;
                case OPT_ORIGIN:
                        if (n_origins >= ORIGINS_MAX)
                                return cli_fail(EXIT_USAGE, "at most %d --allow-origin", ORIGINS_MAX);
                        if (strncmp(optarg, "http://", 7) && strncmp(optarg, "https://", 8))
                                return cli_fail(EXIT_USAGE, "--allow-origin wants an origin like https://host[:port]");
                        if (strv_pushn(&origins, &n_origins, optarg, strlen(optarg)) < 0)
                                return cli_fail(EXIT_FAILED, "out of memory");
                        break;
                case OPT_LEVEL: r = cli_parse_number("--sandbox-level", optarg, 1, 3, &n), o.sandbox_level = (int) n; break;
                case OPT_WORKERS: r = cli_parse_number("--workers", optarg, 1, 256, &n), o.engine.workers = (unsigned) n; break;
                case OPT_INFLIGHT: r = cli_parse_number("--max-inflight", optarg, 1, 1024, &n), o.max_inflight = (unsigned) n; break;
                case OPT_POOL: r = cli_parse_number("--pool", optarg, 0, 16, &n), o.engine.pool_size = (unsigned) n; break;
                case 'h': return cli_usage(&command_mcp, false);
                default: return cli_usage(&command_mcp, true);
                }
                if (r >= 0)
                        return r;
        }
        if (optind != argc)
                return cli_usage(&command_mcp, true);
        if (!token && o.http_listen) {
                const char *env = getenv("SKILLLITE_MCP_TOKEN");
                if (env && *env) {
                        if (strlen(env) < 16)
                                return cli_fail(EXIT_USAGE, "SKILLLITE_MCP_TOKEN must be at least 16 characters");
                        if (!(token = strdup(env)))
                                return cli_fail(EXIT_FAILED, "out of memory");
                }
        }
        if (!o.http_listen && (o.allow_remote || token || origins))
                return cli_fail(EXIT_USAGE, "--allow-remote, --token-file and --allow-origin need --http");
        if (o.allow_remote && !token)
                return cli_fail(EXIT_USAGE, "--allow-remote needs a bearer token: --token-file FILE or SKILLLITE_MCP_TOKEN");
        o.token = token;
        o.allowed_origins = origins;
        struct error err = ERROR_INIT;
        r = mcp_main(&o, &err);
        if (r < 0)
                return cli_fail(r == -EPERM || r == -EINVAL ? EXIT_USAGE : EXIT_FAILED, "mcp: %s", err.msg);
        return EXIT_OK;
}
