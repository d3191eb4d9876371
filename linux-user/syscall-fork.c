/*
 * syscall-fork.c — new processes: fork, vfork, clone without CLONE_VM
 * (clone with it makes a thread: thread.c), and execve.
 *
 * A forked guest is a forked vemu: the host fork copies the guest space
 * (copy-on-write), the cpu state and the translation cache.  One thing must
 * not be shared: the code buffer, a memfd mapped twice (see exec/codebuf.c).
 * Correct by construction: the fork happens while this thread holds the
 * mmap lock and the engine lock, so no other thread is halfway through
 * changing the page table, the block tables or the code; the parent copies
 * the code buffer before forking (exec_fork_prepare), and the child maps that
 * copy as its own.  The child then has exactly the state its tables
 * describe, whatever the parent's other threads do next.
 *
 * vfork (CLONE_VM | CLONE_VFORK) is a real vfork: the child is a host
 * process that shares this one's memory and runs the guest on a cpu of its
 * own, on a host stack of its own, while the parent thread waits for it to
 * exec or exit, as Linux does.  So what the child writes before exec is
 * seen by the parent: glibc's posix_spawn reports a failed exec that way.
 * The child runs with the parent thread's thread-local variables (the host
 * has no other TLS for it); the parent takes its own back afterwards.
 *
 * execve of a program for our guest architecture re-executes vemu with the
 * same options; anything else (host programs, #! scripts) is left to the
 * host kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gdbstub/gdbstub.h"
#include "linux-user/pcache.h"
#include "linux-user/guest-mem.h"
#include "linux-user/path.h"
#include "linux-user/process.h"
#include "linux-user/procfs.h"
#include "linux-user/syscall.h"

/* Set by main: vemu's own options, replayed when the guest execs. */
const char *const *vemu_reexec_options;
int vemu_reexec_n_options;

/* The flags a process-creating clone may carry. */
#define FORK_FLAGS (CSIGNAL | CLONE_VFORK | CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | \
                    CLONE_CHILD_CLEARTID | CLONE_SETTLS)

/* ---- vfork ------------------------------------------------------------------ */

/* Set in a vfork child (in the TLS it shares with its waiting parent
 * thread, which clears it again when it resumes). */
static __thread bool in_vfork_child;

bool linux_in_vfork_child(void)
{
    return in_vfork_child;
}

#define VFORK_STACK_SIZE (1u << 20)

/* AddressSanitizer keeps the bounds of "this thread's stack" in the TLS the
 * child shares: tell it about the switch to the child's stack and back, as
 * for a fiber, or it warns at every noreturn call and longjmp. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define san_start_switch(bottom, size) __sanitizer_start_switch_fiber(NULL, bottom, size)
#define san_finish_switch(bottom, size) __sanitizer_finish_switch_fiber(NULL, bottom, size)
/* The child's frames left their redzones poisoned in the shadow of the
 * stack; unmapped as it is, a later mmap at that address (a file the
 * translation cache reads) would report "stack-buffer-underflow". */
#define san_forget_stack(bottom, size) __asan_unpoison_memory_region(bottom, size)
#else
#define san_start_switch(bottom, size) ((void)(bottom), (void)(size))
#define san_finish_switch(bottom, size) ((void)(bottom), (void)(size))
#define san_forget_stack(bottom, size) ((void)(bottom), (void)(size))
#endif

typedef struct VforkChild {
    CPUCommon *cpu;
    const void *parent_stack;      /* for the sanitizer: where the parent's stack is */
    size_t parent_stack_size;
    bool started;
} VforkChild;

static int vfork_child_main(void *opaque)
{
    VforkChild *vc = opaque;
    san_finish_switch(&vc->parent_stack, &vc->parent_stack_size);
    vc->started = true;
    in_vfork_child = true;
    thread_cpu = vc->cpu;
    cpu_loop(vc->cpu);   /* until the guest execs or exits */
}

/* Can this process run a vfork child in its own memory?  Not under gdb:
 * the stub follows one process. */
static bool vfork_shares_memory(void)
{
    return !gdbstub_attached();
}

