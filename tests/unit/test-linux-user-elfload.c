/* Unit tests for linux-user's ELF loader and initial stack: images are
 * built in memory, loaded into a real guest address space, and inspected
 * through the page table and guest memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec.h"
#include "linux-user/elfload.h"
#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/stack.h"

/* The host calls that change mappings, counted: this program's own
 * definitions take the place of the C library's for vemu's code linked
 * into it.  Loading must cost what is mapped, not the pages it spans. */
static long host_map_calls;

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    host_map_calls++;
    return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

int mprotect(void *addr, size_t len, int prot)
{
    host_map_calls++;
    return (int)syscall(SYS_mprotect, addr, len, prot);
}

int munmap(void *addr, size_t len)
{
    host_map_calls++;
    return (int)syscall(SYS_munmap, addr, len);
}

/* A test image: ELF header, program headers, then segment bytes. */
typedef struct TestImage {
    uint8_t data[0x4000];
    size_t size;
    Elf32_Ehdr *eh;
    Elf32_Phdr *ph;
} TestImage;

static void image_init(TestImage *im, uint16_t type, uint32_t entry, unsigned phnum)
{
    memset(im, 0, sizeof(*im));
    im->eh = (Elf32_Ehdr *)im->data;
    memcpy(im->eh->e_ident, ELFMAG, SELFMAG);
    im->eh->e_ident[EI_CLASS] = ELFCLASS32;
    im->eh->e_ident[EI_DATA] = ELFDATA2LSB;
    im->eh->e_ident[EI_VERSION] = EV_CURRENT;
    im->eh->e_type = type;
    im->eh->e_machine = EM_ARM;
    im->eh->e_version = EV_CURRENT;
    im->eh->e_entry = entry;
    im->eh->e_phoff = sizeof(Elf32_Ehdr);
    im->eh->e_ehsize = sizeof(Elf32_Ehdr);
    im->eh->e_phentsize = sizeof(Elf32_Phdr);
    im->eh->e_phnum = (uint16_t)phnum;
    im->ph = (Elf32_Phdr *)(im->data + sizeof(Elf32_Ehdr));
    im->size = 0x3000;
}

/* Text: file 0..0x1000 at vaddr base (R-X); data: file 0x1000..0x1800 at
 * base+0x11000 (RW-) with memsz 0x2800 (bss through the next page). */
static void image_two_segments(TestImage *im, uint16_t type, uint32_t base)
{
    image_init(im, type, base + 0x100, 3);
    im->ph[0] = (Elf32_Phdr){ PT_LOAD, 0, base, base, 0x1000, 0x1000, PF_R | PF_X, 0x1000 };
    im->ph[1] = (Elf32_Phdr){ PT_LOAD, 0x1000, base + 0x11000, base + 0x11000, 0x800, 0x2800,
                              PF_R | PF_W, 0x1000 };
    im->ph[2] = (Elf32_Phdr){ PT_GNU_STACK, 0, 0, 0, 0, 0, PF_R | PF_W, 16 };
    memset(im->data + 0x200, 0xe1, 0x100);         /* "code" */
    memset(im->data + 0x1000, 0x5a, 0x800);        /* initialised data */
    memset(im->data + 0x1800, 0x77, 0x800);        /* file bytes past p_filesz: must not leak into bss */
}

static int setup(void **state)
{
    static bool done;
    if (!done) {
        assert_int_equal(guest_space_init(1ull << 32), 0);
        ExecConfig cfg = { .fe = linux_target.fe, .be = NULL, .host = &linux_host_ops,
                           .guest_page_bits = GUEST_PAGE_BITS };
        assert_int_equal(exec_init(&cfg), 0);
        guest_mmap_min = 0x10000;
        guest_mmap_top = 0xf0000000;
        done = true;
    }
    /* Each test starts from an empty address space. */
    guest_munmap(0x1000, guest_space_size - 0x1000);
    return 0;
}

