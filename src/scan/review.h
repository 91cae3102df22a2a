/* Optional LLM-assisted review of a skill at install time (DESIGN.md §7): the skill's text files go
 * to an OpenAI-compatible model as delimited, untrusted data; its JSON verdict can only ADD
 * findings (raise the scan's verdict), never remove or lower one. Reviews are cached by
 * (skill hash, model, prompt version). Lives in the skilllite-llm library, not in the core. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"
#include "../base/sha256.h"
#include "../llm/client.h"
#include "files.h"
#include "finding.h"

#define REVIEW_PROMPT_VERSION "skilllite-review-1"
#define REVIEW_INPUT_BUDGET (200u * 1024) /* file bytes shown to the model, all files together */
#define REVIEW_FILE_MAX (96u * 1024)      /* bytes of one file; the rest is marked truncated */
#define REVIEW_REPLY_JSON_MAX (1024u * 1024)
#define REVIEW_REPLY_DEPTH_MAX 16         /* nesting of the reply object */
#define REVIEW_FINDINGS_MAX 50            /* findings taken from one reply */
#define REVIEW_MESSAGE_MAX 400            /* bytes of a reply message */
#define REVIEW_SUMMARY_MAX 1000
#define REVIEW_NONCE_HEX 33               /* 128 bits as 32 hex digits + NUL */
#define REVIEW_CACHE_FILE_MAX (256u * 1024)

struct scan_review_input {
        const char *skill_hash;        /* hex sha256 of the whole skill (the caller's) */
        const char *skill_name;        /* from SKILL.md; untrusted, shown as data */
        const struct scan_file *files; /* e.g. scan_files.v / .n: text kinds with data are shown */
        size_t n_files;
        const struct findings *static_findings; /* optional: lets the model focus */
};

/* Review the skill with the model in c. Its findings are appended to f (rule_id "llm.review";
 * a failed review adds one low "llm.review.failed" finding instead). *ret_review becomes
 * {"model", "status": "ok"|"cached"|"error", "verdict", "summary", "error"?, "duration_ms"}.
 * Returns 0 whenever the review ran, even if the model or the network failed (status "error"),
 * and -EINVAL / -ENOMEM (err set, nothing added) only for bad input or memory exhaustion.
 * Env: SKILLLITE_REVIEW_CACHE=0 disables the cache ($XDG_CACHE_HOME/skilllite/review/, default
 * ~/.cache/skilllite/review/). */
int scan_review(const struct llm_config *c, const struct scan_review_input *in, struct findings *f,
                json_t **ret_review, struct error *err);

/* ---- pieces of scan_review, public for the unit tests ---------------------------------------- */

/* A fresh random 128-bit nonce in hex (getrandom). 0 or -errno. */
int review_nonce(char out[REVIEW_NONCE_HEX]);

/* The two prompt messages for in, every untrusted byte between lines carrying nonce. Fresh
 * strings on success (0), -ENOMEM / -EINVAL. */
int review_build_prompt(const struct scan_review_input *in, const char *nonce, char **ret_system,
                        char **ret_user);

/* The result of parsing a reply: sanitized and capped, ready to become findings. */
struct review_item {
        char *file;       /* a path of the input, or NULL when the reply named none (or a foreign one) */
        uint32_t line;    /* 0 when unknown */
        enum severity severity;
        char *category;   /* a known category, else "llm_review" */
        char *message;
};
struct review_result {
        enum severity verdict; /* the reply's verdict, mapped */
        char *summary;
        struct review_item *items;
        size_t n_items;
        size_t dropped;        /* reply findings past REVIEW_FINDINGS_MAX */
};
void review_result_done(struct review_result *r);

/* Parse a model reply (or a cached one: the same format): the first top-level JSON object in text
 * (``` fences and prose around it tolerated) with a "verdict" string; unknown severities map up,
 * never down. in gives the files a finding may point at. 0, -EBADMSG (err says why), -ENOMEM. */
int review_parse_reply(const char *text, size_t len, const struct scan_review_input *in,
                       struct review_result *ret, struct error *err);

/* Map a severity word from a model to ours, conservatively: exact names, a few synonyms, and
 * anything unknown becomes high. */
enum severity review_severity_from_word(const char *s);

/* The cache file name: hex sha256 of "skill_hash|model|REVIEW_PROMPT_VERSION". 0 or -errno. */
int review_cache_key(const char *skill_hash, const char *model, char out[SHA256_HEX_BYTES]);
/* The cache directory ($XDG_CACHE_HOME or ~/.cache, + /skilllite/review), or NULL when disabled
 * (SKILLLITE_REVIEW_CACHE=0), unknown (no HOME) or out of memory. */
char *review_cache_dir(void);
