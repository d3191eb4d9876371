/*
 * x86-fxsave.c — the FPU/SSE/AVX state to and from its memory images
 * (x86-fxsave.h): FSTENV/FSAVE (SDM vol. 1, 8.1.10, figures 8-9 to 8-12),
 * FXSAVE (vol. 2, FXSAVE, table 3-53/3-56), XSAVE (vol. 1, chapter 13).
 *
 * What the hardware writes in reserved places is copied from a real one
 * (an FNSTENV fills the upper halves of the 32-bit environment's 16-bit
 * fields with ones; FXSAVE writes zeros in the reserved bytes up to the
 * last XMM register and leaves bytes 416-511 alone, 464-511 being the
 * software's).  Tags: FSTENV/FSAVE show the full tag of each non-empty
 * register recomputed from its value (so an MMX-written register shows
 * "special", as on the hardware); FLDENV/FRSTOR honour only "empty" and
 * recompute the rest; FXSAVE's abridged byte is one bit per physical
 * register (not empty), FXRSTOR recomputes the full tags from it.
 */
#include "frontend-x86/x86-fxsave.h"
#include "frontend-x86/x86-vec-mxcsr.h"

#include <string.h>

#include "frontend-x86/x87.h"

static inline void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static inline uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

uint32_t x86_xsave_size(uint64_t xcr0)
{
    return (xcr0 & X86_XCR0_AVX) ? X86_XSAVE_AVX_OFF + X86_XSAVE_AVX_SIZE : X86_XSAVE_AVX_OFF;
}

uint32_t x86_mxcsr_mask(void) { return 0xffff; }

/* The full tag word as FSTENV shows it. */
static uint16_t full_tags(const X87State *f)
{
    uint16_t ftw = 0;
    for (unsigned p = 0; p < 8; p++) {
        unsigned t = x87_tag(f, p) == X87_TAG_EMPTY ? X87_TAG_EMPTY : x87_tag_of(&f->r[p]);
        ftw |= (uint16_t)(t << (2 * p));
    }
    return ftw;
}

/* Tags from a loaded tag word: empty stays, the rest from the values. */
static void load_tags(X87State *f, uint16_t ftw)
{
    for (unsigned p = 0; p < 8; p++) {
        unsigned t = ((ftw >> (2 * p)) & 3) == X87_TAG_EMPTY ? X87_TAG_EMPTY : x87_tag_of(&f->r[p]);
        x87_set_tag(f, p, t);
    }
}

/* ---- FSTENV / FLDENV / FSAVE / FRSTOR -------------------------------------- */

void x86_fstenv(const X86CPU *cpu, uint8_t *img, unsigned flags)
{
    const X87State *f = &cpu->fpu;
    if (flags & X86_FPU_OP16) {
        put16(img + 0, f->fcw);
        put16(img + 2, x87_fsw(f));
        put16(img + 4, full_tags(f));
        put16(img + 6, (uint16_t)f->fip);
        put16(img + 8, f->fcs);
        put16(img + 10, (uint16_t)f->fdp);
        put16(img + 12, f->fds);
        return;
    }
    put32(img + 0, 0xffff0000u | f->fcw);
    put32(img + 4, 0xffff0000u | x87_fsw(f));
    put32(img + 8, 0xffff0000u | full_tags(f));
    put32(img + 12, (uint32_t)f->fip);
    put32(img + 16, f->fcs | ((uint32_t)(f->fop & 0x7ff) << 16));
    put32(img + 20, (uint32_t)f->fdp);
    put32(img + 24, 0xffff0000u | f->fds);
}

void x86_fldenv(X86CPU *cpu, const uint8_t *img, unsigned flags)
{
    X87State *f = &cpu->fpu;
    uint16_t sw, tw;
    if (flags & X86_FPU_OP16) {
        f->fcw = get16(img + 0);
        sw = get16(img + 2);
        tw = get16(img + 4);
        f->fip = get16(img + 6);
        f->fcs = get16(img + 8);
        f->fdp = get16(img + 10);
        f->fds = get16(img + 12);
        f->fop = 0;
    } else {
        f->fcw = get16(img + 0);
        sw = get16(img + 4);
        tw = get16(img + 8);
        f->fip = get32(img + 12);
        f->fcs = get16(img + 16);
        f->fop = get16(img + 18) & 0x7ff;
        f->fdp = get32(img + 20);
        f->fds = get16(img + 24);
    }
    x87_set_fsw(f, sw);
    load_tags(f, tw);
}

static unsigned env_size(unsigned flags)
{
    return (flags & X86_FPU_OP16) ? X86_FENV16_SIZE : X86_FENV32_SIZE;
}

