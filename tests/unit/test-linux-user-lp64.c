/* Unit tests for linux-user's LP64 guest ABI (vemu-x86_64's): with 8-byte
 * guest longs and pointers, one-register 64-bit arguments and a packed
 * epoll_event, the generic handlers must read and write the structures an
 * x86_64 Linux kernel does.  On an x86_64 host those are the host's own
 * structures, so each test lays out the host struct in guest memory (with
 * guest addresses as pointers), calls the handler, and compares with what
 * the host kernel gives.  The tests run through the ARM target's rig (the
 * handlers are target-independent), with linux_cur_abi set to an LP64 ABI
 * like linux-user/x86_64's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec.h"
#include "linux-user/guest-mem.h"
#include "linux-user/guest-struct.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

#define SCRATCH 0x100000u

#include "tests/unit/linux-user-test-rig.h"

static const LinuxAbi lp64 = {
    .name = "lp64-test", .llong_align = 8, .struct_align = 1, .long_size = 8,
    .args64 = true, .epoll_packed = true,
};

static int setup_lp64(void **state)
{
    int r = setup(state);
    linux_cur_abi = &lp64;
    return r;
}

static int teardown_lp64(void **state)
{
    (void)state;
    linux_cur_abi = NULL;
    return 0;
}

static void *G(uint64_t a) { return g2h(a); }

static void test_builders(void **state)
{
    GuestStruct s;
    gs_init_abi(&s);
    gs_u32(&s, 1);
    gs_long(&s, -2);
    gs_ptr(&s, 0x123456789ull);
    gs_u16(&s, 3);
    assert_int_equal(gs_size(&s), 32);       /* 4 + pad 4 + 8 + 8 + 2, 8-aligned */
    int64_t l;
    memcpy(&l, s.buf + 8, 8);
    assert_int_equal(l, -2);
    GuestStructReader r = { .buf = s.buf, .llalign = 8 };
    assert_int_equal(gsr_u32(&r), 1);
    assert_int_equal(gsr_long(&r), -2);
    assert_int_equal(gsr_ptr(&r), 0x123456789ull);
    assert_int_equal(guest_slong(0xffffffffull), 0xffffffffll);   /* no 32-bit sign extension */
    unsigned i = 0;
    uint64_t a[3] = { 0x1122334455667788ull, 7, 9 };
    assert_int_equal(syscall_arg64(a, &i), 0x1122334455667788ull);   /* one register */
    assert_int_equal(i, 1);
}

static void test_rlimit_and_time(void **state)
{
    uint64_t a[7] = { RLIMIT_NOFILE, SCRATCH };
    assert_int_equal(sys_ugetrlimit(cpu, a), 0);
    struct rlimit host;
    getrlimit(RLIMIT_NOFILE, &host);
    assert_memory_equal(G(SCRATCH), &host, sizeof(host));        /* two unsigned longs */

    uint64_t b[7] = { CLOCK_REALTIME, SCRATCH + 64 };
    assert_int_equal(sys_clock_gettime(cpu, b), 0);
    struct timespec ts;
    memcpy(&ts, G(SCRATCH + 64), sizeof(ts));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    assert_true(now.tv_sec - ts.tv_sec <= 1 && ts.tv_nsec < 1000000000);

    uint64_t c[7] = { SCRATCH + 128, 0 };
    assert_int_equal(sys_gettimeofday(cpu, c), 0);
    struct timeval tv;
    memcpy(&tv, G(SCRATCH + 128), sizeof(tv));
    assert_true(now.tv_sec - tv.tv_sec <= 1 && tv.tv_usec < 1000000);

    /* time(): the whole 64-bit value, not a sign-extended 32-bit one */
    uint64_t d[7] = { SCRATCH + 160 };
    int64_t t = sys_time(cpu, d);
    int64_t stored;
    memcpy(&stored, G(SCRATCH + 160), 8);
    assert_int_equal(t, stored);
}

