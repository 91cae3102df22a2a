/* `doctor`: what isolation this host can give, and what is missing. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../sandbox/probe.h"
#include "../sys/landlock.h"
#include "cli.h"

static int cmd_doctor(int argc, char **argv);

const struct command command_doctor = {
        .name = "doctor",
        .synopsis = "doctor [--json]",
        .summary = "Show what this host supports and which sandbox level it can enforce.",
        .help = "Options:\n  --json    print a JSON object\n"
                "\nExit status: 0 when the default level (3, isolation) can be enforced, 4 otherwise.\n",
        .run = cmd_doctor,
};

static const char *landlock_features(int abi) {
        if (abi >= 6)
                return "filesystem, truncate, TCP, device ioctl, abstract-socket and signal scoping";
        if (abi >= 5)
                return "filesystem, truncate, TCP, device ioctl";
        if (abi >= 4)
                return "filesystem, truncate, TCP";
        if (abi >= 3)
                return "filesystem, truncate";
        if (abi >= 1)
                return "filesystem";
        return "none";
}

static const char *cg_name(enum cgroup_mode m) {
        return m == CGROUP_V2 ? "v2" : m == CGROUP_V1 ? "v1" : "none";
}

/* On cgroup v1 every move of a process into a cgroup waits for an RCU grace period (~10 ms)
 * unless some cgroup hierarchy is mounted with favordynmods; runs on v2 are created inside
 * their cgroup (CLONE_INTO_CGROUP) and do not pay it. */
static bool cgroup_migrations_fast(const struct host_caps *h) {
        if (h->cgroup != CGROUP_V1)
                return true;
        _cleanup_free_ char *mounts = NULL;
        if (read_file_at_bounded(AT_FDCWD, "/proc/self/mounts", 1 << 20, &mounts, NULL) < 0)
                return false;
        for (char *line = mounts; line && *line;) {
                char *eol = strchr(line, '\n');
                if (eol)
                        *eol = '\0';
                if (strstr(line, " cgroup") && strstr(line, "favordynmods"))
                        return true;
                line = eol ? eol + 1 : NULL;
        }
        return false;
}

static int cmd_doctor(int argc, char **argv) {
        bool json = false;
        for (int i = 1; i < argc; i++) {
                if (streq(argv[i], "--json"))
                        json = true;
                else if (streq(argv[i], "--help") || streq(argv[i], "-h"))
                        return cli_usage(&command_doctor, false);
                else
                        return cli_usage(&command_doctor, true);
        }
        struct host_caps h;
        host_probe(&h);
        h.userns = host_probe_userns();
        bool isolation = h.userns && h.landlock_abi >= 1 && h.seccomp;
        _cleanup_json_ json_t *o = json_pack(
                "{s:b, s:{s:i, s:s}, s:b, s:{s:s, s:b, s:b, s:b}, s:b, s:{s:s?, s:s?, s:s?}, s:s?, s:i, s:b}",
                "user_namespaces", h.userns, "landlock", "abi", h.landlock_abi, "features",
                landlock_features(h.landlock_abi), "seccomp", h.seccomp, "cgroup", "version", cg_name(h.cgroup),
                "memory", h.cg_memory, "pids", h.cg_pids, "cpu", h.cg_cpu, "root", h.is_root,
                "interpreters", "python", h.python, "node", h.node, "shell", h.shell, "elf_loader",
                h.elf_loader, "max_level", isolation ? 3 : 1, "default_level_enforceable", isolation);
        bool fast = cgroup_migrations_fast(&h);
        if (o)
                json_object_set_new(json_object_get(o, "cgroup"), "fast_attach", json_boolean(fast));
        /* Network grants need nothing beyond isolation; Landlock ABI 4 adds the TCP port rule. */
        const char *net = !isolation              ? "unavailable (no isolation: level 1 uses the host's network)"
                          : h.landlock_abi >= 4 ? "grants through the run's proxy; Landlock limits TCP to it"
                                                : "grants through the run's proxy; TCP limited by the empty "
                                                  "network namespace and seccomp (Landlock ABI < 4)";
        if (o)
                json_object_set_new(o, "network", json_pack("{s:b, s:b, s:s}", "proxy", isolation,
                                                             "landlock_tcp", h.landlock_abi >= 4, "summary", net));
        int code = isolation ? EXIT_OK : EXIT_SANDBOX_UNAVAILABLE;
        if (!o) {
                host_caps_done(&h);
                return cli_fail(EXIT_FAILED, "out of memory");
        }
        if (json) {
                host_caps_done(&h);
                int r = cli_print_json(o);
                return r ? r : code;
        }
        printf("SkillLite doctor\n");
        printf("  user namespaces   %s\n", h.userns ? "yes" : "NO  (needed for isolation)");
        printf("  Landlock          %s\n", h.landlock_abi ? "yes" : "NO  (needed for isolation)");
        if (h.landlock_abi)
                printf("                    ABI %d: %s\n", h.landlock_abi, landlock_features(h.landlock_abi));
        printf("  seccomp           %s\n", h.seccomp ? "yes" : "NO  (needed for isolation)");
        printf("  cgroups           %s", cg_name(h.cgroup));
        if (h.cgroup != CGROUP_NONE)
                printf(" (memory %s, pids %s, cpu %s)", h.cg_memory ? "yes" : "no", h.cg_pids ? "yes" : "no",
                       h.cg_cpu ? "yes" : "no");
        printf("%s\n", h.cgroup == CGROUP_NONE ? "  -> limits fall back to rlimits (per process)" : "");
        if (!fast)
                printf("                    note: joining a v1 cgroup may wait for an RCU grace period (~10 ms\n"
                       "                    per run). 'mount -o remount,favordynmods /sys/fs/cgroup/unified'\n"
                       "                    (Linux 6.0+) removes that wait for every cgroup on the host; it\n"
                       "                    cannot be turned off again until reboot.\n");
        printf("  network           %s\n", net);
        printf("  engine runs as    %s\n", h.is_root ? "root (skills run as host uid 65534)" : "an unprivileged user");
        printf("  python            %s\n", h.python ? h.python : "not found");
        printf("  node              %s\n", h.node ? h.node : "not found");
        printf("  shell             %s\n", h.shell ? h.shell : "not found");
        printf("\n%s\n", isolation ? "Levels 1-3 available; the default (3) isolates every run."
                                   : "Isolation is NOT available: runs are refused (exit 4) unless "
                                     "--sandbox-level 1 is given.");
        host_caps_done(&h);
        return code;
}
