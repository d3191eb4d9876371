/* Unit tests for the AArch64 encoder (backend-aarch64/a64-encode.c): every
 * emitter's words disassembled by capstone's ARM64 disassembler and compared
 * with the intended instruction text (capstone's spelling of the manual's
 * preferred aliases); the bitmask-immediate encoder against a brute-force
 * enumeration of every encodable pattern decoded by the manual's
 * DecodeBitMasks; the branch ranges at their edges; patching.  Capstone
 * 4.0.2 does not know the LSE instructions: CAS is checked against the words
 * GNU as (binutils 2.40, -march=armv8.1-a) assembles for the same text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <capstone/capstone.h>

#include "backend-aarch64/a64-encode.h"

#define BASE 0x100000u

static csh cs;
static uint8_t buf[64] __attribute__((aligned(16)));   /* code buffers are aligned; patching relies on it */
static BackendAsm a;

static void start_at(uintptr_t rx)
{
    backend_asm_init(&a, buf, rx, sizeof(buf));
}
static void start(void) { start_at(BASE); }

/* Register names as capstone prints them. */
static const char *xr(int r)
{
    static char names[40][16];
    if (r == A64_SP)
        return "sp";
    if (r == A64_ZR)
        return "xzr";
    snprintf(names[r], sizeof(names[r]), "x%d", r);
    return names[r];
}
static const char *wr(int r)
{
    static char names[40][16];
    if (r == A64_SP)
        return "wsp";
    if (r == A64_ZR)
        return "wzr";
    snprintf(names[r], sizeof(names[r]), "w%d", r);
    return names[r];
}
static const char *gr(bool sf, int r) { return sf ? xr(r) : wr(r); }

/* Capstone's immediates: decimal up to 9, hex above, signed. */
static const char *imm(int64_t v)
{
    static char s[8][32];
    static int k;
    char *p = s[k++ & 7];
    unsigned long long m = v >= 0 ? (unsigned long long)v : -(unsigned long long)v;
    snprintf(p, 32, m > 9 ? "#%s0x%llx" : "#%s%llu", v < 0 ? "-" : "", m);
    return p;
}

/* Unsigned: logical immediates. */
static const char *uimm(uint64_t v)
{
    static char s[8][32];
    static int k;
    char *p = s[k++ & 7];
    snprintf(p, 32, v > 9 ? "#0x%llx" : "#%llu", (unsigned long long)v);
    return p;
}

/* MOVZ/MOVN/MOVK's 16-bit immediate: always hex but for zero. */
static const char *himm(uint16_t v)
{
    static char s[4][16];
    static int k;
    char *p = s[k++ & 3];
    snprintf(p, 16, v ? "#0x%x" : "#0", v);
    return p;
}

static const char *const conds[16] = { "eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc",
                                       "hi", "ls", "ge", "lt", "gt", "le", "al", "nv" };
static const char *const shifts[4] = { "lsl", "lsr", "asr", "ror" };
static const char *const exts[8] = { "uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx" };

/* What was emitted since start(), disassembled: instructions joined by "; ". */
static void disas(char *out, size_t n_out, size_t *n_insn)
{
    cs_insn *insn;
    size_t len = backend_asm_offset(&a);
    size_t n = cs_disasm(cs, buf, len, a.rx_start, 0, &insn);
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(out);
        snprintf(out + l, n_out - l, "%s%s%s%s", i ? "; " : "", insn[i].mnemonic, insn[i].op_str[0] ? " " : "",
                 insn[i].op_str);
        used += insn[i].size;
    }
    if (used != len) {
        size_t l = strlen(out);
        snprintf(out + l, n_out - l, "%s<undecodable>", n ? "; " : "");
    }
    if (n)
        cs_free(insn, n);
    *n_insn = n;
}

/* VEMU_A64_DUMP=file appends every checked word and its expected text, so
 * another disassembler (binutils' objdump) can be run over the same words. */
static FILE *dump;

static void expect(const char *want, const char *where, int line)
{
    char got[512];
    size_t n;
    disas(got, sizeof(got), &n);
    for (size_t i = 0; dump && i + 3 < backend_asm_offset(&a); i += 4)
        fprintf(dump, "%08x\t%s\n", (unsigned)(buf[i] | buf[i + 1] << 8 | buf[i + 2] << 16 | (unsigned)buf[i + 3] << 24),
                want);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s:%d: want '%s' got '%s':", where, line, want, got);
        for (size_t i = 0; i + 3 < backend_asm_offset(&a); i += 4)
            fprintf(stderr, " %08x", (unsigned)(buf[i] | buf[i + 1] << 8 | buf[i + 2] << 16 | (unsigned)buf[i + 3] << 24));
        fputc('\n', stderr);
        fail();
    }
}

#define CHECK(want, stmt)                 \
    do {                                  \
        start();                          \
        stmt;                             \
        expect(want, __func__, __LINE__); \
    } while (0)

/* vsnprintf behind a function: the texts are short, and gcc's truncation
 * analysis of snprintf into fixed buffers would only see worst cases */
static const char *__attribute__((format(printf, 3, 4))) fmt(char *out, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(out, n, f, ap);
    va_end(ap);
    return out;
}
#define FMT(...) fmt(want, sizeof(want), __VA_ARGS__)

static uint32_t word(size_t i)
{
    uint32_t w;
    memcpy(&w, buf + 4 * i, 4);
    return w;
}

/* ---- the manual's DecodeBitMasks, as the reference ---------------------- */

static uint64_t ref_decode_bitmask(unsigned n, unsigned immr, unsigned imms, unsigned regsize, bool *ok)
{
    unsigned combined = n << 6 | (~imms & 0x3f);
    int len = -1;
    for (int i = 6; i >= 0; i--)
        if (combined & (1u << i)) {
            len = i;
            break;
        }
    *ok = false;
    if (len < 1 || (1u << len) > regsize)
        return 0;
    unsigned levels = (1u << len) - 1;
    unsigned s = imms & levels, r = immr & levels;
    if (s == levels)
        return 0;   /* all ones: reserved */
    unsigned esize = 1u << len;
    uint64_t welem = (s + 1 >= 64) ? ~0ull : (1ull << (s + 1)) - 1;
    uint64_t emask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    uint64_t elem = r ? ((welem >> r) | (welem << (esize - r))) & emask : welem;
    uint64_t v = 0;
    for (unsigned i = 0; i < regsize; i += esize)
        v |= elem << i;
    *ok = true;
    return v;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return p < q ? -1 : p > q;
}

/* Every encodable value for a register width, sorted and distinct. */
static size_t all_bitmasks(unsigned regsize, uint64_t *out)
{
    size_t n = 0;
    for (unsigned N = 0; N < 2; N++)
        for (unsigned immr = 0; immr < 64; immr++)
            for (unsigned imms = 0; imms < 64; imms++) {
                bool ok;
                if (N && regsize == 32)
                    continue;
                uint64_t v = ref_decode_bitmask(N, immr, imms, regsize, &ok);
                if (ok && (regsize == 64 || immr < 32))
                    out[n++] = v;
            }
    qsort(out, n, sizeof(*out), cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || out[m - 1] != out[i])
            out[m++] = out[i];
    return m;
}

static bool in_set(const uint64_t *set, size_t n, uint64_t v)
{
    return bsearch(&v, set, n, sizeof(v), cmp_u64) != NULL;
}

static void test_bitmask_immediates(void **state)
{
    (void)state;
    static uint64_t set64[8192], set32[8192];
    size_t n64 = all_bitmasks(64, set64), n32 = all_bitmasks(32, set32);
    /* the counts every A64 reference gives: sum of e*(e-1) over element sizes */
    assert_int_equal(n64, 5334);
    assert_int_equal(n32, 1302);
    char want[128];
    for (int w = 0; w < 2; w++) {
        bool sf = w == 1;
        uint64_t *set = sf ? set64 : set32;
        size_t n = sf ? n64 : n32;
        for (size_t i = 0; i < n; i++) {
            uint32_t enc;
            assert_true(a64_logic_imm_encode(sf, set[i], &enc));
            bool ok;
            uint64_t back = ref_decode_bitmask(enc >> 12, (enc >> 6) & 63, enc & 63, sf ? 64 : 32, &ok);
            assert_true(ok);
            assert_true(back == set[i]);
            /* and what capstone reads back from the instruction */
            CHECK(FMT("and %s, %s, %s", gr(sf, 3), gr(sf, 4), uimm(set[i])),
                  a64_logic_imm(&a, A64_AND, sf, 3, 4, set[i]));
            /* every single-bit change of an encodable value, against membership */
            for (unsigned b = 0; b < (sf ? 64u : 32u); b++) {
                uint64_t v = set[i] ^ (1ull << b);
                assert_int_equal(a64_logic_imm_encode(sf, v, &enc), in_set(set, n, v));
            }
        }
        /* random values of every density */
        uint64_t x = 0x9e3779b97f4a7c15ull;
        for (int i = 0; i < 200000; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            uint64_t v = x;
            if (i & 1)
                v &= x >> 11;
            if (i & 2)
                v |= x << 5;
            if (!sf)
                v &= 0xffffffffu;
            uint32_t enc;
            assert_int_equal(a64_logic_imm_encode(sf, v, &enc), in_set(set, n, v));
        }
        uint32_t enc;
        assert_false(a64_logic_imm_encode(sf, 0, &enc));
        assert_false(a64_logic_imm_encode(sf, sf ? ~0ull : 0xffffffffull, &enc));
    }
    /* a 32-bit encoder looks at the low 32 bits only */
    uint32_t enc;
    assert_true(a64_logic_imm_encode(false, 0xdeadbeef000000ffull, &enc));
}