static void test_rusage_sysinfo_tms(void **state)
{
    uint64_t a[7] = { (uint64_t)RUSAGE_SELF, SCRATCH };
    memset(G(SCRATCH), 0xee, 256);
    assert_int_equal(sys_getrusage(cpu, a), 0);
    struct rusage ru, host;
    memcpy(&ru, G(SCRATCH), sizeof(ru));
    getrusage(RUSAGE_SELF, &host);
    assert_int_equal(ru.ru_maxrss > 0 && ru.ru_maxrss <= host.ru_maxrss, 1);
    assert_int_equal(*((uint8_t *)G(SCRATCH) + sizeof(ru)), 0xee);   /* 144 bytes, no more */

    uint64_t b[7] = { SCRATCH + 512 };
    assert_int_equal(sys_sysinfo(cpu, b), 0);
    struct sysinfo si, hsi;
    memcpy(&si, G(SCRATCH + 512), sizeof(si));
    sysinfo(&hsi);
    assert_int_equal(si.totalram, hsi.totalram);
    assert_int_equal(si.mem_unit, hsi.mem_unit);
    assert_int_equal(si.procs > 0, 1);
}

#if defined(__x86_64__)
static void test_stat_layout(void **state)
{
    int fd = open("/proc/self/exe", O_RDONLY);
    assert_true(fd >= 0);
    uint64_t a[7] = { (uint64_t)fd, SCRATCH };
    assert_int_equal(sys_newfstat(cpu, a), 0);
    struct stat host;
    fstat(fd, &host);
    assert_memory_equal(G(SCRATCH), &host, sizeof(host));      /* x86_64's struct stat, exactly */

    uint64_t b[7] = { (uint64_t)fd, SCRATCH + 256 };
    assert_int_equal(sys_fstatfs_word(cpu, b), 0);
    struct statfs hsf, gsf;
    fstatfs(fd, &hsf);
    memcpy(&gsf, G(SCRATCH + 256), sizeof(gsf));
    assert_int_equal(gsf.f_type, hsf.f_type);
    assert_int_equal(gsf.f_bsize, hsf.f_bsize);
    assert_int_equal(gsf.f_blocks, hsf.f_blocks);
    assert_int_equal(gsf.f_namelen, hsf.f_namelen);
    assert_int_equal(gsf.f_frsize, hsf.f_frsize);
    close(fd);
}
#endif

static void test_sigaction_altstack(void **state)
{
    /* the x86_64 kernel's struct sigaction: handler, flags, restorer, mask */
    uint64_t act[4] = { 0x401000, SA_SIGINFO | 0x04000000u, 0x402000, 1ull << (SIGUSR2 - 1) };
    memcpy(G(SCRATCH), act, sizeof(act));
    uint64_t a[7] = { SIGUSR1, SCRATCH, 0, 8 };
    assert_int_equal(sys_rt_sigaction(cpu, a), 0);
    uint64_t b[7] = { SIGUSR1, 0, SCRATCH + 64, 8 };
    assert_int_equal(sys_rt_sigaction(cpu, b), 0);
    assert_memory_equal(G(SCRATCH + 64), act, sizeof(act));
    uint64_t dfl[4] = { 0, 0, 0, 0 };
    memcpy(G(SCRATCH), dfl, sizeof(dfl));
    assert_int_equal(sys_rt_sigaction(cpu, a), 0);

    /* stack_t: sp, flags (int, padded), size */
    stack_t ss = { .ss_sp = (void *)(uintptr_t)(SCRATCH + 0x4000), .ss_flags = 0, .ss_size = 0x8000 };
    memcpy(G(SCRATCH + 128), &ss, sizeof(ss));
    uint64_t c[7] = { SCRATCH + 128, SCRATCH + 192 };
    assert_int_equal(sys_sigaltstack(cpu, c), 0);
    uint64_t d[7] = { 0, SCRATCH + 256 };
    assert_int_equal(sys_sigaltstack(cpu, d), 0);
    stack_t back;
    memcpy(&back, G(SCRATCH + 256), sizeof(back));
    assert_int_equal((uintptr_t)back.ss_sp, SCRATCH + 0x4000);
    assert_int_equal(back.ss_size, 0x8000);
    stack_t off = { .ss_flags = SS_DISABLE };
    memcpy(G(SCRATCH + 128), &off, sizeof(off));
    uint64_t e[7] = { SCRATCH + 128, 0 };
    assert_int_equal(sys_sigaltstack(cpu, e), 0);
}

