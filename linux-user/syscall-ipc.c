/*
 * syscall-ipc.c — System V semaphores, shared memory and message queues.
 *
 * The ids, keys and semaphore value arrays have one layout everywhere, the
 * sembuf arrays (three shorts) too except in ARM's old ABI, where every
 * struct is padded to 4 bytes (8-byte sembufs).  What differs for 32-bit
 * guests: the _STAT
 * structures (struct ipc64_perm with 32-bit longs, struct semid64_ds and
 * shmid64_ds with their times split into low and high words), the
 * IPC_64 flag the guest's C library puts into the command (a 64-bit host
 * kernel rejects it), and shmat, which must place the segment inside the
 * guest space and record it in the page table; and struct msgbuf, whose
 * leading long is 32 bits in the guest.  LP64 guests (x86_64) have the
 * host's asm-generic layouts: the same builders with 8-byte longs, and
 * times as one long where 32-bit guests have low and high words.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/guest-struct.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

#define GUEST_IPC_64 0x100

/* struct ipc64_perm (36 bytes on 32-bit guests, 48 on LP64 ones). */
static void put_ipc_perm(GuestStruct *s, const struct ipc_perm *p)
{
    gs_u32(s, (uint32_t)p->__key);
    gs_u32(s, p->uid);
    gs_u32(s, p->gid);
    gs_u32(s, p->cuid);
    gs_u32(s, p->cgid);
    gs_u16(s, (uint16_t)p->mode);
    gs_u16(s, 0);
    gs_u16(s, (uint16_t)p->__seq);
    gs_u16(s, 0);
    gs_ulong(s, 0);
    gs_ulong(s, 0);
}

/* A time of a _ds struct: low and high words on 32-bit guests; one long
 * on LP64 ones, followed by an unused long where `unused` says so
 * (struct semid64_ds has them, shmid64_ds and msqid64_ds do not). */
static void put_ipc_time(GuestStruct *s, int64_t t, bool unused)
{
    if (s->wsize == 8) {
        gs_long(s, t);
        if (unused)
            gs_ulong(s, 0);
    } else {
        gs_u32(s, (uint32_t)t);
        gs_u32(s, (uint32_t)((uint64_t)t >> 32));
    }
}

static void get_ipc_perm(const uint8_t *raw, struct ipc_perm *p)
{
    uint32_t w[5];
    uint16_t mode;
    memcpy(w, raw, 20);
    memcpy(&mode, raw + 20, 2);
    p->uid = w[1];
    p->gid = w[2];
    p->mode = mode;
}

/* ---- semaphores ---------------------------------------------------------- */

int64_t sys_semget(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(semget((key_t)sarg(a[0]), sarg(a[1]), sarg(a[2])));
}

static int64_t do_semtimedop(const uint64_t *a, int ts_kind)
{
    uint64_t n = guest_ulong(a[2]);
    if (n > 65536)
        return -E2BIG;
    /* three shorts, padded to the ABI's least struct alignment: 6 bytes
     * (EABI, like the host's), 8 in ARM's old ABI */
    unsigned gsz = (6 + syscall_abi()->struct_align - 1) & ~(syscall_abi()->struct_align - 1);
    const uint8_t *g = guest_ptr(a[1], n * gsz, PAGE_READ);
    if (!g && n)
        return -EFAULT;
    struct sembuf *ops = (struct sembuf *)g, *copy = NULL;
    if (gsz != sizeof(struct sembuf) && n) {
        ops = copy = malloc(n * sizeof(*ops));
        if (!copy)
            return -ENOMEM;
        for (uint64_t i = 0; i < n; i++)
            memcpy(&copy[i], g + i * gsz, sizeof(*ops));
    }
    struct timespec ts, *tsp = NULL;
    if (ts_kind && a[3]) {
        if ((ts_kind == 64 ? get_timespec64(a[3], &ts) : get_timespec32(a[3], &ts)) < 0) {
            free(copy);
            return -EFAULT;
        }
        tsp = &ts;
    }
    int64_t r = safe_syscall(SYS_semtimedop, (long)sarg(a[0]), (long)ops, (long)n, (long)tsp);
    free(copy);
    return r;
}

int64_t sys_semop(CPUCommon *cpu, const uint64_t *a) { return do_semtimedop(a, 0); }
int64_t sys_semtimedop(CPUCommon *cpu, const uint64_t *a) { return do_semtimedop(a, 32); }
int64_t sys_semtimedop_time64(CPUCommon *cpu, const uint64_t *a) { return do_semtimedop(a, 64); }

