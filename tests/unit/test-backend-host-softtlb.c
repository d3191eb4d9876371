/*
 * The host backend's soft-TLB probe (BACKEND_MEM_SOFTTLB) against the IR
 * interpreter going through the same soft TLB (softmmu/tlb.c,
 * tlb_interp_mem): random blocks of loads, stores and compare-and-swaps of
 * every size, sign, byte order and alignment flag, at addresses that hit,
 * miss, cross TLB pages, reach a device (memory-like, so both runs can be
 * compared), ROM (writes ignored) and an unassigned hole (reads 0), through
 * two mmu indexes that map the same virtual pages differently — with many
 * values live in registers across the slow-path calls.
 *
 * Each block runs twice from the same start (cpu state, physical memory,
 * device contents): in the interpreter, then as host code (the TLB
 * sometimes flushed in between, so the generated code's fills and hits
 * both happen); the registers, RAM and device contents must agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backend-rig.h"
#include "ir/ir.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"
#if defined(__aarch64__)
#include "backend-aarch64/a64-internal.h"
#endif

#define VWINDOW    0x4000u      /* guest virtual addresses used: 16 TLB pages */
#define RAM_PHYS   0x0u
#define RAM_BYTES  0x10000u
#define ROM_PHYS   0x10000u
#define DEV_PHYS   0x20000u
#define HOLE_PHYS  0x30000u

static PhysMemory *pm;
static uint8_t *ram, *rom;
static uint8_t dev_mem[0x1000];
static Frontend fake_fe;

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque;
    uint64_t v = 0;
    memcpy(&v, dev_mem + off, size);
    return v;
}

static void dev_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)opaque;
    memcpy(dev_mem + off, &value, size);
}

static const MemoryRegionOps dev_ops = { .read = dev_read, .write = dev_write };

/* Virtual 1 KiB page v of mmu index m -> a physical page: most to RAM
 * (permuted, and differently per index), two to ROM, two to the device,
 * one to the hole. */
static uint64_t phys_of(unsigned v, int m)
{
    unsigned k = (v + (unsigned)m * 5) % 16;
    switch (k) {
    case 10: case 11: return ROM_PHYS + (k - 10) * 0x400;
    case 12: case 13: return DEV_PHYS + (k - 12) * 0x400;
    case 14: return HOLE_PHYS;
    default: return RAM_PHYS + ((k * 7 + (unsigned)m * 3) % 48) * 0x400;
    }
}

static bool fake_translate(CPUCommon *cpu, uint64_t vaddr, ExecAccess access, int mmu_idx, ExecTLBFill *out)
{
    (void)cpu;
    (void)access;
    if (vaddr >= VWINDOW)
        return false;        /* never asked: addresses stay in the window */
    out->paddr = phys_of((unsigned)(vaddr >> 10), mmu_idx);
    out->page_bits = 10;
    out->prot = EXEC_PROT_READ | EXEC_PROT_WRITE | EXEC_PROT_EXEC;
    return true;
}

static void *tlb_opaque, *tlb_tables[2];

/* rig_reset_cpu() clears the cpu: give it its TLB back. */
static void cpu_attach(FakeCPU *c)
{
    c->common.fe = &fake_fe;
    c->common.opaque = tlb_opaque;
    c->common.sys = &tlb_sys_ops;
    c->common.tlb_table[0] = tlb_tables[0];
    c->common.tlb_table[1] = tlb_tables[1];
}

static int setup(void **state)
{
    (void)state;
    fake_fe.name = "fake";
    fake_fe.guest_bits = 32;
    fake_fe.n_mmu_idx = 2;
    fake_fe.mmu_translate = fake_translate;
    rig_env.mem.kind = BACKEND_MEM_SOFTTLB;
    rig_env.mem.tlb = *tlb_backend_layout(2);
    if (rig_setup() != 0)
        return -1;
    pm = phys_memory_new();
    ram = phys_add_ram(pm, "ram", RAM_PHYS, RAM_BYTES);
    rom = phys_add_rom(pm, "rom", ROM_PHYS, 0x800);
    phys_add_mmio(pm, "dev", DEV_PHYS, 0x800, &dev_ops, NULL);
    rig_reset_cpu();
    rig_cpu.common.fe = &fake_fe;
    tlb_cpu_init(&rig_cpu.common, pm);
    tlb_opaque = rig_cpu.common.opaque;
    tlb_tables[0] = rig_cpu.common.tlb_table[0];
    tlb_tables[1] = rig_cpu.common.tlb_table[1];
    tlb_unassigned_abort = false;      /* the hole reads 0, ignores writes: comparable */
    return 0;
}

