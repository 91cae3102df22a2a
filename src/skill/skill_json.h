/* The JSON form of a skill shared by validate, show, list and (later) serve/MCP. */
#pragma once

#include <jansson.h>

#include "skill.h"

/* {"name","description","license","compatibility","metadata","allowed_tools","entry_point",
 *  "language","kind","scripts":[{"path","language"}],"path"}; NULL on allocation failure. */
json_t *skill_to_json(const struct skill *s);
