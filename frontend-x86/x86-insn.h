/*
 * x86-insn.h — private to frontend-x86: a decoded x86 instruction as the
 * translation functions receive it, and the table rows the generated
 * decoder returns (tools/gen-x86-decoder.py explains the table format).
 *
 * Decoding has two phases (x86-decode.c).  The first reads bytes only:
 * prefixes, REX/VEX, the opcode, the table row, ModRM/SIB/displacement and
 * the immediates the row's operands call for; so the instruction's length
 * is known, and a fetch that fails is found, before any IR exists (exec's
 * loop-head detection uses this phase alone).  The second emits the
 * effective address of a memory operand and calls the row's
 * x86_trans_NAME(s, d).
 */
#ifndef VEMU_X86_INSN_H
#define VEMU_X86_INSN_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"

typedef struct DisasContext DisasContext;
typedef struct X86Insn X86Insn;

/* Operand addressing methods (SDM vol. 2, A.2.1), as the tables write them. */
enum {
    X86_OPK_NONE,
    X86_OPK_E, X86_OPK_G, X86_OPK_M, X86_OPK_R, X86_OPK_I, X86_OPK_J, X86_OPK_O,
    X86_OPK_Z, X86_OPK_S, X86_OPK_A, X86_OPK_V, X86_OPK_W, X86_OPK_U, X86_OPK_H,
    X86_OPK_B, X86_OPK_L, X86_OPK_P, X86_OPK_Q, X86_OPK_N, X86_OPK_C, X86_OPK_D,
    X86_OPK_X, X86_OPK_Y, X86_OPK_F,
    X86_OPK_FIXREG,   /* AL CL DX rAX eAX: a general register named by the row */
    X86_OPK_ST0,      /* x87 ST(0) */
    X86_OPK_ONE,      /* the constant 1 (D0/D1 shifts) */
};

/* Operand sizes (SDM vol. 2, A.2.2), as the tables write them. */
enum {
    X86_SZ_none, X86_SZ_b, X86_SZ_w, X86_SZ_d, X86_SZ_q, X86_SZ_v, X86_SZ_z, X86_SZ_y,
    X86_SZ_x, X86_SZ_dq, X86_SZ_qq, X86_SZ_ps, X86_SZ_pd, X86_SZ_ss, X86_SZ_sd,
    X86_SZ_pi, X86_SZ_si, X86_SZ_t, X86_SZ_s, X86_SZ_p, X86_SZ_a, X86_SZ_ph, X86_SZ_sh,
    X86_SZ_bcd,
};

/* Resolved operand sizes (X86Operand.ot): log2 of the bytes for 1..32,
 * others by name. */
enum {
    X86_OT_8 = 0, X86_OT_16 = 1, X86_OT_32 = 2, X86_OT_64 = 3, X86_OT_128 = 4, X86_OT_256 = 5,
    X86_OT_80 = 6,        /* x87 extended (t), packed BCD */
    X86_OT_OTHER = 7,     /* state images, far pointers, bound pairs: the row knows */
};

/* Mandatory prefixes (X86OpEntry.pfx, DisasContext.mandatory). */
enum { X86_PFX_ANY, X86_PFX_NP, X86_PFX_66, X86_PFX_F3, X86_PFX_F2 };

/* Row options (X86OpEntry.flags). */
enum {
    X86_OPF_LOCK   = 1 << 0,   /* LOCK allowed (with a memory destination) */
    X86_OPF_D64    = 1 << 1,   /* 64-bit operand size by default in 64-bit mode */
    X86_OPF_F64    = 1 << 2,   /* always 64-bit operand size in 64-bit mode */
    X86_OPF_I64    = 1 << 3,   /* not in 64-bit mode */
    X86_OPF_O64    = 1 << 4,   /* only in 64-bit mode */
    X86_OPF_PLUS_R = 1 << 5,   /* XX+r: the opcode's low bits name a register */
};

typedef struct X86OpSpec {
    uint8_t kind;     /* X86_OPK_* */
    uint8_t size;     /* X86_SZ_* */
    uint8_t reg;      /* X86_OPK_FIXREG: the register */
} X86OpSpec;

/* One row of a decode table. */
typedef struct X86OpEntry {
    const char *name;
    bool (*trans)(DisasContext *s, X86Insn *d);
    uint8_t n_ops;
    X86OpSpec ops[4];
    uint16_t flags;   /* X86_OPF_* */
    uint8_t pfx;      /* X86_PFX_*: the mandatory prefix the row consumed */
    uint8_t has_modrm;
} X86OpEntry;

/* A decoded operand. */
typedef struct X86Operand {
    uint8_t kind;     /* X86_OPK_* of the row */
    uint8_t size;     /* X86_SZ_* of the row */
    uint8_t ot;       /* X86_OT_*: the size in this instance */
    bool is_mem;      /* memory: the address is X86Insn.addr */
    bool high_byte;   /* AH CH DH BH: reg is 0..3, the byte is bits 15:8 */
    uint8_t reg;      /* register number (REX/VEX-extended): GPR, XMM, MMX, segment, ST(i) */
    int64_t imm;      /* I J O A: the immediate, sign-extended from its encoded width
                         (J: the absolute target; O: the offset; A: the offset, sel in imm2) */
    uint16_t imm2;    /* A: the selector; ENTER: its second immediate is the next operand */
} X86Operand;

struct X86Insn {
    const X86OpEntry *e;
    unsigned n;
    X86Operand op[4];
    /* The memory operand's effective address: ea without the segment base
     * (LEA), addr with it (an i64 temp in 64-bit code, i32 in 32-bit). */
    IRTemp ea, addr;
};

/* The generated dispatch (x86-decode.c includes it). */
const X86OpEntry *x86_lookup_legacy(DisasContext *s, unsigned opcode);
const X86OpEntry *x86_lookup_0f(DisasContext *s, unsigned opcode);
const X86OpEntry *x86_lookup_0f38(DisasContext *s, unsigned opcode);
const X86OpEntry *x86_lookup_0f3a(DisasContext *s, unsigned opcode);
const X86OpEntry *x86_lookup_vex_0f(DisasContext *s, unsigned opcode);
const X86OpEntry *x86_lookup_vex_0f38(DisasContext *s, unsigned opcode);
const X86OpEntry *x86_lookup_vex_0f3a(DisasContext *s, unsigned opcode);

/* Every translation function of every table (generated). */
#include "frontend-x86/x86-trans.h.inc"

#endif
