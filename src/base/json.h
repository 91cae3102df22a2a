/* Helpers over jansson: cleanup, strict bounded parsing, and compact/pretty output. */
#pragma once

#include <jansson.h>
#include <stdio.h>

#include "error.h"
#include "macros.h"

/* jansson >= 2.14 provides json_decrefp(). */
#define _cleanup_json_ _cleanup_(json_decrefp)

/* Parse untrusted JSON: duplicates rejected, any value accepted at top level, "\u0000" allowed
 * (valid JSON; callers that need C strings must use json_string_length), size capped. */
json_t *json_parse_strict(const char *text, size_t len, size_t max_len, struct error *err);

/* Serialize to a fresh string (compact, or pretty with 2-space indent); keys keep insertion order. */
char *json_to_string(const json_t *j, int pretty);
/* Print to a FILE followed by a newline; returns 0 or -errno. */
int json_print(FILE *f, const json_t *j, int pretty);

/* Set a key to a string, or to JSON null when s is NULL. Returns 0 or -ENOMEM. */
int json_object_set_string_or_null(json_t *obj, const char *key, const char *s) _warn_unused_;
/* A JSON string from bytes that may not be UTF-8: invalid bytes become U+FFFD. */
json_t *json_stringn_lossy(const char *s, size_t n);

/* Append a fresh string to an array. */
int json_array_append_string(json_t *arr, const char *s) _warn_unused_;
