/*
 * The soft TLB with the ARM frontend's own system level (its MMU walk,
 * exception entry and return, CP15 fault registers): an ARM926EJ-S program
 * builds a section table, turns the MMU on, reads through a remapped
 * section, takes an SVC and returns with MOVS pc, lr, then takes a data
 * abort on an unmapped address whose handler reads DFSR/DFAR and stops the
 * machine through a device register.  Under the interpreter and the x86_64
 * backend.
 *
 * Program (arm-linux-gnueabi-as -march=armv5te), loaded at physical 0:
 *   0x00 vectors: b reset; b .; b svc_h; b .; b dabt_h; b .; b .; b .
 *   reset: r1 = 0x4000 (the table); [r1] = 0x00000c12 (VA 0 MiB -> PA 0,
 *          AP=11, domain 0); [r1 + 0x1000] = 0x00100c12 (VA 0x400 MiB ->
 *          PA 1 MiB); [r1 + 0x400] = 0x10000c12 (the device, identity);
 *          TTBR = r1; DACR = 1 (domain 0 client); SCTLR |= M;
 *          r4 = [0x40000000]; svc 0; r5 = 0x50000000;
 *   0x68:  ldr r6, [r5]          (no section: a translation fault)
 *          b .
 *   svc_h: r7 = 0x77; movs pc, lr
 *   dabt_h: r8 = DFSR; r9 = DFAR; r10 = lr - 8; [0x10000008] = 0x42 (DONE); b .
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "exec/exec.h"
#include "frontend-arm/arm-cpu.h"
#include "softmmu/cpus.h"
#include "softmmu/main-loop.h"
#include "softmmu/memory.h"

/* a test-local run state (softmmu/main-loop.c belongs to the event loop) */
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
static void request_shutdown(int status)
{
    if (shutdown_pending)
        return;
    shutdown_status = status;
    shutdown_pending = true;
    vcpu_kick();
}

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque;
    (void)off;
    (void)size;
    return 0;
}

static void dev_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)opaque;
    (void)size;
    if (off == 8)
        request_shutdown((int)value);
}

static const MemoryRegionOps dev_ops = { .read = dev_read, .write = dev_write };

static const uint32_t program[] = {
    0xea000006, 0xeafffffe, 0xea000018, 0xeafffffe, 0xea000018, 0xeafffffe, 0xeafffffe, 0xeafffffe,
    0xe3a01901, 0xe59f2068, 0xe5812000, 0xe59f2064, 0xe2810a01, 0xe5802000, 0xe59f205c, 0xe5812400,
    0xee021f10, 0xe3a02001, 0xee032f10, 0xee112f10, 0xe3822001, 0xee012f10, 0xe3a03101, 0xe5934000,
    0xef000000, 0xe3a05205, 0xe5956000, 0xeafffffe, 0xe3a07077, 0xe1b0f00e, 0xee158f10, 0xee169f10,
    0xe24ea008, 0xe3a0b201, 0xe3a0c042, 0xe58bc008, 0xeafffffe, 0x00000c12, 0x00100c12, 0x10000c12,
};

static void run_program(bool interp)
{
    PhysMemory *pm = phys_memory_new();
    uint8_t *ram = phys_add_ram(pm, "ram", 0, 0x200000);
    phys_add_mmio(pm, "dev", 0x10000000, 0x1000, &dev_ops, NULL);
    memcpy(ram, program, sizeof(program));
    memcpy(ram + 0x100000, &(uint32_t){ 0xabcd1234 }, 4);
    CPUCommon *cpu = cpus_create(&frontend_arm, pm, &(CPUsOptions){ .interp = interp });
    assert_non_null(cpu);
    ARMCPU *a = (ARMCPU *)cpu;
    assert_int_equal(arm_cpu_set_model(a, "arm926"), 0);
    arm_cpu_sys_reset(a);
    shutdown_pending = false;
    assert_int_equal(cpus_run(cpu), 0x42);
    assert_int_equal(a->regs[4], 0xabcd1234);     /* through the remapped section */
    assert_int_equal(a->regs[7], 0x77);           /* the SVC handler ran and returned */
    assert_int_equal(a->regs[10], 0x68);          /* the abort's lr: the faulting ldr + 8 */
    assert_int_equal(a->regs[9], 0x50000000);     /* DFAR */
    assert_int_equal(a->regs[8] & 0xf, 5);        /* DFSR: section translation fault */
    assert_int_equal(a->regs[6], 0);              /* the load did not happen */
    cpus_destroy(cpu);
    phys_memory_free(pm);
}

static void test_mmu_svc_abort_interp(void **state) { (void)state; run_program(true); }
static void test_mmu_svc_abort_x86(void **state) { (void)state; run_program(false); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mmu_svc_abort_interp),
        cmocka_unit_test(test_mmu_svc_abort_x86),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
