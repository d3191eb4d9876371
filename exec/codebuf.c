/*
 * codebuf.c — the code buffer: one memfd mapped twice, read+write for the
 * backend and read+execute for running, so no address is ever both
 * writable and executable (W^X), as hardened kernels and SELinux demand.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tb.h"

#if defined(__aarch64__)
/*
 * On aarch64 the instruction cache is not coherent with stores: the
 * backend cleans and invalidates the range it wrote (through the rx view)
 * after every block and patch.  Hardware honours that for any alias of
 * the memory; an emulated host may not: qemu-aarch64 (user mode) notices
 * code changes only by writes to the address it translated from and
 * treats IC IVAU as a no-op, so code rewritten through the rw view would
 * run stale (a reused buffer after a flush, every chained jump).  Two
 * rewrites of one word, each run through rx, tell: a view pair whose
 * second run still sees the first word is replaced by one RWX mapping,
 * where writes and execution share the address.
 */
static bool views_coherent(uint8_t *rw, const uint8_t *rx)
{
    uint32_t *w = (uint32_t *)(void *)rw;
    int (*fn)(void) = (int (*)(void))(uintptr_t)rx;
    int got[2];
    for (int k = 0; k < 2; k++) {
        w[0] = 0x52800020u + 0x20u * (uint32_t)k;    /* mov w0, #(1 + k) */
        w[1] = 0xd65f03c0u;                          /* ret */
        __builtin___clear_cache((char *)(uintptr_t)rx, (char *)(uintptr_t)rx + 8);
        got[k] = fn();
    }
    return got[0] == 1 && got[1] == 2;
}
#else
static bool views_coherent(uint8_t *rw, const uint8_t *rx)
{
    (void)rw;
    (void)rx;
    return true;       /* x86_64: instruction fetch snoops every store */
}
#endif

int codebuf_init(CodeBuf *cb, size_t size)
{
    int fd = memfd_create("vemu-code", MFD_CLOEXEC);
    if (fd < 0)
        goto single;
    if (ftruncate(fd, (off_t)size) < 0) {
        close(fd);
        goto single;
    }
    void *rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void *rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    close(fd);
    if (rw == MAP_FAILED || rx == MAP_FAILED) {
        if (rw != MAP_FAILED)
            munmap(rw, size);
        if (rx != MAP_FAILED)
            munmap(rx, size);
        goto single;
    }
    if (!views_coherent(rw, rx)) {
        munmap(rw, size);
        munmap(rx, size);
        goto single;
    }
    cb->rw = rw;
    cb->rx = rx;
    cb->size = size;
    cb->used = 0;
    cb->populated = 0;
    return 0;

single:
    /* No memfd (old kernel, seccomp), or views the instruction fetch does
     * not keep coherent: fall back to one RWX mapping. */
    rw = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rw == MAP_FAILED) {
        fprintf(stderr, "vemu: cannot allocate %zu bytes of code buffer: %s\n", size, strerror(errno));
        return -1;
    }
    cb->rw = rw;
    cb->rx = rw;
    cb->size = size;
    cb->used = 0;
    cb->populated = 0;
    return 0;
}

/*
 * Every 4 KiB page of the buffer faults twice (written through one view,
 * executed through the other), and in a virtual machine a fault costs
 * microseconds: python3 -c pass took 3,800 of them here.  Populating a
 * megabyte of both views ahead of the writer makes that two system calls
 * per megabyte.  A hint only: kernels before 5.14 refuse it (EINVAL) and
 * the pages fault in as before.
 */
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define POPULATE_STEP (1u << 20)
#define POPULATE_AHEAD (256u << 10)

void codebuf_populate_ahead(CodeBuf *cb)
{
    if (cb->used + POPULATE_AHEAD <= cb->populated || cb->populated >= cb->size)
        return;
    size_t start = cb->populated & ~(size_t)(POPULATE_STEP - 1);
    size_t n = cb->size - start < POPULATE_STEP ? cb->size - start : POPULATE_STEP;
    madvise(cb->rw + start, n, MADV_POPULATE_WRITE);
    if ((const uint8_t *)cb->rw != cb->rx)
        madvise((void *)(cb->rx + start), n, MADV_POPULATE_READ);
    cb->populated = start + n;
}

void codebuf_reset(CodeBuf *cb)
{
    cb->used = 0;
}

bool codebuf_contains(const CodeBuf *cb, uintptr_t host_pc)
{
    return cb->rx && host_pc >= (uintptr_t)cb->rx && host_pc < (uintptr_t)cb->rx + cb->used;
}

/*
 * Fork.  The buffer is a shared mapping of a memfd, so a forked child would
 * share it with its parent, and a copy made by the child after fork() races
 * with the parent, which goes on translating and patching chained jumps
 * into the same pages: the child would copy jumps into code that is not its
 * own.  So the copy is made by the parent *before* fork(), while it holds
 * the engine lock (no translation, no patching), and the child maps that
 * snapshot over both views at the same addresses: every pointer into the
 * buffer (blocks, jump caches, the prologue) stays valid, and what the
 * child sees is exactly the state its tables describe.
 */
int codebuf_snapshot(const CodeBuf *cb, int *fd_out)
{
    *fd_out = -1;
    if (!cb->rx || (const uint8_t *)cb->rw == cb->rx)
        return 0;    /* private RWX mapping: fork copies it by itself */
    int fd = memfd_create("vemu-code", MFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (ftruncate(fd, (off_t)cb->size) < 0)
        goto fail;
    for (size_t off = 0; off < cb->used;) {
        ssize_t n = pwrite(fd, cb->rw + off, cb->used - off, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto fail;
        off += (size_t)n;
    }
    *fd_out = fd;
    return 0;
fail:;
    int e = errno ? errno : EIO;
    close(fd);
    return -e;
}

int codebuf_adopt_snapshot(CodeBuf *cb, int fd)
{
    if (fd < 0)
        return 0;
    int r = 0;
    if (mmap(cb->rw, cb->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
        mmap((void *)cb->rx, cb->size, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
        fprintf(stderr, "vemu: cannot map the code buffer's copy after fork: %s\n", strerror(errno));
        r = -1;
    }
    close(fd);
    cb->populated = 0;      /* new mappings: no page tables yet */
    /* The child runs its parent's code at once: map what exists for
     * execution in one call rather than a fault per page (a subshell that
     * only runs code it inherited would otherwise never populate). */
    if (r == 0 && cb->used)
        madvise((void *)cb->rx, (cb->used + 4095) & ~(size_t)4095, MADV_POPULATE_READ);
    return r;
}