/* ---- random blocks ---------------------------------------------------------- */

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

typedef struct Pool { IRTemp t[48]; unsigned n; } Pool;

static IRTemp pick(Pool *p32, Pool *p64, IRType ty)
{
    Pool *p = ty == IR_I32 ? p32 : p64;
    unsigned r = (unsigned)(rnd() % 8);
    if (r == 0)
        return ir_const(&blk, ty, rnd());
    if (r < 3)
        return ty == IR_I32 ? R[rnd() % 8] : X[rnd() % 8];
    return p->t[rnd() % p->n];
}

static void add_val(Pool *p32, Pool *p64, IRTemp t)
{
    Pool *p = ir_temp_type(&blk, t) == IR_I32 ? p32 : p64;
    if (p->n < 48)
        p->t[p->n++] = t;
    else
        p->t[rnd() % 48] = t;
}

/* An address in the window: anywhere, near a page end (crossing for
 * larger sizes), or aligned as the memop's alignment flags demand. */
static IRTemp rand_addr(Pool *p32, Pool *p64, IRMemOp mo)
{
    IRType ty = rnd() & 1 ? IR_I32 : IR_I64;
    unsigned align = ir_memop_align_mask(mo);
    unsigned how = (unsigned)(rnd() % 4);
    if (how == 0) {      /* a constant address */
        uint64_t a = rnd() % VWINDOW;
        if (rnd() & 1)
            a = (a | 0x3ff) - (rnd() % 8);     /* the last bytes of a page */
        a &= ~(uint64_t)align;
        if (a > VWINDOW - 8)
            a = (VWINDOW - 8) & ~(uint64_t)align;
        return ir_const(&blk, ty, a);
    }
    IRTemp a = ir_andi(&blk, pick(p32, p64, ty), (VWINDOW - 8) & ~(uint64_t)align);
    if (how == 1)        /* pushed towards a page end */
        a = ir_or(&blk, a, ir_const(&blk, ty, 0x3f8 & ~(uint64_t)align));
    return a;
}

static IRMemOp rand_memop(IRType ty, bool store)
{
    IRMemOp mo = (IRMemOp)(rnd() % 16);         /* size, sign, bswap */
    if (store)
        mo &= ~(IRMemOp)IR_MO_SIGN;
    if (ty == IR_I32 && (mo & IR_MO_SIZE) == IR_MO_64)
        mo &= ~(IRMemOp)IR_MO_SIZE;
    unsigned f = (unsigned)(rnd() % 8);
    if (f == 0)
        mo |= IR_MO_ALIGN;
    else if (f == 1)
        mo |= IR_MO_ALIGN4;
    return mo | (IRMemOp)((rnd() & 1) << IR_MO_MMU_SHIFT);
}

