/* `remove`, `verify`, `approve` and `reindex`: the installed skills and their integrity records. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/macros.h"
#include "../base/path.h"
#include "../skill/integrity.h"
#include "../skill/skill.h"
#include "../skill/state_db.h"
#include "admit.h"
#include "cli.h"

static int cmd_remove(int argc, char **argv);
static int cmd_verify(int argc, char **argv);
static int cmd_approve(int argc, char **argv);
static int cmd_reindex(int argc, char **argv);

#define DIR_OPT_HELP "  -s, --skills-dir DIR  the skills directory (default: $SKILLLITE_SKILLS_DIR, else ./.skills)\n"

const struct command command_remove = {
        .name = "remove",
        .synopsis = "remove [--skills-dir DIR] [--yes] [--json] <name>",
        .summary = "Uninstall a skill: its directory and its integrity record.",
        .help = "Options:\n" DIR_OPT_HELP "  -y, --yes             do not ask\n  --json                print a JSON summary\n"
                "\nExit status: 0 removed, 1 no such skill, 2 bad name, 3 not confirmed.\n",
        .run = cmd_remove,
};

const struct command command_verify = {
        .name = "verify",
        .synopsis = "verify [--skills-dir DIR] [--json] [<name>]",
        .summary = "Check installed skills against their integrity records (files changed, records tampered with).",
        .help = "Options:\n" DIR_OPT_HELP "  --json                print a JSON object\n"
                "\nExit status: 0 everything verified, 1 no such skill, 3 a skill changed, is missing\n"
                "or its record fails its MAC. Directories without a record are listed as\n"
                "`unrecorded` (not installed through `add`) and do not fail the check.\n",
        .run = cmd_verify,
};

const struct command command_approve = {
        .name = "approve",
        .synopsis = "approve [--skills-dir DIR] [--yes] [--json] <name>",
        .summary = "Re-approve an installed skill as it is now: a fresh scan, your confirmation, a new record.",
        .help = "Options:\n" DIR_OPT_HELP "  -y, --yes             approve after reading the report (no prompt)\n"
                "  --json                print a JSON summary\n"
                "\nUse it after changing an installed skill on purpose; `run` refuses a changed skill\n"
                "until then. The skill goes through admission again (copy, validate, scan, confirm,\n"
                "record, swap into place).\n",
        .run = cmd_approve,
};

const struct command command_reindex = {
        .name = "reindex",
        .synopsis = "reindex [--skills-dir DIR] [--json]",
        .summary = "Reconcile the integrity records with the skills directory (drop records of deleted skills, "
                   "clear interrupted installs).",
        .help = "Options:\n" DIR_OPT_HELP "  --json                print a JSON summary\n"
                "\nNothing is approved by reindex: directories without a record stay unrecorded\n"
                "(install them with `add`), changed skills stay changed (`approve` them).\n",
        .run = cmd_reindex,
};

struct opts {
        const char *skills_dir;
        bool yes, json;
};

static int parse(const struct command *cmd, int argc, char **argv, struct opts *o) {
        static const struct option opts[] = {
                { "skills-dir", required_argument, NULL, 's' },
                { "yes", no_argument, NULL, 'y' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "s:yh", opts, NULL)) != -1) {
                switch (c) {
                case 's': o->skills_dir = optarg; break;
                case 'y': o->yes = true; break;
                case 'j': o->json = true; break;
                case 'h': return cli_usage(cmd, false);
                default: return cli_usage(cmd, true);
                }
        }
        return -1;
}

/* The canonical skills directory (it must exist), or an exit code. */
static int skills_dir(const struct opts *o, char **ret) {
        _cleanup_free_ char *t = admit_target_dir(o->skills_dir);
        if (!t)
                return cli_fail(EXIT_FAILED, "out of memory");
        *ret = realpath(t, NULL);
        if (!*ret)
                return cli_fail(errno == ENOENT ? EXIT_FAILED : EXIT_FAILED, "skills directory %s: %s", t, strerror(errno));
        return -1;
}

