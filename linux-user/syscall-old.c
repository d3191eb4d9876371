/*
 * syscall-old.c — the old multiplexed and struct-argument system calls of
 * 32-bit Linux ABIs, which ARM keeps only in its old ABI (OABI) and i386
 * still has: socketcall and ipc (one number for every socket and System V
 * IPC call), mmap and select with their arguments in a struct in memory,
 * getrlimit with limits clamped to 31 bits, alarm.
 *
 * Each unpacks its arguments into the registers the separate call takes
 * and runs that call's handler, so conversions (and the ABI's layouts,
 * syscall_abi()) are those of the separate calls.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/syscall.h"

/* socketcall(call, args): args points to the call's arguments, one 32-bit
 * word each.  Numbers and argument counts as in linux/net.h. */
int64_t sys_socketcall(CPUCommon *cpu, const uint64_t *a)
{
    static const struct {
        LinuxSyscallFn fn;
        uint8_t nargs;
    } calls[] = {
        [1] = { sys_socket, 3 },      [2] = { sys_bind, 3 },         [3] = { sys_connect, 3 },
        [4] = { sys_listen, 2 },      [5] = { sys_accept, 3 },       [6] = { sys_getsockname, 3 },
        [7] = { sys_getpeername, 3 }, [8] = { sys_socketpair, 4 },   [9] = { sys_send, 4 },
        [10] = { sys_recv, 4 },       [11] = { sys_sendto, 6 },      [12] = { sys_recvfrom, 6 },
        [13] = { sys_shutdown, 2 },   [14] = { sys_setsockopt, 5 },  [15] = { sys_getsockopt, 5 },
        [16] = { sys_sendmsg, 3 },    [17] = { sys_recvmsg, 3 },     [18] = { sys_accept4, 4 },
        [19] = { sys_recvmmsg, 5 },   [20] = { sys_sendmmsg, 4 },
    };
    uint32_t call = (uint32_t)a[0];
    if (call < 1 || call >= sizeof(calls) / sizeof(calls[0]))
        return -EINVAL;
    uint32_t w[6] = { 0 };
    if (copy_from_guest(w, a[1], calls[call].nargs * 4u) < 0)
        return -EFAULT;
    uint64_t args[7] = { 0 };
    for (unsigned i = 0; i < calls[call].nargs; i++)
        args[i] = w[i];
    return calls[call].fn(cpu, args);
}

/* ipc(call, first, second, third, ptr, fifth): the call in the low 16 bits
 * of the first argument, an interface version in the high 16 (linux/ipc.h;
 * the numbers in the comments are the kernel's). */
int64_t sys_ipc(CPUCommon *cpu, const uint64_t *a)
{
    uint32_t call = (uint32_t)a[0] & 0xffff, version = (uint32_t)a[0] >> 16;
    uint64_t first = guest_ulong(a[1]), second = guest_ulong(a[2]), third = guest_ulong(a[3]);
    uint64_t ptr = guest_ulong(a[4]), fifth = guest_ulong(a[5]);
    switch (call) {
    case 1:   /* SEMOP */
        return sys_semtimedop(cpu, (uint64_t[7]){ first, ptr, second, 0 });
    case 2:   /* SEMGET */
        return sys_semget(cpu, (uint64_t[7]){ first, second, third });
    case 3: { /* SEMCTL: ptr points to the union semun */
        uint32_t arg;
        if (!ptr)
            return -EINVAL;
        if (copy_from_guest(&arg, ptr, 4) < 0)
            return -EFAULT;
        return sys_semctl(cpu, (uint64_t[7]){ first, second, third, arg });
    }
    case 4:   /* SEMTIMEDOP (32-bit timespec) */
        return sys_semtimedop(cpu, (uint64_t[7]){ first, ptr, second, fifth });
    case 11:  /* MSGSND */
        return sys_msgsnd(cpu, (uint64_t[7]){ first, ptr, second, third });
    case 12:  /* MSGRCV */
        if (version == 0) {
            /* struct ipc_kludge { msgp, msgtyp } */
            int32_t k[2];
            if (!ptr)
                return -EINVAL;
            if (copy_from_guest(k, ptr, 8) < 0)
                return -EFAULT;
            return sys_msgrcv(cpu, (uint64_t[7]){ first, (uint32_t)k[0], second, (uint32_t)k[1],
                                                  third });
        }
        return sys_msgrcv(cpu, (uint64_t[7]){ first, ptr, second, fifth, third });
    case 13:  /* MSGGET */
        return sys_msgget(cpu, (uint64_t[7]){ first, second });
    case 14:  /* MSGCTL */
        return sys_msgctl(cpu, (uint64_t[7]){ first, second, ptr });
    case 21: { /* SHMAT: the address is stored at third */
        if (version == 1)
            return -EINVAL;   /* the iBCS2 variant */
        if (!guest_range_ok(third, 4, PAGE_WRITE))
            return -EFAULT;
        int64_t r = sys_shmat(cpu, (uint64_t[7]){ first, ptr, second });
        if (r < 0)
            return r;
        uint32_t addr = (uint32_t)r;
        return copy_to_guest(third, &addr, 4) < 0 ? -EFAULT : 0;
    }
    case 22:  /* SHMDT */
        return sys_shmdt(cpu, (uint64_t[7]){ ptr });
    case 23:  /* SHMGET */
        return sys_shmget(cpu, (uint64_t[7]){ first, second, third });
    case 24:  /* SHMCTL */
        return sys_shmctl(cpu, (uint64_t[7]){ first, second, ptr });
    default:
        return -ENOSYS;
    }
}

/* The old mmap: struct mmap_arg_struct { addr, len, prot, flags, fd,
 * offset } with the offset in bytes, which must be page-aligned. */
int64_t sys_mmap(CPUCommon *cpu, const uint64_t *a)
{
    uint32_t w[6];
    if (copy_from_guest(w, a[0], sizeof(w)) < 0)
        return -EFAULT;
    if (w[5] & (GUEST_PAGE_SIZE - 1))
        return -EINVAL;
    return sys_mmap2(cpu, (uint64_t[7]){ w[0], w[1], w[2], w[3], w[4], w[5] >> GUEST_PAGE_BITS });
}

/* The old select: struct sel_arg_struct { n, inp, outp, exp, tvp }. */
int64_t sys_select(CPUCommon *cpu, const uint64_t *a)
{
    uint32_t w[5];
    if (copy_from_guest(w, a[0], sizeof(w)) < 0)
        return -EFAULT;
    return sys__newselect(cpu, (uint64_t[7]){ w[0], w[1], w[2], w[3], w[4] });
}

/* The old getrlimit: like ugetrlimit, but limits (RLIM_INFINITY too) are
 * clamped to 0x7fffffff, as the kernel's old_getrlimit does. */
int64_t sys_old_getrlimit(CPUCommon *cpu, const uint64_t *a)
{
    uint32_t v[2];
    if (!guest_range_ok(a[1], sizeof(v), PAGE_WRITE))
        return -EFAULT;
    int64_t r = sys_ugetrlimit(cpu, a);
    if (r < 0)
        return r;
    if (copy_from_guest(v, a[1], sizeof(v)) < 0)
        return -EFAULT;
    for (int i = 0; i < 2; i++)
        if (v[i] > 0x7fffffffu)
            v[i] = 0x7fffffffu;
    return copy_to_guest(a[1], v, sizeof(v));
}

int64_t sys_alarm(CPUCommon *cpu, const uint64_t *a)
{
    return alarm((unsigned)a[0]);
}
