/*
 * The machine-independent core of system mode running real ARM code: the
 * ARM frontend (wrapped in a copy of its Frontend with a test mmu_translate
 * and do_exception) over a physical address space, through the soft TLB,
 * with the x86_64 backend's inline probe and with the IR interpreter.
 *
 * Code (hand-assembled with arm-linux-gnueabi-as -march=armv7-a; the
 * source is in the comments) runs from RAM at 0x1000 until an SVC, which the
 * test's do_exception turns into a shutdown request, so cpus_run() returns.
 *
 * Physical map: RAM 0 .. 1 MiB, a test device at 0x10000000 (+0 LOG records
 * each write and its size, +4 COUNT reads how many, +8 DONE requests a
 * shutdown with the value), ROM at 0x20000000, nothing at 0x30000000.
 * The test mmu_translate (when on): identity below 1 MiB, the 4 KiB page at
 * 0x40000000 to remap_data, the one at 0x40001000 to remap_code, anything
 * else a translation fault.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "exec/exec.h"
#include "exec/translator.h"
#include "ir/ir-build.h"
#include "frontend-arm/arm-cpu.h"
#include "softmmu/cpus.h"
#include "softmmu/main-loop.h"
#include "softmmu/device.h"
#include "softmmu/dma.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"

/* ---- a test-local run state (softmmu/main-loop.c belongs to the event loop) ---- */

static void (*vcpu_kick)(void);
static volatile bool shutdown_pending;
static volatile int shutdown_status;

void machine_set_vcpu_kick(void (*kick)(void)) { vcpu_kick = kick; }
bool machine_reset_requested(void) { return false; }
bool machine_shutdown_requested(int *exit_status)
{
    if (!shutdown_pending)
        return false;
    shutdown_pending = false;
    *exit_status = shutdown_status;
    return true;
}
void machine_request_shutdown(int exit_status)
{
    if (shutdown_pending)
        return;
    shutdown_pending = true;
    shutdown_status = exit_status;
    vcpu_kick();
}

/* ---- the machine ---------------------------------------------------------------- */

#define RAM_SIZE   0x100000u
#define CODE       0x1000u
#define DEV_BASE   0x10000000u
#define ROM_BASE   0x20000000u
#define HOLE       0x30000000u
#define VDATA      0x40000000u
#define VCODE      0x40001000u
#define ROM_WORD   0x600dc0deu

static PhysMemory *pm;
static uint8_t *ram;
static CPUCommon *cpu;
static Frontend test_fe;

static struct { uint64_t value; unsigned size; } dev_log[16];
static unsigned dev_n;
static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque;
    (void)size;
    return off == 4 ? dev_n : 0;
}

static void dev_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)opaque;
    if (off == 0 && dev_n < 16)
        dev_log[dev_n++] = (typeof(dev_log[0])){ value, size };
    else if (off == 8)
        machine_request_shutdown((int)value);
}

static const MemoryRegionOps dev_ops = { .read = dev_read, .write = dev_write };

/* what do_exception saw */
static int last_excp;
static uint32_t last_pc, last_regs[16];
static uint64_t last_fault_addr;
static int last_fault_access, last_fault_reason;

static void test_do_exception(CPUCommon *c, int excp)
{
    ARMCPU *a = (ARMCPU *)c;
    last_excp = excp;
    last_pc = (uint32_t)c->fe->get_pc(c);
    memcpy(last_regs, a->regs, sizeof(last_regs));
    last_fault_addr = c->fault_addr;
    last_fault_access = c->fault_access;
    last_fault_reason = c->fault_reason;
    machine_request_shutdown(0);
}

static uint64_t remap_data = 0x9000, remap_code = 0x3000;
static unsigned translate_calls;

