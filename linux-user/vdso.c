/*
 * vdso.c — mapping the target's vDSO image into the guest (vdso.h).
 *
 * Linux maps the vDSO once the program and its interpreter are mapped
 * (arch_setup_additional_pages): with the mmap allocator for 32-bit tasks
 * and, in recent kernels, for 64-bit ones too (older ones chose a random
 * address just above the stack).  Its address is not fixed: programs find
 * it through AT_SYSINFO_EHDR.  We do the same with
 * guest_mmap: the pages are private, read and execute, like the kernel's
 * (its vvar data pages are not needed: vemu's vDSO functions make the
 * system call, see linux-user/x86/vdso-x86_64.S).
 */
#include <string.h>
#include <sys/mman.h>

#include "linux-user/guest-mem.h"
#include "linux-user/procfs.h"
#include "linux-user/vdso.h"

uint64_t linux_vdso_base;

int vdso_map(LinuxImageInfo *info)
{
    const LinuxVdsoImage *v = linux_target.vdso;
    info->vdso_base = 0;
    info->sysinfo = 0;
    if (!v)
        return 0;
    uint64_t len = GUEST_PAGE_ALIGN(v->size);
    int64_t a = guest_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a < 0)
        return (int)a;
    memcpy(g2h((uint64_t)a), v->bytes, v->size);
    int r = guest_mprotect((uint64_t)a, len, PROT_READ | PROT_EXEC);
    if (r < 0)
        return r;
    procfs_note_image((uint64_t)a, (uint64_t)a + len, "[vdso]", 0);
    linux_vdso_base = (uint64_t)a;
    info->vdso_base = (uint64_t)a;
    info->sysinfo = vdso_symbol(v->sysinfo);
    return 0;
}
