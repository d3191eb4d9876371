/*
 * x86-ia32.c — the i386 system call ABI (the kernel's ia32 table), which
 * both x86 programs run: vemu-i386 as its only ABI, vemu-x86_64 for
 * `int $0x80` in 64-bit code (the kernel's compat entry, see
 * x86_user_syscall_nr), and the i386 calls that have no generic handler:
 * set_thread_area/get_thread_area (the GDT's TLS entries exist for
 * 64-bit tasks too) and the calls whose 64-bit arguments come in
 * register pairs.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>

#include "linux-user/guest-mem.h"
#include "linux-user/syscall.h"
#include "linux-user/x86/x86-user.h"

#include "linux-user/i386/syscall-table-i386.inc"

const LinuxAbi i386_abi = {
    .name = "i386",
    .syscalls = i386_syscalls,
    .n_syscalls = sizeof(i386_syscalls) / sizeof(i386_syscalls[0]),
    .pair_align = false,
    .llong_align = 4,
    .struct_align = 1,
    .long_size = 4,
};

/* ---- TLS: set_thread_area / get_thread_area ---------------------------------
 * struct user_desc { u32 entry_number, base_addr, limit; u32 flags bits:
 * seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1
 * seg_not_present:1 useable:1 (lm:1 on 64-bit kernels) }. */

/* An empty descriptor as the kernel's LDT_empty() sees it. */
static bool desc_empty(uint32_t base, uint32_t limit, uint32_t flags)
{
    if (base == 0 && limit == 0 && flags == (X86_TLS_READ_EXEC_ONLY | X86_TLS_SEG_NOT_PRESENT))
        return true;     /* the "zero" form */
    return base == 0 && limit == 0 &&
           (flags & ~X86_TLS_USEABLE & ~X86_TLS_LM) == (X86_TLS_READ_EXEC_ONLY | X86_TLS_SEG_NOT_PRESENT);
}

/* Fill a GDT TLS entry from the guest's user_desc at addr (the kernel's
 * do_set_thread_area); entry_number -1 picks a free one and is written
 * back.  0 or -errno. */
int x86_set_thread_area(X86CPU *c, uint64_t addr, bool write_back)
{
    uint32_t d[4];
    if (copy_from_guest(d, addr, sizeof(d)) < 0)
        return -EFAULT;
    int idx = (int32_t)d[0];
    if (idx == -1) {
        for (int i = 0; i < X86_TLS_GDT_N; i++) {
            if (!c->tls_gdt[i].present) {
                idx = X86_TLS_GDT_FIRST + i;
                break;
            }
        }
        if (idx == -1)
            return -ESRCH;
        if (write_back && copy_to_guest(addr, &idx, 4) < 0)
            return -EFAULT;
    }
    if (idx < X86_TLS_GDT_FIRST || idx >= X86_TLS_GDT_FIRST + X86_TLS_GDT_N)
        return -EINVAL;
    uint32_t flags = d[3] & 0xff;
    /* 16-bit code segments (seg_32bit 0, contents 2) are refused */
    if (!(flags & X86_TLS_SEG_32BIT) && ((flags >> 1) & 3) == 2)
        return -EINVAL;
    struct X86TLSDesc *e = &c->tls_gdt[idx - X86_TLS_GDT_FIRST];
    if (desc_empty(d[1], d[2], flags)) {
        memset(e, 0, sizeof(*e));
    } else {
        e->base = d[1];
        e->limit = d[2];
        e->flags = flags;
        e->present = !(flags & X86_TLS_SEG_NOT_PRESENT);
    }
    /* a segment register holding this selector reloads its base, as the
     * kernel's load_TLS does on return to user mode */
    for (int s = X86_SEG_FS; s <= X86_SEG_GS; s++) {
        if ((c->seg_sel[s] >> 3) == (unsigned)idx) {
            uint64_t base;
            if (x86_user_seg_base(c, c->seg_sel[s], &base))
                c->seg_base[s] = base;
        }
    }
    return 0;
}

int64_t x86_sys_set_thread_area(CPUCommon *cpu, const uint64_t *a)
{
    return x86_set_thread_area(x86(cpu), a[0], true);
}

int64_t x86_sys_get_thread_area(CPUCommon *cpu, const uint64_t *a)
{
    int32_t idx;
    if (copy_from_guest(&idx, a[0], 4) < 0)
        return -EFAULT;
    if (idx < X86_TLS_GDT_FIRST || idx >= X86_TLS_GDT_FIRST + X86_TLS_GDT_N)
        return -EINVAL;
    const struct X86TLSDesc *e = &x86(cpu)->tls_gdt[idx - X86_TLS_GDT_FIRST];
    uint32_t flags = e->present ? e->flags & ~X86_TLS_LM
                                : X86_TLS_READ_EXEC_ONLY | X86_TLS_SEG_NOT_PRESENT;
    uint32_t d[4] = { (uint32_t)idx, e->base, e->limit, flags };
    return copy_to_guest(a[0], d, sizeof(d));
}

/* ---- i386-only shapes of generic calls ------------------------------------ */

/* fadvise64(fd, offset (pair), len (u32), advice) */
int64_t i386_sys_fadvise64(CPUCommon *cpu, const uint64_t *a)
{
    unsigned i = 1;
    int64_t off = (int64_t)syscall_arg64(a, &i);
    return -posix_fadvise(sarg(a[0]), off, (off_t)(uint32_t)a[i], sarg(a[i + 1]));
}

/* fadvise64_64(fd, offset (pair), len (pair), advice) */
int64_t i386_sys_fadvise64_64(CPUCommon *cpu, const uint64_t *a)
{
    unsigned i = 1;
    int64_t off = (int64_t)syscall_arg64(a, &i);
    int64_t len = (int64_t)syscall_arg64(a, &i);
    return -posix_fadvise(sarg(a[0]), off, len, sarg(a[i]));
}

/* sync_file_range(fd, offset (pair), nbytes (pair), flags) */
int64_t i386_sys_sync_file_range(CPUCommon *cpu, const uint64_t *a)
{
    unsigned i = 1;
    int64_t off = (int64_t)syscall_arg64(a, &i);
    int64_t n = (int64_t)syscall_arg64(a, &i);
    return host_result(sync_file_range(sarg(a[0]), off, n, (unsigned)a[i]));
}

/* waitpid(pid, status, options): wait4 without the rusage */
int64_t i386_sys_waitpid(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[4] = { a[0], a[1], a[2], 0 };
    return sys_wait4(cpu, b);
}
