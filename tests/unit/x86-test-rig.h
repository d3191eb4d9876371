/*
 * x86-test-rig.h — what the x86 frontend unit tests share: exec set up for
 * frontend-x86 (IR interpreter or x86_64 backend) with guest addresses
 * equal to host addresses (guest_base 0), so the same code and data can
 * run natively on the host CPU (the oracle) and under vemu.
 *
 * A snippet runs natively through x86rig_native_run: it loads all sixteen
 * registers and the arithmetic flags, jumps to the code, which ends with
 * a jump to x86rig_native_exit, and stores them back.  Under vemu the same
 * bytes end with SYSCALL (64-bit) or INT 0x80 (32-bit).  Include after
 * <cmocka.h>.
 */
#ifndef VEMU_X86_TEST_RIG_H
#define VEMU_X86_TEST_RIG_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "exec/exec.h"
#include "frontend-x86/x86-cpu.h"

/* One area below 4 GiB (32-bit guests reach it too), read/write/execute
 * for the native runs: code, data, a stack. */
#define RIG_SIZE   0x40000u
#define RIG_CODE   0x0000u   /* offsets into the area */
#define RIG_DATA   0x10000u
#define RIG_STACK  0x30000u  /* the stack grows down from here */
#define RIG_FLAGS_MASK 0x8d5u /* CF PF AF ZF SF OF */

static uint8_t *rig_mem;

typedef struct X86State {
    uint64_t r[16];
    uint64_t rflags;
    uint64_t host_rsp;
} X86State;

X86State x86rig_nstate;
uint64_t x86rig_target;
void x86rig_native_enter(void);
void x86rig_native_exit(void);

__asm__(
    ".text\n"
    ".globl x86rig_native_enter\n"
    "x86rig_native_enter:\n"
    "  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
    "  mov %rsp, x86rig_nstate+136(%rip)\n"
    "  pushq x86rig_nstate+128(%rip)\n  popfq\n"
    "  mov x86rig_nstate+0(%rip), %rax\n  mov x86rig_nstate+8(%rip), %rcx\n"
    "  mov x86rig_nstate+16(%rip), %rdx\n  mov x86rig_nstate+24(%rip), %rbx\n"
    "  mov x86rig_nstate+32(%rip), %rsp\n  mov x86rig_nstate+40(%rip), %rbp\n"
    "  mov x86rig_nstate+48(%rip), %rsi\n  mov x86rig_nstate+56(%rip), %rdi\n"
    "  mov x86rig_nstate+64(%rip), %r8\n  mov x86rig_nstate+72(%rip), %r9\n"
    "  mov x86rig_nstate+80(%rip), %r10\n  mov x86rig_nstate+88(%rip), %r11\n"
    "  mov x86rig_nstate+96(%rip), %r12\n  mov x86rig_nstate+104(%rip), %r13\n"
    "  mov x86rig_nstate+112(%rip), %r14\n  mov x86rig_nstate+120(%rip), %r15\n"
    "  jmp *x86rig_target(%rip)\n"
    ".globl x86rig_native_exit\n"
    "x86rig_native_exit:\n"
    "  mov %rax, x86rig_nstate+0(%rip)\n  mov %rcx, x86rig_nstate+8(%rip)\n"
    "  mov %rdx, x86rig_nstate+16(%rip)\n  mov %rbx, x86rig_nstate+24(%rip)\n"
    "  mov %rsp, x86rig_nstate+32(%rip)\n  mov %rbp, x86rig_nstate+40(%rip)\n"
    "  mov %rsi, x86rig_nstate+48(%rip)\n  mov %rdi, x86rig_nstate+56(%rip)\n"
    "  mov %r8, x86rig_nstate+64(%rip)\n  mov %r9, x86rig_nstate+72(%rip)\n"
    "  mov %r10, x86rig_nstate+80(%rip)\n  mov %r11, x86rig_nstate+88(%rip)\n"
    "  mov %r12, x86rig_nstate+96(%rip)\n  mov %r13, x86rig_nstate+104(%rip)\n"
    "  mov %r14, x86rig_nstate+112(%rip)\n  mov %r15, x86rig_nstate+120(%rip)\n"
    "  mov x86rig_nstate+136(%rip), %rsp\n"
    "  pushfq\n  popq x86rig_nstate+128(%rip)\n"
    "  cld\n"
    "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n  pop %rbp\n  pop %rbx\n"
    "  ret\n");

static inline bool rig_fetch(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    (void)cpu;
    uint64_t lo = (uintptr_t)rig_mem + RIG_CODE, hi = (uintptr_t)rig_mem + RIG_DATA;
    if (addr < lo || addr + len > hi)
        return false;
    memcpy(buf, (void *)(uintptr_t)addr, len);
    return true;
}

static const ExecHostOps rig_host = { .code_fetch = rig_fetch, .code_probe = rig_fetch };

static inline int rig_setup(const Frontend *fe, const Backend *be)
{
    if (!rig_mem) {
        void *p = mmap(NULL, RIG_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        if (p == MAP_FAILED)
            return -1;
        rig_mem = p;
    }
    ExecConfig cfg = { .fe = fe, .be = be, .host = &rig_host, .optimize = true };
    return exec_init(&cfg);
}

static inline uint64_t rig_addr(unsigned off)
{
    return (uintptr_t)rig_mem + off;
}

/* Place code at RIG_CODE followed by the end marker of `native` runs (a
 * jump to x86rig_native_exit) or of vemu runs (syscall / int 0x80). */
static inline void rig_place(const uint8_t *code, size_t n, bool native, bool code64)
{
    uint8_t *p = rig_mem + RIG_CODE;
    memset(p, 0xcc, RIG_DATA - RIG_CODE);
    memcpy(p, code, n);
    p += n;
    if (native) {
        uint64_t exit = (uintptr_t)x86rig_native_exit;
        static const uint8_t jmp[] = { 0xff, 0x25, 0, 0, 0, 0 };   /* jmp *0(%rip) */
        memcpy(p, jmp, sizeof(jmp));
        memcpy(p + sizeof(jmp), &exit, 8);
    } else if (code64) {
        p[0] = 0x0f, p[1] = 0x05;                                    /* syscall */
    } else {
        p[0] = 0xcd, p[1] = 0x80;                                    /* int $0x80 */
    }
}

/* Run natively: st in, st out (flags: the arithmetic six). */
static inline void rig_run_native(const uint8_t *code, size_t n, X86State *st)
{
    rig_place(code, n, true, true);
    x86rig_nstate = *st;
    x86rig_nstate.rflags = (st->rflags & RIG_FLAGS_MASK) | 0x202;
    x86rig_target = rig_addr(RIG_CODE);
    x86rig_native_enter();
    *st = x86rig_nstate;
    st->rflags &= RIG_FLAGS_MASK;
}

/* Run under vemu until the end marker (or another exception: returned). */
static inline int rig_run_vemu(X86CPU *cpu, const uint8_t *code, size_t n, X86State *st, bool code64)
{
    rig_place(code, n, false, code64);
    exec_flush_all();
    for (int i = 0; i < 16; i++)
        cpu->regs[i] = code64 ? st->r[i] : (uint32_t)st->r[i];
    x86_eflags_write(cpu, (uint32_t)st->rflags, RIG_FLAGS_MASK);
    cpu->rip = rig_addr(RIG_CODE);
    cpu->common.guest_base = 0;
    int excp = exec_cpu_run(&cpu->common);
    for (int i = 0; i < 16; i++)
        st->r[i] = cpu->regs[i];
    st->rflags = x86_eflags_read(cpu) & RIG_FLAGS_MASK;
    return excp;
}

#endif