int64_t sys_semctl(CPUCommon *cpu, const uint64_t *a)
{
    int id = sarg(a[0]), num = sarg(a[1]), cmd = sarg(a[2]) & ~GUEST_IPC_64;
    uint64_t arg = guest_ulong(a[3]);     /* union semun: an int or a pointer */
    switch (cmd) {
    case IPC_RMID:
    case GETVAL:
    case GETPID:
    case GETNCNT:
    case GETZCNT:
        return host_result(semctl(id, num, cmd));
    case SETVAL:
        return host_result(semctl(id, num, cmd, (int)arg));
    case GETALL:
    case SETALL: {
        struct semid_ds ds;
        if (semctl(id, 0, IPC_STAT, &ds) < 0)
            return -errno;
        void *p = guest_ptr(arg, ds.sem_nsems * 2, cmd == GETALL ? PAGE_WRITE : PAGE_READ);
        if (!p && ds.sem_nsems)
            return -EFAULT;
        return host_result(semctl(id, 0, cmd, p));    /* unsigned short[] */
    }
    case IPC_STAT:
    case SEM_STAT:
    case SEM_STAT_ANY: {
        struct semid_ds ds;
        int r = semctl(id, num, cmd, &ds);
        if (r < 0)
            return -errno;
        GuestStruct s;
        gs_init(&s, syscall_abi()->llong_align);
        put_ipc_perm(&s, &ds.sem_perm);
        put_ipc_time(&s, ds.sem_otime, true);
        put_ipc_time(&s, ds.sem_ctime, true);
        gs_ulong(&s, ds.sem_nsems);
        gs_ulong(&s, 0);
        gs_ulong(&s, 0);
        return copy_to_guest(arg, s.buf, gs_size(&s)) < 0 ? -EFAULT : r;
    }
    case IPC_SET: {
        uint8_t raw[104];
        if (copy_from_guest(raw, arg, guest_long_size() == 8 ? 104 : 64) < 0)
            return -EFAULT;
        struct semid_ds ds;
        memset(&ds, 0, sizeof(ds));
        get_ipc_perm(raw, &ds.sem_perm);
        return host_result(semctl(id, 0, IPC_SET, &ds));
    }
    default:
        return -EINVAL;
    }
}

/* ---- shared memory ----------------------------------------------------- */

int64_t sys_shmget(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(shmget((key_t)sarg(a[0]), guest_ulong(a[1]), sarg(a[2])));
}

/* Attached segments, for shmdt (which gets only the address). */
#define MAX_SHM 256
static struct { uint64_t addr, size; } shm_attached[MAX_SHM];

int64_t sys_shmat(CPUCommon *cpu, const uint64_t *a)
{
    int id = sarg(a[0]);
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0)
        return -errno;
    int64_t r = guest_shmat(id, guest_ulong(a[1]), ds.shm_segsz, sarg(a[2]));
    if (r < 0)
        return r;
    for (int i = 0; i < MAX_SHM; i++) {
        if (!shm_attached[i].size) {
            shm_attached[i].addr = (uint64_t)r;
            shm_attached[i].size = GUEST_PAGE_ALIGN(ds.shm_segsz);
            break;
        }
    }
    return r;
}

int64_t sys_shmdt(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t addr = guest_ulong(a[0]);
    for (int i = 0; i < MAX_SHM; i++) {
        if (shm_attached[i].size && shm_attached[i].addr == addr) {
            uint64_t size = shm_attached[i].size;
            shm_attached[i].size = 0;
            return guest_munmap(addr, size);
        }
    }
    return -EINVAL;
}

int64_t sys_shmctl(CPUCommon *cpu, const uint64_t *a)
{
    int id = sarg(a[0]), cmd = sarg(a[1]) & ~GUEST_IPC_64;
    uint64_t buf = guest_ulong(a[2]);
    switch (cmd) {
    case IPC_RMID:
    case SHM_LOCK:
    case SHM_UNLOCK:
        return host_result(shmctl(id, cmd, NULL));
    case IPC_STAT:
    case SHM_STAT:
    case SHM_STAT_ANY: {
        struct shmid_ds ds;
        int r = shmctl(id, cmd, &ds);
        if (r < 0)
            return -errno;
        GuestStruct s;
        gs_init(&s, syscall_abi()->llong_align);
        put_ipc_perm(&s, &ds.shm_perm);
        gs_ulong(&s, ds.shm_segsz);
        put_ipc_time(&s, ds.shm_atime, false);
        put_ipc_time(&s, ds.shm_dtime, false);
        put_ipc_time(&s, ds.shm_ctime, false);
        gs_u32(&s, (uint32_t)ds.shm_cpid);
        gs_u32(&s, (uint32_t)ds.shm_lpid);
        gs_ulong(&s, ds.shm_nattch);
        gs_ulong(&s, 0);
        gs_ulong(&s, 0);
        return copy_to_guest(buf, s.buf, gs_size(&s)) < 0 ? -EFAULT : r;
    }
    case IPC_SET: {
        uint8_t raw[112];
        if (copy_from_guest(raw, buf, guest_long_size() == 8 ? 112 : 84) < 0)
            return -EFAULT;
        struct shmid_ds ds;
        memset(&ds, 0, sizeof(ds));
        get_ipc_perm(raw, &ds.shm_perm);
        return host_result(shmctl(id, IPC_SET, &ds));
    }
    default:
        return -EINVAL;
    }
}