static bool test_translate(CPUCommon *c, uint64_t vaddr, ExecAccess access, int mmu_idx, ExecTLBFill *out)
{
    (void)mmu_idx;
    translate_calls++;
    out->page_bits = 12;
    out->prot = EXEC_PROT_READ | EXEC_PROT_WRITE | EXEC_PROT_EXEC;
    if (vaddr < RAM_SIZE) {
        out->paddr = vaddr & ~0xfffull;
        return true;
    }
    if ((vaddr & ~0xfffull) == VDATA) {
        out->paddr = remap_data;
        return true;
    }
    if ((vaddr & ~0xfffull) == VCODE) {
        out->paddr = remap_code;
        return true;
    }
    if ((vaddr >> 28) == (DEV_BASE >> 28) || (vaddr >> 28) == (ROM_BASE >> 28) || (vaddr >> 28) == (HOLE >> 28)) {
        out->paddr = vaddr & ~0xfffull;     /* the devices: identity too */
        return true;
    }
    c->fault_addr = vaddr;
    c->fault_access = access;
    c->fault_reason = EXEC_FAULT_UNMAPPED;
    return false;
}

static void machine_new(bool interp, bool with_mmu)
{
    test_fe = frontend_arm;
    /* the frontend's own mmu indexes (its fetches and memops use them) */
    test_fe.n_mmu_idx = frontend_arm.n_mmu_idx ? frontend_arm.n_mmu_idx : 1;
    test_fe.mmu_translate = with_mmu ? test_translate : NULL;
    test_fe.do_exception = test_do_exception;
    pm = phys_memory_new();
    ram = phys_add_ram(pm, "ram", 0, RAM_SIZE);
    phys_add_mmio(pm, "testdev", DEV_BASE, 0x1000, &dev_ops, NULL);
    uint8_t *rom = phys_add_rom(pm, "rom", ROM_BASE, 0x1000);
    uint32_t w = ROM_WORD;
    memcpy(rom, &w, 4);
    cpu = cpus_create(&test_fe, pm, &(CPUsOptions){ .interp = interp });
    assert_non_null(cpu);
    assert_ptr_equal(cpu->sys, &tlb_sys_ops);
    dev_n = 0;
    last_excp = -1;
    shutdown_pending = false;
    translate_calls = 0;
}

static void machine_free(void)
{
    cpus_destroy(cpu);
    phys_memory_free(pm);
    cpu = NULL;
    pm = NULL;
}

static void put_words(uint32_t addr, const uint32_t *w, size_t n)
{
    memcpy(ram + addr, w, n * 4);
}

static uint32_t ram32(uint32_t addr)
{
    uint32_t v;
    memcpy(&v, ram + addr, 4);
    return v;
}

static int run_at(uint32_t pc)
{
    ((ARMCPU *)cpu)->regs[15] = pc;
    return cpus_run(cpu);
}

static bool is_interp(void **state) { return *state != NULL; }

static int setup_interp(void **state) { *state = (void *)1; return 0; }
static int setup_x86(void **state) { *state = NULL; return 0; }

/* ---- RAM: every size, sign, and a load crossing a TLB page ----------------------- */

static const uint32_t ram_code[] = {
    0xe3a0c902, /* mov ip, #0x8000 */
    0xe59f0040, /* ldr r0, =0x11223344 */
    0xe58c0000, /* str r0, [ip] */
    0xe1cc00b4, /* strh r0, [ip, #4] */
    0xe5cc0007, /* strb r0, [ip, #7] */
    0xe59c1000, /* ldr r1, [ip] */
    0xe1dc20b4, /* ldrh r2, [ip, #4] */
    0xe5dc3007, /* ldrb r3, [ip, #7] */
    0xe3e0407f, /* mvn r4, #127 */
    0xe5cc4008, /* strb r4, [ip, #8] */
    0xe1cc40ba, /* strh r4, [ip, #10] */
    0xe1dc50d8, /* ldrsb r5, [ip, #8] */
    0xe1dca0fa, /* ldrsh sl, [ip, #10] */
    0xe59f6014, /* ldr r6, =0xa5a55a5a */
    0xe3a07012, /* mov r7, #18 */
    0xe1cc61f0, /* strd r6, r7, [ip, #16] */
    0xe1cc81d0, /* ldrd r8, r9, [ip, #16] */
    0xe59cb3fe, /* ldr fp, [ip, #1022]   (crosses a 1 KiB TLB page) */
    0xef000000, /* svc 0 */
    0x11223344,
    0xa5a55a5a,
};

