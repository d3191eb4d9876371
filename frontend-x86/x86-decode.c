/*
 * x86-decode.c — reading one x86 instruction: legacy prefixes, REX, VEX
 * (two- and three-byte), the opcode maps, the table row (generated from
 * *.decode by tools/gen-x86-decoder.py), ModRM/SIB/displacement, the
 * immediates, and the operands the row asks for (phase 1, bytes only);
 * then the effective address as IR (phase 2).  SDM vol. 2, chapter 2.
 */
#include <stddef.h>

#include "frontend-x86/x86-translate.h"

#include "frontend-x86/x86-decode.c.inc"

/* ---- fetching ------------------------------------------------------------ */

/* Read more of the instruction: up to the end of the page (a failed read
 * then means the page itself is not executable) or 15 bytes. */
static bool refill(DisasContext *s)
{
    uint64_t addr = s->pc + s->avail;
    if (!s->code64)
        addr = (uint32_t)addr;
    unsigned n = X86_INSN_MAX + 1 - s->avail;
    unsigned to_page = 4096 - (unsigned)(addr & 4095);
    if (n > to_page)
        n = to_page;
    bool ok = s->tr ? tr_code_read(s->tr, addr, s->bytes + s->avail, n)
                    : tr_code_probe(s->cpu, addr, s->bytes + s->avail, n);
    if (!ok)
        return false;
    s->avail += n;
    return true;
}

static uint8_t fetch8(DisasContext *s)
{
    if (s->len >= X86_INSN_MAX) {
        s->too_long = true;
        return 0;
    }
    if (s->len >= s->avail && !refill(s)) {
        s->fetch_failed = true;
        return 0;
    }
    return s->bytes[s->len++];
}

static uint64_t fetch_le(DisasContext *s, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)fetch8(s) << (8 * i);
    return v;
}

static int64_t fetch_signed(DisasContext *s, unsigned bytes)
{
    uint64_t v = fetch_le(s, bytes);
    unsigned sh = 64 - 8 * bytes;
    return bytes == 8 ? (int64_t)v : (int64_t)(v << sh) >> sh;
}

bool x86_fetch_modrm(DisasContext *s)
{
    if (!s->have_modrm) {
        s->modrm = fetch8(s);
        s->have_modrm = true;
    }
    return !s->fetch_failed && !s->too_long;
}

/* ---- ModRM memory operands ------------------------------------------------- */

static void decode_modrm_mem(DisasContext *s)
{
    unsigned mod = s->modrm >> 6, rm = s->modrm & 7;
    s->mem_base = s->mem_index = X86_MEM_NONE;
    s->mem_scale = 0;
    s->disp = 0;
    if (s->aflag == X86_OT_16) {
        static const int8_t base16[8] = { X86_RBX, X86_RBX, X86_RBP, X86_RBP, X86_RSI, X86_RDI, X86_RBP, X86_RBX };
        static const int8_t index16[8] = { X86_RSI, X86_RDI, X86_RSI, X86_RDI, -1, -1, -1, -1 };
        if (mod == 0 && rm == 6) {
            s->disp = (uint16_t)fetch_le(s, 2);
            return;
        }
        s->mem_base = base16[rm];
        s->mem_index = index16[rm];
        if (mod == 1)
            s->disp = fetch_signed(s, 1);
        else if (mod == 2)
            s->disp = fetch_signed(s, 2);
        /* default segment SS for BP-based forms: flat in user mode */
        return;
    }
    if (rm == 4) {
        uint8_t sib = fetch8(s);
        unsigned index = ((sib >> 3) & 7) | s->rex_x, base = sib & 7;
        s->mem_scale = sib >> 6;
        if (index != 4)
            s->mem_index = (int)index;
        if (base == 5 && mod == 0)
            s->disp = fetch_signed(s, 4);
        else
            s->mem_base = (int)(base | s->rex_b);
    } else if (rm == 5 && mod == 0) {
        s->disp = fetch_signed(s, 4);
        if (s->code64)
            s->mem_base = X86_MEM_RIP;
        return;
    } else {
        s->mem_base = (int)(rm | s->rex_b);
    }
    if (mod == 1)
        s->disp = fetch_signed(s, 1);
    else if (mod == 2)
        s->disp = fetch_signed(s, 4);
}

