/* Whole numbers from environment variables (timeouts, caps): one parser for the engine's many
 * `SKILLLITE_*_SECS`-style settings. Decimal digits only: no sign, no spaces, no suffix. */
#pragma once

/* 0 when name is unset or empty (*ret untouched), 1 with *ret set when its value is a whole
 * number from min to max, -EINVAL otherwise (*ret untouched: the caller keeps its default,
 * warns or fails, as that setting documents). */
int env_number(const char *name, unsigned long long min, unsigned long long max, unsigned long long *ret);
