/*
 * Unit tests for the ARM frontend: hand-assembled A32 sequences (encodings
 * from GNU as) run through exec in IR-interpreter mode, with registers and
 * flags checked against values derived from the ARM Architecture Reference
 * Manual (and cross-checked with Debian's qemu-arm); plus structural checks
 * of the IR the translator produces (ir_verify before and after the
 * optimiser, block ends).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "tests/unit/arm-test-rig.h"

#define PSR_FLAGS 0xf8000000u  /* NZCVQ */

/* ---- table-driven register/flag cases ---------------------------------------- */

typedef struct Case {
    const char *name;
    uint32_t code[6];
    unsigned n;
    uint32_t in[5];      /* r0..r4 */
    uint32_t in_psr;     /* NZCVQ */
    uint32_t out[5];
    uint32_t out_psr;
} Case;

static const Case cases[] = {
    { "adds_zero_carry", /* adds r0, r1, #4 */
      { 0xe2910004 }, 1, { 0, 0xfffffffc, 0, 0, 0 }, 0, { 0, 0xfffffffc, 0, 0, 0 }, 0x60000000 },
    { "adds_overflow", /* adds r0, r1, #1 */
      { 0xe2910001 }, 1, { 0, 0x7fffffff, 0, 0, 0 }, 0, { 0x80000000, 0x7fffffff, 0, 0, 0 }, 0x90000000 },
    { "subs_borrow", /* subs r0, r1, r2 */
      { 0xe0510002 }, 1, { 0, 5, 7, 0, 0 }, 0, { 0xfffffffe, 5, 7, 0, 0 }, 0x80000000 },
    { "subs_noborrow", /* subs r0, r1, r2 */
      { 0xe0510002 }, 1, { 0, 7, 5, 0, 0 }, 0, { 2, 7, 5, 0, 0 }, 0x20000000 },
    { "subs_overflow", /* subs r0, r1, r2 */
      { 0xe0510002 }, 1, { 0, 0x80000000, 1, 0, 0 }, 0, { 0x7fffffff, 0x80000000, 1, 0, 0 }, 0x30000000 },
    { "cmp_equal", /* cmp r1, r2 */
      { 0xe1510002 }, 1, { 0x55, 9, 9, 0, 0 }, 0, { 0x55, 9, 9, 0, 0 }, 0x60000000 },
    { "rsbs_neg", /* rsbs r0, r1, #0 */
      { 0xe2710000 }, 1, { 0, 1, 0, 0, 0 }, 0, { 0xffffffff, 1, 0, 0, 0 }, 0x80000000 },
    { "adcs_carry_in", /* adcs r0, r1, r2 */
      { 0xe0b10002 }, 1, { 0, 0xffffffff, 0, 0, 0 }, 0x20000000, { 0, 0xffffffff, 0, 0, 0 }, 0x60000000 },
    { "adcs_overflow", /* adcs r0, r1, r2 */
      { 0xe0b10002 }, 1, { 0, 0x7fffffff, 0, 0, 0 }, 0x20000000, { 0x80000000, 0x7fffffff, 0, 0, 0 }, 0x90000000 },
    { "sbcs_c0", /* sbcs r0, r1, r2 */
      { 0xe0d10002 }, 1, { 0, 5, 5, 0, 0 }, 0, { 0xffffffff, 5, 5, 0, 0 }, 0x80000000 },
    { "sbcs_c1", /* sbcs r0, r1, r2 */
      { 0xe0d10002 }, 1, { 0, 5, 5, 0, 0 }, 0x20000000, { 0, 5, 5, 0, 0 }, 0x60000000 },
    { "rscs_c1", /* rscs r0, r1, r2 */
      { 0xe0f10002 }, 1, { 0, 3, 10, 0, 0 }, 0x20000000, { 7, 3, 10, 0, 0 }, 0x20000000 },
    { "adc_noflags", /* adc r0, r1, r2 */
      { 0xe0a10002 }, 1, { 0, 3, 4, 0, 0 }, 0x30000000, { 8, 3, 4, 0, 0 }, 0x30000000 },
    { "cmn_zero", /* cmn r1, r2 */
      { 0xe1710002 }, 1, { 0, 1, 0xffffffff, 0, 0 }, 0, { 0, 1, 0xffffffff, 0, 0 }, 0x60000000 },
    { "tst_rotimm_carry", /* tst r1, #0x80000000 */
      { 0xe3110102 }, 1, { 0, 0x80000000, 0, 0, 0 }, 0x10000000, { 0, 0x80000000, 0, 0, 0 }, 0xb0000000 },
    { "teq_keeps_c", /* teqs r1, r2 */
      { 0xe1310002 }, 1, { 0, 5, 5, 0, 0 }, 0x20000000, { 0, 5, 5, 0, 0 }, 0x60000000 },
    { "ands_imm_norot", /* ands r0, r1, #0xff */
      { 0xe21100ff }, 1, { 0, 0x100, 0, 0, 0 }, 0x20000000, { 0, 0x100, 0, 0, 0 }, 0x60000000 },
    { "movs_lsl0", /* movs r0, r1 */
      { 0xe1b00001 }, 1, { 7, 0, 0, 0, 0 }, 0x20000000, { 0, 0, 0, 0, 0 }, 0x60000000 },
    { "movs_lsl1", /* movs r0, r1, lsl #1 */
      { 0xe1b00081 }, 1, { 0, 0x80000001, 0, 0, 0 }, 0, { 2, 0x80000001, 0, 0, 0 }, 0x20000000 },
    { "movs_lsr32", /* movs r0, r1, lsr #32 */
      { 0xe1b00021 }, 1, { 0, 0x80000000, 0, 0, 0 }, 0, { 0, 0x80000000, 0, 0, 0 }, 0x60000000 },
    { "movs_asr32", /* movs r0, r1, asr #32 */
      { 0xe1b00041 }, 1, { 0, 0x80000000, 0, 0, 0 }, 0, { 0xffffffff, 0x80000000, 0, 0, 0 }, 0xa0000000 },
    { "movs_rrx", /* movs r0, r1, rrx */
      { 0xe1b00061 }, 1, { 0, 3, 0, 0, 0 }, 0x20000000, { 0x80000001, 3, 0, 0, 0 }, 0xa0000000 },
    { "movs_ror4", /* movs r0, r1, ror #4 */
      { 0xe1b00261 }, 1, { 0, 0xf, 0, 0, 0 }, 0, { 0xf0000000, 0xf, 0, 0, 0 }, 0xa0000000 },
    { "movs_asr4", /* movs r0, r1, asr #4 */
      { 0xe1b00241 }, 1, { 0, 0x80000008, 0, 0, 0 }, 0, { 0xf8000000, 0x80000008, 0, 0, 0 }, 0xa0000000 },
    { "lslreg_0", /* movs r0, r1, lsl r2 */
      { 0xe1b00211 }, 1, { 0, 5, 0, 0, 0 }, 0x20000000, { 5, 5, 0, 0, 0 }, 0x20000000 },
    { "lslreg_32", /* movs r0, r1, lsl r2 */
      { 0xe1b00211 }, 1, { 0, 1, 32, 0, 0 }, 0, { 0, 1, 32, 0, 0 }, 0x60000000 },
    { "lslreg_33", /* movs r0, r1, lsl r2 */
      { 0xe1b00211 }, 1, { 0, 0xffffffff, 33, 0, 0 }, 0x20000000, { 0, 0xffffffff, 33, 0, 0 }, 0x40000000 },
    { "lslreg_bottombyte", /* movs r0, r1, lsl r2 */
      { 0xe1b00211 }, 1, { 0, 0x80000000, 0x101, 0, 0 }, 0, { 0, 0x80000000, 0x101, 0, 0 }, 0x60000000 },
    { "lsrreg_32", /* movs r0, r1, lsr r2 */
      { 0xe1b00231 }, 1, { 0, 0x80000000, 32, 0, 0 }, 0, { 0, 0x80000000, 32, 0, 0 }, 0x60000000 },
    { "lsrreg_40", /* movs r0, r1, lsr r2 */
      { 0xe1b00231 }, 1, { 0, 0xffffffff, 40, 0, 0 }, 0x20000000, { 0, 0xffffffff, 40, 0, 0 }, 0x40000000 },
    { "lsrreg_4", /* movs r0, r1, lsr r2 */
      { 0xe1b00231 }, 1, { 0, 0x18, 4, 0, 0 }, 0, { 1, 0x18, 4, 0, 0 }, 0x20000000 },
    { "asrreg_200", /* movs r0, r1, asr r2 */
      { 0xe1b00251 }, 1, { 0, 0x80000000, 200, 0, 0 }, 0, { 0xffffffff, 0x80000000, 200, 0, 0 }, 0xa0000000 },
    { "asrreg_31", /* movs r0, r1, asr r2 */
      { 0xe1b00251 }, 1, { 0, 0x40000000, 31, 0, 0 }, 0, { 0, 0x40000000, 31, 0, 0 }, 0x60000000 },
    { "asrreg_32pos", /* movs r0, r1, asr r2 */
      { 0xe1b00251 }, 1, { 0, 0x40000000, 32, 0, 0 }, 0x20000000, { 0, 0x40000000, 32, 0, 0 }, 0x40000000 },
    { "rorreg_32", /* movs r0, r1, ror r2 */
      { 0xe1b00271 }, 1, { 0, 0x80000000, 32, 0, 0 }, 0, { 0x80000000, 0x80000000, 32, 0, 0 }, 0xa0000000 },
    { "rorreg_36", /* movs r0, r1, ror r2 */
      { 0xe1b00271 }, 1, { 0, 0x1f, 36, 0, 0 }, 0, { 0xf0000001, 0x1f, 36, 0, 0 }, 0xa0000000 },
    { "rorreg_0", /* movs r0, r1, ror r2 */
      { 0xe1b00271 }, 1, { 9, 0, 0, 0, 0 }, 0x20000000, { 0, 0, 0, 0, 0 }, 0x60000000 },
    { "add_shreg_noflags", /* add r0, r1, r2, lsl r3 */
      { 0xe0810312 }, 1, { 0, 1, 1, 4, 0 }, 0x50000000, { 17, 1, 1, 4, 0 }, 0x50000000 },
    { "mvn_imm", /* mvn r0, #0 */
      { 0xe3e00000 }, 1, { 5, 0, 0, 0, 0 }, 0, { 0xffffffff, 0, 0, 0, 0 }, 0 },
    { "bic_imm", /* bic r0, r1, #0xff */
      { 0xe3c100ff }, 1, { 0, 0x1234, 0, 0, 0 }, 0, { 0x1200, 0x1234, 0, 0, 0 }, 0 },
    { "eors_reg", /* eors r0, r1, r2, lsr #1 */
      { 0xe03100a2 }, 1, { 0, 0xf0, 0x3, 0, 0 }, 0, { 0xf1, 0xf0, 3, 0, 0 }, 0x20000000 },
    { "orr_imm", /* orr r0, r1, #0xf000000f */
      { 0xe38102ff }, 1, { 0, 0x100, 0, 0, 0 }, 0, { 0xf000010f, 0x100, 0, 0, 0 }, 0 },
    { "sub_pc", /* sub r0, pc, #8 */
      { 0xe24f0008 }, 1, { 0, 0, 0, 0, 0 }, 0, { 0x1000, 0, 0, 0, 0 }, 0 },
    { "cond_gt_le", /* cmp r1, r2; movgt r0, #1; movle r0, #2 */
      { 0xe1510002, 0xc3a00001, 0xd3a00002 }, 3, { 0, 0xffffffff, 1, 0, 0 }, 0, { 2, 0xffffffff, 1, 0, 0 }, 0xa0000000 },
    { "cond_hi", /* cmp r1, r2; movhi r0, #1; movls r0, #2 */
      { 0xe1510002, 0x83a00001, 0x93a00002 }, 3, { 0, 0xffffffff, 1, 0, 0 }, 0, { 1, 0xffffffff, 1, 0, 0 }, 0xa0000000 },
    { "cond_adds_chain", /* adds r0, r1, r2; addcs r3, r3, #1; addcc r4, r4, #1 */
      { 0xe0910002, 0x22833001, 0x32844001 }, 3, { 0, 0x80000000, 0x80000000, 0, 0 }, 0, { 0, 0x80000000, 0x80000000, 1, 0 }, 0x70000000 },
    { "mul_wrap", /* mul r0, r1, r2 */
      { 0xe0000291 }, 1, { 0, 0x10001, 0x10001, 0, 0 }, 0, { 0x20001, 0x10001, 0x10001, 0, 0 }, 0 },
    { "mlas_zero", /* mlas r0, r1, r2, r3 */
      { 0xe0303291 }, 1, { 0, 2, 3, 0xfffffffa, 0 }, 0x30000000, { 0, 2, 3, 0xfffffffa, 0 }, 0x70000000 },
    { "umull_max", /* umull r0, r1, r2, r3 */
      { 0xe0810392 }, 1, { 0, 0, 0xffffffff, 0xffffffff, 0 }, 0, { 1, 0xfffffffe, 0xffffffff, 0xffffffff, 0 }, 0 },
    { "smull_neg", /* smull r0, r1, r2, r3 */
      { 0xe0c10392 }, 1, { 0, 0, 0xfffffffe, 3, 0 }, 0, { 0xfffffffa, 0xffffffff, 0xfffffffe, 3, 0 }, 0 },
    { "umlal_carry", /* umlal r0, r1, r2, r3 */
      { 0xe0a10392 }, 1, { 0xffffffff, 0, 1, 1, 0 }, 0, { 0, 1, 1, 1, 0 }, 0 },
    { "smlals_neg", /* smlals r0, r1, r2, r3 */
      { 0xe0f10392 }, 1, { 0, 0, 0xffffffff, 1, 0 }, 0, { 0xffffffff, 0xffffffff, 0xffffffff, 1, 0 }, 0x80000000 },
    { "umulls_zero", /* umulls r0, r1, r2, r3 */
      { 0xe0910392 }, 1, { 5, 5, 0, 7, 0 }, 0x30000000, { 0, 0, 0, 7, 0 }, 0x70000000 },
    { "smulbb", /* smulbb r0, r1, r2 */
      { 0xe1600281 }, 1, { 0, 0x0000ffff, 0x00050003, 0, 0 }, 0, { 0xfffffffd, 0x0000ffff, 0x00050003, 0, 0 }, 0 },
    { "smultt", /* smultt r0, r1, r2 */
      { 0xe16002e1 }, 1, { 0, 0x7fff0000, 0x80000000, 0, 0 }, 0, { 0xc0008000, 0x7fff0000, 0x80000000, 0, 0 }, 0 },
    { "smlabb_q", /* smlabb r0, r1, r2, r3 */
      { 0xe1003281 }, 1, { 0, 0x8000, 0x8000, 0x40000000, 0 }, 0, { 0x80000000, 0x8000, 0x8000, 0x40000000, 0 }, 0x08000000 },
    { "smlatb_noq", /* smlatb r0, r1, r2, r3 */
      { 0xe10032a1 }, 1, { 0, 0x00030000, 0x0002, 10, 0 }, 0, { 16, 0x00030000, 2, 10, 0 }, 0 },
    { "smulwb", /* smulwb r0, r1, r2 */
      { 0xe12002a1 }, 1, { 0, 0x00020000, 3, 0, 0 }, 0, { 6, 0x00020000, 3, 0, 0 }, 0 },
    { "smulwt_neg", /* smulwt r0, r1, r2 */
      { 0xe12002e1 }, 1, { 0, 0xffff0000, 0x00020000, 0, 0 }, 0, { 0xfffffffe, 0xffff0000, 0x00020000, 0, 0 }, 0 },
    { "smlawb_q", /* smlawb r0, r1, r2, r3 */
      { 0xe1203281 }, 1, { 0, 0x00010000, 1, 0x7fffffff, 0 }, 0, { 0x80000000, 0x00010000, 1, 0x7fffffff, 0 }, 0x08000000 },
    { "smlalbb", /* smlalbb r0, r1, r2, r3 */
      { 0xe1410382 }, 1, { 0xffffffff, 0, 2, 3, 0 }, 0, { 5, 1, 2, 3, 0 }, 0 },
    { "smlaltt_neg", /* smlaltt r0, r1, r2, r3 */
      { 0xe14103e2 }, 1, { 0, 0, 0xffff0000, 0x00010000, 0 }, 0, { 0xffffffff, 0xffffffff, 0xffff0000, 0x00010000, 0 }, 0 },
    { "qadd_sat", /* qadd r0, r1, r2 */
      { 0xe1020051 }, 1, { 0, 0x7fffffff, 1, 0, 0 }, 0, { 0x7fffffff, 0x7fffffff, 1, 0, 0 }, 0x08000000 },
    { "qadd_nosat", /* qadd r0, r1, r2 */
      { 0xe1020051 }, 1, { 0, 5, 6, 0, 0 }, 0, { 11, 5, 6, 0, 0 }, 0 },
    { "qsub_sat", /* qsub r0, r1, r2 */
      { 0xe1220051 }, 1, { 0, 0x80000000, 1, 0, 0 }, 0, { 0x80000000, 0x80000000, 1, 0, 0 }, 0x08000000 },
    { "qdadd_sat", /* qdadd r0, r1, r2 */
      { 0xe1420051 }, 1, { 0, 1, 0x40000000, 0, 0 }, 0, { 0x7fffffff, 1, 0x40000000, 0, 0 }, 0x08000000 },
    { "qdsub", /* qdsub r0, r1, r2 */
      { 0xe1620051 }, 1, { 0, 10, 3, 0, 0 }, 0, { 4, 10, 3, 0, 0 }, 0 },
    { "q_sticky", /* qadd r0, r1, r2 */
      { 0xe1020051 }, 1, { 0, 5, 6, 0, 0 }, 0x08000000, { 11, 5, 6, 0, 0 }, 0x08000000 },
    { "clz_zero", /* clz r0, r1 */
      { 0xe16f0f11 }, 1, { 0, 0, 0, 0, 0 }, 0, { 32, 0, 0, 0, 0 }, 0 },
    { "clz_bit16", /* clz r0, r1 */
      { 0xe16f0f11 }, 1, { 0, 0x00010000, 0, 0, 0 }, 0, { 15, 0x00010000, 0, 0, 0 }, 0 },
    { "mrs_flags", /* mrs r0, cpsr */
      { 0xe10f0000 }, 1, { 0, 0, 0, 0, 0 }, 0xa0000000, { 0xa0000010, 0, 0, 0, 0 }, 0xa0000000 },
    { "msr_reg_f", /* msr cpsr_f, r1 */
      { 0xe128f001 }, 1, { 0, 0x50000000, 0, 0, 0 }, 0xa0000000, { 0, 0x50000000, 0, 0, 0 }, 0x50000000 },
    { "msr_imm_f", /* msr cpsr_f, #0xf8000000 */
      { 0xe328f33e }, 1, { 0, 0, 0, 0, 0 }, 0, { 0, 0, 0, 0, 0 }, 0xf8000000 },
    { "msr_then_cond", /* msr cpsr_f, r1; moveq r0, #1 */
      { 0xe128f001, 0x03a00001 }, 2, { 0, 0x40000000, 0, 0, 0 }, 0, { 1, 0x40000000, 0, 0, 0 }, 0x40000000 },
    { "loop_sum", /* mov r0, #0; mov r1, #10; 1: add r0, r0, r1; subs r1, r1, #1; bne 1b */
      { 0xe3a00000, 0xe3a0100a, 0xe0800001, 0xe2511001, 0x1afffffc }, 5, { 0, 0, 0, 0, 0 }, 0, { 55, 0, 0, 0, 0 }, 0x60000000 },
    { "branch_skip", /* mov r0, #1; b 1f; mov r0, #2; 1: */
      { 0xe3a00001, 0xea000000, 0xe3a00002 }, 3, { 0, 0, 0, 0, 0 }, 0, { 1, 0, 0, 0, 0 }, 0 },
    { "beq_taken", /* cmp r1, #0; beq 1f; mov r0, #1; 1: */
      { 0xe3510000, 0x0a000000, 0xe3a00001 }, 3, { 0, 0, 0, 0, 0 }, 0, { 0, 0, 0, 0, 0 }, 0x60000000 },
    { "beq_not_taken", /* cmp r1, #0; beq 1f; mov r0, #1; 1: */
      { 0xe3510000, 0x0a000000, 0xe3a00001 }, 3, { 0, 1, 0, 0, 0 }, 0, { 1, 1, 0, 0, 0 }, 0x20000000 },
    { "bl_bx", /* bl 1f; b 2f; 1: mov r0, lr; bx lr; 2: */
      { 0xeb000000, 0xea000001, 0xe1a0000e, 0xe12fff1e }, 4, { 0, 0, 0, 0, 0 }, 0, { 0x1004, 0, 0, 0, 0 }, 0 },
    { "mov_pc_v5_masks", /* mov pc, r3; mov r0, #1; mov r1, #1 */
      { 0xe1a0f003, 0xe3a00001, 0xe3a01001 }, 3, { 0, 0, 0, 0x100b, 0 }, 0, { 0, 1, 0, 0x100b, 0 }, 0 },
    { "cond_svc_skipped", /* cmp r1, #0; svceq 0; mov r0, #5 */
      { 0xe3510000, 0x0f000000, 0xe3a00005 }, 3, { 0, 1, 0, 0, 0 }, 0, { 5, 1, 0, 0, 0 }, 0x20000000 },
    { "ldr_pc_literal", /* ldr r0, [pc, #-4] */
      { 0xe51f0004 }, 1, { 0, 0, 0, 0, 0 }, 0, { 0xef000000, 0, 0, 0, 0 }, 0 },
};

