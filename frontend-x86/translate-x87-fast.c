/*
 * translate-x87-fast.c — the x87 fast path (x87-fast.h, docs/x87.md "The
 * host x87 fast path").
 *
 * With the default control word, every exception masked, the guest's x87
 * instruction and the host's give the same bits.  So a block keeps the
 * guest's top registers on the host's x87 stack and emits the guest's own
 * instructions (IR x87 / x87_mem ops): register forms byte for byte, memory
 * forms on [guest_base + address] (a fault there changes nothing, as on the
 * hardware, and is a guest fault like a load's).  The block key holds TOP
 * and the empty registers, so stack faults are decided here; an instruction
 * that would fault, or that the fast path does not run, goes to the helpers
 * (translate-x87.c) after the host stack is written back.
 *
 * The model (X87Model): host ST(j) holds guest ST(j) for j < depth;
 * `dirty` registers are newer than the cpu state; `cc_live` condition bits
 * and new exception flags are in the host's status word until captured;
 * FIP/FOP of the last instruction are stored when a run of x87
 * instructions ends.  Before anything leaves the block or calls a helper
 * the stack goes back to the cpu state (IRBlock.exit_hook): on an exit's
 * path only; around a call it is reloaded after.  At a fault, the
 * insn_start word (map_word) tells restore_state what was where.
 *
 * Not kept: the contents of a register a pop emptied (the hardware leaves
 * the popped value there, FNSAVE/FXSAVE show it); the cpu state keeps the
 * older one.  docs/quirks.md.
 */
#include <stddef.h>

#include "exec/exec.h"
#include "frontend-x86/x86-translate.h"
#include "frontend-x86/x87-fast.h"
#include "frontend-x86/x87.h"

#define FPU_OFF(field) ((uint32_t)(offsetof(X86CPU, fpu) + offsetof(X87State, field)))
#define REG_OFF(p) ((uint32_t)(offsetof(X86CPU, fpu) + offsetof(X87State, r) + 16u * (p)))
/* FNSTSW's word: the end of fpu.image, which images never reach (832 bytes) */
#define SCRATCH (FPU_OFF(image) + sizeof(((X87State *)0)->image) - 16)

/* ---- the block key --------------------------------------------------------------- */

uint64_t x87_fast_tb_flags(const X86CPU *cpu)
{
    const X87State *f = &cpu->fpu;
    if (f->fcw != X87_CW_DEFAULT || (f->fsw & X87_SW_ES) || !exec_backend_host_x87())
        return 0;
    unsigned empty = 0;
    for (unsigned p = 0; p < 8; p++)
        if (x87_tag(f, p) == X87_TAG_EMPTY)
            empty |= 1u << p;
    return X86_TBF_X87 | (uint64_t)(f->top & 7) << X86_TBF_X87_TOP_SHIFT |
           (uint64_t)empty << X86_TBF_X87_EMPTY_SHIFT;
}

uint64_t x87_fast_exit_flags(const DisasContext *s)
{
    uint64_t f = s->tb_flags & ~(X86_TBF_X87 | 7ull << X86_TBF_X87_TOP_SHIFT | 0xffull << X86_TBF_X87_EMPTY_SHIFT);
    if (!s->x87.on)
        return f;
    return f | X86_TBF_X87 | (uint64_t)s->x87.m.top << X86_TBF_X87_TOP_SHIFT |
           (uint64_t)s->x87.m.empty << X86_TBF_X87_EMPTY_SHIFT;
}

/* ---- emitting -------------------------------------------------------------------- */

static IRTemp x87op(DisasContext *s, unsigned kind, unsigned opc, unsigned modrm, unsigned size, IRTemp in,
                    uint32_t off, IRType outt)
{
    IRBlock *b = s->b;
    IRTemp out = ir_temp_new(b, outt);
    if (in == IR_TEMP_NONE)
        in = ir_const(b, IR_I64, 0);
    uint64_t args[4] = { out, in, IR_X87_DESC(kind, opc, modrm, size), off };
    ir_emit(b, IR_OP_x87, args);
    return out;
}

