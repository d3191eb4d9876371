/* Unit tests for the syscalls added for real programs: the ARM EABI
 * epoll_event layout, select's 32-bit fd_set words, sendmsg/recvmsg control
 * message conversion (SCM_RIGHTS), the safe_syscall window and its pc
 * rewind, guest signal masks with signals 32 and 33, and the generated
 * /proc files (maps, cpuinfo). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "exec/exec.h"
#include "frontend-arm/arm-cpu.h"
#include "host/host-safe-syscall.h"
#include "host/host-signal.h"
#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/procfs.h"
#include "linux-user/syscall.h"

#define SCRATCH 0x200000u

#include "tests/unit/linux-user-test-rig.h"

static void test_epoll_event_arm_layout(void **state)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    int64_t ep = sys_epoll_create1(cpu, (uint64_t[]){ 0 });
    assert_true(ep >= 0);
    /* ARM EABI: events at 0, 4 bytes of padding, data (8-aligned) at 8. */
    uint8_t ev[16];
    memset(ev, 0xee, sizeof(ev));
    uint32_t events = 1;            /* EPOLLIN */
    uint64_t data = 0x0123456789abcdefull;
    memcpy(ev, &events, 4);
    memcpy(ev + 8, &data, 8);
    memcpy(g2h(SCRATCH), ev, 16);
    uint64_t ctl[4] = { (uint64_t)ep, 1 /* EPOLL_CTL_ADD */, (uint64_t)p[0], SCRATCH };
    assert_int_equal(sys_epoll_ctl(cpu, ctl), 0);
    assert_int_equal(write(p[1], "x", 1), 1);
    memset(g2h(SCRATCH + 0x100), 0x55, 64);
    uint64_t wait[4] = { (uint64_t)ep, SCRATCH + 0x100, 4, 1000 };
    assert_int_equal(sys_epoll_wait(cpu, wait), 1);
    uint8_t *out = g2h(SCRATCH + 0x100);
    uint32_t got_events;
    uint64_t got_data;
    memcpy(&got_events, out, 4);
    memcpy(&got_data, out + 8, 8);
    assert_int_equal(got_events, 1);
    assert_true(got_data == data);
    /* the second slot was not written: one event, 16 bytes */
    assert_int_equal(out[16], 0x55);
    close(p[0]);
    close(p[1]);
    close((int)ep);
}

static void test_select_fd_set_32bit_words(void **state)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    int hi = dup2(p[0], 40);
    assert_int_equal(hi, 40);
    assert_int_equal(write(p[1], "x", 1), 1);
    /* A 41-bit set is two 32-bit guest words; bit 40 is bit 8 of word 1.
     * The word after them must not be touched (the host uses 64-bit words). */
    uint32_t set[3] = { 0, 1u << 8, 0xdeadbeef };
    memcpy(g2h(SCRATCH), set, sizeof(set));
    int32_t tv[2] = { 1, 0 };
    memcpy(g2h(SCRATCH + 0x40), tv, 8);
    uint64_t a[5] = { 41, SCRATCH, 0, 0, SCRATCH + 0x40 };
    assert_int_equal(sys__newselect(cpu, a), 1);
    memcpy(set, g2h(SCRATCH), sizeof(set));
    assert_int_equal(set[0], 0);
    assert_int_equal(set[1], 1u << 8);
    assert_int_equal(set[2], 0xdeadbeef);
    close(hi);
    close(p[0]);
    close(p[1]);
}