static void test_register_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const Case *c = &cases[i];
        ARMCPU *cpu = rig_new_cpu(NULL);
        if (strstr(c->name, "_v5_"))   /* pre-v7 behaviour: the default "max" is v7 */
            assert_int_equal(arm_cpu_set_model(cpu, "arm926"), 0);
        memcpy(cpu->regs, c->in, sizeof(c->in));
        arm_cpsr_write(cpu, c->in_psr, PSR_FLAGS);
        int excp = run_code(cpu, c->code, c->n);
        uint32_t psr = arm_cpsr_read(cpu) & PSR_FLAGS;
        bool ok = excp == EXCP_SYSCALL && cpu->regs[15] == CODE + 4 * c->n + 4 &&
                  memcmp(cpu->regs, c->out, sizeof(c->out)) == 0 && psr == c->out_psr;
        if (!ok) {
            print_error("%s: excp %d pc %08x r0-r4 %08x %08x %08x %08x %08x psr %08x; "
                        "expected r0-r4 %08x %08x %08x %08x %08x psr %08x\n",
                        c->name, excp, cpu->regs[15], cpu->regs[0], cpu->regs[1], cpu->regs[2],
                        cpu->regs[3], cpu->regs[4], psr, c->out[0], c->out[1], c->out[2],
                        c->out[3], c->out[4], c->out_psr);
            failures++;
        }
        exec_cpu_free(&cpu->common);
    }
    assert_int_equal(failures, 0);
}

