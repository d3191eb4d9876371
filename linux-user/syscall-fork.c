/*
 * syscall-fork.c — new processes: fork, vfork, clone without CLONE_VM
 * (clone with it makes a thread: thread.c), and execve.
 *
 * A forked guest is a forked vemu: the host fork copies the guest space
 * (copy-on-write), the cpu state and the translation cache.  One thing must
 * not be shared: the code buffer, a memfd mapped twice (see exec/codebuf.c).
 * After fork both processes would map the same memfd and append new
 * translations at the same offsets, so exec_fork_child() gives the child a
 * private copy (and forgets the cpus of threads that did not come along).
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

#include "linux-user/guest-mem.h"
#include "linux-user/path.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

/* Set by main: vemu's own options, replayed when the guest execs. */
const char *const *vemu_reexec_options;
int vemu_reexec_n_options;

/* The flags a process-creating clone may carry. */
#define FORK_FLAGS (CSIGNAL | CLONE_VFORK | CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | \
                    CLONE_CHILD_CLEARTID | CLONE_SETTLS)

static int64_t do_fork(CPUCommon *cpu, uint32_t flags, uint64_t newsp, uint64_t ptid, uint64_t tls,
                       uint64_t ctid)
{
    const LinuxTarget *t = &linux_target;
    /* vfork (CLONE_VM | CLONE_VFORK) is done as a fork: the child only
     * execs or exits, and sharing memory with it is not required for that. */
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return linux_clone_thread(cpu, flags, newsp, ptid, tls, ctid);
    if (flags & ~FORK_FLAGS)
        return -EINVAL;
    if (exec_log_file)
        fflush(exec_log_file);
    fflush(stdout);
    fflush(stderr);
    int exit_signal = flags & CSIGNAL;
    pid_t pid;
    if (exit_signal == SIGCHLD)
        pid = fork();
    else
        pid = (pid_t)syscall(SYS_clone, (unsigned long)exit_signal, NULL, NULL, NULL, 0);
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        /* Only this thread came along: a private code buffer, and locks
         * other threads may have held at the fork start afresh. */
        if (exec_fork_child(cpu) < 0) {
            fputs("vemu: cannot give the child process its own code buffer\n", stderr);
            _exit(127);
        }
        guest_mmap_fork_child();
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
    return do_fork(cpu, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2], (uint32_t)a[3], (uint32_t)a[4]);
}

/* Read a NULL-terminated array of guest string pointers. */
static char **string_array(uint64_t addr, int *count)
{
    size_t n = 0, cap = 16;
    char **v = malloc(cap * sizeof(*v));
    if (!v)
        return NULL;
    for (;; n++) {
        uint32_t p;
        if (addr == 0) {
            p = 0;
        } else if (copy_from_guest(&p, addr + n * 4, 4) < 0) {
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
    if (exec_log_file)
        fflush(exec_log_file);
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
