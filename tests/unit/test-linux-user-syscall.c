/* Unit tests for linux-user's system call layer and ARM glue: the ARM
 * syscall table, dispatch through an ARM cpu, guest struct layouts, open
 * flag translation, directory offset cookies, and the kuser helper page
 * (disassembled with capstone). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <capstone/capstone.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/exec.h"
#include "host/host-abi.h"
#include "frontend-arm/arm-cpu.h"
#include "linux-user/arm/target-arm.h"
#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

#define SCRATCH 0x100000u

#include "tests/unit/linux-user-test-rig.h"

static void test_arm_syscall_table(void **state)
{
    const LinuxTarget *t = &linux_target;
    assert_ptr_equal(t->abis[0], t->abi);
    for (unsigned k = 0; k < t->n_abis; k++) {
        const LinuxAbi *abi = t->abis[k];
        assert_true(abi->n_syscalls > 350);
        for (unsigned i = 1; i < abi->n_syscalls; i++)
            assert_true(abi->syscalls[i - 1].nr < abi->syscalls[i].nr);   /* sorted, unique */
    }
    struct { uint32_t nr; const char *name; bool impl; } want[] = {
        { 1, "exit", true }, { 3, "read", true }, { 4, "write", true }, { 45, "brk", true },
        { 122, "uname", true }, { 192, "mmap2", true }, { 195, "stat64", true },
        { 217, "getdents64", true }, { 248, "exit_group", true }, { 263, "clock_gettime", true },
        { 327, "fstatat64", true }, { 397, "statx", true }, { 403, "clock_gettime64", true },
        { 0xf0002, "cacheflush", true }, { 0xf0005, "set_tls", true }, { 2, "fork", true },
        { 87, "swapon", false },
    };
    for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const LinuxSyscallDef *d = linux_syscall_find(t->abi, want[i].nr);
        assert_non_null(d);
        assert_string_equal(d->name, want[i].name);
        assert_int_equal(d->fn != NULL, want[i].impl);
    }
    assert_null(linux_syscall_find(t->abi, 13));        /* time: OABI only */
    assert_null(linux_syscall_find(t->abi, 100000));
    /* the old ABI: the same numbers, plus the calls EABI dropped */
    struct { uint32_t nr; const char *name; } old[] = {
        { 4, "write" }, { 13, "time" }, { 76, "getrlimit" }, { 82, "select" }, { 90, "mmap" },
        { 102, "socketcall" }, { 113, "syscall" }, { 117, "ipc" }, { 195, "stat64" },
        { 0xf0005, "set_tls" },
    };
    for (unsigned i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
        const LinuxSyscallDef *d = linux_syscall_find(&arm_oabi, old[i].nr);
        assert_non_null(d);
        assert_string_equal(d->name, old[i].name);
        assert_non_null(d->fn);
    }
}

static ARMCPU *arm(void) { return (ARMCPU *)cpu; }

/* An EABI call: svc 0 (at SCRATCH + 0xf000), the number in r7. */
static uint32_t do_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    stl_guest(SCRATCH + 0xf000, 0xef000000);
    arm()->thumb = 0;
    arm()->regs[15] = SCRATCH + 0xf004;
    arm()->regs[7] = nr;
    arm()->regs[0] = a0;
    arm()->regs[1] = a1;
    arm()->regs[2] = a2;
    arm()->regs[3] = a3;
    linux_do_syscall(cpu);
    return arm()->regs[0];
}

/* An old-ABI call: the number in the svc instruction (at SCRATCH + 0xf000),
 * r7 ignored. */
static uint32_t do_oabi_syscall(uint32_t svc_imm, uint32_t a0, uint32_t a1, uint32_t a2,
                                uint32_t a3, uint32_t a4)
{
    stl_guest(SCRATCH + 0xf000, 0xef000000 | svc_imm);
    arm()->thumb = 0;
    arm()->regs[15] = SCRATCH + 0xf004;
    arm()->regs[7] = 20;   /* getpid, were r7 read */
    arm()->regs[0] = a0;
    arm()->regs[1] = a1;
    arm()->regs[2] = a2;
    arm()->regs[3] = a3;
    arm()->regs[4] = a4;
    linux_do_syscall(cpu);
    return arm()->regs[0];
}

