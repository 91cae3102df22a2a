/* Skill file discovery (files.h): an iterative walk that never follows a symlink, classifies each
 * file by magic bytes first and by name and shebang second, and turns what no content scanner
 * can read into findings, so nothing is silently clean. */
#include "files.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/macros.h"
#include "../base/strv.h"
#include "../base/path.h"
#include "../base/utf8.h"
#include "../sys/sys.h"

#define HEAD_MAX 512     /* bytes sniffed for magic numbers; tar's "ustar" sits at 257 */
#define SHEBANG_MAX 256  /* the kernel reads at most 256 bytes of a "#!" line */
#define ELF_PHDRS_MAX 64 /* program headers inspected for PT_INTERP */

static const char *const KIND_NAMES[] = {
        [SCAN_FILE_PYTHON] = "python",           [SCAN_FILE_JS] = "js",
        [SCAN_FILE_SHELL] = "shell",             [SCAN_FILE_SKILL_MD] = "skill_md",
        [SCAN_FILE_PACKAGE_JSON] = "package_json", [SCAN_FILE_REQUIREMENTS] = "requirements",
        [SCAN_FILE_PYPROJECT] = "pyproject",     [SCAN_FILE_SETUP_PY] = "setup_py",
        [SCAN_FILE_TEXT] = "text",               [SCAN_FILE_BINARY] = "binary",
        [SCAN_FILE_BYTECODE] = "bytecode",       [SCAN_FILE_ARCHIVE] = "archive",
        [SCAN_FILE_UNDECODABLE] = "undecodable",
};

const char *scan_file_kind_to_string(enum scan_file_kind k) {
        return (size_t) k < ELEMENTSOF(KIND_NAMES) ? KIND_NAMES[k] : "unknown";
}

bool scan_file_kind_is_text(enum scan_file_kind k) {
        return k <= SCAN_FILE_TEXT;
}

/* npm runs these from a package's own package.json on install, uninstall or `npm ci`. */
const char *const SCAN_NPM_LIFECYCLE[] = {
        "preinstall", "install",   "postinstall", "preprepare",   "prepare",       "postprepare",
        "prepublish", "prepack",   "postpack",    "preuninstall", "uninstall",     "postuninstall",
        "dependencies",
};
const size_t SCAN_NPM_LIFECYCLE_N = ELEMENTSOF(SCAN_NPM_LIFECYCLE);

struct pending_dir {
        char *rel;      /* "" for the skill directory itself */
        unsigned depth; /* path components */
};

struct walk {
        int rootfd;
        struct findings *f;
        struct scan_file *v;
        size_t n, cap;
        struct pending_dir *stack;
        size_t stack_n, stack_cap;
        size_t entries;
        uint64_t total_bytes;
        bool stopped; /* a global limit was hit: the rest is not scanned */
};

static void scan_file_free(struct scan_file *x) {
        free(x->path);
        free(x->data);
}

void scan_files_done(struct scan_files *s) {
        for (size_t i = 0; i < s->n; i++)
                scan_file_free(&s->v[i]);
        free(s->v);
        *s = (struct scan_files) { 0 };
}

static void walk_done(struct walk *w) {
        struct scan_files files = { w->v, w->n };
        scan_files_done(&files);
        for (size_t i = 0; i < w->stack_n; i++)
                free(w->stack[i].rel);
        free(w->stack);
}

static void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

static void names_free(char ***v) {
        strv_free(*v);
}

/* ---- classification ---- */

static uint64_t read_uint(const unsigned char *p, size_t n, bool big_endian) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++)
                v |= (uint64_t) p[big_endian ? i : n - 1 - i] << (8 * (n - 1 - i));
        return v;
}

static bool pread_exact(int fd, void *buf, size_t n, uint64_t off) {
        if (off > (uint64_t) INT64_MAX - n)
                return false;
        ssize_t k;
        do
                k = pread(fd, buf, n, (off_t) off);
        while (k < 0 && errno == EINTR);
        return k == (ssize_t) n;
}

/* A loadable library rather than a program: ET_DYN without PT_INTERP (a PIE executable has an
 * interpreter). ctypes, dlopen, `import` of a .so/.node/.pyd load it whatever its mode bits. */
