/* Unit tests for src/skill/source*: what `skilllite add <source>` understands (every kind, local
 * paths first, bad input), secure extraction (good tar.gz and zip, then each attack: tar-slip,
 * zip-slip, absolute names, symlinks leaving the tree or written through, hard links, devices,
 * FIFOs, bombs, a lying size header, caps, duplicates), cloning local repositories with libgit2
 * (file://, owner/repo under SKILLLITE_GIT_BASE, hooks never run, links and caps checked), and
 * finding skills in nested layouts. Hostile archives are built here with libarchive's writer. */
#include <archive.h>
#include <archive_entry.h>
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/base/macros.h"
#include "../../src/skill/link_rule.h"
#include "../../src/skill/source.h"

extern char **environ;

static char *tmp;     /* per test, removed afterwards */
static char *dst;     /* tmp/dst: where archives are extracted */
static int dstfd = -1;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st, (void) flag, (void) ftw;
        return remove(path);
}

static void setup(void) {
        char t[] = "/tmp/skilllite-source-test-XXXXXX";
        cr_assert_not_null(mkdtemp(t));
        tmp = strdup(t);
        cr_assert_eq(asprintf(&dst, "%s/dst", tmp), (int) strlen(tmp) + 4);
        cr_assert_eq(mkdir(dst, 0755), 0);
        dstfd = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(dstfd, 0);
        /* Each test runs in its own process: cwd and environment changes stay local. */
        cr_assert_eq(chdir(tmp), 0);
        unsetenv("SKILLLITE_GIT_BASE");
}

static void teardown(void) {
        if (chdir("/") != 0)
                cr_log_warn("chdir /: %s", strerror(errno));
        close(dstfd);
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(dst);
        free(tmp);
}

TestSuite(source_parse, .init = setup, .fini = teardown);
TestSuite(source_extract, .init = setup, .fini = teardown, .timeout = 60);
TestSuite(source_attack, .init = setup, .fini = teardown, .timeout = 60);
TestSuite(source_git, .init = setup, .fini = teardown, .timeout = 60);
TestSuite(source_find, .init = setup, .fini = teardown);
TestSuite(source_fetch, .init = setup, .fini = teardown, .timeout = 60);

/* ---- helpers -------------------------------------------------------------------------------- */

static char *tmp_path(const char *rel) {
        char *p = NULL;
        cr_assert_geq(asprintf(&p, "%s/%s", tmp, rel), 0);
        return p;
}

/* Create tmp/rel (and its parents) holding content. */
static void put(const char *rel, const char *content) {
        _cleanup_free_ char *path = tmp_path(rel);
        for (char *s = path + strlen(tmp) + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
                *s = '/';
        }
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f, "create %s", path);
        fputs(content, f);
        fclose(f);
}

static void put_skill(const char *dir, const char *name) {
        char rel[1024], text[512];
        snprintf(rel, sizeof(rel), "%s/SKILL.md", dir);
        snprintf(text, sizeof(text), "---\nname: %s\ndescription: The %s skill.\n---\nBody.\n", name, name);
        put(rel, text);
}

static bool exists_at(int dfd, const char *rel) {
        struct stat st;
        return fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static bool tmp_exists(const char *rel) {
        _cleanup_free_ char *p = tmp_path(rel);
        struct stat st;
        return lstat(p, &st) == 0;
}

static size_t count_entries(const char *dir) {
        size_t n = 0;
        DIR *d = opendir(dir);
        cr_assert_not_null(d, "opendir %s", dir);
        struct dirent *de;
        while ((de = readdir(d)))
                n += !streq(de->d_name, ".") && !streq(de->d_name, "..");
        closedir(d);
        return n;
}

static char *read_at_flags(int dfd, const char *rel, int flags) {
        static char buf[4096];
        int fd = openat(dfd, rel, O_RDONLY | O_CLOEXEC | flags);
        cr_assert_geq(fd, 0, "open %s: %s", rel, strerror(errno));
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        cr_assert_geq(n, 0);
        buf[n] = '\0';
        return buf;
}

static char *read_at(int dfd, const char *rel) {
        return read_at_flags(dfd, rel, O_NOFOLLOW);
}

static mode_t mode_at(int dfd, const char *rel) {
        struct stat st;
        cr_assert_eq(fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW), 0, "stat %s", rel);
        return st.st_mode;
}