/* ---- operands ---------------------------------------------------------------- */

static unsigned resolve_ot(DisasContext *s, unsigned size)
{
    switch (size) {
    case X86_SZ_b: return X86_OT_8;
    case X86_SZ_w: return X86_OT_16;
    case X86_SZ_d: case X86_SZ_ss: case X86_SZ_si: return X86_OT_32;
    case X86_SZ_q: case X86_SZ_sd: case X86_SZ_pi: return X86_OT_64;
    case X86_SZ_v: return s->dflag;
    case X86_SZ_z: return s->dflag == X86_OT_16 ? X86_OT_16 : X86_OT_32;
    case X86_SZ_y: return s->code64 && s->rex_w ? X86_OT_64 : X86_OT_32;
    case X86_SZ_x: case X86_SZ_ps: case X86_SZ_pd: case X86_SZ_ph:
        return s->vex && s->vex_l ? X86_OT_256 : X86_OT_128;
    case X86_SZ_dq: return X86_OT_128;
    case X86_SZ_qq: return X86_OT_256;
    case X86_SZ_sh: return X86_OT_16;
    case X86_SZ_t: case X86_SZ_bcd: return X86_OT_80;
    default: return X86_OT_OTHER;
    }
}

/* A general register operand of size ot: without REX, byte registers 4..7
 * are AH CH DH BH. */
static void set_gpr(DisasContext *s, X86Operand *o, unsigned reg)
{
    o->reg = (uint8_t)reg;
    if (o->ot == X86_OT_8 && !s->rex && reg >= 4 && reg < 8) {
        o->reg = (uint8_t)(reg - 4);
        o->high_byte = true;
    }
}

static bool is_gpr_kind(unsigned kind)
{
    return kind == X86_OPK_E || kind == X86_OPK_G || kind == X86_OPK_R || kind == X86_OPK_Z ||
           kind == X86_OPK_B;
}

/* Fill d's operands from the row; false: the encoding is undefined (a
 * register-only operand given memory or the other way round). */
