/*
 * x86-encode.c — x86_64 instruction encoding (see x86-encode.h).
 *
 * Everything funnels through two emitters: op_rr() for a register ModRM
 * operand and op_rm() for a memory operand.  An opcode is described by an
 * `unsigned` holding its final byte plus flag bits for the prefixes and
 * escape bytes it needs, so each instruction below is one line.
 */
#include <string.h>

#include "x86-encode.h"
#include "exec/backend.h"

enum {
    OPC_REXW   = 1 << 8,   /* 64-bit operand size */
    OPC_P66    = 1 << 9,   /* 16-bit operand size */
    OPC_F3     = 1 << 10,
    OPC_F2     = 1 << 11,
    OPC_0F     = 1 << 12,  /* two-byte opcode */
    OPC_0F38   = 1 << 13,  /* three-byte opcode 0F 38 xx */
    OPC_BREG   = 1 << 14,  /* the ModRM.reg operand is a byte register */
    OPC_BRM    = 1 << 15,  /* the ModRM.rm register operand is a byte register */
    OPC_LOCK   = 1 << 16,
};

#define W(w64) ((w64) ? OPC_REXW : 0)

void x86_byte(X86Asm *a, uint8_t b)
{
    if (a->p < a->end)
        *a->p++ = b;
    else
        a->overflow = true;
}

void x86_u32(X86Asm *a, uint32_t v)
{
    if (a->end - a->p >= 4) {
        memcpy(a->p, &v, 4);
        a->p += 4;
    } else {
        a->overflow = true;
        a->p = a->end;
    }
}

void x86_u64(X86Asm *a, uint64_t v)
{
    x86_u32(a, (uint32_t)v);
    x86_u32(a, (uint32_t)(v >> 32));
}

static bool fits_i8(int64_t v) { return v == (int8_t)v; }

/* Prefixes, REX and opcode bytes.  r is the ModRM.reg field (or -1),
 * x the SIB index (or -1), b the ModRM.rm / SIB base / opcode register
 * (or -1). */
static void emit_opc(X86Asm *a, unsigned opc, int r, int x, int b)
{
    if (opc & OPC_LOCK)
        x86_byte(a, 0xf0);
    if (opc & OPC_P66)
        x86_byte(a, 0x66);
    if (opc & OPC_F3)
        x86_byte(a, 0xf3);
    if (opc & OPC_F2)
        x86_byte(a, 0xf2);
    unsigned rex = 0;
    if (opc & OPC_REXW)
        rex |= 8;
    if (r >= 8)
        rex |= 4;
    if (x >= 8)
        rex |= 2;
    if (b >= 8)
        rex |= 1;
    /* spl/bpl/sil/dil exist only with a REX prefix (else they mean ah..bh) */
    bool need = rex || ((opc & OPC_BREG) && r >= 4) || ((opc & OPC_BRM) && b >= 4);
    if (need)
        x86_byte(a, (uint8_t)(0x40 | rex));
    if (opc & (OPC_0F | OPC_0F38))
        x86_byte(a, 0x0f);
    if (opc & OPC_0F38)
        x86_byte(a, 0x38);
    x86_byte(a, (uint8_t)opc);
}

static void op_rr(X86Asm *a, unsigned opc, int reg, int rm)
{
    emit_opc(a, opc, reg, -1, rm);
    x86_byte(a, (uint8_t)(0xc0 | ((reg & 7) << 3) | (rm & 7)));
}

static void op_rm(X86Asm *a, unsigned opc, int reg, X86Mem m)
{
    emit_opc(a, opc & ~OPC_BRM, reg, m.index, m.base);
    unsigned r3 = (unsigned)(reg & 7) << 3;
    if (m.base == X86_NOREG) {
        /* [index*s + disp32] or absolute [disp32]: SIB with no base */
        x86_byte(a, (uint8_t)(0x04 | r3));
        unsigned idx = m.index == X86_NOREG ? 4 : (unsigned)(m.index & 7);
        x86_byte(a, (uint8_t)((m.scale << 6) | (idx << 3) | 5));
        x86_u32(a, (uint32_t)m.disp);
        return;
    }
    unsigned mod;
    if (m.disp == 0 && (m.base & 7) != 5)   /* rbp/r13 need an explicit disp */
        mod = 0;
    else if (fits_i8(m.disp))
        mod = 1;
    else
        mod = 2;
    if (m.index != X86_NOREG || (m.base & 7) == 4) {   /* rsp/r12 need a SIB */
        unsigned idx = m.index == X86_NOREG ? 4 : (unsigned)(m.index & 7);
        x86_byte(a, (uint8_t)((mod << 6) | r3 | 4));
        x86_byte(a, (uint8_t)((m.scale << 6) | (idx << 3) | (m.base & 7)));
    } else {
        x86_byte(a, (uint8_t)((mod << 6) | r3 | (m.base & 7)));
    }
    if (mod == 1)
        x86_byte(a, (uint8_t)m.disp);
    else if (mod == 2)
        x86_u32(a, (uint32_t)m.disp);
}

