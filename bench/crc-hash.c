/*
 * crc-hash.c — integer mix: table-driven CRC-32 and a multiply-xorshift hash
 * over a buffer, the inner loops of checksumming and hashing code.
 * Shifts, xors, byte loads, table lookups, 32x32 multiplies.
 */
#include "bench-common.h"

static uint32_t table[256];
static uint8_t buf[1 << 16];

int main(int argc, char **argv)
{
    uint32_t rounds = bench_scale(argc, argv, 2000);
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t x = 0x12345678;
    for (uint32_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        buf[i] = (uint8_t)x;
    }
    uint64_t check = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        uint32_t crc = ~r, h = 2166136261u ^ r;
        for (uint32_t i = 0; i < sizeof buf; i += 4) {
            crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
            crc = table[(crc ^ buf[i + 1]) & 0xff] ^ (crc >> 8);
            crc = table[(crc ^ buf[i + 2]) & 0xff] ^ (crc >> 8);
            crc = table[(crc ^ buf[i + 3]) & 0xff] ^ (crc >> 8);
            uint32_t w = (uint32_t)buf[i] | (uint32_t)buf[i + 1] << 8 | (uint32_t)buf[i + 2] << 16 |
                         (uint32_t)buf[i + 3] << 24;
            h = (h ^ w) * 0x01000193u;
            h ^= h >> 15;
        }
        check = check * 31 + (crc ^ ~0u) + ((uint64_t)h << 32);
        buf[r % sizeof buf] ^= (uint8_t)crc;   /* each round sees different data */
    }
    bench_result("crc-hash", check);
    return 0;
}
