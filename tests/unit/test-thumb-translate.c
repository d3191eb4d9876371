/*
 * Unit tests for the Thumb (T16/T32) side of the ARM frontend: sequences
 * assembled with GNU as (-mthumb -march=armv7-a, the source is in the
 * comments) run through exec with the IR interpreter, the x86_64 backend,
 * and the interpreter with one instruction per block (so blocks start in
 * the middle of IT blocks).  Expected values follow the ARM ARM (DDI 0406C)
 * pseudocode and were cross-checked with Debian's qemu-arm.  Plus
 * structural checks: random halfwords in random IT states give IR that
 * verifies before and after the optimiser.
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

#define SVC16     0xdf00u     /* svc 0 */
#define PSR_FLAGS 0xf8000000u
#define PSR_IT    0x0600fc00u
#define TBFLAG_THUMB 1u

static int setup_one_insn(void **state) { (void)state; return rig_setup(NULL, 1); }

/* Thumb code at CODE followed by svc 0; runs until something needs us. */
static int run_thumb(ARMCPU *cpu, const uint16_t *code, size_t n)
{
    memset(guest_mem, 0, CODE_END);
    memcpy(guest_mem + CODE, code, n * 2);
    uint16_t svc = SVC16;
    memcpy(guest_mem + CODE + 2 * n, &svc, 2);
    exec_flush_all();
    cpu->regs[15] = CODE;
    cpu->thumb = 1;
    return rig_run(cpu);
}

/* ---- register/flag cases ---------------------------------------------------------- */

typedef struct Case {
    const char *name;
    uint16_t code[16];
    unsigned n;
    uint32_t in[5];      /* r0..r4 */
    uint32_t in_psr;     /* NZCVQ */
    uint32_t out[5];
    uint32_t out_psr;
} Case;

