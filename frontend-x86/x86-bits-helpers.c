/*
 * x86-bits-helpers.c — the bit manipulations that are easier in C than in
 * IR: RCL/RCR, PDEP/PEXT, CRC32.
 */
#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-helpers.h"

/* SDM "RCL/RCR": tempCOUNT = (COUNT & mask) MOD (SIZE + 1) for bytes and
 * words; flags unchanged when the masked count is zero. */
static uint64_t rcx(uint64_t v, uint32_t count, uint32_t eflags, uint32_t how, uint32_t *flags_out)
{
    unsigned ot = how & 3, bits = 8u << ot;
    bool left = how & 0x100;
    uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1, msb = 1ull << (bits - 1);
    unsigned c = count & (ot == 3 ? 63 : 31);
    *flags_out = eflags;
    if (!c)
        return v & m;
    if (bits < 32)
        c %= bits + 1;
    uint64_t cf = eflags & X86_EFLAGS_CF;
    v &= m;
    for (unsigned i = 0; i < c; i++) {
        uint64_t out;
        if (left) {
            out = (v & msb) != 0;
            v = ((v << 1) | cf) & m;
        } else {
            out = v & 1;
            v = (v >> 1) | (cf ? msb : 0);
        }
        cf = out;
    }
    uint32_t of = left ? (((v & msb) != 0) ^ (uint32_t)cf) : (((v & msb) != 0) ^ ((v & (msb >> 1)) != 0));
    *flags_out = (eflags & ~(X86_EFLAGS_CF | X86_EFLAGS_OF)) | (cf ? X86_EFLAGS_CF : 0) | (of ? X86_EFLAGS_OF : 0);
    return v;
}

uint64_t x86_helper_rcx(uint64_t v, uint32_t count, uint32_t eflags, uint32_t how)
{
    uint32_t f;
    return rcx(v, count, eflags, how, &f);
}

uint32_t x86_helper_rcx_flags(uint64_t v, uint32_t count, uint32_t eflags, uint32_t how)
{
    uint32_t f;
    rcx(v, count, eflags, how, &f);
    return f;
}

uint64_t x86_helper_popcnt(uint64_t v)
{
    return (uint64_t)__builtin_popcountll(v);
}

/* PDEP: the low bits of v go, in order, to the set bits of the mask */
uint64_t x86_helper_pdep(uint64_t v, uint64_t mask)
{
    uint64_t r = 0;
    for (uint64_t bit = 1; mask; bit <<= 1) {
        uint64_t low = mask & -mask;
        if (v & bit)
            r |= low;
        mask &= mask - 1;
    }
    return r;
}

/* PEXT: the bits of v under the mask, packed to the bottom */
uint64_t x86_helper_pext(uint64_t v, uint64_t mask)
{
    uint64_t r = 0;
    for (uint64_t bit = 1; mask; bit <<= 1) {
        uint64_t low = mask & -mask;
        if (v & low)
            r |= bit;
        mask &= mask - 1;
    }
    return r;
}

/* CRC32 instruction: CRC-32C (polynomial 0x1EDC6F41, reflected 0x82F63B78)
 * over `bytes` bytes of v, least significant first; no final inversion */
uint32_t x86_helper_crc32c(uint32_t crc, uint64_t v, uint32_t bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        crc ^= (uint8_t)(v >> (8 * i));
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0x82f63b78u & -(crc & 1));
    }
    return crc;
}
