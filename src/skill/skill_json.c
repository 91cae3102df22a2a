/* skill -> JSON. */
#include "skill_json.h"

#include <string.h>

#include "../base/json.h"

json_t *skill_to_json(const struct skill *s) {
        _cleanup_json_ json_t *o = json_object();
        _cleanup_json_ json_t *scripts = json_array();
        if (!o || !scripts)
                return NULL;
        for (size_t i = 0; i < s->n_scripts; i++) {
                json_t *e = json_pack("{s:s, s:s}", "path", s->scripts[i].path, "language",
                                      skill_language_to_string(s->scripts[i].language));
                if (!e || json_array_append_new(scripts, e) < 0)
                        return NULL;
        }
        int r = 0;
        r = r ?: json_object_set_string_or_null(o, "name", s->name);
        r = r ?: json_object_set_string_or_null(o, "description", s->description);
        r = r ?: json_object_set_string_or_null(o, "license", s->license);
        r = r ?: json_object_set_string_or_null(o, "compatibility", s->compatibility);
        r = r ?: json_object_set(o, "metadata", s->metadata);
        r = r ?: json_object_set_string_or_null(o, "allowed_tools", s->allowed_tools);
        r = r ?: json_object_set_string_or_null(o, "entry_point", s->entry_point);
        r = r ?: json_object_set_string_or_null(o, "language", skill_language_to_string(s->language));
        r = r ?: json_object_set_string_or_null(o, "kind", skill_kind_to_string(s->kind));
        r = r ?: json_object_set(o, "scripts", scripts);
        r = r ?: json_object_set_new(o, "path", json_stringn_lossy(s->dir, strlen(s->dir)));
        if (r < 0)
                return NULL;
        return TAKE_PTR(o);
}
