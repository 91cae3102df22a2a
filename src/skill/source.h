/* Where `skilllite add <source>` gets skills from: a local directory, a .zip / .tar.gz / .tgz /
 * .tar archive (file or http(s) URL), a git URL (https://, ssh://, file://) or a GitHub shorthand
 * `owner/repo[@skill-name]` (base URL $SKILLLITE_GIT_BASE, default https://github.com). Everything
 * is fetched into a fresh private directory first (archives extracted safely, repositories cloned
 * without their .git), then the skills in it are found. Nothing here validates, scans or installs:
 * admission does that on what source_fetch() returns. Library code: no output.
 * libarchive and libgit2 are dlopen()ed on first use (base/lazylib.h); libcurl is not used here
 * (source_download_hook). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"

/* Caps on untrusted archives (each one is a refusal, never a truncation). Sizes count the bytes
 * actually decompressed, never what a header claims. */
#define SOURCE_ARCHIVE_MAX_ENTRIES 10000
#define SOURCE_ARCHIVE_MAX_FILE_BYTES (64ull << 20)   /* one extracted file */
#define SOURCE_ARCHIVE_MAX_TOTAL_BYTES (256ull << 20) /* all extracted files */
#define SOURCE_ARCHIVE_MAX_RATIO 200                  /* extracted bytes / archive bytes (bombs) */
#define SOURCE_ARCHIVE_RATIO_FLOOR (1ull << 20)       /* ratio checked once this much is out: a
                                                       * 2 KB zip of a 500 KB text file is no bomb */
#define SOURCE_ARCHIVE_MAX_DEPTH 32                   /* path components of one entry */
#define SOURCE_DOWNLOAD_MAX_BYTES (64ull << 20)       /* an archive fetched from a URL */
#define SOURCE_GIT_MAX_BYTES (256ull << 20)           /* pack data received by one clone */
#define SOURCE_FIND_MAX_DEPTH 4                       /* how deep skills are looked for */
#define SOURCE_MAX_SKILLS 256                         /* skills one source may hold */

enum source_kind {
        SOURCE_DIR,     /* a local directory */
        SOURCE_ARCHIVE, /* a local archive file */
        SOURCE_URL,     /* an archive at an http(s) URL (full binary only: needs libcurl) */
        SOURCE_GIT,     /* a git URL: https://...(.git), ssh://, file://, git@host:path */
        SOURCE_GITHUB,  /* owner/repo[@skill]: a git URL under $SKILLLITE_GIT_BASE */
};

struct source_spec {
        enum source_kind kind;
        char *location; /* the directory, file or URL to fetch (DIR, ARCHIVE: the canonical
                         * absolute path; GITHUB: the expanded git URL, "$BASE/owner/repo" with
                         * no ".git" added and no retry: GitHub serves both spellings, a mirror
                         * must hold the repository at exactly that path) */
        char *skill;    /* from a trailing "@skill-name" (any kind), or NULL: install them all */
        char *display;  /* what to record as the skill's source: the argument as the user gave it,
                         * minus any userinfo (credentials) of a URL */
};
void source_spec_done(struct source_spec *s);

/* Classify arg. A local path wins over every other reading (a directory named "owner/repo" in
 * the current directory is a directory); "path@skill-name" names one skill of a local source
 * when "path@skill-name" itself does not exist. http:// is accepted only for loopback hosts
 * (tests, local mirrors); other URLs must be https://, ssh:// or file:// (git). Returns 0,
 * -ENOENT when arg can only be a path (starts with '/', '.' or '~', has an archive extension,
 * or has no slash or more than one) and nothing is there, or -EINVAL with err saying why (an
 * unknown URL scheme such as ftp:, an "owner/repo" with characters GitHub does not allow, an
 * invalid @skill-name, an empty arg). *ret is written only on success. */
int source_parse(const char *arg, struct source_spec *ret, struct error *err);

struct source_fetched {
        char *root;   /* a private temporary directory (0700) holding what was fetched; the caller
                       * removes it with source_fetched_done() */
        char **skills;/* absolute paths (below root, or for SOURCE_DIR below the given directory)
                       * of every directory holding a SKILL.md, sorted, NULL-terminated; only the
                       * one named by spec->skill when set (matched by directory name or the
                       * front matter's `name`). Archives and repositories are unpacked into
                       * root/<name>, <name> taken from the archive's file name minus its
                       * extension or the repository's last path component minus ".git" (else
                       * "source"), so a skill at the top of an archive keeps a directory name
                       * its `name` can equal */
        size_t n_skills;
};
void source_fetched_done(struct source_fetched *f); /* removes root recursively, frees */

/* Fetch spec into a new directory under tmp_parent (NULL: $TMPDIR or /tmp) and find its skills.
 * SOURCE_DIR is not copied (root stays NULL, skills point into the directory itself: admission
 * copies what it installs). Returns 0 or -errno with err set (and nothing left behind): -ENOENT
 * (nothing there, or no skill / not the named skill), -EPERM (an archive or repository entry
 * that is absolute, has "..", is a link leaving the tree, a hard link, a device or FIFO, a
 * duplicate, or would be written through a symlink), -E2BIG (a cap above), -EPROTONOSUPPORT
 * (SOURCE_URL without a source_download_hook), -EIO (download or clone failed, or not an
 * archive). */
int source_fetch(const struct source_spec *spec, const char *tmp_parent, struct source_fetched *ret,
                 struct error *err);

/* How SOURCE_URL archives are downloaded: the full binary (libcurl) sets it; NULL here makes
 * SOURCE_URL fail with -EPROTONOSUPPORT. It writes at most max bytes of url to the new file
 * dst_path (-E2BIG beyond) and returns 0 or -errno with err set. */
extern int (*source_download_hook)(const char *url, const char *dst_path, uint64_t max,
                                   struct error *err);

/* Pieces, public for the unit tests. */
struct source_archive_limits {
        uint64_t max_entries, max_file_bytes, max_total_bytes;
        uint64_t max_ratio, ratio_floor; /* max_ratio 0: no ratio check */
        unsigned max_depth;
};
extern const struct source_archive_limits SOURCE_ARCHIVE_LIMITS; /* the SOURCE_ARCHIVE_* caps */
/* Extract the archive at path (tar, tar.gz, zip) into dstfd (an empty directory) under the caps
 * above. Files get mode & 0755 (owner read added), directories 0755, never owners, setuid,
 * xattrs or ACLs. On error dstfd is emptied again. */
int source_extract_archive(const char *path, int dstfd, struct error *err);
int source_extract_archive_limited(const char *path, int dstfd, const struct source_archive_limits *lim,
                                   struct error *err);
/* Clone url (no checkout of submodules, no hooks run, no credential prompt) into dst (must not
 * exist), then remove dst/.git. The checked-out tree is held to the archive caps and symlink
 * rules before any file is written. On error dst is removed. */
int source_git_clone(const char *url, const char *dst, struct error *err);
/* Directories below dir (dir itself included) holding a SKILL.md (a regular file), at most
 * SOURCE_FIND_MAX_DEPTH deep, not descending into a skill's own subdirectories nor into hidden
 * directories, node_modules or symlinks; absolute, sorted, NULL-terminated. -ENOENT when dir is
 * missing, -E2BIG above SOURCE_MAX_SKILLS. */
int source_find_skills(const char *dir, char ***ret_paths, size_t *ret_n, struct error *err);