static void test_static_exec_segments(void **state)
{
    TestImage im;
    image_two_segments(&im, ET_EXEC, 0x10000);
    LinuxImageInfo info = { 0 };
    char err[256] = "";
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)), 0);
    assert_int_equal(info.entry, 0x10100);
    assert_int_equal(info.start_pc, 0x10100);
    assert_int_equal(info.load_bias, 0);
    assert_int_equal(info.phdr_addr, 0x10000 + sizeof(Elf32_Ehdr));
    assert_int_equal(info.phnum, 3);
    assert_int_equal(info.brk, 0x24000);   /* page after the bss */
    assert_false(info.exec_stack);
    /* protections per page; the gap between the segments is not mapped */
    assert_int_equal(page_flags_at(0x10000), PAGE_VALID | PAGE_READ | PAGE_EXEC);
    assert_int_equal(page_flags_at(0x11000), 0);
    assert_int_equal(page_flags_at(0x21000), PAGE_VALID | PAGE_READ | PAGE_WRITE);
    assert_int_equal(page_flags_at(0x23000), PAGE_VALID | PAGE_READ | PAGE_WRITE);
    assert_int_equal(page_flags_at(0x24000), 0);
    /* contents, and bss zero including the tail of the last file page */
    assert_int_equal(*(uint8_t *)g2h(0x10200), 0xe1);
    assert_int_equal(*(uint8_t *)g2h(0x217ff), 0x5a);
    assert_int_equal(*(uint8_t *)g2h(0x21800), 0);
    assert_int_equal(*(uint8_t *)g2h(0x23fff), 0);
    assert_true(guest_range_ok(0x21000, 0x3000, PAGE_WRITE));
    assert_false(guest_range_ok(0x10000, 4, PAGE_WRITE));
}

static void test_static_pie_is_placed_at_a_base(void **state)
{
    TestImage im;
    image_two_segments(&im, ET_DYN, 0);
    LinuxImageInfo info = { 0 };
    char err[256] = "";
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)), 0);
    assert_int_equal(info.load_bias, linux_target.et_dyn_base);
    assert_int_equal(info.entry, linux_target.et_dyn_base + 0x100);
    assert_int_equal(page_flags_at(info.load_bias), PAGE_VALID | PAGE_READ | PAGE_EXEC);
    assert_int_equal(*(uint8_t *)g2h(info.load_bias + 0x11000), 0x5a);
    /* A second copy (an interpreter, say) goes elsewhere, top-down. */
    LinuxImageInfo info2 = info;
    assert_int_equal(elf_load_image((char *)im.data, im.size, 1, &info2, NULL, 0, err, sizeof(err)), 0);
    assert_true(info2.interp_base != info.load_bias);
    assert_true(info2.interp_base < guest_mmap_top);
    assert_int_equal(info2.start_pc, info2.interp_base + 0x100);
    assert_int_equal(info2.entry, info.entry);   /* the program's entry stays AT_ENTRY */
}

static void expect_error(TestImage *im, const char *needle)
{
    LinuxImageInfo info = { 0 };
    char err[256] = "";
    assert_int_equal(elf_load_image((char *)im->data, im->size, 0, &info, NULL, 0, err, sizeof(err)), -1);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not mention '%s'", err, needle);
    /* and nothing was left mapped */
    assert_true(guest_range_free(0x10000, 0x100000));
}

static void test_bad_images_are_rejected_cleanly(void **state)
{
    TestImage im;
    image_two_segments(&im, ET_EXEC, 0x10000);
    im.eh->e_machine = EM_386;
    expect_error(&im, "wrong machine");

    image_two_segments(&im, ET_EXEC, 0x10000);
    im.eh->e_ident[EI_CLASS] = ELFCLASS64;
    expect_error(&im, "class");


    image_two_segments(&im, ET_EXEC, 0x10000);
    im.ph[1].p_offset = 0x2f00;              /* past the end of the file */
    expect_error(&im, "outside the file");

    image_two_segments(&im, ET_EXEC, 0x10000);
    im.ph[1].p_vaddr = 0xfffff000;           /* wraps the 4 GiB space */
    expect_error(&im, "outside the guest address space");

    image_two_segments(&im, ET_EXEC, 0x10000);
    im.size = 60;                            /* truncated inside the program headers */
    expect_error(&im, "truncated");

    image_two_segments(&im, ET_EXEC, 0x10000);
    im.eh->e_type = ET_REL;
    expect_error(&im, "not an executable");

    image_two_segments(&im, ET_EXEC, 0x10000);
    im.ph[0].p_type = PT_NOTE;
    im.ph[1].p_type = PT_NOTE;
    expect_error(&im, "no loadable segments");

    memset(&im, 0, sizeof(im));
    memcpy(im.data, "#!/bin/sh\n", 10);
    im.size = 10;
    expect_error(&im, "not an ELF");
}