static bool elf_is_library(int fd, const unsigned char *h, size_t hn) {
        bool elf64 = h[EI_CLASS] == ELFCLASS64, be = h[EI_DATA] == ELFDATA2MSB;
        if (hn < (elf64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)) || read_uint(h + 16, 2, be) != ET_DYN)
                return false;
        uint64_t phoff = read_uint(h + (elf64 ? 32 : 28), elf64 ? 8 : 4, be);
        uint64_t phentsize = read_uint(h + (elf64 ? 54 : 42), 2, be);
        uint64_t phnum = read_uint(h + (elf64 ? 56 : 44), 2, be);
        for (uint64_t i = 0; i < phnum && i < ELF_PHDRS_MAX; i++) {
                unsigned char p_type[4];
                if (phentsize < 4 || !pread_exact(fd, p_type, 4, phoff + i * phentsize))
                        return false;
                if (read_uint(p_type, 4, be) == PT_INTERP)
                        return false;
        }
        return true;
}

struct magic {
        size_t off, len;
        const char *bytes;
        enum scan_file_kind kind;
        const char *what;
};

static const struct magic MAGICS[] = {
        { 0, 4, "\x7f" "ELF", SCAN_FILE_BINARY, "ELF" },
        { 0, 4, "\xfe\xed\xfa\xce", SCAN_FILE_BINARY, "Mach-O" },
        { 0, 4, "\xfe\xed\xfa\xcf", SCAN_FILE_BINARY, "Mach-O" },
        { 0, 4, "\xce\xfa\xed\xfe", SCAN_FILE_BINARY, "Mach-O" },
        { 0, 4, "\xcf\xfa\xed\xfe", SCAN_FILE_BINARY, "Mach-O" },
        { 0, 4, "\0asm", SCAN_FILE_BYTECODE, "WebAssembly" },
        { 0, 4, "PK\x03\x04", SCAN_FILE_ARCHIVE, "zip" },
        { 0, 4, "PK\x05\x06", SCAN_FILE_ARCHIVE, "zip" },
        { 0, 4, "PK\x07\x08", SCAN_FILE_ARCHIVE, "zip" },
        { 257, 5, "ustar", SCAN_FILE_ARCHIVE, "tar" },
        { 0, 2, "\x1f\x8b", SCAN_FILE_ARCHIVE, "gzip" },
        { 0, 6, "\xfd" "7zXZ\0", SCAN_FILE_ARCHIVE, "xz" },
        { 0, 4, "\x28\xb5\x2f\xfd", SCAN_FILE_ARCHIVE, "zstd" },
        { 0, 6, "7z\xbc\xaf\x27\x1c", SCAN_FILE_ARCHIVE, "7z" },
        { 0, 6, "Rar!\x1a\x07", SCAN_FILE_ARCHIVE, "rar" },
};

/* Binary, bytecode or archive by content; -1 when the file may be text. */
static int sniff_magic(int fd, const unsigned char *h, size_t hn, const char **ret_what) {
        for (size_t i = 0; i < ELEMENTSOF(MAGICS); i++)
                if (hn >= MAGICS[i].off + MAGICS[i].len &&
                    memcmp(h + MAGICS[i].off, MAGICS[i].bytes, MAGICS[i].len) == 0) {
                        *ret_what = MAGICS[i].what;
                        return (int) MAGICS[i].kind;
                }
        if (hn >= 8 && memcmp(h, "\xca\xfe\xba\xbe", 4) == 0) {
                /* Shared by fat Mach-O (an arch count, small) and Java classes (a version >= 45). */
                bool fat = read_uint(h + 4, 4, true) < 30;
                *ret_what = fat ? "Mach-O universal" : "Java class";
                return fat ? SCAN_FILE_BINARY : SCAN_FILE_BYTECODE;
        }
        if (hn >= 0x40 && h[0] == 'M' && h[1] == 'Z') {
                unsigned char sig[4];
                if (pread_exact(fd, sig, 4, read_uint(h + 0x3c, 4, false)) && memcmp(sig, "PE\0\0", 4) == 0) {
                        *ret_what = "PE";
                        return SCAN_FILE_BINARY;
                }
        }
        if (hn >= 10 && memcmp(h, "BZh", 3) == 0 && h[3] >= '1' && h[3] <= '9' &&
            (memcmp(h + 4, "1AY&SY", 6) == 0 || memcmp(h + 4, "\x17rE8P\x90", 6) == 0)) {
                *ret_what = "bzip2";
                return SCAN_FILE_ARCHIVE;
        }
        /* .pyc: a 16-bit version number then "\r\n" (PEP 552); CPython 3 uses 3000..3999+. */
        uint64_t pyc = hn >= 12 ? read_uint(h, 2, false) : 0;
        if (pyc >= 3000 && pyc < 5000 && h[2] == '\r' && h[3] == '\n') {
                *ret_what = "Python bytecode";
                return SCAN_FILE_BYTECODE;
        }
        return -1;
}

