/*
 * Unit tests for exec/: the translation cache, chaining, indirect lookup,
 * invalidation, exceptions and precise fault recovery — driven by a toy
 * guest ISA so they do not depend on any real frontend.  Every test runs
 * twice: through the IR interpreter and through the x86_64 backend.
 *
 * Toy ISA, one little-endian 32-bit word per insn: op=w>>24, a=(w>>16)&7,
 * b=(w>>8)&7, imm=w&0xffff.
 *   01 MOVI ra, imm     02 ADD ra, rb      03 DJNZ ra, imm (ra--, jump if != 0)
 *   04 SYS (EXCP_SYSCALL)  05 LD ra, [rb]  06 JR ra    07 ST ra, [rb]
 *   08 JMP imm          others: EXCP_UDEF
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "exec/exec.h"
#include "exec/tb.h"
#include "exec/translator.h"
#include "ir/ir-build.h"

typedef struct ToyCPU {
    CPUCommon common;
    uint32_t r[8];
    uint32_t pc;
    uint64_t restored;   /* the frontend word restore_state was given */
    uint32_t irq_enabled, irq_taken;
    uint32_t f;          /* a "flag": most code writes it before reading it */
} ToyCPU;

#define MEM_SIZE 0x40000u   /* guest memory; the page after it is PROT_NONE */

static IRGlobalSet toy_globals;
static IRTemp g_r[8], g_pc, g_f;
static uint8_t *guest_mem;

static void toy_init(void)
{
    static const char *const names[8] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7" };
    if (toy_globals.n)
        return;
    for (int i = 0; i < 8; i++)
        g_r[i] = ir_global_new(&toy_globals, IR_I32, offsetof(ToyCPU, r[i]), names[i]);
    g_pc = ir_global_new(&toy_globals, IR_I32, offsetof(ToyCPU, pc), "pc");
    g_f = ir_global_new(&toy_globals, IR_I32, offsetof(ToyCPU, f), "f");
    toy_globals.g[g_f].gflags |= IR_GLOBAL_EXIT_LIVENESS;
}

static void toy_reset(CPUCommon *c) { (void)c; }
static uint64_t toy_get_pc(const CPUCommon *c) { return ((const ToyCPU *)c)->pc; }
static void toy_set_pc(CPUCommon *c, uint64_t pc) { ((ToyCPU *)c)->pc = (uint32_t)pc; }
/* The toy records an extra insn_start word (pc * 3 + 1, what a guest with
 * lazy flags would record as the flags kind) and restores it at a fault. */
static void toy_restore(CPUCommon *c, const uint64_t *data)
{
    ((ToyCPU *)c)->pc = (uint32_t)data[0];
    ((ToyCPU *)c)->restored = data[1];
}

/* Interrupts: when enabled, the toy takes one by jumping to 0xa000 with
 * the pending lines in r7 (and disables further ones). */
static bool toy_interrupt(CPUCommon *c, uint32_t pending)
{
    ToyCPU *cpu = (ToyCPU *)c;
    if (!cpu->irq_enabled)
        return false;
    cpu->irq_enabled = 0;
    cpu->irq_taken++;
    cpu->r[7] = pending;
    cpu->pc = 0xa000;
    return true;
}

static void toy_key(const CPUCommon *c, uint64_t *pc, uint64_t *cs_base, uint64_t *flags)
{
    *pc = ((const ToyCPU *)c)->pc;
    *cs_base = *flags = 0;
}
static void toy_disas_mode(uint64_t f, int *arch, int *mode) { (void)f; *arch = 0; *mode = 0; }
static void toy_dump(const CPUCommon *c, FILE *out) { (void)c; (void)out; }

typedef struct ToyCtx {
    Translator *tr;
    IRBlock *b;
} ToyCtx;

static void toy_run_start(void *ctx, Translator *tr, uint64_t pc, uint64_t flags)
{
    (void)pc; (void)flags;
    ToyCtx *c = ctx;
    c->tr = tr;
    c->b = tr_block(tr);
}

