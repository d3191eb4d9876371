/*
 * memcopy.c — memory copying: a word-at-a-time copy loop, a byte loop with
 * odd alignment, and libc memcpy/memmove over sizes from a few bytes to
 * 64 KiB.  Load/store throughput and the translation of tight loops.
 */
#include <string.h>
#include "bench-common.h"

#define SIZE (1u << 16)
static uint32_t src[SIZE / 4], dst[SIZE / 4];

static void copy_words(uint32_t *d, const uint32_t *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t a = s[i], b = s[i + 1], c = s[i + 2], e = s[i + 3];
        d[i] = a;
        d[i + 1] = b;
        d[i + 2] = c;
        d[i + 3] = e;
    }
}

static void copy_bytes(uint8_t *d, const uint8_t *s, uint32_t n)
{
    while (n--)
        *d++ = *s++;
}

int main(int argc, char **argv)
{
    uint32_t rounds = bench_scale(argc, argv, 150000);
    for (uint32_t i = 0; i < SIZE / 4; i++)
        src[i] = i * 0x9e3779b9u;
    uint64_t check = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        copy_words(dst, src, SIZE / 4);
        copy_bytes((uint8_t *)dst + 1 + (r & 7), (const uint8_t *)src + 3, 4096);
        uint32_t len = 16u << (r % 12);
        memcpy(dst, (const uint8_t *)src + (r & 15), len);
        memmove((uint8_t *)dst + 5, dst, 1000);
        src[r % (SIZE / 4)] ^= dst[(r * 13) % (SIZE / 4)];
        check = check * 31 + dst[r % (SIZE / 4)] + dst[(SIZE / 4) - 1 - (r % 64)];
    }
    bench_result("memcopy", check);
    return 0;
}