static void test_oabi_number_from_the_svc_immediate(void **state)
{
    const LinuxAbi *abi = NULL;
    /* svc 0 in ARM state and any svc in Thumb state: EABI, r7 */
    stl_guest(SCRATCH + 0xf000, 0xef000000);
    arm()->thumb = 0;
    arm()->regs[15] = SCRATCH + 0xf004;
    arm()->regs[7] = 195;
    assert_int_equal(linux_target.syscall_nr(cpu, &abi), 195);
    assert_ptr_equal(abi, &arm_eabi);
    stl_guest(SCRATCH + 0xf000, 0xef900004);
    arm()->thumb = 1;
    assert_int_equal(linux_target.syscall_nr(cpu, &abi), 195);
    assert_ptr_equal(abi, &arm_eabi);
    /* svc 0x900000+n: n of the old table, svc 0x9f0000+n: private call n */
    arm()->thumb = 0;
    assert_int_equal(linux_target.syscall_nr(cpu, &abi), 4);
    assert_ptr_equal(abi, &arm_oabi);
    stl_guest(SCRATCH + 0xf000, 0x0f9f0005);   /* svceq, any condition */
    assert_int_equal(linux_target.syscall_nr(cpu, &abi), 0xf0005);
    assert_ptr_equal(abi, &arm_oabi);

    /* dispatch: the number in the instruction, r7 ignored */
    assert_int_equal(do_oabi_syscall(0x900000 + 224, 0, 0, 0, 0, 0), gettid());
    assert_int_equal(do_oabi_syscall(0x9f0005, 0x8765, 0, 0, 0, 0), 0);     /* set_tls */
    assert_int_equal(arm()->tpidruro, 0x8765);
    assert_int_equal((int32_t)do_oabi_syscall(0x9f0123, 0, 0, 0, 0, 0), -ENOSYS);
    /* the indirect syscall(): getpid through 113, as n or 0x900000+n */
    assert_int_equal(do_oabi_syscall(0x900000 + 113, 20, 0, 0, 0, 0), getpid());
    assert_int_equal(do_oabi_syscall(0x900000 + 113, 0x900000 + 20, 0, 0, 0, 0), getpid());
    assert_int_equal((int32_t)do_oabi_syscall(0x900000 + 113, 113, 0, 0, 0, 0), -ENOSYS);

    /* 64-bit arguments in the next two registers: pread64(fd, buf, n, off) */
    char path[] = "/tmp/vemu-oabi-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(pwrite(fd, "0123456789", 10, 0), 10);
    memset(g2h(SCRATCH), 0, 16);
    assert_int_equal(do_oabi_syscall(0x900000 + 180, fd, SCRATCH, 4, 6, 0), 4);
    assert_memory_equal(g2h(SCRATCH), "6789", 4);
    /* ftruncate64(fd, len) with len in r1/r2 (EABI: r2/r3) */
    assert_int_equal(do_oabi_syscall(0x900000 + 194, fd, 3, 0, 0, 0), 0);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_size, 3);
    /* fstat64: the old ABI's packed 96-byte struct, st_size at 44 */
    memset(g2h(SCRATCH), 0xee, 128);
    assert_int_equal(do_oabi_syscall(0x900000 + 197, fd, SCRATCH, 0, 0, 0), 0);
    uint8_t *b = g2h(SCRATCH);
    uint64_t u64;
    memcpy(&u64, b + 44, 8);  assert_int_equal(u64, 3);
    memcpy(&u64, b + 88, 8);  assert_int_equal(u64, st.st_ino);
    assert_int_equal(b[96], 0xee);
    close(fd);
    linux_cur_abi = NULL;    /* later tests call handlers directly: EABI */
}

