/*
 * sieve.c — integer mix: the sieve of Eratosthenes over a byte array,
 * repeated; strided stores, compares and counting loops.
 */
#include <string.h>
#include "bench-common.h"

#define LIMIT (1u << 22)
static uint8_t composite[LIMIT];

int main(int argc, char **argv)
{
    uint32_t rounds = bench_scale(argc, argv, 20);
    uint64_t check = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        uint32_t limit = LIMIT - (r & 1023);
        memset(composite, 0, limit);
        uint32_t count = 0;
        for (uint32_t i = 2; i < limit; i++) {
            if (composite[i])
                continue;
            count++;
            for (uint32_t j = i * 2; j < limit; j += i)
                composite[j] = 1;
        }
        check = check * 1000003 + count;
    }
    bench_result("sieve", check);
    return 0;
}