static TrStatus toy_translate_insn(void *ctx, uint64_t pc0, unsigned *len)
{
    ToyCtx *c = ctx;
    IRBlock *b = c->b;
    uint32_t pc = (uint32_t)pc0, w;
    if (!tr_code_read(c->tr, pc, &w, 4)) {
        if (!tr_first_insn(c->tr) || tr_lookahead(c->tr))
            return TR_STOP_BEFORE;
        ir_raise(b, EXCP_MEM_FAULT);
        *len = 0;
        return TR_EXITED;
    }
    *len = 4;
    unsigned op = w >> 24, a = (w >> 16) & 7, r = (w >> 8) & 7, imm = w & 0xffff;
    ir_insn_start_data(b, pc, pc * 3ull + 1, 0);
    switch (op) {
    case 1: ir_mov_to(b, g_r[a], ir_const32(b, imm)); break;
    case 2: ir_mov_to(b, g_r[a], ir_add(b, g_r[a], g_r[r])); break;
    case 3: {
        unsigned l = ir_label_new(b);
        ir_mov_to(b, g_r[a], ir_sub(b, g_r[a], ir_const32(b, 1)));
        ir_brcond(b, IR_COND_EQ, g_r[a], ir_const32(b, 0), l);
        tr_goto(c->tr, imm, 0, 0);
        ir_set_label(b, l);
        tr_goto(c->tr, pc + 4, 0, 0);
        return TR_EXITED;
    }
    case 4:
        ir_mov_to(b, g_pc, ir_const32(b, pc + 4));
        ir_raise(b, EXCP_SYSCALL);
        return TR_EXITED;
    case 5: ir_mov_to(b, g_r[a], ir_ld(b, IR_I32, g_r[r], IR_MO_UL)); break;
    case 6:
        ir_mov_to(b, g_pc, g_r[a]);
        ir_goto_lookup_pc(b, g_pc, ir_const32(b, 0), ir_const64(b, 0));   /* toy cs_base and flags are always 0 */
        return TR_EXITED;
    case 7: ir_st(b, g_r[a], g_r[r], IR_MO_UL); break;
    case 8:
        tr_goto(c->tr, imm, 0, 0);
        return TR_EXITED;
    case 9: ir_mov_to(b, g_f, ir_add(b, g_r[a], ir_const32(b, 1))); break;   /* f = ra + 1 */
    case 10: ir_mov_to(b, g_r[a], g_f); break;                                /* ra = f */
    case 11:                                    /* jump that exec may follow */
        if (tr_goto(c->tr, imm, 0, TR_GOTO_MAY_FOLLOW))
            return TR_NEXT;
        return TR_EXITED;
    default:
        ir_mov_to(b, g_pc, ir_const32(b, pc));
        ir_raise(b, EXCP_UDEF);
        return TR_EXITED;
    }
    return TR_NEXT;
}

static void toy_end_block(void *ctx, uint64_t pc, bool state_changed)
{
    (void)state_changed;
    ToyCtx *c = ctx;
    tr_goto(c->tr, pc, 0, 0);
}

static void toy_gen_set_pc(void *ctx, uint64_t pc)
{
    ToyCtx *c = ctx;
    ir_mov_to(c->b, g_pc, ir_const32(c->b, (uint32_t)pc));
}

static const TranslatorOps toy_translator = {
    .ctx_size = sizeof(ToyCtx),
    .run_start = toy_run_start,
    .translate_insn = toy_translate_insn,
    .end_block = toy_end_block,
    .gen_set_pc = toy_gen_set_pc,
};

static const Frontend toy_frontend = {
    .name = "toy", .guest_bits = 32, .cpu_size = sizeof(ToyCPU), .globals = &toy_globals,
    .init = toy_init, .cpu_reset = toy_reset, .get_pc = toy_get_pc, .set_pc = toy_set_pc,
    .restore_state = toy_restore, .exec_interrupt = toy_interrupt,
    .get_tb_key = toy_key, .translator = &toy_translator, .disas_mode = toy_disas_mode,
    .dump_state = toy_dump,
};

