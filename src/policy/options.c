/* SKILLLITE_* environment variables for run options (docs/ENV.md). The command line wins. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* SKILLLITE_X, else the original's legacy SKILLBOX_X; *used names the one that was set. */
static const char *env_get(const char *name, const char **used) {
        const char *v = getenv(name);
        *used = name;
        if (v && *v)
                return v;
        static char legacy[64];
        if (strneq(name, "SKILLLITE_", 10) && strlen(name) < sizeof(legacy) - 1) {
                memcpy(legacy, "SKILLBOX_", 9);
                memcpy(legacy + 9, name + 10, strlen(name + 10) + 1);
                v = getenv(legacy);
                if (v && *v) {
                        *used = legacy;
                        return v;
                }
        }
        return NULL;
}

static int env_uint(const char *name, uint64_t max, uint64_t *ret, struct error *err) {
        const char *used = name;
        const char *v = env_get(name, &used);
        if (!v || *ret)
                return 0;
        char *end = NULL;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (errno || !end || *end || n == 0 || n > max || v[0] == '-')
                return error_set(err, -EINVAL, "%s='%s' is not a whole number from 1 to %llu", used, v,
                                 (unsigned long long) max);
        *ret = n;
        return 0;
}

static bool env_true(const char *name) {
        const char *used = name;
        const char *v = env_get(name, &used);
        return v && (streq(v, "1") || streq(v, "true") || streq(v, "yes"));
}

int run_options_from_env(struct run_options *o, struct error *err) {
        int r = 0;
        uint64_t level = 0;
        if (!o->level) {
                r = env_uint("SKILLLITE_SANDBOX_LEVEL", 3, &level, err);
                if (r < 0)
                        return r;
                o->level = (int) level;
                if (!o->level && env_true("SKILLLITE_NO_SANDBOX"))
                        o->level = 1;
        }
        const char *used = NULL, *fast_exit = env_get("SKILLLITE_PYTHON_FAST_EXIT", &used);
        if (fast_exit && (streq(fast_exit, "0") || streq(fast_exit, "false") || streq(fast_exit, "no")))
                o->python_teardown = true;
        r = r ?: env_uint("SKILLLITE_TIMEOUT_SECS", PLAN_MAX_TIMEOUT_SECS, &o->timeout_secs, err);
        r = r ?: env_uint("SKILLLITE_MAX_MEMORY_MB", PLAN_MAX_MEMORY_MB, &o->memory_mb, err);
        r = r ?: env_uint("SKILLLITE_MAX_PROCESSES", PLAN_MAX_PROCS, &o->max_procs, err);
        r = r ?: env_uint("SKILLLITE_MAX_OUTPUT_BYTES", PLAN_MAX_OUTPUT, &o->output_max, err);
        r = r ?: env_uint("SKILLLITE_NETWORK_MAX_MB", 1024 * 1024, &o->net_max_bytes, err);
        r = r ?: env_uint("SKILLLITE_NETWORK_MAX_CONNECTIONS", 1024, &o->net_max_conns, err);
        r = r ?: env_uint("SKILLLITE_NETWORK_IDLE_SECS", 3600, &o->net_idle_secs, err);
        return r;
}