static void test_siginfo_layout(void **state)
{
    GuestSiginfo gi = { .signo = SIGSEGV, .code = SEGV_MAPERR, .addr = 0x7f0012345678ull };
    uint8_t out[128];
    guest_siginfo_encode(&gi, out);
    siginfo_t si;
    memcpy(&si, out, sizeof(si));
    assert_int_equal(si.si_signo, SIGSEGV);
    assert_int_equal(si.si_code, SEGV_MAPERR);
    assert_int_equal((uintptr_t)si.si_addr, 0x7f0012345678ull);
    GuestSiginfo q = { .signo = SIGCHLD, .code = CLD_EXITED, .pid = 42, .uid = 7, .status = 3 };
    guest_siginfo_encode(&q, out);
    memcpy(&si, out, sizeof(si));
    assert_int_equal(si.si_pid, 42);
    assert_int_equal(si.si_uid, 7);
    assert_int_equal(si.si_status, 3);
    /* sigqueue/timer values are pointers on LP64 */
    GuestSiginfo t = { .signo = SIGUSR1, .code = SI_QUEUE, .pid = 9, .value = 0x7f0011223344ull };
    guest_siginfo_encode(&t, out);
    memcpy(&si, out, sizeof(si));
    assert_int_equal(si.si_pid, 9);
    assert_int_equal((uintptr_t)si.si_value.sival_ptr, 0x7f0011223344ull);
}

static void test_iovec_and_msghdr(void **state)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    memcpy(G(SCRATCH + 0x1000), "hello, ", 7);
    memcpy(G(SCRATCH + 0x2000), "world", 5);
    struct iovec iov[2] = { { (void *)(uintptr_t)(SCRATCH + 0x1000), 7 },
                            { (void *)(uintptr_t)(SCRATCH + 0x2000), 5 } };
    memcpy(G(SCRATCH), iov, sizeof(iov));
    uint64_t a[7] = { (uint64_t)p[1], SCRATCH, 2 };
    assert_int_equal(sys_writev(cpu, a), 12);
    char buf[16] = { 0 };
    assert_int_equal(read(p[0], buf, sizeof(buf)), 12);
    assert_string_equal(buf, "hello, world");

    /* sendmsg with SCM_RIGHTS, recvmsg: struct msghdr and cmsghdr as the
     * x86_64 kernel has them */
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } cm;
    memset(&cm, 0, sizeof(cm));
    cm.h.cmsg_len = CMSG_LEN(sizeof(int));
    cm.h.cmsg_level = SOL_SOCKET;
    cm.h.cmsg_type = SCM_RIGHTS;
    memcpy(CMSG_DATA(&cm.h), &p[0], sizeof(int));
    memcpy(G(SCRATCH + 0x3000), &cm, sizeof(cm));
    struct iovec one = { (void *)(uintptr_t)(SCRATCH + 0x1000), 7 };
    memcpy(G(SCRATCH + 0x3100), &one, sizeof(one));
    struct msghdr mh = { .msg_iov = (void *)(uintptr_t)(SCRATCH + 0x3100), .msg_iovlen = 1,
                         .msg_control = (void *)(uintptr_t)(SCRATCH + 0x3000),
                         .msg_controllen = sizeof(cm) };
    memcpy(G(SCRATCH + 0x3200), &mh, sizeof(mh));
    uint64_t b[7] = { (uint64_t)sv[0], SCRATCH + 0x3200, 0 };
    assert_int_equal(sys_sendmsg(cpu, b), 7);

    struct iovec rio = { (void *)(uintptr_t)(SCRATCH + 0x4000), 64 };
    memcpy(G(SCRATCH + 0x3300), &rio, sizeof(rio));
    memset(G(SCRATCH + 0x3400), 0, 64);
    struct msghdr rh = { .msg_iov = (void *)(uintptr_t)(SCRATCH + 0x3300), .msg_iovlen = 1,
                         .msg_control = (void *)(uintptr_t)(SCRATCH + 0x3400), .msg_controllen = 64 };
    memcpy(G(SCRATCH + 0x3500), &rh, sizeof(rh));
    uint64_t c[7] = { (uint64_t)sv[1], SCRATCH + 0x3500, 0 };
    assert_int_equal(sys_recvmsg(cpu, c), 7);
    memcpy(&rh, G(SCRATCH + 0x3500), sizeof(rh));
    assert_int_equal(rh.msg_controllen, CMSG_SPACE(sizeof(int)));
    struct cmsghdr got;
    memcpy(&got, G(SCRATCH + 0x3400), sizeof(got));
    assert_int_equal(got.cmsg_len, CMSG_LEN(sizeof(int)));
    assert_int_equal(got.cmsg_level, SOL_SOCKET);
    assert_int_equal(got.cmsg_type, SCM_RIGHTS);
    int fd;
    memcpy(&fd, (char *)G(SCRATCH + 0x3400) + CMSG_LEN(0), sizeof(int));
    struct stat s1, s2;
    fstat(fd, &s1);
    fstat(p[0], &s2);
    assert_int_equal(s1.st_ino, s2.st_ino);               /* the same pipe came across */
    close(fd);
    close(sv[0]);
    close(sv[1]);
    close(p[0]);
    close(p[1]);
}