static void gen_block(void)
{
    static const IROpcode bin[] = { IR_OP_add, IR_OP_sub, IR_OP_mul, IR_OP_and, IR_OP_or, IR_OP_xor };
    Pool p32 = { .n = 0 }, p64 = { .n = 0 };
    rig_begin();
    for (int i = 0; i < 4; i++) {
        add_val(&p32, &p64, R[i]);
        add_val(&p32, &p64, X[i]);
    }
    unsigned n_ops = 10 + (unsigned)(rnd() % 80);
    for (unsigned i = 0; i < n_ops; i++) {
        IRType ty = rnd() & 1 ? IR_I32 : IR_I64;
        unsigned kind = (unsigned)(rnd() % 100);
        IRTemp r = IR_TEMP_NONE;
        if (rnd() % 6 == 0)
            ir_insn_start(&blk, 0x1000 + 4 * i);
        if (kind < 30) {
            r = ir_op2(&blk, bin[rnd() % 6], pick(&p32, &p64, ty), pick(&p32, &p64, ty));
        } else if (kind < 55) {
            IRMemOp mo = rand_memop(ty, false);
            r = ir_ld(&blk, ty, rand_addr(&p32, &p64, mo), mo);
        } else if (kind < 80) {
            IRMemOp mo = rand_memop(ty, true);
            ir_st(&blk, pick(&p32, &p64, ty), rand_addr(&p32, &p64, mo), mo);
        } else if (kind < 88) {
            IRMemOp mo = rand_memop(ty, false);
            IRTemp a = rand_addr(&p32, &p64, mo);
            /* expect the current value half the time, so stores happen */
            IRTemp e = rnd() & 1 ? ir_ld(&blk, ty, a, mo & ~(IRMemOp)IR_MO_SIGN) : pick(&p32, &p64, ty);
            r = ir_cmpxchg(&blk, a, e, pick(&p32, &p64, ty), mo);
        } else {
            IRTemp g = ty == IR_I32 ? R[rnd() % 8] : X[rnd() % 8];
            ir_mov_to(&blk, g, pick(&p32, &p64, ty));
        }
        if (r != IR_TEMP_NONE)
            add_val(&p32, &p64, r);
    }
    /* publish values that lived across the accesses */
    for (int i = 0; i < 4; i++) {
        ir_mov_to(&blk, R[8 + i], pick(&p32, &p64, IR_I32));
        ir_mov_to(&blk, X[4 + i], pick(&p32, &p64, IR_I64));
    }
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
}

static void test_softtlb_differential(void **state)
{
    (void)state;
    static FakeCPU init_cpu, interp_cpu;
    static uint8_t init_ram[RAM_BYTES], init_dev[sizeof(dev_mem)], interp_ram[RAM_BYTES], interp_dev[sizeof(dev_mem)];
    uint64_t slow0 = tlb_stats.slow, mmio0 = tlb_stats.mmio, un0 = tlb_stats.unassigned;
    for (int iter = 0; iter < 3000; iter++) {
        gen_block();
        rig_reset_cpu();
        cpu_attach(&rig_cpu);
        for (int i = 0; i < 16; i++)
            rig_cpu.r[i] = (uint32_t)rnd();
        for (int i = 0; i < 8; i++)
            rig_cpu.x[i] = rnd() >> (rnd() % 64);
        for (unsigned i = 0; i < RAM_BYTES; i += 8) {
            uint64_t v = rnd();
            memcpy(init_ram + i, &v, 8);
        }
        for (unsigned i = 0; i < sizeof(dev_mem); i++)
            init_dev[i] = (uint8_t)rnd();
        for (unsigned i = 0; i < 0x800; i++)
            rom[i] = (uint8_t)(i * 13);
        init_cpu = rig_cpu;
        if (rnd() & 1)
            tlb_flush(&rig_cpu.common);

        interp_cpu = init_cpu;
        memcpy(ram, init_ram, RAM_BYTES);
        memcpy(dev_mem, init_dev, sizeof(dev_mem));
        IRInterpEnv ienv = {
            .cpu = &interp_cpu,
            .exception_offset = offsetof(CPUCommon, exception_index),
            .exit_request_offset = offsetof(CPUCommon, exit_request),
            .mem = &tlb_interp_mem,
        };
        unsigned ik = ir_interp(&blk, &ienv);
        memcpy(interp_ram, ram, RAM_BYTES);
        memcpy(interp_dev, dev_mem, sizeof(dev_mem));

        memcpy(ram, init_ram, RAM_BYTES);
        memcpy(dev_mem, init_dev, sizeof(dev_mem));
        if (rnd() & 1)
            tlb_flush(&rig_cpu.common);
        uintptr_t ret = rig_run();
        bool same = (ret & IR_EXIT_KIND_MASK) == ik && memcmp(rig_cpu.r, interp_cpu.r, sizeof(rig_cpu.r)) == 0 &&
                    memcmp(rig_cpu.x, interp_cpu.x, sizeof(rig_cpu.x)) == 0 &&
                    memcmp(ram, interp_ram, RAM_BYTES) == 0 && memcmp(dev_mem, interp_dev, sizeof(dev_mem)) == 0;
        if (!same) {
            fprintf(stderr, "iteration %d differs\n", iter);
            for (int i = 0; i < 16; i++)
                if (rig_cpu.r[i] != interp_cpu.r[i])
                    fprintf(stderr, "  r%d: jit %#x interp %#x (init %#x)\n", i, rig_cpu.r[i], interp_cpu.r[i],
                            init_cpu.r[i]);
            for (int i = 0; i < 8; i++)
                if (rig_cpu.x[i] != interp_cpu.x[i])
                    fprintf(stderr, "  x%d: jit %#llx interp %#llx\n", i, (unsigned long long)rig_cpu.x[i],
                            (unsigned long long)interp_cpu.x[i]);
            for (unsigned i = 0; i < RAM_BYTES; i++)
                if (ram[i] != interp_ram[i])
                    fprintf(stderr, "  ram[%#x]: jit %#x interp %#x\n", i, ram[i], interp_ram[i]);
            for (unsigned i = 0; i < sizeof(dev_mem); i++)
                if (dev_mem[i] != interp_dev[i])
                    fprintf(stderr, "  dev[%#x]: jit %#x interp %#x\n", i, dev_mem[i], interp_dev[i]);
            ir_dump(&blk, stderr);
            fail();
        }
    }
    /* the slow cases did happen */
    assert_true(tlb_stats.slow - slow0 > 1000);
    assert_true(tlb_stats.mmio - mmio0 > 100);
    assert_true(tlb_stats.unassigned - un0 > 10);
}

