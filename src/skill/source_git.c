/* Cloning a skill repository with libgit2 (dlopen()ed on first use, base/lazylib.h). The clone
 * fetches without checking out; the tree at HEAD is then held to the archive caps and link rules,
 * and only then written out. libgit2 runs no hooks (it has no hook support at all: no
 * post-checkout, no fsmonitor, no filter processes), fetches no submodules, and without a
 * credential callback fails at once where git would prompt. The .git directory is removed. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/lazylib.h"
#include "../base/macros.h"
#include "../base/path.h"
#include "source_internal.h"
#include "link_rule.h"

/* The struct layouts come from the headers we build with, so only the matching soname will do. */
static struct {
        __typeof__(git_blob_free) *blob_free;
        __typeof__(git_blob_lookup) *blob_lookup;
        __typeof__(git_blob_rawcontent) *blob_rawcontent;
        __typeof__(git_blob_rawsize) *blob_rawsize;
        __typeof__(git_checkout_head) *checkout_head;
        __typeof__(git_checkout_options_init) *checkout_options_init;
        __typeof__(git_clone) *clone;
        __typeof__(git_clone_options_init) *clone_options_init;
        __typeof__(git_error_last) *error_last;
        __typeof__(git_libgit2_init) *libgit2_init;
        __typeof__(git_object_free) *object_free;
        __typeof__(git_odb_free) *odb_free;
        __typeof__(git_odb_read_header) *odb_read_header;
        __typeof__(git_remote_create_options_init) *remote_create_options_init;
        __typeof__(git_remote_create_with_opts) *remote_create_with_opts;
        __typeof__(git_repository_free) *repository_free;
        __typeof__(git_repository_odb) *repository_odb;
        __typeof__(git_revparse_single) *revparse_single;
        __typeof__(git_tree_entry_filemode) *tree_entry_filemode;
        __typeof__(git_tree_entry_id) *tree_entry_id;
        __typeof__(git_tree_entry_name) *tree_entry_name;
        __typeof__(git_tree_walk) *tree_walk;
} lg;

#define SYM(f) { "git_" #f, (void **) &lg.f }
static const struct lazylib_sym LG_SYMS[] = {
        SYM(blob_free),           SYM(blob_lookup),       SYM(blob_rawcontent), SYM(blob_rawsize),
        SYM(checkout_head),       SYM(checkout_options_init), SYM(clone),       SYM(clone_options_init),
        SYM(error_last),          SYM(libgit2_init),      SYM(object_free),     SYM(odb_free),
        SYM(odb_read_header),     SYM(remote_create_options_init), SYM(remote_create_with_opts),
        SYM(repository_free),     SYM(repository_odb),    SYM(revparse_single),
        SYM(tree_entry_filemode), SYM(tree_entry_id),     SYM(tree_entry_name), SYM(tree_walk),
};
#undef SYM
static const char *const LG_SONAMES[] = { "libgit2.so." LIBGIT2_SOVERSION, NULL };
static struct lazylib lg_lib = { LG_SONAMES, LG_SYMS, ELEMENTSOF(LG_SYMS), NULL };

static int git_load(struct error *err) {
        static bool initialized;
        int r = lazylib_load(&lg_lib, err);
        if (r < 0)
                return r;
        if (!initialized) {
                if (lg.libgit2_init() < 0)
                        return error_set(err, -EIO, "libgit2 failed to initialize");
                initialized = true;
        }
        return 0;
}

static const char *git_message(void) {
        const git_error *e = lg.error_last();
        return e && e->message ? e->message : "unknown libgit2 error";
}

/* Fetching is capped on the pack bytes received: a clone of a huge repository stops early. */
static int on_transfer(const git_indexer_progress *stats, void *payload) {
        bool *too_big = payload;
        if (stats->received_bytes > SOURCE_GIT_MAX_BYTES) {
                *too_big = true;
                return -1;
        }
        return 0;
}

/* The remote exactly as given: url.<base>.insteadOf from the user's git config is not applied
 * (the source is recorded as the user typed it; $SKILLLITE_GIT_BASE is the knob for mirrors).
 * It also avoids a leak in libgit2 1.5's insteadOf lookup (a pcre2 match block per config
 * entry), which made every clone fail LeakSanitizer. */
