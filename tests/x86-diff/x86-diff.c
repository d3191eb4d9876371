/* x86-diff.c — the random-instruction differential tester.
 *
 * Each test case is a random initial state (general registers, flags,
 * x87/MMX, SSE/AVX registers, MXCSR, 512 bytes of scratch memory) and a
 * random sequence of instructions drawn from x86-diff-table.c, written into
 * an executable buffer at a fixed address (so addresses in the results are
 * the same everywhere) and run through x86-diff-run.S.  The final state is
 * hashed; running the same binary natively and under an emulator with the
 * same arguments must print the same lines.  Flags the manual leaves
 * undefined are tracked through the sequence and masked; instructions that
 * read flags are only drawn when what they read is defined.
 *
 *   x86-diff [-m 32|64] -c CLASSES [-s SEED] [-n CASES] [-l LEN]
 *        prints "case K HASH" per case and "total HASH"
 *   ... -t K      prints "prefix J HASH" for the first J instructions, J = 1..LEN
 *   ... -p K J    prints the state after J instructions and instruction J's bytes
 *   -L            lists the rows of the selected classes
 * -m 32 draws only encodings that mean the same in 32- and 64-bit mode (no
 * REX, memory operands through SIB absolute or a base register), so the
 * x86_64 build runs the same i386 sequence natively: the host is the oracle
 * for i386 sequences too.  The default is the build's own mode. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "x86-diff.h"
#include "x86-diff-table.h"

#define MAXLEN 200

static int mode;                 /* 32 or 64: the encodings drawn */
static unsigned classes, fpmode;
static uint8_t *cp;              /* emit cursor */
static uint64_t rs;
static unsigned defined;         /* arithmetic flags defined at this point */

typedef struct {
    State init;
    uint8_t mem[SCRATCH];
    int len;
    uint32_t start[MAXLEN + 1];  /* group offsets in the code buffer */
    uint16_t row[MAXLEN];
    uint16_t defined_after[MAXLEN];
} Case;

