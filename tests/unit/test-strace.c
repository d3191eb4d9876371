/* Unit tests for -strace (linux-user/strace*.c): the per-call table agrees
 * with the target's syscall table, and calls format as strace does, with
 * the ARM numbering of open flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec/exec.h"
#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/strace-kinds.h"
#include "linux-user/strace.h"
#include "linux-user/syscall.h"
#include "linux-user/arm/target-arm.h"

#define SCRATCH 0x100000u

static FILE *log_f;

static int setup(void **state)
{
    static bool done;
    if (!done) {
        assert_int_equal(guest_space_init(1ull << 32), 0);
        guest_mmap_min = 0x10000;
        guest_mmap_top = 0xf0000000u;
        assert_int_equal(guest_mmap(SCRATCH, 0x10000, PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), SCRATCH);
        done = true;
    }
    return 0;
}

static const LinuxSyscallDef *by_name(const char *name)
{
    for (unsigned k = 0; k < linux_target.n_abis; k++) {
        const LinuxAbi *abi = linux_target.abis[k];
        for (unsigned i = 0; i < abi->n_syscalls; i++)
            if (!strcmp(abi->syscalls[i].name, name))
                return &abi->syscalls[i];
    }
    return NULL;
}

static void test_table_sorted_and_known(void **state)
{
    assert_int_equal(strace_table_check_sorted(), 0);
    unsigned n = 0;
    /* calls of the x86 targets, which this (ARM) program does not link */
    static const char *const x86_only[] = { "arch_prctl", "get_thread_area", "newfstatat",
                                             "set_thread_area" };
    for (const StraceSpec *s; (s = strace_spec_at(n)); n++) {
        /* "<abi>:<name>": an ABI's own shape of a call the others have too */
        const char *nm = strchr(s->name, ':') ? strchr(s->name, ':') + 1 : s->name;
        bool other = false;
        for (unsigned i = 0; i < sizeof(x86_only) / sizeof(x86_only[0]); i++)
            other |= !strcmp(nm, x86_only[i]);
        /* A name the target does not have would never be used: a typo. */
        if (!by_name(nm) && !other)
            fail_msg("strace table entry '%s' is not an %s system call", s->name,
                     linux_target.name);
        assert_ptr_equal(strace_spec_find(s->name), s);
    }
    assert_true(n > 100);
    assert_null(strace_spec_find("no_such_call"));
}

/* Format one call through the hooks, as the dispatcher does; returns the
 * log text with the pid prefix removed. */
static char *format(const char *name, int64_t ret, uint64_t a0, uint64_t a1, uint64_t a2,
                    uint64_t a3, uint64_t a4, uint64_t a5)
{
    static char text[4096];
    const LinuxSyscallDef *d = by_name(name);
    assert_non_null(d);
    log_f = tmpfile();
    assert_non_null(log_f);
    exec_log_file = log_f;
    uint64_t a[7] = { a0, a1, a2, a3, a4, a5, 0 };
    StraceCall sc;
    strace_syscall_enter(&sc, d->nr, d, a);
    strace_syscall_exit(&sc, ret);
    rewind(log_f);
    size_t n = fread(text, 1, sizeof(text) - 1, log_f);
    text[n] = 0;
    fclose(log_f);
    exec_log_file = stderr;
    char *sp = strchr(text, ' ');
    assert_non_null(sp);
    return sp + 1;
}

static uint64_t put_str(uint64_t at, const char *s)
{
    memcpy(g2h(at), s, strlen(s) + 1);
    return at;
}

static void test_open_flags_arm_numbering(void **state)
{
    uint64_t p = put_str(SCRATCH, "/etc/passwd");
    /* ARM: O_DIRECTORY 040000, O_NOFOLLOW 0100000, O_DIRECT 0200000,
     * O_LARGEFILE 0400000 (x86_64 has them the other way round). */
    assert_string_equal(format("openat", 3, (uint32_t)-100, p, 0400000 | 02000000, 0, 0, 0),
                        "openat(AT_FDCWD,\"/etc/passwd\",O_RDONLY|O_LARGEFILE|O_CLOEXEC) = 3\n");
    assert_string_equal(format("openat", 4, 5, p, 040000 | 0100000, 0, 0, 0),
                        "openat(5,\"/etc/passwd\",O_RDONLY|O_DIRECTORY|O_NOFOLLOW) = 4\n");
    assert_string_equal(format("open", -2, p, 0200000 | 01 | 0100 | 01000, 0640, 0, 0, 0),
                        "open(\"/etc/passwd\",O_WRONLY|O_CREAT|O_TRUNC|O_DIRECT,0640) = "
                        "-1 ENOENT (No such file or directory)\n");
}