static bool word_is(const char *w, size_t n, const char *s) {
        return strlen(s) == n && memcmp(w, s, n) == 0;
}

/* "python", "python3", "python3.12", "pypy3" */
static bool is_versioned(const char *w, size_t n, const char *prefix) {
        size_t p = strlen(prefix);
        if (n < p || memcmp(w, prefix, p) != 0)
                return false;
        for (size_t i = p; i < n; i++)
                if (!strchr("0123456789.", w[i]))
                        return false;
        return true;
}

static size_t next_word(const char *s, size_t n, size_t *i, const char **ret) {
        while (*i < n && (s[*i] == ' ' || s[*i] == '\t'))
                (*i)++;
        size_t start = *i;
        while (*i < n && s[*i] != ' ' && s[*i] != '\t')
                (*i)++;
        *ret = s + start;
        return *i - start;
}

static size_t strip_dir(const char **w, size_t n) {
        for (size_t i = n; i > 0; i--)
                if ((*w)[i - 1] == '/') {
                        *w += i;
                        return n - i;
                }
        return n;
}

/* 1 and *ret set for a known interpreter, 0 without "#!", -1 for an interpreter we cannot scan.
 * "#!/usr/bin/env -S node --flag", "#!/usr/bin/env python3", "#!/bin/bash -e". */
static int shebang_kind(const char *data, size_t len, enum scan_file_kind *ret) {
        if (len < 2 || data[0] != '#' || data[1] != '!')
                return 0;
        const char *s = data + 2;
        size_t n = 0, i = 0;
        while (n < len - 2 && n < SHEBANG_MAX && s[n] != '\n' && s[n] != '\r')
                n++;
        const char *w;
        size_t wn = strip_dir(&w, next_word(s, n, &i, &w));
        if (word_is(w, wn, "env"))
                for (;;) {
                        wn = next_word(s, n, &i, &w);
                        if (wn == 0)
                                return -1;
                        if (wn > 2 && memcmp(w, "-S", 2) == 0) { /* "-Snode" */
                                w += 2, wn -= 2;
                                break;
                        }
                        if (wn > 15 && memcmp(w, "--split-string=", 15) == 0) {
                                w += 15, wn -= 15;
                                break;
                        }
                        if (word_is(w, wn, "-u") || word_is(w, wn, "-C") || word_is(w, wn, "--unset") ||
                            word_is(w, wn, "--chdir")) {
                                (void) next_word(s, n, &i, &w); /* the option's argument */
                                continue;
                        }
                        if (w[0] == '-' || memchr(w, '=', wn)) /* options, VAR=value */
                                continue;
                        break;
                }
        wn = strip_dir(&w, wn);
        if (is_versioned(w, wn, "python") || is_versioned(w, wn, "pypy"))
                *ret = SCAN_FILE_PYTHON;
        else if (word_is(w, wn, "node") || word_is(w, wn, "nodejs") || word_is(w, wn, "bun") ||
                 word_is(w, wn, "deno") || word_is(w, wn, "tsx") || word_is(w, wn, "ts-node"))
                *ret = SCAN_FILE_JS;
        else if (word_is(w, wn, "sh") || word_is(w, wn, "bash") || word_is(w, wn, "dash") ||
                 word_is(w, wn, "zsh") || word_is(w, wn, "ksh") || word_is(w, wn, "mksh") ||
                 word_is(w, wn, "ash"))
                *ret = SCAN_FILE_SHELL;
        else
                return -1;
        return 1;
}

static bool ext_in(const char *ext, const char *const *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (streq(ext, list[i]))
                        return true;
        return false;
}

