/* mem.c — mmap (anonymous, file-backed shared and private, MAP_FIXED over
 * an existing mapping, hints), mprotect (a write to a read-only page faults
 * and the handler makes it writable), munmap (a touch then faults), mremap
 * (grow in place or moving, contents kept), brk/sbrk, madvise(DONTNEED)
 * zero-fill, msync of a shared file mapping read back with read(). */
#include "x86u.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

static sigjmp_buf jb;
static volatile int faults;
static void *volatile fix_page;
static void on_segv(int s, siginfo_t *si, void *uc)
{
    (void)s; (void)uc;
    faults++;
    if (fix_page && (char *)si->si_addr >= (char *)fix_page && (char *)si->si_addr < (char *)fix_page + 4096) {
        mprotect(fix_page, 4096, PROT_READ | PROT_WRITE);   /* retry the store */
        return;
    }
    siglongjmp(jb, 1);
}

static int touch(volatile char *p)
{
    if (sigsetjmp(jb, 1) == 0) { *p = 1; return 1; }
    return 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    long pg = sysconf(_SC_PAGESIZE);
    printf("page size %ld\n", pg);

    char *a = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int zero = 1;
    for (int i = 0; i < 16 * 4096; i++) zero &= a[i] == 0;
    printf("anonymous zero-filled %d\n", zero);
    for (int i = 0; i < 16 * 4096; i++) a[i] = (char)i;
    munmap(a + 4 * 4096, 4096);
    printf("touch unmapped page: %s\n", touch(a + 4 * 4096 + 10) ? "no fault" : "fault");
    printf("touch neighbour: %s\n", touch(a + 5 * 4096) ? "no fault" : "fault");

    mprotect(a, 4096, PROT_READ);
    fix_page = a;
    *(volatile char *)(a + 100) = 42;
    fix_page = NULL;
    printf("store to read-only page, handler unprotected it: value %d faults %d\n", a[100], faults);

    char *f = mmap(a + 8 * 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED at the same address %d, fresh zero %d, neighbour kept %d\n", f == a + 8 * 4096, f[0] == 0, a[9 * 4096 + 1] == 1);

    char *r = mremap(a + 12 * 4096, 4 * 4096, 64 * 4096, MREMAP_MAYMOVE);
    printf("mremap grow: contents kept %d, new part zero %d\n", r[3 * 4096 + 7] == (char)(3 * 4096 + 7 + 12 * 4096), r[60 * 4096] == 0);
    r[63 * 4096] = 5;

    madvise(a + 13 * 4096 - 12 * 4096, 4096, MADV_DONTNEED);
    printf("MADV_DONTNEED zero-fills %d\n", a[4096 + 3] == 0);

    char path[] = "/tmp/vemu-x86-mem-XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    if (ftruncate(fd, 3 * 4096) != 0) return 1;
    char *s = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    strcpy(s + 4096, "shared mapping text");
    msync(s, 3 * 4096, MS_SYNC);
    char back[32] = { 0 };
    if (pread(fd, back, 19, 4096) != 19) return 1;
    printf("shared file mapping read back: '%s'\n", back);
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);
    p[0] = 'X';
    if (pread(fd, back, 6, 4096) != 6) return 1;
    printf("private mapping copy-on-write: mapping %.6s file %.6s\n", p, back);
    close(fd);

    void *b0 = sbrk(0);
    char *b1 = sbrk(100000);
    memset(b1, 7, 100000);
    void *b2 = sbrk(0);
    printf("sbrk grew by %ld, old break returned %d\n", (long)((char *)b2 - (char *)b0), (void *)b1 == b0);
    sbrk(-100000);
    printf("sbrk shrank back %d\n", sbrk(0) == b0);

    /* a big allocation (glibc uses mmap above 128 KiB) */
    size_t n = 64u << 20;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i += 4096) big[i] = (char)(i >> 12);
    long sum = 0;
    for (size_t i = 0; i < n; i += 4096) sum += big[i];
    free(big);
    printf("64 MiB malloc sum %ld\n", sum);
    return 0;
}