static const Case cases[] = {
    { "adds_t16_flags", /* adds r0, r1, r2 */
      { 0x1888 }, 1, { 0, 0xffffffff, 1, 0, 0 }, 0, { 0, 0xffffffff, 1, 0, 0 }, 0x60000000 },
    { "ite_eq_no_flags_inside", /* cmp r1, r2; ite eq; addeq r0, r1, r2; subne r0, r1, r2 */
      { 0x4291, 0xbf0c, 0x1888, 0x1a88 }, 4, { 0, 5, 5, 0, 0 }, 0, { 10, 5, 5, 0, 0 }, 0x60000000 },
    { "ite_ne", /* cmp r1, r2; ite eq; addeq r0, r1, r2; subne r0, r1, r2 */
      { 0x4291, 0xbf0c, 0x1888, 0x1a88 }, 4, { 0, 3, 5, 0, 0 }, 0, { 0xfffffffe, 3, 5, 0, 0 }, 0x80000000 },
    { "itt_eq_taken", /* itt eq; lsleq r0, r1, #1; addeq r0, r0, r2 */
      { 0xbf04, 0x0048, 0x1880 }, 3, { 9, 0x80000001, 3, 0, 0 }, 0x40000000, { 5, 0x80000001, 3, 0, 0 }, 0x40000000 },
    { "itt_eq_skipped", /* itt eq; lsleq r0, r1, #1; addeq r0, r0, r2 */
      { 0xbf04, 0x0048, 0x1880 }, 3, { 9, 0x80000001, 3, 0, 0 }, 0, { 9, 0x80000001, 3, 0, 0 }, 0 },
    { "ands_modimm_carry", /* ands.w r0, r1, #0x80000000 (rotated: C = bit 31) */
      { 0xf011, 0x4000 }, 2, { 0, 0x80000001, 0, 0, 0 }, 0, { 0x80000000, 0x80000001, 0, 0, 0 }, 0xa0000000 },
    { "movs_modimm_keeps_cv", /* movs.w r0, #0x00ff00ff (not rotated: C unchanged) */
      { 0xf05f, 0x10ff }, 2, { 0, 0, 0, 0, 0 }, 0x30000000, { 0x00ff00ff, 0, 0, 0, 0 }, 0x30000000 },
    { "orn_shifted", /* orn r0, r1, r2, lsr #4 */
      { 0xea61, 0x1012 }, 2, { 0, 0x0f, 0xf0, 0, 0 }, 0, { 0xffffffff, 0x0f, 0xf0, 0, 0 }, 0 },
    { "movw_movt", /* movw r0, #0x5678; movt r0, #0x1234 */
      { 0xf245, 0x6078, 0xf2c1, 0x2034 }, 4, { 0, 0, 0, 0, 0 }, 0, { 0x12345678, 0, 0, 0, 0 }, 0 },
    { "addw", /* addw r0, r1, #4095 */
      { 0xf601, 0x70ff }, 2, { 0, 1, 0, 0, 0 }, 0, { 4096, 1, 0, 0, 0 }, 0 },
    { "lsls_t16_carry", /* lsls r0, r1, #1 */
      { 0x0048 }, 1, { 0, 0x80000001, 0, 0, 0 }, 0, { 2, 0x80000001, 0, 0, 0 }, 0x20000000 },
    { "mul_t32", /* mul r0, r1, r0 */
      { 0xfb01, 0xf000 }, 2, { 3, 7, 0, 0, 0 }, 0, { 21, 7, 0, 0, 0 }, 0 },
    { "rsbs_t16", /* rsbs r0, r1, #0 */
      { 0x4248 }, 1, { 0, 1, 0, 0, 0 }, 0, { 0xffffffff, 1, 0, 0, 0 }, 0x80000000 },
    { "ubfx", /* ubfx r0, r1, #4, #8 */
      { 0xf3c1, 0x1007 }, 2, { 0, 0x12345678, 0, 0, 0 }, 0, { 0x67, 0x12345678, 0, 0, 0 }, 0 },
    { "sdiv", /* sdiv r0, r1, r2 */
      { 0xfb91, 0xf0f2 }, 2, { 0, 0xfffffff9, 2, 0, 0 }, 0, { 0xfffffffd, 0xfffffff9, 2, 0, 0 }, 0 },
    { "mls", /* mls r0, r1, r2, r3 */
      { 0xfb01, 0x3012 }, 2, { 0, 3, 4, 20, 0 }, 0, { 8, 3, 4, 20, 0 }, 0 },
    { "cbz_taken", /* cbz r1, 1f; movs r0, #1; 1: adds r0, r0, #2 */
      { 0xb101, 0x2001, 0x3002 }, 3, { 5, 0, 0, 0, 0 }, 0, { 7, 0, 0, 0, 0 }, 0 },
    { "cbz_not_taken", /* cbz r1, 1f; movs r0, #1; 1: adds r0, r0, #2 */
      { 0xb101, 0x2001, 0x3002 }, 3, { 5, 1, 0, 0, 0 }, 0, { 3, 1, 0, 0, 0 }, 0 },
    { "tbb", /* tbb [pc, r1]; table; c0: movs r0, #10; b done; c1: movs r0, #11; b done; c2: movs r0, #12; done: nop */
      { 0xe8df, 0xf001, 0x0402, 0x0006, 0x200a, 0xe002, 0x200b, 0xe000, 0x200c, 0xbf00 }, 10,
      { 0, 2, 0, 0, 0 }, 0, { 12, 2, 0, 0, 0 }, 0 },
    { "tbb_1", /* the same, case 1 */
      { 0xe8df, 0xf001, 0x0402, 0x0006, 0x200a, 0xe002, 0x200b, 0xe000, 0x200c, 0xbf00 }, 10,
      { 0, 1, 0, 0, 0 }, 0, { 11, 1, 0, 0, 0 }, 0 },
    { "tbh", /* tbh [pc, r1, lsl #1]; table; c0: movs r0, #20; b done; c1: movs r0, #21; done: nop */
      { 0xe8df, 0xf011, 0x0002, 0x0004, 0x2014, 0xe000, 0x2015, 0xbf00 }, 8,
      { 0, 1, 0, 0, 0 }, 0, { 21, 1, 0, 0, 0 }, 0 },
    { "bl_bx_lr", /* bl f; adds r0, #1; b done; f: movs r0, #5; bx lr; done: nop */
      { 0xf000, 0xf802, 0x3001, 0xe001, 0x2005, 0x4770, 0xbf00 }, 7,
      { 0, 0, 0, 0, 0 }, 0, { 6, 0, 0, 0, 0 }, 0 },
    { "blx_imm_to_arm", /* blx f_arm; adds r0, #1; b done; .arm f_arm: mov r0, #7; bx lr; done: nop */
      { 0xf000, 0xe802, 0x3001, 0xe003, 0x0007, 0xe3a0, 0xff1e, 0xe12f, 0xbf00, 0xbf00 }, 10,
      { 0, 0, 0, 0, 0 }, 0, { 8, 0, 0, 0, 0 }, 0 },
    { "adr_ldrd_literal", /* adr r3, data; ldrd r1, r4, [r3]; ldr r0, lit; b done; data, lit; done: nop */
      { 0xa302, 0xe9d3, 0x1400, 0x4803, 0xe006, 0xbf00, 0x1111, 0x1111, 0x4444, 0x4444, 0xf00d, 0xcafe,
        0xbf00, 0xbf00 }, 14,
      { 0, 0, 0, 0, 0 }, 0, { 0xcafef00d, 0x11111111, 0, CODE + 12, 0x44444444 }, 0 },
};

