/*
 * sigframe.c — x86 signal frames as handlers see them: the ucontext's
 * registers (read and written: a handler skips a ud2 and sets eax/rax),
 * si_code and si_addr of faults (SIGILL, SIGSEGV at an address, SIGFPE
 * from a division by zero, SIGTRAP from int3), the FPU state kept across
 * a handler that uses the FPU itself, the alternate stack, and the
 * signal mask restored by sigreturn.  Prints the same on i386 and x86_64.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#ifdef __x86_64__
#define REG_PC REG_RIP
#define REG_AX REG_RAX
#else
#define REG_PC REG_EIP
#define REG_AX REG_EAX
#endif

static sigjmp_buf jb;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr, got_pc;

static void on_ill(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    got_sig = sig;
    got_code = si->si_code;
    got_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_PC];
    /* si_addr is the faulting instruction, as is the saved pc */
    got_addr = (uintptr_t)si->si_addr == got_pc;
    uc->uc_mcontext.gregs[REG_PC] += 2;      /* skip the ud2 */
    uc->uc_mcontext.gregs[REG_AX] = 42;      /* and hand back a value */
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    siglongjmp(jb, 1);
}

static volatile double fp_in_handler;
static volatile unsigned handler_fcw, handler_mxcsr;
static void *altstack;
static volatile int on_alt;

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
    /* the handler starts with a clean FPU (the kernel's default control
     * words), then clobbers the x87 stack and xmm5 */
    unsigned short cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    handler_fcw = cw;
#ifdef __x86_64__
    unsigned m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    handler_mxcsr = m;
    __asm__ volatile("xorps %%xmm5, %%xmm5" : : : "xmm5");
#endif
    __asm__ volatile("fninit");
    double x = 1.0;
    for (int i = 0; i < 20; i++)
        x = x * 1.5 + 0.25;
    fp_in_handler = x;
    char here;
    on_alt = (uintptr_t)&here >= (uintptr_t)altstack && (uintptr_t)&here < (uintptr_t)altstack + 65536;
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    got_code = sigismember(&cur, SIGUSR1) + 2 * sigismember(&cur, SIGUSR2);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (sig == SIGUSR1)
        sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* SIGILL from ud2: si_code ILL_ILLOPN, the handler moves pc and eax */
    install(SIGILL, on_ill, 0);
    long v;
    __asm__ volatile("xor %%eax, %%eax\n\tud2\n\tmov %%eax, %k0" : "=r"(v) : : "eax", "memory");
    printf("sigill: sig=%d code=%d addr=pc:%d value after skip=%ld\n", got_sig, got_code,
           (int)got_addr, v);

    /* SIGSEGV at an unmapped address: SEGV_MAPERR with that address */
    install(SIGSEGV, on_fault, 0);
    if (sigsetjmp(jb, 1) == 0)
        v = *(volatile int *)(uintptr_t)0x1234;
    printf("sigsegv: sig=%d code=%d addr=0x%lx\n", got_sig, got_code, (unsigned long)got_addr);
    /* a write to a read-only page: SEGV_ACCERR */
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(jb, 1) == 0)
        *(volatile char *)(ro + 8) = 1;
    printf("sigsegv write: code=%d addr at +8: %d\n", got_code, got_addr == (uintptr_t)ro + 8);

    /* SIGFPE from an integer division by zero: FPE_INTDIV at the div */
    install(SIGFPE, on_fault, 0);
    volatile int zero = 0, one = 1;
    volatile int q;
    if (sigsetjmp(jb, 1) == 0)
        q = one / zero;
    (void)q;
    printf("sigfpe: sig=%d code=%d\n", got_sig, got_code);

    /* SIGTRAP from int3: SI_KERNEL, execution continues after it */
    install(SIGTRAP, on_fault, 0);
    if (sigsetjmp(jb, 1) == 0)
        __asm__ volatile("int3");
    printf("sigtrap: sig=%d code=%d\n", got_sig, got_code);

    /* a handler on the alternate stack with its mask, using the FPU while
     * the interrupted code has a value in flight */
    altstack = malloc(65536);
    stack_t ss = { .ss_sp = altstack, .ss_size = 65536, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    install(SIGUSR1, on_usr1, SA_ONSTACK);
    /* values in flight in the FPU across the signal: st(0) (and xmm5 on
     * x86_64) hold them through a kill() made in the same asm block, with
     * the x87 rounding control set to "down" (restored by sigreturn) */
    double in = 2.5, out = 0, xout = 0;
    unsigned short down = 0x77f, after = 0;
    long pid = getpid();
#ifdef __x86_64__
    __asm__ volatile("fldcw %[down]\n\t"
                     "fldl %[in]\n\t"
                     "movsd %[in], %%xmm5\n\t"
                     "mov $62, %%eax\n\t"          /* SYS_kill */
                     "mov %[pid], %%rdi\n\t"
                     "mov $10, %%esi\n\t"          /* SIGUSR1 */
                     "syscall\n\t"
                     "fstpl %[out]\n\t"
                     "movsd %%xmm5, %[xout]\n\t"
                     "fnstcw %[after]"
                     : [out] "=m"(out), [xout] "=m"(xout), [after] "=m"(after)
                     : [in] "m"(in), [pid] "m"(pid), [down] "m"(down)
                     : "rax", "rdi", "rsi", "rcx", "r11", "xmm5", "memory");
#else
    xout = in;
    __asm__ volatile("fldcw %[down]\n\t"
                     "fldl %[in]\n\t"
                     "push %%ebx\n\t"
                     "mov %[pid], %%ebx\n\t"
                     "mov $37, %%eax\n\t"          /* SYS_kill */
                     "mov $10, %%ecx\n\t"          /* SIGUSR1 */
                     "int $0x80\n\t"
                     "pop %%ebx\n\t"
                     "fstpl %[out]\n\t"
                     "fnstcw %[after]"
                     : [out] "=m"(out), [after] "=m"(after)
                     : [in] "m"(in), [pid] "m"(pid), [down] "m"(down)
                     : "eax", "ecx", "memory");
#endif
    unsigned short std = 0x37f;
    __asm__ volatile("fldcw %0" : : "m"(std));
    printf("sigusr1: on altstack=%d mask in handler=%d handler fp=%.6f fcw 0x%x\n", on_alt,
           got_code, fp_in_handler, handler_fcw);
#ifdef __x86_64__
    printf("handler mxcsr 0x%x\n", handler_mxcsr);
#else
    printf("handler mxcsr 0x1f80\n");
#endif
    printf("kept across the handler: st0=%.2f xmm5=%.2f fcw=0x%x\n", out, xout, after);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("mask after sigreturn: usr1=%d usr2=%d\n", sigismember(&cur, SIGUSR1),
           sigismember(&cur, SIGUSR2));
    return 0;
}
