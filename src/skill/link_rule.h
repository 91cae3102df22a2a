/* The one rule for symbolic links inside a skill, shared by archive extraction and git checkout
 * (source_*.c), the staging copy of `add` (stage.c) and the integrity manifest (integrity.c): a
 * link may only point inside the skill. Textual depth alone is not enough: with d/up -> "..",
 * "d/up/../.." climbs from where d/up leads, not from d. So the target must be relative, its ".."
 * components must all come first, and they may not climb above the skill's root from the
 * directory holding the link. Resolution then climbs real directories (the link's own ancestors)
 * and only descends; every link met on the way is held to the same rule, so by induction nothing
 * resolves outside. Legitimate links ("../src/main.py", "v1.2") pass. */
#pragma once

#include <stdbool.h>

/* Why a link at depth `depth` (the number of directories between the skill root and the link:
 * 0 for a link at the top) with this target would leave the skill, or NULL when it stays. */
const char *link_rule_refusal(const char *target, unsigned depth);

/* The same for a link at path `entry` ("/"-separated, relative to the skill root). */
bool link_rule_ok(const char *entry, const char *target);