/* Segments 1 GiB apart, one with a 1 GiB bss: a handful of host calls,
 * and the same page protections as page-by-page loading would give. */
static void test_sparse_span_costs_few_host_calls(void **state)
{
    TestImage im;
    image_init(&im, ET_EXEC, 0x10100, 4);
    im.ph[0] = (Elf32_Phdr){ PT_LOAD, 0, 0x10000, 0x10000, 0x1000, 0x1000, PF_R | PF_X, 0x1000 };
    im.ph[1] = (Elf32_Phdr){ PT_LOAD, 0x1000, 0x40011000, 0x40011000, 0x800, 0x40000000,
                             PF_R | PF_W, 0x1000 };
    im.ph[2] = (Elf32_Phdr){ PT_LOAD, 0x2000, 0x90002000, 0x90002000, 0x100, 0x100, PF_R, 0x1000 };
    im.ph[3] = (Elf32_Phdr){ PT_GNU_STACK, 0, 0, 0, 0, 0, PF_R | PF_W, 16 };
    memset(im.data + 0x1000, 0x5a, 0x800);
    memset(im.data + 0x2000, 0x66, 0x100);
    LinuxImageInfo info = { 0 };
    char err[256] = "";
    host_map_calls = 0;
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)), 0);
    if (host_map_calls > 16)
        fail_msg("%ld host mmap/mprotect/munmap calls to load 3 segments", host_map_calls);
    assert_int_equal(page_flags_at(0x10000), PAGE_VALID | PAGE_READ | PAGE_EXEC);
    assert_int_equal(page_flags_at(0x11000), 0);
    assert_int_equal(page_flags_at(0x40010000), 0);
    assert_int_equal(page_flags_at(0x40011000), PAGE_VALID | PAGE_READ | PAGE_WRITE);
    assert_int_equal(page_flags_at(0x80010000), PAGE_VALID | PAGE_READ | PAGE_WRITE);
    assert_int_equal(page_flags_at(0x80011000), 0);
    assert_int_equal(page_flags_at(0x90001000), 0);
    assert_int_equal(page_flags_at(0x90002000), PAGE_VALID | PAGE_READ);
    assert_int_equal(page_flags_at(0x90003000), 0);
    assert_int_equal(*(uint8_t *)g2h(0x400117ff), 0x5a);
    assert_int_equal(*(uint8_t *)g2h(0x40011800), 0);
    assert_int_equal(*(uint8_t *)g2h(0x90002000), 0x66);
    assert_int_equal(info.brk, 0x90003000);
    /* The host protections follow: the gap is not accessible. */
    assert_true(guest_range_ok(0x80010000, 0x1000, PAGE_WRITE));
    assert_false(guest_range_ok(0x88000000, 1, 0));
}

/* A fuzzed header: hundreds of overlapping segments over gigabytes.  Each
 * page's protection is the union over the segments touching it (checked
 * page by page against a brute-force computation on a sample), and the
 * host calls stay in proportion to the segment count. */
