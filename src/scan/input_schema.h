/* The JSON Schema of a skill's input, for the tools that MCP and `info --json` describe: declared
 * in the skill (metadata `skilllite.input-schema`: a JSON file inside it), inferred from the
 * argparse calls of a Python script (a hint: the skill still receives one JSON value on stdin),
 * or a permissive object. Every schema carries "x-skilllite-source": "declared", "argparse",
 * "bash-tool" or "default". */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "../base/error.h"
#include "../base/macros.h"
#include "../skill/skill.h"

#define INPUT_SCHEMA_METADATA_KEY "skilllite.input-schema"
#define INPUT_SCHEMA_FILE_MAX (256u * 1024)      /* a declared schema file */
#define INPUT_SCHEMA_SCRIPT_MAX (1024u * 1024)   /* a script read for inference; larger: default */
#define INPUT_SCHEMA_PROPERTIES_MAX 256          /* properties inferred from one script */
#define INPUT_SCHEMA_STRING_MAX 1024             /* bytes kept of each string literal */
#define INPUT_SCHEMA_LIST_MAX 256                /* elements of a choices=/default= list */

/* The schema of the skill's input: the declared one when the metadata key is set; for a
 * standard skill with a Python entry point the argparse inference; for a bash-tool skill its
 * {"command"} object; else the default. dirfd is the skill directory (or -1: s->dir is opened).
 * Returns 0 with *ret set, -EINVAL with err set when the declared schema is unusable (outside
 * the skill, missing, too large, not JSON, not an object schema), or another -errno with err
 * set (out of memory, I/O error). Inference never fails the call: an unreadable or oversized
 * script gives the default. */
int skill_input_schema(const struct skill *s, int dirfd, json_t **ret, struct error *err) _warn_unused_;

/* The schema of one script's tool (multi-script skills: one tool per script): the declared
 * schema if any (it applies to every tool of the skill), else argparse inference when the
 * script is Python, else the default. script_rel is relative to the skill directory and must
 * stay inside it (-EINVAL otherwise). Same returns as skill_input_schema(). */
int skill_script_input_schema(const struct skill *s, int dirfd, const char *script_rel, json_t **ret,
                              struct error *err) _warn_unused_;

/* For the JSON form of a skill (info --json, show --json): obj["input_schema"] = the schema, or
 * null with obj["input_schema_error"] = the message when it cannot be had (a bad declaration).
 * dirfd as above. Returns 0, or -ENOMEM. */
int input_schema_json_set(json_t *obj, const struct skill *s, int dirfd) _warn_unused_;

/* {"type":"object","properties":{},"additionalProperties":true,"x-skilllite-source":"default"};
 * NULL on allocation failure. */
json_t *input_schema_default(void);

/* argparse inference on one script's text. Returns 0 with *ret the schema ("x-skilllite-source":
 * "argparse"), 0 with *ret NULL when the text holds no argparse parser (or cannot be tokenized:
 * beyond the lexer's limits), or -ENOMEM. */
int input_schema_python(const char *src, size_t len, json_t **ret) _warn_unused_;
/* The same, NULL for "no parser" and for out of memory alike (tests, fuzzing). */
json_t *input_schema_from_python(const char *src, size_t len);
