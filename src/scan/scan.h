/* The install-time scan of one skill (or one file): discover every file, run the lexers and code
 * rules, the SKILL.md checks, dependency extraction and the supply-chain audit, and produce one
 * report (verdict = highest severity). The LLM review is added by the caller (full binary only).
 * Reports render as JSON and SARIF 2.1.0 here; text rendering is cli/'s job. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../skill/skill.h"
#include "deps.h"
#include "files.h"
#include "finding.h"
#include "rules.h"

/* Bumped whenever rules change what they report: part of the scan-cache key, so a cached
 * verdict from older rules is never reused. */
#define SCAN_RULES_VERSION "1"

struct advisory_db;
struct supply_online;

struct scan_options {
        const struct scan_perms *perms; /* NULL = nothing declared */
        const char *compatibility;      /* SKILL.md's free text (dependency names), may be NULL */
        struct advisory_db *db;         /* NULL = no advisory database: dependencies "unknown" */
        /* Asked once the dependencies are known: the full binary's `scan --online` (the OSV API,
         * advisory_online.h); NULL = offline only. Fills *ret (supply_chain.h), 0 or -ENOMEM. */
        int (*online)(const void *ctx, const struct dependencies *deps, struct supply_online *ret);
        const void *online_ctx;
};

struct scan_report {
        struct findings findings;
        struct dependencies deps;
        struct scan_files files;  /* kept for the LLM review (text of every file) */
        json_t *supply_chain;     /* supply_chain_audit()'s report */
        json_t *review;           /* the LLM review's summary, set by the caller (NULL = none) */
        size_t files_scanned;     /* files whose content was examined or classified */
        uint64_t bytes_scanned;
        double duration_ms;
};

/* Declared permissions of a loaded skill, for lowering findings. */
struct scan_skill_perms {
        struct scan_perms perms;
        struct net_grants grants;
        char **exec;
};
int scan_skill_perms_init(struct scan_skill_perms *p, const struct skill *s);
void scan_skill_perms_done(struct scan_skill_perms *p);

/* Scan the skill directory dirfd (file == NULL) or the one entry `file` of dirfd. Returns 0, or
 * -errno with err set when nothing could be scanned at all. rep must be zero-initialised. */
int scan_run(int dirfd, const char *file, const struct scan_options *o, struct scan_report *rep,
             struct error *err);
void scan_report_done(struct scan_report *rep);
enum severity scan_report_verdict(const struct scan_report *rep);

/* {"verdict", "findings", "dependencies", "supply_chain", "review", "files_scanned",
 *  "bytes_scanned", "duration_ms", "dropped_findings", "scanner": {"rules_version"}} */
json_t *scan_report_to_json(const struct scan_report *rep);
/* SARIF 2.1.0 with one run; base_uri (a directory, may be NULL) becomes the SKILLROOT base. */
json_t *scan_report_to_sarif(const struct scan_report *rep, const char *base_uri);