static void test_register_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const Case *c = &cases[i];
        ARMCPU *cpu = rig_new_cpu(NULL);
        memcpy(cpu->regs, c->in, sizeof(c->in));
        arm_cpsr_write(cpu, c->in_psr, PSR_FLAGS);
        int excp = run_thumb(cpu, c->code, c->n);
        uint32_t psr = arm_cpsr_read(cpu) & PSR_FLAGS;
        bool ok = excp == EXCP_SYSCALL && cpu->regs[15] == CODE + 2 * c->n + 2 && cpu->thumb &&
                  cpu->condexec == 0 && memcmp(cpu->regs, c->out, sizeof(c->out)) == 0 &&
                  psr == c->out_psr;
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

/* ---- memory ------------------------------------------------------------------------ */

static void test_loads_stores(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* ldr r0, [r1, #4]!; ldr.w r2, [r1, r3, lsl #2]; ldrsh.w r3, [r1, #-2]; ldr r4, [r1], #8 */
    static const uint16_t forms[] = { 0xf851, 0x0f04, 0xf851, 0x2023, 0xf931, 0x3c02, 0xf851, 0x4b08 };
    set_mem32(DATA, 0x8001aaaa);
    set_mem32(DATA + 4, 0x44);
    set_mem32(DATA + 12, 0xcc);
    cpu->regs[1] = DATA;
    cpu->regs[3] = 2;
    assert_int_equal(run_thumb(cpu, forms, 8), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 0x44);
    assert_int_equal(cpu->regs[2], 0xcc);
    assert_int_equal(cpu->regs[3], 0xffff8001);
    assert_int_equal(cpu->regs[4], 0x44);
    assert_int_equal(cpu->regs[1], DATA + 12);
    /* strd r2, r4, [r1, #-8]!: any register pair in T32 */
    static const uint16_t strd[] = { 0xe961, 0x2402 };
    cpu->regs[1] = DATA + 16;
    cpu->regs[2] = 0xaaaa;
    cpu->regs[4] = 0xbbbb;
    assert_int_equal(run_thumb(cpu, strd, 2), EXCP_SYSCALL);
    assert_int_equal(mem32(DATA + 8), 0xaaaa);
    assert_int_equal(mem32(DATA + 12), 0xbbbb);
    assert_int_equal(cpu->regs[1], DATA + 8);
    /* ldrex r0, [r1]; adds r0, #1; strex r2, r0, [r1] */
    static const uint16_t excl[] = { 0xe851, 0x0f00, 0x3001, 0xe841, 0x0200 };
    set_mem32(DATA, 41);
    cpu->regs[1] = DATA;
    cpu->regs[2] = 7;
    assert_int_equal(run_thumb(cpu, excl, 5), EXCP_SYSCALL);
    assert_int_equal(mem32(DATA), 42);
    assert_int_equal(cpu->regs[2], 0);
    exec_cpu_free(&cpu->common);
}

/* ---- interworking -------------------------------------------------------------------- */

static void test_interworking(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* pop {r0, pc} to a Thumb address: the svc after it */
    static const uint16_t pop[] = { 0xbd01 };
    set_mem32(DATA, 7);
    set_mem32(DATA + 4, (CODE + 2) | 1);
    cpu->regs[13] = DATA;
    assert_int_equal(run_thumb(cpu, pop, 1), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 7);
    assert_int_equal(cpu->regs[13], DATA + 8);
    assert_int_equal(cpu->regs[15], CODE + 4);
    assert_int_equal(cpu->thumb, 1);
    /* ... and to an ARM address (even): an ARM svc at CODE + 8 */
    static const uint16_t pop_arm[] = { 0xbd01, 0xbf00, 0xbf00, 0xbf00, 0x0000, 0xef00 };
    set_mem32(DATA + 4, CODE + 8);
    cpu->regs[13] = DATA;
    assert_int_equal(run_thumb(cpu, pop_arm, 6), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 12);
    assert_int_equal(cpu->thumb, 0);
    /* ldr pc, [r1] (T32) interworks too */
    static const uint16_t ldr_pc[] = { 0xf8d1, 0xf000 };
    set_mem32(DATA, (CODE + 4) | 1);
    cpu->regs[1] = DATA;
    assert_int_equal(run_thumb(cpu, ldr_pc, 2), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 6);
    assert_int_equal(cpu->thumb, 1);
    /* bx r3 to ARM code */
    static const uint16_t bx[] = { 0x4718, 0xbf00, 0x0000, 0xef00 };
    cpu->regs[3] = CODE + 4;
    assert_int_equal(run_thumb(cpu, bx, 4), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 8);
    assert_int_equal(cpu->thumb, 0);
    /* mov pc, r3 in Thumb state is a plain branch: bit 0 ignored, stays Thumb */
    static const uint16_t mov_pc[] = { 0x4291, 0xbfc8, 0x469f, 0x2001 };  /* cmp r1, r2; it gt; movgt pc, r3; movs r0, #1 */
    for (int odd = 0; odd < 2; odd++) {
        cpu->regs[0] = 0;
        cpu->regs[1] = 5;
        cpu->regs[2] = 3;
        cpu->regs[3] = CODE + 8 + odd;
        assert_int_equal(run_thumb(cpu, mov_pc, 4), EXCP_SYSCALL);
        assert_int_equal(cpu->regs[15], CODE + 10);
        assert_int_equal(cpu->thumb, 1);
        assert_int_equal(cpu->regs[0], 0);
        assert_int_equal(cpu->condexec, 0);
    }
    cpu->regs[1] = 3;
    cpu->regs[2] = 5;
    assert_int_equal(run_thumb(cpu, mov_pc, 4), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 1);
    exec_cpu_free(&cpu->common);
}

/* ---- IT state at exceptions -------------------------------------------------------------- */

static void test_it_state_precise(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    /* cmp r1, #0; itt eq; svceq 0; moveq r0, #5: the syscall returns into
     * the IT block, with ITSTATE advanced past the svc */
    static const uint16_t svc_in_it[] = { 0x2900, 0xbf04, 0xdf00, 0x2005 };
    cpu->regs[0] = 1;
    cpu->regs[1] = 0;
    assert_int_equal(run_thumb(cpu, svc_in_it, 4), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 6);
    assert_int_equal(cpu->condexec, 0x08);      /* EQ, one instruction left */
    assert_int_equal(cpu->regs[0], 1);
    assert_int_equal(rig_run(cpu), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 10);
    assert_int_equal(cpu->regs[0], 5);
    assert_int_equal(cpu->condexec, 0);
    /* condition false: both skipped */
    cpu->regs[0] = 1;
    cpu->regs[1] = 1;
    assert_int_equal(run_thumb(cpu, svc_in_it, 4), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[15], CODE + 10);
    assert_int_equal(cpu->regs[0], 1);
    assert_int_equal(cpu->condexec, 0);
    /* an undefined instruction inside the block: ITSTATE is the one of
     * that instruction, visible in the CPSR IT bits */
    static const uint16_t udf_in_it[] = { 0x2900, 0xbf04, 0xde00, 0x2005 };
    cpu->regs[1] = 0;
    assert_int_equal(run_thumb(cpu, udf_in_it, 4), EXCP_UDEF);
    assert_int_equal(cpu->regs[15], CODE + 4);
    assert_int_equal(cpu->condexec, 0x04);
    assert_int_equal(arm_cpsr_read(cpu) & PSR_IT, 1u << 10);
    exec_cpu_free(&cpu->common);
}

/* ---- cpu models ------------------------------------------------------------------------------- */

/* Without Thumb-2 (arm926, ARMv5TE) only the BL/BLX pair is 32 bits long. */
static void test_thumb1_only_models(void **state)
{
    (void)state;
    ARMCPU *cpu = rig_new_cpu(NULL);
    assert_int_equal(arm_cpu_set_model(cpu, "arm926"), 0);
    static const uint16_t mul_w[] = { 0xfb01, 0xf000 };              /* mul r0, r1, r0 */
    assert_int_equal(run_thumb(cpu, mul_w, 2), EXCP_UDEF);
    assert_int_equal(cpu->regs[15], CODE);
    static const uint16_t it[] = { 0xbf08, 0x2005 };                 /* it eq; moveq r0, #5 */
    assert_int_equal(run_thumb(cpu, it, 2), EXCP_UDEF);
    static const uint16_t bl[] = { 0xf000, 0xf802, 0x3001, 0xe001, 0x2005, 0x4770, 0xbf00 };
    cpu->regs[0] = 0;
    assert_int_equal(run_thumb(cpu, bl, 7), EXCP_SYSCALL);            /* bl f; ...; f: movs r0, #5; bx lr */
    assert_int_equal(cpu->regs[0], 6);
    exec_cpu_free(&cpu->common);
}

/* ---- structure ------------------------------------------------------------------------------ */

static IRBlock translate_halfwords(const uint16_t *code, size_t n, uint32_t flags)
{
    memset(guest_mem, 0, CODE_END);
    memcpy(guest_mem + CODE, code, n * 2);
    ARMCPU *cpu = rig_new_cpu(NULL);
    IRBlock b;
    ir_block_init(&b, frontend_arm.globals, CODE);
    frontend_translate(&frontend_arm, &b, &cpu->common, CODE, flags, 64);
    exec_cpu_free(&cpu->common);
    return b;
}

static void test_block_ends(void **state)
{
    (void)state;
    /* b . (T16): a loop inside the block */
    static const uint16_t b_self = 0xe7fe;
    IRBlock b = translate_halfwords(&b_self, 1, TBFLAG_THUMB);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(b.n_insns, 1);
    assert_int_equal(b.ops[b.n_ops - 1].opc, IR_OP_br);
    ir_block_free(&b);
    /* b .+4 (T16): chainable exit slot 0 */
    static const uint16_t b_fwd = 0xe000;
    b = translate_halfwords(&b_fwd, 1, TBFLAG_THUMB);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(b.ops[b.n_ops - 1].opc, IR_OP_exit_tb);
    assert_int_equal(ir_op_const(&b.ops[b.n_ops - 1], 0), IR_EXIT_CHAIN0);
    ir_block_free(&b);
    /* a T32 instruction counts 4 bytes; the block of 3 nops + b.w is 12 bytes */
    static const uint16_t mixed[] = { 0xbf00, 0xf3af, 0x8000, 0xbf00, 0xf7ff, 0xbffe };
    memset(guest_mem, 0, CODE_END);
    memcpy(guest_mem + CODE, mixed, sizeof(mixed));
    ARMCPU *cpu = rig_new_cpu(NULL);
    ir_block_init(&b, frontend_arm.globals, CODE);
    assert_int_equal(frontend_translate(&frontend_arm, &b, &cpu->common, CODE, TBFLAG_THUMB, 64), 12);
    assert_int_equal(b.n_insns, 4);
    ir_block_free(&b);
    /* a T32 instruction whose second halfword cannot be fetched ends the
     * block before it (the next block faults precisely) */
    memset(guest_mem, 0, CODE_END);
    uint16_t tail[2] = { 0xbf00, 0xf000 };
    memcpy(guest_mem + CODE_END - 4, tail, 4);
    ir_block_init(&b, frontend_arm.globals, CODE_END - 4);
    assert_int_equal(frontend_translate(&frontend_arm, &b, &cpu->common, CODE_END - 4, TBFLAG_THUMB, 64), 2);
    ir_block_free(&b);
    exec_cpu_free(&cpu->common);
    /* the tb_flags carry ITSTATE in Thumb state only */
    ARMCPU *c2 = rig_new_cpu(NULL);
    c2->condexec = 0x48;
    /* (bits 16+ hold the FPSCR mode: ARM_TBFLAG_VFP_FAST, test-arm-vfp.c) */
    assert_int_equal(rig_tb_flags(&c2->common) & 0xffff, 0);
    c2->thumb = 1;
    assert_int_equal(rig_tb_flags(&c2->common) & 0xffff, TBFLAG_THUMB | 0x48 << 8);
    exec_cpu_free(&c2->common);
}

/* Random halfword pairs in random IT states: the IR verifies before and
 * after the optimiser, whatever the decoders make of them. */
static void test_random_halfwords_verify(void **state)
{
    (void)state;
    uint32_t seed = 777;
    for (int i = 0; i < 4000; i++) {
        uint16_t h[4];
        for (int k = 0; k < 4; k++) {
            seed = seed * 1103515245u + 12345u;
            h[k] = (uint16_t)(seed >> 16);
        }
        if (i & 1)
            h[0] |= 0xe800;     /* make half of them 32-bit */
        seed = seed * 1103515245u + 12345u;
        uint32_t it = (seed >> 16) & 0xff;
        if ((it & 0xf) == 0 || (it >> 4) >= 0xe)
            it = 0;
        IRBlock b = translate_halfwords(h, 4, TBFLAG_THUMB | it << 8);
        if (ir_verify(&b, stderr) != 0)
            fail_msg("%04x %04x %04x %04x it %02x: IR does not verify", h[0], h[1], h[2], h[3], it);
        ir_optimize(&b);
        if (ir_verify(&b, stderr) != 0)
            fail_msg("%04x %04x %04x %04x it %02x: optimised IR does not verify", h[0], h[1], h[2], h[3], it);
        ir_block_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest run_tests[] = {
        cmocka_unit_test(test_register_cases),
        cmocka_unit_test(test_loads_stores),
        cmocka_unit_test(test_interworking),
        cmocka_unit_test(test_it_state_precise),
        cmocka_unit_test(test_thumb1_only_models),
    };
    const struct CMUnitTest ir_tests[] = {
        cmocka_unit_test(test_block_ends),
        cmocka_unit_test(test_random_halfwords_verify),
    };
    int fails = cmocka_run_group_tests_name("thumb-interp", run_tests, setup_interp, NULL);
    fails += cmocka_run_group_tests_name("thumb-x86_64", run_tests, setup_x86, NULL);
    fails += cmocka_run_group_tests_name("thumb-one-insn-blocks", run_tests, setup_one_insn, NULL);
    fails += cmocka_run_group_tests_name("thumb-ir", ir_tests, setup_interp, NULL);
    return fails;
}