static void test_scm_rights_through_guest_msghdr(void **state)
{
    int sv[2], p[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(pipe(p), 0);
    /* Guest: msghdr (28 bytes) at +0, iovec at +0x40, data at +0x80,
     * control (12-byte cmsghdr + one int) at +0xc0. */
    uint32_t msg[7] = { 0, 0, SCRATCH + 0x40, 1, SCRATCH + 0xc0, 16, 0 };
    uint32_t iov[2] = { SCRATCH + 0x80, 1 };
    uint32_t cmsg[4] = { 16, SOL_SOCKET, SCM_RIGHTS, (uint32_t)p[1] };
    memcpy(g2h(SCRATCH), msg, sizeof(msg));
    memcpy(g2h(SCRATCH + 0x40), iov, sizeof(iov));
    memcpy(g2h(SCRATCH + 0x80), "m", 1);
    memcpy(g2h(SCRATCH + 0xc0), cmsg, sizeof(cmsg));
    assert_int_equal(sys_sendmsg(cpu, (uint64_t[]){ (uint64_t)sv[0], SCRATCH, 0 }), 1);
    close(p[1]);
    /* Receive into a guest msghdr with a 32-byte control buffer. */
    uint32_t rmsg[7] = { 0, 0, SCRATCH + 0x240, 1, SCRATCH + 0x2c0, 32, 0 };
    uint32_t riov[2] = { SCRATCH + 0x280, 4 };
    memcpy(g2h(SCRATCH + 0x200), rmsg, sizeof(rmsg));
    memcpy(g2h(SCRATCH + 0x240), riov, sizeof(riov));
    assert_int_equal(sys_recvmsg(cpu, (uint64_t[]){ (uint64_t)sv[1], SCRATCH + 0x200, 0 }), 1);
    uint32_t back[7], rc[4];
    memcpy(back, g2h(SCRATCH + 0x200), sizeof(back));
    memcpy(rc, g2h(SCRATCH + 0x2c0), sizeof(rc));
    assert_int_equal(back[5], 16);                 /* msg_controllen: one 32-bit cmsg */
    assert_int_equal(back[6], 0);                  /* no MSG_CTRUNC */
    assert_int_equal(rc[0], 16);                   /* cmsg_len = 12 + 4 */
    assert_int_equal(rc[1], SOL_SOCKET);
    assert_int_equal(rc[2], SCM_RIGHTS);
    /* the received descriptor is the pipe's write end */
    assert_int_equal(write((int)rc[3], "z", 1), 1);
    char c;
    assert_int_equal(read(p[0], &c, 1), 1);
    assert_int_equal(c, 'z');
    close((int)rc[3]);
    close(p[0]);
    close(sv[0]);
    close(sv[1]);
}

static void test_safe_syscall_window(void **state)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "ab", 2), 2);
    char buf[4];
    volatile sig_atomic_t *flag = signal_pending_flag();
    *flag = 0;
    assert_int_equal(safe_syscall(SYS_read, (long)p[0], (long)buf, 1L), 1);
    /* A signal already recorded: -EINTR without reading (it would not block
     * here, so reading would show the check was skipped). */
    *flag = 1;
    assert_int_equal(safe_syscall(SYS_read, (long)p[0], (long)buf, 1L), -EINTR);
    *flag = 0;
    assert_int_equal(safe_syscall(SYS_read, (long)p[0], (long)buf, 1L), 1);
    assert_int_equal(buf[0], 'b');
    /* Errors come back as -errno. */
    assert_int_equal(safe_syscall(SYS_read, -1L, (long)buf, 1L), -EBADF);
#if HOST_SAFE_SYSCALL
    /* The handler's rewind: inside [start, end) moves to the -EINTR exit;
     * at the end (the syscall ran) nothing changes. */
    ucontext_t uc;
    memset(&uc, 0, sizeof(uc));
    host_signal_set_pc(&uc, (uintptr_t)host_safe_syscall_start);
    safe_syscall_check_pc(&uc);
    assert_true(host_signal_pc(&uc) == (uintptr_t)host_safe_syscall_interrupted);
    host_signal_set_pc(&uc, (uintptr_t)host_safe_syscall_end - 1);
    safe_syscall_check_pc(&uc);
    assert_true(host_signal_pc(&uc) == (uintptr_t)host_safe_syscall_interrupted);
    host_signal_set_pc(&uc, (uintptr_t)host_safe_syscall_end);
    safe_syscall_check_pc(&uc);
    assert_true(host_signal_pc(&uc) == (uintptr_t)host_safe_syscall_end);
    host_signal_set_pc(&uc, (uintptr_t)&test_safe_syscall_window);
    safe_syscall_check_pc(&uc);
    assert_true(host_signal_pc(&uc) == (uintptr_t)&test_safe_syscall_window);