static void host_reg(DisasContext *s, unsigned opc, unsigned modrm)
{
    x87op(s, IR_X87_REG, opc, modrm, 0, IR_TEMP_NONE, 0, IR_I32);
}

static unsigned phys(const X87Model *m, unsigned i) { return (m->top + i) & 7u; }

/* The host status word's live condition bits and the exception flags
 * into the cpu state's.  FNSTSW waits for every x87 instruction in flight,
 * so it is read only where the guest reads the status word (FNSTSW, the
 * helpers) or where a compare's C0 C2 C3 would otherwise be lost. */
static void capture(DisasContext *s)
{
    X87Model *m = &s->x87.m;
    if (!m->cc_live && !m->exc_live)
        return;
    IRBlock *b = s->b;
    unsigned take = m->cc_live;
    IRTemp sw = x87op(s, IR_X87_FNSTSW, 0, 0, 2, IR_TEMP_NONE, SCRATCH, IR_I32);
    IRTemp old = ir_ld_env(b, IR_I32, FPU_OFF(fsw), IR_MO_UW);
    IRTemp keep = ir_and(b, old, ir_const32(b, ~take & 0xffff));
    IRTemp add = ir_and(b, sw, ir_const32(b, X87_SW_EXC | take));
    ir_st_env(b, ir_or(b, keep, add), FPU_OFF(fsw), IR_MO_UW);
    m->cc_live = 0;
    m->exc_live = false;
}

/* Before vemu's own use of the host x87 (moving registers, a helper,
 * a loop's back edge), which clears C1: a compare's live C0 C2 C3 are
 * captured, a live C1 is given up: it reads 0, as after the register moves
 * vemu did (docs/quirks.md); the exception flags stay in the host's sticky
 * status word (x87_sync_host_flags merges them where C code reads it). */
static void relax(DisasContext *s)
{
    X87Model *m = &s->x87.m;
    if (m->cc_live & ~X87_SW_C1) {
        capture(s);
    } else if (m->cc_live) {
        /* C1 as a register move leaves it (vemu's FSTP/FLD m80 would) */
        IRBlock *b = s->b;
        IRTemp sw = ir_ld_env(b, IR_I32, FPU_OFF(fsw), IR_MO_UW);
        ir_st_env(b, ir_and(b, sw, ir_const32(b, ~X87_SW_C1 & 0xffff)), FPU_OFF(fsw), IR_MO_UW);
    }
    m->cc_live = 0;
    m->exc_live = false;
}

/* Every cached register back to the cpu state, the host stack empty. */
static void spill(DisasContext *s)
{
    X87Model *m = &s->x87.m;
    relax(s);
    for (unsigned j = 0; j < m->depth; j++) {
        if (m->dirty & (1u << j))
            x87op(s, IR_X87_ENV, 0xdb, 7 << 3, 0, IR_TEMP_NONE, REG_OFF(phys(m, j)), IR_I32);  /* fstp m80 */
        else
            host_reg(s, 0xdd, 0xd8);
    }
    m->depth = 0;
    m->dirty = 0;
}

static void reload(DisasContext *s, unsigned depth)
{
    X87Model *m = &s->x87.m;
    for (unsigned j = depth; j-- > 0;)
        x87op(s, IR_X87_ENV, 0xdb, 5 << 3, 0, IR_TEMP_NONE, REG_OFF(phys(m, j)), IR_I32);  /* fld m80 */
    m->depth = (uint8_t)depth;
    m->dirty = 0;
}