static bool decode_operands(DisasContext *s, X86Insn *d)
{
    const X86OpEntry *e = d->e;
    unsigned mod = s->modrm >> 6, rm = (s->modrm & 7) | s->rex_b, reg = ((s->modrm >> 3) & 7) | s->rex_r;
    unsigned vreg = s->code64 ? s->vex_v : (s->vex_v & 7u);
    int64_t jdisp = 0;
    int jop = -1;
    /* VEX.vvvv names a register only for rows with an H or B operand;
     * everywhere else it must be 1111b (stored inverted: 0) or the
     * instruction is #UD (SDM vol. 2, 2.3.6; in 32-bit code its top bit
     * is ignored, as vreg says) */
    if (s->vex && vreg != 0) {
        bool uses_vvvv = false;
        for (unsigned i = 0; i < e->n_ops; i++)
            uses_vvvv |= e->ops[i].kind == X86_OPK_H || e->ops[i].kind == X86_OPK_B;
        if (!uses_vvvv)
            return false;
    }
    d->n = e->n_ops;
    for (unsigned i = 0; i < e->n_ops; i++) {
        const X86OpSpec *sp = &e->ops[i];
        X86Operand *o = &d->op[i];
        *o = (X86Operand){ .kind = sp->kind, .size = sp->size, .ot = (uint8_t)resolve_ot(s, sp->size) };
        switch (sp->kind) {
        case X86_OPK_E: case X86_OPK_W:
            if (mod == 3)
                set_gpr(s, o, rm);
            else
                o->is_mem = true;
            if (sp->kind == X86_OPK_W)
                o->reg = (uint8_t)rm, o->high_byte = false;
            break;
        case X86_OPK_Q: case X86_OPK_F:
            if (mod == 3)
                o->reg = s->modrm & 7;
            else if (sp->kind == X86_OPK_Q)
                o->is_mem = true;
            else
                return false;
            break;
        case X86_OPK_M:
            if (mod == 3)
                return false;
            o->is_mem = true;
            break;
        case X86_OPK_R: case X86_OPK_U:
            if (mod != 3)
                return false;
            if (sp->kind == X86_OPK_R)
                set_gpr(s, o, rm);
            else
                o->reg = (uint8_t)rm;
            break;
        case X86_OPK_N:
            if (mod != 3)
                return false;
            o->reg = s->modrm & 7;
            break;
        case X86_OPK_G:
            set_gpr(s, o, reg);
            break;
        case X86_OPK_V: case X86_OPK_C: case X86_OPK_D:
            o->reg = (uint8_t)reg;
            break;
        case X86_OPK_P: case X86_OPK_S:
            o->reg = (s->modrm >> 3) & 7;
            break;
        case X86_OPK_H:
            o->reg = (uint8_t)vreg;
            break;
        case X86_OPK_B:
            set_gpr(s, o, vreg);
            break;
        case X86_OPK_L:
            o->imm = fetch8(s);
            o->reg = (uint8_t)((o->imm >> 4) & (s->code64 ? 15 : 7));
            break;
        case X86_OPK_I: {
            unsigned bytes = o->ot == X86_OT_8 ? 1 : o->ot == X86_OT_16 ? 2 : o->ot == X86_OT_64 &&
                             sp->size != X86_SZ_z ? 8 : 4;
            if (sp->size == X86_SZ_z)
                bytes = s->dflag == X86_OT_16 ? 2 : 4;
            o->imm = fetch_signed(s, bytes);
            break;
        }
        case X86_OPK_J: {
            unsigned bytes = sp->size == X86_SZ_b ? 1 : (s->dflag == X86_OT_16 && !s->code64) ? 2 : 4;
            jdisp = fetch_signed(s, bytes);
            jop = (int)i;
            break;
        }
        case X86_OPK_O: {
            unsigned bytes = 2u << (s->aflag - 1);
            o->imm = (int64_t)fetch_le(s, bytes);
            o->is_mem = true;
            break;
        }
        case X86_OPK_A:
            o->imm = (int64_t)fetch_le(s, s->dflag == X86_OT_16 ? 2 : 4);
            o->imm2 = (uint16_t)fetch_le(s, 2);
            break;
        case X86_OPK_Z:
            set_gpr(s, o, (s->opcode & 7) | s->rex_b);
            break;
        case X86_OPK_FIXREG:
            set_gpr(s, o, sp->reg);
            break;
        case X86_OPK_ONE:
            o->imm = 1;
            break;
        default:   /* X Y ST0: implicit */
            break;
        }
        (void)is_gpr_kind;
    }
    if (jop >= 0) {
        uint64_t t = s->pc + s->len + (uint64_t)jdisp;
        if (!s->code64)
            t = s->dflag == X86_OT_16 ? (uint16_t)t : (uint32_t)t;
        d->op[jop].imm = (int64_t)t;
    }
    return true;
}

/* ---- the instruction ------------------------------------------------------------ */