static bool toy_fetch(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    (void)cpu;
    if (addr + len > MEM_SIZE)
        return false;
    memcpy(buf, guest_mem + addr, len);
    return true;
}

static const ExecHostOps toy_host = { .code_fetch = toy_fetch, .code_probe = toy_fetch };

/* Host fault in generated code (the load from the guard page). */
static void segv_handler(int sig, siginfo_t *si, void *uc_)
{
    (void)sig;
    ucontext_t *uc = uc_;
    CPUCommon *cpu = exec_current_cpu();
#if defined(__aarch64__)
    uintptr_t host_pc = (uintptr_t)uc->uc_mcontext.pc;
#else
    uintptr_t host_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#endif
    if (!cpu || !exec_host_pc_in_code(host_pc))
        abort();
    cpu->fault_addr = (uintptr_t)si->si_addr - cpu->guest_base;
    exec_raise(cpu, EXCP_MEM_FAULT, host_pc);
}

static ToyCPU *new_cpu(void)
{
    ToyCPU *cpu = (ToyCPU *)exec_cpu_new();
    cpu->common.guest_base = (uintptr_t)guest_mem;
    return cpu;
}

static void load(uint32_t addr, const uint32_t *code, size_t n)
{
    memcpy(guest_mem + addr, code, n * 4);
}

#define MOVI(a, imm) (0x01000000u | (a) << 16 | (imm))
#define ADD(a, b) (0x02000000u | (a) << 16 | (b) << 8)
#define DJNZ(a, imm) (0x03000000u | (a) << 16 | (imm))
#define SYS 0x04000000u
#define LD(a, b) (0x05000000u | (a) << 16 | (b) << 8)
#define JR(a) (0x06000000u | (a) << 16)
#define ST(a, b) (0x07000000u | (a) << 16 | (b) << 8)
#define JMP(imm) (0x08000000u | (imm))
#define SETF(a) (0x09000000u | (a) << 16)
#define GETF(a) (0x0a000000u | (a) << 16)
#define JMPF(imm) (0x0b000000u | (imm))

static int setup_interp(void **state)
{
    (void)state;
    ExecConfig cfg = { .fe = &toy_frontend, .be = NULL, .host = &toy_host, .optimize = true };
    return exec_init(&cfg);
}

static int setup_x86(void **state)
{
    (void)state;
    /* a small buffer, so test_code_buffer_flush overflows it */
    ExecConfig cfg = { .fe = &toy_frontend, .be = &backend_host, .host = &toy_host, .optimize = true,
                       .code_buffer_size = 512 << 10 };
    return exec_init(&cfg);
}

static void test_loop_and_syscall(void **state)
{
    (void)state;
    static const uint32_t prog[] = {
        MOVI(0, 1000), MOVI(1, 0), MOVI(2, 3),
        ADD(1, 2), DJNZ(0, 0x100c),   /* 0x100c: loop */
        SYS,
    };
    load(0x1000, prog, 6);
    ToyCPU *cpu = new_cpu();
    cpu->pc = 0x1000;
    uint64_t chains = exec_stats.chains_made;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
    assert_int_equal(cpu->r[1], 3000);
    assert_int_equal(cpu->r[0], 0);
    assert_int_equal(cpu->pc, 0x1018);
    if (exec_has_backend())
        assert_true(exec_stats.chains_made > chains);
    exec_cpu_free(&cpu->common);
}