static void store_state(DisasContext *s)
{
    X87Model *m = &s->x87.m;
    if (!m->state_dirty)
        return;
    m->state_dirty = false;
    if (m->top == m->env_top && m->empty == m->env_empty)
        return;        /* pushed and popped back: the cpu state has it */
    m->env_top = m->top;
    m->env_empty = m->empty;
    uint32_t ftw = 0;
    for (unsigned p = 0; p < 8; p++)
        if (m->empty & (1u << p))
            ftw |= (uint32_t)X87_TAG_EMPTY << (2 * p);
    /* non-empty registers read as valid: every reader of the tag word
     * (FSTENV, FSAVE, the signal frames through them) recomputes a
     * non-empty register's tag from its value, as the hardware does */
    ir_st_env(s->b, ir_const32(s->b, m->top), FPU_OFF(top), IR_MO_32);
    ir_st_env(s->b, ir_const32(s->b, ftw), FPU_OFF(ftw), IR_MO_UW);
    m->state_dirty = false;
}

static void store_pointers(DisasContext *s)
{
    X87Model *m = &s->x87.m;
    if (!m->ptr_pending)
        return;
    IRBlock *b = s->b;
    ir_st_env(b, ir_const(b, IR_I64, m->ptr_pc), FPU_OFF(fip), IR_MO_Q);
    ir_st_env(b, ir_const32(b, ((const X86CPU *)s->cpu)->seg_sel[X86_SEG_CS]), FPU_OFF(fcs), IR_MO_UW);
    ir_st_env(b, ir_const32(b, m->ptr_fop), FPU_OFF(fop), IR_MO_UW);
    m->ptr_pending = false;
}

/* Leaving the block or calling a helper: everything but a live C1 */
void x87_fast_leave(DisasContext *s)
{
    if (!s->x87.on)
        return;
    spill(s);
    store_state(s);
    store_pointers(s);
}

void x87_fast_flush(DisasContext *s)
{
    if (!s->x87.on)
        return;
    capture(s);
    x87_fast_leave(s);
}

void x87_fast_sync(DisasContext *s)
{
    if (!s->x87.on)
        return;
    s->x87.m.exc_live = true;     /* flags of earlier blocks may be in the host's */
    x87_fast_flush(s);
}

/* guest ST(0..k) on the host stack.  The missing ST(depth..k) go below
 * the cached ones: FINCSTP k+1 times turns the host's free registers
 * into ST(7) downwards, FLD m80 fills them from ST(k) up to ST(depth) (the
 * pushes end with TOP depth registers above where it started), FDECSTP
 * depth times brings TOP back.  FINCSTP/FDECSTP move TOP only (they
 * clear C1: the live condition bits are captured first). */
static void ensure(DisasContext *s, unsigned k)
{
    X87Model *m = &s->x87.m;
    if (m->depth > k)
        return;
    relax(s);
    if (m->depth) {
        for (unsigned n = 0; n <= k; n++)
            host_reg(s, 0xd9, 0xf7);              /* fincstp */
    }
    for (unsigned j = k + 1; j-- > m->depth;)
        x87op(s, IR_X87_ENV, 0xdb, 5 << 3, 0, IR_TEMP_NONE, REG_OFF(phys(m, j)), IR_I32);  /* fld m80 */
    for (unsigned n = 0; n < m->depth; n++)
        host_reg(s, 0xd9, 0xf6);                  /* fdecstp */
    m->depth = (uint8_t)(k + 1);
}

/* ---- exits and calls ------------------------------------------------------------- */

static void exit_hook(IRBlock *b, IROpcode opc, int phase, void *opaque)
{
    DisasContext *s = opaque;
    X87Fast *x = &s->x87;
    (void)b;
    if (!x->on)
        return;
    if (opc == IR_OP_call) {
        if (x->exit_path) {
            if (phase == IR_HOOK_BEFORE)
                x87_fast_leave(s);
            return;
        }
        if (phase == IR_HOOK_BEFORE) {
            relax(s);
            x->saved = x->m;
            x87_fast_leave(s);
        } else {
            reload(s, x->saved.depth);
            x->m = x->saved;     /* the same model on both paths of a join */
            /* but the cpu state's TOP and tags now depend on the path */
            x->m.env_top = 0xff;
            x->m.state_dirty = true;
        }
        return;
    }
    if (phase == IR_HOOK_BEFORE) {
        if (!x->exit_path) {
            x->saved = x->m;
            x->exit_path = true;
        }
        x87_fast_flush(s);
    } else if (ir_op_defs[opc].flags & IR_OPF_BLOCK_END) {
        x->m = x->saved;
        x->exit_path = false;
    }
}