/* ---- moves -------------------------------------------------------------- */

static void test_move_wide(void **state)
{
    (void)state;
    char want[128];
    static const uint16_t vals[] = { 0, 1, 9, 10, 0x7fff, 0x8000, 0xffff };
    for (int r = 0; r <= A64_ZR; r++)
        for (unsigned v = 0; v < sizeof(vals) / sizeof(vals[0]); v++)
            for (unsigned sh = 0; sh < 64; sh += 16) {
                char tail[24] = "";
                if (sh)
                    snprintf(tail, sizeof(tail), ", lsl #%u", sh);
                CHECK(FMT("movz %s, %s%s", xr(r), himm(vals[v]), tail), a64_movz(&a, true, r, vals[v], sh));
                CHECK(FMT("movk %s, %s%s", xr(r), himm(vals[v]), tail), a64_movk(&a, true, r, vals[v], sh));
                CHECK(FMT("movn %s, %s%s", xr(r), himm(vals[v]), tail), a64_movn(&a, true, r, vals[v], sh));
                if (sh < 32) {
                    CHECK(FMT("movz %s, %s%s", wr(r), himm(vals[v]), tail), a64_movz(&a, false, r, vals[v], sh));
                    CHECK(FMT("movn %s, %s%s", wr(r), himm(vals[v]), tail), a64_movn(&a, false, r, vals[v], sh));
                }
            }
}

/* Run a MOVZ/MOVN/MOVK/ORR-immediate sequence on a model register. */
static uint64_t run_mov_sequence(size_t n, bool sf)
{
    uint64_t r = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t w = word(i);
        unsigned sh = 16 * ((w >> 21) & 3);
        uint64_t h = (uint64_t)((w >> 5) & 0xffff) << sh;
        switch (w & 0x7f800000) {
        case 0x52800000: r = h; break;                                        /* MOVZ */
        case 0x12800000: r = ~h; break;                                       /* MOVN */
        case 0x72800000: r = (r & ~(0xffffull << sh)) | h; break;             /* MOVK */
        default: {                                                            /* ORR #imm, from ZR */
            bool ok;
            assert_int_equal(w & 0x7f8003e0, 0x320003e0);
            r = ref_decode_bitmask((w >> 22) & 1, (w >> 16) & 63, (w >> 10) & 63, sf ? 64 : 32, &ok);
            assert_true(ok);
        }
        }
        if (!sf)
            r &= 0xffffffffu;
    }
    return r;
}

/* ORR + MOVK reaches v when some bitmask immediate equals v outside one
 * halfword: the 64-bit bitmask set with each halfword cleared, sorted. */
static uint64_t holed[4][8192];
static size_t n_holed;

static void init_holed(void)
{
    static uint64_t set[8192];
    n_holed = all_bitmasks(64, set);
    for (int i = 0; i < 4; i++) {
        for (size_t k = 0; k < n_holed; k++)
            holed[i][k] = set[k] & ~(0xffffull << 16 * i);
        qsort(holed[i], n_holed, sizeof(uint64_t), cmp_u64);
    }
}

static bool orr_movk_reaches(uint64_t v)
{
    for (int i = 0; i < 4; i++)
        if (in_set(holed[i], n_holed, v & ~(0xffffull << 16 * i)))
            return true;
    return false;
}

static void check_mov_imm(bool sf, uint64_t v)
{
    start();
    unsigned n = a64_mov_imm(&a, sf, 7, v);
    assert_int_equal(backend_asm_offset(&a), 4 * n);
    uint64_t want = sf ? v : v & 0xffffffffu;
    assert_true(run_mov_sequence(n, sf) == want);
    /* the fewest: one if any single instruction does it, else the fewer of
     * the halfwords that are not 0 and not 0xffff */
    unsigned nh = sf ? 4 : 2, nz = 0, nf = 0;
    for (unsigned i = 0; i < nh; i++) {
        uint16_t h = (uint16_t)(want >> 16 * i);
        nz += h != 0;
        nf += h != 0xffff;
    }
    uint32_t enc;
    unsigned best = nz < nf ? nz : nf;
    if (best == 0 || a64_logic_imm_encode(sf, want, &enc))
        best = 1;
    else if (best >= 3 && orr_movk_reaches(want))
        best = 2;
    assert_int_equal(n, best);
    /* capstone reads every word as a move */
    char got[512];
    size_t ni;
    disas(got, sizeof(got), &ni);
    assert_int_equal(ni, n);
    assert_null(strstr(got, "undecodable"));
}

static void test_mov_imm(void **state)
{
    (void)state;
    init_holed();
    static const uint64_t vals[] = {
        0, 1, 0xffff, 0x10000, 0xffff0000, 0xffffffff, 0x100000000ull, 0xffffffffffffffffull,
        0xfffffffffffffffeull, 0xffff0000ffffffffull, 0x123456789abcdef0ull, 0x00ff00ff00ff00ffull,
        0x5555555555555555ull, 0x8000000000000000ull, 0x7fffffffffffffffull, 0xffffffff12345678ull,
        0x0000123400005678ull, 0x1234ffffffff5678ull, 0xdeadbeefull, 0x80000000ull, 0x7fffffffull,
        0xfffffffffffff000ull, 0x0000ffffffff0000ull,
    };
    for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        check_mov_imm(true, vals[i]);
        check_mov_imm(false, vals[i]);
    }
    uint64_t x = 12345;
    for (int i = 0; i < 20000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t v = x;
        /* make 0x0000 and 0xffff halfwords common */
        for (int h = 0; h < 4; h++)
            if ((x >> (60 - 2 * h) & 3) == 0)
                v &= ~(0xffffull << 16 * h);
            else if ((x >> (60 - 2 * h) & 3) == 1)
                v |= 0xffffull << 16 * h;
        check_mov_imm(true, v);
        check_mov_imm(false, v);
    }
    CHECK("movz x3, #0x1234, lsl #32", a64_mov_imm(&a, true, 3, 0x123400000000ull));
    CHECK("movn w3, #0x1234", a64_mov_imm(&a, false, 3, ~0x1234ull));
    CHECK("movn x3, #0x1234, lsl #16", a64_mov_imm(&a, true, 3, ~0x12340000ull));
    CHECK("orr x3, xzr, #0x5555555555555555", a64_mov_imm(&a, true, 3, 0x5555555555555555ull));
    CHECK("movn x3, #0xedcb; movk x3, #0x5678, lsl #32", a64_mov_imm(&a, true, 3, 0xffff5678ffff1234ull));
    CHECK("movz w3, #0x5678; movk w3, #0x1234, lsl #16", a64_mov_imm(&a, false, 3, 0x12345678));
    CHECK("orr x3, xzr, #0x5555555555555555; movk x3, #0x1234, lsl #32",
          a64_mov_imm(&a, true, 3, 0x5555123455555555ull));
    CHECK("orr x3, xzr, #0xffffff000; movk x3, #0x1234, lsl #48",
          a64_mov_imm(&a, true, 3, 0x1234000ffffff000ull));
    CHECK("orr x3, xzr, #0xfffffffff000; movk x3, #0x1234, lsl #32",
          a64_mov_imm(&a, true, 3, 0x00001234fffff000ull));
    CHECK("orr x3, xzr, #0xff00ff00ff00ff00; movk x3, #0xabcd, lsl #16",
          a64_mov_imm(&a, true, 3, 0xff00ff00abcdff00ull));
    /* ORR + MOVK reachable values: every bitmask with one halfword changed */
    x = 99;
    for (size_t k = 0; k < n_holed; k++)
        for (int i = 0; i < 4; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            check_mov_imm(true, (holed[i][k] | (x >> 48) << 16 * i));
        }
}