static void test_indirect_jump(void **state)
{
    (void)state;
    static const uint32_t prog[] = { MOVI(3, 0x2100), JR(3) };
    static const uint32_t target[] = { MOVI(4, 77), SYS };
    load(0x2000, prog, 2);
    load(0x2100, target, 2);
    ToyCPU *cpu = new_cpu();
    uint64_t calls = 0;
    for (int i = 0; i < 3; i++) {   /* later runs find the target from generated code */
        if (i == 2)
            calls = exec_stats.code_lookups;
        cpu->pc = 0x2000;
        cpu->r[4] = 0;
        assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
        assert_int_equal(cpu->r[4], 77);
        assert_int_equal(cpu->pc, 0x2108);
    }
    /* the third run hit the inline jump-cache probe: no lookup call */
    if (exec_has_backend())
        assert_int_equal(exec_stats.code_lookups, calls);
    exec_cpu_free(&cpu->common);
}

static void test_invalidation_sees_new_code(void **state)
{
    (void)state;
    uint32_t prog[] = { MOVI(5, 1), SYS };
    load(0x3000, prog, 2);
    ToyCPU *cpu = new_cpu();
    cpu->pc = 0x3000;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
    assert_int_equal(cpu->r[5], 1);
    prog[0] = MOVI(5, 2);
    load(0x3000, prog, 2);
    cpu->pc = 0x3000;   /* without invalidation the old block would run */
    exec_invalidate_range(0x3000, 0x3004);
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
    assert_int_equal(cpu->r[5], 2);
    exec_cpu_free(&cpu->common);
}

static void test_chained_block_invalidated(void **state)
{
    (void)state;
    /* 0x4000 jumps to 0x4100 (chained after the first run); then 0x4100 changes. */
    uint32_t a[] = { JMP(0x4100) };
    uint32_t b[] = { MOVI(6, 10), SYS };
    load(0x4000, a, 1);
    load(0x4100, b, 2);
    ToyCPU *cpu = new_cpu();
    for (int i = 0; i < 2; i++) {
        cpu->pc = 0x4000;
        assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
        assert_int_equal(cpu->r[6], 10);
    }
    b[0] = MOVI(6, 20);
    load(0x4100, b, 2);
    exec_invalidate_range(0x4100, 0x4108);
    cpu->pc = 0x4000;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
    assert_int_equal(cpu->r[6], 20);
    exec_cpu_free(&cpu->common);
}

static void test_undefined_and_fetch_fault(void **state)
{
    (void)state;
    uint32_t prog[] = { MOVI(1, 5), 0xff000000u };
    load(0x5000, prog, 2);
    ToyCPU *cpu = new_cpu();
    cpu->pc = 0x5000;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_UDEF);
    assert_int_equal(cpu->pc, 0x5004);
    assert_int_equal(cpu->r[1], 5);
    cpu->pc = MEM_SIZE + 0x100;   /* not fetchable */
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_MEM_FAULT);
    exec_cpu_free(&cpu->common);
}

static void test_precise_fault(void **state)
{
    (void)state;
    /* r1 = 11, r2 = 22, then load from the guard page: pc must be the load,
     * and the register writes before it must be visible. */
    uint32_t prog[] = { MOVI(1, 11), MOVI(2, 22), MOVI(3, 0), ADD(3, 7), LD(4, 3), MOVI(1, 99), SYS };
    load(0x6000, prog, 7);
    /* cmocka installs its own SIGSEGV handler around each test: replace it */
    struct sigaction sa = { .sa_sigaction = segv_handler, .sa_flags = SA_SIGINFO | SA_NODEFER };
    sigaction(SIGSEGV, &sa, NULL);
    ToyCPU *cpu = new_cpu();
    cpu->pc = 0x6000;
    cpu->r[7] = MEM_SIZE + 16;   /* in the PROT_NONE page */
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_MEM_FAULT);
    assert_int_equal(cpu->pc, 0x6010);
    assert_int_equal(cpu->restored, 0x6010 * 3 + 1);   /* the frontend's insn_start word */
    assert_int_equal(cpu->r[1], 11);
    assert_int_equal(cpu->r[2], 22);
    assert_int_equal(cpu->r[3], MEM_SIZE + 16);
    assert_int_equal(cpu->common.fault_addr, MEM_SIZE + 16);
    exec_cpu_free(&cpu->common);
}

