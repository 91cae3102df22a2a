/* Downloading a file over http(s) for `add <URL>` (full binary only: libcurl). */
#pragma once

#include <stdint.h>

#include "../base/error.h"

#define DOWNLOAD_TIMEOUT_DEFAULT_SECS 120

/* GET url (no redirects, http/https only) and write the body to the new file dst_path (0600,
 * O_EXCL). More than max bytes: -E2BIG; a status other than 200: -EIO with the status and a
 * sanitized excerpt; transport errors as http_perform() maps them. Timeout for the whole
 * transfer: $SKILLLITE_DOWNLOAD_TIMEOUT_SECS (1-3600, default 120). Matches source_download_hook. */
int http_download_file(const char *url, const char *dst_path, uint64_t max, struct error *err);