static void test_dispatch_through_arm_registers(void **state)
{
    assert_int_equal(do_syscall(20, 0, 0, 0, 0), getpid());
    assert_int_equal((int32_t)do_syscall(87, 0, 0, 0, 0), -ENOSYS);       /* swapon: not implemented */
    assert_int_equal((int32_t)do_syscall(54321, 0, 0, 0, 0), -ENOSYS);
    assert_int_equal(do_syscall(0xf0005, 0x12345678, 0, 0, 0), 0);       /* set_tls */
    assert_int_equal(arm()->tpidruro, 0x12345678);
    assert_int_equal(do_syscall(0xf0006, 0, 0, 0, 0), 0x12345678);       /* get_tls */
    /* uname: machine is what the model is (arm926: ARMv5TE) */
    assert_int_equal(linux_target.set_cpu_model(cpu, "arm926"), 0);
    assert_int_equal(do_syscall(122, SCRATCH, 0, 0, 0), 0);
    assert_string_equal((char *)g2h(SCRATCH + 4 * 65), "armv5tel");
    /* write(2) from guest memory; EFAULT for an unmapped buffer */
    int p[2];
    assert_int_equal(pipe(p), 0);
    memcpy(g2h(SCRATCH), "ping", 4);
    assert_int_equal(do_syscall(4, (uint32_t)p[1], SCRATCH, 4, 0), 4);
    assert_int_equal((int32_t)do_syscall(4, (uint32_t)p[1], 0x50000, 4, 0), -EFAULT);
    /* read(2) into guest memory */
    assert_int_equal(do_syscall(3, (uint32_t)p[0], SCRATCH + 100, 4, 0), 4);
    assert_memory_equal(g2h(SCRATCH + 100), "ping", 4);
    close(p[0]);
    close(p[1]);
    /* errno values are negative in r0 */
    strcpy(g2h(SCRATCH), "/nonexistent/vemu");
    assert_int_equal((int32_t)do_syscall(5, SCRATCH, O_RDONLY, 0, 0), -ENOENT);
}

static void test_stat64_layout_is_arm_eabi(void **state)
{
    struct stat st;
    memset(&st, 0, sizeof(st));
    st.st_dev = 0x0102;
    st.st_ino = 0x1122334455667788ull;
    st.st_mode = 0100644;
    st.st_nlink = 3;
    st.st_uid = 1000;
    st.st_gid = 1001;
    st.st_size = 0x123456789ll;
    st.st_blksize = 4096;
    st.st_blocks = 0x2222;
    st.st_mtim.tv_sec = 1700000000;
    st.st_mtim.tv_nsec = 999;
    memset(g2h(SCRATCH), 0xee, 200);
    assert_int_equal(put_guest_stat64(SCRATCH, &st), 0);
    uint8_t *b = g2h(SCRATCH);
    uint64_t u64;
    uint32_t u32;
    memcpy(&u64, b + 0, 8);   assert_int_equal(u64, 0x0102);
    memcpy(&u32, b + 12, 4);  assert_int_equal(u32, 0x55667788);      /* __st_ino */
    memcpy(&u32, b + 16, 4);  assert_int_equal(u32, 0100644);
    memcpy(&u32, b + 20, 4);  assert_int_equal(u32, 3);
    memcpy(&u32, b + 24, 4);  assert_int_equal(u32, 1000);
    memcpy(&u32, b + 28, 4);  assert_int_equal(u32, 1001);
    memcpy(&u64, b + 48, 8);  assert_int_equal(u64, 0x123456789ull);  /* 8-aligned in EABI */
    memcpy(&u32, b + 56, 4);  assert_int_equal(u32, 4096);
    memcpy(&u64, b + 64, 8);  assert_int_equal(u64, 0x2222);
    memcpy(&u32, b + 80, 4);  assert_int_equal(u32, 1700000000);      /* st_mtime */
    memcpy(&u32, b + 84, 4);  assert_int_equal(u32, 999);
    memcpy(&u64, b + 96, 8);  assert_int_equal(u64, 0x1122334455667788ull);
    assert_int_equal(b[104], 0xee);                                   /* 104 bytes, no more */
    /* EFAULT for a read-only destination */
    guest_mprotect(SCRATCH, 0x1000, PROT_READ);
    assert_int_equal(put_guest_stat64(SCRATCH, &st), -EFAULT);
}

