/* Admission of one skill into a skills directory (`add`, `init`, `approve`), in this order:
 * copy into a private staging directory (stage.h refusals) -> validate the copy -> scan it
 * (static analysis + supply chain, cached by hash) -> show the report and the permissions it asks
 * for -> a human's confirmation (terminal, --yes, SKILLLITE_AUTO_APPROVE; `critical` never) ->
 * record its integrity (HMAC'd state-DB record) -> atomic move into place. Any failure leaves the
 * skills directory as it was. The install name is the validated SKILL.md `name`, never a path the
 * source chose. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

struct admit_opts {
        const char *skills_dir; /* target; created (0755) when missing */
        const char *source;     /* what to record as the source (credentials removed) */
        bool yes;               /* --yes: the person running the command approves */
        bool force;             /* replace an installed skill of the same name */
        bool json;              /* no text on stdout (the caller prints JSON) */
        const char *channel;    /* a fixed approval channel ("init"), or NULL to ask */
};

/* Admit the skill at src_dir. Returns an exit code (EXIT_OK when installed) and, when ret_entry
 * is set, a JSON object about the outcome: {"name", "path", "verdict", "tree_hash", "source",
 * "channel", "replaced"} or {"source_dir", "error", "reason"}. Messages go to stderr. */
int admit_skill(const char *src_dir, const struct admit_opts *o, json_t **ret_entry);

/* The skills directory add/remove/verify act on: the explicit one, else $SKILLLITE_SKILLS_DIR,
 * else ./.skills. Fresh string or NULL (ENOMEM). */
char *admit_target_dir(const char *explicit_dir);

/* Hold the skills directory's writer lock (flock on <dir>/.skilllite.lock; exclusive for writers,
 * shared for verification before a run). Returns the lock fd (close it to release) or -errno;
 * shared mode never creates the file and returns -ENOENT when no writer ever made one. */
int admit_lock(const char *skills_dir, bool exclusive);

/* {"network": [...], "exec": [...], "requests": [...]} for a loaded skill and its scan report:
 * declared hosts (skilllite.network), extra executables (skilllite.exec), and what the free-text
 * `compatibility` and the dependency files ask for (shown, never granted). */
struct skill;
json_t *admit_permissions(const struct skill *s, const json_t *report);
void admit_print_permissions(FILE *out, const json_t *perms);