/* Every condition code against every NZCV combination: "mov r0, #0;
 * mov<cc> r0, #1", expected from the ARM ARM's condition table. */
static bool cond_holds(unsigned cc, uint32_t psr)
{
    bool n = psr >> 31 & 1, z = psr >> 30 & 1, c = psr >> 29 & 1, v = psr >> 28 & 1;
    switch (cc) {
    case 0: return z;              case 1: return !z;
    case 2: return c;              case 3: return !c;
    case 4: return n;              case 5: return !n;
    case 6: return v;              case 7: return !v;
    case 8: return c && !z;        case 9: return !c || z;
    case 10: return n == v;        case 11: return n != v;
    case 12: return !z && n == v;  case 13: return z || n != v;
    default: return true;
    }
}

static void test_condition_codes(void **state)
{
    (void)state;
    for (unsigned cc = 0; cc < 15; cc++) {
        for (uint32_t f = 0; f < 16; f++) {
            uint32_t code[2] = { 0xe3a00000u, cc << 28 | 0x03a00001u };
            ARMCPU *cpu = rig_new_cpu(NULL);
            cpu->regs[0] = 7;
            arm_cpsr_write(cpu, f << 28, PSR_FLAGS);
            assert_int_equal(run_code(cpu, code, 2), EXCP_SYSCALL);
            if (cpu->regs[0] != (uint32_t)cond_holds(cc, f << 28))
                fail_msg("cond %u flags %x: r0 = %u", cc, f, cpu->regs[0]);
            /* flags survive */
            assert_int_equal(arm_cpsr_read(cpu) & 0xf0000000u, f << 28);
            exec_cpu_free(&cpu->common);
        }
    }
}