/* ---- message queues ------------------------------------------------------ */

/* struct msgbuf: a long mtype (32 bits in 32-bit guests, 64 in the host
 * and LP64 guests) followed by the text, so messages go through a bounce
 * buffer. */

int64_t sys_msgget(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(msgget((key_t)sarg(a[0]), sarg(a[1])));
}

int64_t sys_msgsnd(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t size = guest_ulong(a[2]);
    if ((int32_t)size < 0 || size > (1 << 20))
        return -EINVAL;
    int64_t mtype;
    unsigned ws = guest_long_size();
    if (get_guest_longs(a[1], &mtype, 1) < 0)
        return -EFAULT;
    long *hb = malloc(sizeof(long) + size);
    if (!hb)
        return -ENOMEM;
    hb[0] = (long)mtype;
    if (copy_from_guest(hb + 1, a[1] + ws, size) < 0) {
        free(hb);
        return -EFAULT;
    }
    int64_t r = safe_syscall(SYS_msgsnd, (long)sarg(a[0]), (long)hb, (long)size, (long)sarg(a[3]));
    free(hb);
    return r;
}

int64_t sys_msgrcv(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t size = guest_ulong(a[2]);
    if ((int32_t)size < 0 || size > (1 << 20))
        return -EINVAL;
    unsigned ws = guest_long_size();
    if (!guest_range_ok(a[1], ws + size, PAGE_WRITE))
        return -EFAULT;
    long *hb = malloc(sizeof(long) + size);
    if (!hb)
        return -ENOMEM;
    int64_t r = safe_syscall(SYS_msgrcv, (long)sarg(a[0]), (long)hb, (long)size, (long)sarg(a[3]),
                             (long)sarg(a[4]));
    if (r >= 0) {
        int64_t mtype = hb[0];
        if (put_guest_longs(a[1], &mtype, 1) < 0 || copy_to_guest(a[1] + ws, hb + 1, (size_t)r) < 0)
            r = -EFAULT;
    }
    free(hb);
    return r;
}

int64_t sys_msgctl(CPUCommon *cpu, const uint64_t *a)
{
    int id = sarg(a[0]), cmd = sarg(a[1]) & ~GUEST_IPC_64;
    uint64_t buf = guest_ulong(a[2]);
    switch (cmd) {
    case IPC_RMID:
        return host_result(msgctl(id, cmd, NULL));
    case IPC_STAT:
    case MSG_STAT:
    case MSG_STAT_ANY: {
        struct msqid_ds ds;
        int r = msgctl(id, cmd, &ds);
        if (r < 0)
            return -errno;
        GuestStruct s;
        gs_init(&s, syscall_abi()->llong_align);
        put_ipc_perm(&s, &ds.msg_perm);
        put_ipc_time(&s, ds.msg_stime, false);
        put_ipc_time(&s, ds.msg_rtime, false);
        put_ipc_time(&s, ds.msg_ctime, false);
        gs_ulong(&s, ds.__msg_cbytes);
        gs_ulong(&s, ds.msg_qnum);
        gs_ulong(&s, ds.msg_qbytes);
        gs_u32(&s, (uint32_t)ds.msg_lspid);
        gs_u32(&s, (uint32_t)ds.msg_lrpid);
        gs_ulong(&s, 0);
        gs_ulong(&s, 0);
        return copy_to_guest(buf, s.buf, gs_size(&s)) < 0 ? -EFAULT : r;
    }
    case IPC_SET: {
        uint8_t raw[120];
        bool lp64 = guest_long_size() == 8;
        if (copy_from_guest(raw, buf, lp64 ? 120 : 88) < 0)
            return -EFAULT;
        struct msqid_ds ds;
        memset(&ds, 0, sizeof(ds));
        get_ipc_perm(raw, &ds.msg_perm);
        if (lp64) {
            uint64_t qbytes;     /* perm 48, three times, cbytes, qnum */
            memcpy(&qbytes, raw + 48 + 24 + 16, 8);
            ds.msg_qbytes = qbytes;
        } else {
            uint32_t qbytes;
            memcpy(&qbytes, raw + 36 + 24 + 8, 4);
            ds.msg_qbytes = qbytes;
        }
        return host_result(msgctl(id, IPC_SET, &ds));
    }
    default:
        return -EINVAL;
    }
}
