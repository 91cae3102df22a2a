/* The scan a level-3 run asks for (DESIGN.md §7): hash the whole skill, reuse a cached report for
 * that hash, else scan every file and cache the report. The caller (cli/, later rpc/) decides
 * what the verdict means: refuse critical, ask a human about medium/high. */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "../base/error.h"
#include "../base/sha256.h"
#include "../skill/skill.h"
#include "finding.h"

struct advisory_db;

struct scan_gate {
        char skill_hash[SHA256_HEX_BYTES];
        json_t *report;        /* the `scan --json` object */
        enum severity verdict;
        bool cached;           /* the report came from the scan cache */
};

/* Scan (or fetch from the cache) the skill s (its directory s->dir). 0 or -errno, err set. */
int scan_gate_run(const struct skill *s, struct scan_gate *g, struct error *err);
void scan_gate_done(struct scan_gate *g);

/* The advisory DB at its default place, read-only, when one exists: 0 with *ret NULL when there
 * is none, 1 when opened, -errno with err set when it exists but cannot be used. */
int scan_advisory_db_open_if_present(struct advisory_db **ret, struct error *err);
void scan_advisory_db_closep(struct advisory_db **db);
