/* Memory: mmap (anonymous, file, fixed), mremap (grow in place, move),
 * mprotect, munmap, brk/sbrk, madvise, mincore. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static void on_segv(int sig) { siglongjmp(env, 1); }

static int writable(volatile char *p)
{
    if (sigsetjmp(env, 1))
        return 0;
    *p = *p;
    return 1;
}

int main(void)
{
    signal(SIGSEGV, on_segv);
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    printf("page size %zu\n", pg);
    char *a = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("anon mmap zeroed %d\n", a[0] == 0 && a[4 * pg - 1] == 0);
    memset(a, 'x', 4 * pg);
    mprotect(a + pg, pg, PROT_READ);
    printf("mprotect: page 0 writable %d, page 1 writable %d\n", writable(a), writable(a + pg));
    mprotect(a + pg, pg, PROT_READ | PROT_WRITE);
    /* grow: in place or moved, contents kept */
    char *b = mremap(a, 4 * pg, 64 * pg, MREMAP_MAYMOVE);
    printf("mremap grow: ok %d, contents kept %d, new tail zero %d\n", b != MAP_FAILED, b[4 * pg - 1] == 'x',
           b[64 * pg - 1] == 0);
    char *c = mremap(b, 64 * pg, 8 * pg, 0);
    printf("mremap shrink in place %d\n", c == b);
    /* fixed mapping over part of it */
    char *f = mmap(b + 2 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED replaces: %d, zero %d\n", f == b + 2 * pg, f[0] == 0);
    char *nr = mmap(b + 2 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE on a used range fails %d\n", nr == MAP_FAILED);
    munmap(b, 8 * pg);
    printf("munmap: readable afterwards %d\n", writable(b) );
    /* file mapping, private and shared */
    FILE *t = tmpfile();
    fwrite("0123456789", 1, 10, t);
    fflush(t);
    char *fm = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fileno(t), 0);
    fm[0] = 'Z';
    msync(fm, pg, MS_SYNC);
    char rb[4] = "";
    pread(fileno(t), rb, 3, 0);
    printf("shared file mapping writes through: '%.3s'\n", rb);
    char *pm = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fileno(t), 0);
    pm[1] = 'Y';
    pread(fileno(t), rb, 3, 0);
    printf("private file mapping does not: '%.3s', sees '%.3s'\n", rb, pm);
    unsigned char vec[2];
    printf("mincore: %d\n", mincore(fm, pg, vec));
    printf("madvise DONTNEED: %d\n", madvise(pm, pg, MADV_DONTNEED));
    printf("after DONTNEED private page reverts: '%.3s'\n", pm);
    /* brk */
    char *brk0 = sbrk(0);
    char *p = sbrk(1 << 20);
    memset(p, 1, 1 << 20);
    printf("sbrk 1M: %d, end moved %d\n", p == brk0, (char *)sbrk(0) == brk0 + (1 << 20));
    sbrk(-(1 << 19));
    printf("sbrk shrink: %d\n", (char *)sbrk(0) == brk0 + (1 << 19));
    /* big malloc (mmap threshold) */
    char *big = malloc(64 << 20);
    memset(big, 3, 64 << 20);
    printf("64M malloc ok %d\n", big[(64 << 20) - 1] == 3);
    free(big);
    return 0;
}