static int create_remote(git_remote **out, git_repository *repo, const char *name, const char *url,
                         void *payload) {
        git_remote_create_options o;
        int r = lg.remote_create_options_init(&o, GIT_REMOTE_CREATE_OPTIONS_VERSION);
        if (r < 0)
                return r;
        o.repository = repo;
        o.name = name;
        o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
        return lg.remote_create_with_opts(out, url, &o);
}

struct tree_check {
        git_repository *repo;
        git_odb *odb;
        struct source_names seen;
        uint64_t entries, total;
        int r;
        struct error *err;
};

/* Every entry of the tree about to be checked out, before any file exists: the same names,
 * caps and link rules as an archive. A "git bomb" (a small pack whose trees reference each other
 * into billions of paths) stops at the entry cap; the walk stops at the depth cap. */
static int check_entry(const char *root, const git_tree_entry *te, void *payload) {
        struct tree_check *c = payload;
        const struct source_archive_limits *lim = &SOURCE_ARCHIVE_LIMITS;
        char raw[PATH_MAX + NAME_MAX + 2];
        if ((size_t) snprintf(raw, sizeof(raw), "%s%s", root, lg.tree_entry_name(te)) >= sizeof(raw)) {
                c->r = error_set(c->err, -E2BIG, "a path in the repository is too long");
                return -1;
        }
        if (++c->entries > lim->max_entries) {
                c->r = error_set(c->err, -E2BIG, "the repository has more than %llu files and directories",
                                 (unsigned long long) lim->max_entries);
                return -1;
        }
        git_filemode_t mode = lg.tree_entry_filemode(te);
        char name[PATH_MAX];
        int r = source_clean_name(raw, mode == GIT_FILEMODE_TREE, lim->max_depth, name, sizeof(name), c->err);
        if (r != 0) {
                c->r = r < 0 ? r : error_set(c->err, -EPERM, "the repository has an entry naming its root");
                return -1;
        }
        r = source_names_add(&c->seen, name);
        if (r <= 0) {
                c->r = r == 0 ? error_set(c->err, -EPERM, "'%.200s' appears twice in the repository", name)
                              : error_set(c->err, r, "out of memory");
                return -1;
        }
        if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT) /* a submodule: left empty */
                return 0;
        if (mode == GIT_FILEMODE_LINK) {
                git_blob *blob = NULL;
                if (lg.blob_lookup(&blob, c->repo, lg.tree_entry_id(te)) < 0) {
                        c->r = error_set(c->err, -EIO, "reading symlink '%.200s': %s", name, git_message());
                        return -1;
                }
                size_t len = (size_t) lg.blob_rawsize(blob);
                char target[PATH_MAX];
                bool ok = len > 0 && len < sizeof(target);
                if (ok) {
                        memcpy(target, lg.blob_rawcontent(blob), len);
                        target[len] = '\0';
                        ok = strlen(target) == len && link_rule_ok(name, target);
                }
                lg.blob_free(blob);
                if (!ok) {
                        c->r = error_set(c->err, -EPERM, "symlink '%.200s' -> '%.200s' leaves the repository",
                                         name, len > 0 && len < sizeof(target) ? target : "?");
                        return -1;
                }
                return 0;
        }
        if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
                c->r = error_set(c->err, -EPERM, "'%.200s' has an unknown git file mode %o", name, (unsigned) mode);
                return -1;
        }
        size_t size = 0;
        git_object_t type;
        if (lg.odb_read_header(&size, &type, c->odb, lg.tree_entry_id(te)) < 0) {
                c->r = error_set(c->err, -EIO, "reading '%.200s': %s", name, git_message());
                return -1;
        }
        c->total += size;
        if (size > lim->max_file_bytes || c->total > lim->max_total_bytes) {
                c->r = error_set(c->err, -E2BIG, "'%.200s' takes the checkout over its size caps (%llu bytes "
                                 "per file, %llu in all)", name, (unsigned long long) lim->max_file_bytes,
                                 (unsigned long long) lim->max_total_bytes);
                return -1;
        }
        return 0;
}

