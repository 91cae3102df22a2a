/* A snapshot of a skill directory held in memory: read while pid 1 still has the engine's
 * identity (so root-only files can be read), written into the sandbox's tmpfs after it has
 * switched to the sandbox user (so the files it creates have a mapped owner). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct snapshot_entry {
        char *path;  /* relative, parents before children */
        mode_t mode; /* S_IFDIR / S_IFREG / S_IFLNK with permission bits */
        char *data;  /* file contents or link target */
        size_t len;
};

struct snapshot {
        struct snapshot_entry *entries;
        size_t n;
        uint64_t bytes;
};

/* Read the tree under dirfd: at most max_entries entries, max_bytes of file data, depth 16.
 * Devices, FIFOs and sockets are left out. Returns 0 or -errno (-E2BIG past a cap). */
int snapshot_read(int dirfd, size_t max_entries, uint64_t max_bytes, struct snapshot *ret);
/* Recreate it under dstfd (an empty directory). */
int snapshot_write(const struct snapshot *s, int dstfd);
void snapshot_free(struct snapshot *s);
