/* The engine's own directories (DESIGN.md §9): config ~/.config/skilllite, state
 * ~/.local/share/skilllite (state.db, keys, advisory DB), cache ~/.cache/skilllite (scan cache,
 * LLM review cache). XDG_*_HOME override the defaults; every directory is created 0700 because
 * state and caches decide what runs (a scan verdict, an approval). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

enum xdg_kind {
        XDG_CONFIG,
        XDG_STATE, /* $XDG_DATA_HOME/skilllite (the original keeps its state there too) */
        XDG_CACHE,
};

/* "<base>/skilllite[/sub]" in *ret (malloc'd). With create, missing directories are made 0700.
 * Returns 0, -ENOENT when neither the XDG variable nor HOME gives an absolute base, or -errno. */
int xdg_path(enum xdg_kind kind, const char *sub, bool create, char **ret);

/* Write data to path atomically: a temp file in the same directory, fsync, rename over path.
 * Readers see the old or the new content, never a torn one. Returns 0 or -errno. */
int write_file_atomic(const char *path, const void *data, size_t n, mode_t mode);