static void test_open_flags_translate(void **state)
{
    /* ARM: O_DIRECTORY 040000, O_NOFOLLOW 0100000, O_DIRECT 0200000, O_LARGEFILE 0400000 */
    assert_int_equal(open_flags_to_host(040000 | O_RDONLY), O_DIRECTORY);
    assert_int_equal(open_flags_to_host(0100000 | O_CREAT | O_WRONLY), O_NOFOLLOW | O_CREAT | O_WRONLY);
    assert_int_equal(open_flags_to_host(0200000), O_DIRECT);
    /* ARM's O_LARGEFILE is the host kernel's (x86_64: 0100000; glibc's
     * O_LARGEFILE is 0) */
    assert_int_equal(open_flags_to_host(0400000 | O_CLOEXEC), HOST_O_LARGEFILE | O_CLOEXEC);
    assert_int_equal(open_flags_to_guest(HOST_O_LARGEFILE | O_RDONLY), 0400000);
    assert_int_equal(open_flags_to_guest(O_DIRECT | O_APPEND), 0200000 | O_APPEND);
    assert_int_equal(open_flags_to_guest(O_DIRECTORY | O_NONBLOCK), 040000 | O_NONBLOCK);
    /* and through the syscall: opening a directory with the guest's O_DIRECTORY */
    strcpy(g2h(SCRATCH), "/");
    int32_t fd = (int32_t)do_syscall(5, SCRATCH, 040000, 0, 0);
    assert_true(fd >= 0);
    close(fd);
}

static void test_getdents64_offsets_are_small_cookies(void **state)
{
    char dir[] = "/tmp/vemu-dents-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    for (int i = 0; i < 40; i++) {
        snprintf(path, sizeof(path), "%s/file-%02d", dir, i);
        int f = open(path, O_CREAT | O_WRONLY, 0600);
        assert_true(f >= 0);
        close(f);
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    uint64_t a[7] = { (uint32_t)fd, SCRATCH, 0x8000 };
    int64_t n = sys_getdents64(cpu, a);
    assert_true(n > 0);
    /* walk: every d_off fits a 32-bit guest; remember the 10th entry */
    int count = 0;
    int64_t cookie10 = -1;
    char name11[64] = "";
    for (int64_t off = 0; off < n; ) {
        uint8_t *r = (uint8_t *)g2h(SCRATCH + off);
        int64_t doff;
        uint16_t reclen;
        memcpy(&doff, r + 8, 8);
        memcpy(&reclen, r + 16, 2);
        assert_true(doff > 0 && doff < 1000);
        if (count == 10)
            cookie10 = doff;
        if (count == 11)
            snprintf(name11, sizeof(name11), "%s", (char *)r + 19);
        count++;
        off += reclen;
    }
    assert_int_equal(count, 42);     /* 40 files, . and .. */
    /* seeking to a cookie continues after that entry */
    uint64_t s[7] = { (uint32_t)fd, 0, (uint32_t)cookie10, SCRATCH + 0x9000, SEEK_SET };
    assert_int_equal(sys__llseek(cpu, s), 0);
    uint64_t b[7] = { (uint32_t)fd, SCRATCH, 0x8000 };
    n = sys_getdents64(cpu, b);
    assert_true(n > 0);
    assert_string_equal((char *)g2h(SCRATCH + 19), name11);
    uint64_t c[1] = { (uint32_t)fd };
    assert_int_equal(sys_close(cpu, c), 0);
    for (int i = 0; i < 40; i++) {
        snprintf(path, sizeof(path), "%s/file-%02d", dir, i);
        unlink(path);
    }
    rmdir(dir);
}