void x87_fast_start(DisasContext *s, uint64_t flags)
{
    X87Fast *x = &s->x87;
    *x = (X87Fast){ 0 };
    if (!(flags & X86_TBF_X87))
        return;
    x->on = true;
    x->m.top = x->m.env_top = (flags >> X86_TBF_X87_TOP_SHIFT) & 7;
    x->m.empty = x->m.env_empty = (flags >> X86_TBF_X87_EMPTY_SHIFT) & 0xff;
    s->b->exit_hook = exit_hook;
    s->b->exit_hook_opaque = s;
}

/* ---- what an instruction is ------------------------------------------------------ */

enum {
    K_NATIVE,      /* the guest's instruction on the host stack */
    K_FCOMI,       /* FCOMI/FUCOMI(P): the flags into EFLAGS */
    K_FNSTSW,      /* FNSTSW AX / m16 */
    K_NOP,
    K_PLAIN,       /* translate-x87.c's translation, which touches no register (FNSTCW) */
    K_SLOW,        /* translate-x87.c's helpers; the state stays predictable */
    K_DYNAMIC,     /* helpers that change the state unpredictably: the block ends */
};
enum { IO_NONE, IO_IN, IO_OUT, IO_IN80, IO_OUT80 };

typedef struct FastInfo {
    uint8_t kind;
    uint8_t need;      /* bit i: ST(i) must not be empty */
    uint8_t writes;    /* bit i: ST(i) written (before the pops) */
    uint8_t push, pops;
    uint8_t io, size;
    uint16_t cc;       /* condition bits the instruction defines */
} FastInfo;

#define C1 X87_SW_C1
#define CCALL X87_SW_CC