static void test_ram_sizes(void **state)
{
    machine_new(is_interp(state), false);
    put_words(CODE, ram_code, sizeof(ram_code) / 4);
    static const uint8_t cross[4] = { 0xef, 0xbe, 0xad, 0xde };
    memcpy(ram + 0x8000 + 0x3fe, cross, 4);
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_excp, EXCP_SYSCALL);
    assert_int_equal(last_regs[1], 0x11223344);
    assert_int_equal(last_regs[2], 0x3344);
    assert_int_equal(last_regs[3], 0x44);
    assert_int_equal(ram32(0x8004), 0x44003344);
    assert_int_equal(last_regs[5], 0xffffff80);
    assert_int_equal(last_regs[10], 0xffffff80);
    assert_int_equal(last_regs[8], 0xa5a55a5a);
    assert_int_equal(last_regs[9], 0x12);
    assert_int_equal(ram32(0x8010), 0xa5a55a5a);
    assert_int_equal(ram32(0x8014), 0x12);
    assert_int_equal(last_regs[11], 0xdeadbeef);
    assert_int_equal(last_pc, CODE + 19 * 4);     /* after the svc */
    machine_free();
}

/* ---- a device, ROM, an unassigned address ---------------------------------------- */

static const uint32_t mmio_code[] = {
    0xe3a0c201, /* mov ip, #0x10000000 */
    0xe3a0005a, /* mov r0, #0x5a */
    0xe5cc0000, /* strb r0, [ip]        LOG */
    0xe59f101c, /* ldr r1, =0x1234 */
    0xe1cc10b0, /* strh r1, [ip]        LOG */
    0xe59f2018, /* ldr r2, =0xcafef00d */
    0xe58c2000, /* str r2, [ip]         LOG */
    0xe59c3004, /* ldr r3, [ip, #4]     COUNT */
    0xe1dc40b4, /* ldrh r4, [ip, #4]    COUNT */
    0xe3a05042, /* mov r5, #0x42 */
    0xe58c5008, /* str r5, [ip, #8]     DONE */
    0xef000000, /* svc 0 */
    0x00001234,
    0xcafef00d,
};

static void test_mmio(void **state)
{
    machine_new(is_interp(state), false);
    put_words(CODE, mmio_code, sizeof(mmio_code) / 4);
    uint64_t mmio0 = tlb_stats.mmio;
    assert_int_equal(run_at(CODE), 0x42);     /* DONE's value is the exit status */
    assert_int_equal(dev_n, 3);
    assert_int_equal(dev_log[0].value, 0x5a);
    assert_int_equal(dev_log[0].size, 1);
    assert_int_equal(dev_log[1].value, 0x1234);
    assert_int_equal(dev_log[1].size, 2);
    assert_int_equal(dev_log[2].value, 0xcafef00d);
    assert_int_equal(dev_log[2].size, 4);
    assert_true(tlb_stats.mmio - mmio0 >= 6);
    /* the svc after DONE may or may not run before the kick is seen */
    assert_true(last_excp == -1 || last_excp == EXCP_SYSCALL);
    ARMCPU *a = (ARMCPU *)cpu;
    assert_int_equal(a->regs[3], 3);
    assert_int_equal(a->regs[4], 3);
    machine_free();
}

static const uint32_t rom_code[] = {
    0xe3a0c202, /* mov ip, #0x20000000 */
    0xe59c0000, /* ldr r0, [ip] */
    0xe3e01000, /* mvn r1, #0 */
    0xe58c1000, /* str r1, [ip]     ignored */
    0xe59c2000, /* ldr r2, [ip] */
    0xef000000, /* svc 0 */
};

static const char *last_guest_error;
static void note_guest_error(CPUCommon *c, const char *what, uint64_t paddr, unsigned size, bool is_write)
{
    (void)c;
    (void)paddr;
    (void)size;
    (void)is_write;
    last_guest_error = what;
}

static void test_rom(void **state)
{
    machine_new(is_interp(state), false);
    put_words(CODE, rom_code, sizeof(rom_code) / 4);
    last_guest_error = NULL;
    tlb_guest_error = note_guest_error;
    assert_int_equal(run_at(CODE), 0);
    tlb_guest_error = NULL;
    assert_int_equal(last_excp, EXCP_SYSCALL);
    assert_int_equal(last_regs[0], ROM_WORD);
    assert_int_equal(last_regs[2], ROM_WORD);
    assert_string_equal(last_guest_error, "write to ROM");
    machine_free();
}

