/*
 * Unit tests for the ARMv6/v7 A32 integer additions (frontend-arm/
 * translate-media.c, translate-mul-v6.c): one table of corner cases per
 * instruction class (encodings from GNU as; expected values worked out from
 * the ARM Architecture Reference Manual and checked against Debian's
 * qemu-arm), run through the IR interpreter and the x86_64 backend; feature
 * gating by cpu model; the encodings that must stay undefined; and IR
 * verification of random words from the media encoding space.
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

#include "exec/exec.h"
#include "frontend-arm/arm-cpu.h"
#include "ir/ir-build.h"

#define MEM_SIZE  0x20000u    /* guest memory */
#define CODE_END  0x10000u    /* code fetches at or above fail */
#define CODE      0x1000u
#define SVC0      0xef000000u
#define PSR_FLAGS 0xf80f0000u  /* NZCVQ and GE[3:0] */
#define PSR_Q     0x08000000u

static uint8_t *guest_mem;

static bool test_fetch(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    (void)cpu;
    if (addr + len > CODE_END)
        return false;
    memcpy(buf, guest_mem + addr, len);
    return true;
}

static const ExecHostOps test_host = { .code_fetch = test_fetch };

static int setup_interp(void **state)
{
    (void)state;
    if (!guest_mem) {
        guest_mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (guest_mem == MAP_FAILED)
            return -1;
    }
    ExecConfig cfg = { .fe = &frontend_arm, .be = NULL, .host = &test_host, .optimize = true };
    return exec_init(&cfg);
}

static int setup_x86(void **state)
{
    if (setup_interp(state))
        return -1;
    ExecConfig cfg = { .fe = &frontend_arm, .be = &backend_x86_64, .host = &test_host, .optimize = true };
    return exec_init(&cfg);
}

static ARMCPU *new_cpu(const char *model)
{
    ARMCPU *cpu = (ARMCPU *)exec_cpu_new();
    cpu->common.guest_base = (uintptr_t)guest_mem;
    if (model)
        assert_int_equal(arm_cpu_set_model(cpu, model), 0);
    return cpu;
}

/* Place code at CODE followed by an SVC, and run until something needs us. */
static int run_code(ARMCPU *cpu, const uint32_t *code, size_t n)
{
    uint32_t svc = SVC0;
    memset(guest_mem, 0, CODE_END);
    memcpy(guest_mem + CODE, code, n * 4);
    memcpy(guest_mem + CODE + 4 * n, &svc, 4);
    exec_flush_all();
    cpu->regs[15] = CODE;
    int excp;
    do    /* the flush kicks every cpu: an interrupt exit is not the result */
        excp = exec_cpu_run(&cpu->common);
    while (excp == EXCP_INTERRUPT);
    return excp;
}

/* ---- register/flag cases ------------------------------------------------------- */

typedef struct Case {
    const char *name;
    uint32_t code[6];
    unsigned n;
    uint32_t in[5];      /* r0..r4 */
    uint32_t in_psr;     /* NZCVQ, GE */
    uint32_t out[5];
    uint32_t out_psr;
} Case;

