/* x86-diff-table.h — the row format of x86-diff-table.c. */
#ifndef X86_DIFF_TABLE_H
#define X86_DIFF_TABLE_H
#include <stdint.h>
#include "x86-diff.h"

enum {   /* classes, selectable with -c */
    C_INT = 1, C_SHIFT = 2, C_MULDIV = 4, C_BIT = 8, C_BMI = 16, C_CMOV = 32, C_STRING = 64,
    C_SSE = 128, C_AVX = 256, C_MMX = 512, C_X87 = 1024, C_X87T = 2048,
};
enum {   /* how a row is encoded */
    K_RM,       /* ModRM: reg = register operand, rm = register or memory */
    K_EXT,      /* ModRM: reg = .ext, rm = operand */
    K_EXTR,     /* like K_EXT, the extension drawn from the set bits of .extset (or .ext..ext+3) */
    K_ACC,      /* AL/eAX with an immediate: opcode + imm */
    K_OPREG,    /* opcode + register number */
    K_NONE,     /* fixed bytes: opcode (and .ext as a second byte if non-zero) */
    K_SHIFT1, K_SHIFTI, K_SHIFTCL, K_SHIFTD,
    K_DIV, K_SETCC, K_CMOVCC, K_JCC, K_JCC32, K_LOOP, K_STRING, K_PUSHF, K_POPF, K_PUSHPOP,
    K_VRVM,     /* VEX: reg, vvvv, rm */
    K_VRMV,     /* VEX: reg, rm, vvvv */
    K_VVM,      /* VEX: vvvv = destination, reg = .ext, rm */
    K_VRM,      /* VEX: reg, rm; vvvv unused (1111) */
    K_VZERO,
    K_X87R, K_X87M, K_X87N,
};
enum { SZ_NONE, SZ_B, SZ_V, SZ_D, SZ_DQ, SZ_Q };   /* operand size rules */
enum { M_NO, M_OK, M_ONLY };
enum { R_GPR, R_XMM, R_MM };
enum { X_LOCK = 1, X_A16 = 2, X_64 = 4, X_IS4 = 8, X_RMDEST = 16 };
#define VL_ANY 2
#define VW_SZ 2

typedef struct Row {
    const char *name;
    uint16_t cls;
    uint8_t kind;
    uint8_t pfx, map, op;
    int8_t ext;
    uint8_t sz, szm, mem, imm, immmask;
    uint16_t wr, un, rd;
    uint8_t rk, mk, vl, vw, x, extset;
} Row;

extern const Row rows[];
extern const int nrows;
struct ClassName { const char *name; unsigned cls; };
extern const struct ClassName class_names[];
#endif