static void test_buffers_escaped_and_cut(void **state)
{
    uint64_t b = SCRATCH + 0x100;
    memcpy(g2h(b), "a\"b\\\n\0017\x7f\0", 9);     /* 9 bytes: the last is NUL */
    assert_string_equal(format("write", 9, 1, b, 9, 0, 0, 0),
                        "write(1,\"a\\\"b\\\\\\n\\0017\\177\\0\",9) = 9\n");
    memset(g2h(b), 'x', 100);
    /* read: the result says how much is shown; 32 bytes at most. */
    assert_string_equal(format("read", 40, 0, b, 100, 0, 0, 0),
                        "read(0,\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"...,100) = 40\n");
    assert_string_equal(format("read", -11, 0, b, 100, 0, 0, 0),
                        "read(0,0x100100,100) = -1 EAGAIN (Resource temporarily unavailable)\n");
}

static void test_memory_and_process_calls(void **state)
{
    assert_string_equal(format("mmap2", 0xf7fde000, 0, 8192, 3, 0x22, (uint32_t)-1, 0),
                        "mmap2(NULL,8192,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0xf7fde000\n");
    assert_string_equal(format("mprotect", 0, 0x10000, 4096, 0, 0, 0, 0),
                        "mprotect(0x10000,4096,PROT_NONE) = 0\n");
    assert_string_equal(format("clone", 77, 0x01200011, 0, 0, 0, 0x8f068, 0),
                        "clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD,NULL,NULL,NULL,0x8f068) = 77\n");
    assert_string_equal(format("kill", 0, 42, 9, 0, 0, 0, 0), "kill(42,SIGKILL) = 0\n");
    assert_string_equal(format("ioctl", -25, 0, 0x5401, SCRATCH, 0, 0, 0),
                        "ioctl(0,TCGETS,0x100000) = -1 ENOTTY (Inappropriate ioctl for device)\n");
    assert_string_equal(format("fcntl64", 0, 3, 4, 04000 | 0400000, 0, 0, 0),
                        "fcntl64(3,F_SETFL,O_RDONLY|O_NONBLOCK|O_LARGEFILE) = 0\n");
    assert_string_equal(format("futex", 0, SCRATCH, 128 | 9 | 256, 1, 0, 0, 0xffffffff),
                        "futex(0x100000,FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME,1,NULL,NULL,-1) = 0\n");
    assert_string_equal(format("socket", 5, 2, 1 | 02000000 | 04000, 0, 0, 0, 0),
                        "socket(AF_INET,SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC,0) = 5\n");
    /* wait4's status: 3 << 8 is "exited with 3". */
    uint64_t st = SCRATCH + 0x200;
    *(int32_t *)g2h(st) = 3 << 8;
    assert_string_equal(format("wait4", 12, (uint32_t)-1, st, 1, 0, 0, 0),
                        "wait4(-1,[{WIFEXITED(s) && WEXITSTATUS(s) == 3}],WNOHANG,NULL) = 12\n");
    /* _llseek: high and low words, the result through a pointer. */
    *(int64_t *)g2h(st) = 0x100000005ll;
    assert_string_equal(format("_llseek", 0, 3, 1, 5, st, 0, 0),
                        "_llseek(3,4294967301,[4294967301],SEEK_SET) = 0\n");
    /* pread64: the offset is an aligned register pair (r4, r5). */
    assert_string_equal(format("pread64", 0, 3, SCRATCH, 10, 0, 0x1000, 1),
                        "pread64(3,\"\",10,4294971392) = 0\n");
    /* In ARM's old ABI the pair follows directly (r3, r4). */
    linux_cur_abi = &arm_oabi;
    assert_string_equal(format("pread64", 0, 3, SCRATCH, 10, 0x1000, 1, 0),
                        "pread64(3,\"\",10,4294971392) = 0\n");
    linux_cur_abi = NULL;
}