static FastInfo reg_form(unsigned opc, unsigned modrm)
{
    unsigned r = (modrm >> 3) & 7, i = modrm & 7;
    uint8_t st0i = (uint8_t)(1u | 1u << i);
    FastInfo f = { .kind = K_SLOW };
    switch (opc) {
    case 0xd8:
        f = (FastInfo){ K_NATIVE, st0i, 1, 0, 0, 0, 0, C1 };
        if (r == 2 || r == 3)
            f = (FastInfo){ K_NATIVE, st0i, 0, 0, r == 3, 0, 0, CCALL };
        break;
    case 0xd9:
        if (r == 0)
            f = (FastInfo){ K_NATIVE, (uint8_t)(1u << i), 0, 1, 0, 0, 0, C1 };
        else if (r == 1)
            f = (FastInfo){ K_NATIVE, st0i, st0i, 0, 0, 0, 0, C1 };
        else if (modrm == 0xd0)
            f.kind = K_NOP;
        else if (modrm == 0xe0 || modrm == 0xe1)
            f = (FastInfo){ K_NATIVE, 1, 1, 0, 0, 0, 0, C1 };
        else if (modrm == 0xe4 || modrm == 0xe5)
            f = (FastInfo){ K_NATIVE, 1, 0, 0, 0, 0, 0, CCALL };
        else if (r == 5 && i < 7)
            f = (FastInfo){ K_NATIVE, 0, 0, 1, 0, 0, 0, C1 };
        else if (r == 6 || r == 7) {
            static const FastInfo fn[16] = {
                [0] = { K_NATIVE, 1, 1, 0, 0, 0, 0, C1 },               /* f2xm1 */
                [1] = { K_NATIVE, 3, 2, 0, 1, 0, 0, C1 },               /* fyl2x */
                [2] = { K_SLOW },    /* fptan: pushes only for an argument in range */
                [3] = { K_NATIVE, 3, 2, 0, 1, 0, 0, C1 },               /* fpatan */
                [4] = { K_NATIVE, 1, 1, 1, 0, 0, 0, C1 },               /* fxtract */
                [5] = { K_SLOW },    /* fprem1: keeps C0 C3 for a NaN, the guest's, not the host's */
                [6] = { K_DYNAMIC }, [7] = { K_DYNAMIC },               /* fdecstp, fincstp */
                [8] = { K_SLOW },                                       /* fprem: as fprem1 */
                [9] = { K_NATIVE, 3, 2, 0, 1, 0, 0, C1 },               /* fyl2xp1 */
                [10] = { K_NATIVE, 1, 1, 0, 0, 0, 0, C1 },              /* fsqrt */
                [11] = { K_SLOW },                                      /* fsincos: as fptan */
                [12] = { K_NATIVE, 1, 1, 0, 0, 0, 0, C1 },              /* frndint */
                [13] = { K_NATIVE, 3, 1, 0, 0, 0, 0, C1 },              /* fscale */
                [14] = { K_NATIVE, 1, 1, 0, 0, 0, 0, C1 | X87_SW_C2 },  /* fsin */
                [15] = { K_NATIVE, 1, 1, 0, 0, 0, 0, C1 | X87_SW_C2 },  /* fcos */
            };
            f = fn[(r - 6) * 8 + i];
        }
        break;
    case 0xda:
        if (modrm == 0xe9)
            f = (FastInfo){ K_NATIVE, 3, 0, 0, 2, 0, 0, CCALL };       /* fucompp */
        break;
    case 0xdb:
        if (r == 5 || r == 6)
            f = (FastInfo){ K_FCOMI, st0i, 0, 0, 0, 0, 0, 0 };
        else if (modrm == 0xe0 || modrm == 0xe1 || modrm == 0xe4)
            f.kind = K_NOP;
        else if (modrm == 0xe3)
            f.kind = K_DYNAMIC;                                       /* fninit */
        break;
    case 0xdc:
        if (r != 2 && r != 3)
            f = (FastInfo){ K_NATIVE, st0i, (uint8_t)(1u << i), 0, 0, 0, 0, C1 };
        break;
    case 0xdd:
        if (r == 0)
            f.kind = K_DYNAMIC;                                       /* ffree */
        else if (r == 2 || r == 3)
            f = (FastInfo){ K_NATIVE, st0i, (uint8_t)(1u << i), 0, r == 3, 0, 0, C1 };
        else if (r == 4 || r == 5)
            f = (FastInfo){ K_NATIVE, st0i, 0, 0, r == 5, 0, 0, CCALL };
        break;
    case 0xde:
        if (r == 3)
            f = modrm == 0xd9 ? (FastInfo){ K_NATIVE, 3, 0, 0, 2, 0, 0, CCALL } : f;
        else if (r != 2)
            f = (FastInfo){ K_NATIVE, st0i, (uint8_t)(1u << i), 0, 1, 0, 0, C1 };
        break;
    case 0xdf:
        if (modrm == 0xe0)
            f.kind = K_FNSTSW;
        else if (r == 5 || r == 6)
            f = (FastInfo){ K_FCOMI, st0i, 0, 0, 1, 0, 0, 0 };
        else if (r == 0)
            f.kind = K_DYNAMIC;                                       /* ffreep */
        break;
    }
    return f;
}