static int check_tree(git_repository *repo, struct error *err) {
        git_object *tree = NULL;
        if (lg.revparse_single(&tree, repo, "HEAD^{tree}") < 0)
                return error_set(err, -ENOENT, "the repository has no commit to check out: %s", git_message());
        struct tree_check c = { .repo = repo, .err = err };
        int r = lg.repository_odb(&c.odb, repo);
        if (r < 0)
                r = error_set(err, -EIO, "opening the object database: %s", git_message());
        else if (source_names_init(&c.seen, SOURCE_ARCHIVE_MAX_ENTRIES) < 0)
                r = error_set(err, -ENOMEM, "out of memory");
        else if (lg.tree_walk((git_tree *) tree, GIT_TREEWALK_PRE, check_entry, &c) < 0)
                r = c.r < 0 ? c.r : error_set(err, -EIO, "walking the tree: %s", git_message());
        else
                r = 0;
        source_names_done(&c.seen);
        if (c.odb)
                lg.odb_free(c.odb);
        lg.object_free(tree);
        return r;
}

/* url for messages, without its userinfo: https://user:token@host must not show the token. */
static void url_for_message(const char *url, char *out, size_t size) {
        const char *sep = strstr(url, "://");
        const char *auth = sep ? sep + 3 : url, *at = NULL;
        for (const char *p = auth; sep && *p && !strchr("/?#", *p); p++)
                if (*p == '@')
                        at = p;
        if (at)
                snprintf(out, size, "%.*s%.300s", (int) (auth - url), url, at + 1);
        else
                snprintf(out, size, "%.300s", url);
}

static int clone_and_check(const char *url, const char *dst, struct error *err) {
        char shown[320];
        url_for_message(url, shown, sizeof(shown));
        git_clone_options opts;
        if (lg.clone_options_init(&opts, GIT_CLONE_OPTIONS_VERSION) < 0)
                return error_set(err, -EIO, "libgit2: %s", git_message());
        bool too_big = false;
        opts.checkout_opts.checkout_strategy = GIT_CHECKOUT_NONE; /* first look, then write */
        /* Always the git-aware transport, also for file://: never hard-link another repository's
         * objects into ours. */
        opts.local = GIT_CLONE_NO_LOCAL;
        /* No credentials callback: an authentication request fails instead of prompting. */
        opts.fetch_opts.callbacks.credentials = NULL;
        opts.fetch_opts.callbacks.transfer_progress = on_transfer;
        opts.fetch_opts.callbacks.payload = &too_big;
        opts.fetch_opts.proxy_opts.type = GIT_PROXY_AUTO; /* the user's http.proxy / https_proxy */
        opts.remote_cb = create_remote;
        git_repository *repo = NULL;
        if (lg.clone(&repo, url, dst, &opts) < 0) {
                if (too_big)
                        return error_set(err, -E2BIG, "cloning %s: more than %llu bytes", shown,
                                         (unsigned long long) SOURCE_GIT_MAX_BYTES);
                return error_set(err, -EIO, "cloning %s: %s", shown, git_message());
        }
        int r = check_tree(repo, err);
        if (r == 0) {
                git_checkout_options co;
                if (lg.checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION) < 0)
                        r = error_set(err, -EIO, "libgit2: %s", git_message());
                else {
                        /* FORCE: the work tree is ours and empty. SAFE would read the missing
                         * files as deleted on purpose and write nothing. */
                        co.checkout_strategy = GIT_CHECKOUT_FORCE;
                        if (lg.checkout_head(repo, &co) < 0)
                                r = error_set(err, -EIO, "checking out %s: %s", shown, git_message());
                }
        }
        lg.repository_free(repo);
        return r;
}

int source_git_clone(const char *url, const char *dst, struct error *err) {
        int r = git_load(err);
        if (r < 0)
                return r;
        if (access(dst, F_OK) == 0)
                return error_set(err, -EEXIST, "%s exists already", dst);
        r = clone_and_check(url, dst, err);
        if (r == 0) {
                _cleanup_free_ char *dotgit = path_join(dst, ".git");
                if (!dotgit)
                        r = error_set(err, -ENOMEM, "out of memory");
                else if ((r = rm_rf(dotgit)) < 0)
                        r = error_set(err, r, "removing %s: %s", dotgit, strerror(-r));
        }
        if (r < 0)
                (void) rm_rf(dst); /* the clone may have got halfway */
        return r;
}
