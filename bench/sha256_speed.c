/* Our SHA-256 (src/base/sha256.c) against libcrypto's, and what loading libcrypto costs a process.
 *   cc -O2 -D_GNU_SOURCE -Isrc bench/sha256_speed.c src/base/sha256.c -lcrypto -o /tmp/sha256_speed
 *   /tmp/sha256_speed [MIB]
 * Prints MB/s of the SHA-extension path (when the CPU has it), the portable C path and libcrypto's
 * EVP digest over MIB MiB (default 64), best of 5 each. The engine hashes a skill at every level-3
 * run and every run of an installed skill; libcrypto's start-up (dlopen and its default provider:
 * ~9 M instructions) is measured by `callgrind` on a process that does one digest, not here. */
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
                if (w == LIBCRYPTO && EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1)
                        return -1;
                double mbs = (double) n / 1e6 / (now() - t0);
                best = mbs > best ? mbs : best;
        }
        return best;
}

int main(int argc, char **argv) {
        size_t n = (size_t) (argc > 1 ? strtoul(argv[1], NULL, 10) : 64) << 20;
        uint8_t *data = malloc(n);
        if (!data)
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