/* The kind of a valid UTF-8 file: manifest names, then extension, then shebang. */
static enum scan_file_kind text_kind(const char *rel, const char *data, size_t len, bool executable,
                                     bool *ret_foreign_shebang) {
        static const char *const PY[] = { "py", "pyw" };
        static const char *const JS[] = { "js", "mjs", "cjs", "ts", "mts", "cts" };
        static const char *const SH[] = { "sh", "bash", "zsh", "ksh" };
        const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
        const char *ext = path_extension(base);
        enum scan_file_kind k;

        *ret_foreign_shebang = false;
        if (streq(rel, "SKILL.md"))
                return SCAN_FILE_SKILL_MD;
        if (streq(base, "package.json"))
                return SCAN_FILE_PACKAGE_JSON;
        if (streq(base, "pyproject.toml"))
                return SCAN_FILE_PYPROJECT;
        if (streq(base, "setup.py") || streq(base, "setup.cfg"))
                return SCAN_FILE_SETUP_PY;
        if (strneq(base, "requirements", 12) && streq(ext, "txt"))
                return SCAN_FILE_REQUIREMENTS;
        if (ext_in(ext, PY, ELEMENTSOF(PY)))
                return SCAN_FILE_PYTHON;
        if (ext_in(ext, JS, ELEMENTSOF(JS)))
                return SCAN_FILE_JS;
        if (ext_in(ext, SH, ELEMENTSOF(SH)))
                return SCAN_FILE_SHELL;
        int r = shebang_kind(data, len, &k);
        if (r > 0)
                return k;
        *ret_foreign_shebang = r < 0;
        /* execve() of a script without "#!" fails with ENOEXEC and execvp()/shells run it with sh. */
        if (r == 0 && executable && !*ext)
                return SCAN_FILE_SHELL;
        return SCAN_FILE_TEXT;
}

/* ---- findings ---- */

static int add_unreadable(struct walk *w, const char *rel, int r) {
        return findings_add(w->f, "file.unreadable", SEV_HIGH, "structure", rel, 0, 0, NULL, 0,
                            "could not be read (%s); its content was not scanned", strerror(-r));
}

static int add_limit(struct walk *w, const char *rel, const char *what) {
        w->stopped = true;
        return findings_add(w->f, "file.limit", SEV_HIGH, "structure", rel, 0, 0, NULL, 0,
                            "%s; the rest of the skill was not scanned", what);
}

/* Lexically: does target, relative to the link's directory, stay inside the skill? */
static bool link_stays_inside(const char *rel, const char *target) {
        long depth = 0;
        for (const char *s = rel; (s = strchr(s, '/')); s++)
                depth++;
        for (const char *s = target; *s;) {
                size_t n = strcspn(s, "/");
                if (n == 2 && s[0] == '.' && s[1] == '.') {
                        if (--depth < 0)
                                return false;
                } else if (n > 0 && !(n == 1 && s[0] == '.'))
                        depth++;
                s += n + (s[n] == '/');
        }
        return true;
}

static int report_symlink(struct walk *w, int dfd, const char *name, const char *rel) {
        char target[PATH_MAX];
        ssize_t k = readlinkat(dfd, name, target, sizeof(target) - 1);
        if (k < 0)
                k = 0;
        target[k] = '\0';
        bool inside = k > 0 && target[0] != '/' && link_stays_inside(rel, target);
        return findings_add(w->f, "file.symlink", inside ? SEV_LOW : SEV_HIGH, "structure", rel, 0, 0,
                            target, (size_t) k,
                            inside ? "symbolic link inside the skill; its target is scanned as itself"
                                   : "symbolic link pointing outside the skill (or absolute); the "
                                     "scanner does not follow it, but a script could");
}

static int report_special(struct walk *w, const char *rel, mode_t mode) {
        const char *what = S_ISFIFO(mode) ? "named pipe" : S_ISSOCK(mode) ? "socket" :
                           S_ISCHR(mode) ? "character device" : S_ISBLK(mode) ? "block device" :
                                                                 "special file";
        return findings_add(w->f, "file.special", SEV_HIGH, "structure", rel, 0, 0, NULL, 0,
                            "%s in the skill; it was not opened", what);
}

static uint32_t line_of(const char *data, size_t len, const char *needle) {
        const char *p = memmem(data, len, needle, strlen(needle));
        if (!p)
                return 0;
        uint32_t line = 1;
        for (const char *s = data; s < p; s++)
                line += *s == '\n';
        return line;
}

