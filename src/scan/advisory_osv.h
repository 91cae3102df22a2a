/* OSV documents reduced to what the advisory database keeps (advisory_osv.c): validated, bounded,
 * names normalised, only PyPI and npm packages, only ECOSYSTEM and SEMVER ranges. Pure code on
 * untrusted JSON; advisory_db.c stores the result. */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "advisory_db.h"

struct osv_adv {
        const char *id, *modified, *cvss; /* borrowed from the document */
        const char *severity;             /* "low".."critical" (static) or NULL */
        char *summary;
        json_t *aliases;  /* valid ids only, at most ADVISORY_ALIASES_MAX */
        json_t *packages; /* "<eco>:<name>" -> {"eco": i, "name": s, "ranges": [...], "versions": [...]} */
        bool malicious, withdrawn;
};

/* Reduce one parsed document into a (zero-initialised; release with osv_adv_done() whatever the
 * result). 0; -EINVAL for a document that is not a usable OSV advisory; -ENOMEM. */
int osv_reduce(const json_t *doc, struct osv_adv *a);
void osv_adv_done(struct osv_adv *a);
/* "LOW" / "MODERATE" / "MEDIUM" / "HIGH" / "CRITICAL" (any case) and our own lower-case words ->
 * "low".."critical"; NULL otherwise. */
const char *osv_severity_word(const char *s);
