/*
 * vdso.h — the vDSO: a small shared object the kernel maps into every
 * process (AT_SYSINFO_EHDR) with functions the C library calls instead of
 * some system calls, and, on i386, the system call entry (AT_SYSINFO)
 * and the signal return trampolines.
 *
 * A target that has one provides its image (LinuxTarget.vdso): the bytes
 * of an ELF shared object linked at address 0 that needs no relocation,
 * built from assembly at build time (linux-user/x86/gen-vdso-image.py).
 * vdso_map places it like the kernel does, through the mmap allocator
 * after the program and its interpreter are loaded.
 */
#ifndef VEMU_LINUX_USER_VDSO_H
#define VEMU_LINUX_USER_VDSO_H

#include <stdint.h>

#include "linux-user/target.h"

typedef struct LinuxVdsoImage {
    const uint8_t *bytes;
    uint32_t size;              /* at most two pages */
    /* Offsets of symbols in the image (0: the image has none): */
    uint32_t sysinfo;           /* AT_SYSINFO's entry (i386 __kernel_vsyscall) */
    uint32_t sigreturn;         /* i386 __kernel_sigreturn */
    uint32_t rt_sigreturn;      /* i386 __kernel_rt_sigreturn */
} LinuxVdsoImage;

/* Where the vDSO is in this process (0: none).  Set once at start,
 * inherited by forks (the mapping is copied with the rest of memory). */
extern uint64_t linux_vdso_base;

/* Map the target's vDSO (if it has one), name it
 * "[vdso]" in /proc/self/maps, and fill info->vdso_base and
 * info->sysinfo for the auxiliary vector.  0 or -errno. */
int vdso_map(LinuxImageInfo *info);

/* The guest address of a symbol at offset off of the image, 0 when there
 * is no vDSO or no such symbol (off 0). */
static inline uint64_t vdso_symbol(uint32_t off)
{
    return linux_vdso_base && off ? linux_vdso_base + off : 0;
}

#endif
