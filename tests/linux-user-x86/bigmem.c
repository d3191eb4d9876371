/*
 * bigmem.c — addresses and offsets past 32 bits: mmap with a hint and
 * MAP_FIXED_NOREPLACE high in the address space, mremap growing and moving
 * a mapping there, munmap, a 1 GiB PROT_NONE reservation; files with
 * offsets past 4 GiB (a sparse file: pwrite/pread at 5 GiB, lseek,
 * ftruncate to 6 GiB, fstat's size, mmap with a large file offset).  On
 * i386 the 64-bit offsets travel in register pairs, on x86_64 in one
 * register.  Prints the same on i386 and x86_64.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* high fixed addresses: 256 GiB on x86_64, 2.75 GiB on i386 */
    uintptr_t high = sizeof(void *) == 8 ? (uintptr_t)0x4000000000ull : (uintptr_t)0xb0000000u;
    char *p = mmap((void *)high, 1 << 20, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("fixed high: %s\n", p == (char *)high ? "ok" : strerror(errno));
    if (p != (char *)high)
        return 1;
    memset(p, 0x5a, 1 << 20);
    char *q = mmap((void *)high, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("noreplace over it: %s\n", q == MAP_FAILED && errno == EEXIST ? "EEXIST" : "mapped");
    /* grow in place or move, keeping the contents */
    char *g = mremap(p, 1 << 20, 8 << 20, MREMAP_MAYMOVE);
    printf("mremap: %s, kept=%d, tail zero=%d\n", g == MAP_FAILED ? strerror(errno) : "ok",
           g != MAP_FAILED && g[12345] == 0x5a && g[(1 << 20) - 1] == 0x5a,
           g != MAP_FAILED && g[(8 << 20) - 1] == 0);
    printf("munmap: %d\n", munmap(g, 8 << 20));
    /* a big reservation, then a page of it made accessible */
    char *r = mmap(NULL, 1u << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    int ok = r != MAP_FAILED && mprotect(r + (512u << 20), 4096, PROT_READ | PROT_WRITE) == 0;
    if (ok)
        r[(512u << 20) + 7] = 7;
    printf("reserve 1G: %s\n", ok && r[(512u << 20) + 7] == 7 ? "ok" : "failed");
    munmap(r, 1u << 30);

    /* files past 4 GiB */
    char path[] = "/tmp/vemu-bigmem-XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    off_t five = (off_t)5 << 30;
    ssize_t w = pwrite(fd, "far", 3, five);
    char buf[4] = { 0 };
    ssize_t rd = pread(fd, buf, 3, five);
    printf("pwrite/pread at 5G: %zd %zd %s\n", w, rd, buf);
    off_t pos = lseek(fd, five + 1, SEEK_SET);
    printf("lseek: %s\n", pos == five + 1 ? "ok" : "wrong");
    printf("ftruncate 6G: %d\n", ftruncate(fd, (off_t)6 << 30));
    struct stat st;
    fstat(fd, &st);
    printf("size: %lld GiB\n", (long long)(st.st_size >> 30));
    char *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, five);
    printf("mmap at file offset 5G: %s\n", m != MAP_FAILED && memcmp(m, "far", 3) == 0 ? "ok" : "failed");
    close(fd);
    return 0;
}
