/*
 * thread.c — guest threads (clone with CLONE_VM) as host threads.
 *
 * Every guest thread is a host pthread with its own cpu state, running its
 * own cpu loop over the shared guest space and translation cache.  The
 * guest's futexes are host futexes on the same memory, so pthread mutexes,
 * condition variables and joins work unchanged.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

static int n_threads = 1;

void linux_thread_fork_child(void) { n_threads = 1; }
static __thread uint64_t clear_child_tid;

typedef struct ThreadStart {
    CPUCommon *cpu;
    uint32_t flags;
    uint64_t ptid, ctid;
    uint64_t sigmask;
    sem_t ready;
    pid_t tid;
} ThreadStart;

void thread_set_clear_child_tid(uint64_t addr)
{
    clear_child_tid = addr;
}

static void *thread_main(void *opaque)
{
    ThreadStart *ts = opaque;
    CPUCommon *cpu = ts->cpu;
    /* Our fault handler runs on an alternate stack: each thread needs one. */
    fault_handlers_thread_init();
    pid_t tid = gettid();
    uint32_t t32 = (uint32_t)tid;
    if (ts->flags & CLONE_CHILD_SETTID)
        copy_to_guest(ts->ctid, &t32, 4);
    if (ts->flags & CLONE_PARENT_SETTID)
        copy_to_guest(ts->ptid, &t32, 4);
    if (ts->flags & CLONE_CHILD_CLEARTID)
        clear_child_tid = ts->ctid;
    signal_thread_init(ts->sigmask);
    thread_cpu = cpu;
    ts->tid = tid;
    sem_post(&ts->ready);      /* ts belongs to the parent from here on */
    cpu_loop(cpu);
}

/* The flags glibc's pthread_create passes, and the ones we can honour. */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
                      CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
                      CLONE_CHILD_SETTID | CLONE_DETACHED)

int64_t linux_clone_thread(CPUCommon *parent, uint32_t flags, uint64_t newsp, uint64_t ptid,
                           uint64_t tls, uint64_t ctid)
{
    const LinuxTarget *t = &linux_target;
    uint32_t need = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
    if ((flags & need) != need || (flags & ~THREAD_FLAGS)) {
        if (exec_log_enabled(LOG_UNIMP))
            exec_log("clone(0x%x): unsupported combination of flags\n", flags);
        return -EINVAL;
    }
    CPUCommon *cpu = exec_cpu_new();
    size_t size = t->fe->cpu_size;
    /* The guest-visible state is everything after the engine's part. */
    memcpy((char *)cpu + sizeof(CPUCommon), (const char *)parent + sizeof(CPUCommon),
           size - sizeof(CPUCommon));
    cpu->guest_base = parent->guest_base;
    t->syscall_return(cpu, 0);          /* the child sees clone() return 0 */
    if (newsp)
        t->set_sp(cpu, newsp);
    if (flags & CLONE_SETTLS)
        t->set_tls(cpu, tls);

    ThreadStart ts = { .cpu = cpu, .flags = flags, .ptid = ptid, .ctid = ctid,
                       .sigmask = guest_sigmask };
    sem_init(&ts.ready, 0, 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 1 << 20);
    __atomic_add_fetch(&n_threads, 1, __ATOMIC_SEQ_CST);
    /* The new thread starts with every signal blocked and sets the guest's
     * mask itself, so no signal finds it half set up. */
    uint64_t all = ~0ull, old;    /* raw: the C library will not block 32 and 33 */
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
    pthread_t th;
    int r = pthread_create(&th, &attr, thread_main, &ts);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
    pthread_attr_destroy(&attr);
    if (r != 0) {
        __atomic_sub_fetch(&n_threads, 1, __ATOMIC_SEQ_CST);
        exec_cpu_free(cpu);
        sem_destroy(&ts.ready);
        return -r;
    }
    while (sem_wait(&ts.ready) < 0 && errno == EINTR)
        ;
    sem_destroy(&ts.ready);
    return ts.tid;
}