const X86OpEntry *x86_decode(DisasContext *s, X86Insn *d)
{
    unsigned last_rep = 0;
    uint8_t b;
    s->len = 0;
    s->avail = 0;
    s->fetch_failed = s->too_long = false;
    s->prefixes = 0;
    s->esc_x87 = false;
    s->seg = -1;
    s->rex = 0;
    s->rex_w = false;
    s->rex_r = s->rex_x = s->rex_b = 0;
    s->vex = false;
    s->vex_l = 0;
    s->vex_v = 0;
    s->have_modrm = false;
    s->modrm = 0;
    d->e = NULL;
    d->n = 0;
    d->ea = d->addr = IR_TEMP_NONE;

    for (;;) {
        b = fetch8(s);
        if (s->fetch_failed || s->too_long)
            return NULL;
        switch (b) {
        case 0xf3: s->prefixes |= X86_PRE_REPZ; s->prefixes &= ~X86_PRE_REPNZ; last_rep = 0xf3; break;
        case 0xf2: s->prefixes |= X86_PRE_REPNZ; s->prefixes &= ~X86_PRE_REPZ; last_rep = 0xf2; break;
        case 0xf0: s->prefixes |= X86_PRE_LOCK; break;
        case 0x2e: s->seg = X86_SEG_CS; break;
        case 0x36: s->seg = X86_SEG_SS; break;
        case 0x3e: s->seg = X86_SEG_DS; break;
        case 0x26: s->seg = X86_SEG_ES; break;
        case 0x64: s->seg = X86_SEG_FS; break;
        case 0x65: s->seg = X86_SEG_GS; break;
        case 0x66: s->prefixes |= X86_PRE_DATA; break;
        case 0x67: s->prefixes |= X86_PRE_ADDR; break;
        default:
            if (s->code64 && (b & 0xf0) == 0x40) {
                s->rex = b;       /* a legacy prefix after it cancels it */
                continue;
            }
            goto opcode;
        }
        s->rex = 0;
    }
opcode:
    if (s->rex) {
        s->rex_w = (s->rex >> 3) & 1;
        s->rex_r = (s->rex & 4) << 1;
        s->rex_x = (s->rex & 2) << 2;
        s->rex_b = (s->rex & 1) << 3;
    }
    s->mandatory = last_rep == 0xf3 ? X86_PFX_F3 : last_rep == 0xf2 ? X86_PFX_F2 :
                   (s->prefixes & X86_PRE_DATA) ? X86_PFX_66 : X86_PFX_NP;

    const X86OpEntry *e = NULL;
    if (b == 0xc4 || b == 0xc5) {
        uint8_t v1 = fetch8(s);
        if (s->fetch_failed || s->too_long)
            return NULL;
        if (!s->code64 && (v1 >> 6) != 3) {
            s->len--;            /* LES / LDS */
            goto legacy;
        }
        /* VEX after 66/F2/F3/LOCK/REX is undefined */
        if (s->rex || (s->prefixes & (X86_PRE_DATA | X86_PRE_REPZ | X86_PRE_REPNZ | X86_PRE_LOCK)))
            return NULL;
        s->vex = true;
        unsigned map = 1, pp, w = 0;
        s->rex_r = (v1 & 0x80) ? 0 : 8;
        if (b == 0xc5) {
            s->vex_v = (~v1 >> 3) & 15;
            s->vex_l = (v1 >> 2) & 1;
            pp = v1 & 3;
        } else {
            uint8_t v2 = fetch8(s);
            if (s->code64) {
                s->rex_x = (v1 & 0x40) ? 0 : 8;
                s->rex_b = (v1 & 0x20) ? 0 : 8;
            }
            map = v1 & 0x1f;
            w = v2 >> 7;
            s->vex_v = (~v2 >> 3) & 15;
            s->vex_l = (v2 >> 2) & 1;
            pp = v2 & 3;
        }
        if (!s->code64)
            s->rex_r = 0;
        s->rex_w = w;
        s->mandatory = (uint8_t[]){ X86_PFX_NP, X86_PFX_66, X86_PFX_F3, X86_PFX_F2 }[pp];
        s->opcode = fetch8(s);
        if (s->fetch_failed || s->too_long)
            return NULL;
        if (map == 1)
            e = x86_lookup_vex_0f(s, s->opcode);
        else if (map == 2)
            e = x86_lookup_vex_0f38(s, s->opcode);
        else if (map == 3)
            e = x86_lookup_vex_0f3a(s, s->opcode);
    } else {
legacy:
        if (b == 0x0f) {
            uint8_t b2 = fetch8(s);
            if (b2 == 0x38 || b2 == 0x3a) {
                s->opcode = fetch8(s);
                if (s->fetch_failed || s->too_long)
                    return NULL;
                e = b2 == 0x38 ? x86_lookup_0f38(s, s->opcode) : x86_lookup_0f3a(s, s->opcode);
            } else {
                s->opcode = b2;
                if (s->fetch_failed || s->too_long)
                    return NULL;
                e = x86_lookup_0f(s, s->opcode);
            }
        } else {
            s->opcode = b;
            s->esc_x87 = b >= 0xd8 && b <= 0xdf;
            e = x86_lookup_legacy(s, b);
        }
    }
    if (!e || s->fetch_failed || s->too_long)
        return NULL;
    d->e = e;

    /* operand and address sizes; a mandatory prefix the row used is no
     * size or repeat prefix */
    bool data16 = (s->prefixes & X86_PRE_DATA) && e->pfx != X86_PFX_66;
    if (e->pfx == X86_PFX_F3 || e->pfx == X86_PFX_F2)
        s->prefixes &= ~(X86_PRE_REPZ | X86_PRE_REPNZ);
    if (s->code64) {
        if (s->rex_w && !s->vex)
            s->dflag = X86_OT_64;
        else if (e->flags & X86_OPF_F64)
            s->dflag = X86_OT_64;
        else if (e->flags & X86_OPF_D64)
            s->dflag = data16 ? X86_OT_16 : X86_OT_64;
        else
            s->dflag = data16 ? X86_OT_16 : X86_OT_32;
        s->aflag = (s->prefixes & X86_PRE_ADDR) ? X86_OT_32 : X86_OT_64;
        /* CS DS ES SS overrides mean nothing in 64-bit mode */
        if (s->seg >= 0 && s->seg != X86_SEG_FS && s->seg != X86_SEG_GS)
            s->seg = -1;
    } else {
        s->dflag = data16 ? X86_OT_16 : X86_OT_32;
        s->aflag = (s->prefixes & X86_PRE_ADDR) ? X86_OT_16 : X86_OT_32;
    }
    if (e->has_modrm && (s->modrm >> 6) != 3)
        decode_modrm_mem(s);
    if (!decode_operands(s, d)) {
        d->e = NULL;
        return NULL;
    }
    if (s->fetch_failed || s->too_long)
        return NULL;
    return e;
}

