/* File discovery for the install-time scanner: every file of a skill is walked (symlinks never
 * followed), classified, and either handed to a content scanner or turned into a finding. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "finding.h"

#define SCAN_MAX_FILES 4096                     /* directory entries examined (files, dirs, links) */
#define SCAN_MAX_DEPTH 32                       /* path components below the skill directory */
#define SCAN_MAX_FILE_BYTES (16u * 1024 * 1024) /* per text file */
#define SCAN_MAX_TOTAL_BYTES (128u * 1024 * 1024)

enum scan_file_kind {
        SCAN_FILE_PYTHON,       /* .py .pyw, or a python or pypy shebang */
        SCAN_FILE_JS,           /* .js .mjs .cjs .ts .mts .cts, or a node/bun/deno shebang */
        SCAN_FILE_SHELL,        /* .sh .bash .zsh .ksh, an sh-family shebang, or an executable
                                 * extensionless text file without shebang (exec falls back to sh) */
        SCAN_FILE_SKILL_MD,     /* SKILL.md at the top */
        SCAN_FILE_PACKAGE_JSON, /* package.json at any depth */
        SCAN_FILE_REQUIREMENTS, /* requirements*.txt */
        SCAN_FILE_PYPROJECT,    /* pyproject.toml */
        SCAN_FILE_SETUP_PY,     /* setup.py / setup.cfg; setup.py must also be scanned as Python */
        SCAN_FILE_TEXT,         /* other valid UTF-8 text */
        SCAN_FILE_BINARY,       /* ELF / Mach-O / PE, by magic bytes whatever the name */
        SCAN_FILE_BYTECODE,     /* .pyc/.pyo, .class, .wasm */
        SCAN_FILE_ARCHIVE,      /* zip (jar, whl, egg), tar, gzip, bzip2, xz, zstd, 7z, rar */
        SCAN_FILE_UNDECODABLE,  /* not valid UTF-8, has NUL bytes, or too large to read */
};

struct scan_file {
        char *path;             /* relative to the skill dir, '/'-separated */
        enum scan_file_kind kind;
        char *data;             /* NUL-terminated content for text kinds (and for undecodable
                                 * files that were read); NULL for binary, bytecode, archive
                                 * and files over SCAN_MAX_FILE_BYTES */
        size_t len;
        uint64_t size;          /* st_size */
        bool executable;        /* any x bit set */
};

struct scan_files {
        struct scan_file *v;
        size_t n;
};

/* The package.json scripts npm runs by itself (install, publish, uninstall): reported by discovery
 * and judged as shell by the scan. */
extern const char *const SCAN_NPM_LIFECYCLE[];
extern const size_t SCAN_NPM_LIFECYCLE_N;

/* True for the kinds a source scanner reads (scripts, manifests, text). */
bool scan_file_kind_is_text(enum scan_file_kind k);
const char *scan_file_kind_to_string(enum scan_file_kind k);

/* Walk the skill directory (skill_dirfd opened by the caller) without following symlinks,
 * hidden files included, bounded by the SCAN_MAX_* caps. Regular files land in out (sorted by
 * path); symlinks, special files, binaries, bytecode, archives, undecodable and oversized files,
 * setuid bits, npm lifecycle scripts, setup.py and hit limits become findings. Returns 0, or
 * -errno (err set) only when the skill directory itself cannot be read or memory runs out; out
 * is written only on success. */
int scan_discover(int skill_dirfd, struct scan_files *out, struct findings *f, struct error *err);
/* The same for one file (name: an entry of dirfd, no '/'), as `skilllite scan <file>` needs:
 * classified and read like a file of a skill (a symlink is reported, not followed). */
int scan_discover_one(int dirfd, const char *name, struct scan_files *out, struct findings *f,
                      struct error *err);
void scan_files_done(struct scan_files *s);