static void test_exit_request(void **state)
{
    (void)state;
    uint32_t prog[] = { JMP(0x7000) };   /* spins forever */
    load(0x7000, prog, 1);
    ToyCPU *cpu = new_cpu();
    cpu->pc = 0x7000;
    cpu->common.exit_request = 1;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_INTERRUPT);
    assert_int_equal(cpu->pc, 0x7000);
    exec_cpu_free(&cpu->common);
}

typedef struct Raiser {
    CPUCommon *cpu;
    uint32_t lines;      /* 0: exec_cpu_kick instead */
} Raiser;

static void *raise_later(void *arg)
{
    Raiser *r = arg;
    usleep(20000);       /* let the cpu spin in generated code */
    if (r->lines)
        exec_cpu_interrupt(r->cpu, r->lines);
    else
        exec_cpu_kick(r->cpu);
    return NULL;
}

/* Interrupt requests are apart from kicks: raised while the cpu spins in
 * chained code, an enabled one is taken by the frontend without a return to
 * the owner; a masked one stays pending (the cpu keeps running) until a kick
 * returns EXCP_INTERRUPT, and the kick itself delivers nothing. */
static void test_interrupt_request(void **state)
{
    (void)state;
    uint32_t spin[] = { JMP(0x7800) };
    uint32_t vector[] = { MOVI(1, 77), SYS };
    load(0x7800, spin, 1);
    load(0xa000, vector, 2);
    ToyCPU *cpu = new_cpu();
    pthread_t th;

    cpu->pc = 0x7800;
    cpu->irq_enabled = 1;
    Raiser r = { &cpu->common, 0x4 };
    pthread_create(&th, NULL, raise_later, &r);
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
    pthread_join(th, NULL);
    assert_int_equal(cpu->irq_taken, 1);
    assert_int_equal(cpu->r[7], 0x4);
    assert_int_equal(cpu->r[1], 77);
    assert_int_equal(cpu->pc, 0xa008);
    exec_cpu_reset_interrupt(&cpu->common, 0x4);
    assert_int_equal(cpu->common.interrupt_request, 0);

    /* masked: pending, not taken, and the cpu goes on until kicked */
    cpu->pc = 0x7800;
    cpu->irq_enabled = 0;
    exec_cpu_interrupt(&cpu->common, 0x1);
    Raiser k = { &cpu->common, 0 };
    pthread_create(&th, NULL, raise_later, &k);
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_INTERRUPT);
    pthread_join(th, NULL);
    assert_int_equal(cpu->irq_taken, 1);
    assert_int_equal(cpu->common.interrupt_request, 0x1);
    assert_int_equal(cpu->pc, 0x7800);
    /* unmasked (the frontend ends a block there; here: by hand) */
    cpu->irq_enabled = 1;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
    assert_int_equal(cpu->irq_taken, 2);
    assert_int_equal(cpu->r[7], 0x1);
    exec_cpu_free(&cpu->common);
}

/* How many ops of b are `opc` on temp t (t == IR_TEMP_NONE: any). */
static unsigned count_ops(const IRBlock *b, unsigned opc, IRTemp t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < b->n_ops; i++)
        if (b->ops[i].opc == opc && (t == IR_TEMP_NONE || b->ops[i].args[0] == t))
            n++;
    return n;
}

static IRBlock translate_at(ToyCPU *cpu, uint32_t pc)
{
    IRBlock b;
    ir_block_init(&b, &toy_globals, pc);
    frontend_translate(&toy_frontend, &b, &cpu->common, pc, 0, 0);
    return b;
}

/* exec's look-ahead: a global marked IR_GLOBAL_EXIT_LIVENESS that the
 * target of a direct exit writes before reading is discarded at the exit
 * (and DCE deletes its computation); one the target reads first is not;
 * precise blocks never look ahead. */