static int check_package_json(struct walk *w, const struct scan_file *x) {
        json_error_t jerr;
        /* No JSON_REJECT_DUPLICATES: npm's JSON.parse keeps the last duplicate, and so do we. */
        _cleanup_json_ json_t *root = json_loadb(x->data, x->len, 0, &jerr);
        if (!root)
                return findings_add(w->f, "file.bad-json", SEV_LOW, "structure", x->path,
                                    jerr.line > 0 ? (uint32_t) jerr.line : 0, 0, NULL, 0,
                                    "package.json is not valid JSON; its scripts could not be checked");
        json_t *scripts = json_object_get(root, "scripts");
        if (!json_is_object(scripts))
                return 0;
        for (size_t i = 0; i < SCAN_NPM_LIFECYCLE_N; i++) {
                json_t *v = json_object_get(scripts, SCAN_NPM_LIFECYCLE[i]);
                if (!v)
                        continue;
                char quoted[64];
                int k = snprintf(quoted, sizeof(quoted), "\"%s\"", SCAN_NPM_LIFECYCLE[i]);
                int r = findings_add(w->f, "file.npm-lifecycle", SEV_HIGH, "supply_chain", x->path,
                                     k > 0 ? line_of(x->data, x->len, quoted) : 0, 0,
                                     json_is_string(v) ? json_string_value(v) : NULL,
                                     json_is_string(v) ? json_string_length(v) : 0,
                                     "package.json has a \"%s\" script: npm runs it at install time",
                                     SCAN_NPM_LIFECYCLE[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- the walk ---- */

static int append_file(struct walk *w, struct scan_file *x) {
        if (w->n == w->cap) {
                size_t cap = w->cap ? w->cap * 2 : 64;
                struct scan_file *grown = reallocarray(w->v, cap, sizeof(*grown));
                if (!grown)
                        return -ENOMEM;
                w->v = grown;
                w->cap = cap;
        }
        w->v[w->n++] = *x;
        *x = (struct scan_file) { 0 };
        return 0;
}

/* The content findings of a classified file. */
static int report_content(struct walk *w, const struct scan_file *x, const char *what, bool library,
                          bool foreign_shebang, size_t bad_offset) {
        switch (x->kind) {
        case SCAN_FILE_BINARY: {
                bool critical = streq(what, "ELF") && (x->executable || library);
                return findings_add(w->f, "file.binary", critical ? SEV_CRITICAL : SEV_HIGH, "binary",
                                    x->path, 0, 0, NULL, 0, "%s %s%s; native code cannot be scanned", what,
                                    library ? "shared library" : "binary", x->executable ? " (executable)" : "");
        }
        case SCAN_FILE_BYTECODE:
                return findings_add(w->f, "file.bytecode", SEV_HIGH, "binary", x->path, 0, 0, NULL, 0,
                                    "%s: compiled code whose source is not in the skill", what);
        case SCAN_FILE_ARCHIVE:
                return findings_add(w->f, "file.archive", SEV_MEDIUM, "binary", x->path, 0, 0, NULL, 0,
                                    "%s archive: its content is not scanned", what);
        case SCAN_FILE_UNDECODABLE: /* reported by undecodable(), or too large (reported already) */
                return 0;
        case SCAN_FILE_PACKAGE_JSON:
                return check_package_json(w, x);
        case SCAN_FILE_TEXT:
                if (!foreign_shebang)
                        return 0;
                return findings_add(w->f, "file.unknown-interpreter", SEV_MEDIUM, "structure", x->path, 1, 0,
                                    x->data, strcspn(x->data, "\n"),
                                    "script for an interpreter the scanner does not read");
        default:
                return 0;
        }
}

/* Bytes as Latin-1, re-encoded as UTF-8: every byte maps to one code point, so nothing is lost
 * and every ASCII keyword, name and operator stays where an interpreter sees it. */
static char *latin1_to_utf8(const char *s, size_t n, size_t *ret_len) {
        char *out = malloc(n * 2 + 1);
        if (!out)
                return NULL;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) s[i];
                if (c < 0x80) {
                        out[k++] = (char) c;
                } else {
                        out[k++] = (char) (0xC0 | (c >> 6));
                        out[k++] = (char) (0x80 | (c & 0x3F));
                }
        }
        out[k] = '\0';
        *ret_len = k;
        return out;
}

/* A file that is not UTF-8. A script (by name or shebang) still runs: Python honours a coding
 * cookie (latin-1, cp1252...), shells and Node read bytes. So a script without NUL bytes is
 * transcoded as Latin-1 and scanned as its language (kind updated); one that cannot be read
 * at all is high. Undecodable data files are only a note. */
static int undecodable(struct walk *w, struct scan_file *x, const char *rel, bool has_nul, size_t bad) {
        bool foreign = false;
        enum scan_file_kind k = text_kind(rel, x->data, x->len, x->executable, &foreign);
        size_t n = strlen(rel);
        bool code = k == SCAN_FILE_PYTHON || k == SCAN_FILE_JS || k == SCAN_FILE_SHELL ||
                    (k == SCAN_FILE_SETUP_PY && n >= 3 && streq(rel + n - 3, ".py")) || foreign;
        if (code && !has_nul && !foreign) {
                size_t len = 0;
                char *utf8 = latin1_to_utf8(x->data, x->len, &len);
                if (!utf8)
                        return -ENOMEM;
                free(x->data);
                x->data = utf8;
                x->len = len;
                x->kind = k;
                return findings_add(w->f, "file.undecodable-script", SEV_MEDIUM, "undecodable", rel, 0, 0,
                                    NULL, 0, "%s script is not UTF-8 (bad byte at offset %zu): scanned as "
                                    "Latin-1, which may differ from how its interpreter decodes it",
                                    scan_file_kind_to_string(k), bad);
        }
        if (code)
                return findings_add(w->f, "file.undecodable", SEV_HIGH, "undecodable", rel, 0, 0, NULL, 0,
                                    "script that is not UTF-8 text (%s at offset %zu): its code cannot be "
                                    "read, so it was not scanned", has_nul ? "NUL byte" : "bad byte", bad);
        return findings_add(w->f, "file.undecodable", k == SCAN_FILE_SKILL_MD ? SEV_MEDIUM : SEV_LOW,
                            "undecodable", rel, 0, 0, NULL, 0,
                            "not UTF-8 text (bad byte at offset %zu); its content was not scanned", bad);
}

static int scan_regular(struct walk *w, int dfd, const char *name, const char *rel) {
        /* O_NONBLOCK: if a FIFO is swapped in after fstatat(), open() must not hang. */
        _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : add_unreadable(w, rel, -errno);
        struct stat st;
        if (fstat(fd, &st) < 0)
                return add_unreadable(w, rel, -errno);
        if (!S_ISREG(st.st_mode)) /* replaced meanwhile */
                return report_special(w, rel, st.st_mode);
        int r;
        if (st.st_mode & (S_ISUID | S_ISGID)) {
                r = findings_add(w->f, "file.setuid", SEV_CRITICAL, "privilege", rel, 0, 0, NULL, 0,
                                 "file has the %s bit set", (st.st_mode & S_ISUID) ? "setuid" : "setgid");
                if (r < 0)
                        return r;
        }
        const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
        if (streq(base, "setup.py")) {
                r = findings_add(w->f, "file.setup-py", SEV_MEDIUM, "supply_chain", rel, 0, 0, NULL, 0,
                                 "setup.py runs arbitrary code when the package is installed");
                if (r < 0)
                        return r;
        }

        _cleanup_(scan_file_free) struct scan_file x = {
                .path = strdup(rel),
                .size = (uint64_t) st.st_size,
                .executable = (st.st_mode & 0111) != 0,
        };
        if (!x.path)
                return -ENOMEM;
        unsigned char head[HEAD_MAX];
        ssize_t hn;
        do
                hn = pread(fd, head, sizeof(head), 0);
        while (hn < 0 && errno == EINTR);
        if (hn < 0)
                return add_unreadable(w, rel, -errno);

        const char *what = NULL, *ext = path_extension(base);
        bool library = false, foreign_shebang = false;
        size_t bad = 0;
        int magic = sniff_magic(fd, head, (size_t) hn, &what);
        if (magic < 0 && (streq(ext, "pyc") || streq(ext, "pyo") || streq(ext, "class") || streq(ext, "wasm"))) {
                magic = SCAN_FILE_BYTECODE;
                what = "bytecode (by extension)";
        }
        if (magic >= 0) {
                x.kind = (enum scan_file_kind) magic;
                library = x.kind == SCAN_FILE_BINARY && streq(what, "ELF") && elf_is_library(fd, head, (size_t) hn);
        } else if (st.st_size > (off_t) SCAN_MAX_FILE_BYTES) {
                x.kind = SCAN_FILE_UNDECODABLE;
                r = findings_add(w->f, "file.too-large", SEV_MEDIUM, "structure", rel, 0, 0, NULL, 0,
                                 "%llu bytes, over the %u byte limit; its content was not scanned",
                                 (unsigned long long) st.st_size, SCAN_MAX_FILE_BYTES);
                if (r < 0)
                        return r;
        } else if (w->total_bytes + (uint64_t) st.st_size > SCAN_MAX_TOTAL_BYTES) {
                return add_limit(w, rel, "the skill's text exceeds the total size limit");
        } else {
                r = read_fd_bounded_sized(fd, SCAN_MAX_FILE_BYTES, (uint64_t) st.st_size, &x.data, &x.len);
                if (r == -EFBIG) /* grew since fstat() */
                        return findings_add(w->f, "file.too-large", SEV_MEDIUM, "structure", rel, 0, 0, NULL, 0,
                                            "over the %u byte limit; its content was not scanned",
                                            SCAN_MAX_FILE_BYTES);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return add_unreadable(w, rel, r);
                w->total_bytes += x.len;
                const char *nul = memchr(x.data, '\0', x.len);
                bad = utf8_first_invalid(x.data, nul ? (size_t) (nul - x.data) : x.len);
                if (nul || bad < x.len) {
                        x.kind = SCAN_FILE_UNDECODABLE;
                        r = undecodable(w, &x, rel, !!nul, bad);
                        if (r < 0)
                                return r;
                        if (x.kind != SCAN_FILE_UNDECODABLE)
                                return append_file(w, &x); /* transcoded: scanned as its language */
                } else {
                        x.kind = text_kind(rel, x.data, x.len, x.executable, &foreign_shebang);
                }
        }
        r = report_content(w, &x, what, library, foreign_shebang, bad);
        if (r < 0)
                return r;
        return append_file(w, &x);
}

static int push_dir(struct walk *w, const char *rel, unsigned depth) {
        if (w->stack_n == w->stack_cap) {
                size_t cap = w->stack_cap ? w->stack_cap * 2 : 16;
                struct pending_dir *grown = reallocarray(w->stack, cap, sizeof(*grown));
                if (!grown)
                        return -ENOMEM;
                w->stack = grown;
                w->stack_cap = cap;
        }
        char *copy = strdup(rel);
        if (!copy)
                return -ENOMEM;
        w->stack[w->stack_n++] = (struct pending_dir) { copy, depth };
        return 0;
}

static int scan_entry(struct walk *w, int dfd, const char *name, const char *rel, unsigned depth) {
        struct stat st;
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : add_unreadable(w, rel, -errno);
        if (S_ISDIR(st.st_mode)) {
                if (depth < SCAN_MAX_DEPTH)
                        return push_dir(w, rel, depth);
                int r = findings_add(w->f, "file.limit", SEV_HIGH, "structure", rel, 0, 0, NULL, 0,
                                     "directory nested deeper than %d levels; its content was not scanned",
                                     SCAN_MAX_DEPTH);
                return r;
        }
        if (S_ISLNK(st.st_mode))
                return report_symlink(w, dfd, name, rel);
        if (!S_ISREG(st.st_mode))
                return report_special(w, rel, st.st_mode);
        return scan_regular(w, dfd, name, rel);
}

/* Open a directory below the skill without crossing any symlink. */
static int open_dir_beneath(int rootfd, const char *rel) {
        int fd = sys_open_beneath_nofollow(rootfd, rel, O_RDONLY | O_DIRECTORY, 0);
        if (fd != -ENOSYS && fd != -EPERM)
                return fd;
        /* No openat2 (kernel < 5.6, or a seccomp filter): one O_NOFOLLOW step per component. */
        _cleanup_free_ char *copy = strdup(rel);
        if (!copy)
                return -ENOMEM;
        _cleanup_close_ int cur = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cur < 0)
                return -errno;
        for (char *s = copy, *slash; s; s = slash ? slash + 1 : NULL) {
                slash = strchr(s, '/');
                if (slash)
                        *slash = '\0';
                int next = openat(cur, s, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0)
                        return -errno;
                safe_close(cur);
                cur = next;
        }
        return TAKE_FD(cur);
}

static int cmp_names(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The entry names of d, at most max of them; -errno on a read error. */
static int read_names(DIR *d, size_t max, char ***ret, size_t *ret_n) {
        _cleanup_(names_free) char **v = calloc(1, sizeof(char *));
        size_t n = 0;
        if (!v)
                return -ENOMEM;
        for (;;) {
                errno = 0;
                struct dirent *de = readdir(d);
                if (!de) {
                        if (errno != 0)
                                return -errno;
                        break;
                }
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (n >= max)
                        break;
                if (strv_pushn(&v, &n, de->d_name, strlen(de->d_name)) < 0)
                        return -ENOMEM;
        }
        qsort(v, n, sizeof(char *), cmp_names);
        *ret = TAKE_PTR(v);
        *ret_n = n;
        return 0;
}

static int walk_dir(struct walk *w, const char *rel, unsigned depth, struct error *err) {
        bool root = !*rel;
        _cleanup_close_ int fd = root ? openat(w->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                      : open_dir_beneath(w->rootfd, rel);
        if (root && fd < 0)
                return error_set(err, -errno, "opening the skill directory: %s", strerror(errno));
        if (fd == -ENOMEM)
                return fd;
        if (fd < 0)
                return add_unreadable(w, rel, fd);
        _cleanup_(closedirp) DIR *d = fdopendir(fd);
        if (!d)
                return error_set(err, -errno, "reading %s: %s", root ? "the skill directory" : rel,
                                 strerror(errno));
        TAKE_FD(fd);
        _cleanup_(names_free) char **names = NULL;
        size_t n = 0;
        /* One name past the remaining budget, so that hitting the limit is noticed. */
        int r = read_names(d, SCAN_MAX_FILES - w->entries + 1, &names, &n);
        if (r == -ENOMEM || (r < 0 && root))
                return error_set(err, r, "reading %s: %s", root ? "the skill directory" : rel, strerror(-r));
        if (r < 0)
                return add_unreadable(w, rel, r);
        for (size_t i = 0; i < n && !w->stopped; i++) {
                if (w->entries >= SCAN_MAX_FILES)
                        return add_limit(w, rel, "the skill has more files than the scanner's limit");
                w->entries++;
                _cleanup_free_ char *child = root ? strdup(names[i]) : path_join(rel, names[i]);
                if (!child)
                        return -ENOMEM;
                r = scan_entry(w, dirfd(d), names[i], child, depth + 1);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int cmp_files(const void *a, const void *b) {
        return strcmp(((const struct scan_file *) a)->path, ((const struct scan_file *) b)->path);
}

int scan_discover(int skill_dirfd, struct scan_files *out, struct findings *f, struct error *err) {
        _cleanup_(walk_done) struct walk w = { .rootfd = skill_dirfd, .f = f };
        int r = push_dir(&w, "", 0);
        while (r >= 0 && w.stack_n > 0 && !w.stopped) {
                struct pending_dir d = w.stack[--w.stack_n];
                r = walk_dir(&w, d.rel, d.depth, err);
                free(d.rel);
        }
        if (r < 0)
                return error_set(err, r, "scanning the skill's files: %s", strerror(-r));
        if (w.n > 1)
                qsort(w.v, w.n, sizeof(*w.v), cmp_files);
        *out = (struct scan_files) { TAKE_PTR(w.v), w.n };
        w.n = 0;
        return 0;
}

int scan_discover_one(int dirfd, const char *name, struct scan_files *out, struct findings *f,
                      struct error *err) {
        _cleanup_(walk_done) struct walk w = { .rootfd = dirfd, .f = f };
        struct stat st;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return error_set(err, -errno, "%s: %s", name, strerror(errno));
        if (S_ISDIR(st.st_mode))
                return error_set(err, -EISDIR, "%s is a directory", name);
        int r = scan_entry(&w, dirfd, name, name, 1);
        if (r < 0)
                return error_set(err, r, "scanning %s: %s", name, strerror(-r));
        *out = (struct scan_files) { TAKE_PTR(w.v), w.n };
        w.n = 0;
        return 0;
}