/* ---- phase 2: addresses ------------------------------------------------------------ */

IRTemp x86_gen_seg_addr(DisasContext *s, int seg, IRTemp offset)
{
    /* user mode: every segment is flat except FS and GS, whose bases the
     * process sets (arch_prctl, set_thread_area) */
    if (seg != X86_SEG_FS && seg != X86_SEG_GS)
        return offset;
    IRTemp base = ir_ld_env(s->b, s->tl, offsetof(X86CPU, seg_base) + 8 * (unsigned)seg,
                            s->tl == IR_I64 ? IR_MO_Q : IR_MO_UL);
    return ir_add(s->b, offset, base);
}

void x86_gen_address(DisasContext *s, X86Insn *d)
{
    IRBlock *b = s->b;
    int memop = -1;
    for (unsigned i = 0; i < d->n; i++)
        if (d->op[i].is_mem)
            memop = (int)i;
    if (memop < 0)
        return;
    IRTemp ea;
    if (d->op[memop].kind == X86_OPK_O) {
        ea = tlc(s, (uint64_t)d->op[memop].imm & ot_mask(s->aflag));
    } else if (s->mem_base == X86_MEM_RIP) {
        uint64_t t = x86_next_pc(s) + (uint64_t)s->disp;
        ea = tlc(s, s->aflag == X86_OT_32 ? (uint32_t)t : t);
    } else {
        ea = IR_TEMP_NONE;
        if (s->mem_base >= 0)
            ea = cpu_regs[s->mem_base];
        if (s->mem_index >= 0) {
            IRTemp ix = cpu_regs[s->mem_index];
            if (s->mem_scale)
                ix = ir_shli(b, ix, s->mem_scale);
            ea = ea == IR_TEMP_NONE ? ix : ir_add(b, ea, ix);
        }
        if (ea == IR_TEMP_NONE)
            ea = tlc(s, (uint64_t)s->disp);
        else if (s->disp)
            ea = ir_add(b, ea, tlc(s, (uint64_t)s->disp));
        if (s->aflag == X86_OT_16)
            ea = ir_ext16u(b, ea);
        else if (s->aflag == X86_OT_32 && s->tl == IR_I64)
            ea = x86_zext(s, ea, X86_OT_32);
        else if (ea == cpu_regs[s->mem_base >= 0 ? s->mem_base : 0])
            ea = ir_mov(b, ea);   /* a copy: the instruction may write the base register */
    }
    d->ea = ea;
    d->addr = x86_gen_seg_addr(s, s->seg >= 0 ? s->seg : X86_SEG_DS, ea);
}
