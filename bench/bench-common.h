/*
 * bench-common.h — shared by the benchmark kernels: the scale argument and
 * a checksum printer.  Each kernel prints one line with its checksum, which
 * run-bench.sh compares across native, qemu-arm and vemu-arm.
 */
#ifndef VEMU_BENCH_COMMON_H
#define VEMU_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* argv[1] scales the work (percent of the default size, default 100). */
static inline uint32_t bench_scale(int argc, char **argv, uint32_t base)
{
    uint32_t pct = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 100;
    uint64_t n = (uint64_t)base * pct / 100;
    return n ? (uint32_t)n : 1;
}

static inline void bench_result(const char *name, uint64_t check)
{
    printf("%s: checksum %016llx\n", name, (unsigned long long)check);
}

#endif