static const uint32_t unassigned_code[] = {
    0xe3a02007, /* mov r2, #7 */
    0xe3a0c203, /* mov ip, #0x30000000 */
    0xe59c0010, /* ldr r0, [ip, #16]    nothing there */
    0xe3a03009, /* mov r3, #9 */
    0xef000000, /* svc 0 */
};

static void test_unassigned(void **state)
{
    machine_new(is_interp(state), false);
    put_words(CODE, unassigned_code, sizeof(unassigned_code) / 4);
    ((ARMCPU *)cpu)->regs[3] = 0;
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_excp, EXCP_MEM_FAULT);
    assert_int_equal(last_pc, CODE + 8);              /* the ldr */
    assert_int_equal(last_regs[2], 7);                /* done before it */
    assert_int_equal(last_regs[3], 0);                /* not after it */
    assert_int_equal(last_fault_addr, HOLE + 16);
    assert_int_equal(last_fault_access, EXEC_ACCESS_READ);
    assert_int_equal(last_fault_reason, EXEC_FAULT_EXTERNAL);
    machine_free();
}

/* ---- self-modifying code ------------------------------------------------------------ */

static const uint32_t smc_code[] = {
    0xe3a02a02, /* mov r2, #0x2000 */
    0xe5923000, /* ldr r3, [r2] */
    0xe5823000, /* str r3, [r2]      the page is writable in the TLB before it holds code */
    0xe12fff32, /* blx r2            r0 = 1 */
    0xe1a04000, /* mov r4, r0 */
    0xe59f100c, /* ldr r1, =0xe3a00002 (mov r0, #2) */
    0xe5821000, /* str r1, [r2]      rewrites the translated function */
    0xe12fff32, /* blx r2            r0 = 2 */
    0xe1a05000, /* mov r5, r0 */
    0xef000000, /* svc 0 */
    0xe3a00002,
};
static const uint32_t smc_func[] = {
    0xe3a00001, /* mov r0, #1 */
    0xe12fff1e, /* bx lr */
};

static void test_smc(void **state)
{
    machine_new(is_interp(state), false);
    put_words(CODE, smc_code, sizeof(smc_code) / 4);
    put_words(0x2000, smc_func, 2);
    uint64_t inv0 = tlb_stats.smc_invalidations;
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_excp, EXCP_SYSCALL);
    assert_int_equal(last_regs[4], 1);
    assert_int_equal(last_regs[5], 2);
    assert_int_equal(ram32(0x2000), 0xe3a00002);
    assert_true(tlb_stats.smc_invalidations > inv0);
    machine_free();
}

/* ---- remapping through mmu_translate, tlb_flush_page, faults ------------------------ */

static const uint32_t remap_code_words[] = {
    0xe3a0c101, /* mov ip, #0x40000000 */
    0xe59c0004, /* ldr r0, [ip, #4] */
    0xef000000, /* svc 0 */
};

static void test_remap_data(void **state)
{
    machine_new(is_interp(state), true);
    put_words(CODE, remap_code_words, 3);
    uint32_t a = 0x11111111, b = 0x22222222;
    memcpy(ram + 0x9004, &a, 4);
    memcpy(ram + 0xa004, &b, 4);
    remap_data = 0x9000;
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_regs[0], 0x11111111);

    /* The guest changes its page tables without telling the TLB: the old
     * mapping is still cached (as on the hardware). */
    remap_data = 0xa000;
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_regs[0], 0x11111111);

    cpu->sys->tlb_flush_page(cpu, VDATA + 0x10);     /* any address in the page */
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_regs[0], 0x22222222);

    remap_data = 0x9000;
    cpu->sys->tlb_flush(cpu);
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_regs[0], 0x11111111);
    machine_free();
}

static void test_remap_code(void **state)
{
    machine_new(is_interp(state), true);
    static const uint32_t three[] = { 0xe3a00003 /* mov r0, #3 */, 0xef000000 /* svc 0 */ };
    static const uint32_t four[] = { 0xe3a00004 /* mov r0, #4 */, 0xef000000 /* svc 0 */ };
    put_words(0x3000, three, 2);
    put_words(0x4000, four, 2);
    remap_code = 0x3000;
    assert_int_equal(run_at(VCODE), 0);
    assert_int_equal(last_regs[0], 3);
    assert_int_equal(last_pc, VCODE + 8);

    remap_code = 0x4000;
    cpu->sys->tlb_flush_page(cpu, VCODE);
    assert_int_equal(run_at(VCODE), 0);
    assert_int_equal(last_regs[0], 4);

    /* the old translation is still there for the old physical page */
    remap_code = 0x3000;
    cpu->sys->tlb_flush_page(cpu, VCODE);
    assert_int_equal(run_at(VCODE), 0);
    assert_int_equal(last_regs[0], 3);
    machine_free();
}