static void test_lookahead_liveness(void **state)
{
    (void)state;
    uint32_t a[] = { SETF(1), JMP(0xb100) };
    uint32_t dead[] = { SETF(2), SYS };
    uint32_t live[] = { GETF(3), SYS };
    load(0xb000, a, 2);
    load(0xb100, dead, 2);
    ToyCPU *cpu = new_cpu();
    IRBlock b = translate_at(cpu, 0xb000);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(count_ops(&b, IR_OP_discard, g_f), 1);
    ir_optimize(&b);
    assert_int_equal(count_ops(&b, IR_OP_mov, g_f), 0);   /* f's computation is gone */
    ir_block_free(&b);

    load(0xb100, live, 2);
    b = translate_at(cpu, 0xb000);
    assert_int_equal(count_ops(&b, IR_OP_discard, g_f), 0);
    ir_block_free(&b);

    load(0xb100, dead, 2);
    ir_block_init(&b, &toy_globals, 0xb000);
    b.precise = true;
    frontend_translate(&toy_frontend, &b, &cpu->common, 0xb000, 0, 0);
    assert_int_equal(count_ops(&b, IR_OP_discard, g_f), 0);
    ir_block_free(&b);

    /* and the program still computes the same */
    exec_flush_all();
    cpu->pc = 0xb000;
    cpu->r[1] = 41;
    cpu->r[2] = 6;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
    assert_int_equal(cpu->f, 7);
    exec_cpu_free(&cpu->common);
}

/* exec follows an unconditional jump into the block's first page (one
 * block, no exit in between), but not back into code the block covers. */
static void test_follow_branch(void **state)
{
    (void)state;
    uint32_t a[] = { MOVI(1, 1), JMPF(0xb280) };
    uint32_t c[] = { MOVI(2, 2), JMPF(0xb200) };   /* back to the start: an exit */
    load(0xb200, a, 2);
    load(0xb280, c, 2);
    ToyCPU *cpu = new_cpu();
    IRBlock b = translate_at(cpu, 0xb200);
    assert_int_equal(ir_verify(&b, stderr), 0);
    assert_int_equal(b.n_insns, 4);
    assert_int_equal(count_ops(&b, IR_OP_goto_tb, IR_TEMP_NONE), 1);
    assert_int_equal(b.guest_lo, 0xb200);
    ir_block_free(&b);
    exec_cpu_free(&cpu->common);
}

static void test_breakpoint_and_singlestep(void **state)
{
    (void)state;
    uint32_t prog[] = { MOVI(1, 1), MOVI(2, 2), MOVI(3, 3), SYS };
    load(0x9000, prog, 4);
    ToyCPU *cpu = new_cpu();
    cpu->pc = 0x9000;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);   /* translated as one block */
    assert_int_equal(exec_breakpoint_insert(0x9008), 0);
    memset(cpu->r, 0, sizeof(cpu->r));
    cpu->pc = 0x9000;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_DEBUG);
    assert_int_equal(cpu->pc, 0x9008);
    assert_int_equal(cpu->r[2], 2);
    assert_int_equal(cpu->r[3], 0);
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);   /* continue past it */
    assert_int_equal(cpu->r[3], 3);
    assert_int_equal(exec_breakpoint_remove(0x9008), 0);
    assert_int_equal(exec_breakpoint_remove(0x9008), -1);

    exec_cpu_set_singlestep(&cpu->common, true);
    memset(cpu->r, 0, sizeof(cpu->r));
    cpu->pc = 0x9000;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_DEBUG);
    assert_int_equal(cpu->pc, 0x9004);
    assert_int_equal(cpu->r[1], 1);
    assert_int_equal(cpu->r[2], 0);
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_DEBUG);
    assert_int_equal(cpu->pc, 0x9008);
    exec_cpu_set_singlestep(&cpu->common, false);
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
    assert_int_equal(cpu->r[3], 3);
    exec_cpu_free(&cpu->common);
}

