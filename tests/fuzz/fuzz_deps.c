/* libFuzzer target: bytes -> a skill of dependency manifests -> deps_extract(). The input is cut
 * at 0x1e bytes into requirements.txt, sub/more.txt, pyproject.toml, package.json,
 * package-lock.json, setup.py, setup.cfg and the compatibility text. Must never crash, hang or
 * leak, and every dependency must keep the invariants the audit relies on. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/deps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok) {
        if (!ok)
                abort();
}

static const struct {
        const char *path;
        enum scan_file_kind kind;
} FILES[] = {
        { "requirements.txt", SCAN_FILE_REQUIREMENTS }, { "sub/more.txt", SCAN_FILE_TEXT },
        { "pyproject.toml", SCAN_FILE_PYPROJECT },      { "package.json", SCAN_FILE_PACKAGE_JSON },
        { "package-lock.json", SCAN_FILE_TEXT },        { "setup.py", SCAN_FILE_SETUP_PY },
        { "setup.cfg", SCAN_FILE_SETUP_PY },
};
#define NFILES (sizeof(FILES) / sizeof(FILES[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct scan_file v[NFILES] = { 0 };
        char *compat = NULL;
        size_t start = 0, k = 0;
        for (size_t i = 0; i <= size && k <= NFILES; i++) {
                if (i < size && data[i] != 0x1e)
                        continue;
                char *chunk = malloc(i - start + 1);
                if (!chunk)
                        goto out;
                memcpy(chunk, data + start, i - start);
                chunk[i - start] = '\0';
                if (k < NFILES) {
                        v[k] = (struct scan_file) { .path = (char *) FILES[k].path, .kind = FILES[k].kind,
                                                    .data = chunk, .len = i - start, .size = i - start };
                } else
                        compat = chunk;
                k++;
                start = i + 1;
        }
        struct scan_files files = { v, k < NFILES ? k : NFILES };
        struct dependencies deps = { 0 };
        struct findings f = { 0 };
        int r = deps_extract(&files, compat, &deps, &f);
        check(r == 0 || r == -ENOMEM);
        check(deps.n <= DEPS_MAX);
        for (size_t i = 0; i < deps.n; i++) {
                const struct dependency *d = &deps.v[i];
                size_t n = strlen(d->name);
                check(n > 0 && n <= DEP_NAME_MAX && d->spec && d->file);
                for (size_t j = 0; j < n; j++)
                        check(d->name[j] > ' ' && d->name[j] < 0x7f && !(d->name[j] >= 'A' && d->name[j] <= 'Z'));
                check(d->eco == DEP_PYPI || d->eco == DEP_NPM);
                check(!d->url || !d->version); /* a URL source has no version to audit */
                for (size_t j = i + 1; deps.n <= 200 && j < deps.n; j++) /* de-duplicated */
                        check(!(deps.v[j].eco == d->eco && !strcmp(deps.v[j].name, d->name) &&
                                !strcmp(deps.v[j].spec, d->spec) && !strcmp(deps.v[j].file, d->file)));
        }
        for (size_t i = 0; i < f.n; i++)
                check(!strcmp(f.v[i].category, "supply_chain") && f.v[i].message[0]);
        json_t *j = deps_to_json(&deps);
        json_t *jf = findings_to_json(&f);
        check(r < 0 || (j && json_array_size(j) == deps.n && jf && json_array_size(jf) == f.n));
        json_decref(j);
        json_decref(jf);
        deps_done(&deps);
        findings_done(&f);
out:
        for (size_t i = 0; i < NFILES; i++)
                free(v[i].data);
        free(compat);
        return 0;
}
