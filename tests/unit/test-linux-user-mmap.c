/* Unit tests for linux-user's guest address space: mmap emulation, brk,
 * the page table, and the write protection of pages holding translated
 * code (a host store into one is caught, the page unprotected, the store
 * retried). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec/exec.h"
#include "linux-user/guest-mem.h"
#include "linux-user/process.h"

#define TOP 0xf0000000u

static int setup(void **state)
{
    static bool done;
    if (!done) {
        assert_int_equal(guest_space_init(1ull << 32), 0);
        ExecConfig cfg = { .fe = linux_target.fe, .be = NULL, .host = &linux_host_ops,
                           .guest_page_bits = GUEST_PAGE_BITS };
        assert_int_equal(exec_init(&cfg), 0);
        guest_mmap_min = 0x10000;
        guest_mmap_top = TOP;
        done = true;
    }
    guest_munmap(0x1000, guest_space_size - 0x1000);
    return 0;
}

static const int RW = PROT_READ | PROT_WRITE;
static const int ANON = MAP_PRIVATE | MAP_ANONYMOUS;

static void test_mmap_is_top_down_and_reuses_holes(void **state)
{
    int64_t a = guest_mmap(0, 0x3000, RW, ANON, -1, 0);
    assert_int_equal(a, TOP - 0x3000);
    int64_t b = guest_mmap(0, 100, PROT_READ, ANON, -1, 0);
    assert_int_equal(b, TOP - 0x4000);
    assert_int_equal(page_flags_at(b), PAGE_VALID | PAGE_READ);
    assert_int_equal(page_flags_at(a + 0x2000), PAGE_VALID | PAGE_READ | PAGE_WRITE);
    /* guest memory is host memory at guest_base + address */
    memset(g2h(a), 0xab, 0x3000);
    assert_int_equal(*(uint8_t *)((uintptr_t)guest_base + a + 0x2fff), 0xab);
    /* a hole in the middle is found again by a fitting request */
    assert_int_equal(guest_munmap(a + 0x1000, 0x1000), 0);
    assert_int_equal(page_flags_at(a + 0x1000), 0);
    int64_t c = guest_mmap(0, 0x1000, RW, ANON, -1, 0);
    assert_int_equal(c, a + 0x1000);
    /* fresh anonymous memory is zero */
    assert_int_equal(*(uint8_t *)g2h(c), 0);
    /* a larger request skips it */
    int64_t d = guest_mmap(0, 0x2000, RW, ANON, -1, 0);
    assert_int_equal(d, TOP - 0x6000);
}