static void test_mov_register_and_address(void **state)
{
    (void)state;
    char want[128];
    for (int d = 0; d <= A64_SP; d++)
        for (int s = 0; s <= A64_SP; s++) {
            if ((d == A64_SP && s == A64_ZR) || (d == A64_ZR && s == A64_SP))
                continue;
            CHECK(FMT("mov %s, %s", xr(d), xr(s)), a64_mov_rr(&a, true, d, s));
            CHECK(FMT("mov %s, %s", wr(d), wr(s)), a64_mov_rr(&a, false, d, s));
        }
    /* ADR, ADRP (+ ADD), MOVZ/MOVK by distance */
    CHECK("adr x5, #0x1fffff", a64_mov_addr(&a, 5, BASE + 0xfffff));
    CHECK("adr x5, #0", a64_mov_addr(&a, 5, 0));
    CHECK("adrp x5, #0x200000", a64_mov_addr(&a, 5, BASE + 0x100000));
    CHECK("adrp x5, #0x80100000; add x5, x5, #0x123", a64_mov_addr(&a, 5, BASE + 0x80000123ull));
    CHECK("movz x5, #0x123; movk x5, #0x10, lsl #16; movk x5, #0x1, lsl #32", a64_mov_addr(&a, 5, 0x100000123ull + BASE));
    start_at(0x7f0000000000ull);
    assert_int_equal(a64_mov_addr(&a, 5, 0x7f0000000000ull - 0x100000000ull), 1);   /* ADRP, -4 GiB */
    start_at(0x7f0000000000ull);
    assert_true(a64_mov_addr(&a, 5, 0x7f0000000000ull - 0x100001000ull) >= 2);   /* out of reach: the constant */
    assert_int_not_equal(word(0) & 0x1f000000, 0x10000000);
}

/* ---- add / subtract ----------------------------------------------------- */

static void test_addsub(void **state)
{
    (void)state;
    static const char *const names[4] = { "add", "adds", "sub", "subs" };
    static const uint64_t imms[] = { 0, 1, 9, 0xfff, 0x1000, 0x7ff000, 0xfff000 };
    char want[160];
    for (int op = 0; op < 4; op++)
        for (int sf = 0; sf < 2; sf++)
            for (int r = 0; r <= A64_SP; r++) {
                bool s = op & 1;
                /* immediate: rd SP unless flag-setting (then ZR), rn SP */
                int rd = s ? (r == A64_SP ? A64_ZR : r) : (r == A64_ZR ? A64_SP : r);
                int rn = r == A64_ZR ? A64_SP : (r + 7) % 31;
                for (unsigned i = 0; i < sizeof(imms) / sizeof(imms[0]); i++) {
                    uint64_t v = imms[i];
                    char tail[32] = "";
                    const char *shown = imm((int64_t)v);
                    if (v > 0xfff) {
                        shown = imm((int64_t)(v >> 12));
                        snprintf(tail, sizeof(tail), ", lsl #12");
                    }
                    if (s && rd == A64_ZR)
                        FMT("%s %s, %s%s", op == A64_SUBS ? "cmp" : "cmn", gr(sf, rn), shown, tail);
                    else if (op == A64_ADD && v == 0 && (rd == A64_SP || rn == A64_SP))
                        FMT("mov %s, %s", gr(sf, rd), gr(sf, rn));
                    else
                        FMT("%s %s, %s, %s%s", names[op], gr(sf, rd), gr(sf, rn), shown, tail);
                    CHECK(want, a64_addsub_imm(&a, (A64AddSub)op, sf, rd, rn, v));
                }
                /* shifted register: everything ZR-capable */
                int rd2 = r == A64_SP ? A64_ZR : r, rn2 = (r + 5) % 31, rm2 = (r + 9) % 32;
                for (int sh = 0; sh < 3; sh++) {
                    static const unsigned amounts[] = { 0, 1, 31, 63 };
                    for (unsigned k = 0; k < 4; k++) {
                        unsigned am = amounts[k];
                        if (!sf && am > 31)
                            continue;
                        char tail[32] = "";
                        if (am || sh)
                            snprintf(tail, sizeof(tail), ", %s #%u", shifts[sh], am);
                        if (s && rd2 == A64_ZR)
                            FMT("%s %s, %s%s", op == A64_SUBS ? "cmp" : "cmn", gr(sf, rn2), gr(sf, rm2), tail);
                        else
                            FMT("%s %s, %s, %s%s", names[op], gr(sf, rd2), gr(sf, rn2), gr(sf, rm2), tail);
                        CHECK(want, a64_addsub_reg(&a, (A64AddSub)op, sf, rd2, rn2, rm2, (A64Shift)sh, am));
                    }
                }
                /* extended register */
                for (int ext = 0; ext < 8; ext++)
                    for (unsigned am = 0; am <= 4; am++) {
                        int rm3 = (r + 3) % 32;
                        bool xm = (ext & 3) == 3;
                        const char *m = xm ? xr(rm3) : wr(rm3);
                        if (!sf)
                            m = wr(rm3);
                        bool lsl = (rd == A64_SP || rn == A64_SP) && ext == (sf ? A64_UXTX : A64_UXTW);
                        char tail[32];
                        if (lsl)
                            snprintf(tail, sizeof(tail), am ? ", lsl %s" : "", imm(am));
                        else
                            snprintf(tail, sizeof(tail), am ? ", %s %s" : ", %s", exts[ext], imm(am));
                        if (s && rd == A64_ZR)
                            FMT("%s %s, %s%s", op == A64_SUBS ? "cmp" : "cmn", gr(sf, rn), m, tail);
                        else
                            FMT("%s %s, %s, %s%s", names[op], gr(sf, rd), gr(sf, rn), m, tail);
                        CHECK(want, a64_addsub_ext(&a, (A64AddSub)op, sf, rd, rn, rm3, (A64Extend)ext, am));
                    }
            }
    assert_true(a64_addsub_imm_ok(0xfff));
    assert_true(a64_addsub_imm_ok(0xfff000));
    assert_false(a64_addsub_imm_ok(0x1001));
    assert_false(a64_addsub_imm_ok(0x1000000));
    assert_false(a64_addsub_imm_ok(-1ull));
    CHECK("cmp x3, #0x10", a64_cmp_imm(&a, true, 3, 16));
    CHECK("cmn wsp, #1", a64_cmn_imm(&a, false, A64_SP, 1));
    CHECK("cmp x4, x5", a64_cmp_reg(&a, true, 4, 5));
    CHECK("cmp sp, x5", a64_cmp_reg(&a, true, A64_SP, 5));
    CHECK("cmp wsp, w5", a64_cmp_reg(&a, false, A64_SP, 5));
    CHECK("cmn w4, wzr", a64_cmn_reg(&a, false, 4, A64_ZR));
    CHECK("neg x1, x2", a64_neg(&a, true, 1, 2));
    CHECK("neg w1, w2", a64_neg(&a, false, 1, 2));
    CHECK("adc x1, x2, x3", a64_adcsbc(&a, A64_ADD, true, 1, 2, 3));
    CHECK("adcs w1, w2, wzr", a64_adcsbc(&a, A64_ADDS, false, 1, 2, A64_ZR));
    CHECK("sbc x1, x2, x3", a64_adcsbc(&a, A64_SUB, true, 1, 2, 3));
    CHECK("sbcs w1, w2, w3", a64_adcsbc(&a, A64_SUBS, false, 1, 2, 3));
}

/* a64_add_const: the result checked on a model of the three forms it uses */
static uint64_t run_add_const(size_t n, bool sf, uint64_t rn_val)
{
    uint64_t regs[33] = { 0 };
    regs[2] = rn_val;
    regs[A64_SP] = rn_val;
    uint64_t mask = sf ? ~0ull : 0xffffffffull;
    for (size_t i = 0; i < n; i++) {
        uint32_t w = word(i);
        unsigned d = w & 31, nn = (w >> 5) & 31;
        if ((w & 0x1f000000) == 0x11000000) {          /* ADD/SUB immediate: 31 is SP */
            uint64_t v = (uint64_t)((w >> 10) & 0xfff) << ((w >> 22) & 1 ? 12 : 0);
            uint64_t src = regs[nn == 31 ? A64_SP : nn];
            regs[d == 31 ? A64_SP : d] = ((w >> 30) & 1 ? src - v : src + v) & mask;
        } else if ((w & 0x1f200000) == 0x0b000000 || (w & 0x1f200000) == 0x0b200000) {   /* ADD register */
            bool ext = (w >> 21) & 1;
            uint64_t src = regs[ext && nn == 31 ? A64_SP : nn], m = regs[(w >> 16) & 31];
            regs[ext && d == 31 ? A64_SP : d] = (src + m) & mask;
        } else {
            /* the MOVZ/MOVN/MOVK/ORR constant into the scratch (x16) */
            size_t k = i;
            while (k < n && (word(k) & 0x1f000000) != 0x0b000000)
                k++;
            uint8_t save[64];
            memcpy(save, buf, sizeof(save));
            memmove(buf, buf + 4 * i, 4 * (k - i));
            regs[16] = run_mov_sequence(k - i, sf);
            memcpy(buf, save, sizeof(save));
            i = k - 1;
        }
    }
    return regs[1];
}

