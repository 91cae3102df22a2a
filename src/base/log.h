/* Logging to stderr, quiet by default. SKILLLITE_LOG=debug|info|warn|error|off selects the level
 * (warn when unset). Library code logs diagnostics only; user-facing output belongs to cli/. */
#pragma once

#include "macros.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

void log_init_from_env(void);
enum log_level log_get_level(void);
void log_msg(enum log_level level, const char *fmt, ...) _printf_(2, 3);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