static void test_mmap_fixed_hint_and_errors(void **state)
{
    assert_int_equal(guest_mmap(0x200000, 0x1000, RW, ANON | MAP_FIXED, -1, 0), 0x200000);
    /* a free hint is honoured */
    assert_int_equal(guest_mmap(0x300000, 0x1000, RW, ANON, -1, 0), 0x300000);
    /* a taken hint is not; MAP_FIXED_NOREPLACE refuses */
    assert_int_not_equal(guest_mmap(0x300000, 0x1000, RW, ANON, -1, 0), 0x300000);
    assert_int_equal(guest_mmap(0x300000, 0x1000, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);
    /* MAP_FIXED replaces, with new contents */
    *(uint32_t *)g2h(0x200000) = 0x12345678;
    assert_int_equal(guest_mmap(0x200000, 0x1000, PROT_READ, ANON | MAP_FIXED, -1, 0), 0x200000);
    assert_int_equal(*(uint32_t *)g2h(0x200000), 0);
    assert_int_equal(page_flags_at(0x200000), PAGE_VALID | PAGE_READ);
    assert_int_equal(guest_mmap(0x200001, 0x1000, RW, ANON | MAP_FIXED, -1, 0), -EINVAL);
    assert_int_equal(guest_mmap(0, 0, RW, ANON, -1, 0), -EINVAL);
    assert_int_equal(guest_mmap(0xfffff000, 0x2000, RW, ANON | MAP_FIXED, -1, 0), -ENOMEM);
    assert_int_equal(guest_mmap(0, 0x1000, RW, MAP_ANONYMOUS, -1, 0), -EINVAL);
    assert_int_equal(guest_mmap(0, 0x1000, RW, MAP_PRIVATE, 12345, 0), -EBADF);
}

static void test_file_mapping_and_mprotect(void **state)
{
    char path[] = "/tmp/vemu-mmap-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    char buf[8192];
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (char)(i * 7);
    assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
    int64_t a = guest_mmap(0, 0x1000, PROT_READ, MAP_PRIVATE, fd, 0x1000);
    assert_true(a > 0);
    assert_memory_equal(g2h(a), buf + 0x1000, 0x1000);
    close(fd);
    assert_false(guest_range_ok(a, 1, PAGE_WRITE));
    assert_int_equal(guest_mprotect(a, 0x1000, RW), 0);
    assert_true(guest_range_ok(a, 0x1000, PAGE_WRITE));
    ((char *)g2h(a))[5] = 'x';    /* the host page is writable now: no fault */
    assert_int_equal(guest_mprotect(a + 0x1000, 0x1000, RW), -ENOMEM);
    assert_int_equal(guest_mprotect(a + 1, 0x1000, RW), -EINVAL);
}

static void test_mremap_grows_in_place_or_moves(void **state)
{
    int64_t a = guest_mmap(0x400000, 0x2000, RW, ANON | MAP_FIXED, -1, 0);
    memset(g2h(a), 0x11, 0x2000);
    assert_int_equal(guest_mremap(a, 0x2000, 0x4000, 0, 0), a);        /* room after it */
    assert_int_equal(*(uint8_t *)g2h(a + 0x1fff), 0x11);
    assert_int_equal(page_flags_at(a + 0x3000), PAGE_VALID | PAGE_READ | PAGE_WRITE);
    guest_mmap(a + 0x4000, 0x1000, PROT_READ, ANON | MAP_FIXED, -1, 0);   /* block it */
    assert_int_equal(guest_mremap(a, 0x4000, 0x8000, 0, 0), -ENOMEM);
    int64_t b = guest_mremap(a, 0x4000, 0x8000, MREMAP_MAYMOVE, 0);
    assert_true(b > 0 && b != a);
    assert_int_equal(*(uint8_t *)g2h(b + 0x1fff), 0x11);           /* contents moved */
    assert_int_equal(page_flags_at(a), 0);                          /* old range free */
    assert_int_equal(page_flags_at(b + 0x7000), PAGE_VALID | PAGE_READ | PAGE_WRITE);
    /* the old range is reserved again (PROT_NONE), not a hole in our space */
    assert_int_equal(guest_mmap(a, 0x1000, RW, ANON | MAP_FIXED, -1, 0), a);
    /* shrink */
    assert_int_equal(guest_mremap(b, 0x8000, 0x1000, 0, 0), b);
    assert_int_equal(page_flags_at(b + 0x1000), 0);
}

static void test_brk(void **state)
{
    guest_brk_init(0x80000);
    assert_int_equal(guest_brk(0), 0x80000);
    assert_int_equal(guest_brk(0x80010), 0x80010);
    assert_true(guest_range_ok(0x80000, 0x10, PAGE_WRITE));
    assert_int_equal(guest_brk(0x85000), 0x85000);
    assert_true(guest_range_ok(0x80000, 0x5000, PAGE_WRITE));
    *(uint8_t *)g2h(0x84fff) = 1;
    assert_int_equal(guest_brk(0x81000), 0x81000);      /* shrink */
    assert_int_equal(page_flags_at(0x82000), 0);
    /* growing into a mapping fails and keeps the old break */
    guest_mmap(0x90000, 0x1000, RW, ANON | MAP_FIXED, -1, 0);
    assert_int_equal(guest_brk(0x95000), 0x81000);
    assert_int_equal(guest_brk(0x1000), 0x81000);       /* below the start */
}

static void test_code_page_protection_catches_stores(void **state)
{
    int64_t a = guest_mmap(0x500000, 0x2000, RW | PROT_EXEC, ANON | MAP_FIXED, -1, 0);
    assert_int_equal(a, 0x500000);
    /* cmocka installs its own SIGSEGV handler around each test: ours goes on top. */
    assert_int_equal(fault_handlers_init(), 0);
    uint32_t insn;
    assert_true(linux_host_ops.code_fetch(NULL, a, &insn, 4));
    linux_host_ops.code_page_added(a);
    assert_true(page_flags_at(a) & PAGE_CODE_PROTECTED);
    /* A plain host store (what generated code does) faults, the handler
     * drops the protection, and the store completes. */
    *(volatile uint32_t *)g2h(a + 8) = 0xdeadbeef;
    assert_int_equal(*(uint32_t *)g2h(a + 8), 0xdeadbeef);
    assert_false(page_flags_at(a) & PAGE_CODE_PROTECTED);
    /* Kernel writes (read(2) into the page) are prepared instead. */
    linux_host_ops.code_page_added(a);
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "abcd", 4), 4);
    void *dst = guest_ptr(a + 16, 4, PAGE_WRITE);
    assert_non_null(dst);
    assert_false(page_flags_at(a) & PAGE_CODE_PROTECTED);
    assert_int_equal(read(p[0], dst, 4), 4);
    assert_memory_equal(g2h(a + 16), "abcd", 4);
    close(p[0]);
    close(p[1]);
    /* A read-only page is never protected (it cannot be written anyway). */
    guest_mprotect(a + 0x1000, 0x1000, PROT_READ | PROT_EXEC);
    linux_host_ops.code_page_added(a + 0x1000);
    assert_false(page_flags_at(a + 0x1000) & PAGE_CODE_PROTECTED);
    /* code_fetch wants PROT_EXEC */
    guest_mmap(0x600000, 0x1000, RW, ANON | MAP_FIXED, -1, 0);
    assert_false(linux_host_ops.code_fetch(NULL, 0x600000, &insn, 4));
    assert_false(linux_host_ops.code_fetch(NULL, 0x700000, &insn, 4));
}