/* ---- loads and stores ----------------------------------------------------------- */

static void fill_data(void)
{
    memset(guest_mem + DATA, 0, 0x100);
    set_mem32(DATA + 0, 0x8180ff80);
    set_mem32(DATA + 4, 0x11223344);
    set_mem32(DATA + 8, 0x55667788);
    set_mem32(DATA + 12, 0x99aabbcc);
}

typedef struct MemCase {
    const char *name;
    uint32_t insn;
    uint32_t in[5];
    uint32_t out[5];
} MemCase;

static const MemCase load_cases[] = {
    { "ldr imm", 0xe5910004, { 0, DATA }, { 0x11223344, DATA } },
    { "ldr pre wb", 0xe5b10004, { 0, DATA }, { 0x11223344, DATA + 4 } },
    { "ldr post", 0xe4910004, { 0, DATA }, { 0x8180ff80, DATA + 4 } },
    { "ldr reg lsl", 0xe7910102, { 0, DATA, 1 }, { 0x11223344, DATA, 1 } },
    { "ldr reg neg", 0xe7110002, { 0, DATA + 8, 4 }, { 0x11223344, DATA + 8, 4 } },
    { "ldrb", 0xe5d10001, { 0, DATA + 4 }, { 0x33, DATA + 4 } },
    { "ldrsb", 0xe1d100d0, { 0, DATA }, { 0xffffff80, DATA } },
    { "ldrsh", 0xe1d100f0, { 0, DATA }, { 0xffffff80, DATA } },
    { "ldrsh hi", 0xe1d100f0, { 0, DATA + 2 }, { 0xffff8180, DATA + 2 } },
    { "ldrh", 0xe1d100b2, { 0, DATA }, { 0x8180, DATA } },
    { "ldrh post neg", 0xe01100b2, { 0, DATA + 4, 4 }, { 0x3344, DATA, 4 } },
    { "ldrsh reg wb", 0xe1b100f2, { 0, DATA, 2 }, { 0xffff8180, DATA + 2, 2 } },
    { "ldrt", 0xe4b10004, { 0, DATA + 4 }, { 0x11223344, DATA + 8 } },
    { "ldrd", 0xe1c120d8, { 0, DATA }, { 0, DATA, 0x55667788, 0x99aabbcc } },
    { "ldrd pre wb", 0xe16120d8, { 0, DATA + 12 }, { 0, DATA + 4, 0x11223344, 0x55667788 } },
    { "ldmia wb", 0xe8b1001c, { 0, DATA }, { 0, DATA + 12, 0x8180ff80, 0x11223344, 0x55667788 } },
    { "ldmib", 0xe991000c, { 0, DATA }, { 0, DATA, 0x11223344, 0x55667788 } },
    { "ldmda", 0xe811000c, { 0, DATA + 8 }, { 0, DATA + 8, 0x11223344, 0x55667788 } },
    { "ldm base in list", 0xe8b10006, { 0, DATA + 4 }, { 0, 0x11223344, 0x55667788 } },
};

