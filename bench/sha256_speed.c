/* Our SHA-256 (src/base/sha256.c) against libcrypto's, and what loading libcrypto costs a process.
 *   cc -O2 -D_GNU_SOURCE -Isrc bench/sha256_speed.c src/base/sha256.c -o /tmp/sha256_speed
 *   /tmp/sha256_speed [MIB]
 * Prints MB/s of the SHA-extension path (when the CPU has it), the portable C path and libcrypto's
 * EVP digest over MIB MiB (default 64), best of 5 each.
 *   /tmp/sha256_speed start-ours | start-dlopen | start-libcrypto
 * One digest of "abc" and exit: with our code, or as the engine did before - dlopen()
 * libcrypto.so.3 (only), or dlopen() it and digest through EVP. Compare the three with
 * `valgrind --tool=callgrind` (instructions) or `hyperfine -N` (time): what the engine's level-3
 * runs and runs of installed skills paid per process. libcrypto is never linked, only dlopen()ed
 * (headers from libssl-dev), so start-ours does not load it at all. */
#include <dlfcn.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/sha256.h"

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* libcrypto's one-shot digest, dlopen()ed as the engine did; NULL when it cannot be loaded */
static __typeof__(EVP_Digest) *evp_digest;
static __typeof__(EVP_sha256) *evp_sha256;

static bool load_libcrypto(void) {
        void *h = dlopen("libcrypto.so.3", RTLD_NOW);
        evp_digest = h ? (__typeof__(EVP_Digest) *) dlsym(h, "EVP_Digest") : NULL;
        evp_sha256 = h ? (__typeof__(EVP_sha256) *) dlsym(h, "EVP_sha256") : NULL;
        return evp_digest && evp_sha256;
}

enum which { HW, PORTABLE, LIBCRYPTO };

static double best_mbs(enum which w, const uint8_t *data, size_t n) {
        double best = 0;
        for (int round = 0; round < 5; round++) {
                uint32_t h[8] = { 0 };
                uint8_t out[EVP_MAX_MD_SIZE];
                unsigned len;
                double t0 = now();
                if (w == HW && !sha256_blocks_hw(h, data, n / 64))
                        return 0;
                if (w == PORTABLE)
                        sha256_blocks_portable(h, data, n / 64);
                if (w == LIBCRYPTO && evp_digest(data, n, out, &len, evp_sha256(), NULL) != 1)
                        return -1;
                double mbs = (double) n / 1e6 / (now() - t0);
                best = mbs > best ? mbs : best;
        }
        return best;
}

static int start(const char *how) {
        uint8_t out[EVP_MAX_MD_SIZE];
        unsigned len = 0;
        if (strcmp(how, "start-ours") == 0)
                return sha256_buffer("abc", 3, out);
        if (!load_libcrypto())
                return 1;
        if (strcmp(how, "start-dlopen") == 0)
                return 0;
        return evp_digest("abc", 3, out, &len, evp_sha256(), NULL) == 1 ? 0 : 1;
}

int main(int argc, char **argv) {
        if (argc > 1 && strncmp(argv[1], "start-", 6) == 0)
                return start(argv[1]);
        size_t n = (size_t) (argc > 1 ? strtoul(argv[1], NULL, 10) : 64) << 20;
        uint8_t *data = malloc(n);
        if (!data || !load_libcrypto())
                return 1;
        for (size_t i = 0; i < n; i++)
                data[i] = (uint8_t) (i * 2654435761u >> 13);
        printf("SHA-256 over %zu MiB, best of 5 (MB/s)\n", n >> 20);
        printf("  ours, SHA extensions: %.0f%s\n", best_mbs(HW, data, n), sha256_blocks_hw((uint32_t[8]) { 0 }, data, 0) ? "" : " (not on this CPU)");
        printf("  ours, portable C:     %.0f\n", best_mbs(PORTABLE, data, n));
        printf("  libcrypto (EVP):      %.0f\n", best_mbs(LIBCRYPTO, data, n));
        free(data);
        return 0;
}