static void test_checked_copies(void **state)
{
    guest_mmap(0x800000, 0x1000, RW, ANON | MAP_FIXED, -1, 0);
    guest_mmap(0x801000, 0x1000, PROT_READ, ANON | MAP_FIXED, -1, 0);
    assert_int_equal(copy_to_guest(0x800ffc, "abcd", 4), 0);
    assert_int_equal(copy_to_guest(0x800ffe, "abcd", 4), -EFAULT);   /* crosses into read-only */
    char out[8];
    assert_int_equal(copy_from_guest(out, 0x800ffc, 8), 0);
    assert_int_equal(copy_from_guest(out, 0x801ffc, 8), -EFAULT);   /* into unmapped */
    assert_int_equal(copy_from_guest(out, 0xfffffffc, 8), -EFAULT); /* past 4 GiB */
    strcpy(g2h(0x800ff0), "/etc/passwd");
    assert_string_equal(guest_string(0x800ff0, 4096), "/etc/passwd");
    assert_null(guest_string(0x800ff0, 5));                           /* too long */
    guest_mmap(0x900000, 0x1000, RW, ANON | MAP_FIXED, -1, 0);
    memset(g2h(0x900000), 'x', 0x1000);
    assert_null(guest_string(0x900f00, 1 << 20));                     /* runs into unmapped */
    assert_null(guest_string(0x7ffff0, 4096));                        /* unmapped */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_mmap_is_top_down_and_reuses_holes, setup),
        cmocka_unit_test_setup(test_mmap_fixed_hint_and_errors, setup),
        cmocka_unit_test_setup(test_file_mapping_and_mprotect, setup),
        cmocka_unit_test_setup(test_mremap_grows_in_place_or_moves, setup),
        cmocka_unit_test_setup(test_brk, setup),
        cmocka_unit_test_setup(test_code_page_protection_catches_stores, setup),
        cmocka_unit_test_setup(test_checked_copies, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