static void test_add_const(void **state)
{
    (void)state;
    static const int64_t vals[] = { 0, 1, -1, 0xfff, -0xfff, 0x1000, 0x1001, -0x1001, 0xffffff, -0xffffff,
                                    0x1000000, -0x1000000, 0x123456789ll, -0x123456789ll, INT64_MIN, INT64_MAX,
                                    0x7fffffff, -0x80000000ll };
    for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
        for (int sf = 0; sf < 2; sf++) {
            int64_t v = vals[i], vv = sf ? v : (int32_t)v;
            uint64_t m = vv < 0 ? -(uint64_t)vv : (uint64_t)vv;
            start();
            unsigned n = a64_add_const(&a, sf, 1, 2, v, 16);
            assert_int_equal(backend_asm_offset(&a), 4 * n);
            uint64_t base = 0x0123456789abcdefull;
            uint64_t want = (base + (uint64_t)v) & (sf ? ~0ull : 0xffffffffull);
            assert_true(run_add_const(n, sf, base) == want);
            assert_int_equal(n, a64_addsub_imm_ok(m) ? 1 : m < (1u << 24) ? 2 : n);
            assert_true(n >= 1 && n <= 5);
            char got[512];
            size_t ni;
            disas(got, sizeof(got), &ni);
            assert_int_equal(ni, n);
        }
    CHECK("sub x1, x2, #5", a64_add_const(&a, true, 1, 2, -5, 16));
    CHECK("add sp, sp, #0x123, lsl #12; add sp, sp, #0x456", a64_add_const(&a, true, A64_SP, A64_SP, 0x123456, 16));
    CHECK("sub w1, w2, #1, lsl #12; sub w1, w1, #1", a64_add_const(&a, false, 1, 2, -0x1001, 16));
    CHECK("movz x16, #0x5678; movk x16, #0x1234, lsl #16; add x1, sp, x16",
          a64_add_const(&a, true, 1, A64_SP, 0x12345678, 16));
    CHECK("movz w17, #0xff00, lsl #16; add w1, w2, w17", a64_add_const(&a, false, 1, 2, -0x1000000, 17));
    CHECK("", a64_add_const(&a, true, 3, 3, 0, 16));
    CHECK("add x3, x4, #0", a64_add_const(&a, true, 3, 4, 0, 16));
}

/* ---- logical ------------------------------------------------------------ */

static void test_logical(void **state)
{
    (void)state;
    static const char *const names[8] = { "and", "bic", "orr", "orn", "eor", "eon", "ands", "bics" };
    char want[160];
    for (int op = 0; op < 8; op++)
        for (int sf = 0; sf < 2; sf++)
            for (int r = 0; r <= A64_ZR; r++)
                for (int sh = 0; sh < 4; sh++) {
                    int rn = (r + 5) % 31, rm = (r + 9) % 32;
                    unsigned am = sh == 0 ? 0 : (sf ? 63 : 17);
                    char tail[32] = "";
                    if (am)
                        snprintf(tail, sizeof(tail), ", %s #%u", shifts[sh], am);
                    if (op == A64_ANDS && r == A64_ZR)
                        FMT("tst %s, %s%s", gr(sf, rn), gr(sf, rm), tail);
                    else
                        FMT("%s %s, %s, %s%s", names[op], gr(sf, r), gr(sf, rn), gr(sf, rm), tail);
                    CHECK(want, a64_logic_reg(&a, (A64Logic)op, sf, r, rn, rm, (A64Shift)sh, am));
                }
    for (int op = 0; op < 8; op += 2)
        for (int r = 0; r <= A64_SP; r++) {
            if (op == A64_ANDS ? r == A64_SP : r == A64_ZR)
                continue;
            int rn = (r + 3) % 32;
            if (op == A64_ANDS && r == A64_ZR)
                FMT("tst %s, #0xff00", xr(rn));
            else
                FMT("%s %s, %s, #0xff00", names[op], xr(r), xr(rn));
            CHECK(want, a64_logic_imm(&a, (A64Logic)op, true, r, rn, 0xff00));
        }
    CHECK("mov x1, x2", a64_logic_reg(&a, A64_ORR, true, 1, A64_ZR, 2, A64_LSL, 0));
    CHECK("orr x1, xzr, x2, lsl #1", a64_logic_reg(&a, A64_ORR, true, 1, A64_ZR, 2, A64_LSL, 1));
    CHECK("mvn x1, x2", a64_mvn(&a, true, 1, 2));
    CHECK("mvn w1, wzr", a64_mvn(&a, false, 1, A64_ZR));
    CHECK("tst x1, x2", a64_tst_reg(&a, true, 1, 2));
    CHECK("tst w1, #0x80000000", a64_tst_imm(&a, false, 1, 0x80000000u));
    CHECK("tst x1, #0xfffffffffffffffe", a64_tst_imm(&a, true, 1, ~1ull));
    CHECK("and w0, w1, #0xfffffffe", a64_logic_imm(&a, A64_AND, false, 0, 1, 0xfffffffeu));
}

/* ---- multiply, divide, shifts, bitfields, bit ops ----------------------- */