void x86_fsave(const X86CPU *cpu, uint8_t *img, unsigned flags)
{
    const X87State *f = &cpu->fpu;
    uint8_t *regs = img + env_size(flags);
    x86_fstenv(cpu, img, flags);
    for (unsigned i = 0; i < 8; i++) {
        const X87Reg *r = &f->r[x87_phys(f, i)];
        put64(regs + 10 * i, r->mant);
        put16(regs + 10 * i + 8, r->sign_exp);
    }
}

void x86_frstor(X86CPU *cpu, const uint8_t *img, unsigned flags)
{
    X87State *f = &cpu->fpu;
    const uint8_t *regs = img + env_size(flags);
    uint16_t sw = (flags & X86_FPU_OP16) ? get16(img + 2) : get16(img + 4);
    unsigned top = (sw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++) {
        X87Reg *r = &f->r[(top + i) & 7];
        r->mant = get64(regs + 10 * i);
        r->sign_exp = get16(regs + 10 * i + 8);
    }
    x86_fldenv(cpu, img, flags);
}

void x86_fpu_finit(X86CPU *cpu) { x87_init(&cpu->fpu); }

void x86_fpu_sync_host(const X86CPU *cpu)
{
    x87_sync_host_flags((X87State *)&cpu->fpu);
}

void x86_fpu_reset(X86CPU *cpu)
{
    x87_init(&cpu->fpu);
    memset(cpu->fpu.r, 0, sizeof cpu->fpu.r);
    memset(cpu->vec.ymm, 0, sizeof cpu->vec.ymm);
    cpu->vec.mxcsr = X86_MXCSR_DEFAULT;
}

/* ---- FXSAVE / FXRSTOR ------------------------------------------------------- */

static unsigned n_xmm(unsigned flags) { return (flags & X86_FPU_XMM16) ? 16 : 8; }

/* The x87 part of the legacy region (bytes 0-23 and 32-159). */
static void fxsave_x87(const X87State *f, uint8_t *img, unsigned flags)
{
    uint8_t abridged = 0;
    for (unsigned p = 0; p < 8; p++)
        if (x87_tag(f, p) != X87_TAG_EMPTY)
            abridged |= (uint8_t)(1u << p);
    put16(img + 0, f->fcw);
    put16(img + 2, x87_fsw(f));
    img[4] = abridged;
    img[5] = 0;
    put16(img + 6, f->fop & 0x7ff);
    if (flags & X86_FPU_REXW) {
        put64(img + 8, f->fip);
        put64(img + 16, f->fdp);
    } else {
        put32(img + 8, (uint32_t)f->fip);
        put16(img + 12, f->fcs);
        put16(img + 14, 0);
        put32(img + 16, (uint32_t)f->fdp);
        put16(img + 20, f->fds);
        put16(img + 22, 0);
    }
    for (unsigned i = 0; i < 8; i++) {
        const X87Reg *r = &f->r[x87_phys(f, i)];
        uint8_t *slot = img + 32 + 16 * i;
        put64(slot, r->mant);
        put16(slot + 8, r->sign_exp);
        memset(slot + 10, 0, 6);
    }
}

static void fxsave_mxcsr(const X86CPU *cpu, uint8_t *img)
{
    put32(img + 24, x86_vec_mxcsr_get(cpu));   /* with the SSE flags still pending */
    put32(img + 28, x86_mxcsr_mask());
}

static void fxsave_xmm(const X86CPU *cpu, uint8_t *img, unsigned flags)
{
    for (unsigned i = 0; i < n_xmm(flags); i++)
        memcpy(img + 160 + 16 * i, cpu->vec.ymm[i].b, 16);
}

void x86_fxsave(const X86CPU *cpu, uint8_t img[X86_FXSAVE_SIZE], unsigned flags)
{
    fxsave_x87(&cpu->fpu, img, flags);
    fxsave_mxcsr(cpu, img);
    fxsave_xmm(cpu, img, flags);
}

static void fxrstor_x87(X87State *f, const uint8_t *img, unsigned flags)
{
    f->fcw = get16(img + 0);
    uint16_t sw = get16(img + 2);
    uint8_t abridged = img[4];
    f->fop = get16(img + 6) & 0x7ff;
    if (flags & X86_FPU_REXW) {
        f->fip = get64(img + 8);
        f->fdp = get64(img + 16);
        f->fcs = f->fds = 0;
    } else {
        f->fip = get32(img + 8);
        f->fcs = get16(img + 12);
        f->fdp = get32(img + 16);
        f->fds = get16(img + 20);
    }
    unsigned top = (sw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++) {
        X87Reg *r = &f->r[(top + i) & 7];
        r->mant = get64(img + 32 + 16 * i);
        r->sign_exp = get16(img + 32 + 16 * i + 8);
    }
    for (unsigned p = 0; p < 8; p++)
        x87_set_tag(f, p, (abridged >> p) & 1 ? x87_tag_of(&f->r[p]) : X87_TAG_EMPTY);
    x87_set_fsw(f, sw);
}