static void test_kuser_helpers_disassemble(void **state)
{
    csh h;
    assert_int_equal(cs_open(CS_ARCH_ARM, CS_MODE_ARM, &h), CS_ERR_OK);
    const ArmKuserHelper *sets[2] = { arm_kuser_helpers, arm_kuser_helpers_v5 };
    for (int s = 0; s < 2; s++) {
        const ArmKuserHelper *k = sets[s];
        for (unsigned i = 0; i < arm_n_kuser_helpers; i++) {
            /* each helper fits its slot: before the next one */
            if (i + 1 < arm_n_kuser_helpers)
                assert_true(k[i].addr + 4 * k[i].n_words <= k[i + 1].addr);
            if (k[i].addr == ARM_KUSER_HELPER_VERSION) {
                assert_int_equal(k[i].code[0], 5);
                continue;
            }
            cs_insn *insn;
            size_t n = cs_disasm(h, (const uint8_t *)k[i].code, 4 * k[i].n_words, k[i].addr, 0, &insn);
            assert_int_equal(n, k[i].n_words);            /* every word decodes */
            assert_string_equal(insn[n - 1].mnemonic, "bx");   /* and returns */
            assert_string_equal(insn[n - 1].op_str, "lr");
            char all[512] = "";
            for (size_t j = 0; j < n; j++) {
                strcat(all, insn[j].mnemonic);
                strcat(all, " ");
            }
            if (k[i].addr == ARM_KUSER_GET_TLS)
                assert_string_equal(insn[0].mnemonic, "mrc");
            if (k[i].addr == ARM_KUSER_CMPXCHG)
                assert_non_null(strstr(all, s == 0 ? "ldrex" : "ldr"));
            if (k[i].addr == ARM_KUSER_CMPXCHG64 && s == 0)
                assert_non_null(strstr(all, "ldrexd"));
            cs_free(insn, n);
        }
    }
    cs_close(&h);
    /* mapped read+exec, not writable */
    assert_int_equal(arm_setup_kuser_page(cpu), 0);
    assert_int_equal(page_flags_at(ARM_KUSER_PAGE), PAGE_VALID | PAGE_READ | PAGE_EXEC);
    assert_int_equal(ldl_guest(ARM_KUSER_HELPER_VERSION), 5);
    assert_int_equal(ldl_guest(ARM_KUSER_GET_TLS), 0xee1d0f70);
}

static void test_hwcap_follows_the_model(void **state)
{
    const LinuxTarget *t = &linux_target;
    assert_int_equal(t->set_cpu_model(cpu, "arm926"), 0);
    uint32_t h = t->hwcap(cpu);
    assert_true(h & ARM_HWCAP_HALF);
    assert_true(h & ARM_HWCAP_EDSP);
    assert_false(h & ARM_HWCAP_NEON);
    assert_false(h & ARM_HWCAP_IDIVA);
    assert_int_equal(!!(h & ARM_HWCAP_VFP), !!(((ARMCPU *)cpu)->features & ARM_FEATURE_VFP));
    assert_string_equal(t->platform(cpu), "v5l");
    assert_string_equal(t->uname_machine(cpu), "armv5tel");
    assert_int_equal(t->set_cpu_model(cpu, "cortex-a15"), 0);
    h = t->hwcap(cpu);
    assert_true(h & ARM_HWCAP_VFP);
    assert_false(h & ARM_HWCAP_NEON);      /* the translator has no NEON yet */
    assert_true(h & ARM_HWCAP_IDIVA);
    assert_true(h & ARM_HWCAP_TLS);
    assert_string_equal(t->platform(cpu), "v7l");
    assert_string_equal(t->uname_machine(cpu), "armv7l");
    assert_int_equal(t->hwcap2(cpu), 0);
    assert_int_equal(t->set_cpu_model(cpu, "max"), 0);
    assert_string_equal(t->platform(cpu), "v8l");     /* ARMv8 AArch32 */
    assert_int_equal(t->hwcap2(cpu), 1u << 4);        /* CRC32, no crypto */
    assert_false(t->hwcap(cpu) & ARM_HWCAP_NEON);
    assert_int_equal(t->set_cpu_model(cpu, "no-such-cpu"), -1);
}