static uint64_t rnd(void)
{
    uint64_t z = (rs += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static unsigned rn(unsigned n) { return (unsigned)(rnd() % n); }

static void b(uint8_t x) { *cp++ = x; }
static void b32(uint32_t x) { memcpy(cp, &x, 4); cp += 4; }
static void bn(uint64_t x, int n) { memcpy(cp, &x, (size_t)n); cp += n; }

/* ---- operands ------------------------------------------------------------ */
typedef struct { int mem, reg, mt, base; int8_t d8; uint32_t addr; } Opnd;
enum { MT_RIP, MT_ABS, MT_BASE };

static int pick_gpr(int size)
{
    for (;;) {
        int r = (int)rn(mode == 64 ? 16 : 8);
        if (r == 4 && !(size == 8 && mode == 32)) continue;   /* never the stack pointer */
        return r;
    }
}
static int pick_vec(void) { return (int)rn(mode == 64 ? 16 : 8); }
static int pick_reg(int kind, int size)
{
    return kind == R_GPR ? pick_gpr(size) : kind == R_MM ? (int)rn(8) : pick_vec();
}

/* a memory operand into the scratch area; a base register is set by a guard */
static Opnd pick_mem(int align)
{
    Opnd o = { .mem = 1 };
    unsigned off = 64 + rn(SCRATCH - 128);
    if (align) off &= ~(unsigned)(align - 1);
    o.addr = (uint32_t)(DATA_ADDR + off);
    unsigned t = rn(10);
    o.mt = mode == 64 ? (t < 4 ? MT_RIP : t < 7 ? MT_ABS : MT_BASE) : (t < 6 ? MT_ABS : MT_BASE);
    if (o.mt == MT_BASE) {
        o.base = pick_gpr(32);
        o.d8 = (int8_t)(rn(128) - 64);
        if (o.base >= 8) b(0x41);
        b((uint8_t)(0xb8 + (o.base & 7)));   /* mov base32, addr - d8 (zero-extends) */
        b32(o.addr - (uint32_t)(int32_t)o.d8);
    }
    return o;
}

static uint8_t *rip_fix;         /* disp32 to fix up at the end of the instruction */
static uint32_t rip_target;

static void modrm(int regf, const Opnd *o)
{
    if (!o->mem) { b((uint8_t)(0xc0 | (regf & 7) << 3 | (o->reg & 7))); return; }
    switch (o->mt) {
    case MT_RIP: b((uint8_t)(0x05 | (regf & 7) << 3)); rip_fix = cp; rip_target = o->addr; b32(0); break;
    case MT_ABS: b((uint8_t)(0x04 | (regf & 7) << 3)); b(0x25); b32(o->addr); break;
    default:
        if ((o->base & 7) == 4) { b((uint8_t)(0x44 | (regf & 7) << 3)); b(0x24); }
        else b((uint8_t)(0x40 | (regf & 7) << 3 | (o->base & 7)));
        b((uint8_t)o->d8);
    }
}
static void end_insn(void)
{
    if (rip_fix) {
        int32_t d = (int32_t)(rip_target - (uint32_t)(uintptr_t)cp);
        memcpy(rip_fix, &d, 4);
        rip_fix = NULL;
    }
}
static int rm_ext(const Opnd *o) { return o->mem ? (o->mt == MT_BASE ? o->base : 0) : o->reg; }

static uint64_t pick_imm(int n)
{
    static const uint64_t special[] = { 0, 1, 2, 7, 8, 15, 16, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000,
        0xffff, 0x7fffffff, 0x80000000, 0xffffffff, ~0ull };
    uint64_t v = rn(3) ? special[rn(sizeof special / sizeof special[0])] : rnd();
    return n == 8 ? v : v & ((1ull << (8 * n)) - 1);
}

static int choose_size(int sz)
{
    switch (sz) {
    case SZ_B: return 8;
    case SZ_V: { unsigned k = rn(mode == 64 ? 3 : 2); return k == 0 ? 16 : k == 1 ? 32 : 64; }
    case SZ_D: return 32;
    case SZ_DQ: return mode == 64 && rn(2) ? 64 : 32;
    case SZ_Q: return 64;
    default: return 0;
    }
}

/* legacy encoding: [lock] [66] [mandatory prefix] [REX] [map] op modrm [imm] */
static void legacy(const Row *r, int size, int regf, int reg_is_reg, const Opnd *o, int lock, int imm_n, uint64_t imm)
{
    if (lock) b(0xf0);
    if (size == 16 && r->pfx != 0x66) b(0x66);
    if (r->pfx) b(r->pfx);
    if (mode == 64) {
        int rex = 0x40 | (size == 64 ? 8 : 0) | (reg_is_reg && regf >= 8 ? 4 : 0) | (o && rm_ext(o) >= 8 ? 1 : 0);
        int force = (r->sz == SZ_B || r->szm == SZ_B);   /* byte registers: spl..dil, never ah..bh */
        if (rex != 0x40 || force) b((uint8_t)rex);
    }
    if (r->map) b(0x0f);
    if (r->map == 2) b(0x38);
    if (r->map == 3) b(0x3a);
    b(r->op);
    if (o) modrm(regf, o);
    if (imm_n) bn(imm, imm_n);
    end_insn();
}

static void vex(const Row *r, int W, int L, int reg, int vvvv, const Opnd *o, int imm_n, uint64_t imm)
{
    int R = reg >> 3 & 1, B = o && rm_ext(o) >= 8, pp = r->pfx == 0x66 ? 1 : r->pfx == 0xf3 ? 2 : r->pfx == 0xf2 ? 3 : 0;
    int map = r->map ? r->map : 1;
    if (map == 1 && !W && !B && rn(2)) {
        b(0xc5);
        b((uint8_t)((!R) << 7 | (~vvvv & 15) << 3 | L << 2 | pp));
    } else {
        b(0xc4);
        b((uint8_t)((!R) << 7 | 1 << 6 | (!B) << 5 | map));
        b((uint8_t)(W << 7 | (~vvvv & 15) << 3 | L << 2 | pp));
    }
    b(r->op);
    modrm(reg, o);
    if (imm_n) bn(imm, imm_n);
    end_insn();
}

static const unsigned cc_reads[16] = { OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF, ZF | SF | OF, ZF | SF | OF };
static int pick_cc(void)
{
    int ok[16], n = 0;
    for (int c = 0; c < 16; c++) if ((cc_reads[c] & ~defined) == 0) ok[n++] = c;
    return n ? ok[rn((unsigned)n)] : -1;
}

static void mov_imm32(int reg, uint32_t v)
{
    if (reg >= 8) b(0x41);
    b((uint8_t)(0xb8 + (reg & 7)));
    b32(v);
}

/* the flags after a shift or rotate by a known count c (-1: unknown) */
static void shift_flags(int ext, int size, int c)
{
    int rot = ext <= 3;
    if (c == 0) return;
    if (c < 0) { defined &= ~(unsigned)(rot ? OF : OF | AF | (size < 32 && ext != 7 ? CF : 0)); return; }
    if (rot) { defined |= CF; if (c == 1) defined |= OF; else defined &= ~(unsigned)OF; return; }
    defined |= SF | ZF | PF | CF | OF;
    defined &= ~(unsigned)AF;
    if (c != 1) defined &= ~(unsigned)OF;
    if (size < 32 && c >= size && ext != 7) defined &= ~(unsigned)CF;
}

/* emits one group for row r; returns 0 if the row cannot be drawn now */
static int gen_row(const Row *r)
{
    if ((r->rd & ~defined) != 0) return 0;
    int size = choose_size(r->sz), msize = r->szm ? choose_size(r->szm) : size;
    int align = (r->x & X_A16) || r->cls & (C_SSE | C_AVX) ? 16 : 0;
    Opnd o = { 0 };
    int imm_n = r->imm == 4 ? (size == 16 ? 2 : 4) : r->imm == 8 ? size / 8 : r->imm;
    uint64_t imm = imm_n ? pick_imm(imm_n) : 0;
    if (r->imm == 1 && r->immmask) imm &= r->immmask;
    int userm_mem = r->mem == M_ONLY || (r->mem == M_OK && rn(3) == 0);

    switch (r->kind) {
    case K_RM: case K_EXT: case K_EXTR: {
        int regf = r->kind == K_RM ? pick_reg(r->rk, size) : r->ext;
        if (r->kind == K_EXTR) {
            if (r->extset) { do regf = (int)rn(8); while (!(r->extset >> regf & 1)); }
            else regf = r->ext + (int)rn(4);
        }
        if (userm_mem) o = pick_mem(r->x & X_A16 ? 16 : align);
        else { o.reg = pick_reg(r->mk, msize); }
        int lock = (r->x & X_LOCK) && o.mem && rn(3) == 0;
        legacy(r, r->rk == R_GPR || r->mk == R_GPR ? size : 0, regf, r->kind == K_RM, &o, lock, imm_n, imm);
        break;
    }
    case K_ACC:
        if (size == 16) b(0x66);
        if (size == 64) b(0x48);
        b(r->op);
        bn(imm, imm_n);
        break;
    case K_OPREG: {
        int reg = pick_gpr(size);
        if (size == 16) b(0x66);
        if (mode == 64 && (size == 64 || reg >= 8 || size == 8)) b((uint8_t)(0x40 | (size == 64 ? 8 : 0) | (reg >= 8)));
        if (r->map) b(0x0f);
        b((uint8_t)(r->op + (reg & 7)));
        if (imm_n) bn(imm, imm_n);
        break;
    }
    case K_NONE:
        if (r->sz == SZ_V) { if (size == 16) b(0x66); if (size == 64) b(0x48); }
        if (r->map) b(0x0f);
        b(r->op);
        if (r->ext) b((uint8_t)r->ext);
        break;
    case K_SHIFT1: case K_SHIFTI: case K_SHIFTCL: {
        static const int exts[] = { 0, 1, 2, 3, 4, 5, 7 };
        int ext;
        do ext = exts[rn(7)]; while ((ext == 2 || ext == 3) && !(defined & CF));
        int c = -1, width_mask = size == 64 ? 63 : 31;
        if (r->kind == K_SHIFTCL && rn(2)) { c = (int)rn(71); b(0xb1); b((uint8_t)c); c &= width_mask; }   /* mov cl, imm8 */
        if (r->kind == K_SHIFTI) { imm = rn(71); imm_n = 1; c = (int)imm & width_mask; }
        if (r->kind == K_SHIFT1) c = 1;
        if (userm_mem) o = pick_mem(0); else o.reg = pick_gpr(size);
        legacy(r, size, ext, 0, &o, 0, imm_n, imm);
        shift_flags(ext, size, c);
        return 1;
    }
    case K_SHIFTD: {
        int c, width_mask = size == 64 ? 63 : 31;
        int reg = pick_gpr(size);
        if (r->op & 1) { c = (int)rn(71); b(0xb1); b((uint8_t)c); }   /* by cl: a known count */
        else { c = size == 16 ? (int)rn(16) : (int)rn(71); imm = (uint64_t)c; imm_n = 1; }
        c &= width_mask;
        if (userm_mem) o = pick_mem(0); else o.reg = pick_gpr(size);
        legacy(r, size, reg, 1, &o, 0, imm_n, imm);
        if (c) { defined |= CF | SF | ZF | PF | OF; defined &= ~(unsigned)AF; if (c != 1) defined &= ~(unsigned)OF; }
        return 1;
    }
    case K_DIV: {
        int d, sgn = r->ext == 7;
        do d = pick_gpr(size); while (d == 0 || d == 2 || (size == 8 && d == 4));
        Opnd od = { .reg = d };
        Row tmp = *r;
        if (size == 8) {
            if (sgn) { b(0x66); b(0x98); } else { b(0x0f); b(0xb6); b(0xc0); }     /* cbw / movzx eax, al */
        } else if (sgn) {
            if (size == 16) b(0x66);
            if (size == 64) b(0x48);
            b(0x99);                                                             /* cwd/cdq/cqo */
        } else { b(0x31); b(0xd2); }                                             /* xor edx, edx */
        tmp.op = size == 8 ? 0x80 : 0x83; tmp.sz = size == 8 ? SZ_B : SZ_V; tmp.pfx = 0; tmp.map = 0;
        if (sgn) legacy(&tmp, size, 4, 0, &od, 0, 1, 0xfe);                     /* and d, -2 */
        legacy(&tmp, size, 1, 0, &od, 0, 1, sgn ? 2 : 1);                         /* or d, 2 / 1 */
        legacy(r, size, r->ext, 0, &od, 0, 0, 0);
        break;
    }
    case K_SETCC: case K_CMOVCC: {
        int cc = pick_cc();
        if (cc < 0) return 0;
        Row tmp = *r;
        tmp.op = (uint8_t)(r->op + cc);
        int regf = r->kind == K_CMOVCC ? pick_gpr(size) : 0;
        if (userm_mem) o = pick_mem(0); else o.reg = pick_gpr(size);
        legacy(&tmp, size, regf, r->kind == K_CMOVCC, &o, 0, 0, 0);
        return 1;
    }
    case K_JCC: case K_JCC32: case K_LOOP: {
        int reg = pick_gpr(32), mlen = 5 + (reg >= 8);
        if (r->kind == K_LOOP) {
            mov_imm32(1, rn(4));             /* ecx = 0..3 */
            b(rn(2) ? 0xe2 : 0xe3);           /* loop / jecxz */
            b((uint8_t)mlen);
        } else {
            int cc = pick_cc();
            if (cc < 0) return 0;
            if (r->kind == K_JCC) { b((uint8_t)(0x70 + cc)); b((uint8_t)mlen); }
            else { b(0x0f); b((uint8_t)(0x80 + cc)); b32((uint32_t)mlen); }
        }
        mov_imm32(reg, (uint32_t)rnd());
        return 1;
    }
    case K_STRING: {
        int esz = (int)rn(mode == 64 ? 4 : 3);          /* 1, 2, 4, 8 bytes */
        b(rn(2) ? 0xfd : 0xfc);                          /* std / cld */
        mov_imm32(6, (uint32_t)(DATA_ADDR + 128 + rn(SCRATCH - 256)));
        mov_imm32(7, (uint32_t)(DATA_ADDR + 128 + rn(SCRATCH - 256)));
        mov_imm32(1, rn(10));
        unsigned k = rn(4);
        if (k == 1) b(0xf3);
        if (k == 2) b(r->wr ? 0xf2 : 0xf3);
        if (esz == 1) b(0x66);
        if (esz == 3) b(0x48);
        b((uint8_t)(r->op + (esz ? 1 : 0)));
        break;
    }
    case K_PUSHF: { int reg = pick_gpr(64); b(0x9c); if (reg >= 8) b(0x41); b((uint8_t)(0x58 + (reg & 7))); break; }
    case K_POPF: {
        int reg = pick_gpr(32);
        Row tmp = { .op = 0x81, .sz = SZ_D };
        Opnd od = { .reg = reg };
        legacy(&tmp, 32, 4, 0, &od, 0, 4, 0x8d5);      /* and r, 0x8d5 */
        tmp.op = 0x81;
        legacy(&tmp, 32, 1, 0, &od, 0, 4, 0x202);      /* or r, 0x202 */
        if (reg >= 8) b(0x41);
        b((uint8_t)(0x50 + (reg & 7)));
        b(0x9d);
        break;
    }
    case K_PUSHPOP: {
        int r1 = pick_gpr(64), r2 = pick_gpr(64);
        if (r1 >= 8) b(0x41);
        b((uint8_t)(0x50 + (r1 & 7)));
        if (r2 >= 8) b(0x41);
        b((uint8_t)(0x58 + (r2 & 7)));
        break;
    }
    case K_VRVM: case K_VRMV: case K_VVM: case K_VRM: {
        int L = r->vl == VL_ANY ? (int)rn(2) : r->vl;
        int W = r->vw == VW_SZ ? size == 64 : r->vw;
        int kind = r->cls & C_BMI ? R_GPR : R_XMM;
        int reg = pick_reg(kind, size), v = r->kind == K_VRM ? 0 : pick_reg(kind, size);
        if (r->kind == K_VVM) {
            reg = r->ext;
            if (r->extset) { do reg = (int)rn(8); while (!(r->extset >> reg & 1)); }
        }
        if (userm_mem && r->mem != M_NO) o = pick_mem(align);
        else o.reg = pick_reg(kind, size);
        if (r->x & X_IS4) imm = (uint64_t)(pick_vec() << 4);
        vex(r, W, L, reg, v, &o, imm_n, imm);
        break;
    }
    case K_VZERO: b(0xc5); b(r->vl ? 0xfc : 0xf8); b(0x77); break;
    case K_X87R: b(r->op); b((uint8_t)(0xc0 | r->ext << 3 | rn(8))); break;
    case K_X87M: { o = pick_mem(0); Row tmp = *r; tmp.sz = SZ_NONE; legacy(&tmp, 0, r->ext, 0, &o, 0, 0, 0); break; }
    case K_X87N: b(r->op); b((uint8_t)r->ext); break;
    }
    defined = (defined | r->wr) & ~(unsigned)r->un;
    return 1;
}

/* ---- state ---------------------------------------------------------------- */
static uint64_t pick_gpr_value(void)
{
    static const uint64_t v[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
        0x8000000000000000ull, 0x7fffffffffffffffull, ~0ull, 0x100000000ull };
    return rn(2) ? v[rn(sizeof v / sizeof v[0])] : rnd() >> rn(64);
}
static void pick_vector(uint8_t *p, int n)
{
    static const uint32_t f32[] = { 0, 0x80000000, 0x3f800000, 0xbf800000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000,
        0x7fc00000, 0x7fa00001, 0xffc12345, 0x7f7fffff, 0x00800000, 0x4f000000, 0xcf000001, 0x3eaaaaab, 0x47800000, 0x477fe000 };
    static const uint64_t f64[] = { 0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0x0000000000000001ull,
        0x7ff0000000000000ull, 0x7ff8000000000000ull, 0x7ff4000000000001ull, 0x41e0000000000000ull, 0xc3e0000000000000ull,
        0x3fd5555555555555ull, 0x000fffffffffffffull };
    for (int i = 0; i < n; i += 8) {
        unsigned k = rn(4);
        uint64_t v;
        if (k == 0) { uint32_t a = f32[rn(18)], c = f32[rn(18)]; v = (uint64_t)c << 32 | a; }
        else if (k == 1) v = f64[rn(11)];
        else if (k == 2) v = pick_gpr_value();
        else v = rnd();
        memcpy(p + i, &v, 8);
    }
}
static void pick_x87(uint8_t *p)
{
    static const uint8_t f80[][10] = {
        { 0 }, { 0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f }, { 0, 0, 0, 0, 0, 0, 0, 0xa0, 0x00, 0xc0 },
        { 0x35, 0xc2, 0x68, 0x21, 0xa2, 0xda, 0x0f, 0xc9, 0x00, 0x40 }, { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
        { 0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x7f }, { 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff },
        { 0, 0, 0, 0, 0, 0, 0, 0x80, 0x3e, 0x40 }, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x7f },
        { 0, 0, 0, 0, 0, 0, 0, 0x80, 0x00, 0x80 } };
    if (rn(3)) memcpy(p, f80[rn(10)], 10);
    else {
        uint64_t m = rnd() | 1ull << 63;
        uint16_t e = (uint16_t)((0x3fff + (int)rn(200) - 100) | (rn(2) << 15));
        memcpy(p, &m, 8);
        memcpy(p + 8, &e, 2);
    }
}

static void make_case(Case *c, uint64_t seed, int idx, int len, const int *pool, int npool)
{
    rs = seed * 0x100000001b3ull + (uint64_t)idx * 0x9e3779b97f4a7c15ull + 1;
    memset(c, 0, sizeof *c);
    for (int i = 0; i < 16; i++) c->init.gpr[i] = mode == 32 ? (uint32_t)pick_gpr_value() : pick_gpr_value();
    c->init.gpr[4] = 0;
    c->init.flags = 0x202 | (rnd() & ALL);
    for (int i = 0; i < SCRATCH; i += 8) pick_vector(c->mem + i, 8);
    uint16_t fcw = (uint16_t)(0x3f | (rn(2) ? 0x300 : rn(2) << 9) | rn(4) << 10 | 0x40);
    uint16_t fsw = (uint16_t)(rn(8) << 11 | (rnd() & 0x4700));
    memcpy(c->init.fx, &fcw, 2);
    memcpy(c->init.fx + 2, &fsw, 2);
    c->init.fx[4] = (uint8_t)rnd();
    uint32_t mxcsr = 0x1f80 | (uint32_t)rn(4) << 13 | (rn(4) == 0 ? 0x8040 : 0) | (uint32_t)(rnd() & 0x3f);
    memcpy(c->init.fx + 24, &mxcsr, 4);
    for (int i = 0; i < 8; i++) pick_x87(c->init.fx + 32 + 16 * i);
    for (int i = 0; i < 16; i++) pick_vector(c->init.ymm[i], 32);
    for (int i = 0; i < 16; i++) memcpy(c->init.fx + 160 + 16 * i, c->init.ymm[i], 16);

    cp = (uint8_t *)CODE_ADDR;
    defined = ALL;
    c->len = len;
    for (int g = 0; g < len; g++) {
        c->start[g] = (uint32_t)(cp - (uint8_t *)CODE_ADDR);
        for (;;) {
            int k = pool[rn((unsigned)npool)];
            uint8_t *save = cp;
            unsigned dsave = defined;
            if (gen_row(&rows[k])) { c->row[g] = (uint16_t)k; break; }
            cp = save;
            defined = dsave;
        }
        c->defined_after[g] = (uint16_t)defined;
    }
    c->start[len] = (uint32_t)(cp - (uint8_t *)CODE_ADDR);
}

/* cut the sequence after j groups: the jump back to the harness */
static void place_epilogue(const Case *c, int j)
{
    uint8_t *p = (uint8_t *)CODE_ADDR + c->start[j];
    p[0] = 0xff;
    p[1] = 0x25;
#ifdef __x86_64__
    uint32_t zero = 0;
    memcpy(p + 2, &zero, 4);                 /* jmp *0(%rip): the slot follows */
    uint64_t a = (uint64_t)(uintptr_t)back_from_block;
    memcpy(p + 6, &a, 8);
#else
    uint32_t slot = (uint32_t)(uintptr_t)(p + 6), a = (uint32_t)(uintptr_t)back_from_block;
    memcpy(p + 2, &slot, 4);                 /* jmp *slot */
    memcpy(p + 6, &a, 4);
#endif
}

/* ---- running and digesting ------------------------------------------------- */
static sigjmp_buf fault_jb;
static volatile int fault_sig;
static volatile uintptr_t fault_pc;
static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)si;
    fault_sig = sig;
#ifdef __x86_64__
    fault_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#else
    fault_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
#endif
    siglongjmp(fault_jb, 1);
}

