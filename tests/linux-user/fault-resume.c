/*
 * fault-resume.c — a load that faults between a compare and the branch
 * that reads its flags, resumed by a SIGSEGV handler that makes the page
 * readable again (what garbage collectors and JIT runtimes do, and what
 * every page fault is in system mode).  The branch must see the compare's
 * flags after the resume, in cold code and once the loop is hot enough for
 * vemu's full-tier translation (which sinks flag computations into the
 * branch that needs them; they must not sink past an access that can
 * fault, nor be dropped when only a fused branch reads them).  Every line
 * must end in ": ok".
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fault-branches.h"

static volatile int *page;
static long pagesize;
static volatile unsigned faults;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    if ((uintptr_t)si->si_addr - (uintptr_t)page >= (uintptr_t)pagesize)
        _exit(3);
    faults++;
    mprotect((void *)page, pagesize, PROT_READ | PROT_WRITE);
}


static void report(const char *what, unsigned wrong, int of)
{
    if (wrong)
        printf("%s: FAILED (%u wrong of %d)\n", what, wrong, of);
    else
        printf("%s: ok\n", what);
}

int main(void)
{
    pagesize = sysconf(_SC_PAGESIZE);
    page = mmap(NULL, pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return 2;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    const int rounds = 3000;   /* well past vemu's tier threshold */
    unsigned bad_ne = 0, bad_hs = 0, bad_val = 0;
    srand(1);
    for (int i = 0; i < rounds; i++) {
        int a = rand() & 3, b = rand() & 3;
        page[0] = i;
        mprotect((void *)page, pagesize, PROT_NONE);
        int v;
        if (ne_after_load(a, b, page, &v) != (a != b))
            bad_ne++;
        if (v != i)
            bad_val++;
        mprotect((void *)page, pagesize, PROT_READ);
        if (hs_after_store((unsigned)a, (unsigned)b, page) != ((unsigned)a >= (unsigned)b))
            bad_hs++;
    }
    report("cmp, ldr, bne across a resumed fault", bad_ne, rounds);
    report("the resumed load's value", bad_val, rounds);
    report("cmp, str, bhs across a resumed fault", bad_hs, rounds);
    report("every access faulted once", faults == 2u * rounds ? 0 : 1, 1);
    return 0;
}