/* Self-modifying code through another mapping: a block translated at the
 * virtual VCODE (physical 0x3000) must go when physical 0x3000 is written
 * through its identity mapping.  Invalidation is by physical page, and a
 * block's pcs are virtual: comparing the two (as exec once did) dropped
 * nothing here and the old code ran on. */
static const uint32_t smc_alias_store[] = {
    0xe59f1008, /* ldr r1, [pc, #8]    = mov r0, #5 */
    0xe3a02a03, /* mov r2, #0x3000 */
    0xe5821000, /* str r1, [r2]        physical 0x3000, VCODE's page */
    0xef000000, /* svc 0 */
    0xe3a00005,
};

static void test_smc_other_mapping(void **state)
{
    machine_new(is_interp(state), true);
    static const uint32_t three[] = { 0xe3a00003 /* mov r0, #3 */, 0xef000000 /* svc 0 */ };
    put_words(0x3000, three, 2);
    put_words(CODE, smc_alias_store, sizeof(smc_alias_store) / 4);
    remap_code = 0x3000;
    assert_int_equal(run_at(VCODE), 0);
    assert_int_equal(last_regs[0], 3);
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(ram32(0x3000), 0xe3a00005);
    assert_int_equal(run_at(VCODE), 0);
    assert_int_equal(last_regs[0], 5);
    machine_free();
}

static const uint32_t fault_code[] = {
    0xe3a02007, /* mov r2, #7 */
    0xe3a0c205, /* mov ip, #0x50000000 */
    0xe59c0008, /* ldr r0, [ip, #8]     unmapped */
    0xe3a03009, /* mov r3, #9 */
    0xef000000, /* svc 0 */
};
static const uint32_t stfault_code[] = {
    0xe3a02007, /* mov r2, #7 */
    0xe3a0c205, /* mov ip, #0x50000000 */
    0xe58c200c, /* str r2, [ip, #12]    unmapped */
    0xe3a03009, /* mov r3, #9 */
    0xef000000, /* svc 0 */
};

static void test_fault(void **state)
{
    machine_new(is_interp(state), true);
    put_words(CODE, fault_code, 5);
    ((ARMCPU *)cpu)->regs[3] = 0;
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_excp, EXCP_MEM_FAULT);
    assert_int_equal(last_pc, CODE + 8);
    assert_int_equal(last_regs[2], 7);
    assert_int_equal(last_regs[3], 0);
    assert_int_equal(last_fault_addr, 0x50000008);
    assert_int_equal(last_fault_access, EXEC_ACCESS_READ);
    assert_int_equal(last_fault_reason, EXEC_FAULT_UNMAPPED);

    put_words(CODE, stfault_code, 5);
    exec_flush_all();
    ((ARMCPU *)cpu)->regs[3] = 0;
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_excp, EXCP_MEM_FAULT);
    assert_int_equal(last_pc, CODE + 8);
    assert_int_equal(last_regs[3], 0);
    assert_int_equal(last_fault_addr, 0x5000000c);
    assert_int_equal(last_fault_access, EXEC_ACCESS_WRITE);

    /* a fetch from an unmapped page: the prefetch abort at that pc */
    assert_int_equal(run_at(0x60000000), 0);
    assert_int_equal(last_excp, EXCP_MEM_FAULT);
    assert_int_equal(last_pc, 0x60000000);
    assert_int_equal(last_fault_addr, 0x60000000);
    assert_int_equal(last_fault_access, EXEC_ACCESS_EXEC);
    assert_int_equal(last_fault_reason, EXEC_FAULT_UNMAPPED);

    /* a fetch that translates to nothing physical: the external abort */
    assert_int_equal(run_at(HOLE + 0x40), 0);
    assert_int_equal(last_excp, EXCP_MEM_FAULT);
    assert_int_equal(last_pc, HOLE + 0x40);
    assert_int_equal(last_fault_access, EXEC_ACCESS_EXEC);
    assert_int_equal(last_fault_reason, EXEC_FAULT_EXTERNAL);
    /* again, from the cached block */
    assert_int_equal(run_at(HOLE + 0x40), 0);
    assert_int_equal(last_fault_reason, EXEC_FAULT_EXTERNAL);
    machine_free();
}