typedef struct { uint64_t h; int print; } Dig;
static void dig(Dig *d, const char *what, const void *p, size_t n)
{
    const uint8_t *q = p;
    for (size_t i = 0; i < n; i++) { d->h ^= q[i]; d->h *= 0x100000001b3ull; }
    if (d->print) {
        printf("  %-8s", what);
        for (size_t i = n; i-- > 0;) printf("%02x", q[i]);
        printf("\n");
    }
}

/* runs the first j groups of c from its initial state; digests the result */
static uint64_t run_case(const Case *c, int j, int print)
{
    static State s;
    Dig d = { 0xcbf29ce484222325ull, print };
    s = c->init;
    memcpy((void *)DATA_ADDR, c->mem, SCRATCH);
    place_epilogue(c, j);
    fault_sig = 0;
    if (sigsetjmp(fault_jb, 1) == 0) {
        run_block(&s, (void *)CODE_ADDR, fpmode);
    } else {
        asm volatile("cld\n\tfninit");
        unsigned csr = 0x1f80;
        asm volatile("ldmxcsr %0" : : "m"(csr));
        uint32_t off = (uint32_t)(fault_pc - CODE_ADDR);
        char what[32];
        snprintf(what, sizeof what, "signal %d", fault_sig);
        dig(&d, what, &off, 4);
        return d.h;
    }
    unsigned mask = (j ? c->defined_after[j - 1] : ALL) | 0x400;   /* and DF */
    char name[16];
    int n = mode == 64 ? 16 : 8;
    for (int i = 0; i < n; i++) {
        if (i == 4) continue;
        static const char *const names64[] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
        snprintf(name, sizeof name, "%s", names64[i]);
        if (mode == 32) { uint32_t v = (uint32_t)s.gpr[i]; name[0] = 'e'; dig(&d, name, &v, 4); }
        else dig(&d, name, &s.gpr[i], 8);
    }
    uint32_t fl = (uint32_t)s.flags & mask;
    dig(&d, "flags", &fl, 4);
    for (int i = 0; i < SCRATCH; i += 32) {
        snprintf(name, sizeof name, "mem+%03x", i);
        dig(&d, name, (uint8_t *)DATA_ADDR + i, 32);
    }
    if (fpmode & FP_X87) {
        dig(&d, "fcw", s.fx, 2);
        dig(&d, "fsw", s.fx + 2, 2);
        dig(&d, "ftw", s.fx + 4, 1);
        /* an empty register's contents are not compared: the hardware
         * keeps the popped value there, vemu's x87 fast path may not
         * (docs/quirks.md) */
        unsigned top = (s.fx[3] >> 3) & 7;
        for (int i = 0; i < 8; i++) {
            static const uint8_t empty[10];
            snprintf(name, sizeof name, "st%d/mm%d", i, i);
            int used = s.fx[4] >> ((top + (unsigned)i) & 7) & 1;
            dig(&d, name, used ? s.fx + 32 + 16 * i : empty, 10);
        }
    }
    if (fpmode & (FP_X87 | FP_SSE)) dig(&d, "mxcsr", s.fx + 24, 4);
    if (fpmode & FP_SSE)
        for (int i = 0; i < n; i++) {
            snprintf(name, sizeof name, "%smm%d", fpmode & FP_AVX ? "y" : "x", i);
            dig(&d, name, s.ymm[i], fpmode & FP_AVX ? 32 : 16);
        }
    return d.h;
}

