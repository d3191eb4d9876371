/*
 * arm-vfp.h — private to frontend-arm: the VFP (VFPv3/VFPv4, D16 or D32)
 * translator entry point and the FPSCR layout shared by the translator,
 * the helpers and the tests.
 */
#ifndef VEMU_ARM_VFP_H
#define VEMU_ARM_VFP_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend-arm/arm-translate.h"
#include "frontend-arm/arm-helpers.h"

/* FPSCR fields (ARM ARM B6.1.41 / A2.7.x). */
#define FPSCR_IOC    (1u << 0)     /* cumulative: invalid operation */
#define FPSCR_DZC    (1u << 1)     /* division by zero */
#define FPSCR_OFC    (1u << 2)     /* overflow */
#define FPSCR_UFC    (1u << 3)     /* underflow */
#define FPSCR_IXC    (1u << 4)     /* inexact */
#define FPSCR_IDC    (1u << 7)     /* input denormal (flushed) */
#define FPSCR_CUMULATIVE (FPSCR_IOC | FPSCR_DZC | FPSCR_OFC | FPSCR_UFC | FPSCR_IXC | FPSCR_IDC)
#define FPSCR_LEN    (7u << 16)    /* short vectors: not supported, RAZ/WI */
#define FPSCR_STRIDE (3u << 20)
#define FPSCR_FZ16   (1u << 19)    /* FEAT_FP16: flush half-precision denormals */
#define FPSCR_RMODE_SHIFT 22       /* 0 RN, 1 RP (+inf), 2 RM (-inf), 3 RZ */
#define FPSCR_RMODE  (3u << FPSCR_RMODE_SHIFT)
#define FPSCR_FZ     (1u << 24)    /* flush denormals to zero */
#define FPSCR_DN     (1u << 25)    /* default NaN */
#define FPSCR_AHP    (1u << 26)    /* alternative half precision */
#define FPSCR_NZCV   (0xfu << 28)  /* VCMP result */
/* What VMSR FPSCR can change: no trap enables and no short vectors
 * (VFPv3 without trapping, MVFR0.FPShVec = 0). */
#define FPSCR_WRITABLE (FPSCR_NZCV | FPSCR_AHP | FPSCR_DN | FPSCR_FZ | FPSCR_RMODE | FPSCR_CUMULATIVE)

#define FPEXC_EN     (1u << 30)

/* Translate one VFP instruction.  insn is the 32-bit A32 encoding or the
 * T32 one (first halfword in bits 31:16); bits 31:28 are ignored, so the
 * caller handles the A32 condition or the IT block, and a T32 caller passes
 * only the T=0 coprocessor encodings (111 0 110x / 111 0 1110 with coproc
 * 101x).  Returns false for an undefined encoding (no IR emitted), as a
 * trans_ function does. */
bool arm_translate_vfp(DisasContext *s, uint32_t insn);
/* The FP-ARMv8 instructions (v8.decode, translate-v8.c) for models with
 * ARM_FEATURE_V8: the unconditional ones (A32 cond = 1111, T32 T = 1 with
 * coprocessor 101x) come here directly, the conditional ones through
 * arm_translate_vfp().  False (no IR emitted) when undefined. */
bool arm_translate_vfp_v8(DisasContext *s, uint32_t insn);
/* VSEL's choice (translate-v8.c): vn when condition cc (0 EQ, 1 VS, 2 GE,
 * 3 GT) holds on NZCV, else vm; any width. */
IRTemp gen_vsel(DisasContext *s, unsigned cc, IRTemp vn, IRTemp vm);
/* The FEAT_FP16 half-precision instructions (fp16.decode, translate-fp16.c)
 * for models with ARM_FEATURE_FP16: the coprocessor-9 space, conditional
 * or not, and VINS/VMOVX.  False (no IR emitted) when undefined. */
bool arm_translate_fp16(DisasContext *s, uint32_t insn);

/* Declares the D-register globals; called by arm_translate_init(). */
void arm_vfp_init_globals(void);
extern IRTemp cpu_D[32];

/* FPSCR with the lazily kept cumulative flags (vfp-fpscr.c): the host
 * FPU's sticky flags hold IOC DZC OFC UFC IXC raised by inline VFP code on
 * this thread.  Whoever reads or writes the whole FPSCR outside generated
 * code (signal frames, debuggers, tests) uses these, on the cpu's thread. */
/* vfp_get_fpscr(), vfp_set_fpscr(): public, in arm-cpu.h */
void vfp_fold_host_flags(ARMCPU *cpu);
void vfp_drop_host_flags(void);                   /* forget them (vemu's own FP use) */
/* ARM_TBFLAG_VFP_FAST when FPSCR is round to nearest, FZ = 0, DN = 0: the
 * translator may then use the inline float ops (translate-vfp.c). */
uint32_t arm_vfp_tb_flags(const ARMCPU *cpu);

/* The VFP side of arm_cpu_set_model(): VFP feature bits, FPSID/MVFR0/MVFR1,
 * FPEXC.EN (arm-cpu-vfp.c). */
void arm_vfp_set_model(ARMCPU *cpu, const char *name);      /* i64: D0..D31 (S2n is the low half of Dn) */

#endif