static void test_multiply_divide_shift(void **state)
{
    (void)state;
    char want[160];
    for (int r = 0; r <= A64_ZR; r++) {
        int n = (r + 1) % 32, m = (r + 2) % 32, ad = (r + 3) % 31;
        for (int sf = 0; sf < 2; sf++) {
            CHECK(FMT("madd %s, %s, %s, %s", gr(sf, r), gr(sf, n), gr(sf, m), gr(sf, ad)), a64_madd(&a, sf, r, n, m, ad));
            CHECK(FMT("msub %s, %s, %s, %s", gr(sf, r), gr(sf, n), gr(sf, m), gr(sf, ad)), a64_msub(&a, sf, r, n, m, ad));
            CHECK(FMT("mul %s, %s, %s", gr(sf, r), gr(sf, n), gr(sf, m)), a64_mul(&a, sf, r, n, m));
            CHECK(FMT("mneg %s, %s, %s", gr(sf, r), gr(sf, n), gr(sf, m)), a64_msub(&a, sf, r, n, m, A64_ZR));
            CHECK(FMT("udiv %s, %s, %s", gr(sf, r), gr(sf, n), gr(sf, m)), a64_udiv(&a, sf, r, n, m));
            CHECK(FMT("sdiv %s, %s, %s", gr(sf, r), gr(sf, n), gr(sf, m)), a64_sdiv(&a, sf, r, n, m));
            for (int sh = 0; sh < 4; sh++)
                CHECK(FMT("%s %s, %s, %s", shifts[sh], gr(sf, r), gr(sf, n), gr(sf, m)),
                      a64_shiftv(&a, (A64Shift)sh, sf, r, n, m));
            CHECK(FMT("clz %s, %s", gr(sf, r), gr(sf, n)), a64_clz(&a, sf, r, n));
            CHECK(FMT("cls %s, %s", gr(sf, r), gr(sf, n)), a64_cls(&a, sf, r, n));
            CHECK(FMT("rbit %s, %s", gr(sf, r), gr(sf, n)), a64_rbit(&a, sf, r, n));
            CHECK(FMT("rev %s, %s", gr(sf, r), gr(sf, n)), a64_rev(&a, sf, r, n));
            CHECK(FMT("rev16 %s, %s", gr(sf, r), gr(sf, n)), a64_rev16(&a, sf, r, n));
        }
        CHECK(FMT("rev32 %s, %s", xr(r), xr(n)), a64_rev32(&a, r, n));
        CHECK(FMT("umulh %s, %s, %s", xr(r), xr(n), xr(m)), a64_umulh(&a, r, n, m));
        CHECK(FMT("smulh %s, %s, %s", xr(r), xr(n), xr(m)), a64_smulh(&a, r, n, m));
        CHECK(FMT("umaddl %s, %s, %s, %s", xr(r), wr(n), wr(m), xr(ad)), a64_umaddl(&a, r, n, m, ad));
        CHECK(FMT("smaddl %s, %s, %s, %s", xr(r), wr(n), wr(m), xr(ad)), a64_smaddl(&a, r, n, m, ad));
        CHECK(FMT("umull %s, %s, %s", xr(r), wr(n), wr(m)), a64_umaddl(&a, r, n, m, A64_ZR));
        CHECK(FMT("smull %s, %s, %s", xr(r), wr(n), wr(m)), a64_smaddl(&a, r, n, m, A64_ZR));
    }
    /* immediate shifts at every count */
    for (int sf = 0; sf < 2; sf++)
        for (unsigned c = 0; c < (sf ? 64u : 32u); c++) {
            /* LSL #0 is UBFM #0, #width-1, whose preferred spelling is LSR #0 */
            CHECK(FMT("%s %s, %s, %s", c ? "lsl" : "lsr", gr(sf, 4), gr(sf, 9), imm(c)),
                  a64_shift_imm(&a, A64_LSL, sf, 4, 9, c));
            CHECK(FMT("lsr %s, %s, %s", gr(sf, 4), gr(sf, 9), imm(c)), a64_shift_imm(&a, A64_LSR, sf, 4, 9, c));
            CHECK(FMT("asr %s, %s, %s", gr(sf, 4), gr(sf, 9), imm(c)), a64_shift_imm(&a, A64_ASR, sf, 4, 9, c));
            CHECK(FMT("ror %s, %s, %s", gr(sf, 4), gr(sf, 9), imm(c)), a64_shift_imm(&a, A64_ROR, sf, 4, 9, c));
            CHECK(FMT("extr %s, %s, %s, %s", gr(sf, 4), gr(sf, 9), gr(sf, 10), imm(c)), a64_extr(&a, sf, 4, 9, 10, c));
        }
    /* field extracts and inserts */
    for (int sf = 0; sf < 2; sf++) {
        unsigned w = sf ? 64 : 32;
        static const unsigned lsbs[] = { 0, 1, 7, 16, 31, 32, 63 };
        for (unsigned i = 0; i < 7; i++)
            for (unsigned width = 1; width + lsbs[i] <= w; width += 5) {
                unsigned lsb = lsbs[i];
                if (lsb >= w)
                    continue;
                /* full-width and top-aligned fields take other preferred names */
                if (lsb + width == w)
                    continue;
                /* zero- and sign-extensions have their own names (below) */
                if (lsb == 0 && (width == 8 || width == 16 || width == 32))
                    continue;
                CHECK(FMT("ubfx %s, %s, %s, %s", gr(sf, 1), gr(sf, 2), imm(lsb), imm(width)), a64_ubfx(&a, sf, 1, 2, lsb, width));
                CHECK(FMT("sbfx %s, %s, %s, %s", gr(sf, 1), gr(sf, 2), imm(lsb), imm(width)), a64_sbfx(&a, sf, 1, 2, lsb, width));
                CHECK(FMT("bfxil %s, %s, %s, %s", gr(sf, 1), gr(sf, 2), imm(lsb), imm(width)), a64_bfxil(&a, sf, 1, 2, lsb, width));
                if (lsb)
                    CHECK(FMT("bfi %s, %s, %s, %s", gr(sf, 1), gr(sf, 2), imm(lsb), imm(width)), a64_bfi(&a, sf, 1, 2, lsb, width));
            }
    }
    CHECK("uxtb w1, w2", a64_uxt(&a, 1, 1, 2));
    CHECK("uxth w1, w2", a64_uxt(&a, 2, 1, 2));
    CHECK("sxtb x1, w2", a64_sxt(&a, 1, true, 1, 2));
    CHECK("sxth w1, w2", a64_sxt(&a, 2, false, 1, 2));
    CHECK("sxtw x1, w2", a64_sxt(&a, 4, true, 1, 2));
    CHECK("ubfx x1, x2, #0x20, #0x1f", a64_ubfx(&a, true, 1, 2, 32, 31));
    CHECK("lsr x1, x2, #0x20", a64_ubfx(&a, true, 1, 2, 32, 32));
}

/* ---- conditional -------------------------------------------------------- */

static void test_conditional(void **state)
{
    (void)state;
    static const char *const names[4] = { "csel", "csinc", "csinv", "csneg" };
    char want[160];
    for (int c = 0; c < 16; c++)
        for (int sf = 0; sf < 2; sf++) {
            for (int op = 0; op < 4; op++)
                CHECK(FMT("%s %s, %s, %s, %s", names[op], gr(sf, 1), gr(sf, 2), gr(sf, 3), conds[c]),
                      a64_csel(&a, (A64CondSel)op, sf, 1, 2, 3, (A64Cond)c));
            if (c < 14) {
                CHECK(FMT("cset %s, %s", gr(sf, 7), conds[c]), a64_cset(&a, sf, 7, (A64Cond)c));
                CHECK(FMT("csetm %s, %s", gr(sf, 7), conds[c]), a64_csetm(&a, sf, 7, (A64Cond)c));
                CHECK(FMT("cinc %s, %s, %s", gr(sf, 7), gr(sf, 8), conds[c ^ 1]),
                      a64_csel(&a, A64_CSINC, sf, 7, 8, 8, (A64Cond)c));
            }
            for (unsigned nzcv = 0; nzcv < 16; nzcv += 5) {
                CHECK(FMT("ccmp %s, %s, %s, %s", gr(sf, 4), gr(sf, A64_ZR), imm(nzcv), conds[c]),
                      a64_ccmp_reg(&a, false, sf, 4, A64_ZR, nzcv, (A64Cond)c));
                CHECK(FMT("ccmn %s, %s, %s, %s", gr(sf, 30), gr(sf, 5), imm(nzcv), conds[c]),
                      a64_ccmp_reg(&a, true, sf, 30, 5, nzcv, (A64Cond)c));
                CHECK(FMT("ccmp %s, %s, %s, %s", gr(sf, 4), imm(31), imm(nzcv), conds[c]),
                      a64_ccmp_imm(&a, false, sf, 4, 31, nzcv, (A64Cond)c));
                CHECK(FMT("ccmn %s, %s, %s, %s", gr(sf, A64_ZR), imm(0), imm(nzcv), conds[c]),
                      a64_ccmp_imm(&a, true, sf, A64_ZR, 0, nzcv, (A64Cond)c));
            }
        }
}

/* ---- loads and stores --------------------------------------------------- */

static const char *ldst_name(A64LdSt op, unsigned log2size, bool unscaled)
{
    static const char *const base[4][4] = {
        { "strb", "strh", "str", "str" },
        { "ldrb", "ldrh", "ldr", "ldr" },
        { "ldrsb", "ldrsh", "ldrsw", "" },
        { "ldrsb", "ldrsh", "", "" },
    };
    static const char *const ubase[4][4] = {
        { "sturb", "sturh", "stur", "stur" },
        { "ldurb", "ldurh", "ldur", "ldur" },
        { "ldursb", "ldursh", "ldursw", "" },
        { "ldursb", "ldursh", "", "" },
    };
    return unscaled ? ubase[op][log2size] : base[op][log2size];
}

/* The destination's register: X for 64-bit loads and sign-extensions to X. */
static bool ldst_x(A64LdSt op, unsigned log2size)
{
    return op == A64_LDRS_X || log2size == 3;
}