/* ---- an interrupt line raised by another thread reaches a spinning cpu ---- */

static unsigned irqs_taken;

static bool test_exec_interrupt(CPUCommon *c, uint32_t pending)
{
    if (!(pending & 1))
        return false;
    irqs_taken++;
    ((ARMCPU *)c)->regs[14] = ((ARMCPU *)c)->regs[15];
    ((ARMCPU *)c)->regs[15] = 0x3000;
    cpus_set_irq(c, 1, 0);           /* the handler's acknowledge lowers the line */
    return true;
}

static void *raise_irq_later(void *arg)
{
    (void)arg;
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    cpus_set_irq(cpu, 1, 1);
    return NULL;
}

static void test_irq_line(void **state)
{
    machine_new(is_interp(state), false);
    test_fe.exec_interrupt = test_exec_interrupt;
    static const uint32_t spin[] = { 0xeafffffe /* b . */ };
    static const uint32_t handler[] = { 0xe3a00077 /* mov r0, #0x77 */, 0xef000000 /* svc 0 */ };
    put_words(CODE, spin, 1);
    put_words(0x3000, handler, 2);
    irqs_taken = 0;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, raise_irq_later, NULL), 0);
    assert_int_equal(run_at(CODE), 0);
    pthread_join(t, NULL);
    assert_int_equal(irqs_taken, 1);
    assert_int_equal(last_excp, EXCP_SYSCALL);
    assert_int_equal(last_regs[0], 0x77);
    assert_int_equal(last_regs[14], CODE);       /* interrupted in the loop */
    assert_int_equal(cpu->interrupt_request, 0);
    machine_free();
}

/* a run-state request from another thread stops a spinning cpu */
static void *shutdown_later(void *arg)
{
    (void)arg;
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    machine_request_shutdown(3);
    return NULL;
}

static void test_shutdown_request(void **state)
{
    machine_new(is_interp(state), false);
    static const uint32_t spin[] = { 0xeafffffe /* b . */ };
    put_words(CODE, spin, 1);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, shutdown_later, NULL), 0);
    assert_int_equal(run_at(CODE), 3);
    pthread_join(t, NULL);
    assert_int_equal(last_excp, -1);
    machine_free();
}

/* ---- WFI: a halted cpu sleeps until an interrupt line comes up ----------------
 * The ARM frontend of this tree treats WFI as a hint (user mode); the test's
 * Frontend copy gets a translator that turns A32 WFI into what a system-level
 * frontend does: pc after it, EXCP_HALT. */

static TranslatorOps wfi_ops;
static Translator *cur_tr;
static IRTemp pc_global;

static void wfi_run_start(void *ctx, Translator *tr, uint64_t pc, uint64_t flags)
{
    cur_tr = tr;
    frontend_arm.translator->run_start(ctx, tr, pc, flags);
}

static TrStatus wfi_translate_insn(void *ctx, uint64_t pc, unsigned *len)
{
    uint32_t w = 0;
    if (!tr_lookahead(cur_tr) && tr_code_probe(tr_cpu(cur_tr), pc, &w, 4) && w == 0xe320f003) {
        IRBlock *b = tr_block(cur_tr);
        ir_insn_start(b, pc);
        ir_mov_to(b, pc_global, ir_const32(b, (uint32_t)pc + 4));
        ir_raise(b, EXCP_HALT);
        *len = 4;
        return TR_EXITED;
    }
    return frontend_arm.translator->translate_insn(ctx, pc, len);
}

static unsigned halts;