static void test_arm_signal_frame_round_trip(void **state)
{
    ARMCPU *c = arm();
    for (int i = 0; i < 16; i++)
        c->regs[i] = 0x1000 + i;
    c->regs[13] = SCRATCH + 0x8000;       /* sp */
    c->regs[15] = 0x8000;
    arm_cpsr_write(c, ARM_CPSR_N | ARM_CPSR_C, ARM_CPSR_N | ARM_CPSR_Z | ARM_CPSR_C | ARM_CPSR_V);
    GuestSigAction ka = { .handler = 0x9001, .flags = SA_SIGINFO | 0x04000000u, .restorer = 0x7770 };
    GuestSiginfo info = { .signo = SIGSEGV, .code = SEGV_MAPERR, .addr = 0x10 };
    uint64_t old_mask = 0x4000000000000005ull;
    assert_int_equal(linux_target.setup_signal_frame(cpu, SIGSEGV, &ka, &info, old_mask,
                                                     SCRATCH + 0x8000), 0);
    uint32_t frame = c->regs[13];
    assert_int_equal(frame & 7, 0);
    assert_true(frame <= SCRATCH + 0x8000 - 888);
    assert_int_equal(c->regs[0], SIGSEGV);
    assert_int_equal(c->regs[1], frame);                 /* siginfo */
    assert_int_equal(c->regs[2], frame + 128);           /* ucontext */
    assert_int_equal(c->regs[14], 0x7770);               /* SA_RESTORER */
    assert_int_equal(c->regs[15], 0x9000);               /* handler, Thumb bit stripped */
    assert_int_equal(c->thumb, 1);
    assert_int_equal(ldl_guest(frame), SIGSEGV);         /* si_signo */
    assert_int_equal(ldl_guest(frame + 8), SEGV_MAPERR); /* si_code */
    assert_int_equal(ldl_guest(frame + 12), 0x10);       /* si_addr */
    uint32_t mc = frame + 128 + 20;
    assert_int_equal(ldl_guest(mc + 8), 5);              /* oldmask */
    assert_int_equal(ldl_guest(mc + 12), 0x1000);        /* r0 */
    assert_int_equal(ldl_guest(mc + 12 + 13 * 4), SCRATCH + 0x8000);   /* sp */
    assert_int_equal(ldl_guest(mc + 12 + 15 * 4), 0x8000);             /* pc */
    assert_int_equal(ldl_guest(mc + 12 + 16 * 4) & 0xf0000000u, ARM_CPSR_N | ARM_CPSR_C);
    assert_int_equal(ldl_guest(mc + 12 + 17 * 4), 0x10);               /* fault_address */
    /* the handler may edit the saved pc; rt_sigreturn restores everything */
    stl_guest(mc + 12 + 15 * 4, 0x8004);
    for (int i = 0; i < 13; i++)
        c->regs[i] = 0xdead;
    uint64_t mask = 0;
    assert_int_equal(linux_target.restore_signal_frame(cpu, true, &mask), 0);
    assert_int_equal(mask, old_mask);
    assert_int_equal(c->regs[0], 0x1000);
    assert_int_equal(c->regs[12], 0x100c);
    assert_int_equal(c->regs[13], SCRATCH + 0x8000);
    assert_int_equal(c->regs[15], 0x8004);
    assert_int_equal(c->thumb, 0);
    assert_int_equal(arm_cpsr_read(c) & 0xf0000000u, ARM_CPSR_N | ARM_CPSR_C);
    /* a frame that does not fit (unmapped stack) is refused */
    assert_int_equal(linux_target.setup_signal_frame(cpu, SIGSEGV, &ka, &info, 0, 0x50000), -EFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_arm_syscall_table, setup),
        cmocka_unit_test_setup(test_dispatch_through_arm_registers, setup),
        cmocka_unit_test_setup(test_oabi_number_from_the_svc_immediate, setup),
        cmocka_unit_test_setup(test_stat64_layout_is_arm_eabi, setup),
        cmocka_unit_test_setup(test_open_flags_translate, setup),
        cmocka_unit_test_setup(test_getdents64_offsets_are_small_cookies, setup),
        cmocka_unit_test_setup(test_kuser_helpers_disassemble, setup),
        cmocka_unit_test_setup(test_hwcap_follows_the_model, setup),
        cmocka_unit_test_setup(test_arm_signal_frame_round_trip, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
