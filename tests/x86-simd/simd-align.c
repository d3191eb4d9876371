/*
 * simd-align.c — the alignment rule of the vector instructions: legacy SSE
 * instructions with a 16-byte memory operand fault (#GP: SIGSEGV, si_code
 * SI_KERNEL, no address) unless it is 16-byte aligned, except the unaligned
 * moves and the SSE4.2 string compares; VEX-encoded ones fault only for the
 * aligned moves (vmovaps/vmovdqa/vmovntdq ...).  Prints, per instruction,
 * whether it faulted on an address 8 bytes past a 16-byte boundary.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf jb;
static volatile int code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    code = si->si_code;
    siglongjmp(jb, 1);
}

static char buf[128] __attribute__((aligned(32)));

#define TRY(name, insn) \
    do { \
        code = 0; \
        if (sigsetjmp(jb, 1) == 0) \
            __asm__ volatile(insn : : "r"(buf + 8) : "xmm0", "xmm1", "memory", "cc", "rcx"); \
        printf("%-12s %s\n", name, code ? (code == 128 ? "SIGSEGV SI_KERNEL" : "SIGSEGV other") : "ok"); \
    } while (0)

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    TRY("movaps", "movaps (%0), %%xmm0");
    TRY("movaps-st", "movaps %%xmm0, (%0)");
    TRY("movdqa", "movdqa (%0), %%xmm0");
    TRY("movntdq", "movntdq %%xmm0, (%0)");
    TRY("paddb", "paddb (%0), %%xmm0");
    TRY("pxor", "pxor (%0), %%xmm0");
    TRY("addps", "addps (%0), %%xmm0");
    TRY("pshufd", "pshufd $1, (%0), %%xmm0");
    TRY("ptest", "ptest (%0), %%xmm0");
    TRY("movups", "movups (%0), %%xmm0");
    TRY("movdqu", "movdqu (%0), %%xmm0");
    TRY("lddqu", "lddqu (%0), %%xmm0");
    TRY("movss", "movss (%0), %%xmm0");
    TRY("addsd", "addsd (%0), %%xmm0");
    TRY("movhps", "movhps (%0), %%xmm0");
    TRY("pmovsxbw", "pmovsxbw (%0), %%xmm0");
    TRY("pcmpistri", "pcmpistri $0, (%0), %%xmm0");
    TRY("vpaddb", "vpaddb (%0), %%xmm0, %%xmm1");
    TRY("vaddps-256", "vaddps (%0), %%ymm0, %%ymm1");
    TRY("vmovups", "vmovups (%0), %%ymm0");
    TRY("vmovaps", "vmovaps (%0), %%xmm0");
    TRY("vmovdqa-256", "vmovdqa 8(%0), %%ymm0");
    TRY("vmovdqa-st", "vmovdqa %%ymm0, 8(%0)");
    return 0;
}