static unsigned parse_classes(const char *s)
{
    unsigned m = 0;
    char *dup = strdup(s), *save = NULL;
    for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int found = 0;
        for (int i = 0; class_names[i].name; i++)
            if (strcmp(t, class_names[i].name) == 0 || strcmp(t, "all") == 0) { m |= class_names[i].cls; found = 1; }
        if (!found) { fprintf(stderr, "x86-diff: unknown class '%s'\n", t); exit(2); }
    }
    free(dup);
    return m;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    int ncases = 200, len = 20, trace = -1, pcase = -1, pj = 0, list = 0;
#ifdef __x86_64__
    mode = 64;
#else
    mode = 32;
#endif
    classes = C_INT;
    setvbuf(stdout, NULL, _IOLBF, 0);   /* a crash under an emulator still shows how far it got */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc) mode = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-c") && i + 1 < argc) classes = parse_classes(argv[++i]);
        else if (!strcmp(argv[i], "-s") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "-n") && i + 1 < argc) ncases = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-l") && i + 1 < argc) len = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-t") && i + 1 < argc) trace = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-p") && i + 2 < argc) { pcase = atoi(argv[++i]); pj = atoi(argv[++i]); }
        else if (!strcmp(argv[i], "-L")) list = 1;
        else { fprintf(stderr, "usage: x86-diff [-m 32|64] [-c CLASSES] [-s SEED] [-n CASES] [-l LEN] [-t CASE | -p CASE J | -L]\n"); return 2; }
    }
