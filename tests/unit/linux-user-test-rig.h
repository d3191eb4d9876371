/*
 * linux-user-test-rig.h — what the linux-user unit tests share: the 4 GiB
 * guest space, exec in interpreter mode for the ARM target, one cpu, and a
 * fresh read/write scratch mapping at SCRATCH before each test.  Define
 * SCRATCH, then include after <cmocka.h> and the linux-user headers.
 */
#ifndef VEMU_LINUX_USER_TEST_RIG_H
#define VEMU_LINUX_USER_TEST_RIG_H

static CPUCommon *cpu;

static int setup(void **state)
{
    (void)state;
    static bool done;
    if (!done) {
        assert_int_equal(guest_space_init(1ull << 32), 0);
        ExecConfig cfg = { .fe = linux_target.fe, .be = NULL, .host = &linux_host_ops,
                           .guest_page_bits = GUEST_PAGE_BITS };
        assert_int_equal(exec_init(&cfg), 0);
        guest_mmap_min = 0x10000;
        guest_mmap_top = 0xf0000000u;
        cpu = exec_cpu_new();
        cpu->guest_base = guest_base;
        done = true;
    }
    guest_munmap(0x1000, guest_space_size - 0x1000);
    assert_int_equal(guest_mmap(SCRATCH, 0x10000, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), SCRATCH);
    return 0;
}

#endif