static const Case cases[] = {
    { "movw_movt", /* movw r0, #0xbeef; movt r0, #0xdead */
      { 0xe30b0eef, 0xe34d0ead }, 2, { 0x12345678, 0x0, 0x0, 0x0, 0x0 }, 0x00000000, { 0xdeadbeef, 0x0, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "movt_keeps_low", /* movt r1, #0x8000 */
      { 0xe3481000 }, 1, { 0x0, 0x1234abcd, 0x0, 0x0, 0x0 }, 0x00000000, { 0x0, 0x8000abcd, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "bfi_width32", /* bfi r0, r1, #0, #32 */
      { 0xe7df0011 }, 1, { 0x11111111, 0xcafef00d, 0x0, 0x0, 0x0 }, 0x00000000, { 0xcafef00d, 0xcafef00d, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "bfi_middle", /* bfi r0, r1, #8, #4 */
      { 0xe7cb0411 }, 1, { 0xffffffff, 0xfffffff5, 0x0, 0x0, 0x0 }, 0x00000000, { 0xfffff5ff, 0xfffffff5, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "bfc_top_bit", /* bfc r0, #31, #1 */
      { 0xe7df0f9f }, 1, { 0xffffffff, 0x0, 0x0, 0x0, 0x0 }, 0x00000000, { 0x7fffffff, 0x0, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "ubfx_width32", /* ubfx r0, r1, #0, #32 */
      { 0xe7ff0051 }, 1, { 0x0, 0x87654321, 0x0, 0x0, 0x0 }, 0x00000000, { 0x87654321, 0x87654321, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "ubfx_bit31", /* ubfx r0, r1, #31, #1 */
      { 0xe7e00fd1 }, 1, { 0x0, 0x80000000, 0x0, 0x0, 0x0 }, 0x00000000, { 0x1, 0x80000000, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "sbfx_top_nibble", /* sbfx r0, r1, #28, #4 */
      { 0xe7a30e51 }, 1, { 0x0, 0x80000000, 0x0, 0x0, 0x0 }, 0x00000000, { 0xfffffff8, 0x80000000, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "sbfx_positive", /* sbfx r0, r1, #4, #8 */
      { 0xe7a70251 }, 1, { 0x0, 0x7f0, 0x0, 0x0, 0x0 }, 0x00000000, { 0x7f, 0x7f0, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "rbit_one", /* rbit r0, r1 */
      { 0xe6ff0f31 }, 1, { 0x0, 0x1, 0x0, 0x0, 0x0 }, 0x00000000, { 0x80000000, 0x1, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "rbit_pattern", /* rbit r0, r1 */
      { 0xe6ff0f31 }, 1, { 0x0, 0x12345678, 0x0, 0x0, 0x0 }, 0x00000000, { 0x1e6a2c48, 0x12345678, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "rev", /* rev r0, r1 */
      { 0xe6bf0f31 }, 1, { 0x0, 0x12345678, 0x0, 0x0, 0x0 }, 0x00000000, { 0x78563412, 0x12345678, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "rev16", /* rev16 r0, r1 */
      { 0xe6bf0fb1 }, 1, { 0x0, 0x12345678, 0x0, 0x0, 0x0 }, 0x00000000, { 0x34127856, 0x12345678, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "revsh_negative", /* revsh r0, r1 */
      { 0xe6ff0fb1 }, 1, { 0x0, 0x80ff, 0x0, 0x0, 0x0 }, 0x00000000, { 0xffffff80, 0x80ff, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "revsh_sign_from_low_byte", /* revsh r0, r1 */
      { 0xe6ff0fb1 }, 1, { 0x0, 0xffff1280, 0x0, 0x0, 0x0 }, 0x00000000, { 0xffff8012, 0xffff1280, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "sxtb_ror8", /* sxtb r0, r1, ror #8 */
      { 0xe6af0471 }, 1, { 0x0, 0xff00, 0x0, 0x0, 0x0 }, 0x00000000, { 0xffffffff, 0xff00, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "uxth_ror24", /* uxth r0, r1, ror #24 */
      { 0xe6ff0c71 }, 1, { 0x0, 0x12345678, 0x0, 0x0, 0x0 }, 0x00000000, { 0x7812, 0x12345678, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "sxtb16", /* sxtb16 r0, r1 */
      { 0xe68f0071 }, 1, { 0x0, 0x800080, 0x0, 0x0, 0x0 }, 0x00000000, { 0xff80ff80, 0x800080, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "uxtb16_ror16", /* uxtb16 r0, r1, ror #16 */
      { 0xe6cf0871 }, 1, { 0x0, 0x11223344, 0x0, 0x0, 0x0 }, 0x00000000, { 0x440022, 0x11223344, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "uxtab16_no_carry", /* uxtab16 r0, r1, r2 */
      { 0xe6c10072 }, 1, { 0x0, 0xffffffff, 0x10001, 0x0, 0x0 }, 0x00000000, { 0x0, 0xffffffff, 0x10001, 0x0, 0x0 }, 0x00000000 },
    { "sxtab16_wrap", /* sxtab16 r0, r1, r2 */
      { 0xe6810072 }, 1, { 0x0, 0x10001, 0xff00ff, 0x0, 0x0 }, 0x00000000, { 0x0, 0x10001, 0xff00ff, 0x0, 0x0 }, 0x00000000 },
    { "sxtah", /* sxtah r0, r1, r2 */
      { 0xe6b10072 }, 1, { 0x0, 0x1, 0x8000, 0x0, 0x0 }, 0x00000000, { 0xffff8001, 0x1, 0x8000, 0x0, 0x0 }, 0x00000000 },
    { "uxtab_ror24", /* uxtab r0, r1, r2, ror #24 */
      { 0xe6e10c72 }, 1, { 0x0, 0x100, 0xff000000, 0x0, 0x0 }, 0x00000000, { 0x1ff, 0x100, 0xff000000, 0x0, 0x0 }, 0x00000000 },
    { "sadd16_ge", /* sadd16 r0, r1, r2 */
      { 0xe6110f12 }, 1, { 0x0, 0x7fff8000, 0x18000, 0x0, 0x0 }, 0x00030000, { 0x80000000, 0x7fff8000, 0x18000, 0x0, 0x0 }, 0x000c0000 },
    { "qadd16_saturates", /* qadd16 r0, r1, r2 */
      { 0xe6210f12 }, 1, { 0x0, 0x7fff8000, 0x18000, 0x0, 0x0 }, 0x00050000, { 0x7fff8000, 0x7fff8000, 0x18000, 0x0, 0x0 }, 0x00050000 },
    { "shadd16_negative", /* shadd16 r0, r1, r2 */
      { 0xe6310f12 }, 1, { 0x0, 0x7fff8000, 0x18000, 0x0, 0x0 }, 0x00000000, { 0x40008000, 0x7fff8000, 0x18000, 0x0, 0x0 }, 0x00000000 },
    { "uadd8_carries", /* uadd8 r0, r1, r2 */
      { 0xe6510f92 }, 1, { 0x0, 0xff010080, 0x1ff0080, 0x0, 0x0 }, 0x00000000, { 0x0, 0xff010080, 0x1ff0080, 0x0, 0x0 }, 0x000d0000 },
    { "usub8_borrows", /* usub8 r0, r1, r2 */
      { 0xe6510ff2 }, 1, { 0x0, 0xff0010, 0x1000010, 0x0, 0x0 }, 0x00000000, { 0xffff0000, 0xff0010, 0x1000010, 0x0, 0x0 }, 0x00070000 },
    { "uhsub16_negative", /* uhsub16 r0, r1, r2 */
      { 0xe6710f72 }, 1, { 0x0, 0x0, 0x10001, 0x0, 0x0 }, 0x00000000, { 0xffffffff, 0x0, 0x10001, 0x0, 0x0 }, 0x00000000 },
    { "shsub8", /* shsub8 r0, r1, r2 */
      { 0xe6310ff2 }, 1, { 0x0, 0x80808080, 0x7f7f7f7f, 0x0, 0x0 }, 0x00000000, { 0x80808080, 0x80808080, 0x7f7f7f7f, 0x0, 0x0 }, 0x00000000 },
    { "uqsub8_clamps", /* uqsub8 r0, r1, r2 */
      { 0xe6610ff2 }, 1, { 0x0, 0x10ff0010, 0x20010005, 0x0, 0x0 }, 0x00000000, { 0xfe000b, 0x10ff0010, 0x20010005, 0x0, 0x0 }, 0x00000000 },
    { "uqadd16_clamps", /* uqadd16 r0, r1, r2 */
      { 0xe6610f12 }, 1, { 0x0, 0xffff0001, 0x10001, 0x0, 0x0 }, 0x00000000, { 0xffff0002, 0xffff0001, 0x10001, 0x0, 0x0 }, 0x00000000 },
    { "sasx", /* sasx r0, r1, r2 */
      { 0xe6110f32 }, 1, { 0x0, 0x50003, 0x10002, 0x0, 0x0 }, 0x00000000, { 0x70002, 0x50003, 0x10002, 0x0, 0x0 }, 0x000f0000 },
    { "ssax", /* ssax r0, r1, r2 */
      { 0xe6110f52 }, 1, { 0x0, 0x50003, 0x10002, 0x0, 0x0 }, 0x00000000, { 0x30004, 0x50003, 0x10002, 0x0, 0x0 }, 0x000f0000 },
    { "usax_ge", /* usax r0, r1, r2 */
      { 0xe6510f52 }, 1, { 0x0, 0xffff, 0x10001, 0x0, 0x0 }, 0x00000000, { 0xffff0000, 0xffff, 0x10001, 0x0, 0x0 }, 0x00030000 },
    { "ssub8_ge", /* ssub8 r0, r1, r2 */
      { 0xe6110ff2 }, 1, { 0x0, 0x807f0001, 0x1ff0002, 0x0, 0x0 }, 0x00000000, { 0x7f8000ff, 0x807f0001, 0x1ff0002, 0x0, 0x0 }, 0x00060000 },
    { "sel", /* sel r0, r1, r2 */
      { 0xe6810fb2 }, 1, { 0x0, 0x11111111, 0x22222222, 0x0, 0x0 }, 0x00050000, { 0x22112211, 0x11111111, 0x22222222, 0x0, 0x0 }, 0x00050000 },
    { "uadd8_then_sel", /* uadd8 r3, r1, r2; sel r0, r1, r2 */
      { 0xe6513f92, 0xe6810fb2 }, 2, { 0x0, 0xff010080, 0x1ff0080, 0x0, 0x0 }, 0x00000000, { 0xff010080, 0xff010080, 0x1ff0080, 0x0, 0x0 }, 0x000d0000 },
    { "usad8", /* usad8 r0, r1, r2 */
      { 0xe780f211 }, 1, { 0x0, 0xff10ff, 0xff001000, 0x0, 0x0 }, 0x00000000, { 0x2fd, 0xff10ff, 0xff001000, 0x0, 0x0 }, 0x00000000 },
    { "usada8", /* usada8 r0, r1, r2, r3 */
      { 0xe7803211 }, 1, { 0x0, 0xff10ff, 0xff001000, 0x1, 0x0 }, 0x00000000, { 0x2fe, 0xff10ff, 0xff001000, 0x1, 0x0 }, 0x00000000 },
    { "pkhbt_lsl16", /* pkhbt r0, r1, r2, lsl #16 */
      { 0xe6810812 }, 1, { 0x0, 0x1234abcd, 0x5678, 0x0, 0x0 }, 0x00000000, { 0x5678abcd, 0x1234abcd, 0x5678, 0x0, 0x0 }, 0x00000000 },
    { "pkhtb_asr32", /* pkhtb r0, r1, r2, asr #32 */
      { 0xe6810052 }, 1, { 0x0, 0x1234abcd, 0x80000000, 0x0, 0x0 }, 0x00000000, { 0x1234ffff, 0x1234abcd, 0x80000000, 0x0, 0x0 }, 0x00000000 },
    { "pkhtb_asr16", /* pkhtb r0, r1, r2, asr #16 */
      { 0xe6810852 }, 1, { 0x0, 0x1234abcd, 0x80000000, 0x0, 0x0 }, 0x00000000, { 0x12348000, 0x1234abcd, 0x80000000, 0x0, 0x0 }, 0x00000000 },
    { "ssat8_high", /* ssat r0, #8, r1 */
      { 0xe6a70011 }, 1, { 0x0, 0xc8, 0x0, 0x0, 0x0 }, 0x00000000, { 0x7f, 0xc8, 0x0, 0x0, 0x0 }, 0x08000000 },
    { "ssat8_low", /* ssat r0, #8, r1 */
      { 0xe6a70011 }, 1, { 0x0, 0xffffff7f, 0x0, 0x0, 0x0 }, 0x00000000, { 0xffffff80, 0xffffff7f, 0x0, 0x0, 0x0 }, 0x08000000 },
    { "ssat8_edge_no_q", /* ssat r0, #8, r1 */
      { 0xe6a70011 }, 1, { 0x0, 0xffffff80, 0x0, 0x0, 0x0 }, 0x00000000, { 0xffffff80, 0xffffff80, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "ssat32_asr32", /* ssat r0, #32, r1, asr #32 */
      { 0xe6bf0051 }, 1, { 0x0, 0x80000000, 0x0, 0x0, 0x0 }, 0x00000000, { 0xffffffff, 0x80000000, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "ssat16_lsl31", /* ssat r0, #16, r1, lsl #31 */
      { 0xe6af0f91 }, 1, { 0x0, 0x1, 0x0, 0x0, 0x0 }, 0x00000000, { 0xffff8000, 0x1, 0x0, 0x0, 0x0 }, 0x08000000 },
    { "usat0", /* usat r0, #0, r1 */
      { 0xe6e00011 }, 1, { 0x0, 0x5, 0x0, 0x0, 0x0 }, 0x00000000, { 0x0, 0x5, 0x0, 0x0, 0x0 }, 0x08000000 },
    { "usat31_negative", /* usat r0, #31, r1 */
      { 0xe6ff0011 }, 1, { 0x0, 0x80000000, 0x0, 0x0, 0x0 }, 0x00000000, { 0x0, 0x80000000, 0x0, 0x0, 0x0 }, 0x08000000 },
    { "usat8_edge_q_sticky", /* usat r0, #8, r1 */
      { 0xe6e80011 }, 1, { 0x0, 0xff, 0x0, 0x0, 0x0 }, 0x08000000, { 0xff, 0xff, 0x0, 0x0, 0x0 }, 0x08000000 },
    { "ssat16_1bit", /* ssat16 r0, #1, r1 */
      { 0xe6a00f31 }, 1, { 0x0, 0x10000, 0x0, 0x0, 0x0 }, 0x00000000, { 0x0, 0x10000, 0x0, 0x0, 0x0 }, 0x08000000 },
    { "ssat16_8bits", /* ssat16 r0, #8, r1 */
      { 0xe6a70f31 }, 1, { 0x0, 0xff7f0080, 0x0, 0x0, 0x0 }, 0x00000000, { 0xff80007f, 0xff7f0080, 0x0, 0x0, 0x0 }, 0x08000000 },
    { "usat16_15", /* usat16 r0, #15, r1 */
      { 0xe6ef0f31 }, 1, { 0x0, 0x8000ffff, 0x0, 0x0, 0x0 }, 0x00000000, { 0x0, 0x8000ffff, 0x0, 0x0, 0x0 }, 0x08000000 },
    { "usat16_no_q", /* usat16 r0, #8, r1 */
      { 0xe6e80f31 }, 1, { 0x0, 0xff0001, 0x0, 0x0, 0x0 }, 0x00000000, { 0xff0001, 0xff0001, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "smuad_overflow_q", /* smuad r0, r1, r2 */
      { 0xe700f211 }, 1, { 0x0, 0x80008000, 0x80008000, 0x0, 0x0 }, 0x00000000, { 0x80000000, 0x80008000, 0x80008000, 0x0, 0x0 }, 0x08000000 },
    { "smusd", /* smusd r0, r1, r2 */
      { 0xe700f251 }, 1, { 0x0, 0x80008000, 0x80008000, 0x0, 0x0 }, 0x00000000, { 0x0, 0x80008000, 0x80008000, 0x0, 0x0 }, 0x00000000 },
    { "smladx", /* smladx r0, r1, r2, r3 */
      { 0xe7003231 }, 1, { 0x0, 0x20003, 0x50007, 0xa, 0x0 }, 0x00000000, { 0x27, 0x20003, 0x50007, 0xa, 0x0 }, 0x00000000 },
    { "smlsd", /* smlsd r0, r1, r2, r3 */
      { 0xe7003251 }, 1, { 0x0, 0x20003, 0x50007, 0xa, 0x0 }, 0x00000000, { 0x15, 0x20003, 0x50007, 0xa, 0x0 }, 0x00000000 },
    { "smlad_acc_overflow", /* smlad r0, r1, r2, r3 */
      { 0xe7003211 }, 1, { 0x0, 0x7fff, 0x7fff, 0x7fffffff, 0x0 }, 0x00000000, { 0xbfff0000, 0x7fff, 0x7fff, 0x7fffffff, 0x0 }, 0x08000000 },
    { "smlald", /* smlald r0, r1, r2, r3 */
      { 0xe7410312 }, 1, { 0xffffffff, 0x0, 0x80008000, 0x80008000, 0x0 }, 0x00000000, { 0x7fffffff, 0x1, 0x80008000, 0x80008000, 0x0 }, 0x00000000 },
    { "smlsldx", /* smlsldx r0, r1, r2, r3 */
      { 0xe7410372 }, 1, { 0x0, 0x0, 0x10002, 0x30004, 0x0 }, 0x00000000, { 0x2, 0x0, 0x10002, 0x30004, 0x0 }, 0x00000000 },
    { "smlsld_negative", /* smlsld r0, r1, r2, r3 */
      { 0xe7410352 }, 1, { 0x0, 0x0, 0x40001, 0x30002, 0x0 }, 0x00000000, { 0xfffffff6, 0xffffffff, 0x40001, 0x30002, 0x0 }, 0x00000000 },
    { "smmul", /* smmul r0, r1, r2 */
      { 0xe750f211 }, 1, { 0x0, 0x80000000, 0x80000000, 0x0, 0x0 }, 0x00000000, { 0x40000000, 0x80000000, 0x80000000, 0x0, 0x0 }, 0x00000000 },
    { "smmulr_rounds", /* smmulr r0, r1, r2 */
      { 0xe750f231 }, 1, { 0x0, 0x40000000, 0x3, 0x0, 0x0 }, 0x00000000, { 0x1, 0x40000000, 0x3, 0x0, 0x0 }, 0x00000000 },
    { "smmulr_half_rounds_up", /* smmulr r0, r1, r2 */
      { 0xe750f231 }, 1, { 0x0, 0x40000000, 0x2, 0x0, 0x0 }, 0x00000000, { 0x1, 0x40000000, 0x2, 0x0, 0x0 }, 0x00000000 },
    { "smmulr_below_half", /* smmulr r0, r1, r2 */
      { 0xe750f231 }, 1, { 0x0, 0x7fffffff, 0x1, 0x0, 0x0 }, 0x00000000, { 0x0, 0x7fffffff, 0x1, 0x0, 0x0 }, 0x00000000 },
    { "smmul_truncates", /* smmul r0, r1, r2 */
      { 0xe750f211 }, 1, { 0x0, 0x40000000, 0x3, 0x0, 0x0 }, 0x00000000, { 0x0, 0x40000000, 0x3, 0x0, 0x0 }, 0x00000000 },
    { "smmls", /* smmls r0, r1, r2, r3 */
      { 0xe75032d1 }, 1, { 0x0, 0x1, 0x1, 0x1, 0x0 }, 0x00000000, { 0x0, 0x1, 0x1, 0x1, 0x0 }, 0x00000000 },
    { "smmlsr", /* smmlsr r0, r1, r2, r3 */
      { 0xe75032f1 }, 1, { 0x0, 0x1, 0x1, 0x1, 0x0 }, 0x00000000, { 0x1, 0x1, 0x1, 0x1, 0x0 }, 0x00000000 },
    { "smmla_negative", /* smmla r0, r1, r2, r3 */
      { 0xe7503211 }, 1, { 0x0, 0xffffffff, 0x1, 0xffffffff, 0x0 }, 0x00000000, { 0xfffffffe, 0xffffffff, 0x1, 0xffffffff, 0x0 }, 0x00000000 },
    { "umaal_max", /* umaal r0, r1, r2, r3 */
      { 0xe0410392 }, 1, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x0 }, 0x00000000, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x0 }, 0x00000000 },
    { "umaal_small", /* umaal r0, r1, r2, r3 */
      { 0xe0410392 }, 1, { 0x5, 0x7, 0x3, 0x4, 0x0 }, 0x00000000, { 0x18, 0x0, 0x3, 0x4, 0x0 }, 0x00000000 },
    { "mls", /* mls r0, r1, r2, r3 */
      { 0xe0603291 }, 1, { 0x0, 0x3, 0x4, 0xa, 0x0 }, 0x00000000, { 0xfffffffe, 0x3, 0x4, 0xa, 0x0 }, 0x00000000 },
    { "sdiv_trunc", /* sdiv r0, r1, r2 */
      { 0xe710f211 }, 1, { 0x0, 0x7, 0xfffffffe, 0x0, 0x0 }, 0x00000000, { 0xfffffffd, 0x7, 0xfffffffe, 0x0, 0x0 }, 0x00000000 },
    { "sdiv_intmin_m1", /* sdiv r0, r1, r2 */
      { 0xe710f211 }, 1, { 0x0, 0x80000000, 0xffffffff, 0x0, 0x0 }, 0x00000000, { 0x80000000, 0x80000000, 0xffffffff, 0x0, 0x0 }, 0x00000000 },
    { "sdiv_by_zero", /* sdiv r0, r1, r2 */
      { 0xe710f211 }, 1, { 0x9, 0x5, 0x0, 0x0, 0x0 }, 0x00000000, { 0x0, 0x5, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "udiv", /* udiv r0, r1, r2 */
      { 0xe730f211 }, 1, { 0x0, 0xffffffff, 0x2, 0x0, 0x0 }, 0x00000000, { 0x7fffffff, 0xffffffff, 0x2, 0x0, 0x0 }, 0x00000000 },
    { "udiv_by_zero", /* udiv r0, r1, r2 */
      { 0xe730f211 }, 1, { 0x9, 0x5, 0x0, 0x0, 0x0 }, 0x00000000, { 0x0, 0x5, 0x0, 0x0, 0x0 }, 0x00000000 },
    { "cond_uadd8_skipped", /* uadd8eq r0, r1, r2 */
      { 0x06510f92 }, 1, { 0x0, 0xffffffff, 0xffffffff, 0x0, 0x0 }, 0x00020000, { 0x0, 0xffffffff, 0xffffffff, 0x0, 0x0 }, 0x00020000 },
    { "hints_setend_le", /* yield; wfe; wfi; sev; setend le; mov r0, #1 */
      { 0xe320f001, 0xe320f002, 0xe320f003, 0xe320f004, 0xf1010000, 0xe3a00001 }, 6, { 0x0, 0x0, 0x0, 0x0, 0x0 }, 0x00000000, { 0x1, 0x0, 0x0, 0x0, 0x0 }, 0x00000000 },
};

static void test_media_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const Case *c = &cases[i];
        ARMCPU *cpu = new_cpu(NULL);
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

/* MRS sees the Q and GE bits the media instructions produce, and MSR's
 * "s" field sets GE for SEL. */
static void test_mrs_msr_ge_q(void **state)
{
    (void)state;
    ARMCPU *cpu = new_cpu(NULL);
    /* uadd8 r0, r1, r2; qadd r3, r4, r4; mrs r5, cpsr */
    uint32_t code[3] = { 0xe6510f92, 0xe1043054, 0xe10f5000 };
    cpu->regs[1] = 0xff00ff00;
    cpu->regs[2] = 0x01000100;
    cpu->regs[4] = 0x40000000;
    assert_int_equal(run_code(cpu, code, 3), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[3], 0x7fffffff);
    assert_int_equal(cpu->regs[5] & PSR_FLAGS, PSR_Q | 0xa0000);
    /* msr cpsr_s, r1 (GE = 0b0011); sel r0, r2, r3 */
    uint32_t sel[2] = { 0xe124f001, 0xe6820fb3 };
    cpu->regs[1] = 0x00030000;
    cpu->regs[2] = 0x11111111;
    cpu->regs[3] = 0x22222222;
    assert_int_equal(run_code(cpu, sel, 2), EXCP_SYSCALL);
    assert_int_equal(cpu->regs[0], 0x22221111);
    exec_cpu_free(&cpu->common);
}

/* ---- features and undefined encodings ---------------------------------------------- */

typedef struct Gate {
    const char *name;
    uint32_t insn;
    const char *model;
    bool defined;
} Gate;

static const Gate gates[] = {
    { "uadd8 on arm926", 0xe6510f92, "arm926", false },
    { "uadd8 on arm1136", 0xe6510f92, "arm1136", true },
    { "rev on arm926", 0xe6bf0f31, "arm926", false },
    { "rev on arm1136", 0xe6bf0f31, "arm1136", true },
    { "smlad on arm1136", 0xe7003211, "arm1136", true },
    { "umaal on arm1136", 0xe0410392, "arm1136", true },
    { "umaal on arm926", 0xe0410392, "arm926", false },
    { "movw on arm1136 (v6T2)", 0xe30b0eef, "arm1136", false },
    { "movw on cortex-a7", 0xe30b0eef, "cortex-a7", true },
    { "rbit on arm1136 (v6T2)", 0xe6ff0f31, "arm1136", false },
    { "mls on arm1136 (v6T2)", 0xe0603291, "arm1136", false },
    { "ubfx on cortex-a15", 0xe7e70051, "cortex-a15", true },
    { "sdiv on arm1136", 0xe710f211, "arm1136", false },
    { "sdiv on cortex-a15", 0xe710f211, "cortex-a15", true },
    { "udiv on max", 0xe730f211, "max", true },
    /* encodings that stay undefined on every model */
    { "setend be", 0xf1010200, "max", false },
    { "setend le", 0xf1010000, "max", true },
    { "cpsid i", 0xf10c0080, "max", false },
    { "srsdb sp!, #19", 0xf96d0513, "max", false },
    { "rfeia sp!", 0xf8bd0a00, "max", false },
    { "parallel op1=000", 0xe6010f12, "max", false },
    { "parallel op2=101", 0xe6110fb2, "max", false },
    { "extend op=01", 0xe6900071, "max", false },
    { "ssat into pc", 0xe6a7f011, "max", false },
    { "bfi msb < lsb", 0xe7c30411, "max", false },
    { "ubfx lsb + width > 32", 0xe7ff00d1, "max", false },
    { "smmls without Ra", 0xe750f0d1, "max", false },
    { "smmla op=01", 0xe7503051, "max", false },
    { "umaal RdLo == RdHi", 0xe0400392, "max", false },
    { "sdiv into pc", 0xe71ff211, "max", false },
};

static void test_feature_gating(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(gates) / sizeof(gates[0]); i++) {
        ARMCPU *cpu = new_cpu(gates[i].model);
        int excp = run_code(cpu, &gates[i].insn, 1);
        if (excp != (gates[i].defined ? EXCP_SYSCALL : EXCP_UDEF))
            fail_msg("%s (%08x): exception %d", gates[i].name, gates[i].insn, excp);
        if (!gates[i].defined)
            assert_int_equal(cpu->regs[15], CODE);
        exec_cpu_free(&cpu->common);
    }
}

/* ---- IR structure ------------------------------------------------------------------ */

/* Random words from the media space (cond 011x with bit 4 set) and the
 * multiply space, each translated alone: whatever the decoder makes of
 * them, the IR must verify before and after the optimiser. */
static void test_random_media_words_verify(void **state)
{
    (void)state;
    uint32_t seed = 4242;
    for (int i = 0; i < 4000; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t hi = seed >> 16;
        seed = seed * 1103515245u + 12345u;
        uint32_t w = hi << 16 | seed >> 16;
        if (i & 1)
            w = (w & 0xf1ffffff) | 0x06000010;       /* 011x ... 1 .... */
        else
            w = (w & 0xf08fff0f) | 0x00000090;       /* multiply space */
        uint32_t code[2] = { w, SVC0 };
        memset(guest_mem, 0, CODE_END);
        memcpy(guest_mem + CODE, code, sizeof(code));
        ARMCPU *cpu = new_cpu(NULL);
        IRBlock b;
        ir_block_init(&b, frontend_arm.globals, CODE);
        frontend_arm.translate(&b, &cpu->common, CODE, 0, 64);
        exec_cpu_free(&cpu->common);
        if (ir_verify(&b, stderr) != 0)
            fail_msg("%08x: IR does not verify", w);
        ir_optimize(&b);
        if (ir_verify(&b, stderr) != 0)
            fail_msg("%08x: optimised IR does not verify", w);
        ir_block_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest run_tests[] = {
        cmocka_unit_test(test_media_cases),
        cmocka_unit_test(test_mrs_msr_ge_q),
        cmocka_unit_test(test_feature_gating),
    };
    const struct CMUnitTest ir_tests[] = {
        cmocka_unit_test(test_random_media_words_verify),
    };
    int fails = cmocka_run_group_tests_name("interp", run_tests, setup_interp, NULL);
    fails += cmocka_run_group_tests_name("x86_64", run_tests, setup_x86, NULL);
    fails += cmocka_run_group_tests_name("ir", ir_tests, setup_interp, NULL);
    return fails;
}