static void test_many_overlapping_segments(void **state)
{
    enum { N = 300 };
    static TestImage im;
    image_init(&im, ET_EXEC, 0x10100, N);
    assert_true(sizeof(Elf32_Ehdr) + N * sizeof(Elf32_Phdr) <= im.size);
    uint32_t seed = 12345;
    for (unsigned i = 0; i < N; i++) {
        seed = seed * 1103515245 + 12345;
        uint32_t start = 0x100000 + (seed >> 4) % 0xc0000000u;
        seed = seed * 1103515245 + 12345;
        uint32_t len = (seed >> 8) % (i % 7 == 0 ? 0x20000000u : 0x40000u) + 1;
        uint32_t flags = (i % 3 == 0 ? PF_R : 0) | (i % 5 == 0 ? PF_W : 0) | (i % 4 == 0 ? PF_X : 0);
        im.ph[i] = (Elf32_Phdr){ PT_LOAD, 0, start, start, 0, len, flags, 0x1000 };
    }
    LinuxImageInfo info = { 0 };
    char err[256] = "";
    host_map_calls = 0;
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)), 0);
    if (host_map_calls > 4 * N + 16)
        fail_msg("%ld host calls for %d segments", host_map_calls, N);
    for (uint64_t a = 0x100000; a < 0xd0000000u; a += 0x1000 * 997) {
        unsigned want = 0;
        bool used = false;
        for (unsigned i = 0; i < N; i++) {
            uint64_t s = im.ph[i].p_vaddr & ~0xfffull;
            uint64_t e = (im.ph[i].p_vaddr + (uint64_t)im.ph[i].p_memsz + 0xfff) & ~0xfffull;
            if (a >= s && a < e) {
                used = true;
                want |= (im.ph[i].p_flags & PF_R ? PAGE_READ : 0) |
                        (im.ph[i].p_flags & PF_W ? PAGE_WRITE : 0) |
                        (im.ph[i].p_flags & PF_X ? PAGE_EXEC : 0);
            }
        }
        unsigned got = page_flags_at(a) & (PAGE_VALID | PAGE_READ | PAGE_WRITE | PAGE_EXEC);
        if (got != (used ? PAGE_VALID | want : 0))
            fail_msg("page 0x%llx: flags 0x%x, want 0x%x", (unsigned long long)a, got,
                     used ? PAGE_VALID | want : 0);
    }
}

/* Linux maps p_filesz bytes, then refuses a segment with more file than
 * memory, after the point of no return: even with p_memsz 0.  With both
 * sizes 0 the segment maps nothing. */
static void test_filesz_over_memsz(void **state)
{
    TestImage im;
    LinuxImageInfo info = { 0 };
    char err[256] = "";
    image_two_segments(&im, ET_EXEC, 0x10000);
    im.ph[2] = (Elf32_Phdr){ PT_LOAD, 0x2000, 0x50000, 0x50000, 0x20, 0, PF_R, 0x1000 };
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)),
                     ELF_LOAD_FATAL);
    assert_non_null(strstr(err, "p_filesz"));
    assert_true(guest_range_free(0x10000, 0x100000));

    image_two_segments(&im, ET_EXEC, 0x10000);
    im.ph[1].p_filesz = 0x3000;              /* past p_memsz 0x2800 */
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)),
                     ELF_LOAD_FATAL);
    assert_non_null(strstr(err, "p_filesz"));

    image_two_segments(&im, ET_EXEC, 0x10000);
    im.ph[2] = (Elf32_Phdr){ PT_LOAD, 0x2000, 0x50000, 0x50000, 0, 0, PF_R, 0x1000 };
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)), 0);
    assert_int_equal(page_flags_at(0x50000), 0);
    assert_int_equal(info.brk, 0x24000);
}

/* e_flags: ARM's old ABI (EABI version 0) loads like EABI, except the
 * 26-bit APCS, which the kernel refuses on every 32-bit cpu. */
static void test_old_abi_flags(void **state)
{
    TestImage im;
    LinuxImageInfo info = { 0 };
    char err[256] = "";
    image_two_segments(&im, ET_EXEC, 0x10000);
    im.eh->e_flags = 0x00000600;              /* OABI, soft float */
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)), 0);
    guest_munmap(0x1000, guest_space_size - 0x1000);
    image_two_segments(&im, ET_EXEC, 0x10000);
    im.eh->e_flags = 0x05000008;              /* EABI 5: bit 3 is no APCS-26 there */
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)), 0);
    guest_munmap(0x1000, guest_space_size - 0x1000);
    image_two_segments(&im, ET_EXEC, 0x10000);
    im.eh->e_flags = 0x00000008;              /* OABI, EF_ARM_APCS_26 */
    expect_error(&im, "26-bit");
}