static void *irq_when_halted(void *arg)
{
    (void)arg;
    /* wait until the cpu sleeps in WFI (exec_cpu_run returned EXCP_HALT,
     * so it is outside exec: in_exec is 0 and the pc is after the WFI) */
    struct timespec ts = { 0, 2 * 1000 * 1000 };
    while (__atomic_load_n(&((ARMCPU *)cpu)->regs[15], __ATOMIC_ACQUIRE) != CODE + 8 || __atomic_load_n(&cpu->in_exec, __ATOMIC_ACQUIRE))
        nanosleep(&ts, NULL);
    nanosleep(&ts, NULL);
    halts++;
    cpus_set_irq(cpu, 1, 1);
    return NULL;
}

static void test_wfi_sleeps(void **state)
{
    machine_new(is_interp(state), false);
    test_fe.exec_interrupt = test_exec_interrupt;
    wfi_ops = *frontend_arm.translator;
    wfi_ops.run_start = wfi_run_start;
    wfi_ops.translate_insn = wfi_translate_insn;
    test_fe.translator = &wfi_ops;
    for (unsigned i = 0; i < frontend_arm.globals->n; i++)
        if (frontend_arm.globals->g[i].offset == offsetof(ARMCPU, regs[15]))
            pc_global = (IRTemp)i;
    static const uint32_t code[] = {
        0xe3a01005, /* mov r1, #5 */
        0xe320f003, /* wfi */
        0xe3a02006, /* mov r2, #6: not reached before the interrupt */
        0xeafffffe, /* b . */
    };
    static const uint32_t handler[] = { 0xe3a00077 /* mov r0, #0x77 */, 0xef000000 /* svc 0 */ };
    put_words(CODE, code, 4);
    put_words(0x3000, handler, 2);
    irqs_taken = 0;
    halts = 0;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, irq_when_halted, NULL), 0);
    assert_int_equal(run_at(CODE), 0);
    pthread_join(t, NULL);
    assert_int_equal(halts, 1);
    assert_int_equal(irqs_taken, 1);
    assert_int_equal(last_excp, EXCP_SYSCALL);
    assert_int_equal(last_regs[1], 5);
    assert_int_equal(last_regs[14], CODE + 8);    /* the interrupt came after the WFI */
    assert_int_not_equal(last_regs[2], 6);
    machine_free();
}

/* A full TLB flush after more fills than the TLB remembers one by one
 * (softmmu/tlb.c: TLB_FILL_LOG) and after fewer: either way no entry of
 * the old mapping survives. */
static void flush_after_fills(void **state, uint32_t count_insn)
{
    machine_new(is_interp(state), true);
    const uint32_t words[] = {
        0xe3a0c101, /* mov ip, #0x40000000 */
        0xe59c0004, /* ldr r0, [ip, #4] */
        0xe3a01801, /* mov r1, #0x10000 */
        count_insn, /* mov r2, #pages */
        0xe4913400, /* 1: ldr r3, [r1], #1024 */
        0xe2522001, /* subs r2, r2, #1 */
        0x1afffffc, /* bne 1b */
        0xef000000, /* svc 0 */
    };
    put_words(CODE, words, sizeof(words) / 4);
    uint32_t a = 0x11111111, b = 0x22222222;
    memcpy(ram + 0x9004, &a, 4);
    memcpy(ram + 0xa004, &b, 4);
    remap_data = 0x9000;
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_regs[0], 0x11111111);
    remap_data = 0xa000;
    cpu->sys->tlb_flush(cpu);
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_regs[0], 0x22222222);
    remap_data = 0x9000;
    cpu->sys->tlb_flush(cpu);
    assert_int_equal(run_at(CODE), 0);
    assert_int_equal(last_regs[0], 0x11111111);
    machine_free();
}

static void test_flush_few_fills(void **state) { flush_after_fills(state, 0xe3a02060 /* mov r2, #96 */); }
static void test_flush_many_fills(void **state) { flush_after_fills(state, 0xe3a02c03 /* mov r2, #768 */); }

/* A direct branch to another virtual page goes through the jump cache
 * (exec/translator.c: it is never chained in system mode); after the
 * target page is remapped and the TLB flushed, it reaches the new code. */