/* A load whose address is misaligned for its IR_MO_ALIGN memop misses the
 * tag compare (the alignment is folded into it) and reaches the slow path
 * with the address and the memop, from inside the block's code; the slow
 * path raises the alignment fault (softmmu/tlb.c).  An alignment smaller
 * than the access (IR_MO_ALIGN4 on 8 bytes) is still tested before the
 * probe, by raise_unaligned. */
static uint64_t align_seen_addr;
static uint32_t align_seen_memop;
static uintptr_t align_seen_ret;
static unsigned align_slow_calls;
static uint64_t ld_slow_align_spy(void *cpu, uint64_t addr, uint32_t memop, uintptr_t host_retaddr)
{
    align_slow_calls++;
    align_seen_addr = addr;
    align_seen_memop = memop;
    align_seen_ret = host_retaddr;
    if (addr & ir_memop_align_mask(memop))
        longjmp(rig_unaligned_jmp, 1);       /* where tlb_ld_slow raises */
    return tlb_ld_slow(cpu, addr, memop, host_retaddr);
}

static void reinit_backend(void)
{
    rig_cb.used = 0;
    rig_entry = RIG_BACKEND.init(&rig_cb, &rig_env);
    rig_base_used = rig_cb.used;
}

static void test_softtlb_alignment(void **state)
{
    (void)state;
    BackendEnv saved = rig_env;
    rig_env.mem.tlb.ld_slow = ld_slow_align_spy;
    reinit_backend();
    static const struct { uint32_t addr; uint32_t memop; bool faults; } cases[] = {
        { 0x102, IR_MO_32 | IR_MO_ALIGN, true },
        { 0x101, IR_MO_16 | IR_MO_ALIGN, true },
        { 0x104, IR_MO_32 | IR_MO_ALIGN, false },
        { 0x3fe, IR_MO_16 | IR_MO_ALIGN, false },     /* the last halfword of a page */
        { 0x3fd, IR_MO_32 | IR_MO_ALIGN4, true },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rig_reset_cpu();
        cpu_attach(&rig_cpu);
        tlb_flush(&rig_cpu.common);
        /* warm the entry first: the misaligned access must miss on the
         * alignment alone, not on an empty TLB entry */
        rig_begin();
        ir_mov_to(&blk, R[2], ir_ld(&blk, IR_I32, R[3], IR_MO_32));
        rig_cpu.r[3] = cases[i].addr & ~0x3ffu;
        rig_finish();
        align_slow_calls = 0;
        rig_begin();
        ir_mov_to(&blk, R[1], ir_ld(&blk, IR_I32, R[0], cases[i].memop));
        rig_cpu.r[0] = cases[i].addr;
        volatile bool jumped = true;      /* set again after a longjmp */
        if (!setjmp(rig_unaligned_jmp)) {
            rig_finish();
            jumped = false;
        }
        assert_int_equal(jumped, cases[i].faults);
        if (cases[i].faults) {
            assert_int_equal(align_slow_calls, 1);
            assert_int_equal(align_seen_addr, cases[i].addr);
            assert_int_equal(align_seen_memop & 63, cases[i].memop & 63);
            assert_true(align_seen_ret > (uintptr_t)rig_cb.rx + rig_last.code_off &&
                        align_seen_ret < (uintptr_t)rig_cb.rx + rig_last.code_off + rig_last.code_size);
        } else {
            assert_int_equal(align_slow_calls, 0);     /* a hit: no slow path */
        }
    }

    /* LDRD-style: 8 bytes, 4-byte alignment: the test before the probe */
    rig_env = saved;
    reinit_backend();
    rig_reset_cpu();
    cpu_attach(&rig_cpu);
    rig_begin();
    ir_mov_to(&blk, R[1], ir_extrl_i64_i32(&blk, ir_ld(&blk, IR_I64, R[0], IR_MO_64 | IR_MO_ALIGN4)));
    rig_cpu.r[0] = 0x102;
    rig_unaligned_calls = 0;
    if (!setjmp(rig_unaligned_jmp))
        rig_finish();
    assert_int_equal(rig_unaligned_calls, 1);
    assert_int_equal(rig_unaligned_addr, 0x102);
    assert_true(rig_unaligned_ret > (uintptr_t)rig_cb.rx + rig_last.code_off &&
                rig_unaligned_ret < (uintptr_t)rig_cb.rx + rig_last.code_off + rig_last.code_size);
}