/* After fork, parent and child translate into their own code buffers: the
 * child's blocks must not be overwritten by the parent's new ones. */
static void test_fork_child_private_code(void **state)
{
    (void)state;
    static const uint32_t p1[] = { MOVI(1, 111), SYS };
    static const uint32_t p2[] = { MOVI(1, 222), SYS };
    load(0xa000, p1, 2);
    load(0xb000, p2, 2);
    int to_parent[2], to_child[2];
    assert_int_equal(pipe(to_parent), 0);
    assert_int_equal(pipe(to_child), 0);
    ToyCPU *cpu = new_cpu();
    assert_int_equal(exec_fork_prepare(), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid != 0)
        exec_fork_parent();
    if (pid == 0) {
        char c = 0;
        int bad = exec_fork_child(&cpu->common) != 0;
        cpu->pc = 0xa000;
        bad |= exec_cpu_run(&cpu->common) != EXCP_SYSCALL || cpu->r[1] != 111;
        bad |= write(to_parent[1], &c, 1) != 1;        /* parent: translate now */
        bad |= read(to_child[0], &c, 1) != 1;          /* parent done */
        cpu->pc = 0xa000;
        bad |= exec_cpu_run(&cpu->common) != EXCP_SYSCALL || cpu->r[1] != 111 || cpu->pc != 0xa008;
        _exit(bad);
    }
    char c = 0;
    assert_int_equal(read(to_parent[0], &c, 1), 1);
    cpu->pc = 0xb000;
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
    assert_int_equal(cpu->r[1], 222);
    assert_int_equal(write(to_child[1], &c, 1), 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    for (int i = 0; i < 2; i++) {
        close(to_parent[i]);
        close(to_child[i]);
    }
    exec_cpu_free(&cpu->common);
}

/* A long straight program in 2-insn blocks overflows a small code buffer:
 * the cache must flush and carry on with the right result. */
/* Tiers: a new block is translated cheaply with an entry counter; after
 * the threshold (1,000 entries) it is translated again with everything on
 * and replaces the first one, mid-loop, and the program computes the same.
 * The interpreter has one tier. */
static void test_tier_up(void **state)
{
    (void)state;
    static const uint32_t prog[] = {
        MOVI(0, 3000), MOVI(1, 0), MOVI(2, 5),
        ADD(1, 2), DJNZ(0, 0xc00c),   /* 0xc00c: loop */
        SYS,
    };
    load(0xc000, prog, 6);
    ToyCPU *cpu = new_cpu();
    uint64_t promotions = exec_stats.promotions, tier0 = exec_stats.tier0_blocks;
    for (int round = 0; round < 2; round++) {    /* the second run starts on the hot block */
        cpu->pc = 0xc000;
        assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
        assert_int_equal(cpu->r[1], 15000);
        assert_int_equal(cpu->r[0], 0);
        assert_int_equal(cpu->pc, 0xc018);
    }
    if (exec_has_backend()) {
        assert_true(exec_stats.tier0_blocks > tier0);
        assert_int_equal(exec_stats.promotions, promotions + 1);   /* the loop, once */
    } else {
        assert_int_equal(exec_stats.tier0_blocks, tier0);
        assert_int_equal(exec_stats.promotions, promotions);
    }
    exec_cpu_free(&cpu->common);
}

static void test_code_buffer_flush(void **state)
{
    (void)state;
    ExecConfig cfg = { .fe = &toy_frontend, .be = exec_has_backend() ? &backend_host : NULL,
                       .host = &toy_host, .optimize = true, .max_block_insns = 2 };
    assert_int_equal(exec_init(&cfg), 0);
    enum { N = 0x8000 };
    static uint32_t prog[N];
    for (unsigned i = 0; i + 1 < N; i++)
        prog[i] = ADD(1, 2);
    prog[N - 1] = SYS;
    load(0x10000, prog, N);
    ToyCPU *cpu = new_cpu();
    uint64_t flushes = exec_stats.flushes;
    for (int round = 0; round < 3; round++) {
        cpu->pc = 0x10000;
        cpu->r[1] = 0;
        cpu->r[2] = 3;
        assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SYSCALL);
        assert_int_equal(cpu->r[1], 3u * (N - 1));
    }
    if (exec_has_backend())
        assert_true(exec_stats.flushes > flushes);
    exec_cpu_free(&cpu->common);
}