static int check_name(const char *name) {
        const char *problem = skill_name_problem(name);
        if (problem)
                return cli_fail(EXIT_USAGE, "'%.80s' is not a skill name: %s", name, problem);
        return -1;
}

static int open_db(bool create, struct state_db **db) {
        struct error err = ERROR_INIT;
        int r = state_db_open(create, db, &err);
        if (r == -ENOENT)
                return -1; /* no DB: nothing recorded */
        if (r < 0)
                return cli_fail(EXIT_FAILED, "%s", err.msg);
        return -1;
}

/* 1 yes, 0 no, -ENXIO without a terminal. */
static int confirm(const char *question) {
        FILE *tty = cli_tty_open();
        return tty ? cli_tty_ask(tty, question) : -ENXIO;
}

/* ---- remove -------------------------------------------------------------------------------- */

static int cmd_remove(int argc, char **argv) {
        struct opts o = { 0 };
        int r = parse(&command_remove, argc, argv, &o);
        if (r >= 0)
                return r;
        if (argc - optind != 1)
                return cli_usage(&command_remove, true);
        const char *name = argv[optind];
        if ((r = check_name(name)) >= 0)
                return r;
        _cleanup_free_ char *dir = NULL;
        if ((r = skills_dir(&o, &dir)) >= 0)
                return r;
        _cleanup_free_ char *path = path_join(dir, name);
        if (!path)
                return cli_fail(EXIT_FAILED, "out of memory");
        _cleanup_state_db_ struct state_db *db = NULL;
        if ((r = open_db(false, &db)) >= 0)
                return r;
        struct stat st;
        bool exists = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
        struct installed_skill rec = { 0 };
        struct error err = ERROR_INIT;
        int had = db ? installed_get(db, dir, name, &rec, &err) : 0;
        installed_skill_done(&rec);
        if (had < 0 && had != -EBADMSG)
                return cli_fail(EXIT_FAILED, "%s", err.msg);
        if (!exists && had == 0)
                return cli_fail(EXIT_FAILED, "no skill named '%s' in %s", name, dir);
        if (!o.yes) {
                char q[512];
                snprintf(q, sizeof(q), "Remove skill '%s' from %s?", name, dir);
                r = confirm(q);
                if (r == -ENXIO)
                        return cli_fail(EXIT_REFUSED, "removing needs a confirmation and there is no terminal: pass --yes");
                if (r <= 0)
                        return cli_fail(EXIT_REFUSED, "not removed");
        }
        _cleanup_close_ int lock = admit_lock(dir, true);
        if (lock < 0)
                return cli_fail(EXIT_FAILED, "locking %s: %s", dir, strerror(-lock));
        /* Out of sight first (one rename), then the record, then the files. */
        _cleanup_free_ char *trash = NULL;
        if (exists) {
                if (asprintf(&trash, "%s/.skilllite-stage-rm-%s-%d", dir, name, (int) getpid()) < 0)
                        return cli_fail(EXIT_FAILED, "out of memory");
                if (rename(path, trash) < 0)
                        return cli_fail(EXIT_FAILED, "%s: %s", path, strerror(errno));
        }
        if (db && had != 0 && installed_remove(db, dir, name, &err) < 0)
                cli_warn("%s", err.msg);
        if (trash && (r = rm_rf(trash)) < 0)
                cli_warn("could not delete %s: %s", trash, strerror(-r));
        if (o.json) {
                _cleanup_json_ json_t *out = json_pack("{s:s, s:s, s:b, s:b}", "removed", name, "skills_dir", dir,
                                                       "directory", exists, "record", had != 0);
                return out ? cli_print_json(out) : cli_fail(EXIT_FAILED, "out of memory");
        }
        printf("Removed '%s' from %s.\n", name, dir);
        return EXIT_OK;
}

/* ---- verify -------------------------------------------------------------------------------- */

static const char *status_word(enum integrity_status s) {
        switch (s) {
        case INTEGRITY_OK: return "ok";
        case INTEGRITY_NOT_INSTALLED: return "unrecorded";
        case INTEGRITY_CHANGED: return "changed";
        case INTEGRITY_BAD_RECORD: return "bad_record";
        }
        return "unknown";
}