#endif
    close(p[0]);
    close(p[1]);
}

static void test_guest_masks_include_libc_signals(void **state)
{
    /* Guest signals 32 and 33 (the guest C library's cancel and setxid)
     * are real host signals too; SIGKILL/SIGSTOP and the fault signals
     * stay out of host masks. */
    sigset_t h;
    guest_mask_to_host(sigbit(32) | sigbit(33) | sigbit(64) | sigbit(SIGUSR1) | sigbit(SIGSEGV), &h);
    uint64_t m;
    memcpy(&m, &h, 8);
    assert_true(m & (1ull << 31));
    assert_true(m & (1ull << 32));
    assert_true(m & (1ull << 63));
    assert_true(m & (1ull << (SIGUSR1 - 1)));
    assert_false(m & (1ull << (SIGSEGV - 1)));
    for (int s = 1; s <= 64; s++)
        assert_int_equal(host_sig_to_guest(guest_sig_to_host(s)), s);
}

static void test_proc_maps_guest_view(void **state)
{
    /* Two guest mappings with different protections, and a named image. */
    assert_int_equal(guest_mmap(0x30000000, 0x3000, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), 0x30000000);
    assert_int_equal(guest_mprotect(0x30001000, 0x1000, PROT_READ), 0);
    procfs_note_image(0x40000000, 0x40002000, "/nonexistent/prog", 0x1000);
    assert_int_equal(guest_mmap(0x40000000, 0x2000, PROT_READ | PROT_EXEC,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), 0x40000000);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(procfs_write_maps(f), 0);
    fclose(f);
    assert_non_null(strstr(text, "30000000-30001000 rw-p 00000000 00:00 0"));
    assert_non_null(strstr(text, "30001000-30002000 r--p "));
    assert_non_null(strstr(text, "30002000-30003000 rw-p "));
    const char *img = strstr(text, "40000000-40002000 r-xp 00001000 ");
    assert_non_null(img);
    /* the name starts at column 49, like a 32-bit kernel's */
    const char *nl = strchr(img, '\n');
    const char *name = strstr(img, "/nonexistent/prog");
    assert_true(name && name < nl);
    assert_int_equal(name - img, 49);
    free(text);
}

static void test_cpuinfo_matches_hwcap(void **state)
{
    assert_int_equal(linux_target.set_cpu_model(cpu, "cortex-a7"), 0);
    thread_cpu = cpu;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(procfs_write_cpuinfo(f), 0);
    fclose(f);
    assert_non_null(strstr(text, "model name\t: ARMv7 Processor rev 5 (v7l)"));
    assert_non_null(strstr(text, "CPU part\t: 0xc07"));
    assert_non_null(strstr(text, "CPU architecture: 7"));
    uint32_t hw = linux_target.hwcap(cpu);
    assert_true(hw & (1u << 17));                      /* idiva on cortex-a7 */
    assert_non_null(strstr(text, " idiva "));
    assert_int_equal(linux_target.set_cpu_model(cpu, "arm926"), 0);
    free(text);
    text = NULL;
    f = open_memstream(&text, &len);
    assert_int_equal(procfs_write_cpuinfo(f), 0);
    fclose(f);
    assert_non_null(strstr(text, "ARM926EJ-S rev 5 (v5l)"));
    assert_non_null(strstr(text, "CPU architecture: 5TEJ"));
    assert_null(strstr(text, " idiva "));
    free(text);
    thread_cpu = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_epoll_event_arm_layout, setup),
        cmocka_unit_test_setup(test_select_fd_set_32bit_words, setup),
        cmocka_unit_test_setup(test_scm_rights_through_guest_msghdr, setup),
        cmocka_unit_test_setup(test_safe_syscall_window, setup),
        cmocka_unit_test_setup(test_guest_masks_include_libc_signals, setup),
        cmocka_unit_test_setup(test_proc_maps_guest_view, setup),
        cmocka_unit_test_setup(test_cpuinfo_matches_hwcap, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