static void test_signals(void **state)
{
    uint64_t act = SCRATCH + 0x300;
    uint32_t w[5] = { 0x10500, 0x14000000, 0x10600, (1u << 1) | (1u << 9), 0 };
    memcpy(g2h(act), w, sizeof(w));
    assert_string_equal(format("rt_sigaction", 0, 2, act, 0, 8, 0, 0),
                        "rt_sigaction(SIGINT,{sa_handler=0x10500, sa_mask=[INT USR1], "
                        "sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x10600},NULL,8) = 0\n");
    uint64_t set = SCRATCH + 0x400;
    *(uint64_t *)g2h(set) = ~0ull & ~(1ull << 32);
    assert_string_equal(format("rt_sigprocmask", 0, 0, set, 0, 8, 0, 0),
                        "rt_sigprocmask(SIG_BLOCK,~[RT_1],NULL,8) = 0\n");
}

static void test_sockets_poll_and_outputs(void **state)
{
    uint64_t sa = SCRATCH + 0x500;
    uint8_t in[16] = { 2, 0, 0x1f, 0x90, 127, 0, 0, 1 };
    memcpy(g2h(sa), in, sizeof(in));
    assert_string_equal(format("connect", 0, 3, sa, 16, 0, 0, 0),
                        "connect(3,{sa_family=AF_INET, sin_port=htons(8080), "
                        "sin_addr=inet_addr(\"127.0.0.1\")},16) = 0\n");
    uint8_t un[12] = { 1, 0, '/', 't', 'm', 'p', '/', 's', 0 };
    memcpy(g2h(sa), un, sizeof(un));
    assert_string_equal(format("bind", 0, 3, sa, 9, 0, 0, 0),
                        "bind(3,{sa_family=AF_UNIX, sun_path=\"/tmp/s\"},9) = 0\n");
    /* accept4: the address and its length are written by the call. */
    uint64_t lenp = SCRATCH + 0x580;
    memcpy(g2h(sa), in, sizeof(in));
    *(uint32_t *)g2h(lenp) = 16;
    assert_string_equal(format("accept4", 5, 3, sa, lenp, 02000000, 0, 0),
                        "accept4(3,{sa_family=AF_INET, sin_port=htons(8080), "
                        "sin_addr=inet_addr(\"127.0.0.1\")},[16],SOCK_CLOEXEC) = 5\n");
    assert_string_equal(format("setsockopt", 0, 3, 1, 2, SCRATCH, 4, 0),
                        "setsockopt(3,SOL_SOCKET,SO_REUSEADDR,0x100000,4) = 0\n");
    assert_string_equal(format("sendto", 2, 3, put_str(SCRATCH + 0x600, "hi"), 2, 0x4040, 0, 0),
                        "sendto(3,\"hi\",2,MSG_DONTWAIT|MSG_NOSIGNAL,NULL,0) = 2\n");
    /* poll: struct pollfd { int fd; short events, revents; }. */
    int32_t pfd[4] = { 3, 1 | (0 << 16), 4, 4 };
    memcpy(g2h(sa), pfd, sizeof(pfd));
    assert_string_equal(format("poll", 1, sa, 2, 1000, 0, 0, 0),
                        "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}],2,1000) = 1\n");
    assert_string_equal(format("getcwd", 5, put_str(SCRATCH + 0x700, "/tmp"), 4096, 0, 0, 0, 0),
                        "getcwd(\"/tmp\",4096) = 5\n");
    assert_string_equal(format("dup3", 4, 3, 4, 02000000, 0, 0, 0), "dup3(3,4,O_CLOEXEC) = 4\n");
    uint64_t rl = SCRATCH + 0x800;
    uint64_t lim[2] = { 8 << 20, UINT64_MAX };
    memcpy(g2h(rl), lim, sizeof(lim));
    assert_string_equal(format("prlimit64", 0, 0, 3, 0, rl, 0, 0),
                        "prlimit64(0,RLIMIT_STACK,NULL,{rlim_cur=8388608, rlim_max=RLIM64_INFINITY}) = 0\n");
    /* A failed call shows output pointers as pointers. */
    assert_string_equal(format("prlimit64", -1, 0, 3, 0, rl, 0, 0),
                        "prlimit64(0,RLIMIT_STACK,NULL,0x100800) = -1 EPERM (Operation not permitted)\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted_and_known),
        cmocka_unit_test_setup(test_open_flags_arm_numbering, setup),
        cmocka_unit_test_setup(test_buffers_escaped_and_cut, setup),
        cmocka_unit_test_setup(test_memory_and_process_calls, setup),
        cmocka_unit_test_setup(test_signals, setup),
        cmocka_unit_test_setup(test_sockets_poll_and_outputs, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