static FastInfo mem_form(unsigned opc, unsigned r)
{
    static const uint8_t arith_size[8] = { [0] = 4, [2] = 4, [4] = 8, [6] = 2 };  /* D8 DA DC DE */
    FastInfo f = { .kind = K_SLOW };
    if (!(opc & 1)) {
        f = (FastInfo){ K_NATIVE, 1, 1, 0, 0, IO_IN, arith_size[opc & 7], C1 };
        if (r == 2 || r == 3)
            f = (FastInfo){ K_NATIVE, 1, 0, 0, r == 3, IO_IN, arith_size[opc & 7], CCALL };
        return f;
    }
    /* D9 m32fp, DB m32int/m80, DD m64fp, DF m16int/m64int */
    unsigned sz = opc == 0xd9 || opc == 0xdb ? 4 : opc == 0xdd ? 8 : 2;
    switch (r) {
    case 0:
        return (FastInfo){ K_NATIVE, 0, 0, 1, 0, IO_IN, (uint8_t)sz, C1 };
    case 1:
        if (opc == 0xd9)
            return f;
        return (FastInfo){ K_NATIVE, 1, 0, 0, 1, IO_OUT, (uint8_t)sz, C1 };     /* fisttp */
    case 2: case 3:
        return (FastInfo){ K_NATIVE, 1, 0, 0, r == 3, IO_OUT, (uint8_t)sz, C1 };
    case 4:
        return (FastInfo){ .kind = K_DYNAMIC };          /* fldenv, frstor, fbld */
    case 5:
        if (opc == 0xdb)
            return (FastInfo){ K_NATIVE, 0, 0, 1, 0, IO_IN80, 10, C1 };
        if (opc == 0xdf)
            return (FastInfo){ K_NATIVE, 0, 0, 1, 0, IO_IN, 8, C1 };
        return (FastInfo){ .kind = K_DYNAMIC };          /* fldcw */
    case 6:
        if (opc == 0xd9)
            return (FastInfo){ .kind = K_SLOW };         /* fnstenv */
        return (FastInfo){ .kind = K_DYNAMIC };          /* fnsave, fbstp */
    default:
        if (opc == 0xd9)
            return (FastInfo){ .kind = K_PLAIN };        /* fnstcw */
        if (opc == 0xdb)
            return (FastInfo){ K_NATIVE, 1, 0, 0, 1, IO_OUT80, 10, C1 };
        if (opc == 0xdd)
            return (FastInfo){ .kind = K_FNSTSW };
        return (FastInfo){ K_NATIVE, 1, 0, 0, 1, IO_OUT, 8, C1 };          /* fistp m64 */
    }
}

static FastInfo classify(DisasContext *s)
{
    unsigned opc = 0xd8 | (s->opcode & 7);
    if ((s->modrm >> 6) == 3)
        return reg_form(opc, s->modrm);
    return mem_form(opc, (s->modrm >> 3) & 7);
}

/* Can it run on the host stack as the block key says it is? */
static bool fits(const X87Model *m, const FastInfo *f)
{
    for (unsigned i = 0; i < 8; i++)
        if ((f->need & (1u << i)) && (m->empty & (1u << phys(m, i))))
            return false;                    /* a stack underflow */
    if (f->push && !(m->empty & (1u << phys(m, 7))))
        return false;                        /* an overflow */
    return true;
}

/* The insn_start word: bit 0 live, 1-3 TOP, 4-11 empty, 12-15 depth,
 * 16-23 dirty, 24-27 the live condition bits (C0 C1 C2 C3), 28 pointers
 * pending, 29-39 their FOP, 40-62 the instruction's pc minus their FIP. */
static uint64_t map_word(DisasContext *s)
{
    X87Model *m = &s->x87.m;
    if (m->ptr_pending && s->pc - m->ptr_pc >= (1u << 23))
        store_pointers(s);
    unsigned cc = (m->cc_live >> 8 & 7) | (m->cc_live & X87_SW_C3 ? 8 : 0);
    uint64_t w = X87_MAP_LIVE | (uint64_t)m->top << 1 | (uint64_t)m->empty << 4 | (uint64_t)m->depth << 12 |
                 (uint64_t)m->dirty << 16 | (uint64_t)cc << 24;
    if (m->ptr_pending)
        w |= 1ull << 28 | (uint64_t)(m->ptr_fop & 0x7ff) << 29 | (uint64_t)(s->pc - m->ptr_pc) << 40;
    return w;
}