/* The block hash (open addressing, backward-shift deletion): blocks that
 * share pcs and hash homes, removed in between, through several growths. */
static void test_block_hash(void **state)
{
    (void)state;
    ExecConfig cfg = { .fe = &toy_frontend, .be = exec_has_backend() ? &backend_host : NULL,
                       .host = &toy_host, .optimize = true };
    assert_int_equal(exec_init(&cfg), 0);
    enum { N = 6000 };
    static TranslationBlock *tbs[N];
    static uint32_t pcs[N / 2];
    uint32_t x = 2463534242u;
    for (unsigned i = 0; i < N / 2; i++) {   /* distinct, scattered pcs: the probes collide */
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        pcs[i] = x & ~3u;
        for (unsigned j = 0; j < i; j++)
            if (pcs[j] == pcs[i])
                pcs[i--] = 0;   /* again */
    }
    /* counted under the lock, asserted after it (a failed assert must not
     * leave the lock held for the tests after this one) */
    unsigned wrong = 0, missing = 0;
    pthread_mutex_lock(&exec_state.lock);
    for (unsigned round = 0; round < 2; round++) {
        for (unsigned i = round * N / 2; i < (round + 1) * N / 2; i++) {
            TranslationBlock *tb = tb_alloc();
            if (!tb) {
                missing++;
                break;
            }
            tb->pc = tb->phys_pc = pcs[i / 2];   /* two blocks per pc: flags 0 and 1 */
            tb->flags = i & 1;
            tb->page[0] = tb->page[1] = tb->pc >> 12;
            tb_insert(tb);
            tbs[i] = tb;
        }
        if (missing)
            break;
        for (unsigned i = round; i < (round + 1) * N / 2; i += 3)
            tb_retire(tbs[i]);
        for (unsigned i = 0; i < (round + 1) * N / 2; i++) {
            TBKey k = { tbs[i]->pc, 0, tbs[i]->flags, tbs[i]->pc };
            wrong += tb_lookup_hash(&k) != (tbs[i]->invalid ? NULL : tbs[i]);
        }
    }
    TBKey absent = { 2, 0, 0, 2 };
    wrong += tb_lookup_hash(&absent) != NULL;
    pthread_mutex_unlock(&exec_state.lock);
    assert_int_equal(missing, 0);
    assert_int_equal(wrong, 0);
}

int main(void)
{
    guest_mem = mmap(NULL, MEM_SIZE + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(guest_mem + MEM_SIZE, 4096, PROT_NONE);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loop_and_syscall),
        cmocka_unit_test(test_indirect_jump),
        cmocka_unit_test(test_invalidation_sees_new_code),
        cmocka_unit_test(test_chained_block_invalidated),
        cmocka_unit_test(test_undefined_and_fetch_fault),
        cmocka_unit_test(test_precise_fault),
        cmocka_unit_test(test_exit_request),
        cmocka_unit_test(test_interrupt_request),
        cmocka_unit_test(test_lookahead_liveness),
        cmocka_unit_test(test_follow_branch),
        cmocka_unit_test(test_breakpoint_and_singlestep),
        cmocka_unit_test(test_fork_child_private_code),
        cmocka_unit_test(test_tier_up),
        cmocka_unit_test(test_code_buffer_flush),
        cmocka_unit_test(test_block_hash),
    };
    int fails = cmocka_run_group_tests_name("interp", tests, setup_interp, NULL);
    fails += cmocka_run_group_tests_name("x86_64", tests, setup_x86, NULL);
    return fails;
}