/* One skill: {"name", "status", "changes"?, "error"?}; *bad set when it fails the check. */
static json_t *verify_one(struct state_db *db, const char *dir, const char *name, bool *bad) {
        _cleanup_free_ char *path = path_join(dir, name);
        struct stat st;
        if (!path)
                return NULL;
        if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
                *bad = true;
                return json_pack("{s:s, s:s}", "name", name, "status", "missing");
        }
        if (!db)
                return json_pack("{s:s, s:s}", "name", name, "status", "unrecorded");
        struct integrity_result res = { 0 };
        struct error err = ERROR_INIT;
        int r = integrity_verify_dir(db, path, &res, &err);
        if (r < 0) {
                *bad = true;
                return json_pack("{s:s, s:s, s:s}", "name", name, "status", "error", "error", err.msg);
        }
        json_t *o = json_pack("{s:s, s:s}", "name", name, "status", status_word(res.status));
        if (o && res.changes)
                json_object_set(o, "changes", res.changes);
        if (res.status == INTEGRITY_CHANGED || res.status == INTEGRITY_BAD_RECORD)
                *bad = true;
        integrity_result_done(&res);
        return o;
}

static void print_verified(const json_t *o) {
        const char *status = json_string_value(json_object_get(o, "status"));
        cli_fputs_safe(stdout, json_string_value(json_object_get(o, "name")), false);
        printf(": %s\n", streq(status, "ok")           ? "ok"
                         : streq(status, "unrecorded") ? "unrecorded (not installed with `add`; nothing to verify against)"
                         : streq(status, "changed")    ? "CHANGED since it was approved"
                         : streq(status, "bad_record") ? "RECORD TAMPERED WITH (fails its MAC)"
                         : streq(status, "missing")    ? "MISSING (recorded, but the directory is gone)"
                                                       : "cannot be verified");
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(o, "changes"), i, c) {
                printf("    %-8s ", json_string_value(json_object_get(c, "change")));
                cli_fputs_safe(stdout, json_string_value(json_object_get(c, "path")), false);
                putchar('\n');
        }
        if (json_object_get(o, "error")) {
                printf("    ");
                cli_fputs_safe(stdout, json_string_value(json_object_get(o, "error")), false);
                putchar('\n');
        }
}

static bool in_array(json_t *names, const char *name) {
        size_t i;
        json_t *v;
        json_array_foreach(names, i, v)
                if (streq(json_string_value(v), name))
                        return true;
        return false;
}

/* A directory entry of the skills directory that could be an installed skill: a valid skill
 * name (never hidden: staging and lock files start with '.') holding a SKILL.md. */
static bool is_skill_entry(const char *dir, const char *name) {
        if (name[0] == '.' || skill_name_problem(name))
                return false;
        _cleanup_free_ char *p = path_join(dir, name);
        _cleanup_free_ char *md = p ? path_join(p, "SKILL.md") : NULL;
        return md && access(md, F_OK) == 0;
}

/* Every name to check: the records of dir, plus the subdirectories holding a SKILL.md. */
static int collect_names(struct state_db *db, const char *dir, json_t *names) {
        if (db) {
                struct installed_listed *v = NULL;
                size_t n = 0;
                struct error err = ERROR_INIT;
                int r = installed_list(db, dir, &v, &n, &err);
                if (r < 0)
                        return cli_fail(EXIT_FAILED, "%s", err.msg);
                for (size_t i = 0; i < n; i++)
                        json_array_append_new(names, json_string(v[i].s.name));
                installed_list_free(v, n);
        }
        DIR *d = opendir(dir);
        if (!d)
                return cli_fail(EXIT_FAILED, "%s: %s", dir, strerror(errno));
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!in_array(names, de->d_name) && is_skill_entry(dir, de->d_name))
                        json_array_append_new(names, json_string(de->d_name));
        }
        closedir(d);
        return -1;
}

static int cmp_names(const void *a, const void *b) {
        return strcmp(json_string_value(*(json_t *const *) a), json_string_value(*(json_t *const *) b));
}

