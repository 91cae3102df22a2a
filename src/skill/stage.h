/* Copying a skill into a private staging directory for admission (`add`, `init`): what gets
 * validated, scanned, approved and installed is this copy, never the source the user pointed at
 * (which may change under us or be a symlink farm). Refused, for the whole skill: symlinks that
 * are absolute or leave the skill, devices, FIFOs and sockets, more than the skill_hash.h caps.
 * Files keep their permission bits minus setuid/setgid/sticky and group/other write; links must
 * pass link_rule.h. */
#pragma once

#include "../base/error.h"

/* Copy the tree below srcfd into dstfd (an empty directory). Symlinks are never followed while
 * copying; one that stays inside the skill is recreated as is. 0 or -errno with err naming the
 * entry: -EPERM (refused entry kind), -E2BIG (a cap), other -errno from the file system. */
int stage_copy(int srcfd, int dstfd, struct error *err);
