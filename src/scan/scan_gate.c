/* The scan a level-3 run asks for (scan_gate.h). */
#include "scan_gate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/macros.h"
#include "../skill/skill_hash.h"
#include "advisory_db.h"
#include "scan.h"
#include "scan_cache.h"

int scan_advisory_db_open_if_present(struct advisory_db **ret, struct error *err) {
        *ret = NULL;
        _cleanup_free_ char *path = NULL;
        struct error perr = { 0 };
        if (advisory_db_default_path(&path, &perr) < 0)
                return 0; /* no home: no database */
        int r = advisory_db_open(path, ADVISORY_DB_READONLY, ret, err);
        if (r == -ENOENT) {
                *err = (struct error) { 0 };
                return 0;
        }
        return r < 0 ? r : 1;
}

void scan_advisory_db_closep(struct advisory_db **db) {
        *db = advisory_db_close(*db);
}

void scan_gate_done(struct scan_gate *g) {
        json_decref(g->report);
        *g = (struct scan_gate) { 0 };
}

/* What changes when the advisory DB changes: a cached "clean" must not outlive an import. */
static void db_stamp(struct advisory_db *db, char *out, size_t n) {
        struct advisory_db_status st;
        struct error err = { 0 };
        if (!db || advisory_db_status(db, &st, &err) < 0) {
                snprintf(out, n, "%s", db ? "db-unreadable" : "no-db");
                return;
        }
        snprintf(out, n, "db:%" PRIu64 ":%" PRId64, st.advisories, st.last_import);
}

int scan_gate_run(const struct skill *s, struct scan_gate *g, struct error *err) {
        *g = (struct scan_gate) { 0 };
        _cleanup_close_ int dirfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return error_set(err, -errno, "%s: %s", s->dir, strerror(errno));
        int r = skill_hash_dir(dirfd, g->skill_hash, err);
        if (r < 0)
                return r;

        _cleanup_(scan_advisory_db_closep) struct advisory_db *db = NULL;
        struct error dberr = { 0 };
        (void) scan_advisory_db_open_if_present(&db, &dberr); /* unusable = none: "unknown" */
        char stamp[64], key[SHA256_HEX_BYTES];
        db_stamp(db, stamp, sizeof(stamp));
        if ((r = scan_cache_key(g->skill_hash, stamp, key)) < 0)
                return error_set(err, r, "scan cache key: %s", strerror(-r));

        g->report = scan_cache_load(key);
        if (g->report) {
                g->cached = true;
        } else {
                struct scan_skill_perms perms;
                if ((r = scan_skill_perms_init(&perms, s)) < 0) {
                        scan_skill_perms_done(&perms);
                        return error_set(err, r, "out of memory");
                }
                struct scan_options o = { .perms = &perms.perms, .compatibility = s->compatibility,
                                          .db = db };
                struct scan_report rep = { 0 };
                r = scan_run(dirfd, NULL, &o, &rep, err);
                scan_skill_perms_done(&perms);
                if (r >= 0 && !(g->report = scan_report_to_json(&rep)))
                        r = error_set(err, -ENOMEM, "out of memory");
                scan_report_done(&rep);
                if (r < 0)
                        return r;
                (void) scan_cache_store(key, g->report); /* a cache that cannot be written costs time only */
        }
        int v = severity_from_string(json_string_value(json_object_get(g->report, "verdict")));
        /* A cached report with a verdict we cannot read is treated as the worst. */
        g->verdict = v < 0 ? SEV_CRITICAL : (enum severity) v;
        return 0;
}
