/* signals.c — a SIGSEGV handler sees the faulting address and resumes by
 * changing the pc in its ucontext (sigreturn); SIGILL at ud2 with si_addr
 * at the instruction; SIGTRAP from int3 with the pc after it; handler
 * registers preserved across a signal (callee-saved and the vector/x87
 * state, which the handler clobbers); the handler's view of the
 * interrupted FP state in the frame (x86_64: xmm0 from fpregs);
 * sigaltstack; nested signals and masks; raise/kill/sigqueue payloads. */
#include "x86u.h"
#include <signal.h>
#include <stdlib.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/mman.h>

#ifdef __x86_64__
#define PC(uc) ((uc)->uc_mcontext.gregs[REG_RIP])
#else
#define PC(uc) ((uc)->uc_mcontext.gregs[REG_EIP])
#endif

static volatile uintptr_t seen_addr, seen_pc, resume_to;
static volatile int seen_code, count;
static char *page;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)sig;
    seen_addr = (uintptr_t)si->si_addr;
    seen_code = si->si_code;
    seen_pc = (uintptr_t)PC(uc);
    count++;
    PC(uc) = (greg_t)resume_to;
}

/* Address of local label 3 (the faulting instruction) and 5 (resume). */
#ifdef __x86_64__
#define ADDRS "lea 3f(%%rip), %[t]\n\tmov %[t], %[at]\n\tlea 5f(%%rip), %[t]\n\tmov %[t], %[res]\n\t"
#else
#define ADDRS "call 4f\n4:\tpop %[t]\n\tlea 3f-4b(%[t]), %[t]\n\tmov %[t], %[at]\n\tadd $(5f-3f), %[t]\n\tmov %[t], %[res]\n\t"
#endif

static void segv_tests(void)
{
    uintptr_t at, t;
    page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(page + 4096, 4096, PROT_NONE);
    /* a load from a PROT_NONE page */
    asm volatile(ADDRS "3:\tmovl 16(%[p]), %%eax\n5:" : [at] "=m"(at), [res] "=m"(resume_to), [t] "=&r"(t)
                 : [p] "r"(page + 4096) : "eax", "memory");
    printf("load fault: addr +%ld code %s pc at insn %s\n", (long)(seen_addr - (uintptr_t)page), seen_code == SEGV_ACCERR ? "ACCERR" : "other",
           seen_pc == at ? "yes" : "no");
    /* a store that straddles into the protected page: the address is the access's */
    asm volatile(ADDRS "3:\tmovl $1, 4094(%[p])\n5:" : [at] "=m"(at), [res] "=m"(resume_to), [t] "=&r"(t)
                 : [p] "r"(page) : "memory");
    printf("straddling store: pc at insn %s, first half written %s\n", seen_pc == at ? "yes" : "no",
           page[4094] == 1 ? "yes" : "no");
    /* a store to an unmapped address (NULL + small) */
    asm volatile(ADDRS "3:\tmovb $1, 0x123\n5:" : [at] "=m"(at), [res] "=m"(resume_to), [t] "=&r"(t) : : "memory");
    printf("null store: addr %lx code %s pc at insn %s\n", (unsigned long)seen_addr, seen_code == SEGV_MAPERR ? "MAPERR" : "other",
           seen_pc == at ? "yes" : "no");
    /* a rep movsb that faults half way: rcx/rsi/rdi tell how far it got */
    uintptr_t cx = 100, si = (uintptr_t)page, di = (uintptr_t)page + 4096 - 40;
    asm volatile(ADDRS "3:\trep movsb\n5:" : [at] "=m"(at), [res] "=m"(resume_to), [t] "=&r"(t), "+c"(cx), "+S"(si), "+D"(di)
                 : : "memory");
    printf("rep movsb fault: remaining %lu, copied %ld, pc at insn %s, addr +%ld\n", (unsigned long)cx,
           (long)(si - (uintptr_t)page), seen_pc == at ? "yes" : "no", (long)(seen_addr - (uintptr_t)page));
}

static void on_ill(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    seen_addr = (uintptr_t)si->si_addr;
    seen_code = si->si_code;
    seen_pc = (uintptr_t)PC(uc);
    count++;
    if (sig == SIGILL) PC(uc) += 2;   /* skip the ud2 */
}

static void ill_trap_tests(void)
{
    uintptr_t at, t;
    asm volatile(ADDRS "3:\tud2\n5:" : [at] "=m"(at), [res] "=m"(resume_to), [t] "=&r"(t) : : "memory");
    printf("ud2: SIGILL code %s, si_addr at insn %s, pc at insn %s\n", seen_code == ILL_ILLOPN ? "ILLOPN" : "other",
           seen_addr == at ? "yes" : "no", seen_pc == at ? "yes" : "no");
    asm volatile(ADDRS "3:\tint3\n5:" : [at] "=m"(at), [res] "=m"(resume_to), [t] "=&r"(t) : : "memory");
    printf("int3: SIGTRAP pc after insn %s\n", seen_pc == at + 1 ? "yes" : "no");
}

/* registers and vector state survive a handler that clobbers them */
static void clobber_handler(int sig)
{
    (void)sig;
    volatile double d = 1.0;
    for (int i = 0; i < 10; i++) d = d * 3.5 + 1;
    asm volatile("pxor %%xmm0, %%xmm0\n\tpxor %%xmm7, %%xmm7\n\tfninit" ::: "xmm0", "xmm7");
    count++;
}