static int64_t do_vfork(CPUCommon *cpu, uint32_t flags, uint64_t newsp, uint64_t ptid, uint64_t tls,
                        uint64_t ctid)
{
    const LinuxTarget *t = &linux_target;
    CPUCommon *child = exec_cpu_new();
    memcpy((char *)child + sizeof(CPUCommon), (const char *)cpu + sizeof(CPUCommon),
           t->fe->cpu_size - sizeof(CPUCommon));
    child->guest_base = cpu->guest_base;
    t->syscall_return(child, 0);          /* the child sees vfork() return 0 */
    if (newsp)
        t->set_sp(child, newsp);
    if (flags & CLONE_SETTLS)
        t->set_tls(child, tls);
    void *stack = mmap(NULL, VFORK_STACK_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    SignalThreadState *saved = signal_thread_state_save();
    if (stack == MAP_FAILED || !saved) {
        if (stack != MAP_FAILED)
            munmap(stack, VFORK_STACK_SIZE);
        if (saved)
            signal_thread_state_restore(saved);
        exec_cpu_free(child);
        return -ENOMEM;
    }
    /* The tid words are guest memory, which the kernel can write directly:
     * the memory is shared, and the child's exit or exec clears ctid. */
    int host_flags = CLONE_VM | CLONE_VFORK | (int)(flags & CSIGNAL) |
                     (int)(flags & (CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID));
    if (((flags & CLONE_PARENT_SETTID) && !guest_prepare_write(ptid, 4)) ||
        ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) && !guest_prepare_write(ctid, 4))) {
        munmap(stack, VFORK_STACK_SIZE);
        signal_thread_state_restore(saved);
        exec_cpu_free(child);
        return -EFAULT;
    }
    if (exec_log_file)
        fflush(exec_log_file);
    fflush(stdout);
    fflush(stderr);
    VforkChild vc = { .cpu = child };
    san_start_switch(stack, VFORK_STACK_SIZE);
    pid_t pid = clone(vfork_child_main, (char *)stack + VFORK_STACK_SIZE, host_flags, &vc,
                      (pid_t *)g2h(ptid), NULL, (pid_t *)g2h(ctid));
    int e = errno;
    /* The child has exec'd or exited: this thread's state is ours again. */
    if (!vc.started)
        san_finish_switch(&vc.parent_stack, &vc.parent_stack_size);
    san_start_switch(vc.parent_stack, vc.parent_stack_size);
    san_finish_switch(NULL, NULL);
    in_vfork_child = false;
    thread_cpu = cpu;
    exec_set_current_cpu(cpu);
    signal_thread_state_restore(saved);
    exec_cpu_free(child);
    san_forget_stack(stack, VFORK_STACK_SIZE);
    munmap(stack, VFORK_STACK_SIZE);
    return pid < 0 ? -e : pid;
}

/* ---- fork -------------------------------------------------------------------- */

static int64_t do_fork(CPUCommon *cpu, uint32_t flags, uint64_t newsp, uint64_t ptid, uint64_t tls,
                       uint64_t ctid)
{
    const LinuxTarget *t = &linux_target;
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return linux_clone_thread(cpu, flags, newsp, ptid, tls, ctid);
    if (flags & ~FORK_FLAGS)
        return -EINVAL;
    if ((flags & CLONE_VM) && vfork_shares_memory())
        return do_vfork(cpu, flags, newsp, ptid, tls, ctid);
    /* Otherwise a vfork is done as a fork: the child only execs or exits,
     * so it rarely needs the parent's memory. */
    if (exec_log_file)
        fflush(exec_log_file);
    fflush(stdout);
    fflush(stderr);
    int exit_signal = flags & CSIGNAL;
    /* Lock order: mmap lock, engine lock, page-protection lock. */
    guest_mmap_fork_prepare();
    int r = exec_fork_prepare();
    if (r < 0) {
        guest_mmap_fork_parent();
        return r == -EMFILE || r == -ENFILE ? -EAGAIN : -ENOMEM;
    }
    page_prot_lock_take();
    pid_t pid;
    if (exit_signal == SIGCHLD)
        pid = fork();
    else
        pid = (pid_t)syscall(SYS_clone, (unsigned long)exit_signal, NULL, NULL, NULL, 0);
    int fork_errno = errno;
    if (pid != 0) {
        page_prot_lock_drop();
        exec_fork_parent();
        guest_mmap_fork_parent();
    }
    if (pid < 0)
        return -fork_errno;
    if (pid == 0) {
        /* Only this thread came along: a private code buffer, and locks
         * other threads may have held at the fork start afresh. */
        if (exec_fork_child(cpu) < 0) {
            fputs("vemu: cannot give the child process its own code buffer\n", stderr);
            _exit(127);
        }
        /* -d stats with a stats file: the child reports its own work only. */
        if (exec_stats_file)
            memset(&exec_stats, 0, sizeof(exec_stats));
        page_prot_fork_child();
        guest_mmap_fork_child();
        procfs_fork_child();
        linux_thread_fork_child();
        if (flags & CLONE_CHILD_SETTID) {
            uint32_t tid = (uint32_t)gettid();
            copy_to_guest(ctid, &tid, 4);
        }
        if (newsp)
            t->set_sp(cpu, newsp);
        if (flags & CLONE_SETTLS)
            t->set_tls(cpu, tls);
        return 0;
    }
    if (flags & CLONE_PARENT_SETTID) {
        uint32_t p = (uint32_t)pid;
        copy_to_guest(ptid, &p, 4);
    }
    return pid;
}

