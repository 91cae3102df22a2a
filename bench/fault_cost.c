/* What one page fault costs on this machine: touch N fresh anonymous pages, one write each.
 *   cc -O2 bench/fault_cost.c -o /tmp/fault_cost && /tmp/fault_cost [pages] [rounds]
 * Prints the median over rounds of the time per fault. docs/BENCHMARKS.md quotes it (~10 us on
 * the project's VM kind, where a fault exits to the hypervisor) to weigh faults against code. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now_us(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double) t.tv_sec * 1e6 + (double) t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

int main(int argc, char **argv) {
        size_t pages = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
        int rounds = argc > 2 ? (int) strtol(argv[2], NULL, 10) : 9;
        if (pages < 1 || rounds < 1 || rounds > 1000)
                return 1;
        double per[1000];
        for (int r = 0; r < rounds; r++) {
                char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                if (p == MAP_FAILED)
                        return 1;
                double t = now_us();
                for (size_t i = 0; i < pages; i++)
                        p[i * 4096] = 1;
                per[r] = (now_us() - t) / (double) pages;
                munmap(p, pages * 4096);
        }
        qsort(per, (size_t) rounds, sizeof(per[0]), cmp_double);
        printf("%zu fresh pages, %d rounds: median %.2f us per fault (min %.2f, max %.2f)\n", pages, rounds,
               per[rounds / 2], per[0], per[rounds - 1]);
        return 0;
}
