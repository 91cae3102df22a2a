/* `serve`: the JSON-RPC daemon on stdio (rpc/serve.c). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../rpc/serve.h"
#include "cli.h"

static int cmd_serve(int argc, char **argv);

const struct command command_serve = {
        .name = "serve",
        .synopsis = "serve [--stdio] [-s DIR] [--workers N] [--max-inflight N] [--pool N]",
        .summary = "Serve JSON-RPC 2.0 on stdin/stdout (run, exec, bash, scan, validate, list_skills, get_skill, ping).",
        .help = "One request per line; responses come back out of order, matched by id. Each\n"
                "request runs as its own child process with exactly the CLI's checks.\n\n"
                "Options:\n"
                "  --stdio              the only transport (accepted for compatibility)\n"
                "  -s, --skills-dir DIR where installed skill names are looked up\n"
                "  --workers N          requests running at once (default 2 x CPUs)\n"
                "  --max-inflight N     requests accepted and not yet answered (default 64);\n"
                "                       past it a request is answered with error -32005 busy\n"
                "  --pool N             pre-warmed sandboxes per hot skill for run (default 2,\n"
                "                       0 = none); --pool-total N (default 8) and\n"
                "                       --pool-memory MB (default 512) cap them all\n"
                "  --max-frame BYTES    longest request line (default 10 MiB)\n"
                "\nSee docs/SERVE.md for the methods, their params and the error codes.\n",
        .run = cmd_serve,
};

static int cmd_serve(int argc, char **argv) {
        enum { OPT_STDIO = 256, OPT_WORKERS, OPT_INFLIGHT, OPT_POOL, OPT_POOL_TOTAL, OPT_POOL_MEMORY, OPT_FRAME };
        static const struct option opts[] = {
                { "stdio", no_argument, NULL, OPT_STDIO },
                { "skills-dir", required_argument, NULL, 's' },
                { "workers", required_argument, NULL, OPT_WORKERS },
                { "max-inflight", required_argument, NULL, OPT_INFLIGHT },
                { "pool", required_argument, NULL, OPT_POOL },
                { "pool-total", required_argument, NULL, OPT_POOL_TOTAL },
                { "pool-memory", required_argument, NULL, OPT_POOL_MEMORY },
                { "max-frame", required_argument, NULL, OPT_FRAME },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct serve_options o = { .engine = { .pool_size = 2 } };
        unsigned long long n;
        int ch, r = -1;
        optind = 0;
        while ((ch = getopt_long(argc, argv, "+s:h", opts, NULL)) != -1) {
                switch (ch) {
                case OPT_STDIO: break;
                case 's': o.engine.skills_dir = optarg; break;
                case OPT_WORKERS: r = cli_parse_number("--workers", optarg, 1, 256, &n), o.engine.workers = (unsigned) n; break;
                case OPT_INFLIGHT: r = cli_parse_number("--max-inflight", optarg, 1, 4096, &n), o.max_inflight = (unsigned) n; break;
                case OPT_POOL: r = cli_parse_number("--pool", optarg, 0, 16, &n), o.engine.pool_size = (unsigned) n; break;
                case OPT_POOL_TOTAL: r = cli_parse_number("--pool-total", optarg, 1, 256, &n), o.engine.pool_total = (unsigned) n; break;
                case OPT_POOL_MEMORY:
                        r = cli_parse_number("--pool-memory", optarg, 16, 1 << 20, &n);
                        o.engine.pool_memory = (size_t) n << 20;
                        break;
                case OPT_FRAME: r = cli_parse_number("--max-frame", optarg, 1024, 1ULL << 30, &n), o.max_frame = (size_t) n; break;
                case 'h': return cli_usage(&command_serve, false);
                default: return cli_usage(&command_serve, true);
                }
                if (r >= 0)
                        return r;
        }
        if (optind != argc)
                return cli_usage(&command_serve, true);
        struct error err = ERROR_INIT;
        if (serve_main(&o, &err) < 0)
                return cli_fail(EXIT_FAILED, "serve: %s", err.msg);
        return EXIT_OK;
}
