/* The LLM endpoint configuration from the environment (client.h). No libcurl here: the
 * precedence rules are plain data and unit-tested without a network. */
#include "client.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/macros.h"

#define PURPOSE_MAX 32

/* The first non-empty variable of names[] (NULL entries skipped); *ret_name says which. */
static const char *env_first(const char *const *names, size_t n, const char **ret_name) {
        for (size_t i = 0; i < n; i++) {
                if (!names[i])
                        continue;
                const char *v = getenv(names[i]);
                if (v && *v) {
                        *ret_name = names[i];
                        return v;
                }
        }
        *ret_name = NULL;
        return NULL;
}

/* Control characters would end up in an HTTP header or a log line. */
static bool has_control(const char *s) {
        for (; *s; s++)
                if ((unsigned char) *s < 0x20 || *s == 0x7f)
                        return true;
        return false;
}

static bool url_ok(const char *u) {
        size_t skip;
        if (strncasecmp(u, "http://", 7) == 0)
                skip = 7;
        else if (strncasecmp(u, "https://", 8) == 0)
                skip = 8;
        else
                return false;
        if (!u[skip] || u[skip] == '/')
                return false; /* no host */
        for (const char *p = u; *p; p++)
                if ((unsigned char) *p <= 0x20 || *p == 0x7f)
                        return false;
        return true;
}

int llm_config_from_env(struct llm_config *c, const char *purpose, struct error *err) {
        *c = (struct llm_config) { 0 };
        char p_model[PURPOSE_MAX + 32] = "", p_base[PURPOSE_MAX + 32] = "",
             p_key[PURPOSE_MAX + 32] = "", p_timeout[PURPOSE_MAX + 32] = "";
        if (purpose) {
                char up[PURPOSE_MAX + 1];
                size_t n = strlen(purpose);
                if (n == 0 || n > PURPOSE_MAX)
                        return error_set(err, -EINVAL, "invalid LLM purpose");
                for (size_t i = 0; i <= n; i++) {
                        if (i < n && !isalnum((unsigned char) purpose[i]) && purpose[i] != '_')
                                return error_set(err, -EINVAL, "invalid LLM purpose");
                        up[i] = (char) toupper((unsigned char) purpose[i]);
                }
                snprintf(p_model, sizeof(p_model), "SKILLLITE_%s_MODEL", up);
                snprintf(p_base, sizeof(p_base), "SKILLLITE_%s_API_BASE", up);
                snprintf(p_key, sizeof(p_key), "SKILLLITE_%s_API_KEY", up);
                snprintf(p_timeout, sizeof(p_timeout), "SKILLLITE_%s_TIMEOUT_SECS", up);
        }
        const char *const models[] = { purpose ? p_model : NULL, "SKILLLITE_MODEL", "OPENAI_MODEL" };
        const char *const bases[] = { purpose ? p_base : NULL, "SKILLLITE_API_BASE", "OPENAI_API_BASE",
                                      "OPENAI_BASE_URL" };
        const char *const keys[] = { purpose ? p_key : NULL, "SKILLLITE_API_KEY", "OPENAI_API_KEY" };
        const char *const timeouts[] = { purpose ? p_timeout : NULL, "SKILLLITE_TIMEOUT_SECS" };

        const char *model_var = NULL, *base_var = NULL, *key_var = NULL, *timeout_var = NULL;
        const char *model = env_first(models, ELEMENTSOF(models), &model_var);
        const char *base = env_first(bases, ELEMENTSOF(bases), &base_var);
        /* A key goes only to the server it was set for: the key of the same family as the base
         * (SKILLLITE_<PURPOSE>_*, SKILLLITE_*, OPENAI_*). Otherwise pointing the review at another
         * server would hand it the general OpenAI key. */
        size_t tier = 0;
        for (size_t i = 0; base_var && i < ELEMENTSOF(bases); i++)
                if (bases[i] && streq(bases[i], base_var))
                        tier = i < 2 ? i : 2;
        key_var = keys[tier];
        const char *key = key_var ? getenv(key_var) : NULL;
        if (key && !*key)
                key = NULL;
        const char *timeout = env_first(timeouts, ELEMENTSOF(timeouts), &timeout_var);
        if (!model || !base)
                return 0;

        if (strlen(model) > LLM_MODEL_MAX || has_control(model))
                return error_set(err, -EINVAL, "%s: invalid model name", model_var);
        if (strlen(base) > LLM_URL_MAX || !url_ok(base))
                return error_set(err, -EINVAL, "%s: the API base must be an http:// or https:// URL",
                                 base_var);
        /* The key goes into a header line: CR/LF would inject headers. Its value is never quoted. */
        if (key && (strlen(key) > LLM_KEY_MAX || has_control(key)))
                return error_set(err, -EINVAL, "%s: invalid API key (control characters or too long)",
                                 key_var);
        long secs = LLM_TIMEOUT_DEFAULT_SECS;
        if (timeout) {
                char *end = NULL;
                errno = 0;
                long v = strtol(timeout, &end, 10);
                if (errno || end == timeout || *end || v < 1 || v > LLM_TIMEOUT_MAX_SECS)
                        return error_set(err, -EINVAL, "%s: expected whole seconds from 1 to %d",
                                         timeout_var, LLM_TIMEOUT_MAX_SECS);
                secs = v;
        }

        struct llm_config n = { .timeout_ms = secs * 1000 };
        n.model = strdup(model);
        n.base_url = strdup(base);
        n.api_key = key ? strdup(key) : NULL;
        if (!n.model || !n.base_url || (key && !n.api_key)) {
                llm_config_done(&n);
                return error_set(err, -ENOMEM, "out of memory");
        }
        *c = n;
        return 1;
}

void llm_config_done(struct llm_config *c) {
        free(c->base_url);
        free(c->model);
        if (c->api_key) {
                explicit_bzero(c->api_key, strlen(c->api_key));
                free(c->api_key);
        }
        *c = (struct llm_config) { 0 };
}