static int cmd_verify(int argc, char **argv) {
        struct opts o = { 0 };
        int r = parse(&command_verify, argc, argv, &o);
        if (r >= 0)
                return r;
        if (argc - optind > 1)
                return cli_usage(&command_verify, true);
        const char *only = argc - optind == 1 ? argv[optind] : NULL;
        if (only && (r = check_name(only)) >= 0)
                return r;
        _cleanup_free_ char *dir = NULL;
        if ((r = skills_dir(&o, &dir)) >= 0)
                return r;
        _cleanup_state_db_ struct state_db *db = NULL;
        if ((r = open_db(false, &db)) >= 0)
                return r;
        _cleanup_json_ json_t *names = json_array(), *results = json_array();
        if (!names || !results)
                return cli_fail(EXIT_FAILED, "out of memory");
        if (only)
                json_array_append_new(names, json_string(only));
        else if ((r = collect_names(db, dir, names)) >= 0)
                return r;
        /* sorted output whatever the sources' order */
        size_t n = json_array_size(names);
        json_t **sorted = calloc(n ? n : 1, sizeof(*sorted));
        if (!sorted)
                return cli_fail(EXIT_FAILED, "out of memory");
        for (size_t i = 0; i < n; i++)
                sorted[i] = json_array_get(names, i);
        qsort(sorted, n, sizeof(*sorted), cmp_names);
        bool bad = false;
        for (size_t i = 0; i < n; i++) {
                json_t *one = verify_one(db, dir, json_string_value(sorted[i]), &bad);
                if (!one || json_array_append_new(results, one) < 0) {
                        free(sorted);
                        return cli_fail(EXIT_FAILED, "out of memory");
                }
        }
        free(sorted);
        if (only && streq(json_string_value(json_object_get(json_array_get(results, 0), "status")), "missing") &&
            !bad)
                return cli_fail(EXIT_FAILED, "no skill named '%s' in %s", only, dir);
        int code = bad ? EXIT_REFUSED : EXIT_OK;
        if (o.json) {
                _cleanup_json_ json_t *out = json_pack("{s:s, s:b, s:O}", "skills_dir", dir, "ok", !bad, "skills", results);
                if (!out)
                        return cli_fail(EXIT_FAILED, "out of memory");
                return cli_print_json(out) ?: code;
        }
        size_t i;
        json_t *v;
        json_array_foreach(results, i, v)
                print_verified(v);
        if (n == 0)
                printf("No skills in %s.\n", dir);
        return code;
}

/* ---- approve ------------------------------------------------------------------------------- */

static int cmd_approve(int argc, char **argv) {
        struct opts o = { 0 };
        int r = parse(&command_approve, argc, argv, &o);
        if (r >= 0)
                return r;
        if (argc - optind != 1)
                return cli_usage(&command_approve, true);
        const char *name = argv[optind];
        if ((r = check_name(name)) >= 0)
                return r;
        _cleanup_free_ char *dir = NULL;
        if ((r = skills_dir(&o, &dir)) >= 0)
                return r;
        _cleanup_free_ char *path = path_join(dir, name);
        struct stat st;
        if (!path)
                return cli_fail(EXIT_FAILED, "out of memory");
        if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
                return cli_fail(EXIT_FAILED, "no skill named '%s' in %s", name, dir);
        /* keep the recorded source when there is a (valid) record */
        _cleanup_state_db_ struct state_db *db = NULL;
        if ((r = open_db(false, &db)) >= 0)
                return r;
        struct installed_skill rec = { 0 };
        struct error err = ERROR_INIT;
        _cleanup_free_ char *source = NULL;
        if (db && installed_get(db, dir, name, &rec, &err) == 1)
                source = strdup(rec.source);
        installed_skill_done(&rec);
        struct admit_opts ao = { .skills_dir = dir, .source = source ? source : path, .yes = o.yes, .force = true,
                                 .json = o.json };
        json_t *entry = NULL;
        r = admit_skill(path, &ao, &entry);
        if (o.json) {
                _cleanup_json_ json_t *out = json_pack("{s:s, s:o*}", r == EXIT_OK ? "approved" : "failed", name,
                                                       "result", entry);
                return out ? (cli_print_json(out) ?: r) : cli_fail(EXIT_FAILED, "out of memory");
        }
        json_decref(entry);
        return r;
}