static void test_loads(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof(load_cases) / sizeof(load_cases[0]); i++) {
        const MemCase *c = &load_cases[i];
        ARMCPU *cpu = rig_new_cpu(NULL);
        memcpy(cpu->regs, c->in, sizeof(c->in));
        fill_data();
        int excp = run_code(cpu, &c->insn, 1);
        if (excp != EXCP_SYSCALL || memcmp(cpu->regs, c->out, sizeof(c->out)) != 0) {
            print_error("%s: excp %d r0-r4 %08x %08x %08x %08x %08x\n", c->name, excp,
                        cpu->regs[0], cpu->regs[1], cpu->regs[2], cpu->regs[3], cpu->regs[4]);
            failures++;
        }
        exec_cpu_free(&cpu->common);
    }
    assert_int_equal(failures, 0);
}

static void test_stores(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    fill_data();
    /* strb r0, [r1, #3]; strh r0, [r1, #-2]!; str r0, [r1, #-4]! */
    static const uint32_t code1[] = { 0xe5c10003, 0xe16100b2, 0xe5210004 };
    cpu->regs[0] = 0xa1b2c3d4;
    cpu->regs[1] = DATA + 8;
    assert_int_equal(run_code(cpu, code1, 3), EXCP_SYSCALL);
    assert_int_equal(mem32(DATA + 8), 0xd4667788);
    /* the halfword at +6 survives; the word at +2 overlaps +4..+5 */
    assert_int_equal(mem32(DATA + 4), 0xc3d4a1b2);
    assert_int_equal(mem32(DATA + 2), 0xa1b2c3d4);
    assert_int_equal(cpu->regs[1], DATA + 2);

    /* strd r2, [r1], #8 */
    fill_data();
    cpu->regs[1] = DATA;
    cpu->regs[2] = 0x01020304;
    cpu->regs[3] = 0x05060708;
    uint32_t strd = 0xe0c120f8;
    assert_int_equal(run_code(cpu, &strd, 1), EXCP_SYSCALL);
    assert_int_equal(mem32(DATA), 0x01020304);
    assert_int_equal(mem32(DATA + 4), 0x05060708);
    assert_int_equal(cpu->regs[1], DATA + 8);

    /* stmdb r1!, {r2, r3, r4}; stmib r1, {r2, r3} */
    fill_data();
    cpu->regs[1] = DATA + 0x40;
    cpu->regs[4] = 0x0a0b0c0d;
    static const uint32_t code2[] = { 0xe921001c, 0xe981000c };
    assert_int_equal(run_code(cpu, code2, 2), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[1], DATA + 0x34);
    assert_int_equal(mem32(DATA + 0x34), 0x01020304);
    assert_int_equal(mem32(DATA + 0x38), 0x01020304);   /* stmib overwrote +0x38 with r2 */
    assert_int_equal(mem32(DATA + 0x3c), 0x05060708);
    /* str pc, [r1]; stmia r1, {r0, pc}: the pc reads as the insn + 8 */
    static const uint32_t code3[] = { 0xe581f000, 0xe8818001 };
    cpu->regs[1] = DATA + 0x80;
    assert_int_equal(run_code(cpu, code3, 2), EXCP_SYSCALL);
    assert_int_equal(mem32(DATA + 0x80), 0xa1b2c3d4);
    assert_int_equal(mem32(DATA + 0x84), CODE + 4 + 8);
    exec_cpu_free(&cpu->common);
}