void x86_nops(X86Asm *a, unsigned n)
{
    /* The recommended multi-byte nops (0F 1F /0 with growing addressing). */
    static const uint8_t nop[9][9] = {
        { 0 },
        { 0x90 },
        { 0x66, 0x90 },
        { 0x0f, 0x1f, 0x00 },
        { 0x0f, 0x1f, 0x40, 0x00 },
        { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
        { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
        { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
        { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    };
    while (n) {
        unsigned k = n > 8 ? 8 : n;
        for (unsigned i = 0; i < k; i++)
            x86_byte(a, nop[k][i]);
        n -= k;
    }
}

/* ---- moves ----------------------------------------------------------------- */

void x86_mov_rr(X86Asm *a, bool w64, int dst, int src)
{
    op_rr(a, 0x89 | W(w64), src, dst);
}

void x86_mov_ri(X86Asm *a, bool w64, int dst, uint64_t imm)
{
    if (!w64)
        imm = (uint32_t)imm;
    if (imm == (uint32_t)imm) {                 /* mov r32, imm32 zero-extends */
        emit_opc(a, 0xb8 + (dst & 7), -1, -1, dst);
        x86_u32(a, (uint32_t)imm);
    } else if ((int64_t)imm == (int32_t)imm) {  /* mov r/m64, simm32 */
        op_rr(a, 0xc7 | OPC_REXW, 0, dst);
        x86_u32(a, (uint32_t)imm);
    } else {                                    /* movabs */
        emit_opc(a, (0xb8 + (dst & 7)) | OPC_REXW, -1, -1, dst);
        backend_reloc_note(a->relocs, x86_offset(a), BACKEND_RELOC_IMM64);   /* maybe an address */
        x86_u64(a, imm);
    }
}

void x86_mov_addr(X86Asm *a, int dst, uintptr_t addr)
{
    int64_t d = (int64_t)(addr - (x86_rx_here(a) + 7));
    if (addr != (uint32_t)addr && d == (int32_t)d) {
        emit_opc(a, 0x8d | OPC_REXW, dst, -1, -1);          /* lea dst, [rip + d] */
        x86_byte(a, (uint8_t)(((dst & 7) << 3) | 5));
        backend_reloc_note(a->relocs, x86_offset(a), BACKEND_RELOC_REL32);   /* an address outside */
        x86_u32(a, (uint32_t)d);
    } else {
        x86_mov_ri(a, true, dst, addr);
    }
}

void x86_load(X86Asm *a, unsigned size, bool sign, bool w64, int dst, X86Mem m)
{
    switch (size) {
    case 1:
        op_rm(a, (sign ? 0xbe : 0xb6) | OPC_0F | (sign ? W(w64) : 0), dst, m);
        break;
    case 2:
        op_rm(a, (sign ? 0xbf : 0xb7) | OPC_0F | (sign ? W(w64) : 0), dst, m);
        break;
    case 4:
        if (sign && w64)
            op_rm(a, 0x63 | OPC_REXW, dst, m);   /* movsxd */
        else
            op_rm(a, 0x8b, dst, m);
        break;
    default:
        op_rm(a, 0x8b | OPC_REXW, dst, m);
        break;
    }
}

void x86_store(X86Asm *a, unsigned size, int src, X86Mem m)
{
    switch (size) {
    case 1: op_rm(a, 0x88 | OPC_BREG, src, m); break;
    case 2: op_rm(a, 0x89 | OPC_P66, src, m); break;
    case 4: op_rm(a, 0x89, src, m); break;
    default: op_rm(a, 0x89 | OPC_REXW, src, m); break;
    }
}

void x86_store_imm(X86Asm *a, unsigned size, int32_t imm, X86Mem m)
{
    switch (size) {
    case 1:
        op_rm(a, 0xc6, 0, m);
        x86_byte(a, (uint8_t)imm);
        break;
    case 2:
        op_rm(a, 0xc7 | OPC_P66, 0, m);
        x86_byte(a, (uint8_t)imm);
        x86_byte(a, (uint8_t)(imm >> 8));
        break;
    case 4:
        op_rm(a, 0xc7, 0, m);
        x86_u32(a, (uint32_t)imm);
        break;
    default:
        op_rm(a, 0xc7 | OPC_REXW, 0, m);
        x86_u32(a, (uint32_t)imm);
        break;
    }
}

void x86_mov_r8i(X86Asm *a, int dst, uint8_t imm)
{
    emit_opc(a, (0xb0 + (dst & 7)) | OPC_BRM, -1, -1, dst);
    x86_byte(a, imm);
}

void x86_movzx_rr(X86Asm *a, unsigned size, int dst, int src)
{
    op_rr(a, (size == 1 ? 0xb6 | OPC_BRM : 0xb7) | OPC_0F, dst, src);
}

void x86_movsx_rr(X86Asm *a, unsigned size, bool w64, int dst, int src)
{
    if (size == 4)
        op_rr(a, 0x63 | OPC_REXW, dst, src);
    else
        op_rr(a, (size == 1 ? 0xbe | OPC_BRM : 0xbf) | OPC_0F | W(w64), dst, src);
}

void x86_lea(X86Asm *a, bool w64, int dst, X86Mem m)
{
    op_rm(a, 0x8d | W(w64), dst, m);
}

/* ---- ALU ------------------------------------------------------------------- */

void x86_alu_rr(X86Asm *a, X86Alu op, bool w64, int dst, int src)
{
    op_rr(a, (0x01 + op * 8) | W(w64), src, dst);
}

void x86_alu_ri(X86Asm *a, X86Alu op, bool w64, int dst, int32_t imm)
{
    if (fits_i8(imm)) {
        op_rr(a, 0x83 | W(w64), op, dst);
        x86_byte(a, (uint8_t)imm);
    } else if (dst == X86_RAX) {
        emit_opc(a, (0x05 + op * 8) | W(w64), -1, -1, -1);
        x86_u32(a, (uint32_t)imm);
    } else {
        op_rr(a, 0x81 | W(w64), op, dst);
        x86_u32(a, (uint32_t)imm);
    }
}

void x86_alu_rr8(X86Asm *a, X86Alu op, int dst, int src)
{
    op_rr(a, (0x00 + op * 8) | OPC_BREG | OPC_BRM, src, dst);
}

void x86_alu_rm(X86Asm *a, X86Alu op, bool w64, int dst, X86Mem m)
{
    op_rm(a, (0x03 + op * 8) | W(w64), dst, m);
}

void x86_alu_mi(X86Asm *a, X86Alu op, bool w64, X86Mem m, int32_t imm)
{
    if (fits_i8(imm)) {
        op_rm(a, 0x83 | W(w64), op, m);
        x86_byte(a, (uint8_t)imm);
    } else {
        op_rm(a, 0x81 | W(w64), op, m);
        x86_u32(a, (uint32_t)imm);
    }
}

void x86_bts_ri(X86Asm *a, bool w64, int r, unsigned bit)
{
    op_rr(a, OPC_0F | 0xba | W(w64), 5, r);
    x86_byte(a, (uint8_t)bit);
}

void x86_dec_m(X86Asm *a, bool w64, X86Mem m)
{
    op_rm(a, 0xff | W(w64), 1, m);
}

void x86_test_rr(X86Asm *a, bool w64, int r1, int r2)
{
    op_rr(a, 0x85 | W(w64), r2, r1);
}

void x86_test_ri(X86Asm *a, bool w64, int r, int32_t imm)
{
    if (imm >= 0 && imm <= 0xff && r < 4) {        /* test al/cl/dl/bl, imm8 */
        op_rr(a, 0xf6, 0, r);
        x86_byte(a, (uint8_t)imm);
    } else if (r == X86_RAX) {
        emit_opc(a, 0xa9 | W(w64), -1, -1, -1);
        x86_u32(a, (uint32_t)imm);
    } else {
        op_rr(a, 0xf7 | W(w64), 0, r);
        x86_u32(a, (uint32_t)imm);
    }
}

void x86_shift_ri(X86Asm *a, X86Shift op, bool w64, int r, unsigned n)
{
    if (n == 1) {
        op_rr(a, 0xd1 | W(w64), op, r);
    } else {
        op_rr(a, 0xc1 | W(w64), op, r);
        x86_byte(a, (uint8_t)n);
    }
}

void x86_shift_rcl(X86Asm *a, X86Shift op, bool w64, int r)
{
    op_rr(a, 0xd3 | W(w64), op, r);
}

void x86_rol16_ri(X86Asm *a, int r, unsigned n)
{
    op_rr(a, 0xc1 | OPC_P66, X86_ROL, r);
    x86_byte(a, (uint8_t)n);
}

void x86_unary(X86Asm *a, X86Unary op, bool w64, int r)
{
    op_rr(a, 0xf7 | W(w64), op, r);
}

void x86_imul_rr(X86Asm *a, bool w64, int dst, int src)
{
    op_rr(a, 0xaf | OPC_0F | W(w64), dst, src);
}

void x86_imul_rri(X86Asm *a, bool w64, int dst, int src, int32_t imm)
{
    if (fits_i8(imm)) {
        op_rr(a, 0x6b | W(w64), dst, src);
        x86_byte(a, (uint8_t)imm);
    } else {
        op_rr(a, 0x69 | W(w64), dst, src);
        x86_u32(a, (uint32_t)imm);
    }
}

void x86_cdq(X86Asm *a, bool w64)
{
    emit_opc(a, 0x99 | W(w64), -1, -1, -1);
}

void x86_bsr(X86Asm *a, bool w64, int dst, int src) { op_rr(a, 0xbd | OPC_0F | W(w64), dst, src); }
void x86_bsf(X86Asm *a, bool w64, int dst, int src) { op_rr(a, 0xbc | OPC_0F | W(w64), dst, src); }
void x86_lzcnt(X86Asm *a, bool w64, int dst, int src) { op_rr(a, 0xbd | OPC_0F | OPC_F3 | W(w64), dst, src); }
void x86_tzcnt(X86Asm *a, bool w64, int dst, int src) { op_rr(a, 0xbc | OPC_0F | OPC_F3 | W(w64), dst, src); }

void x86_andn(X86Asm *a, bool w64, int dst, int src1, int src2)
{
    /* VEX.LZ.0F38.W0/W1 F2 /r: dst = ~src1 & src2; three-byte VEX (C4). */
    x86_byte(a, 0xc4);
    x86_byte(a, (uint8_t)(((dst < 8) << 7) | (1 << 6) | ((src2 < 8) << 5) | 0x02));
    x86_byte(a, (uint8_t)((w64 ? 0x80 : 0) | ((~src1 & 15) << 3)));
    x86_byte(a, 0xf2);
    x86_byte(a, (uint8_t)(0xc0 | ((dst & 7) << 3) | (src2 & 7)));
}

void x86_bswap(X86Asm *a, bool w64, int r)
{
    emit_opc(a, (0xc8 + (r & 7)) | OPC_0F | W(w64), -1, -1, r);
}

void x86_x87_m(X86Asm *a, unsigned opc, unsigned digit, X86Mem m)
{
    op_rm(a, opc, (int)digit, m);
}

void x86_x87_r(X86Asm *a, unsigned opc, unsigned modrm)
{
    x86_byte(a, (uint8_t)opc);
    x86_byte(a, (uint8_t)modrm);
}

void x86_setcc(X86Asm *a, X86Cond cc, int r)
{
    op_rr(a, (0x90 + cc) | OPC_0F | OPC_BRM, 0, r);
}

void x86_cmov(X86Asm *a, X86Cond cc, bool w64, int dst, int src)
{
    op_rr(a, (0x40 + cc) | OPC_0F | W(w64), dst, src);
}

void x86_xchg_rr(X86Asm *a, bool w64, int r1, int r2)
{
    op_rr(a, 0x87 | W(w64), r1, r2);
}

void x86_lock_cmpxchg(X86Asm *a, unsigned size, int src, X86Mem m)
{
    switch (size) {
    case 1: op_rm(a, 0xb0 | OPC_0F | OPC_LOCK | OPC_BREG, src, m); break;
    case 2: op_rm(a, 0xb1 | OPC_0F | OPC_LOCK | OPC_P66, src, m); break;
    case 4: op_rm(a, 0xb1 | OPC_0F | OPC_LOCK, src, m); break;
    default: op_rm(a, 0xb1 | OPC_0F | OPC_LOCK | OPC_REXW, src, m); break;
    }
}

void x86_mfence(X86Asm *a)
{
    x86_byte(a, 0x0f);
    x86_byte(a, 0xae);
    x86_byte(a, 0xf0);
}

/* ---- control flow -------------------------------------------------------------- */

static int64_t rel_from(const X86Asm *a, unsigned insn_len, uintptr_t target)
{
    return (int64_t)(target - (x86_rx_here(a) + insn_len));
}

/* A short branch can only be moved with its target: one that leaves the
 * block (backwards past its start) pins the block to this place. */
static void note_short(X86Asm *a, uintptr_t target)
{
    if (target < a->rx_start)
        backend_reloc_note(a->relocs, x86_offset(a) + 1, BACKEND_RELOC_FIXED);
}

void x86_jmp(X86Asm *a, uintptr_t target)
{
    int64_t d = rel_from(a, 2, target);
    if (fits_i8(d)) {
        note_short(a, target);
        x86_byte(a, 0xeb);
        x86_byte(a, (uint8_t)d);
    } else {
        x86_jmp_rel32(a, target);
    }
}

void x86_jcc(X86Asm *a, X86Cond cc, uintptr_t target)
{
    int64_t d = rel_from(a, 2, target);
    if (fits_i8(d)) {
        note_short(a, target);
        x86_byte(a, (uint8_t)(0x70 + cc));
        x86_byte(a, (uint8_t)d);
    } else {
        x86_jcc_rel32(a, cc, target);
    }
}

size_t x86_jmp_rel32(X86Asm *a, uintptr_t target)
{
    x86_byte(a, 0xe9);
    size_t off = x86_offset(a);
    backend_reloc_note(a->relocs, off, BACKEND_RELOC_REL32);   /* internal ones are sorted out later */
    x86_u32(a, (uint32_t)rel_from(a, 4, target));
    return off;
}

size_t x86_jcc_rel32(X86Asm *a, X86Cond cc, uintptr_t target)
{
    x86_byte(a, 0x0f);
    x86_byte(a, (uint8_t)(0x80 + cc));
    size_t off = x86_offset(a);
    backend_reloc_note(a->relocs, off, BACKEND_RELOC_REL32);
    x86_u32(a, (uint32_t)rel_from(a, 4, target));
    return off;
}

size_t x86_jmp_rel8(X86Asm *a)
{
    x86_byte(a, 0xeb);
    size_t off = x86_offset(a);
    x86_byte(a, 0);
    return off;
}

size_t x86_jcc_rel8(X86Asm *a, X86Cond cc)
{
    x86_byte(a, (uint8_t)(0x70 + cc));
    size_t off = x86_offset(a);
    x86_byte(a, 0);
    return off;
}

bool x86_patch_rel8(X86Asm *a, size_t disp_off, uintptr_t target)
{
    int64_t d = (int64_t)(target - (a->rx_start + disp_off + 1));
    if (!fits_i8(d))
        return false;
    if (disp_off < (size_t)(a->end - a->start))
        a->start[disp_off] = (uint8_t)d;
    return true;
}

void x86_patch_rel32(X86Asm *a, size_t disp_off, uintptr_t target)
{
    if (disp_off + 4 > (size_t)(a->end - a->start))
        return;
    int32_t d = (int32_t)(target - (a->rx_start + disp_off + 4));
    memcpy(a->start + disp_off, &d, 4);
}

void x86_call(X86Asm *a, uintptr_t target, int scratch)
{
    int64_t d = rel_from(a, 5, target);
    if (d == (int32_t)d) {
        x86_byte(a, 0xe8);
        backend_reloc_note(a->relocs, x86_offset(a), BACKEND_RELOC_REL32);
        x86_u32(a, (uint32_t)d);
    } else {
        /* movabs scratch, target: the imm64 is an address for sure */
        emit_opc(a, (0xb8 + (scratch & 7)) | OPC_REXW, -1, -1, scratch);
        backend_reloc_note(a->relocs, x86_offset(a), BACKEND_RELOC_ABS64);
        x86_u64(a, target);
        x86_call_r(a, scratch);
    }
}

void x86_call_r(X86Asm *a, int r) { op_rr(a, 0xff, 2, r); }
void x86_jmp_r(X86Asm *a, int r) { op_rr(a, 0xff, 4, r); }
void x86_push(X86Asm *a, int r) { emit_opc(a, 0x50 + (r & 7), -1, -1, r); }
void x86_pop(X86Asm *a, int r) { emit_opc(a, 0x58 + (r & 7), -1, -1, r); }
void x86_ret(X86Asm *a) { x86_byte(a, 0xc3); }