uint64_t x87_fast_before(DisasContext *s, X86Insn *d, bool is_x87, bool *native)
{
    X87Fast *x = &s->x87;
    (void)d;
    *native = false;
    s->x87_info_kind = is_x87 ? classify(s).kind : K_NOP;
    if (!x->on)
        return 0;
    if (!is_x87) {
        /* the condition bits and the pointers must not wait across code
         * that may call a helper (the call's path writes the stack back) */
        if (x->m.cc_live & ~X87_SW_C1)
            capture(s);       /* a compare's result: nothing may lose it */
        store_pointers(s);
        return map_word(s);
    }
    FastInfo f = classify(s);
    if (f.kind == K_NOP || f.kind == K_PLAIN)
        return map_word(s);
    if ((f.kind != K_NATIVE && f.kind != K_FCOMI && f.kind != K_FNSTSW) || !fits(&x->m, &f)) {
        x87_fast_sync(s);
        s->x87_info_kind = f.kind == K_DYNAMIC ? K_DYNAMIC : K_SLOW;
        return map_word(s);
    }
    if (f.kind != K_FNSTSW) {
        unsigned want = 0;     /* registers wanted on the host: ST(0..want-1) */
        for (unsigned i = 0; i < 8; i++)
            if (f.need & (1u << i))
                want = i + 1;
        /* While nothing is live in the host's status word, take every
         * register the guest has on its stack: filling later would mean
         * reading the status word first (the fill clobbers C1), which
         * waits for the x87 pipeline. */
        unsigned full = 0;
        while (full < 8 && !(x->m.empty & (1u << phys(&x->m, full))))
            full++;
        if (!x->m.cc_live && full > want)
            want = full;
        if (want > x->m.depth)
            ensure(s, want - 1);
    }
    *native = true;
    return map_word(s);
}

/* ---- translating ------------------------------------------------------------------ */

static void note_push(X87Model *m)
{
    m->top = (m->top - 1) & 7;
    m->empty &= (uint8_t)~(1u << m->top);
    m->depth++;
    m->dirty = (uint8_t)(m->dirty << 1 | 1);
    m->state_dirty = true;
}

static void note_pop(X87Model *m)
{
    m->empty |= (uint8_t)(1u << m->top);
    m->top = (m->top + 1) & 7;
    m->depth--;
    m->dirty >>= 1;
    m->state_dirty = true;
}

/* FIP/FOP wait for the end of the run; FDP (a value) is stored now */
static void note_pointers(DisasContext *s, X86Insn *d)
{
    X87Model *m = &s->x87.m;
    m->ptr_pending = true;
    m->ptr_pc = s->pc;
    m->ptr_fop = (uint16_t)(((s->opcode & 7u) << 8) | s->modrm);
    if (d->n && d->op[0].is_mem)
        ir_st_env(s->b, x86_addr64(s, d->addr), FPU_OFF(fdp), IR_MO_Q);
}

static void x87mem(DisasContext *s, unsigned opc, unsigned digit, IRTemp addr)
{
    IRBlock *b = s->b;
    IRTemp out = ir_temp_new(b, IR_I32);
    uint64_t args[3] = { out, addr, IR_X87_DESC(IR_X87_ENV, opc, digit << 3, 0) };
    ir_emit(b, IR_OP_x87_mem, args);
}

static bool gen_fnstsw(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    s->x87.m.exc_live = true;     /* flags of earlier blocks may be in the host's */
    capture(s);
    IRTemp sw = ir_ld_env(b, IR_I32, FPU_OFF(fsw), IR_MO_UW);
    sw = ir_or(b, ir_and(b, sw, ir_const32(b, ~0x3800u & 0xffff)), ir_const32(b, (uint32_t)s->x87.m.top << 11));
    x87_gen_store_sw(s, d, sw);
    return true;
}