static void test_ldm_pc_interworks(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* ldmia r1, {r0, pc} to an ARM address: lands on the second SVC */
    uint32_t code[4] = { 0xe8918001, 0xe3a02007 /* mov r2, #7 */, SVC0, 0x0000de00 /* Thumb UDF */ };
    set_mem32(DATA, 0x1234);
    set_mem32(DATA + 4, CODE + 8);
    cpu->regs[1] = DATA;
    assert_int_equal(run_code(cpu, code, 3), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 0x1234);
    assert_int_equal(cpu->regs[2], 0);
    assert_int_equal(cpu->regs[15], CODE + 12);
    assert_int_equal(cpu->thumb, 0);
    /* to an odd address: Thumb state, at the Thumb UDF */
    set_mem32(DATA + 4, CODE + 13);
    assert_int_equal(run_code(cpu, code, 4), EXCP_UDEF);
    assert_int_equal(cpu->regs[15], CODE + 12);
    assert_int_equal(cpu->thumb, 1);
    exec_cpu_free(&cpu->common);
}

static void test_swp(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    fill_data();
    uint32_t swp = 0xe1010092, swpb = 0xe1410092;   /* swp{b} r0, r2, [r1] */
    cpu->regs[1] = DATA + 4;
    cpu->regs[2] = 0xcafef00d;
    assert_int_equal(run_code(cpu, &swp, 1), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 0x11223344);
    assert_int_equal(mem32(DATA + 4), 0xcafef00d);
    cpu->regs[2] = 0x1ff;
    assert_int_equal(run_code(cpu, &swpb, 1), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 0x0d);
    assert_int_equal(mem32(DATA + 4), 0xcafef0ff);
    exec_cpu_free(&cpu->common);
}

static void test_exclusives(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    fill_data();
    /* ldrex r0, [r1]; add r0, r0, #1; strex r2, r0, [r1] */
    static const uint32_t inc[] = { 0xe1910f9f, 0xe2800001, 0xe1812f90 };
    cpu->regs[1] = DATA + 4;
    cpu->regs[2] = 77;
    assert_int_equal(run_code(cpu, inc, 3), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[2], 0);
    assert_int_equal(mem32(DATA + 4), 0x11223345);
    assert_int_equal(cpu->exclusive_addr, UINT64_MAX);
    /* strex without a reservation fails and stores nothing */
    assert_int_equal(run_code(cpu, &inc[2], 1), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[2], 1);
    assert_int_equal(mem32(DATA + 4), 0x11223345);
    /* clrex between them fails it too */
    static const uint32_t cleared[] = { 0xe1910f9f, 0xf57ff01f, 0xe1812f90 };
    assert_int_equal(run_code(cpu, cleared, 3), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[2], 1);
    /* memory changed behind the monitor's back (another thread): fails */
    cpu->exclusive_addr = DATA + 4;
    cpu->exclusive_val = 0x1234;
    assert_int_equal(run_code(cpu, &inc[2], 1), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[2], 1);
    assert_int_equal(mem32(DATA + 4), 0x11223345);
    /* ldrexd r2, [r1]; strexd r0, r2, r3, [r1] at another address */
    static const uint32_t dual[] = { 0xe1b12f9f, 0xe2822001 /* add r2, r2, #1 */, 0xe1a10f92 };
    cpu->regs[1] = DATA + 8;
    assert_int_equal(run_code(cpu, dual, 3), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 0);
    assert_int_equal(cpu->regs[2], 0x55667789);
    assert_int_equal(cpu->regs[3], 0x99aabbcc);
    assert_int_equal(mem32(DATA + 8), 0x55667789);
    /* ldrexb / strexb */
    static const uint32_t byte[] = { 0xe1d10f9f, 0xe2800001, 0xe1c12f90 };
    assert_int_equal(run_code(cpu, byte, 3), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[2], 0);
    assert_int_equal(mem32(DATA + 8), 0x5566778a);
    exec_cpu_free(&cpu->common);
}

/* ---- branches, exceptions, system registers ------------------------------------------ */

static void test_blx(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* blx r3 to a Thumb UDF (0xde00) at CODE + 4 */
    uint32_t blx_reg[2] = { 0xe12fff33, 0x0000de00 };
    cpu->regs[3] = CODE + 5;
    assert_int_equal(run_code(cpu, blx_reg, 2), EXCP_UDEF);
    assert_int_equal(cpu->regs[15], CODE + 4);
    assert_int_equal(cpu->thumb, 1);
    assert_int_equal(cpu->regs[14], CODE + 4);
    /* blx lr reads lr before writing it */
    cpu->thumb = 0;
    uint32_t blx_lr = 0xe12fff3e;
    cpu->regs[14] = CODE + 4;                    /* the SVC after it */
    assert_int_equal(run_code(cpu, &blx_lr, 1), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 8);
    /* blx <imm> with H = 1: Thumb at pc + 8 + 2, where a Thumb UDF waits */
    cpu->thumb = 0;
    uint32_t blx_imm[3] = { 0xfb000000, 0, 0xde000000 };
    assert_int_equal(run_code(cpu, blx_imm, 3), EXCP_UDEF);
    assert_int_equal(cpu->regs[15], CODE + 10);
    assert_int_equal(cpu->thumb, 1);
    assert_int_equal(cpu->regs[14], CODE + 4);
    exec_cpu_free(&cpu->common);
}