static void test_loads_stores(void **state)
{
    (void)state;
    char want[160];
    for (int op = 0; op < 4; op++)
        for (unsigned sz = 0; sz < 4; sz++) {
            if ((op == A64_LDRS_X && sz > 2) || (op == A64_LDRS_W && sz > 1))
                continue;
            bool x = ldst_x((A64LdSt)op, sz);
            int64_t scale = 1 << sz;
            int64_t offs[] = { 0, scale, 4095 * scale, -256, 255, -1, 4096 * scale, 1 };
            for (int r = 0; r <= A64_SP; r++) {
                int rt = r == A64_SP ? A64_ZR : r, rn = r == A64_ZR ? A64_SP : (r + 4) % 31;
                const char *t = x ? xr(rt) : wr(rt);
                for (unsigned k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
                    int64_t off = offs[k];
                    bool ok = a64_ldst_imm_ok(sz, off);
                    bool scaled = off >= 0 && off % scale == 0 && off / scale <= 4095;
                    assert_int_equal(ok, scaled || (off >= -256 && off <= 255));
                    if (!ok)
                        continue;
                    if (off)
                        FMT("%s %s, [%s, %s]", ldst_name((A64LdSt)op, sz, !scaled), t, xr(rn), imm(off));
                    else
                        FMT("%s %s, [%s]", ldst_name((A64LdSt)op, sz, false), t, xr(rn));
                    CHECK(want, a64_ldst_imm(&a, (A64LdSt)op, sz, rt, rn, off));
                    if (off >= -256 && off <= 255) {
                        if (off)
                            FMT("%s %s, [%s, %s]", ldst_name((A64LdSt)op, sz, true), t, xr(rn), imm(off));
                        else
                            FMT("%s %s, [%s]", ldst_name((A64LdSt)op, sz, true), t, xr(rn));
                        CHECK(want, a64_ldst_unscaled(&a, (A64LdSt)op, sz, rt, rn, (int)off));
                    }
                }
                /* register offsets: guest memory is [guest_base, waddr, uxtw] */
                static const A64Extend es[4] = { A64_UXTW, A64_UXTX, A64_SXTW, A64_SXTX };
                for (int e = 0; e < 4; e++)
                    for (int sc = 0; sc < 2; sc++) {
                        int rm = (r + 11) % 32;
                        bool xm = es[e] == A64_UXTX || es[e] == A64_SXTX;
                        char tail[32] = "";
                        if (es[e] == A64_UXTX)
                            snprintf(tail, sizeof(tail), sc ? ", lsl %s" : "", imm(sz));
                        else
                            snprintf(tail, sizeof(tail), sc ? ", %s %s" : ", %s", exts[es[e]], imm(sz));
                        FMT("%s %s, [%s, %s%s]", ldst_name((A64LdSt)op, sz, false), t, xr(rn), xm ? xr(rm) : wr(rm), tail);
                        CHECK(want, a64_ldst_reg(&a, (A64LdSt)op, sz, rt, rn, rm, es[e], sc));
                    }
            }
        }
    /* FP/SIMD registers */
    static const char pre[5] = { 0, 0, 's', 'd', 'q' };
    for (unsigned sz = 2; sz <= 4; sz++)
        for (int ld = 0; ld < 2; ld++)
            for (int v = 0; v < 32; v++) {
                int rn = v == 31 ? A64_SP : v;
                CHECK(FMT("%s %c%d, [%s, %s]", ld ? "ldr" : "str", pre[sz], v, xr(rn), imm(4095 << sz)),
                      a64_fp_ldst_imm(&a, ld, sz, v, rn, 4095 << sz));
                CHECK(FMT("%s %c%d, [%s, #-0x100]", ld ? "ldur" : "stur", pre[sz], v, xr(rn)),
                      a64_fp_ldst_imm(&a, ld, sz, v, rn, -256));
                CHECK(FMT("%s %c%d, [%s, w3, uxtw %s]", ld ? "ldr" : "str", pre[sz], v, xr(rn), imm(sz)),
                      a64_fp_ldst_reg(&a, ld, sz, v, rn, 3, A64_UXTW, true));
                CHECK(FMT("%s %c%d, [%s, x3]", ld ? "ldr" : "str", pre[sz], v, xr(rn)),
                      a64_fp_ldst_reg(&a, ld, sz, v, rn, 3, A64_UXTX, false));
            }
}

static void test_pairs(void **state)
{
    (void)state;
    char want[160];
    for (int ld = 0; ld < 2; ld++)
        for (int sf = 0; sf < 2; sf++) {
            int size = sf ? 8 : 4;
            int offs[] = { -64 * size, -size, 0, size, 63 * size };
            for (unsigned k = 0; k < 5; k++)
                for (int r = 0; r < 32; r++) {
                    int off = offs[k], rn = r == 31 ? A64_SP : r, t1 = (r + 1) % 32, t2 = (r + 2) % 32;
                    const char *op = ld ? "ldp" : "stp";
                    if (off)
                        FMT("%s %s, %s, [%s, %s]", op, gr(sf, t1), gr(sf, t2), xr(rn), imm(off));
                    else
                        FMT("%s %s, %s, [%s]", op, gr(sf, t1), gr(sf, t2), xr(rn));
                    CHECK(want, a64_ldstp(&a, ld, sf, t1, t2, rn, off, A64_OFFSET));
                    FMT("%s %s, %s, [%s, %s]!", op, gr(sf, t1), gr(sf, t2), xr(rn), imm(off));
                    CHECK(want, a64_ldstp(&a, ld, sf, t1, t2, rn, off, A64_PRE));
                    FMT("%s %s, %s, [%s], %s", op, gr(sf, t1), gr(sf, t2), xr(rn), imm(off));
                    CHECK(want, a64_ldstp(&a, ld, sf, t1, t2, rn, off, A64_POST));
                    FMT("%s d%d, d%d, [%s, %s]!", op, t1, t2, xr(rn), imm(offs[k] * 8 / size));
                    CHECK(want, a64_fp_ldstp(&a, ld, t1, t2, rn, offs[k] * 8 / size, A64_PRE));
                }
        }
}

/* ---- atomics, barriers, system registers -------------------------------- */

static void test_atomics_barriers_sysregs(void **state)
{
    (void)state;
    static const char *const sfx[4] = { "b", "h", "", "" };
    char want[160];
    for (unsigned sz = 0; sz < 4; sz++)
        for (int r = 0; r <= A64_SP; r++) {
            int rt = r == A64_SP ? A64_ZR : r, rn = r == A64_ZR ? A64_SP : (r + 2) % 31, rs = (r + 5) % 31;
            const char *t = sz == 3 ? xr(rt) : wr(rt);
            CHECK(FMT("ldxr%s %s, [%s]", sfx[sz], t, xr(rn)), a64_ldxr(&a, sz, false, rt, rn));
            CHECK(FMT("ldaxr%s %s, [%s]", sfx[sz], t, xr(rn)), a64_ldxr(&a, sz, true, rt, rn));
            CHECK(FMT("stxr%s %s, %s, [%s]", sfx[sz], wr(rs), t, xr(rn)), a64_stxr(&a, sz, false, rs, rt, rn));
            CHECK(FMT("stlxr%s %s, %s, [%s]", sfx[sz], wr(rs), t, xr(rn)), a64_stxr(&a, sz, true, rs, rt, rn));
            CHECK(FMT("ldar%s %s, [%s]", sfx[sz], t, xr(rn)), a64_ldar(&a, sz, rt, rn));
            CHECK(FMT("stlr%s %s, [%s]", sfx[sz], t, xr(rn)), a64_stlr(&a, sz, rt, rn));
        }
    /* CAS: the words GNU as gives for the text in the comment */
    static const struct { unsigned sz; bool acq, rel; int rs, rt, rn; uint32_t w; } cas[] = {
        { 2, false, false, 1, 2, 3, 0x88a17c62 },       /* cas w1, w2, [x3] */
        { 3, true, true, 1, 2, 3, 0xc8e1fc62 },         /* casal x1, x2, [x3] */
        { 0, true, false, 1, 2, 3, 0x08e17c62 },        /* casab w1, w2, [x3] */
        { 1, false, true, 1, 2, A64_SP, 0x48a1ffe2 },   /* caslh w1, w2, [sp] */
        { 3, true, false, 30, A64_ZR, 0, 0xc8fe7c1f },  /* casa x30, xzr, [x0] */
        { 2, false, true, 5, 6, 7, 0x88a5fce6 },        /* casl w5, w6, [x7] */
        { 0, false, false, 1, 2, 3, 0x08a17c62 },       /* casb w1, w2, [x3] */
        { 1, false, false, 1, 2, 3, 0x48a17c62 },       /* cash w1, w2, [x3] */
    };
    for (unsigned i = 0; i < sizeof(cas) / sizeof(cas[0]); i++) {
        start();
        a64_cas(&a, cas[i].sz, cas[i].acq, cas[i].rel, cas[i].rs, cas[i].rt, cas[i].rn);
        assert_int_equal(backend_asm_offset(&a), 4);
        assert_int_equal(word(0), cas[i].w);
    }
    static const struct { A64Barrier b; const char *n; } bars[] = {
        { A64_ISH, "ish" }, { A64_ISHLD, "ishld" }, { A64_ISHST, "ishst" }, { A64_SY, "sy" },
        { A64_LD, "ld" }, { A64_ST, "st" }, { A64_OSH, "osh" }, { A64_NSH, "nsh" },
    };
    for (unsigned i = 0; i < sizeof(bars) / sizeof(bars[0]); i++) {
        CHECK(FMT("dmb %s", bars[i].n), a64_dmb(&a, bars[i].b));
        CHECK(FMT("dsb %s", bars[i].n), a64_dsb(&a, bars[i].b));
    }
    CHECK("isb", a64_isb(&a));
    CHECK("nop", a64_nop(&a));
    CHECK("brk #0", a64_brk(&a, 0));
    CHECK("brk #0xffff", a64_brk(&a, 0xffff));
    static const struct { A64SysReg r; const char *n; } sys[] = {
        { A64_NZCV, "nzcv" }, { A64_FPCR, "fpcr" }, { A64_FPSR, "fpsr" }, { A64_TPIDR_EL0, "tpidr_el0" },
    };
    for (unsigned i = 0; i < 4; i++)
        for (int r = 0; r <= A64_ZR; r++) {
            CHECK(FMT("mrs %s, %s", xr(r), sys[i].n), a64_mrs(&a, r, sys[i].r));
            CHECK(FMT("msr %s, %s", sys[i].n, xr(r)), a64_msr(&a, sys[i].r, r));
        }
}

