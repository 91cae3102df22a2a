/* libFuzzer target: arbitrary bytes extracted as an archive (tar, tar.gz, zip) into an empty
 * directory. Must never crash, hang or write outside it: after every input the work directory
 * holds only the input and the destination, a refusal leaves the destination empty, and every
 * symlink extracted resolves inside the destination (or nowhere). Caps are lowered so a bomb the
 * fuzzer finds costs milliseconds, not seconds. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/fileio.h"
#include "../../src/base/macros.h"
#include "../../src/skill/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char work[64], in_path[128], dst_path[128];
static size_t dst_len;

static void check(bool ok) {
        if (!ok)
                abort();
}

static void remove_work(void) {
        (void) rm_rf(work);
}

static void setup_once(void) {
        if (work[0])
                return;
        char t[] = "/tmp/fuzz-source-XXXXXX", real[PATH_MAX];
        check(mkdtemp(t) != NULL);
        check(realpath(t, real) != NULL && strlen(real) < sizeof(work));
        snprintf(work, sizeof(work), "%s", real);
        check(atexit(remove_work) == 0);
        snprintf(in_path, sizeof(in_path), "%s/in", work);
        snprintf(dst_path, sizeof(dst_path), "%s/dst", work);
        dst_len = strlen(dst_path);
}

static int count_entries(const char *dir) {
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        check(fd >= 0);
        DIR *d = fdopendir(TAKE_FD(fd));
        check(d != NULL);
        int n = 0;
        struct dirent *de;
        while ((de = readdir(d)))
                n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
        closedir(d);
        return n;
}

/* Every symlink must resolve below dst, or not at all (dangling, a loop). */
static int check_link(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        (void) st, (void) ftw;
        if (type != FTW_SL && type != FTW_SLN)
                return 0;
        char real[PATH_MAX];
        if (realpath(path, real))
                check(strncmp(real, dst_path, dst_len) == 0 && (real[dst_len] == '/' || real[dst_len] == '\0'));
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        setup_once();
        (void) rm_rf(dst_path);
        check(mkdir(dst_path, 0755) == 0);
        _cleanup_close_ int in = open(in_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        check(in >= 0);
        check(write_all(in, data, size) == 0);
        _cleanup_close_ int dst = open(dst_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        check(dst >= 0);
        const struct source_archive_limits lim = {
                .max_entries = 200, .max_file_bytes = 256 << 10, .max_total_bytes = 1 << 20,
                .max_ratio = 200, .ratio_floor = 64 << 10, .max_depth = 16,
        };
        struct error err = ERROR_INIT;
        int r = source_extract_archive_limited(in_path, dst, &lim, &err);
        check(r == 0 || r == -EPERM || r == -E2BIG || r == -EIO);
        check(r == 0 || err.code == r);
        check(count_entries(work) == 2); /* "in" and "dst", nothing beside them */
        if (r < 0)
                check(count_entries(dst_path) == 0);
        else
                check(nftw(dst_path, check_link, 16, FTW_PHYS) == 0);
        return 0;
}