static void state_test(void)
{
    signal(SIGUSR1, clobber_handler);
    uint32_t in[4] __attribute__((aligned(16))) = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 }, out0[4] __attribute__((aligned(16))), out7[4] __attribute__((aligned(16)));
    uint16_t cw_before = 0x0b7f, cw_after;   /* round up, all masked */
    long double x = 1.0L, y;
    asm volatile("fldcw %[cw]\n\tmovdqa %[in], %%xmm0\n\tmovdqa %[in], %%xmm7\n\t" : : [in] "m"(in), [cw] "m"(cw_before) : "xmm0", "xmm7");
    kill(getpid(), SIGUSR1);
    asm volatile("movdqa %%xmm0, %[o0]\n\tmovdqa %%xmm7, %[o7]\n\tfnstcw %[cw]" : [o0] "=m"(out0), [o7] "=m"(out7), [cw] "=m"(cw_after));
    asm volatile("fdivs %[three]" : "=t"(y) : "0"(x), [three] "m"((float){ 3.0f }));
    uint16_t def = 0x037f;
    asm volatile("fldcw %0" : : "m"(def));
    unsigned char b[10];
    memcpy(b, &y, 10);
    printf("after handler: xmm0 %08x.%08x xmm7 %08x.%08x fpu cw %04x 1/3 rounded up ends %02x\n", out0[0], out0[3], out7[0], out7[3], cw_after, b[0]);
}

#if W64
static volatile uint32_t frame_xmm;
static void frame_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)sig; (void)si;
    frame_xmm = uc->uc_mcontext.fpregs->_xmm[3].element[1];
    uc->uc_mcontext.fpregs->_xmm[3].element[1] = 0xabcdef01;   /* sigreturn restores what the handler left */
}
static void frame_test(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = frame_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    uint32_t in[4] __attribute__((aligned(16))) = { 1, 0x5eed5eed, 3, 4 }, out[4] __attribute__((aligned(16)));
    asm volatile("movdqa %[in], %%xmm3\n\t"
                 "mov %[nr], %%eax\n\tmov %[pid], %%edi\n\tmov %[sig], %%esi\n\tsyscall\n\t"
                 "movdqa %%xmm3, %[out]"
                 : [out] "=m"(out) : [in] "m"(in), [nr] "i"(62 /* kill */), [pid] "r"(getpid()), [sig] "i"(SIGUSR2)
                 : "xmm3", "rax", "rdi", "rsi", "rcx", "r11", "memory");
    printf("w: frame: handler saw xmm3[1] %08x, after sigreturn %08x\n", frame_xmm, out[1]);
}
#endif

static volatile uintptr_t alt_local;
static void alt_handler(int sig) { char here; (void)sig; alt_local = (uintptr_t)&here; }
static void altstack_test(void)
{
    stack_t ss;
    ss.ss_sp = malloc(65536);
    ss.ss_size = 65536;
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = alt_handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGWINCH, &sa, NULL);
    raise(SIGWINCH);
    printf("altstack: handler ran on it %s\n",
           alt_local >= (uintptr_t)ss.ss_sp && alt_local < (uintptr_t)ss.ss_sp + ss.ss_size ? "yes" : "no");
    stack_t cur;
    sigaltstack(NULL, &cur);
    printf("altstack: flags after %d\n", cur.ss_flags);
}

static volatile int order[8], norder;
static void nested2(int sig) { order[norder++] = sig; }
static void nested1(int sig)
{
    order[norder++] = sig;
    raise(SIGUSR2);          /* blocked by sa_mask: delivered after return */
    order[norder++] = 100;
}
static void mask_test(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nested1;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = nested2;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR1);
    printf("masks: order");
    for (int i = 0; i < norder; i++) printf(" %d", order[i] == SIGUSR1 ? 1 : order[i] == SIGUSR2 ? 2 : order[i]);
    printf("\n");
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, &old);
    norder = 0;
    raise(SIGUSR2);
    printf("masks: pending while blocked %d\n", norder);
    sigset_t pend;
    sigpending(&pend);
    printf("masks: sigpending has it %d\n", sigismember(&pend, SIGUSR2));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("masks: delivered after unblock %d\n", norder);
}

static volatile int qval;
static void q_handler(int sig, siginfo_t *si, void *uc) { (void)sig; (void)uc; qval = si->si_value.sival_int + (si->si_code == SI_QUEUE ? 1000 : 0); }
static void queue_test(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = q_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN + 1, &sa, NULL);
    union sigval v = { .sival_int = 42 };
    sigqueue(getpid(), SIGRTMIN + 1, v);
    printf("sigqueue: %d\n", qval);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    segv_tests();
    sa.sa_sigaction = on_ill;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    ill_trap_tests();
    state_test();
#if W64
    frame_test();
#endif
    altstack_test();
    mask_test();
    queue_test();
    /* default action: the process dies by the signal (run.sh prints the status) */
    signal(SIGSEGV, SIG_DFL);
    printf("now dying by SIGSEGV\n");
    volatile int *volatile bad = (volatile int *)8;
    *bad = 1;
    return 0;
}