/* ---- reindex ------------------------------------------------------------------------------- */

static int cmd_reindex(int argc, char **argv) {
        struct opts o = { 0 };
        int r = parse(&command_reindex, argc, argv, &o);
        if (r >= 0)
                return r;
        if (argc != optind)
                return cli_usage(&command_reindex, true);
        _cleanup_free_ char *dir = NULL;
        if ((r = skills_dir(&o, &dir)) >= 0)
                return r;
        _cleanup_state_db_ struct state_db *db = NULL;
        if ((r = open_db(false, &db)) >= 0)
                return r;
        _cleanup_close_ int lock = admit_lock(dir, true);
        if (lock < 0)
                return cli_fail(EXIT_FAILED, "locking %s: %s", dir, strerror(-lock));
        _cleanup_json_ json_t *dropped = json_array(), *cleared = json_array(), *unrecorded = json_array(),
                              *recorded = json_array();
        if (!dropped || !cleared || !unrecorded || !recorded)
                return cli_fail(EXIT_FAILED, "out of memory");
        struct error err = ERROR_INIT;
        if (db) {
                struct installed_listed *v = NULL;
                size_t n = 0;
                if (installed_list(db, dir, &v, &n, &err) < 0)
                        return cli_fail(EXIT_FAILED, "%s", err.msg);
                for (size_t i = 0; i < n; i++) {
                        _cleanup_free_ char *p = path_join(dir, v[i].s.name);
                        struct stat st;
                        if (p && lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
                                json_array_append_new(recorded, json_string(v[i].s.name));
                                continue;
                        }
                        if (installed_remove(db, dir, v[i].s.name, &err) < 0)
                                cli_warn("%s", err.msg);
                        else
                                json_array_append_new(dropped, json_string(v[i].s.name));
                }
                installed_list_free(v, n);
        }
        DIR *d = opendir(dir);
        if (!d)
                return cli_fail(EXIT_FAILED, "%s: %s", dir, strerror(errno));
        struct dirent *de;
        while ((de = readdir(d))) {
                if (strneq(de->d_name, ".skilllite-stage-", 17)) {
                        /* An install or removal that was interrupted. Removals run under the
                         * writer lock we hold; an admission in progress holds a lock on its own
                         * staging directory (admit.c), so a busy one is skipped. */
                        _cleanup_free_ char *p = path_join(dir, de->d_name);
                        _cleanup_close_ int sfd = p ? open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -EBADF;
                        if (sfd >= 0 && flock(sfd, LOCK_EX | LOCK_NB) == 0 && rm_rf(p) >= 0)
                                json_array_append_new(cleared, json_string(de->d_name));
                        continue;
                }
                if (!in_array(recorded, de->d_name) && is_skill_entry(dir, de->d_name))
                        json_array_append_new(unrecorded, json_string(de->d_name));
        }
        closedir(d);
        if (o.json) {
                _cleanup_json_ json_t *out = json_pack("{s:s, s:O, s:O, s:O, s:O}", "skills_dir", dir, "recorded", recorded,
                                                       "dropped_records", dropped, "cleared_staging", cleared,
                                                       "unrecorded", unrecorded);
                return out ? cli_print_json(out) : cli_fail(EXIT_FAILED, "out of memory");
        }
        printf("%zu recorded, %zu record%s of deleted skills dropped, %zu interrupted install%s cleared.\n",
               json_array_size(recorded), json_array_size(dropped), json_array_size(dropped) == 1 ? "" : "s",
               json_array_size(cleared), json_array_size(cleared) == 1 ? "" : "s");
        size_t i;
        json_t *v;
        json_array_foreach(unrecorded, i, v) {
                printf("unrecorded: ");
                cli_fputs_safe(stdout, json_string_value(v), false);
                printf(" (not installed with `add`: `skilllite approve ");
                cli_fputs_safe(stdout, json_string_value(v), false);
                printf("` records it after a scan)\n");
        }
        return EXIT_OK;
}