/* Run argv[0] (an absolute path) with argv; returns its exit status. */
static int run(char *const argv[]) {
        pid_t pid;
        cr_assert_eq(posix_spawn(&pid, argv[0], NULL, NULL, argv, environ), 0, "spawn %s", argv[0]);
        int status;
        cr_assert_eq(waitpid(pid, &status, 0), pid);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* ---- writing archives ----------------------------------------------------------------------- */

#define PERM_NONE 010000

enum ent_type { E_FILE, E_DIR, E_LINK, E_HARD, E_CHR, E_BLK, E_FIFO, E_ZEROS };

struct ent {
        const char *name;
        enum ent_type type;
        const char *data; /* content, or the link target */
        mode_t perm;      /* 0: 0644 (dirs 0755); PERM_NONE: 0 */
        size_t zeros;     /* E_ZEROS: that many zero bytes */
};

/* tmp/file as "tar", "tgz" or "zip" holding e[0..n). */
static char *make_archive(const char *file, const char *fmt, const struct ent *e, size_t n) {
        char *p = tmp_path(file);
        struct archive *a = archive_write_new();
        cr_assert_not_null(a);
        if (streq(fmt, "zip"))
                cr_assert_eq(archive_write_set_format_zip(a), ARCHIVE_OK);
        else
                cr_assert_eq(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
        if (streq(fmt, "tgz"))
                cr_assert_eq(archive_write_add_filter_gzip(a), ARCHIVE_OK);
        cr_assert_eq(archive_write_open_filename(a, p), ARCHIVE_OK);
        static char zeros[65536];
        for (size_t i = 0; i < n; i++) {
                struct archive_entry *ae = archive_entry_new();
                archive_entry_set_pathname(ae, e[i].name);
                size_t len = 0;
                switch (e[i].type) {
                case E_FILE:
                        len = strlen(e[i].data);
                        /* fallthrough */
                case E_ZEROS:
                        if (e[i].type == E_ZEROS)
                                len = e[i].zeros;
                        archive_entry_set_filetype(ae, AE_IFREG);
                        archive_entry_set_perm(ae, e[i].perm == PERM_NONE ? 0 : e[i].perm ? e[i].perm : 0644);
                        archive_entry_set_size(ae, (la_int64_t) len);
                        break;
                case E_DIR:
                        archive_entry_set_filetype(ae, AE_IFDIR);
                        archive_entry_set_perm(ae, e[i].perm ? e[i].perm : 0755);
                        break;
                case E_LINK:
                        archive_entry_set_filetype(ae, AE_IFLNK);
                        archive_entry_set_perm(ae, 0777);
                        archive_entry_set_symlink(ae, e[i].data);
                        break;
                case E_HARD:
                        archive_entry_set_filetype(ae, AE_IFREG);
                        archive_entry_set_perm(ae, 0644);
                        archive_entry_set_hardlink(ae, e[i].data);
                        break;
                case E_CHR:
                case E_BLK:
                        archive_entry_set_filetype(ae, e[i].type == E_CHR ? AE_IFCHR : AE_IFBLK);
                        archive_entry_set_perm(ae, 0666);
                        archive_entry_set_rdevmajor(ae, 1);
                        archive_entry_set_rdevminor(ae, 3);
                        break;
                case E_FIFO:
                        archive_entry_set_filetype(ae, AE_IFIFO);
                        archive_entry_set_perm(ae, 0644);
                        break;
                }
                cr_assert_eq(archive_write_header(a, ae), ARCHIVE_OK, "%s: %s", e[i].name, archive_error_string(a));
                if (e[i].type == E_FILE && len)
                        cr_assert_eq(archive_write_data(a, e[i].data, len), (la_ssize_t) len);
                for (size_t done = 0; e[i].type == E_ZEROS && done < len;) {
                        size_t k = len - done < sizeof(zeros) ? len - done : sizeof(zeros);
                        cr_assert_eq(archive_write_data(a, zeros, k), (la_ssize_t) k);
                        done += k;
                }
                archive_entry_free(ae);
        }
        cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
        archive_write_free(a);
        return p;
}

/* Remove and recreate dst (between two extractions in one test). */
static void reset_dst(void) {
        close(dstfd);
        nftw(dst, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        cr_assert_eq(mkdir(dst, 0755), 0);
        dstfd = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(dstfd, 0);
}

static int extract(const char *archive, struct error *err) {
        return source_extract_archive(archive, dstfd, err);
}

/* The archive is refused with code, the message names why, and dst is left empty. */
static void expect_refused(const char *archive, int code, const char *why) {
        struct error err = ERROR_INIT;
        int r = extract(archive, &err);
        cr_assert_eq(r, code, "%s: expected %d, got %d (%s)", archive, code, r, err.msg);
        cr_expect_eq(err.code, code);
        cr_expect_not_null(strstr(err.msg, why), "message '%s' should say '%s'", err.msg, why);
        cr_expect_eq(count_entries(dst), 0, "%s: dst must be emptied after a refusal", archive);
}

/* ---- parse ---------------------------------------------------------------------------------- */

static void parse_ok(const char *arg, enum source_kind kind, const char *location, const char *skill,
                     const char *display) {
        struct source_spec s = { 0 };
        struct error err = ERROR_INIT;
        int r = source_parse(arg, &s, &err);
        cr_assert_eq(r, 0, "'%s': %d %s", arg, r, err.msg);
        cr_expect_eq(s.kind, kind, "'%s': kind %d, want %d", arg, s.kind, kind);
        cr_expect_str_eq(s.location, location, "'%s'", arg);
        if (skill)
                cr_expect_str_eq(s.skill ? s.skill : "(null)", skill, "'%s'", arg);
        else
                cr_expect_null(s.skill, "'%s' has skill '%s'", arg, s.skill);
        cr_expect_str_eq(s.display, display, "'%s'", arg);
        source_spec_done(&s);
}

static void parse_bad(const char *arg, int code, const char *why) {
        struct source_spec s = { 0 };
        struct error err = ERROR_INIT;
        int r = source_parse(arg, &s, &err);
        cr_expect_eq(r, code, "'%s': expected %d, got %d (%s)", arg, code, r, err.msg);
        cr_expect_not_null(strstr(err.msg, why), "'%s': message '%s' should say '%s'", arg, err.msg, why);
        cr_expect_null(s.location, "'%s': ret written on failure", arg);
}

Test(source_parse, local_directory_and_archive) {
        put_skill("skills/calc", "calc");
        put("pack.zip", "not really a zip");
        _cleanup_free_ char *skills = realpath("skills", NULL);
        _cleanup_free_ char *zip = realpath("pack.zip", NULL);
        parse_ok("skills", SOURCE_DIR, skills, NULL, "skills");
        parse_ok("./skills/../skills/", SOURCE_DIR, skills, NULL, "./skills/../skills/");
        parse_ok(skills, SOURCE_DIR, skills, NULL, skills);
        parse_ok("pack.zip", SOURCE_ARCHIVE, zip, NULL, "pack.zip");
        parse_ok("skills@calc", SOURCE_DIR, skills, "calc", "skills@calc");
        parse_ok("pack.zip@calc", SOURCE_ARCHIVE, zip, "calc", "pack.zip@calc");
}

Test(source_parse, local_path_wins_over_github_and_url) {
        put_skill("owner/repo", "repo");
        _cleanup_free_ char *dir = realpath("owner/repo", NULL);
        parse_ok("owner/repo", SOURCE_DIR, dir, NULL, "owner/repo");
        /* a path whose own name has an '@' is that path, not a skill selection */
        put_skill("odd@calc", "calc");
        _cleanup_free_ char *odd = realpath("odd@calc", NULL);
        parse_ok("odd@calc", SOURCE_DIR, odd, NULL, "odd@calc");
        put("https:/x", "");
        _cleanup_free_ char *https = realpath("https:/x", NULL);
        parse_ok("https:/x", SOURCE_ARCHIVE, https, NULL, "https:/x");
}

Test(source_parse, github_shorthand) {
        parse_ok("anthropics/skills", SOURCE_GITHUB, "https://github.com/anthropics/skills", NULL,
                 "anthropics/skills");
        parse_ok("a-b/my.repo_1@pdf-tools", SOURCE_GITHUB, "https://github.com/a-b/my.repo_1", "pdf-tools",
                 "a-b/my.repo_1@pdf-tools");
        parse_ok("o/r.git", SOURCE_GITHUB, "https://github.com/o/r.git", NULL, "o/r.git");
        setenv("SKILLLITE_GIT_BASE", "file:///srv/mirror//", 1);
        parse_ok("owner/repo@x", SOURCE_GITHUB, "file:///srv/mirror/owner/repo", "x", "owner/repo@x");
        setenv("SKILLLITE_GIT_BASE", "http://127.0.0.1:9418", 1);
        parse_ok("owner/repo", SOURCE_GITHUB, "http://127.0.0.1:9418/owner/repo", NULL, "owner/repo");
        setenv("SKILLLITE_GIT_BASE", "ftp://mirror", 1);
        parse_bad("owner/repo", -EINVAL, "unsupported URL scheme");
        setenv("SKILLLITE_GIT_BASE", "mirror.example", 1);
        parse_bad("owner/repo", -EINVAL, "not a URL");
}

Test(source_parse, urls) {
        parse_ok("https://example.com/dl/skills.zip", SOURCE_URL, "https://example.com/dl/skills.zip", NULL,
                 "https://example.com/dl/skills.zip");
        parse_ok("https://example.com/a.TAR.GZ?sig=1#x", SOURCE_URL, "https://example.com/a.TAR.GZ?sig=1#x",
                 NULL, "https://example.com/a.TAR.GZ?sig=1#x");
        parse_ok("https://example.com/s.tgz@calc", SOURCE_URL, "https://example.com/s.tgz", "calc",
                 "https://example.com/s.tgz@calc");
        parse_ok("https://example.com/pkg@1.0.tar", SOURCE_URL, "https://example.com/pkg@1.0.tar", NULL,
                 "https://example.com/pkg@1.0.tar");
        parse_ok("http://127.0.0.1:8080/s.zip", SOURCE_URL, "http://127.0.0.1:8080/s.zip", NULL,
                 "http://127.0.0.1:8080/s.zip");
        parse_ok("HTTP://localhost/s.tar.gz", SOURCE_URL, "HTTP://localhost/s.tar.gz", NULL,
                 "HTTP://localhost/s.tar.gz");
        parse_ok("https://github.com/o/r", SOURCE_GIT, "https://github.com/o/r", NULL, "https://github.com/o/r");
        parse_ok("https://github.com/o/r.git@pdf", SOURCE_GIT, "https://github.com/o/r.git", "pdf",
                 "https://github.com/o/r.git@pdf");
        parse_ok("ssh://git@host.example:2222/o/r.git", SOURCE_GIT, "ssh://git@host.example:2222/o/r.git", NULL,
                 "ssh://host.example:2222/o/r.git");
        parse_ok("git@github.com:o/r.git", SOURCE_GIT, "git@github.com:o/r.git", NULL, "git@github.com:o/r.git");
        parse_ok("git@github.com:o/r.git@calc", SOURCE_GIT, "git@github.com:o/r.git", "calc",
                 "git@github.com:o/r.git@calc");
        parse_ok("file:///srv/git/repo", SOURCE_GIT, "file:///srv/git/repo", NULL, "file:///srv/git/repo");
        parse_ok("http://[::1]:8000/s.zip", SOURCE_URL, "http://[::1]:8000/s.zip", NULL, "http://[::1]:8000/s.zip");
}

Test(source_parse, credentials_stay_out_of_the_display) {
        parse_ok("https://user:t0k@n@git.example/o/r.git@calc", SOURCE_GIT, "https://user:t0k@n@git.example/o/r.git",
                 "calc", "https://git.example/o/r.git@calc");
        parse_ok("https://x-access-token:abc@example.com/s.zip", SOURCE_URL,
                 "https://x-access-token:abc@example.com/s.zip", NULL, "https://example.com/s.zip");
}

Test(source_parse, bad_input) {
        parse_bad("", -EINVAL, "empty");
        parse_bad("ftp://example.com/s.zip", -EINVAL, "unsupported URL scheme 'ftp'");
        parse_bad("git://example.com/o/r", -EINVAL, "unsupported URL scheme 'git'");
        parse_bad("http://example.com/s.zip", -EINVAL, "plain http://");
        parse_bad("http://127.0.0.1.evil.example/s.zip", -EINVAL, "plain http://");
        parse_bad("https:///s.zip", -EINVAL, "no host");
        parse_bad("own er/repo", -EINVAL, "GitHub owner/repo");
        parse_bad("-owner/repo", -EINVAL, "GitHub owner/repo");
        parse_bad("owner-/repo", -EINVAL, "GitHub owner/repo");
        parse_bad("owner/..", -EINVAL, "GitHub owner/repo");
        parse_bad("owner/re$po", -EINVAL, "GitHub owner/repo");
        parse_bad("owner/", -EINVAL, "GitHub owner/repo");
        parse_bad("owner/repo@Bad_Name", -EINVAL, "not a valid skill name");
        parse_bad("owner/repo@", -EINVAL, "not a valid skill name");
        parse_bad("./missing", -ENOENT, "no such file");
        parse_bad("/nonexistent/skills", -ENOENT, "no such file");
        parse_bad("missing.zip", -ENOENT, "no such file");
        parse_bad("missing", -ENOENT, "no such file");
        parse_bad("a/b/c", -ENOENT, "no such file");
        parse_bad("~/skills", -ENOENT, "no such file");
        char longarg[5000];
        memset(longarg, 'a', sizeof(longarg) - 1);
        longarg[sizeof(longarg) - 1] = '\0';
        parse_bad(longarg, -EINVAL, "longer than");
        cr_assert_eq(mkfifo("fifo", 0600), 0);
        parse_bad("fifo", -EINVAL, "neither a directory nor an archive");
}

/* ---- extraction: good archives -------------------------------------------------------------- */

static const char SKILL_MD[] = "---\nname: calc\ndescription: Adds numbers.\n---\nUse it.\n";

Test(source_extract, good_tar_gz) {
        const struct ent e[] = {
                { "./", E_DIR, NULL, 0, 0 }, /* the root entry `tar -C dir .` writes */
                { "./calc/", E_DIR, NULL, 0, 0 },
                { "./calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "./calc/scripts/main.py", E_FILE, "print(1)\n", 0755, 0 },
                { "calc/setuid.sh", E_FILE, "#!/bin/sh\n", 04777, 0 },
                { "calc/private", E_FILE, "x", 0600, 0 },
                { "calc/modeless", E_FILE, "y", PERM_NONE, 0 },
                { "calc/docs//a/./b/readme.txt", E_FILE, "nested", 0, 0 },
                { "calc/empty", E_FILE, "", 0, 0 },
                { "calc/link", E_LINK, "scripts/main.py", 0, 0 },
                { "calc/docs/a/up", E_LINK, "../../SKILL.md", 0, 0 },
                { "calc/dangling", E_LINK, "nowhere", 0, 0 },
                { "calc/wide/", E_DIR, NULL, 0777, 0 },
        };
        _cleanup_free_ char *p = make_archive("good.tar.gz", "tgz", e, ELEMENTSOF(e));
        umask(077); /* the tree's modes must not depend on the user's umask */
        struct error err = ERROR_INIT;
        cr_assert_eq(extract(p, &err), 0, "%s", err.msg);
        cr_expect_str_eq(read_at(dstfd, "calc/SKILL.md"), SKILL_MD);
        cr_expect_str_eq(read_at(dstfd, "calc/docs/a/b/readme.txt"), "nested");
        cr_expect_str_eq(read_at(dstfd, "calc/empty"), "");
        cr_expect_eq(mode_at(dstfd, "calc") & 07777, 0755);
        cr_expect_eq(mode_at(dstfd, "calc/scripts") & 07777, 0755, "implicit directories are 0755 too");
        cr_expect_eq(mode_at(dstfd, "calc/wide") & 07777, 0755, "never world-writable");
        cr_expect_eq(mode_at(dstfd, "calc/SKILL.md") & 07777, 0644);
        cr_expect_eq(mode_at(dstfd, "calc/scripts/main.py") & 07777, 0755, "the exec bit survives");
        cr_expect_eq(mode_at(dstfd, "calc/setuid.sh") & 07777, 0755, "no setuid, no world write");
        cr_expect_eq(mode_at(dstfd, "calc/private") & 07777, 0600);
        cr_expect_eq(mode_at(dstfd, "calc/modeless") & 07777, 0400, "the owner can always read");
        char target[256];
        ssize_t n = readlinkat(dstfd, "calc/link", target, sizeof(target) - 1);
        cr_assert_gt(n, 0);
        target[n] = '\0';
        cr_expect_str_eq(target, "scripts/main.py");
        cr_expect_str_eq(read_at_flags(dstfd, "calc/docs/a/up", 0) /* follows: inside */, SKILL_MD);
        cr_expect(S_ISLNK(mode_at(dstfd, "calc/dangling")));
        cr_expect_eq(count_entries(dst), 1);
}

Test(source_extract, good_zip_with_implicit_directories) {
        const struct ent e[] = {
                { "pack/calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "pack/calc/scripts/main.sh", E_FILE, "#!/bin/sh\necho '{}'\n", 0755, 0 },
                { "pack/calc/", E_DIR, NULL, 0, 0 }, /* after its files: still fine */
                { "pack/other/SKILL.md", E_FILE, "---\nname: other\n---\n", 0, 0 },
                { "pack/calc/self", E_LINK, "SKILL.md", 0, 0 },
                { "pack/zeros.bin", E_ZEROS, NULL, 0, 100000 }, /* ratio ~1000, under the floor */
        };
        _cleanup_free_ char *p = make_archive("good.zip", "zip", e, ELEMENTSOF(e));
        struct error err = ERROR_INIT;
        cr_assert_eq(extract(p, &err), 0, "%s", err.msg);
        cr_expect_str_eq(read_at(dstfd, "pack/calc/SKILL.md"), SKILL_MD);
        cr_expect_str_eq(read_at(dstfd, "pack/calc/scripts/main.sh"), "#!/bin/sh\necho '{}'\n");
        cr_expect_eq(mode_at(dstfd, "pack/calc/scripts/main.sh") & 0777, 0755);
        cr_expect(S_ISLNK(mode_at(dstfd, "pack/calc/self")));
        struct stat st;
        cr_assert_eq(fstatat(dstfd, "pack/zeros.bin", &st, 0), 0);
        cr_expect_eq(st.st_size, 100000);
}

Test(source_extract, plain_tar_and_empty_tar) {
        const struct ent e[] = { { "s/SKILL.md", E_FILE, SKILL_MD, 0, 0 } };
        _cleanup_free_ char *p = make_archive("s.tar", "tar", e, 1);
        struct error err = ERROR_INIT;
        cr_assert_eq(extract(p, &err), 0, "%s", err.msg);
        cr_expect_str_eq(read_at(dstfd, "s/SKILL.md"), SKILL_MD);
        cr_assert_eq(unlinkat(dstfd, "s/SKILL.md", 0), 0);
        cr_assert_eq(unlinkat(dstfd, "s", AT_REMOVEDIR), 0);
        _cleanup_free_ char *empty = make_archive("empty.tar", "tar", NULL, 0);
        cr_assert_eq(extract(empty, &err), 0, "%s", err.msg);
        cr_expect_eq(count_entries(dst), 0);
}

Test(source_extract, not_an_archive) {
        put("notes.zip", "just some text, no archive at all\n");
        _cleanup_free_ char *p = tmp_path("notes.zip");
        expect_refused(p, -EIO, "not a zip or tar archive");
        expect_refused("/nonexistent.zip", -ENOENT, "No such file");
        expect_refused(tmp, -EIO, "not a regular file");
}

Test(source_extract, link_target_rules) {
        static const struct {
                const char *entry, *target;
                bool ok;
        } t[] = {
                { "a", "b", true },
                { "a", "./b/c", true },
                { "a", ".", true },
                { "d/a", "../b", true },
                { "d/e/a", "../../b/c", true },
                { "d/e/a", "../x/../y", false }, /* ".." after a name: x may be a symlink */
                { "a", "../b", false },
                { "d/a", "../../b", false },
                { "a", "/etc/passwd", false },
                { "a", "", false },
                { "a", "b/../../c", false },
                { "a", "b/..", false },
                { "d/a", "..", true },
                { "d/a", "../..", false },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++)
                cr_expect_eq(link_rule_ok(t[i].entry, t[i].target), t[i].ok, "%s -> %s",
                             t[i].entry, t[i].target);
}

/* ---- extraction: attacks -------------------------------------------------------------------- */

Test(source_attack, tar_slip) {
        const struct ent e[] = {
                { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "../evil.sh", E_FILE, "pwned", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("slip.tar.gz", "tgz", e, ELEMENTSOF(e));
        expect_refused(p, -EPERM, "'..'");
        cr_expect(!tmp_exists("evil.sh"), "nothing may land next to dst");
        const struct ent deep[] = { { "calc/../../../evil.sh", E_FILE, "pwned", 0, 0 } };
        _cleanup_free_ char *q = make_archive("slip2.tgz", "tgz", deep, 1);
        expect_refused(q, -EPERM, "'..'");
        const struct ent dir[] = { { "calc/../../", E_DIR, NULL, 0, 0 } };
        _cleanup_free_ char *d = make_archive("slip3.tar", "tar", dir, 1);
        expect_refused(d, -EPERM, "'..'");
}

Test(source_attack, zip_slip) {
        const struct ent e[] = {
                { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "calc/../../../../tmp/zip-slip-evil", E_FILE, "pwned", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("slip.zip", "zip", e, ELEMENTSOF(e));
        expect_refused(p, -EPERM, "'..'");
        cr_expect(access("/tmp/zip-slip-evil", F_OK) != 0);
        /* Windows separators: libarchive reads "..\\" in a zip as "../" */
        const struct ent w[] = { { "..\\..\\evil.bat", E_FILE, "pwned", 0, 0 } };
        _cleanup_free_ char *q = make_archive("win.zip", "zip", w, 1);
        expect_refused(q, -EPERM, "'..'");
        /* in a tar it stays a backslash, which a Windows tool would still split on */
        _cleanup_free_ char *t = make_archive("win.tar", "tar", w, 1);
        expect_refused(t, -EPERM, "backslash");
}

Test(source_attack, absolute_paths) {
        _cleanup_free_ char *victim = tmp_path("victim");
        const struct ent e[] = { { victim, E_FILE, "pwned", 0, 0 } };
        _cleanup_free_ char *p = make_archive("abs.tar", "tar", e, 1);
        expect_refused(p, -EPERM, "absolute path");
        cr_expect(!tmp_exists("victim"));
        _cleanup_free_ char *z = make_archive("abs.zip", "zip", e, 1);
        expect_refused(z, -EPERM, "absolute path");
        cr_expect(!tmp_exists("victim"));
        const struct ent d[] = { { "/", E_DIR, NULL, 0, 0 } };
        _cleanup_free_ char *r = make_archive("root.tar", "tar", d, 1);
        expect_refused(r, -EPERM, "absolute path");
}

Test(source_attack, symlinks_leaving_the_tree) {
        const struct ent passwd[] = {
                { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "calc/data.txt", E_LINK, "/etc/passwd", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("passwd.tgz", "tgz", passwd, ELEMENTSOF(passwd));
        expect_refused(p, -EPERM, "leaves the archive");
        const char *home = getenv("HOME") ? getenv("HOME") : "/root";
        _cleanup_free_ char *key = NULL;
        cr_assert_geq(asprintf(&key, "%s/.ssh/id_ed25519", home), 0);
        const struct ent homelink[] = { { "calc/key", E_LINK, key, 0, 0 } };
        _cleanup_free_ char *h = make_archive("home.zip", "zip", homelink, 1);
        expect_refused(h, -EPERM, "leaves the archive");
        /* the same file reached by climbing */
        const struct ent climb[] = { { "calc/key", E_LINK, "../../../../../../../../home/user/.ssh/id_rsa", 0, 0 } };
        _cleanup_free_ char *c = make_archive("climb.tar", "tar", climb, 1);
        expect_refused(c, -EPERM, "leaves the archive");
        /* one level out of the tree is out */
        const struct ent sibling[] = { { "calc/up", E_LINK, "../../dst-sibling", 0, 0 } };
        _cleanup_free_ char *s = make_archive("sibling.tar", "tar", sibling, 1);
        expect_refused(s, -EPERM, "leaves the archive");
}

Test(source_attack, symlink_chain_escape) {
        /* Each link alone has no more ".." than directories above it, together they climb:
         * d/e -> ".." is the root, x/s -> "../d/e" is the root too, so x/t -> "s/.." would be
         * the root's parent. The rule on ".." after a name is what stops x/t. */
        const struct ent e[] = {
                { "d/e", E_LINK, "..", 0, 0 },
                { "x/s", E_LINK, "../d/e", 0, 0 },
                { "x/t", E_LINK, "s/..", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("chain.tar", "tar", e, ELEMENTSOF(e));
        expect_refused(p, -EPERM, "'x/t' -> 's/..' leaves the archive");
        /* proof that the chain does climb: the same links made by hand */
        cr_assert_eq(mkdir("chain", 0755), 0);
        cr_assert_eq(mkdir("chain/d", 0755), 0);
        cr_assert_eq(mkdir("chain/x", 0755), 0);
        cr_assert_eq(symlink("..", "chain/d/e"), 0);
        cr_assert_eq(symlink("../d/e", "chain/x/s"), 0);
        cr_assert_eq(symlink("s/..", "chain/x/t"), 0);
        _cleanup_free_ char *real = realpath("chain/x/t", NULL);
        cr_assert_not_null(real);
        cr_expect_str_eq(real, tmp, "x/t resolves to the parent of the tree");
}

Test(source_attack, write_through_a_symlink) {
        /* A link that stays inside, then an entry below it: the write must not follow it. */
        const struct ent e[] = {
                { "real/", E_DIR, NULL, 0, 0 },
                { "alias", E_LINK, "real", 0, 0 },
                { "alias/SKILL.md", E_FILE, "through the link", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("through.tar", "tar", e, ELEMENTSOF(e));
        expect_refused(p, -EPERM, "written through a symlink");
        /* and deeper: the link is a middle component */
        const struct ent f[] = {
                { "a/b/", E_DIR, NULL, 0, 0 },
                { "a/l", E_LINK, "b", 0, 0 },
                { "a/l/c/d.txt", E_FILE, "x", 0, 0 },
        };
        _cleanup_free_ char *q = make_archive("through2.zip", "zip", f, ELEMENTSOF(f));
        expect_refused(q, -EPERM, "written through a symlink");
        /* a symlink replaced by a file of the same name */
        const struct ent g[] = {
                { "x", E_LINK, "real", 0, 0 },
                { "x", E_FILE, "replace", 0, 0 },
        };
        _cleanup_free_ char *r = make_archive("replace.tar", "tar", g, ELEMENTSOF(g));
        expect_refused(r, -EPERM, "appears twice");
}

Test(source_attack, file_below_a_file) {
        const struct ent e[] = {
                { "f", E_FILE, "x", 0, 0 },
                { "f/g", E_FILE, "y", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("below.tar", "tar", e, ELEMENTSOF(e));
        expect_refused(p, -EPERM, "below a file");
        const struct ent d[] = {
                { "f", E_FILE, "x", 0, 0 },
                { "f/", E_DIR, NULL, 0, 0 },
        };
        _cleanup_free_ char *q = make_archive("filedir.tar", "tar", d, ELEMENTSOF(d));
        expect_refused(q, -EPERM, "appears twice");
        const struct ent dd[] = {
                { "f/", E_DIR, NULL, 0, 0 },
                { "f", E_FILE, "x", 0, 0 },
        };
        _cleanup_free_ char *r = make_archive("dirfile.tar", "tar", dd, ELEMENTSOF(dd));
        expect_refused(r, -EPERM, "appears twice");
}

Test(source_attack, hard_link) {
        const struct ent e[] = {
                { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "calc/passwd", E_HARD, "/etc/passwd", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("hard.tar", "tar", e, ELEMENTSOF(e));
        expect_refused(p, -EPERM, "hard link");
        const struct ent inside[] = {
                { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "calc/copy", E_HARD, "calc/SKILL.md", 0, 0 },
        };
        _cleanup_free_ char *q = make_archive("hard2.tgz", "tgz", inside, ELEMENTSOF(inside));
        expect_refused(q, -EPERM, "hard link");
}

Test(source_attack, devices_and_fifos) {
        static const enum ent_type types[] = { E_CHR, E_BLK, E_FIFO };
        for (size_t i = 0; i < ELEMENTSOF(types); i++) {
                const struct ent e[] = {
                        { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                        { "calc/special", types[i], NULL, 0, 0 },
                };
                char name[32];
                snprintf(name, sizeof(name), "special%zu.tar", i);
                _cleanup_free_ char *p = make_archive(name, "tar", e, ELEMENTSOF(e));
                expect_refused(p, -EPERM, "device, FIFO or socket");
        }
}

Test(source_attack, zip_bomb) {
        /* 16 MiB of zeros deflate to ~16 KB: a ratio near 1000, far above 200. */
        const struct ent e[] = {
                { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "calc/bomb.bin", E_ZEROS, NULL, 0, 16u << 20 },
        };
        _cleanup_free_ char *p = make_archive("bomb.zip", "zip", e, ELEMENTSOF(e));
        struct stat st;
        cr_assert_eq(stat(p, &st), 0);
        cr_assert_lt(st.st_size, (16 << 20) / 500, "the test archive should be a bomb");
        expect_refused(p, -E2BIG, "zip bomb");
        _cleanup_free_ char *t = make_archive("bomb.tgz", "tgz", e, ELEMENTSOF(e));
        expect_refused(t, -E2BIG, "zip bomb");
}

/* Overwrite every uncompressed-size field of a (small, deflated) zip with 10: local headers,
 * data descriptors and the central directory. */
static void zip_lie_about_sizes(const char *path) {
        FILE *f = fopen(path, "r+b");
        cr_assert_not_null(f);
        static unsigned char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof(buf), f);
        cr_assert_lt(n, sizeof(buf));
        int patched = 0;
        for (size_t i = 0; i + 30 < n; i++) {
                size_t at = 0;
                if (!memcmp(buf + i, "PK\x03\x04", 4))
                        at = i + 22;
                else if (!memcmp(buf + i, "PK\x07\x08", 4))
                        at = i + 12;
                else if (!memcmp(buf + i, "PK\x01\x02", 4))
                        at = i + 24;
                if (!at)
                        continue;
                uint32_t v;
                memcpy(&v, buf + at, 4);
                if (v == 0 || v == 0xffffffffu)
                        continue; /* unset, or in a zip64 field */
                buf[at] = 10, buf[at + 1] = 0, buf[at + 2] = 0, buf[at + 3] = 0;
                patched++;
        }
        cr_assert_gt(patched, 0, "no size field found to patch");
        rewind(f);
        cr_assert_eq(fwrite(buf, 1, n, f), n);
        fclose(f);
}

Test(source_attack, lying_size_header) {
        /* The zip says 10 bytes; the data inflates to 4 MiB. Only counting what comes out of
         * the decompressor stops it at the 1 MiB per-file cap (ratio checks off). */
        const struct ent e[] = { { "calc/liar.bin", E_ZEROS, NULL, 0, 4u << 20 } };
        _cleanup_free_ char *p = make_archive("liar.zip", "zip", e, 1);
        zip_lie_about_sizes(p);
        struct source_archive_limits lim = SOURCE_ARCHIVE_LIMITS;
        lim.max_file_bytes = 1u << 20;
        lim.max_ratio = 0;
        struct error err = ERROR_INIT;
        int r = source_extract_archive_limited(p, dstfd, &lim, &err);
        cr_expect_eq(r, -E2BIG, "%d %s", r, err.msg);
        cr_expect_not_null(strstr(err.msg, "larger than 1048576 bytes"), "%s", err.msg);
        cr_expect_eq(count_entries(dst), 0);
        /* with the defaults, the ratio stops it */
        error_clear(&err);
        r = extract(p, &err);
        cr_expect_eq(r, -E2BIG, "%d %s", r, err.msg);
}

Test(source_attack, size_caps) {
        struct source_archive_limits lim = SOURCE_ARCHIVE_LIMITS;
        lim.max_file_bytes = 1000;
        lim.max_total_bytes = 2500;
        struct error err = ERROR_INIT;
        /* a tar header announcing more than the cap: refused before reading */
        const struct ent big[] = { { "big", E_ZEROS, NULL, 0, 1001 } };
        _cleanup_free_ char *p = make_archive("big.tar", "tar", big, 1);
        cr_expect_eq(source_extract_archive_limited(p, dstfd, &lim, &err), -E2BIG);
        cr_expect_not_null(strstr(err.msg, "larger than 1000 bytes"), "%s", err.msg);
        /* exactly at the cap is fine */
        const struct ent fits[] = { { "fits", E_ZEROS, NULL, 0, 1000 } };
        _cleanup_free_ char *q = make_archive("fits.tar", "tar", fits, 1);
        error_clear(&err);
        cr_expect_eq(source_extract_archive_limited(q, dstfd, &lim, &err), 0, "%s", err.msg);
        cr_assert_eq(unlinkat(dstfd, "fits", 0), 0);
        /* many files under the per-file cap, over the total */
        const struct ent many[] = {
                { "a", E_ZEROS, NULL, 0, 900 }, { "b", E_ZEROS, NULL, 0, 900 }, { "c", E_ZEROS, NULL, 0, 900 },
        };
        _cleanup_free_ char *m = make_archive("many.tar", "tar", many, 3);
        error_clear(&err);
        cr_expect_eq(source_extract_archive_limited(m, dstfd, &lim, &err), -E2BIG);
        cr_expect_not_null(strstr(err.msg, "more than 2500 bytes"), "%s", err.msg);
        cr_expect_eq(count_entries(dst), 0);
}

Test(source_attack, too_many_entries) {
        /* Every header counts, also the "./" entries that create nothing (and cost nothing to
         * extract here: this machine's file creation is slow). */
        struct ent *e = calloc(SOURCE_ARCHIVE_MAX_ENTRIES + 1, sizeof(*e));
        cr_assert_not_null(e);
        for (size_t i = 0; i <= SOURCE_ARCHIVE_MAX_ENTRIES; i++)
                e[i] = (struct ent) { "./", E_DIR, NULL, 0, 0 };
        e[0] = (struct ent) { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 };
        /* exactly the cap is accepted, one more is refused */
        _cleanup_free_ char *ok = make_archive("max.tar", "tar", e, SOURCE_ARCHIVE_MAX_ENTRIES);
        _cleanup_free_ char *over = make_archive("over.tgz", "tgz", e, SOURCE_ARCHIVE_MAX_ENTRIES + 1);
        free(e);
        struct error err = ERROR_INIT;
        cr_expect_eq(extract(ok, &err), 0, "%s", err.msg);
        cr_expect_str_eq(read_at(dstfd, "calc/SKILL.md"), SKILL_MD);
        reset_dst();
        expect_refused(over, -E2BIG, "more than 10000 entries");
        /* with real entries of every kind, under a lower cap */
        struct source_archive_limits lim = SOURCE_ARCHIVE_LIMITS;
        lim.max_entries = 3;
        const struct ent four[] = {
                { "a", E_FILE, "", 0, 0 }, { "b/", E_DIR, NULL, 0, 0 }, { "c", E_LINK, "a", 0, 0 }, { "d", E_FILE, "", 0, 0 },
        };
        _cleanup_free_ char *f = make_archive("four.tar", "tar", four, 4);
        error_clear(&err);
        cr_expect_eq(source_extract_archive_limited(f, dstfd, &lim, &err), -E2BIG);
        cr_expect_not_null(strstr(err.msg, "more than 3 entries"), "%s", err.msg);
        cr_expect_eq(count_entries(dst), 0);
        lim.max_entries = 4;
        error_clear(&err);
        cr_expect_eq(source_extract_archive_limited(f, dstfd, &lim, &err), 0, "%s", err.msg);
        cr_expect_eq(count_entries(dst), 4);
}

Test(source_attack, duplicates_and_odd_names) {
        const struct ent twice[] = {
                { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "calc/SKILL.md", E_FILE, "---\nname: other\n---\n", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("twice.zip", "zip", twice, 2);
        expect_refused(p, -EPERM, "appears twice");
        /* the same name spelled differently is the same entry */
        const struct ent spelled[] = {
                { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "./calc//./SKILL.md", E_FILE, "evil", 0, 0 },
        };
        _cleanup_free_ char *q = make_archive("spelled.tar", "tar", spelled, 2);
        expect_refused(q, -EPERM, "appears twice");
        const struct ent dirs[] = { { "calc/", E_DIR, NULL, 0, 0 }, { "calc", E_DIR, NULL, 0, 0 } };
        _cleanup_free_ char *d = make_archive("dirs.tar", "tar", dirs, 2);
        expect_refused(d, -EPERM, "appears twice");
        const struct ent ctl[] = { { "calc/SKILL.md\n", E_FILE, "x", 0, 0 } };
        _cleanup_free_ char *c = make_archive("ctl.tar", "tar", ctl, 1);
        expect_refused(c, -EPERM, "control character");
        const struct ent dot[] = { { ".", E_FILE, "x", 0, 0 } };
        _cleanup_free_ char *t = make_archive("dot.tar", "tar", dot, 1);
        expect_refused(t, -EPERM, "root");
}

Test(source_attack, too_deep_and_too_long) {
        char deep[256] = "";
        for (int i = 0; i < SOURCE_ARCHIVE_MAX_DEPTH; i++)
                strncat(deep, "d/", sizeof(deep) - strlen(deep) - 1);
        char fits[256];
        snprintf(fits, sizeof(fits), "%.*sf", (SOURCE_ARCHIVE_MAX_DEPTH - 1) * 2, deep);
        const struct ent ok[] = { { fits, E_FILE, "x", 0, 0 } };
        _cleanup_free_ char *p = make_archive("fits.tar", "tar", ok, 1);
        struct error err = ERROR_INIT;
        cr_expect_eq(extract(p, &err), 0, "%s", err.msg);
        reset_dst();
        strncat(deep, "f", sizeof(deep) - strlen(deep) - 1);
        const struct ent over[] = { { deep, E_FILE, "x", 0, 0 } };
        _cleanup_free_ char *q = make_archive("deep.tar", "tar", over, 1);
        expect_refused(q, -E2BIG, "nested more than 32 deep");
        char longname[300];
        memset(longname, 'n', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        const struct ent lng[] = { { longname, E_FILE, "x", 0, 0 } };
        _cleanup_free_ char *l = make_archive("long.tar", "tar", lng, 1);
        expect_refused(l, -E2BIG, "longer than 255");
}

/* ---- git ------------------------------------------------------------------------------------ */

/* git with a fixed identity, no system config, HOME in the test directory. */
static int git(const char *dir, const char *a1, const char *a2, const char *a3, const char *a4) {
        char *argv[16] = { "/usr/bin/git", "-C", (char *) dir, "-c", "user.name=Test", "-c",
                           "user.email=test@example.invalid", "-c", "init.defaultBranch=main",
                           (char *) a1, (char *) a2, (char *) a3, (char *) a4, NULL };
        return run(argv);
}

static void git_env(void) {
        _cleanup_free_ char *home = tmp_path("home");
        cr_assert_eq(mkdir(home, 0755), 0);
        setenv("HOME", home, 1);
        setenv("XDG_CONFIG_HOME", home, 1);
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
}

/* A committed repository at tmp/rel holding skills/alpha and skills/beta (name "beta-skill"). */
static char *make_repo(const char *rel) {
        char buf[1024];
        snprintf(buf, sizeof(buf), "%s/skills/alpha", rel);
        put_skill(buf, "alpha");
        snprintf(buf, sizeof(buf), "%s/skills/beta", rel);
        put_skill(buf, "beta-skill");
        snprintf(buf, sizeof(buf), "%s/README.md", rel);
        put(buf, "two skills\n");
        char *dir = tmp_path(rel);
        cr_assert_eq(git(dir, "init", "-q", NULL, NULL), 0);
        cr_assert_eq(git(dir, "add", "-A", NULL, NULL), 0);
        cr_assert_eq(git(dir, "commit", "-q", "-m", "init"), 0);
        return dir;
}

static void commit_all(const char *dir) {
        cr_assert_eq(git(dir, "add", "-A", NULL, NULL), 0);
        cr_assert_eq(git(dir, "commit", "-q", "-m", "more"), 0);
}

Test(source_git, clone_file_url_without_dot_git) {
        git_env();
        _cleanup_free_ char *repo = make_repo("repo");
        _cleanup_free_ char *url = NULL, *out = tmp_path("out");
        cr_assert_geq(asprintf(&url, "file://%s", repo), 0);
        struct error err = ERROR_INIT;
        cr_assert_eq(source_git_clone(url, out, &err), 0, "%s", err.msg);
        int fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(fd, 0);
        cr_expect_str_eq(read_at(fd, "README.md"), "two skills\n");
        cr_expect(exists_at(fd, "skills/alpha/SKILL.md"));
        cr_expect(exists_at(fd, "skills/beta/SKILL.md"));
        cr_expect(!exists_at(fd, ".git"), ".git must be removed");
        close(fd);
        /* dst must not exist */
        error_clear(&err);
        cr_expect_eq(source_git_clone(url, out, &err), -EEXIST);
}

Test(source_git, clone_bare_repository_and_failures) {
        git_env();
        _cleanup_free_ char *repo = make_repo("repo");
        _cleanup_free_ char *bare = tmp_path("bare.git");
        char *argv[] = { "/usr/bin/git", "clone", "-q", "--bare", repo, bare, NULL };
        cr_assert_eq(run(argv), 0);
        _cleanup_free_ char *url = NULL, *out = tmp_path("out");
        cr_assert_geq(asprintf(&url, "file://%s", bare), 0);
        struct error err = ERROR_INIT;
        cr_assert_eq(source_git_clone(url, out, &err), 0, "%s", err.msg);
        _cleanup_free_ char *missing = NULL, *out2 = tmp_path("out2");
        cr_assert_geq(asprintf(&missing, "file://%s/nothing-here", tmp), 0);
        error_clear(&err);
        cr_expect_eq(source_git_clone(missing, out2, &err), -EIO);
        cr_expect_not_null(strstr(err.msg, "cloning"), "%s", err.msg);
        cr_expect(!tmp_exists("out2"), "a failed clone leaves nothing");
        /* an empty repository has nothing to check out */
        _cleanup_free_ char *empty = tmp_path("empty");
        cr_assert_eq(mkdir(empty, 0755), 0);
        cr_assert_eq(git(empty, "init", "-q", NULL, NULL), 0);
        _cleanup_free_ char *eurl = NULL, *out3 = tmp_path("out3");
        cr_assert_geq(asprintf(&eurl, "file://%s", empty), 0);
        error_clear(&err);
        cr_expect_lt(source_git_clone(eurl, out3, &err), 0);
        cr_expect(!tmp_exists("out3"));
}

Test(source_git, hooks_never_run) {
        git_env();
        _cleanup_free_ char *repo = make_repo("repo");
        /* Hooks reach a new clone from the template directory and from core.hooksPath; git
         * runs post-checkout at the end of a clone. */
        _cleanup_free_ char *marker = tmp_path("HOOK_RAN");
        char hook[1024];
        snprintf(hook, sizeof(hook), "#!/bin/sh\ntouch '%s'\n", marker);
        put("tpl/hooks/post-checkout", hook);
        put("hooks/post-checkout", hook);
        _cleanup_free_ char *h1 = tmp_path("tpl/hooks/post-checkout"), *h2 = tmp_path("hooks/post-checkout");
        cr_assert_eq(chmod(h1, 0755), 0);
        cr_assert_eq(chmod(h2, 0755), 0);
        char cfg[2048];
        snprintf(cfg, sizeof(cfg), "[init]\n\ttemplateDir = %s/tpl\n[core]\n\thooksPath = %s/hooks\n", tmp, tmp);
        put("home/.gitconfig", cfg);
        _cleanup_free_ char *url = NULL, *out = tmp_path("out");
        cr_assert_geq(asprintf(&url, "file://%s", repo), 0);
        struct error err = ERROR_INIT;
        cr_assert_eq(source_git_clone(url, out, &err), 0, "%s", err.msg);
        cr_expect(!tmp_exists("HOOK_RAN"), "libgit2 ran a hook");
        /* control: the same setup makes git itself run the hook, so the test can fail */
        _cleanup_free_ char *ctl = tmp_path("control");
        char *argv[] = { "/usr/bin/git", "clone", "-q", url, ctl, NULL };
        cr_assert_eq(run(argv), 0);
        cr_expect(tmp_exists("HOOK_RAN"), "the control clone should have run the hook");
}

Test(source_git, symlink_leaving_the_repository) {
        git_env();
        _cleanup_free_ char *repo = make_repo("repo");
        _cleanup_free_ char *link = tmp_path("repo/skills/alpha/data");
        cr_assert_eq(symlink("/etc/passwd", link), 0);
        commit_all(repo);
        _cleanup_free_ char *url = NULL, *out = tmp_path("out");
        cr_assert_geq(asprintf(&url, "file://%s", repo), 0);
        struct error err = ERROR_INIT;
        cr_expect_eq(source_git_clone(url, out, &err), -EPERM, "%s", err.msg);
        cr_expect_not_null(strstr(err.msg, "leaves the repository"), "%s", err.msg);
        cr_expect(!tmp_exists("out"), "nothing is checked out");
        /* a link inside is fine */
        cr_assert_eq(unlink(link), 0);
        cr_assert_eq(symlink("../beta/SKILL.md", link), 0);
        commit_all(repo);
        error_clear(&err);
        cr_expect_eq(source_git_clone(url, out, &err), 0, "%s", err.msg);
}

Test(source_git, caps_hold_before_checkout) {
        git_env();
        _cleanup_free_ char *repo = make_repo("repo");
        char rel[512] = "repo";
        for (int i = 0; i <= SOURCE_ARCHIVE_MAX_DEPTH; i++)
                strncat(rel, "/d", sizeof(rel) - strlen(rel) - 1);
        strncat(rel, "/f", sizeof(rel) - strlen(rel) - 1);
        put(rel, "deep");
        commit_all(repo);
        _cleanup_free_ char *url = NULL, *out = tmp_path("out");
        cr_assert_geq(asprintf(&url, "file://%s", repo), 0);
        struct error err = ERROR_INIT;
        cr_expect_eq(source_git_clone(url, out, &err), -E2BIG, "%s", err.msg);
        cr_expect_not_null(strstr(err.msg, "nested more than 32"), "%s", err.msg);
        cr_expect(!tmp_exists("out"));
}

Test(source_git, submodules_are_not_fetched) {
        git_env();
        _cleanup_free_ char *repo = make_repo("repo");
        _cleanup_free_ char *other = make_repo("other");
        char gm[1024];
        snprintf(gm, sizeof(gm), "[submodule \"vendor\"]\n\tpath = vendor\n\turl = file://%s\n", other);
        put("repo/.gitmodules", gm);
        cr_assert_eq(git(repo, "update-index", "--add", "--cacheinfo",
                         "160000,1111111111111111111111111111111111111111,vendor"), 0);
        commit_all(repo);
        _cleanup_free_ char *url = NULL, *out = tmp_path("out");
        cr_assert_geq(asprintf(&url, "file://%s", repo), 0);
        struct error err = ERROR_INIT;
        cr_assert_eq(source_git_clone(url, out, &err), 0, "%s", err.msg);
        cr_expect(!tmp_exists("out/vendor/skills"), "the submodule's files must not be there");
        cr_expect(tmp_exists("out/skills/alpha/SKILL.md"));
}

/* A loopback HTTP server that answers every request with 401: libgit2 has no credential
 * callback, so the clone must fail at once instead of asking. */
Test(source_git, authentication_fails_without_prompting) {
        int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        cr_assert_geq(s, 0);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        cr_assert_eq(bind(s, (struct sockaddr *) &sa, sizeof(sa)), 0);
        cr_assert_eq(listen(s, 8), 0);
        socklen_t sl = sizeof(sa);
        cr_assert_eq(getsockname(s, (struct sockaddr *) &sa, &sl), 0);
        pid_t pid = fork();
        cr_assert_geq(pid, 0);
        if (pid == 0) {
                static const char resp[] = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n"
                                           "Content-Length: 0\r\nConnection: close\r\n\r\n";
                for (int i = 0; i < 16; i++) {
                        int c = accept(s, NULL, NULL);
                        if (c < 0)
                                _exit(0);
                        char req[4096];
                        (void) !read(c, req, sizeof(req));
                        (void) !write(c, resp, sizeof(resp) - 1);
                        close(c);
                }
                _exit(0);
        }
        close(s);
        char url[128];
        snprintf(url, sizeof(url), "http://user:secret@127.0.0.1:%u/o/r.git", ntohs(sa.sin_port));
        _cleanup_free_ char *out = tmp_path("out");
        struct error err = ERROR_INIT;
        int r = source_git_clone(url, out, &err);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        cr_expect_eq(r, -EIO, "%d %s", r, err.msg);
        cr_expect_not_null(strstr(err.msg, "authentication required"), "%s", err.msg);
        cr_expect_null(strstr(err.msg, "secret"), "the password must not be shown: %s", err.msg);
        cr_expect(!tmp_exists("out"));
}

/* ---- finding skills ------------------------------------------------------------------------- */

static void find_expect(const char *dir, const char *const *want, size_t n_want) {
        char **paths = NULL;
        size_t n = 99;
        struct error err = ERROR_INIT;
        cr_assert_eq(source_find_skills(dir, &paths, &n, &err), 0, "%s", err.msg);
        cr_assert_not_null(paths);
        cr_expect_eq(n, n_want, "found %zu, want %zu", n, n_want);
        for (size_t i = 0; i < n && i < n_want; i++) {
                _cleanup_free_ char *w = tmp_path(want[i]);
                cr_expect_str_eq(paths[i], w);
        }
        cr_expect_null(paths[n], "NULL-terminated");
        strv_free(paths);
}

Test(source_find, nested_layouts) {
        put_skill("src/a", "a");
        put_skill("src/a/sub", "inside-a");          /* a skill's own subdirectory: not searched */
        put_skill("src/b/c", "c");
        put_skill("src/d/e/f/g", "g");               /* depth 4: found */
        put_skill("src/h/i/j/k/l", "l");             /* depth 5: too deep */
        put_skill("src/.hidden/x", "x");
        put_skill("src/node_modules/y", "y");
        put_skill("src/Z", "z");                     /* sorted by path: uppercase first */
        put("src/m/SKILL.md/README", "a directory named SKILL.md is not a SKILL.md");
        put("elsewhere/SKILL.md", "---\nname: elsewhere\n---\n");
        _cleanup_free_ char *target = tmp_path("elsewhere");
        _cleanup_free_ char *link = tmp_path("src/linked");
        cr_assert_eq(symlink(target, link), 0);       /* symlinked directories are not followed */
        put("real.md", "---\nname: n\n---\n");
        cr_assert_eq(mkdir("src/n", 0755), 0);
        cr_assert_eq(symlink("../../real.md", "src/n/SKILL.md"), 0); /* nor symlinked SKILL.md */
        static const char *const want[] = { "src/Z", "src/a", "src/b/c", "src/d/e/f/g" };
        find_expect("src", want, ELEMENTSOF(want));
        _cleanup_free_ char *abs = tmp_path("src");
        find_expect(abs, want, ELEMENTSOF(want));
}

Test(source_find, root_is_a_skill) {
        put_skill("calc", "calc");
        put_skill("calc/examples/other", "other");
        static const char *const want[] = { "calc" };
        find_expect("calc", want, 1);
}

Test(source_find, none_missing_and_too_many) {
        cr_assert_eq(mkdir("empty", 0755), 0);
        find_expect("empty", NULL, 0);
        char **paths = NULL;
        size_t n = 0;
        struct error err = ERROR_INIT;
        cr_expect_eq(source_find_skills("missing", &paths, &n, &err), -ENOENT);
        for (int i = 0; i <= SOURCE_MAX_SKILLS; i++) {
                char dir[64];
                snprintf(dir, sizeof(dir), "many/s%03d", i);
                put_skill(dir, "s");
        }
        error_clear(&err);
        cr_expect_eq(source_find_skills("many", &paths, &n, &err), -E2BIG);
        cr_expect_not_null(strstr(err.msg, "more than 256 skills"), "%s", err.msg);
}

/* ---- fetch ---------------------------------------------------------------------------------- */

static void fetched_donep(struct source_fetched *f) {
        source_fetched_done(f);
}
#define _cleanup_fetched_ _cleanup_(fetched_donep)

static void spec_donep(struct source_spec *s) {
        source_spec_done(s);
}
#define _cleanup_spec_ _cleanup_(spec_donep)

static int fetch(const char *arg, struct source_fetched *f, struct error *err) {
        _cleanup_spec_ struct source_spec spec = { 0 };
        int r = source_parse(arg, &spec, err);
        if (r < 0)
                return r;
        _cleanup_free_ char *parent = tmp_path("fetch");
        (void) mkdir(parent, 0755);
        return source_fetch(&spec, parent, f, err);
}

Test(source_fetch, directory_is_not_copied) {
        put_skill("skills/alpha", "alpha");
        put_skill("skills/beta", "beta");
        _cleanup_fetched_ struct source_fetched f = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(fetch("skills", &f, &err), 0, "%s", err.msg);
        cr_expect_null(f.root);
        cr_assert_eq(f.n_skills, 2);
        _cleanup_free_ char *a = tmp_path("skills/alpha"), *b = tmp_path("skills/beta");
        cr_expect_str_eq(f.skills[0], a);
        cr_expect_str_eq(f.skills[1], b);
        source_fetched_done(&f);
        cr_assert_eq(fetch("skills@beta", &f, &err), 0, "%s", err.msg);
        cr_assert_eq(f.n_skills, 1);
        cr_expect_str_eq(f.skills[0], b);
        source_fetched_done(&f);
        cr_expect_eq(fetch("skills@gamma", &f, &err), -ENOENT);
        cr_expect_not_null(strstr(err.msg, "no skill named 'gamma'"), "%s", err.msg);
}

Test(source_fetch, archive_with_a_skill_at_its_top) {
        const struct ent e[] = {
                { "SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "scripts/main.py", E_FILE, "print(2)\n", 0755, 0 },
        };
        _cleanup_free_ char *p = make_archive("calc.tar.gz", "tgz", e, ELEMENTSOF(e));
        _cleanup_fetched_ struct source_fetched f = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(fetch("calc.tar.gz", &f, &err), 0, "%s", err.msg);
        cr_assert_not_null(f.root);
        _cleanup_free_ char *prefix = tmp_path("fetch/skilllite-source-");
        cr_expect_eq(strncmp(f.root, prefix, strlen(prefix)), 0, "%s", f.root);
        cr_expect_eq(mode_at(AT_FDCWD, f.root) & 0777, 0700, "the root is private");
        cr_assert_eq(f.n_skills, 1);
        _cleanup_free_ char *want = NULL;
        cr_assert_geq(asprintf(&want, "%s/calc", f.root), 0);
        cr_expect_str_eq(f.skills[0], want, "the directory is named after the archive");
        _cleanup_free_ char *root = strdup(f.root);
        source_fetched_done(&f);
        cr_expect(access(root, F_OK) != 0, "source_fetched_done removes the root");
}

Test(source_fetch, archive_select_by_front_matter_name) {
        const struct ent e[] = {
                { "pack/one/SKILL.md", E_FILE, "---\nname: first-skill\ndescription: x\n---\n", 0, 0 },
                { "pack/two/SKILL.md", E_FILE, "---\nname: second-skill\ndescription: y\n---\n", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("pack.zip", "zip", e, ELEMENTSOF(e));
        _cleanup_fetched_ struct source_fetched f = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(fetch("pack.zip@second-skill", &f, &err), 0, "%s", err.msg);
        cr_assert_eq(f.n_skills, 1);
        cr_expect_not_null(strstr(f.skills[0], "/pack/pack/two"), "%s", f.skills[0]);
}

Test(source_fetch, failures_leave_nothing_behind) {
        const struct ent slip[] = {
                { "calc/SKILL.md", E_FILE, SKILL_MD, 0, 0 },
                { "../../escape", E_FILE, "x", 0, 0 },
        };
        _cleanup_free_ char *p = make_archive("slip.zip", "zip", slip, ELEMENTSOF(slip));
        const struct ent none[] = { { "README", E_FILE, "no skill here", 0, 0 } };
        _cleanup_free_ char *q = make_archive("none.tgz", "tgz", none, 1);
        _cleanup_fetched_ struct source_fetched f = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(fetch("slip.zip", &f, &err), -EPERM, "%s", err.msg);
        cr_expect_null(f.root);
        _cleanup_free_ char *parent = tmp_path("fetch");
        cr_expect_eq(count_entries(parent), 0, "the temporary root must be removed");
        error_clear(&err);
        cr_expect_eq(fetch("none.tgz", &f, &err), -ENOENT, "%s", err.msg);
        cr_expect_not_null(strstr(err.msg, "holds no skill"), "%s", err.msg);
        cr_expect_eq(count_entries(parent), 0);
}

static int copy_hook(const char *url, const char *dst_path, uint64_t max, struct error *err) {
        cr_assert_eq(max, SOURCE_DOWNLOAD_MAX_BYTES);
        if (!strstr(url, "good.tgz"))
                return error_set(err, -EIO, "HTTP 404");
        _cleanup_free_ char *src = tmp_path("served.tgz");
        char *argv[] = { "/bin/cp", src, (char *) dst_path, NULL };
        return run(argv) == 0 ? 0 : error_set(err, -EIO, "cp failed");
}

Test(source_fetch, url_through_the_download_hook) {
        _cleanup_fetched_ struct source_fetched f = { 0 };
        struct error err = ERROR_INIT;
        source_download_hook = NULL;
        cr_expect_eq(fetch("https://example.com/good.tgz", &f, &err), -EPROTONOSUPPORT);
        const struct ent e[] = { { "SKILL.md", E_FILE, SKILL_MD, 0, 0 } };
        _cleanup_free_ char *p = make_archive("served.tgz", "tgz", e, 1);
        source_download_hook = copy_hook;
        error_clear(&err);
        cr_assert_eq(fetch("https://example.com/dl/good.tgz?x=1", &f, &err), 0, "%s", err.msg);
        cr_assert_eq(f.n_skills, 1);
        cr_expect_not_null(strstr(f.skills[0], "/good"), "named after the URL's file: %s", f.skills[0]);
        cr_expect(access(f.skills[0], F_OK) == 0);
        _cleanup_free_ char *dl = NULL;
        cr_assert_geq(asprintf(&dl, "%s/.download", f.root), 0);
        cr_expect(access(dl, F_OK) != 0, "the download is removed after extraction");
        source_fetched_done(&f);
        error_clear(&err);
        cr_expect_eq(fetch("https://example.com/missing.zip", &f, &err), -EIO);
        cr_expect_not_null(strstr(err.msg, "404"), "%s", err.msg);
        _cleanup_free_ char *parent = tmp_path("fetch");
        cr_expect_eq(count_entries(parent), 0);
        source_download_hook = NULL;
}

Test(source_fetch, github_shorthand_from_a_file_base) {
        git_env();
        _cleanup_free_ char *repo = make_repo("mirror/owner/skillrepo");
        _cleanup_free_ char *base = NULL;
        cr_assert_geq(asprintf(&base, "file://%s/mirror", tmp), 0);
        setenv("SKILLLITE_GIT_BASE", base, 1);
        cr_assert_eq(chdir("/"), 0); /* so "owner/skillrepo" is no local path */
        _cleanup_fetched_ struct source_fetched f = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(fetch("owner/skillrepo", &f, &err), 0, "%s", err.msg);
        cr_assert_eq(f.n_skills, 2);
        _cleanup_free_ char *a = NULL, *b = NULL;
        cr_assert_geq(asprintf(&a, "%s/skillrepo/skills/alpha", f.root), 0);
        cr_assert_geq(asprintf(&b, "%s/skillrepo/skills/beta", f.root), 0);
        cr_expect_str_eq(f.skills[0], a);
        cr_expect_str_eq(f.skills[1], b);
        cr_expect(access(a, F_OK) == 0);
        source_fetched_done(&f);
        /* by front-matter name (the directory is "beta") */
        cr_assert_eq(fetch("owner/skillrepo@beta-skill", &f, &err), 0, "%s", err.msg);
        cr_assert_eq(f.n_skills, 1);
        cr_expect_not_null(strstr(f.skills[0], "/skills/beta"), "%s", f.skills[0]);
        source_fetched_done(&f);
        cr_expect_eq(fetch("owner/skillrepo@nope", &f, &err), -ENOENT);
        error_clear(&err);
        cr_expect_eq(fetch("owner/missing", &f, &err), -EIO);
        _cleanup_free_ char *parent = tmp_path("fetch");
        cr_expect_eq(count_entries(parent), 0);
        /* a git URL straight away */
        _cleanup_free_ char *url = NULL;
        cr_assert_geq(asprintf(&url, "file://%s@alpha", repo), 0);
        error_clear(&err);
        cr_assert_eq(fetch(url, &f, &err), 0, "%s", err.msg);
        cr_assert_eq(f.n_skills, 1);
        cr_expect_not_null(strstr(f.skills[0], "/skillrepo/skills/alpha"), "%s", f.skills[0]);
}

Test(source_git, url_rewrites_from_git_config_are_not_applied) {
        git_env();
        _cleanup_free_ char *repo = make_repo("repo");
        _cleanup_free_ char *url = NULL, *out = tmp_path("out");
        cr_assert_geq(asprintf(&url, "file://%s", repo), 0);
        char cfg[2048];
        snprintf(cfg, sizeof(cfg), "[url \"file://%s/elsewhere\"]\n\tinsteadOf = %s\n", tmp, url);
        put("home/.gitconfig", cfg);
        struct error err = ERROR_INIT;
        cr_expect_eq(source_git_clone(url, out, &err), 0, "the URL is cloned as given: %s", err.msg);
}
