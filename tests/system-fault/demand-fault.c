/*
 * demand-fault.c — flags across guest accesses whose page faults the guest
 * kernel resolves on its own (vemu-system-arm; tests/system-fault/run.sh):
 * first touches of anonymous memory (a load maps the zero page, a store
 * allocates a page), stores to pages shared copy-on-write after fork, and
 * pages dropped again with madvise(MADV_DONTNEED) so that every pass faults
 * anew.  Each access sits between a compare and the branch that reads the
 * compare's flags; the kernel returns to the access, which runs again, and
 * the branch must still see the compare's flags — in cold code and once the
 * loops are hot enough for vemu's full-tier translation.
 *
 * This is what a Debian guest's systemd hit at poweroff on vemu before
 * commit 5d25649 (flags dropped before an access that may fault): PID 1
 * failed an assertion while freeing its units, froze, and never executed
 * systemd-shutdown (docs/quirks.md has the story).  Every line must end in
 * ": ok"; the last line is "done".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../linux-user/fault-branches.h"


/* Signed and carry-free: a < b with a subtraction's flags (N != V). */
static int lt_after_ldrb(int a, int b, volatile unsigned char *p, int *loaded)
{
    int r, v;
    __asm__ volatile("subs  %[r], %[a], %[b]\n\t"
                     "ldrb  %[v], [%[p]]\n\t"
                     "movlt %[r], #1\n\t"
                     "movge %[r], #0\n\t"
                     : [r] "=&r"(r), [v] "=&r"(v)
                     : [a] "r"(a), [b] "r"(b), [p] "r"(p)
                     : "cc", "memory");
    *loaded = v;
    return r;
}

/* A copy loop that is its own block (a branch back to its start):
 * the compare sits before the store and the branch after it, as in
 * memcpy's `ldrd; strd; ldrd; cmp; strd; bne`; the store faults at every
 * new destination page.  Returns the words copied. */
static unsigned copy_loop(const int *src, int *dst, unsigned words)
{
    const int *end = src + words;
    const int *s = src;
    int *d = dst;
    int t;
    __asm__ volatile("1:\n\t"
                     "ldr   %[t], [%[s]], #4\n\t"
                     "cmp   %[s], %[e]\n\t"
                     "str   %[t], [%[d]], #4\n\t"
                     "bne   1b\n\t"
                     : [t] "=&r"(t), [s] "+r"(s), [d] "+r"(d)
                     : [e] "r"(end)
                     : "cc", "memory");
    return (unsigned)(d - dst);
}

/* The flags read by conditional instructions after the store and then
 * overwritten in the same block (by the second compare): dead at the
 * block's end, so only the access's fault can still need them. */
static int ne_then_overwritten(int a, int b, volatile int *p)
{
    int r;
    __asm__ volatile("mov   %[r], #0\n\t"
                     "cmp   %[a], %[b]\n\t"
                     "str   %[a], [%[p]]\n\t"
                     "movne %[r], #1\n\t"
                     "cmp   %[r], #2\n\t"
                     "addeq %[r], %[r], #4\n\t"
                     : [r] "=&r"(r)
                     : [a] "r"(a), [b] "r"(b), [p] "r"(p)
                     : "cc", "memory");
    return r;
}

static long pagesize;
static unsigned wrong, checked;

static void expect(int got, int want)
{
    checked++;
    if (got != want)
        wrong++;
}

static void report(const char *what)
{
    if (wrong)
        printf("%s: FAILED (%u wrong of %u)\n", what, wrong, checked);
    else
        printf("%s: ok (%u checks)\n", what, checked);
    fflush(stdout);
    wrong = checked = 0;
}

/* One pass over fresh pages: a load of each (the zero page), a store to
 * each (a new page), then the pages are dropped so the next pass faults
 * again. */
static void pass(char *mem, int pages, unsigned *seed)
{
    for (int i = 0; i < pages; i++) {
        int a = rand_r(seed) & 3, b = rand_r(seed) & 3, v;
        volatile int *p = (volatile int *)(mem + (long)i * pagesize);
        expect(ne_after_load(a, b, p, &v), a != b);
        expect(v, 0);
        expect(hs_after_store((unsigned)a, (unsigned)b, p), (unsigned)a >= (unsigned)b);
        expect(*p, a);
    }
    madvise(mem, (size_t)pages * pagesize, MADV_DONTNEED);
    for (int i = 0; i < pages; i++) {
        int a = rand_r(seed) & 3, b = rand_r(seed) & 3;
        volatile int *p = (volatile int *)(mem + (long)i * pagesize + 8);
        expect(ne_then_overwritten(a, b, p), a != b);
    }
    madvise(mem, (size_t)pages * pagesize, MADV_DONTNEED);
    for (int i = 0; i < pages; i++) {
        int a = rand_r(seed) & 7, b = rand_r(seed) & 7, v;
        volatile unsigned char *p = (volatile unsigned char *)(mem + (long)i * pagesize + 5);
        expect(lt_after_ldrb(a - 4, b - 4, p, &v), a - 4 < b - 4);
        expect(v, 0);
    }
    madvise(mem, (size_t)pages * pagesize, MADV_DONTNEED);
}

int main(int argc, char **argv)
{
    int passes = argc > 1 ? atoi(argv[1]) : 40;
    const int pages = 256;
    pagesize = sysconf(_SC_PAGESIZE);
    char *mem = mmap(NULL, (size_t)pages * pagesize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    unsigned seed = 1;
    for (int n = 0; n < passes; n++)
        pass(mem, pages, &seed);
    report("first touches and dropped pages (cmp/ldr/bne, cmp/str/bhs, cmp/str/movne, subs/ldrb/movlt)");

    /* the copy loop into dropped pages: every page's first store faults */
    unsigned words = (unsigned)(pages * pagesize / 4);
    int *src = malloc((size_t)words * 4);
    if (!src)
        return 2;
    for (unsigned i = 0; i < words; i++)
        src[i] = (int)(i * 2654435761u);
    for (int n = 0; n < passes; n++) {
        unsigned w = words - (unsigned)n * 3;      /* ends at varying offsets */
        expect((int)copy_loop(src, (int *)mem, w), (int)w);
        unsigned bad = 0;
        for (unsigned i = 0; i < w; i++)
            bad += ((int *)mem)[i] != src[i];
        expect((int)bad, 0);
        madvise(mem, (size_t)pages * pagesize, MADV_DONTNEED);
    }
    free(src);
    report("a copy loop storing into dropped pages (ldr/cmp/str/bne)");

    /* copy-on-write: the child's stores to pages its parent wrote */
    for (int n = 0; n < passes / 4 + 1; n++) {
        for (int i = 0; i < pages; i++)
            ((volatile int *)(mem + (long)i * pagesize))[0] = i;
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 2;
        }
        if (pid == 0) {
            unsigned bad = 0, s = 7 + n;
            for (int i = 0; i < pages; i++) {
                int a = rand_r(&s) & 3, b = rand_r(&s) & 3;
                volatile int *p = (volatile int *)(mem + (long)i * pagesize);
                if (hs_after_store((unsigned)a, (unsigned)b, p) != ((unsigned)a >= (unsigned)b) || *p != a)
                    bad++;
            }
            _exit(bad ? 1 : 0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, 1);
        for (int i = 0; i < pages; i++)
            expect(((volatile int *)(mem + (long)i * pagesize))[0], i);
        madvise(mem, (size_t)pages * pagesize, MADV_DONTNEED);
    }
    report("copy-on-write stores after fork (cmp/str/bhs)");
    puts("done");
    return 0;
}