bool x87_fast_translate(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    X87Model *m = &s->x87.m;
    FastInfo f = classify(s);
    unsigned opc = 0xd8 | (s->opcode & 7), digit = (s->modrm >> 3) & 7;

    if (f.kind == K_FNSTSW)
        return gen_fnstsw(s, d);
    if (f.io != IO_NONE) {
        x87mem(s, opc, digit, d->addr);
    } else if (f.kind == K_FCOMI) {
        IRTemp fl = x87op(s, IR_X87_FCOMI, opc, s->modrm, 0, IR_TEMP_NONE, 0, IR_I32);
        if (s->tl == IR_I64)
            fl = ir_extu_i32_i64(b, fl);
        x86_set_cc(s, X86_CCK_EFLAGS, 0, IR_TEMP_NONE, fl, IR_TEMP_NONE);
    } else {
        host_reg(s, opc, s->modrm);
    }
    note_pointers(s, d);
    m->dirty |= f.writes;
    m->cc_live |= f.cc;
    m->exc_live = true;
    if (f.push)
        note_push(m);
    for (unsigned k = 0; k < f.pops; k++)
        note_pop(m);
    return true;
}

void x87_fast_after_slow(DisasContext *s)
{
    if (!s->x87.on && !exec_backend_host_x87())
        return;
    if (s->x87_info_kind == K_DYNAMIC || (s->x87.on && s->x87_info_kind == K_SLOW)) {
        /* the helpers moved TOP and the tags as they found them */
        s->x87.on = false;
        s->x87.dynamic = true;
        if (s->is_jmp == X86_DISAS_NEXT)
            s->is_jmp = X86_DISAS_END;
    }
}

void x87_fast_state_changed(DisasContext *s)
{
    if (!s->x87.on && !exec_backend_host_x87())
        return;
    x87_fast_sync(s);
    s->x87.on = false;
    s->x87.dynamic = true;
    if (s->is_jmp == X86_DISAS_NEXT)
        s->is_jmp = X86_DISAS_END;
}

void x87_fast_mmx(DisasContext *s, bool emms)
{
    if (!s->x87.on)
        return;
    x87_fast_flush(s);
    /* the instruction stores the tags (and an MMX instruction TOP 0) itself */
    if (!emms)
        s->x87.m.top = 0;
    s->x87.m.env_top = s->x87.m.top;
    s->x87.m.empty = s->x87.m.env_empty = emms ? 0xff : 0;
}

/* ---- at a fault ------------------------------------------------------------------- */

void x87_fast_restore(X86CPU *cpu, uint64_t map)
{
    X87State *f = &cpu->fpu;
    unsigned top = (map >> 1) & 7, empty = (map >> 4) & 0xff, depth = (map >> 12) & 15;
    unsigned dirty = (map >> 16) & 0xff, cc4 = (map >> 24) & 15;
    unsigned cc = (cc4 & 7) << 8 | (cc4 & 8 ? X87_SW_C3 : 0);
    HostX87Stack hs;
    host_x87_take_stack(&hs);
    /* an empty host stack: a call's path wrote everything back already */
    if (hs.depth == depth) {
        for (unsigned j = 0; j < depth; j++)
            if (dirty & (1u << j)) {
                X87Reg *r = &f->r[(top + j) & 7];
                r->mant = hs.st[j].mant;
                r->sign_exp = hs.st[j].sign_exp;
            }
    }
    if (hs.depth == depth)
        f->fsw = (uint16_t)((f->fsw & ~cc) | (hs.sw & cc));
    /* the flags the fast path raised live in the host's status word, which
     * the fault took away */
    f->fsw |= hs.sw & X87_SW_EXC;
    if (map & (1ull << 28)) {
        f->fip = cpu->rip - ((map >> 40) & 0x7fffff);
        f->fop = (map >> 29) & 0x7ff;
        f->fcs = cpu->seg_sel[X86_SEG_CS];
    }
    f->top = top;
    for (unsigned p = 0; p < 8; p++)
        x87_set_tag(f, p, (empty & (1u << p)) ? X87_TAG_EMPTY : x87_tag_of(&f->r[p]));
}