static void test_interp_path_is_reported(void **state)
{
    TestImage im;
    image_two_segments(&im, ET_EXEC, 0x10000);
    im.ph[2] = (Elf32_Phdr){ PT_INTERP, 0x2000, 0, 0, 20, 20, PF_R, 1 };
    memcpy(im.data + 0x2000, "/lib/ld-linux.so.3", 19);
    LinuxImageInfo info = { 0 };
    char err[256] = "", interp[64];
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, interp, sizeof(interp), err,
                                    sizeof(err)), 0);
    assert_string_equal(interp, "/lib/ld-linux.so.3");
    assert_true(info.exec_stack);            /* no PT_GNU_STACK: executable stack */

    setup(NULL);
    im.data[0x2000 + 19] = 'x';              /* not NUL-terminated */
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, interp, sizeof(interp), err,
                                    sizeof(err)), -1);
    assert_non_null(strstr(err, "PT_INTERP"));
}

static uint32_t rd(uint64_t a) { return ldl_guest(a); }

static void test_initial_stack_layout(void **state)
{
    TestImage im;
    image_two_segments(&im, ET_EXEC, 0x10000);
    LinuxImageInfo info = { 0 };
    char err[256] = "";
    assert_int_equal(elf_load_image((char *)im.data, im.size, 0, &info, NULL, 0, err, sizeof(err)), 0);
    CPUCommon *cpu = exec_cpu_new();
    char *argv[] = { "prog", "one", "two words", NULL };
    char *envp[] = { "A=1", "B=two", NULL };
    assert_int_equal(setup_initial_stack(cpu, &info, 1 << 20, 3, argv, envp, "/x/prog", err,
                                         sizeof(err)), 0);
    uint64_t sp = info.sp;
    assert_int_equal(sp & 15, 0);
    assert_true(sp < linux_target.stack_top && sp > linux_target.stack_top - (1 << 20));
    assert_int_equal(rd(sp), 3);
    assert_string_equal((char *)g2h(rd(sp + 4)), "prog");
    assert_string_equal((char *)g2h(rd(sp + 12)), "two words");
    assert_int_equal(rd(sp + 16), 0);
    assert_string_equal((char *)g2h(rd(sp + 20)), "A=1");
    assert_string_equal((char *)g2h(rd(sp + 24)), "B=two");
    assert_int_equal(rd(sp + 28), 0);
    /* auxv */
    uint64_t a = sp + 32;
    uint32_t seen = 0, pagesz = 0, phdr = 0, entry = 0, random = 0, platform = 0, execfn = 0;
    for (; rd(a) != AT_NULL; a += 8) {
        uint32_t k = rd(a), v = rd(a + 4);
        assert_true(k < 32);
        seen |= 1u << k;
        if (k == AT_PAGESZ) pagesz = v;
        if (k == AT_PHDR) phdr = v;
        if (k == AT_ENTRY) entry = v;
        if (k == AT_RANDOM) random = v;
        if (k == AT_PLATFORM) platform = v;
        if (k == AT_EXECFN) execfn = v;
    }
    assert_int_equal(pagesz, 4096);
    assert_int_equal(phdr, info.phdr_addr);
    assert_int_equal(entry, 0x10100);
    assert_true(random && guest_range_ok(random, 16, PAGE_READ));
    assert_string_equal((char *)g2h(platform), linux_target.platform(cpu));
    assert_string_equal((char *)g2h(execfn), "/x/prog");
    const int want[] = { AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY,
                         AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_HWCAP, AT_HWCAP2,
                         AT_CLKTCK };
    for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!(seen & (1u << want[i])))
            fail_msg("auxv entry %d missing", want[i]);
    /* the stack is mapped read-write, not executable (PT_GNU_STACK RW) */
    assert_int_equal(page_flags_at(sp), PAGE_VALID | PAGE_READ | PAGE_WRITE);

    /* and registers */
    linux_target.init_thread(cpu, &info);
    assert_int_equal(linux_target.get_pc(cpu), 0x10100);
    exec_cpu_free(cpu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_static_exec_segments, setup),
        cmocka_unit_test_setup(test_static_pie_is_placed_at_a_base, setup),
        cmocka_unit_test_setup(test_bad_images_are_rejected_cleanly, setup),
        cmocka_unit_test_setup(test_sparse_span_costs_few_host_calls, setup),
        cmocka_unit_test_setup(test_many_overlapping_segments, setup),
        cmocka_unit_test_setup(test_filesz_over_memsz, setup),
        cmocka_unit_test_setup(test_old_abi_flags, setup),
        cmocka_unit_test_setup(test_interp_path_is_reported, setup),
        cmocka_unit_test_setup(test_initial_stack_layout, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
