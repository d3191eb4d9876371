/*
 * arm-test-rig.h — what the ARM frontend unit tests share: a flat guest
 * memory, exec set up for the ARM frontend through the IR interpreter or
 * the x86_64 backend, and running a code snippet until it needs the owner.
 * Include after <cmocka.h>.
 */
#ifndef VEMU_ARM_TEST_RIG_H
#define VEMU_ARM_TEST_RIG_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "exec/exec.h"
#include "frontend-arm/arm-cpu.h"
#include "ir/ir-build.h"

#define MEM_SIZE  0x20000u    /* guest memory */
#define CODE_END  0x10000u    /* code fetches at or above fail */
#define CODE      0x1000u     /* where run_code places a snippet */
#define DATA      0x18000u    /* above the code area run_code clears */
#define SVC0      0xef000000u /* A32 svc 0: ends a snippet */

static uint8_t *guest_mem;

static inline bool rig_fetch(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    (void)cpu;
    if (addr + len > CODE_END)
        return false;
    memcpy(buf, guest_mem + addr, len);
    return true;
}

/* The mode flags of the cpu's translation-cache key. */
static inline uint64_t rig_tb_flags(const CPUCommon *cpu)
{
    uint64_t pc, cs_base, flags;
    cpu->fe->get_tb_key(cpu, &pc, &cs_base, &flags);
    return flags;
}

static const ExecHostOps rig_host = { .code_fetch = rig_fetch, .code_probe = rig_fetch };

/* exec for the ARM frontend; be NULL = the IR interpreter; max_insns 0 = default */
static inline int rig_setup(const Backend *be, unsigned max_insns)
{
    if (!guest_mem) {
        guest_mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (guest_mem == MAP_FAILED)
            return -1;
    }
    ExecConfig cfg = { .fe = &frontend_arm, .be = be, .host = &rig_host, .optimize = true,
                       .max_block_insns = max_insns };
    return exec_init(&cfg);
}

static inline int setup_interp(void **state) { (void)state; return rig_setup(NULL, 0); }
static inline int setup_x86(void **state) { (void)state; return rig_setup(&backend_host, 0); }

static inline uint32_t mem32(uint32_t addr)
{
    uint32_t v;
    memcpy(&v, guest_mem + addr, 4);
    return v;
}

static inline void set_mem32(uint32_t addr, uint32_t v)
{
    memcpy(guest_mem + addr, &v, 4);
}

/* A cpu over guest_mem; model NULL = the default ("max"). */
static inline ARMCPU *rig_new_cpu(const char *model)
{
    ARMCPU *cpu = (ARMCPU *)exec_cpu_new();
    cpu->common.guest_base = (uintptr_t)guest_mem;
    if (model && arm_cpu_set_model(cpu, model) != 0)
        return NULL;
    return cpu;
}

/* Run until something needs the owner (EXCP_*). */
static inline int rig_run(ARMCPU *cpu)
{
    return exec_cpu_run(&cpu->common);
}

/* Place A32 code at CODE followed by an SVC and run it.  The translation
 * cache is flushed: every test reuses the same addresses. */
static inline int run_code(ARMCPU *cpu, const uint32_t *code, size_t n)
{
    memset(guest_mem, 0, CODE_END);
    if (n)
        memcpy(guest_mem + CODE, code, n * 4);
    set_mem32(CODE + 4 * (uint32_t)n, SVC0);
    exec_flush_all();
    cpu->regs[15] = CODE;
    return rig_run(cpu);
}

#endif