/* ---- control flow ------------------------------------------------------- */

/* Emit at `pc` a branch to `target`; expect it to reach or not. */
#define BR_CHECK(reaches, text, pc, call)                                 \
    do {                                                                  \
        start_at(pc);                                                     \
        bool ok_ = (call);                                                \
        assert_int_equal(ok_, reaches);                                   \
        if (reaches)                                                      \
            expect(text, __func__, __LINE__);                             \
        else                                                              \
            assert_int_equal(backend_asm_offset(&a), 0);                  \
    } while (0)

static void test_branches(void **state)
{
    (void)state;
    char want[160];
    const uintptr_t pc = 0x40000000u;
    /* B/BL: +-128 MiB */
    BR_CHECK(true, "b #0x47fffffc", pc, a64_b(&a, pc + (128u << 20) - 4));
    BR_CHECK(false, "", pc, a64_b(&a, pc + (128u << 20)));
    BR_CHECK(true, "bl #0x38000000", pc, a64_bl(&a, pc - (128u << 20)));
    BR_CHECK(false, "", pc, a64_bl(&a, pc - (128u << 20) - 4));
    BR_CHECK(true, "b #0x40000000", pc, a64_b(&a, pc));
    assert_true(a64_b_reaches(pc, pc - (128u << 20)));
    assert_false(a64_b_reaches(pc, pc + (128u << 20)));
    /* B.cond / CBZ: +-1 MiB */
    for (int c = 0; c < 16; c++) {
        BR_CHECK(true, FMT("b.%s #0x400ffffc", conds[c]), pc, a64_b_cond(&a, (A64Cond)c, pc + (1u << 20) - 4));
        BR_CHECK(false, "", pc, a64_b_cond(&a, (A64Cond)c, pc + (1u << 20)));
        BR_CHECK(true, FMT("b.%s #0x3ff00000", conds[c]), pc, a64_b_cond(&a, (A64Cond)c, pc - (1u << 20)));
        BR_CHECK(false, "", pc, a64_b_cond(&a, (A64Cond)c, pc - (1u << 20) - 4));
    }
    for (int r = 0; r <= A64_ZR; r++)
        for (int sf = 0; sf < 2; sf++) {
            BR_CHECK(true, FMT("cbz %s, #0x400ffffc", gr(sf, r)), pc, a64_cbz(&a, false, sf, r, pc + (1u << 20) - 4));
            BR_CHECK(true, FMT("cbnz %s, #0x3ff00000", gr(sf, r)), pc, a64_cbz(&a, true, sf, r, pc - (1u << 20)));
            BR_CHECK(false, "", pc, a64_cbz(&a, true, sf, r, pc + (1u << 20)));
        }
    /* TBZ/TBNZ: +-32 KiB, every bit */
    for (unsigned bit = 0; bit < 64; bit++) {
        int r = (int)(bit % 32);
        const char *t = bit < 32 ? wr(r) : xr(r);
        BR_CHECK(true, FMT("tbz %s, %s, #0x40007ffc", t, imm(bit)), pc, a64_tbz(&a, false, r, bit, pc + 0x8000 - 4));
        BR_CHECK(true, FMT("tbnz %s, %s, #0x3fff8000", t, imm(bit)), pc, a64_tbz(&a, true, r, bit, pc - 0x8000));
        BR_CHECK(false, "", pc, a64_tbz(&a, false, r, bit, pc + 0x8000));
        BR_CHECK(false, "", pc, a64_tbz(&a, true, r, bit, pc - 0x8000 - 4));
    }
    assert_true(a64_tbz_reaches(pc, pc + 0x7ffc));
    assert_false(a64_tbz_reaches(pc, pc - 0x8004));
    assert_true(a64_bcond_reaches(pc, pc - 0x100000));
    assert_false(a64_bcond_reaches(pc, pc + 0x100000));
    /* far-apart addresses do not wrap into range */
    assert_false(a64_b_reaches(0x1000, 0xfffffffffffff000ull - (1ull << 40)));
    /* LDR literal: +-1 MiB */
    for (int r = 0; r <= A64_ZR; r++) {
        BR_CHECK(true, FMT("ldr %s, #0x400ffffc", xr(r)), pc, a64_ldr_literal(&a, 3, false, r, pc + (1u << 20) - 4));
        BR_CHECK(true, FMT("ldr %s, #0x3ff00000", wr(r)), pc, a64_ldr_literal(&a, 2, false, r, pc - (1u << 20)));
        BR_CHECK(true, FMT("ldrsw %s, #0x40000008", xr(r)), pc, a64_ldr_literal(&a, 2, true, r, pc + 8));
        BR_CHECK(false, "", pc, a64_ldr_literal(&a, 3, false, r, pc + (1u << 20)));
    }
    for (int r = 0; r < 31; r++) {
        CHECK(FMT("br %s", xr(r)), a64_br(&a, r));
        CHECK(FMT("blr %s", xr(r)), a64_blr(&a, r));
    }
    CHECK("ret", a64_ret(&a));
    /* ADR: +-1 MiB bytes; ADRP: +-4 GiB in pages */
    BR_CHECK(true, "adr x3, #0x400fffff", pc, a64_adr(&a, 3, pc + (1u << 20) - 1));
    BR_CHECK(false, "", pc, a64_adr(&a, 3, pc + (1u << 20)));
    BR_CHECK(true, "adr x3, #0x3ff00000", pc, a64_adr(&a, 3, pc - (1u << 20)));
    BR_CHECK(true, "adrp x3, #0x13ffff000", pc, a64_adrp(&a, 3, pc + 0xfffff000ull + 0x123));
    BR_CHECK(false, "", pc, a64_adrp(&a, 3, pc + 0x100000000ull));
    BR_CHECK(true, "adrp x3, #0x7f0000000000", 0x7f00ffffffffull & ~3ull, a64_adrp(&a, 3, 0x7f0000000000ull));
}

static void test_patching(void **state)
{
    (void)state;
    const uintptr_t pc = 0x40000000u;
    /* a forward branch to a label placed later: emit to here, patch */
    start_at(pc);
    assert_true(a64_b(&a, a64_here(&a)));
    assert_true(a64_b_cond(&a, A64_NE, a64_here(&a)));
    assert_true(a64_cbz(&a, true, true, 5, a64_here(&a)));
    assert_true(a64_tbz(&a, false, 6, 33, a64_here(&a)));
    assert_true(a64_bl(&a, a64_here(&a)));
    assert_true(a64_adr(&a, 7, a64_here(&a)));
    assert_true(a64_adrp(&a, 8, a64_here(&a)));
    assert_true(a64_ldr_literal(&a, 3, false, 16, a64_here(&a)));
    assert_true(a64_ldr_literal(&a, 2, true, 17, a64_here(&a)));
    uintptr_t label = pc + 0x7000;
    for (size_t i = 0; i < 9; i++)
        assert_true(a64_patch_branch(&a, 4 * i, label));
    expect("b #0x40007000; b.ne #0x40007000; cbnz x5, #0x40007000; tbz x6, #0x21, #0x40007000; "
           "bl #0x40007000; adr x7, #0x40007000; adrp x8, #0x40007000; ldr x16, #0x40007000; "
           "ldrsw x17, #0x40007000",
           __func__, __LINE__);
    /* out of reach: false, instruction unchanged */
    uint32_t before = word(3);
    assert_false(a64_patch_branch(&a, 12, pc + 0x10000));
    assert_int_equal(word(3), before);
    before = word(1);
    assert_false(a64_patch_branch(&a, 4, pc + 0x200000));
    assert_int_equal(word(1), before);
    assert_true(a64_patch_branch(&a, 0, pc - (100u << 20)));
    assert_false(a64_patch_branch(&a, 0, pc + (200u << 20)));
    assert_true(a64_patch_branch(&a, 4, pc + 0xffffc));
    /* backwards */
    assert_true(a64_patch_branch(&a, 12, pc + 12 - 0x8000));
    assert_true(a64_patch_branch(&a, 28, pc + 28 - 0x100000));
    assert_false(a64_patch_branch(&a, 32, pc + 32 + 0x100000));
    expect("b #0x39c00000; b.ne #0x400ffffc; cbnz x5, #0x40007000; tbz x6, #0x21, #0x3fff800c; "
           "bl #0x40007000; adr x7, #0x40007000; adrp x8, #0x40007000; ldr x16, #0x3ff0001c; "
           "ldrsw x17, #0x40007000",
           __func__, __LINE__);
    /* not a branch, or outside what was emitted */
    start_at(pc);
    a64_nop(&a);
    assert_false(a64_patch_branch(&a, 0, pc));
    assert_false(a64_patch_branch(&a, 4, pc));
    assert_false(a64_patch_branch(&a, 2, pc));
    /* patching through a raw pointer at a different rx address (the
     * rw/rx dual mapping) */
    uint32_t w[1];
    start_at(pc);
    assert_true(a64_b(&a, pc));
    memcpy(w, buf, 4);
    assert_true(a64_patch_branch_at(w, 0x10000000, 0x10000000 + 0x400));
    memcpy(buf, w, 4);
    a.rx_start = 0x10000000;
    expect("b #0x10000400", __func__, __LINE__);
}

