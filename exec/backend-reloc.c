/*
 * backend-reloc.c — the relocation forms of exec/backend.h as bits: where
 * a field's address or value lies in its bytes, and how it is rewritten.
 * Host-neutral (plain byte arithmetic, little-endian fields): the x86_64
 * build moves aarch64 code in its unit tests exactly as an aarch64 build
 * moves its own.
 *
 * The A64 forms (Arm ARM, "A64 instruction set encoding"):
 *   B/BL        x00101 imm26                target = at + 4 * sext(imm26)
 *   ADRP        1 immlo:2 10000 immhi:19 Rd  page = (at & ~0xfff) + (sext(immhi:immlo) << 12)
 *   ADD (imm)   1 0 0 100010 0 imm12 Rn Rd   64-bit, no shift, Rn == Rd == ADRP's Rd
 *   MOVZ        1 10 100101 hw:2 imm16 Rd   64-bit, hw 0
 *   MOVK        1 11 100101 hw:2 imm16 Rd   64-bit, hw 1, 2, 3 in turn, same Rd
 */
#include <string.h>

#include "backend-reloc.h"

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static int64_t sext(uint64_t v, unsigned bits) { return (int64_t)(v << (64 - bits)) >> (64 - bits); }

/* ---- A64 forms ----------------------------------------------------------------- */

static bool is_b26(uint32_t w) { return (w & 0x7c000000u) == 0x14000000u; }
static bool is_adrp(uint32_t w) { return (w & 0x9f000000u) == 0x90000000u; }
static bool is_add_imm(uint32_t w, unsigned rd)
{
    return (w & 0xffc00000u) == 0x91000000u && (w & 31) == rd && ((w >> 5) & 31) == rd;
}
static bool is_movz0(uint32_t w) { return (w & 0xffe00000u) == 0xd2800000u; }
static bool is_movk(uint32_t w, unsigned hw, unsigned rd)
{
    return (w & 0xff800000u) == 0xf2800000u && ((w >> 21) & 3) == hw && (w & 31) == rd;
}

/* Instructions in the MOVZ/MOVK sequence at p (0: not one). */
static unsigned movw_words(const uint8_t *p, size_t avail)
{
    if (avail < 4 || !is_movz0(rd32(p)))
        return 0;
    unsigned rd = rd32(p) & 31, n = 1;
    while (n < 4 && avail >= 4 * (n + 1) && is_movk(rd32(p + 4 * n), n, rd))
        n++;
    return n;
}

/* ---- the interface ---------------------------------------------------------------- */

unsigned backend_reloc_size(uint32_t k, const uint8_t *p, size_t avail)
{
    unsigned n = 0;
    switch (k) {
    case BACKEND_RELOC_REL32:
        n = 4;
        break;
    case BACKEND_RELOC_IMM64:
    case BACKEND_RELOC_ABS64:
        n = 8;
        break;
    case BACKEND_RELOC_A64_B26:
        return avail >= 4 && is_b26(rd32(p)) ? 4 : 0;
    case BACKEND_RELOC_A64_ADRP_ADD:
        return avail >= 8 && is_adrp(rd32(p)) && is_add_imm(rd32(p + 4), rd32(p) & 31) ? 8 : 0;
    case BACKEND_RELOC_A64_MOVW:
        return 4 * movw_words(p, avail);
    default:
        return 0;
    }
    return avail >= n ? n : 0;
}

bool backend_reloc_get(uint32_t k, const uint8_t *p, size_t avail, uint64_t at, uint64_t *value)
{
    unsigned size = backend_reloc_size(k, p, avail);
    if (!size)
        return false;
    switch (k) {
    case BACKEND_RELOC_REL32: {
        int32_t d;
        memcpy(&d, p, 4);
        *value = at + 4 + (uint64_t)(int64_t)d;
        return true;
    }
    case BACKEND_RELOC_IMM64:
    case BACKEND_RELOC_ABS64:
        memcpy(value, p, 8);
        return true;
    case BACKEND_RELOC_A64_B26:
        *value = at + (uint64_t)(sext(rd32(p) & 0x3ffffffu, 26) * 4);
        return true;
    case BACKEND_RELOC_A64_ADRP_ADD: {
        uint32_t w = rd32(p);
        uint64_t imm = ((w >> 5) & 0x7ffffu) << 2 | ((w >> 29) & 3);
        *value = (at & ~(uint64_t)0xfff) + (uint64_t)(sext(imm, 21) * 4096) + ((rd32(p + 4) >> 10) & 0xfff);
        return true;
    }
    default: {   /* A64_MOVW */
        uint64_t v = 0;
        for (unsigned i = 0; i < size / 4; i++)
            v |= (uint64_t)((rd32(p + 4 * i) >> 5) & 0xffff) << 16 * i;
        *value = v;
        return true;
    }
    }
}

bool backend_reloc_fits(uint32_t k, const uint8_t *p, size_t avail, uint64_t at, uint64_t value)
{
    unsigned size = backend_reloc_size(k, p, avail);
    if (!size)
        return false;
    switch (k) {
    case BACKEND_RELOC_REL32: {
        int64_t d = (int64_t)(value - (at + 4));
        return d == (int32_t)d;
    }
    case BACKEND_RELOC_IMM64:
    case BACKEND_RELOC_ABS64:
        return true;
    case BACKEND_RELOC_A64_B26: {
        int64_t d = (int64_t)(value - at);
        return !(d & 3) && d >= -((int64_t)1 << 27) && d < ((int64_t)1 << 27);
    }
    case BACKEND_RELOC_A64_ADRP_ADD: {
        int64_t pages = (int64_t)(value >> 12) - (int64_t)(at >> 12);
        return pages >= -((int64_t)1 << 20) && pages < ((int64_t)1 << 20);
    }
    default:     /* A64_MOVW: the halfwords above the sequence are zero */
        return size == 16 || value >> (4 * size) == 0;
    }
}

bool backend_reloc_set(uint32_t k, uint8_t *p, size_t avail, uint64_t at, uint64_t value)
{
    if (!backend_reloc_fits(k, p, avail, at, value))
        return false;
    switch (k) {
    case BACKEND_RELOC_REL32: {
        int32_t d = (int32_t)(int64_t)(value - (at + 4));
        memcpy(p, &d, 4);
        return true;
    }
    case BACKEND_RELOC_IMM64:
    case BACKEND_RELOC_ABS64:
        memcpy(p, &value, 8);
        return true;
    case BACKEND_RELOC_A64_B26: {
        uint32_t imm = (uint32_t)((int64_t)(value - at) >> 2) & 0x3ffffffu;
        wr32(p, (rd32(p) & 0xfc000000u) | imm);
        return true;
    }
    case BACKEND_RELOC_A64_ADRP_ADD: {
        uint64_t pages = (value >> 12) - (at >> 12);
        uint32_t w = rd32(p) & 0x9f00001fu;
        wr32(p, w | (uint32_t)(pages & 3) << 29 | (uint32_t)((pages >> 2) & 0x7ffff) << 5);
        wr32(p + 4, (rd32(p + 4) & ~(0xfffu << 10)) | (uint32_t)(value & 0xfff) << 10);
        return true;
    }
    default: {   /* A64_MOVW */
        unsigned n = backend_reloc_size(k, p, avail) / 4;
        for (unsigned i = 0; i < n; i++)
            wr32(p + 4 * i, (rd32(p + 4 * i) & ~(0xffffu << 5)) | (uint32_t)((value >> 16 * i) & 0xffff) << 5);
        return true;
    }
    }
}