static void test_epoll_packed(void **state)
{
    int ep = epoll_create1(0), p[2];
    assert_true(ep >= 0);
    assert_int_equal(pipe(p), 0);
    /* the guest's struct epoll_event is packed (x86_64's: 12 bytes), the
     * host's need not be (aarch64's is 16) */
    uint32_t events = EPOLLIN;
    uint64_t data = 0x1122334455667788ull;
    memcpy(G(SCRATCH), &events, 4);
    memcpy((char *)G(SCRATCH) + 4, &data, 8);
    uint64_t a[7] = { (uint64_t)ep, EPOLL_CTL_ADD, (uint64_t)p[0], SCRATCH };
    assert_int_equal(sys_epoll_ctl(cpu, a), 0);
    assert_int_equal(write(p[1], "x", 1), 1);
    uint64_t b[7] = { (uint64_t)ep, SCRATCH + 64, 4, 1000 };
    assert_int_equal(sys_epoll_wait(cpu, b), 1);
    memcpy(&events, G(SCRATCH + 64), 4);
    memcpy(&data, (char *)G(SCRATCH + 64) + 4, 8);
    assert_int_equal(events, EPOLLIN);
    assert_int_equal(data, 0x1122334455667788ull);
    close(p[0]);
    close(p[1]);
    close(ep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_builders, setup_lp64, teardown_lp64),
        cmocka_unit_test_setup_teardown(test_rlimit_and_time, setup_lp64, teardown_lp64),
        cmocka_unit_test_setup_teardown(test_rusage_sysinfo_tms, setup_lp64, teardown_lp64),
#if defined(__x86_64__)
        cmocka_unit_test_setup_teardown(test_stat_layout, setup_lp64, teardown_lp64),
#endif
        cmocka_unit_test_setup_teardown(test_sigaction_altstack, setup_lp64, teardown_lp64),
        cmocka_unit_test_setup_teardown(test_siginfo_layout, setup_lp64, teardown_lp64),
        cmocka_unit_test_setup_teardown(test_iovec_and_msghdr, setup_lp64, teardown_lp64),
        cmocka_unit_test_setup_teardown(test_epoll_packed, setup_lp64, teardown_lp64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