/* ---- floating point ----------------------------------------------------- */

static void test_float(void **state)
{
    (void)state;
    static const char *const op2[9] = { "fmul", "fdiv", "fadd", "fsub", "fmax", "fmin", "fmaxnm", "fminnm", "fnmul" };
    static const struct { A64FOp1 op; const char *n; } op1[] = {
        { A64_FMOV, "fmov" }, { A64_FABS, "fabs" }, { A64_FNEG, "fneg" }, { A64_FSQRT, "fsqrt" },
        { A64_FRINTN, "frintn" }, { A64_FRINTP, "frintp" }, { A64_FRINTM, "frintm" }, { A64_FRINTZ, "frintz" },
        { A64_FRINTA, "frinta" }, { A64_FRINTX, "frintx" }, { A64_FRINTI, "frinti" },
    };
    char want[160];
    for (int t = 0; t < 2; t++) {
        char p = t ? 'd' : 's';
        for (int v = 0; v < 32; v++) {
            int n = (v + 1) % 32, m = (v + 2) % 32, ad = (v + 3) % 32;
            for (int op = 0; op < 9; op++)
                CHECK(FMT("%s %c%d, %c%d, %c%d", op2[op], p, v, p, n, p, m), a64_fop2(&a, (A64FOp2)op, (A64FType)t, v, n, m));
            for (unsigned i = 0; i < sizeof(op1) / sizeof(op1[0]); i++)
                CHECK(FMT("%s %c%d, %c%d", op1[i].n, p, v, p, n), a64_fop1(&a, op1[i].op, (A64FType)t, v, n));
            CHECK(FMT("fmadd %c%d, %c%d, %c%d, %c%d", p, v, p, n, p, m, p, ad), a64_fmadd(&a, false, false, (A64FType)t, v, n, m, ad));
            CHECK(FMT("fmsub %c%d, %c%d, %c%d, %c%d", p, v, p, n, p, m, p, ad), a64_fmadd(&a, true, false, (A64FType)t, v, n, m, ad));
            CHECK(FMT("fnmadd %c%d, %c%d, %c%d, %c%d", p, v, p, n, p, m, p, ad), a64_fmadd(&a, true, true, (A64FType)t, v, n, m, ad));
            CHECK(FMT("fnmsub %c%d, %c%d, %c%d, %c%d", p, v, p, n, p, m, p, ad), a64_fmadd(&a, false, true, (A64FType)t, v, n, m, ad));
            CHECK(FMT("fcmp %c%d, %c%d", p, v, p, n), a64_fcmp(&a, false, (A64FType)t, v, n));
            CHECK(FMT("fcmpe %c%d, %c%d", p, v, p, n), a64_fcmp(&a, true, (A64FType)t, v, n));
            CHECK(FMT("fcmp %c%d, #0.0", p, v), a64_fcmp(&a, false, (A64FType)t, v, -1));
            CHECK(FMT("fcmpe %c%d, #0.0", p, v), a64_fcmp(&a, true, (A64FType)t, v, -1));
            CHECK(FMT("fcvt %c%d, %c%d", t ? 's' : 'd', v, p, n), a64_fcvt(&a, t ? A64_S : A64_D, (A64FType)t, v, n));
            CHECK(FMT("fcsel %c%d, %c%d, %c%d, %s", p, v, p, n, p, m, conds[v % 16]),
                  a64_fcsel(&a, (A64FType)t, v, n, m, (A64Cond)(v % 16)));
            int r = v;   /* general registers 0..31 = ZR */
            for (int sf = 0; sf < 2; sf++) {
                CHECK(FMT("fcvtzs %s, %c%d", gr(sf, r), p, n), a64_fcvtz(&a, false, sf, (A64FType)t, r, n));
                CHECK(FMT("fcvtzu %s, %c%d", gr(sf, r), p, n), a64_fcvtz(&a, true, sf, (A64FType)t, r, n));
                CHECK(FMT("scvtf %c%d, %s", p, n, gr(sf, r)), a64_cvtf(&a, false, (A64FType)t, sf, n, r));
                CHECK(FMT("ucvtf %c%d, %s", p, n, gr(sf, r)), a64_cvtf(&a, true, (A64FType)t, sf, n, r));
            }
            CHECK(FMT("fmov %c%d, %s", p, v, gr(t, n)), a64_fmov_gp(&a, true, t, v, n));
            CHECK(FMT("fmov %s, %c%d", gr(t, n), p, v), a64_fmov_gp(&a, false, t, v, n));
        }
    }
}

/* FMOV's immediates from the manual's description: +-n/16 * 2^r,
 * n = 16..31, r = -3..4 — 256 values, each encodable, and nothing else. */
static void test_fmov_immediates(void **state)
{
    (void)state;
    char want[160];
    unsigned found = 0;
    for (int sign = 0; sign < 2; sign++)
        for (int n = 16; n < 32; n++)
            for (int r = -3; r <= 4; r++) {
                double v = (sign ? -1.0 : 1.0) * n / 16.0 * (r < 0 ? 1.0 / (1 << -r) : (double)(1 << r));
                for (int t = 0; t < 2; t++) {
                    uint8_t imm8;
                    assert_true(a64_fmov_imm_encode((A64FType)t, v, &imm8));
                    CHECK(FMT("fmov %c%d, #%.8f", t ? 'd' : 's', (n + r) & 31, v),
                          a64_fmov_imm(&a, (A64FType)t, (n + r) & 31, v));
                }
                found++;
            }
    assert_int_equal(found, 256);
    static const double no[] = { 0.0, -0.0, 0.1, 32.0, 0.0625 * 31 / 32, 1.0 / 64, 1.03125, 33.0, 1e300,
                                 __builtin_inf(), -__builtin_inf(), __builtin_nan(""), 1.0 + 1e-12 };
    for (unsigned i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        uint8_t imm8;
        assert_false(a64_fmov_imm_encode(A64_D, no[i], &imm8));
        assert_false(a64_fmov_imm_encode(A64_S, no[i], &imm8));
    }
    /* every double whose top 16 bits match an FMOV value but lower bits differ */
    for (unsigned k = 0; k < 256; k++) {
        uint8_t imm8;
        double v;
        uint64_t bits;
        start();
        a64_fmov_imm(&a, A64_D, 0, 0.125 * (1 + (k & 15) / 16.0) * (1 << (k >> 4 & 7)) * (k & 128 ? -1 : 1));
        v = 0.125 * (1 + (k & 15) / 16.0) * (1 << (k >> 4 & 7)) * (k & 128 ? -1 : 1);
        memcpy(&bits, &v, 8);
        bits |= 1ull << (k % 48);
        memcpy(&v, &bits, 8);
        assert_false(a64_fmov_imm_encode(A64_D, v, &imm8));
    }
    for (int v = 0; v < 32; v++)
        CHECK(FMT("movi d%d, #0000000000000000", v), a64_fzero(&a, v));
}

static void test_overflow(void **state)
{
    (void)state;
    uint8_t small[6];
    backend_asm_init(&a, small, BASE, sizeof(small));
    a64_nop(&a);
    assert_false(a.overflow);
    a64_nop(&a);
    assert_true(a.overflow);
    assert_int_equal(backend_asm_offset(&a), 4);
}

static int setup(void **state)
{
    (void)state;
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK)
        return -1;
    const char *d = getenv("VEMU_A64_DUMP");
    if (d && *d)
        dump = fopen(d, "w");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cs_close(&cs);
    if (dump)
        fclose(dump);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bitmask_immediates),
        cmocka_unit_test(test_move_wide),
        cmocka_unit_test(test_mov_imm),
        cmocka_unit_test(test_mov_register_and_address),
        cmocka_unit_test(test_addsub),
        cmocka_unit_test(test_logical),
        cmocka_unit_test(test_multiply_divide_shift),
        cmocka_unit_test(test_conditional),
        cmocka_unit_test(test_loads_stores),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_atomics_barriers_sysregs),
        cmocka_unit_test(test_branches),
        cmocka_unit_test(test_patching),
        cmocka_unit_test(test_float),
        cmocka_unit_test(test_fmov_immediates),
        cmocka_unit_test(test_add_const),
        cmocka_unit_test(test_overflow),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