static void test_exceptions(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* mov r0, #1; bkpt: pc at the bkpt, r0 written */
    uint32_t bkpt[2] = { 0xe3a00001, 0xe1200070 };
    assert_int_equal(run_code(cpu, bkpt, 2), EXCP_BKPT);
    assert_int_equal(cpu->regs[15], CODE + 4);
    assert_int_equal(cpu->regs[0], 1);
    uint32_t udf[2] = { 0xe3a00002, 0xe7f000f0 };
    assert_int_equal(run_code(cpu, udf, 2), EXCP_UDEF);
    assert_int_equal(cpu->regs[15], CODE + 4);
    assert_int_equal(cpu->regs[0], 2);
    /* a conditional undefined instruction whose condition fails is skipped */
    cpu->ZF = 1;   /* Z clear */
    uint32_t udf_eq[2] = { 0x07f000f0, 0xe3a00003 };
    assert_int_equal(run_code(cpu, udf_eq, 2), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 3);
    /* coprocessor instructions other than the CP15 ones user code may use */
    uint32_t ldc = 0xed900500;                   /* ldc p5, c0, [r0] (VFP is cp10/11) */
    assert_int_equal(run_code(cpu, &ldc, 1), EXCP_UDEF);
    assert_int_equal(cpu->regs[15], CODE);
    uint32_t midr = 0xee100f10;                  /* mrc p15, 0, r0, c0, c0, 0 */
    assert_int_equal(run_code(cpu, &midr, 1), EXCP_UDEF);
    /* SVC leaves pc after itself */
    assert_int_equal(run_code(cpu, NULL, 0), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 4);
    exec_cpu_free(&cpu->common);
}

static void test_fetch_faults(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* the first insn of a block cannot be fetched: SEGV at it */
    exec_flush_all();
    cpu->regs[15] = CODE_END + 0x100;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_MEM_FAULT);
    assert_int_equal(cpu->regs[15], CODE_END + 0x100);
    assert_int_equal(cpu->common.fault_addr, CODE_END + 0x100);
    assert_int_equal(cpu->common.fault_access, EXEC_ACCESS_EXEC);
    assert_int_equal(cpu->common.fault_reason, EXEC_FAULT_UNMAPPED);
    /* code running into the unfetchable page: what is before it runs */
    memset(guest_mem, 0, CODE_END);
    set_mem32(CODE_END - 8, 0xe3a00005);         /* mov r0, #5 */
    set_mem32(CODE_END - 4, 0xe3a01006);         /* mov r1, #6 */
    exec_flush_all();
    cpu->regs[15] = CODE_END - 8;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_MEM_FAULT);
    assert_int_equal(cpu->regs[0], 5);
    assert_int_equal(cpu->regs[1], 6);
    assert_int_equal(cpu->regs[15], CODE_END);
    assert_int_equal(cpu->common.fault_addr, CODE_END);
    exec_cpu_free(&cpu->common);
}

static void test_cp15_tls(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* mrc TPIDRURO -> r0; mcr r1 -> TPIDRURW; mrc TPIDRURW -> r2; mcr dmb; dmb ish */
    static const uint32_t code[] = { 0xee1d0f70, 0xee0d1f50, 0xee1d2f50, 0xee070fba, 0xf57ff05b };
    cpu->tpidruro = 0xdeadbeef;
    cpu->regs[1] = 0x600d;
    assert_int_equal(run_code(cpu, code, 5), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 0xdeadbeef);
    assert_int_equal(cpu->tpidrurw, 0x600d);
    assert_int_equal(cpu->regs[2], 0x600d);
    /* TPIDRURO is read-only from user mode */
    uint32_t write_ro = 0xee0d1f70;
    assert_int_equal(run_code(cpu, &write_ro, 1), EXCP_UDEF);
    assert_int_equal(cpu->tpidruro, 0xdeadbeef);
    exec_cpu_free(&cpu->common);
}

static void test_cpsr_roundtrip(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    assert_int_equal(arm_cpsr_read(cpu), ARM_CPSR_MODE_USR);
    arm_cpsr_write(cpu, 0xf80f0000u, 0xf80f0000u);
    assert_int_equal(arm_cpsr_read(cpu), 0xf80f0010u);
    assert_int_equal(cpu->CF, 1);
    assert_int_equal(cpu->ZF, 0);
    assert_int_equal(cpu->VF >> 31, 1);
    assert_int_equal(cpu->GE, 0xf);
    arm_cpsr_write(cpu, 0x20000000u, 0xf0000000u);   /* only C */
    assert_int_equal(arm_cpsr_read(cpu), 0x280f0010u);
    arm_cpsr_write(cpu, ARM_CPSR_T, ARM_CPSR_T);
    assert_int_equal(cpu->thumb, 1);
    /* bits 16+ hold the FPSCR mode (ARM_TBFLAG_VFP_FAST, test-arm-vfp.c) */
    assert_int_equal(rig_tb_flags(&cpu->common) & 0xffff, 1);
    exec_cpu_free(&cpu->common);
}

/* ---- the IR itself --------------------------------------------------------------------- */

static IRBlock translate_words(const uint32_t *code, size_t n, uint32_t flags)
{
    memset(guest_mem, 0, CODE_END);
    memcpy(guest_mem + CODE, code, n * 4);
    ARMCPU *cpu = rig_new_cpu(NULL);
    IRBlock b;
    ir_block_init(&b, frontend_arm.globals, CODE);
    frontend_translate(&frontend_arm, &b, &cpu->common, CODE, flags, 64);
    exec_cpu_free(&cpu->common);
    return b;
}

static const IROp *last_op(const IRBlock *b, unsigned back)
{
    return &b->ops[b->n_ops - 1 - back];
}