static void fxrstor_xmm(X86CPU *cpu, const uint8_t *img, unsigned flags)
{
    for (unsigned i = 0; i < n_xmm(flags); i++)
        memcpy(cpu->vec.ymm[i].b, img + 160 + 16 * i, 16);
}

int x86_fxrstor(X86CPU *cpu, const uint8_t img[X86_FXSAVE_SIZE], unsigned flags)
{
    uint32_t mxcsr = get32(img + 24);
    if (mxcsr & ~x86_mxcsr_mask())
        return -1;
    fxrstor_x87(&cpu->fpu, img, flags);
    x86_vec_mxcsr_set(cpu, mxcsr);   /* the SSE flags pending in the host go */
    fxrstor_xmm(cpu, img, flags);
    return 0;
}

/* ---- XSAVE family ------------------------------------------------------------- */

void x86_xsave(const X86CPU *cpu, uint8_t *img, uint64_t rfbm, X86XsaveKind kind, unsigned flags)
{
    uint8_t *hdr = img + X86_XSAVE_HDR_OFF;
    rfbm &= X86_XCR0_SUPPORTED;
    if (rfbm & X86_XCR0_X87)
        fxsave_x87(&cpu->fpu, img, flags);
    if (rfbm & (X86_XCR0_SSE | X86_XCR0_AVX))
        fxsave_mxcsr(cpu, img);
    if (rfbm & X86_XCR0_SSE)
        fxsave_xmm(cpu, img, flags);
    if (rfbm & X86_XCR0_AVX)
        for (unsigned i = 0; i < n_xmm(flags); i++)
            memcpy(img + X86_XSAVE_AVX_OFF + 16 * i, cpu->vec.ymm[i].b + 16, 16);
    /* every component is reported in use (XINUSE = all ones) */
    if (kind == X86_XSAVE_C) {
        put64(hdr, rfbm);
        put64(hdr + 8, (1ull << 63) | rfbm);
    } else {
        put64(hdr, (get64(hdr) & ~rfbm) | rfbm);
    }
}

int x86_xrstor(X86CPU *cpu, const uint8_t *img, uint64_t rfbm, uint64_t xcr0, unsigned flags)
{
    const uint8_t *hdr = img + X86_XSAVE_HDR_OFF;
    uint64_t xstate_bv = get64(hdr), xcomp_bv = get64(hdr + 8);
    bool compacted = xcomp_bv >> 63;

    /* the header checks (SDM vol. 1, 13.8) */
    for (unsigned i = 16; i < 64; i++)
        if (hdr[i])
            return -1;
    if (compacted) {
        if ((xcomp_bv & ~(1ull << 63)) & ~xcr0)
            return -1;
        if (xstate_bv & ~xcomp_bv)
            return -1;
    } else {
        if (xcomp_bv)
            return -1;
        if (xstate_bv & ~xcr0)
            return -1;
    }
    rfbm &= X86_XCR0_SUPPORTED;
    /* MXCSR belongs to SSE and AVX both: the standard form loads it when
     * either is requested, the compacted one when either is also in use */
    bool sse_avx = rfbm & (X86_XCR0_SSE | X86_XCR0_AVX);
    bool load_mxcsr = sse_avx && (!compacted || (xstate_bv & (X86_XCR0_SSE | X86_XCR0_AVX)));
    uint32_t mxcsr = get32(img + 24);
    if (load_mxcsr && (mxcsr & ~x86_mxcsr_mask()))
        return -1;

    if (rfbm & X86_XCR0_X87) {
        if (xstate_bv & X86_XCR0_X87) {
            fxrstor_x87(&cpu->fpu, img, flags);
        } else {
            x87_init(&cpu->fpu);
            memset(cpu->fpu.r, 0, sizeof cpu->fpu.r);
        }
    }
    if (load_mxcsr)
        x86_vec_mxcsr_set(cpu, mxcsr);
    else if (sse_avx)
        x86_vec_mxcsr_set(cpu, X86_MXCSR_DEFAULT);
    if (rfbm & X86_XCR0_SSE) {
        if (xstate_bv & X86_XCR0_SSE)
            fxrstor_xmm(cpu, img, flags);
        else
            for (unsigned i = 0; i < n_xmm(flags); i++)
                memset(cpu->vec.ymm[i].b, 0, 16);
    }
    if (rfbm & X86_XCR0_AVX) {
        /* AVX sits right after the header in both forms (components 0 and
         * 1 live in the legacy region) */
        for (unsigned i = 0; i < n_xmm(flags); i++) {
            if (xstate_bv & X86_XCR0_AVX)
                memcpy(cpu->vec.ymm[i].b + 16, img + X86_XSAVE_AVX_OFF + 16 * i, 16);
            else
                memset(cpu->vec.ymm[i].b + 16, 0, 16);
        }
    }
    return 0;
}