_Noreturn void linux_thread_exit(int status)
{
    /* A vfork child is a process of its own, whose only thread this is;
     * the thread count is its parent's. */
    if (linux_in_vfork_child())
        process_exit(status);
    if (__atomic_sub_fetch(&n_threads, 1, __ATOMIC_SEQ_CST) == 0)
        process_exit(status);
    /* CLONE_CHILD_CLEARTID: zero the tid word and wake its joiner. */
    if (clear_child_tid) {
        uint32_t zero = 0;
        if (copy_to_guest(clear_child_tid, &zero, 4) == 0)
            syscall(SYS_futex, g2h(clear_child_tid), FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
    }
    CPUCommon *cpu = thread_cpu;
    thread_cpu = NULL;
    if (cpu)
        exec_cpu_free(cpu);
    fault_handlers_thread_exit();
    pthread_exit(NULL);
}

/* ---- futex --------------------------------------------------------------- */

static int64_t do_futex(const uint64_t *a, bool time64)
{
    uint64_t uaddr = guest_ulong(a[0]);
    int op = sarg(a[1]);
    int cmd = op & FUTEX_CMD_MASK;
    uint32_t val = (uint32_t)a[2];
    if ((uaddr & 3) || !guest_range_ok(uaddr, 4, PAGE_READ))
        return -EFAULT;
    struct timespec ts, *tsp = NULL;
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
    case FUTEX_WAIT_REQUEUE_PI:
        if (a[3]) {
            if (time64) {
                int64_t v[2];
                if (copy_from_guest(v, guest_ulong(a[3]), 16) < 0)
                    return -EFAULT;
                ts.tv_sec = v[0];
                ts.tv_nsec = (int32_t)v[1];
            } else {
                int64_t v[2];      /* two guest longs */
                if (get_guest_longs(guest_ulong(a[3]), v, 2) < 0)
                    return -EFAULT;
                ts.tv_sec = v[0];
                ts.tv_nsec = v[1];
            }
            tsp = &ts;
        }
        if (cmd == FUTEX_WAIT_REQUEUE_PI) {
            uint64_t uaddr2 = guest_ulong(a[4]);
            if ((uaddr2 & 3) || !guest_prepare_write(uaddr2, 4))
                return -EFAULT;
            return safe_syscall(SYS_futex, (long)g2h(uaddr), (long)op, (long)val, (long)tsp,
                                (long)g2h(uaddr2), (long)(uint32_t)a[5]);
        }
        /* The PI calls store our tid in the word: the guest's tids are the
         * host's, so the host's priority inheritance works as is. */
        if ((cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2) && !guest_prepare_write(uaddr, 4))
            return -EFAULT;
        return safe_syscall(SYS_futex, (long)g2h(uaddr), (long)op, (long)val, (long)tsp, 0L,
                            (long)(uint32_t)a[5]);
    case FUTEX_TRYLOCK_PI:
    case FUTEX_UNLOCK_PI:
        if (!guest_prepare_write(uaddr, 4))
            return -EFAULT;
        return host_result(syscall(SYS_futex, g2h(uaddr), op, 0, NULL, NULL, 0));
    case FUTEX_CMP_REQUEUE_PI: {
        uint64_t uaddr2 = guest_ulong(a[4]);
        if ((uaddr2 & 3) || !guest_prepare_write(uaddr2, 4) || !guest_prepare_write(uaddr, 4))
            return -EFAULT;
        return host_result(syscall(SYS_futex, g2h(uaddr), op, val, (unsigned long)(uint32_t)a[3],
                                   g2h(uaddr2), (uint32_t)a[5]));
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
        return host_result(syscall(SYS_futex, g2h(uaddr), op, val, NULL, NULL, (uint32_t)a[5]));
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
    case FUTEX_WAKE_OP: {
        uint64_t uaddr2 = guest_ulong(a[4]);
        if ((uaddr2 & 3) || !guest_prepare_write(uaddr2, 4))
            return -EFAULT;
        if (cmd == FUTEX_WAKE_OP && !guest_prepare_write(uaddr, 4))
            return -EFAULT;
        /* The 4th argument is a count here, not a timeout. */
        return host_result(syscall(SYS_futex, g2h(uaddr), op, val, (unsigned long)(uint32_t)a[3],
                                   g2h(uaddr2), (uint32_t)a[5]));
    }
    default:
        if (exec_log_enabled(LOG_UNIMP))
            exec_log("futex op %d not supported\n", cmd);
        return -ENOSYS;
    }
}

int64_t sys_futex(CPUCommon *cpu, const uint64_t *a) { return do_futex(a, false); }
int64_t sys_futex_time64(CPUCommon *cpu, const uint64_t *a) { return do_futex(a, true); }