#ifndef __x86_64__
    if (mode != 32) { fprintf(stderr, "x86-diff: the i386 build runs -m 32 only\n"); return 2; }
#endif
    if (len < 1 || len > MAXLEN) { fprintf(stderr, "x86-diff: -l 1..%d\n", MAXLEN); return 2; }
    int pool[1024], npool = 0;
    for (int i = 0; i < nrows; i++)
        if ((rows[i].cls & classes) && (mode == 64 || !(rows[i].x & X_64))) pool[npool++] = i;
    if (list) { for (int i = 0; i < npool; i++) printf("%s\n", rows[pool[i]].name); return 0; }
    if (!npool) { fprintf(stderr, "x86-diff: no rows\n"); return 2; }
    if (classes & (C_SSE | C_AVX)) fpmode |= FP_SSE;
    if (classes & C_AVX) fpmode |= FP_AVX;
    if (classes & (C_X87 | C_X87T | C_MMX)) fpmode |= FP_X87;

    if (mmap((void *)CODE_ADDR, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)CODE_ADDR
        || mmap((void *)DATA_ADDR, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)DATA_ADDR) {
        perror("x86-diff: mmap at the fixed addresses");
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    static Case c;
    if (pcase >= 0) {
        make_case(&c, seed, pcase, len, pool, npool);
        if (pj < 1 || pj > len) pj = len;
        printf("case %d instruction %d: %s\n  bytes   ", pcase, pj, rows[c.row[pj - 1]].name);
        for (uint32_t k = c.start[pj - 1]; k < c.start[pj]; k++) printf(" %02x", ((uint8_t *)CODE_ADDR)[k]);
        printf("\n  at      code+%#x\n", c.start[pj - 1]);
        run_case(&c, pj, 1);
        return 0;
    }
    if (trace >= 0) {
        make_case(&c, seed, trace, len, pool, npool);
        for (int j = 1; j <= len; j++) {
            make_case(&c, seed, trace, len, pool, npool);   /* the epilogue overwrote group j's bytes */
            printf("prefix %d %016llx\n", j, (unsigned long long)run_case(&c, j, 0));
        }
        return 0;
    }
    uint64_t total = 0xcbf29ce484222325ull;
    for (int k = 0; k < ncases; k++) {
        make_case(&c, seed, k, len, pool, npool);
        uint64_t h = run_case(&c, len, 0);
        printf("case %d %016llx\n", k, (unsigned long long)h);
        total = (total ^ h) * 0x100000001b3ull;
    }
    printf("total %016llx\n", (unsigned long long)total);
    return 0;
}