static void test_cross_page_branch_remap(void **state)
{
    machine_new(is_interp(state), true);
    static const uint32_t jump[] = { 0xea0003fe /* b VCODE (from VDATA) */ };
    static const uint32_t three[] = { 0xe3a00003 /* mov r0, #3 */, 0xef000000 /* svc 0 */ };
    static const uint32_t four[] = { 0xe3a00004 /* mov r0, #4 */, 0xef000000 /* svc 0 */ };
    put_words(0x9000, jump, 1);
    put_words(0x3000, three, 2);
    put_words(0x4000, four, 2);
    remap_data = 0x9000;
    remap_code = 0x3000;
    for (int i = 0; i < 3; i++) {        /* warm: the jump cache holds VCODE */
        assert_int_equal(run_at(VDATA), 0);
        assert_int_equal(last_regs[0], 3);
    }
    remap_code = 0x4000;
    cpu->sys->tlb_flush(cpu);
    assert_int_equal(run_at(VDATA), 0);
    assert_int_equal(last_regs[0], 4);
    assert_int_equal(last_pc, VCODE + 8);
    remap_code = 0x3000;
    cpu->sys->tlb_flush(cpu);
    assert_int_equal(run_at(VDATA), 0);
    assert_int_equal(last_regs[0], 3);
    machine_free();
}

/* An access whose memop demands alignment (LDREX, STREX's store) faults at
 * a misaligned address, with the pc of the instruction, whether or not its
 * page is in the TLB (the alignment is part of the soft-TLB compare). */
static void test_alignment_fault(void **state)
{
    machine_new(is_interp(state), true);
    static const uint32_t code[] = {
        0xe3a02007, /* mov r2, #7 */
        0xe5910000, /* ldr r0, [r1]      (aligned: fills the entry) */
        0xe2811002, /* add r1, r1, #2 */
        0xe1910f9f, /* ldrex r0, [r1]    (misaligned) */
        0xe3a02009, /* mov r2, #9 */
        0xef000000, /* svc 0 */
    };
    put_words(CODE, code, 6);
    for (int round = 0; round < 2; round++) {      /* translated, then cached */
        ((ARMCPU *)cpu)->regs[1] = 0x8000;
        assert_int_equal(run_at(CODE), 0);
        assert_int_equal(last_excp, EXCP_MEM_FAULT);
        assert_int_equal(last_pc, CODE + 12);
        assert_int_equal(last_regs[2], 7);
        assert_int_equal(last_fault_addr, 0x8002);
        assert_int_equal(last_fault_reason, EXEC_FAULT_ALIGNMENT);
        assert_int_equal(last_fault_access, EXEC_ACCESS_READ);
    }
    machine_free();
}

/* A device's DMA over guest code (softmmu/dma.c): the next run executes
 * what the device wrote, not the old translation. */
static void test_dma_over_code(void **state)
{
    machine_new(is_interp(state), false);
    static const uint32_t three[] = { 0xe3a00003 /* mov r0, #3 */, 0xef000000 /* svc 0 */ };
    static const uint32_t five[] = { 0xe3a00005 /* mov r0, #5 */, 0xef000000 /* svc 0 */ };
    put_words(0x5000, three, 2);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(run_at(0x5000), 0);
        assert_int_equal(last_regs[0], 3);
    }
    machine_lock();
    assert_true(dma_write(pm, 0x5000, five, sizeof(five)));
    uint32_t back[2];
    assert_true(dma_read(pm, 0x5000, back, sizeof(back)));
    machine_unlock();
    assert_memory_equal(back, five, sizeof(five));
    assert_int_equal(run_at(0x5000), 0);
    assert_int_equal(last_regs[0], 5);
    /* a write that misses the code leaves it alone */
    machine_lock();
    assert_true(dma_write(pm, 0x5100, three, sizeof(three)));
    assert_false(dma_write(pm, RAM_SIZE - 4, five, sizeof(five)));   /* runs off the end */
    machine_unlock();
    assert_int_equal(run_at(0x5000), 0);
    assert_int_equal(last_regs[0], 5);
    machine_free();
}

#define T(fn) cmocka_unit_test_setup(fn, setup_interp), cmocka_unit_test_setup(fn, setup_x86)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ram_sizes), T(test_mmio), T(test_rom), T(test_unassigned), T(test_smc), T(test_smc_other_mapping),
        T(test_remap_data), T(test_remap_code), T(test_fault), T(test_irq_line), T(test_shutdown_request),
        T(test_wfi_sleeps), T(test_flush_few_fills), T(test_flush_many_fills), T(test_cross_page_branch_remap),
        T(test_alignment_fault), T(test_dma_over_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
