/*
 * iwmmxt-signal.c — the iWMMXt registers across a signal handler.  The
 * handler prints the iWMMXt record the kernel puts in uc_regspace (magic
 * 0x12ef842a, size 0xa0, wR0-15, wCSSF, wCASF, wCGR0-3), then overwrites
 * every register; after the handler returns the interrupted code's values
 * must be back.  Output compared with qemu-arm -cpu pxa270
 * (tests/iwmmxt/run.sh); it also checks itself and says FAIL on its own.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#define EACH_WR(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

static void set_all(uint64_t seed)
{
#define SET(n) { uint64_t v = seed * (n + 1) + 0x0101010101010101ull * n;                 \
                 __asm__ volatile("tmcrr wr" #n ", %0, %1" :: "r"((uint32_t)v), "r"((uint32_t)(v >> 32))); }
    EACH_WR(SET)
#undef SET
    __asm__ volatile("tmcr wcgr0, %0" :: "r"((uint32_t)seed + 1));
    __asm__ volatile("tmcr wcgr1, %0" :: "r"((uint32_t)seed + 2));
    __asm__ volatile("tmcr wcgr2, %0" :: "r"((uint32_t)seed + 3));
    __asm__ volatile("tmcr wcgr3, %0" :: "r"((uint32_t)(seed >> 32)));
}

static void get_all(uint64_t wr[16], uint32_t cgr[4])
{
#define GET(n) { uint32_t lo, hi;                                                 \
                 __asm__ volatile("tmrrc %0, %1, wr" #n : "=r"(lo), "=r"(hi));    \
                 wr[n] = (uint64_t)hi << 32 | lo; }
    EACH_WR(GET)
#undef GET
    __asm__ volatile("tmrc %0, wcgr0" : "=r"(cgr[0]));
    __asm__ volatile("tmrc %0, wcgr1" : "=r"(cgr[1]));
    __asm__ volatile("tmrc %0, wcgr2" : "=r"(cgr[2]));
    __asm__ volatile("tmrc %0, wcgr3" : "=r"(cgr[3]));
}

static const uint64_t SEED_MAIN = 0x1234567890abcdefull, SEED_HANDLER = 0xfedcba0987654321ull;
static int failures;

/* With "corrupt": the handler damages the record's magic, and sigreturn
 * must refuse the frame (the kernel's restore_iwmmxt_context): SIGSEGV. */
static void corrupting_handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig; (void)si;
    ((ucontext_t *)ctx)->uc_regspace[0] ^= 1;
}

static void handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig; (void)si;
    ucontext_t *uc = ctx;
    uint32_t *rs = (uint32_t *)uc->uc_regspace;
    printf("handler: regspace magic %08x size %08x\n", (unsigned)rs[0], (unsigned)rs[1]);
    uint64_t wr[16];
    memcpy(wr, rs + 2, sizeof(wr));
    for (int i = 0; i < 16; i++)
        printf("handler: saved wR%d %016llx\n", i, (unsigned long long)wr[i]);
    printf("handler: saved wCSSF %08x wCASF %08x wCGR %08x %08x %08x %08x\n", (unsigned)rs[34],
           (unsigned)rs[35], (unsigned)rs[36], (unsigned)rs[37], (unsigned)rs[38], (unsigned)rs[39]);
    printf("handler: end marker %08x\n", (unsigned)rs[40]);
    set_all(SEED_HANDLER);
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = argc > 1 && strcmp(argv[1], "corrupt") == 0 ? corrupting_handler : handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);

    uint64_t before[16], after[16];
    uint32_t cgr_before[4], cgr_after[4];
    set_all(SEED_MAIN);
    get_all(before, cgr_before);
    kill(getpid(), SIGUSR1);
    get_all(after, cgr_after);
    for (int i = 0; i < 16; i++) {
        printf("main: wR%d %016llx\n", i, (unsigned long long)after[i]);
        if (after[i] != before[i])
            failures++;
    }
    for (int i = 0; i < 4; i++) {
        printf("main: wCGR%d %08x\n", i, (unsigned)cgr_after[i]);
        if (cgr_after[i] != cgr_before[i])
            failures++;
    }
    printf(failures ? "FAIL: registers changed by the handler\n" : "OK\n");
    return failures != 0;
}
