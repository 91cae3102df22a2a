/* Install-time checks of a SKILL.md's text for instructions aimed at the agent that reads it:
 * invisible and bidi characters, tag-character smuggling, hidden HTML, prompt-injection phrases,
 * download-and-run commands, secret paths, long base64 runs and invalid UTF-8. */
#pragma once

#include <stddef.h>

#include "finding.h"

/* Checks of a SKILL.md's text (the whole file, front matter included) for instructions aimed at the
 * agent that reads it. Appends to f; file is the path for the findings (e.g. "SKILL.md").
 * text need not be NUL-terminated and is never read past len; time is linear in len.
 * Returns 0 or -ENOMEM. */
int scan_skill_md(const char *text, size_t len, const char *file, struct findings *f);