static void test_block_ends(void **state)
{
    (void)state;
    /* b . : a loop inside the block (exit_check; br to the first insn) */
    uint32_t b_self = 0xeafffffe;
    IRBlock b = translate_words(&b_self, 1, 0);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(b.n_insns, 1);
    assert_int_equal(last_op(&b, 0)->opc, IR_OP_br);
    assert_int_equal(last_op(&b, 1)->opc, IR_OP_exit_check);
    ir_block_free(&b);
    /* b .+8 : goto_tb 0; pc = target; exit_tb chain0 */
    uint32_t b_fwd = 0xea000000;
    b = translate_words(&b_fwd, 1, 0);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(last_op(&b, 0)->opc, IR_OP_exit_tb);
    assert_int_equal(ir_op_const(last_op(&b, 0), 0), IR_EXIT_CHAIN0);
    assert_int_equal(last_op(&b, 2)->opc, IR_OP_goto_tb);
    ir_block_free(&b);
    /* bne . : the taken path loops inside the block, the fall-through
     * leaves through the first chain slot */
    uint32_t bne = 0x1afffffe;
    b = translate_words(&bne, 1, 0);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(last_op(&b, 0)->opc, IR_OP_exit_tb);
    assert_int_equal(ir_op_const(last_op(&b, 0), 0), IR_EXIT_CHAIN0);
    assert_int_equal(last_op(&b, 2)->opc, IR_OP_goto_tb);
    unsigned brs = 0;
    for (unsigned i = 0; i < b.n_ops; i++)
        brs += b.ops[i].opc == IR_OP_br;
    assert_int_equal(brs, 1);
    ir_block_free(&b);
    /* bne .+8 : taken path slot 0, fall-through slot 1 */
    uint32_t bne_fwd = 0x1a000000;
    b = translate_words(&bne_fwd, 1, 0);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(ir_op_const(last_op(&b, 0), 0), IR_EXIT_CHAIN1);
    assert_int_equal(ir_op_const(last_op(&b, 2), 0), 1);
    ir_block_free(&b);
    /* bx lr: goto_lookup_pc with the pc and the flags of the target state */
    uint32_t bx = 0xe12fff1e;
    b = translate_words(&bx, 1, 0);
    assert_int_equal(last_op(&b, 0)->opc, IR_OP_goto_lookup_pc);
    ir_block_free(&b);
    /* svc: raise */
    uint32_t svc = SVC0;
    b = translate_words(&svc, 1, 0);
    assert_int_equal(last_op(&b, 0)->opc, IR_OP_raise);
    assert_int_equal(ir_op_const(last_op(&b, 0), 0), EXCP_SYSCALL);
    ir_block_free(&b);
    /* straight-line code stops at max_insns (64 here) */
    uint32_t nops[100];
    for (int i = 0; i < 100; i++)
        nops[i] = 0xe1a00000;
    b = translate_words(nops, 100, 0);
    assert_int_equal(b.n_insns, 64);
    assert_int_equal(last_op(&b, 0)->opc, IR_OP_exit_tb);
    ir_block_free(&b);
    /* Thumb state (flags 1): a T16 UDF raises at the pc */
    uint32_t udf16 = 0xde00de00;
    b = translate_words(&udf16, 1, 1);
    assert_int_equal(last_op(&b, 0)->opc, IR_OP_raise);
    assert_int_equal(ir_op_const(last_op(&b, 0), 0), EXCP_UDEF);
    ir_block_free(&b);
}

static void test_page_boundary(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    memset(guest_mem, 0, CODE_END);
    for (uint32_t a = 0x1ff0; a < 0x2010; a += 4)
        set_mem32(a, 0xe1a00000);
    IRBlock b;
    ir_block_init(&b, frontend_arm.globals, 0x1ff0);
    uint32_t size = frontend_translate(&frontend_arm, &b, &cpu->common, 0x1ff0, 0, 512);
    assert_int_equal(size, 16);
    assert_int_equal(b.n_insns, 4);
    ir_block_free(&b);
    exec_cpu_free(&cpu->common);
}

/* Random words, each translated as a one-instruction block (and as the
 * first of a conditional pair): the IR must verify before and after the
 * optimiser, whatever the decoder made of it. */
static void test_random_words_verify(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (int i = 0; i < 3000; i++) {
        uint32_t w[2];
        for (int k = 0; k < 2; k++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t hi = seed >> 16;
            seed = seed * 1103515245u + 12345u;
            w[k] = hi << 16 | seed >> 16;
        }
        IRBlock b = translate_words(w, 2, 0);
        if (ir_verify(&b, stderr) != 0)
            fail_msg("%08x %08x: IR does not verify", w[0], w[1]);
        ir_optimize(&b);
        if (ir_verify(&b, stderr) != 0)
            fail_msg("%08x %08x: optimised IR does not verify", w[0], w[1]);
        ir_block_free(&b);
    }
}

static void test_dump_state(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    cpu->regs[0] = 0x12345678;
    cpu->regs[15] = 0x8000;
    arm_cpsr_write(cpu, ARM_CPSR_Z | ARM_CPSR_C, PSR_FLAGS);
    char buf[512] = { 0 };
    FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
    frontend_arm.dump_state(&cpu->common, f);
    fclose(f);
    assert_non_null(strstr(buf, "R00=12345678"));
    assert_non_null(strstr(buf, "R15=00008000"));
    assert_non_null(strstr(buf, "PSR=60000010"));
    exec_cpu_free(&cpu->common);
}

int main(void)
{
    /* Everything that runs code, once through the IR interpreter and once
     * through the x86_64 backend. */
    const struct CMUnitTest run_tests[] = {
        cmocka_unit_test(test_register_cases),
        cmocka_unit_test(test_condition_codes),
        cmocka_unit_test(test_loads),
        cmocka_unit_test(test_stores),
        cmocka_unit_test(test_ldm_pc_interworks),
        cmocka_unit_test(test_swp),
        cmocka_unit_test(test_exclusives),
        cmocka_unit_test(test_blx),
        cmocka_unit_test(test_exceptions),
        cmocka_unit_test(test_fetch_faults),
        cmocka_unit_test(test_cp15_tls),
    };
    const struct CMUnitTest ir_tests[] = {
        cmocka_unit_test(test_cpsr_roundtrip),
        cmocka_unit_test(test_block_ends),
        cmocka_unit_test(test_page_boundary),
        cmocka_unit_test(test_random_words_verify),
        cmocka_unit_test(test_dump_state),
    };
    int fails = cmocka_run_group_tests_name("interp", run_tests, setup_interp, NULL);
    fails += cmocka_run_group_tests_name("x86_64", run_tests, setup_x86, NULL);
    fails += cmocka_run_group_tests_name("ir", ir_tests, setup_interp, NULL);
    return fails;
}