int64_t sys_fork(CPUCommon *cpu, const uint64_t *a)
{
    return do_fork(cpu, SIGCHLD, 0, 0, 0, 0);
}

int64_t sys_vfork(CPUCommon *cpu, const uint64_t *a)
{
    return do_fork(cpu, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

/* clone(flags, newsp, parent_tid, tls, child_tid): the argument order of
 * ARM and i386 (the kernel's CLONE_BACKWARDS). */
int64_t sys_clone(CPUCommon *cpu, const uint64_t *a)
{
    return do_fork(cpu, guest_ulong(a[0]), guest_ulong(a[1]), guest_ulong(a[2]), guest_ulong(a[3]),
                   guest_ulong(a[4]));
}

/* Read a NULL-terminated array of guest string pointers. */
static char **string_array(uint64_t addr, int *count)
{
    size_t n = 0, cap = 16;
    char **v = malloc(cap * sizeof(*v));
    if (!v)
        return NULL;
    for (;; n++) {
        uint64_t p = 0;     /* guest pointers: 4 or 8 bytes, little-endian */
        unsigned ws = guest_long_size();
        if (addr == 0) {
            p = 0;
        } else if (copy_from_guest(&p, addr + n * ws, ws) < 0) {
            free(v);
            return NULL;
        }
        if (n + 1 >= cap) {
            cap *= 2;
            char **nv = realloc(v, cap * sizeof(*v));
            if (!nv) {
                free(v);
                return NULL;
            }
            v = nv;
        }
        if (p == 0)
            break;
        const char *s = guest_string(p, 1 << 20);
        if (!s) {
            free(v);
            return NULL;
        }
        v[n] = (char *)s;
    }
    v[n] = NULL;
    *count = (int)n;
    return v;
}

/* Is the file an ELF executable for our guest? */
static bool is_guest_elf(const char *path)
{
    /* Non-blocking: a FIFO must not hang us here (the host execve then
     * refuses it with EACCES, as for a native program). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return false;
    }
    unsigned char h[20];
    ssize_t n = read(fd, h, sizeof(h));
    close(fd);
    const LinuxTarget *t = &linux_target;
    return n == (ssize_t)sizeof(h) && memcmp(h, "\177ELF", 4) == 0 && h[4] == t->elf_class &&
           h[5] == t->elf_data && (uint16_t)(h[18] | h[19] << 8) == t->elf_machine;
}

int64_t sys_execve(CPUCommon *cpu, const uint64_t *a)
{
    const char *gpath = guest_string(a[0], PATH_MAX);
    if (!gpath)
        return -EFAULT;
    int argc, envc;
    char **argv = string_array(a[1], &argc);
    char **envp = string_array(a[2], &envc);
    if (!argv || !envp) {
        free(argv);
        free(envp);
        return -EFAULT;
    }
    char buf[PATH_MAX + 256];
    const char *path = guest_path(gpath, buf, sizeof(buf));
    /* /proc/self/exe is the guest program, not vemu. */
    extern const char *guest_exe_path;
    char self_exe[64];
    snprintf(self_exe, sizeof(self_exe), "/proc/%d/exe", getpid());
    if (guest_exe_path && (strcmp(gpath, "/proc/self/exe") == 0 || strcmp(gpath, self_exe) == 0))
        path = guest_exe_path;
    if (access(path, X_OK) < 0) {
        int e = errno;
        free(argv);
        free(envp);
        return -e;
    }
    pcache_save();     /* the next program may use what this one translated */
    if (exec_log_file)
        fflush(exec_log_file);
    exec_stats_report();    /* the translations made before the exec count too */
    if (!is_guest_elf(path)) {
        execve(path, argv, envp);
    } else {
        /* vemu [its options] -0 argv[0] path argv[1..] */
        int n = vemu_reexec_n_options;
        char **v = calloc((size_t)(n + argc + 5), sizeof(*v));
        if (v) {
            int k = 0;
            v[k++] = (char *)linux_target.prog_name;
            for (int i = 0; i < n; i++)
                v[k++] = (char *)vemu_reexec_options[i];
            if (argc > 0) {
                v[k++] = "-0";
                v[k++] = argv[0];
            }
            v[k++] = (char *)path;
            for (int i = 1; i < argc; i++)
                v[k++] = argv[i];
            v[k] = NULL;
            execve("/proc/self/exe", v, envp);
            free(v);
        }
    }
    int e = errno;
    free(argv);
    free(envp);
    return -e;
}
