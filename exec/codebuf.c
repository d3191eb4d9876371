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
    cb->rw = rw;
    cb->rx = rx;
    cb->size = size;
    cb->used = 0;
    return 0;

single:
    /* No memfd (old kernel, seccomp): fall back to one RWX mapping. */
    rw = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rw == MAP_FAILED) {
        fprintf(stderr, "vemu: cannot allocate %zu bytes of code buffer: %s\n", size, strerror(errno));
        return -1;
    }
    cb->rw = rw;
    cb->rx = rw;
    cb->size = size;
    cb->used = 0;
    return 0;
}

void codebuf_reset(CodeBuf *cb)
{
    cb->used = 0;
}

bool codebuf_contains(const CodeBuf *cb, uintptr_t host_pc)
{
    return cb->rx && host_pc >= (uintptr_t)cb->rx && host_pc < (uintptr_t)cb->rx + cb->used;
}