/* The slow path's host return address lies inside the access's guest
 * instruction (so a fault there restores that instruction). */
static uintptr_t seen_ret;
static uint64_t ld_slow_spy(void *cpu, uint64_t addr, uint32_t memop, uintptr_t host_retaddr)
{
    seen_ret = host_retaddr;
    return tlb_ld_slow(cpu, addr, memop, host_retaddr);
}

static void test_softtlb_retaddr(void **state)
{
    (void)state;
    BackendEnv saved = rig_env;
    rig_env.mem.tlb.ld_slow = ld_slow_spy;
    rig_cb.used = 0;
    rig_entry = RIG_BACKEND.init(&rig_cb, &rig_env);
    rig_base_used = rig_cb.used;
    rig_reset_cpu();
    cpu_attach(&rig_cpu);
    tlb_flush(&rig_cpu.common);
    rig_begin();
    ir_mov_to(&blk, R[2], ir_const32(&blk, 5));
    ir_insn_start(&blk, 0x1004);
    ir_mov_to(&blk, R[1], ir_ld(&blk, IR_I32, R[0], IR_MO_32));
    ir_insn_start(&blk, 0x1008);
    ir_mov_to(&blk, R[3], ir_const32(&blk, 7));
    rig_cpu.r[0] = 0x204;
    memcpy(ram + phys_of(0, 0) + 0x204, &(uint32_t){ 0xfeedface }, 4);
    rig_finish();
    assert_int_equal(rig_cpu.r[1], 0xfeedface);
    uintptr_t code = (uintptr_t)rig_cb.rx + rig_last.code_off;
    assert_true(seen_ret > code + rig_insn_off[1] && seen_ret < code + rig_insn_off[2]);
    rig_env = saved;
    rig_cb.used = 0;
    rig_entry = RIG_BACKEND.init(&rig_cb, &rig_env);
    rig_base_used = rig_cb.used;
}

#if defined(__aarch64__)
/* The aarch64 backend's loads and stores reach the slow path through
 * shared stubs; a block out of their BL reach carries it inline (the
 * A64SlowFrame): the same blocks with the stubs hidden. */
static void test_softtlb_inline_slow_path(void **state)
{
    uintptr_t ld0 = a64_state.softtlb_ld_rx[0], ld1 = a64_state.softtlb_ld_rx[1], st = a64_state.softtlb_st_rx;
    assert_true(ld0 && ld1 && st);
    a64_state.softtlb_ld_rx[0] = a64_state.softtlb_ld_rx[1] = a64_state.softtlb_st_rx = 0;
    test_softtlb_differential(state);
    a64_state.softtlb_ld_rx[0] = ld0;
    a64_state.softtlb_ld_rx[1] = ld1;
    a64_state.softtlb_st_rx = st;
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_softtlb_alignment),
        cmocka_unit_test(test_softtlb_retaddr),
        cmocka_unit_test(test_softtlb_differential),
#if defined(__aarch64__)
        cmocka_unit_test(test_softtlb_inline_slow_path),
#endif
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
