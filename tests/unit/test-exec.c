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
#include "ir/ir-build.h"

typedef struct ToyCPU {
    CPUCommon common;
    uint32_t r[8];
    uint32_t pc;
} ToyCPU;

#define MEM_SIZE 0x40000u   /* guest memory; the page after it is PROT_NONE */

static IRGlobalSet toy_globals;
static IRTemp g_r[8], g_pc;
static uint8_t *guest_mem;

static void toy_init(void)
{
    static const char *const names[8] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7" };
    if (toy_globals.n)
        return;
    for (int i = 0; i < 8; i++)
        g_r[i] = ir_global_new(&toy_globals, IR_I32, offsetof(ToyCPU, r[i]), names[i]);
    g_pc = ir_global_new(&toy_globals, IR_I32, offsetof(ToyCPU, pc), "pc");
}

static void toy_reset(CPUCommon *c) { (void)c; }
static uint64_t toy_get_pc(const CPUCommon *c) { return ((const ToyCPU *)c)->pc; }
static void toy_set_pc(CPUCommon *c, uint64_t pc) { ((ToyCPU *)c)->pc = (uint32_t)pc; }
static uint32_t toy_flags(const CPUCommon *c) { (void)c; return 0; }
static void toy_disas_mode(uint32_t f, int *arch, int *mode) { (void)f; *arch = 0; *mode = 0; }
static void toy_dump(const CPUCommon *c, FILE *out) { (void)c; (void)out; }

static void goto_pc(IRBlock *b, unsigned slot, uint32_t target)
{
    ir_goto_tb(b, slot);
    ir_mov_to(b, g_pc, ir_const32(b, target));
    ir_exit_tb(b, slot ? IR_EXIT_CHAIN1 : IR_EXIT_CHAIN0);
}

static uint32_t toy_translate(IRBlock *b, CPUCommon *cpu, uint64_t pc0, uint32_t flags, unsigned max)
{
    (void)flags;
    uint32_t pc = (uint32_t)pc0;
    for (unsigned n = 0;; n++) {
        uint32_t w;
        if (!exec_code_fetch(cpu, pc, &w, 4)) {
            ir_raise(b, EXCP_SEGV);
            return pc - (uint32_t)pc0;
        }
        unsigned op = w >> 24, a = (w >> 16) & 7, r = (w >> 8) & 7, imm = w & 0xffff;
        ir_insn_start(b, pc);
        switch (op) {
        case 1: ir_mov_to(b, g_r[a], ir_const32(b, imm)); break;
        case 2: ir_mov_to(b, g_r[a], ir_add(b, g_r[a], g_r[r])); break;
        case 3: {
            unsigned l = ir_label_new(b);
            ir_mov_to(b, g_r[a], ir_sub(b, g_r[a], ir_const32(b, 1)));
            ir_brcond(b, IR_COND_EQ, g_r[a], ir_const32(b, 0), l);
            goto_pc(b, 0, imm);
            ir_set_label(b, l);
            goto_pc(b, 1, pc + 4);
            return pc + 4 - (uint32_t)pc0;
        }
        case 4:
            ir_mov_to(b, g_pc, ir_const32(b, pc + 4));
            ir_raise(b, EXCP_SYSCALL);
            return pc + 4 - (uint32_t)pc0;
        case 5: ir_mov_to(b, g_r[a], ir_ld(b, IR_I32, g_r[r], IR_MO_UL)); break;
        case 6:
            ir_mov_to(b, g_pc, g_r[a]);
            ir_goto_lookup_pc(b, g_pc, ir_const32(b, 0), ir_const64(b, 0));   /* toy tb_flags are always 0 */
            return pc + 4 - (uint32_t)pc0;
        case 7: ir_st(b, g_r[a], g_r[r], IR_MO_UL); break;
        case 8:
            goto_pc(b, 0, imm);
            return pc + 4 - (uint32_t)pc0;
        default:
            ir_mov_to(b, g_pc, ir_const32(b, pc));
            ir_raise(b, EXCP_UDEF);
            return pc + 4 - (uint32_t)pc0;
        }
        pc += 4;
        if (n + 1 >= max || (pc & 0xfff) == 0) {
            goto_pc(b, 0, pc);
            return pc - (uint32_t)pc0;
        }
    }
}

static const Frontend toy_frontend = {
    .name = "toy", .guest_bits = 32, .cpu_size = sizeof(ToyCPU), .globals = &toy_globals,
    .init = toy_init, .cpu_reset = toy_reset, .get_pc = toy_get_pc, .set_pc = toy_set_pc,
    .tb_flags = toy_flags, .translate = toy_translate, .disas_mode = toy_disas_mode,
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

static const ExecHostOps toy_host = { .code_fetch = toy_fetch };

/* Host fault in generated code (the load from the guard page). */
static void segv_handler(int sig, siginfo_t *si, void *uc_)
{
    (void)sig;
    ucontext_t *uc = uc_;
    CPUCommon *cpu = exec_current_cpu();
    uintptr_t host_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    if (!cpu || !exec_host_pc_in_code(host_pc))
        abort();
    cpu->fault_addr = (uintptr_t)si->si_addr - cpu->guest_base;
    exec_raise(cpu, EXCP_SEGV, host_pc);
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
    ExecConfig cfg = { .fe = &toy_frontend, .be = &backend_x86_64, .host = &toy_host, .optimize = true,
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
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SEGV);
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
    assert_int_equal(exec_cpu_run(&cpu->common), EXCP_SEGV);
    assert_int_equal(cpu->pc, 0x6010);
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
static void test_code_buffer_flush(void **state)
{
    (void)state;
    ExecConfig cfg = { .fe = &toy_frontend, .be = exec_has_backend() ? &backend_x86_64 : NULL,
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
        cmocka_unit_test(test_breakpoint_and_singlestep),
        cmocka_unit_test(test_fork_child_private_code),
        cmocka_unit_test(test_code_buffer_flush),
    };
    int fails = cmocka_run_group_tests_name("interp", tests, setup_interp, NULL);
    fails += cmocka_run_group_tests_name("x86_64", tests, setup_x86, NULL);
    return fails;
}
