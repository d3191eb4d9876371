/* Unit tests of the x86_64 backend's code shapes (capstone): compare and
 * branch fusion, address folding, flag reuse.  The host-neutral control
 * flow tests are test-backend-host-flow.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <capstone/capstone.h>

#include "backend-x86_64/backend-x86_64.h"
#include "x86-backend-rig.h"

/* ---- code quality: shapes, not timings ------------------------------------- */

static void test_code_shape(void **state)
{
    (void)state;
    rig_begin();
    IRTemp t = ir_add(&blk, R[1], ir_const32(&blk, 5));
    unsigned l = ir_label_new(&blk);
    ir_brcond(&blk, IR_COND_LTU, t, R[2], l);
    ir_mov_to(&blk, R[3], t);
    ir_set_label(&blk, l);
    ir_mov_to(&blk, R[4], ir_add(&blk, R[2], ir_const32(&blk, 1)));
    rig_cb.used = rig_base_used;
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    uintptr_t code = rig_emit(RIG_TAG);
    csh cs;
    cs_insn *insn;
    assert_int_equal(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
    size_t n = cs_disasm(cs, (const uint8_t *)code, rig_last.code_size, code, 0, &insn);
    assert_true(n > 0);
    bool fused = false, lea_imm = false;
    unsigned loads_r2 = 0;
    char r2_home[32];
    snprintf(r2_home, sizeof(r2_home), "[rbp + 0x%zx]", offsetof(FakeCPU, r) + 8);
    for (size_t i = 0; i < n; i++) {
        if (getenv("SHOW_CODE"))
            fprintf(stderr, "  %s %s\n", insn[i].mnemonic, insn[i].op_str);
        /* compare and branch fused: cmp immediately followed by jb */
        if (i && !strcmp(insn[i].mnemonic, "jb") && !strcmp(insn[i - 1].mnemonic, "cmp"))
            fused = true;
        /* the constant is an immediate of a lea into a fresh register */
        if (!strcmp(insn[i].mnemonic, "lea") && strstr(insn[i].op_str, " + 5]"))
            lea_imm = true;
        /* no spill slots in a small block */
        assert_null(strstr(insn[i].op_str, "rsp"));
        /* r2 is loaded once: still in its register after the label */
        if (!strcmp(insn[i].mnemonic, "mov") && strstr(insn[i].op_str, r2_home) &&
            strncmp(insn[i].op_str, "dword ptr", 9) != 0)
            loads_r2++;
    }
    cs_free(insn, n);
    cs_close(&cs);
    assert_true(fused);
    assert_true(lea_imm);
    assert_int_equal(loads_r2, 1);
}

/* A guest access at base + small constant uses [r14 + base + disp] (no
 * lea), keeps working when the base is a local that lives on or dies at
 * the add, and a brcond after a setcond on the same compare reuses the
 * host flags (one cmp for both). */
static void test_address_folding_and_flag_reuse(void **state)
{
    (void)state;
    rig_reset_cpu();
    rig_cpu.r[1] = 0x100;
    rig_cpu.r[3] = 0xdeadbeef;
    rig_cpu.r[10] = 0x1235;
    for (unsigned i = 0; i < 64; i++)
        rig_mem[0x100 + i] = (uint8_t)(i * 7 + 1);
    rig_begin();
    ir_mov_to(&blk, R[2], ir_ld(&blk, IR_I32, ir_add(&blk, R[1], ir_const32(&blk, 8)), IR_MO_UL));
    ir_st(&blk, R[3], ir_add(&blk, ir_const32(&blk, 12), R[1]), IR_MO_UL);
    IRTemp base = ir_add(&blk, R[1], ir_const32(&blk, 16));          /* a local base, live after */
    ir_mov_to(&blk, R[4], ir_ld(&blk, IR_I32, ir_add(&blk, base, ir_const32(&blk, 4)), IR_MO_UB));
    ir_mov_to(&blk, R[5], base);
    IRTemp dying = ir_add(&blk, R[1], ir_const32(&blk, 32));         /* a local base dying at the add */
    ir_mov_to(&blk, R[6], ir_ld(&blk, IR_I32, ir_add(&blk, dying, ir_const32(&blk, 2)), IR_MO_UW));
    /* ldr r11, [r1, r10, lsl #2] with r10 masked: shl + add become one lea */
    IRTemp scaled = ir_shli(&blk, ir_andi(&blk, R[10], 0xf), 2);
    ir_mov_to(&blk, R[11], ir_ld(&blk, IR_I32, ir_add(&blk, R[1], scaled), IR_MO_UL));
    ir_mov_to(&blk, R[7], ir_setcond(&blk, IR_COND_LTU, R[2], R[4]));
    unsigned l = ir_label_new(&blk);
    ir_brcond(&blk, IR_COND_LTU, R[2], R[4], l);
    ir_mov_to(&blk, R[8], ir_const32(&blk, 1));
    ir_set_label(&blk, l);
    rig_cb.used = rig_base_used;
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    uintptr_t code = rig_emit(RIG_TAG);
    rig_enter(code);
    uint32_t want2 = 0, want6 = 0;
    memcpy(&want2, &rig_mem[0x108], 4);
    memcpy(&want6, &rig_mem[0x122], 2);
    assert_int_equal(rig_cpu.r[2], want2);
    assert_memory_equal(&rig_mem[0x10c], &(uint32_t){ 0xdeadbeef }, 4);
    assert_int_equal(rig_cpu.r[4], rig_mem[0x114]);
    assert_int_equal(rig_cpu.r[5], 0x110);
    assert_int_equal(rig_cpu.r[6], want6);
    assert_int_equal(rig_cpu.r[7], want2 < rig_mem[0x114]);
    uint32_t want11;
    memcpy(&want11, &rig_mem[0x100 + 5 * 4], 4);
    assert_int_equal(rig_cpu.r[11], want11);
    assert_int_equal(rig_cpu.r[8], want2 < rig_mem[0x114] ? 0 : 1);

    csh cs;
    cs_insn *insn;
    assert_int_equal(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
    size_t n = cs_disasm(cs, (const uint8_t *)code, rig_last.code_size, code, 0, &insn);
    unsigned cmps = 0, folded = 0, scaled_lea = 0, shl = 0;
    for (size_t i = 0; i < n; i++) {
        if (getenv("SHOW_CODE"))
            fprintf(stderr, "  %s %s\n", insn[i].mnemonic, insn[i].op_str);
        cmps += !strcmp(insn[i].mnemonic, "cmp") && !strstr(insn[i].op_str, "rbp");
        folded += strstr(insn[i].op_str, "[r14 + ") && (strstr(insn[i].op_str, " + 8]") ||
                  strstr(insn[i].op_str, " + 0xc]") || strstr(insn[i].op_str, " + 4]") ||
                  strstr(insn[i].op_str, " + 2]"));
        scaled_lea += !strcmp(insn[i].mnemonic, "lea") && strstr(insn[i].op_str, "*4]");
        shl += !strcmp(insn[i].mnemonic, "shl");
    }
    cs_free(insn, n);
    cs_close(&cs);
    assert_int_equal(folded, 4);
    assert_int_equal(scaled_lea, 1);
    assert_int_equal(shl, 0);
    assert_int_equal(cmps, 1);
}

/* "eors r2, r0, r1; beq": the xor's own flags serve the branch (no test),
 * for both outcomes. */
static void test_result_flags_reuse(void **state)
{
    (void)state;
    for (int equal = 0; equal < 2; equal++) {
        rig_reset_cpu();
        rig_cpu.r[0] = 0x1234;
        rig_cpu.r[1] = equal ? 0x1234 : 0x4321;
        rig_begin();
        IRTemp t = ir_xor(&blk, R[0], R[1]);
        ir_mov_to(&blk, R[2], t);
        ir_mov_to(&blk, R[5], t);
        unsigned l = ir_label_new(&blk);
        ir_brcond(&blk, IR_COND_EQ, t, ir_const32(&blk, 0), l);
        ir_mov_to(&blk, R[3], ir_const32(&blk, 1));
        ir_set_label(&blk, l);
        rig_cb.used = rig_base_used;
        ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
        uintptr_t code = rig_emit(RIG_TAG);
        rig_enter(code);
        assert_int_equal(rig_cpu.r[2], 0x1234 ^ rig_cpu.r[1]);
        assert_int_equal(rig_cpu.r[3], equal ? 0 : 1);
        csh cs;
        cs_insn *insn;
        assert_int_equal(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
        size_t n = cs_disasm(cs, (const uint8_t *)code, rig_last.code_size, code, 0, &insn);
        unsigned tests = 0;
        for (size_t i = 0; i < n; i++)
            tests += !strcmp(insn[i].mnemonic, "test") || (!strcmp(insn[i].mnemonic, "cmp") &&
                                                          !strstr(insn[i].op_str, "rbp"));
        cs_free(insn, n);
        cs_close(&cs);
        assert_int_equal(tests, 0);
    }
}

static int setup(void **state)
{
    (void)state;
    return rig_setup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_shape),
        cmocka_unit_test(test_address_folding_and_flag_reuse),
        cmocka_unit_test(test_result_flags_reuse),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
