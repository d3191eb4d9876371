/*
 * test-a64-alu.c — the instructions backend-aarch64's integer emitters
 * (a64-emit-alu.c) choose, on any host: small IR blocks are emitted by
 * backend_aarch64 (not run; test-backend-random.c runs them under
 * qemu-aarch64) and the block's words disassembled with capstone (ARM64);
 * each case names an instruction (mnemonic and operand text as capstone
 * spells them) the block must contain, or must not.  These pin the
 * immediate forms, the compare-and-branch fusion (CBZ/CBNZ, TBZ/TBNZ
 * including bits 32..63) and the single-instruction idioms, which a
 * differential test cannot tell from a longer correct sequence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <capstone/capstone.h>

#include "exec/backend.h"
extern const Backend backend_aarch64;
#define RIG_BACKEND backend_aarch64
#include "backend-rig.h"

static csh cs;

/* The block's code as text, one "mnemonic operands" line per instruction. */
static char listing[1 << 16];

static void disassemble(void)
{
    const uint8_t *code = (const uint8_t *)rig_cb.rw + rig_last.code_off;
    cs_insn *insn;
    size_t n = cs_disasm(cs, code, rig_last.code_size, 0x1000, 0, &insn);
    size_t len = 0;
    listing[0] = 0;
    for (size_t i = 0; i < n && len + 128 < sizeof(listing); i++)
        len += (size_t)snprintf(listing + len, sizeof(listing) - len, "%s %s\n", insn[i].mnemonic, insn[i].op_str);
    if (n)
        cs_free(insn, n);
}

/* Emit blk (ended by the caller) and disassemble it. */
static void emit(void)
{
    rig_cb.used = rig_base_used;
    rig_emit(RIG_TAG);
    disassemble();
}

/* Does the listing have a `mnemonic` line whose operands contain
 * `operands` (any operands when NULL)? */
static bool has(const char *mnemonic, const char *operands)
{
    size_t ml = strlen(mnemonic);
    for (const char *line = listing; *line;) {
        const char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        if ((size_t)(end - line) > ml && !strncmp(line, mnemonic, ml) && line[ml] == ' ') {
            char buf[256];
            size_t l = (size_t)(end - line) < sizeof(buf) - 1 ? (size_t)(end - line) : sizeof(buf) - 1;
            memcpy(buf, line, l);
            buf[l] = 0;
            if (!operands || strstr(buf + ml + 1, operands))
                return true;
        }
        line = *end ? end + 1 : end;
    }
    return false;
}

static void expect(bool want, const char *mnemonic, const char *operands, const char *what)
{
    if (has(mnemonic, operands) != want) {
        fprintf(stderr, "%s: expected %s\"%s %s\" in\n%s", what, want ? "" : "no ", mnemonic,
                operands ? operands : "", listing);
        ir_dump(&blk, stderr);
        fail();
    }
}
#define EXPECT(m, o, what) expect(true, m, o, what)
#define EXPECT_NOT(m, o, what) expect(false, m, o, what)
/* TBZ or TBNZ of the bit: the core may branch on the inverse around a B
 * (TBZ reaches only 32 KiB) */
#define EXPECT_TB(bit, what) expect_tb(bit, what)
static void expect_tb(const char *bit, const char *what)
{
    if (!has("tbz", bit) && !has("tbnz", bit)) {
        fprintf(stderr, "%s: expected tbz/tbnz %s in\n%s", what, bit, listing);
        ir_dump(&blk, stderr);
        fail();
    }
}

/* A block "if (cond(a, b)) r15 = 1" around one brcond (the operands,
 * constants among them, are made after rig_begin). */
#define branch_block(cond, a, b) do { rig_begin(); branch_block_(cond, a, b); } while (0)
static void branch_block_(IRCond cond, IRTemp a, IRTemp b)
{
    unsigned l = ir_label_new(&blk);
    ir_brcond(&blk, cond, a, b, l);
    ir_mov_to(&blk, R[15], ir_const32(&blk, 1));
    ir_set_label(&blk, l);
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
}

static void test_branch_fusion(void **state)
{
    (void)state;
    /* the instruction kind and its register width / bit; whether the
     * core branches on the condition or its inverse is its own business */
    branch_block(IR_COND_EQ, R[1], ir_const32(&blk, 0));
    EXPECT("cbz", "w", "eq r1, 0");
    EXPECT_NOT("cmp", NULL, "eq r1, 0");
    branch_block(IR_COND_NE, X[1], ir_const64(&blk, 0));
    EXPECT("cbnz", "x", "ne x1, 0");
    branch_block(IR_COND_LEU, R[1], ir_const32(&blk, 0));
    EXPECT("cbz", "w", "leu r1, 0");
    branch_block(IR_COND_GTU, X[1], ir_const64(&blk, 0));
    EXPECT("cbnz", "x", "gtu x1, 0");
    branch_block(IR_COND_EQ, ir_const32(&blk, 0), R[2]);
    EXPECT("cbz", "w", "eq 0, r2 (constant first)");
    branch_block(IR_COND_LT, X[1], ir_const64(&blk, 0));
    EXPECT_TB("#0x3f", "lt x1, 0");
    branch_block(IR_COND_GE, R[1], ir_const32(&blk, 0));
    EXPECT_TB("#0x1f", "ge r1, 0");
    branch_block(IR_COND_GT, ir_const32(&blk, 0), R[1]);   /* 0 > r1: r1 < 0 */
    EXPECT_TB("#0x1f", "gt 0, r1");
    branch_block(IR_COND_TSTEQ, R[1], ir_const32(&blk, 0x10));
    EXPECT_TB("#4", "tsteq r1, 0x10");
    branch_block(IR_COND_TSTNE, X[1], ir_const64(&blk, 1ull << 40));
    EXPECT_TB("#0x28", "tstne x1, 1 << 40");
    branch_block(IR_COND_TSTEQ, X[1], ir_const64(&blk, 1ull << 63));
    EXPECT_TB("#0x3f", "tsteq x1, 1 << 63");
    branch_block(IR_COND_TSTNE, R[1], R[1]);
    EXPECT("cbnz", "w", "tstne r1, r1");
    branch_block(IR_COND_TSTEQ, X[1], ir_const64(&blk, ~0ull));
    EXPECT("cbz", "x", "tsteq x1, -1");
    /* not fused: a plain compare and b.cond */
    branch_block(IR_COND_LT, R[1], ir_const32(&blk, 5));
    EXPECT("cmp", "#5", "lt r1, 5");
    branch_block(IR_COND_EQ, R[1], ir_const32(&blk, (uint32_t)-5));
    EXPECT("cmn", "#5", "eq r1, -5");
    branch_block(IR_COND_TSTNE, R[1], ir_const32(&blk, 0xff00));
    EXPECT("tst", "#0xff00", "tstne r1, 0xff00");
    branch_block(IR_COND_GEU, X[1], ir_const64(&blk, 0x123456789ull));
    EXPECT("cmp", "x", "geu x1, a wide constant (register)");
    /* decided at translation time: no compare at all */
    branch_block(IR_COND_LTU, R[1], ir_const32(&blk, 0));
    EXPECT_NOT("cmp", NULL, "ltu r1, 0 (never)");
    EXPECT_NOT("cbz", NULL, "ltu r1, 0 (never)");
    EXPECT_NOT("tbz", NULL, "ltu r1, 0 (never)");
    branch_block(IR_COND_LT, ir_const32(&blk, 3), ir_const32(&blk, 4));
    EXPECT_NOT("cmp", NULL, "lt 3, 4 (always)");
}

/* One op "out = opc(a, b)" stored to a global. */
#define bin_block(opc, a, b) do { rig_begin(); bin_block_(opc, a, b); } while (0)
static void bin_block_(IROpcode opc, IRTemp a, IRTemp b)
{
    IRTemp g = ir_temp_type(&blk, a) == IR_I64 ? X[0] : R[0];
    ir_mov_to(&blk, g, ir_op2(&blk, opc, a, b));
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
}

static void test_immediates(void **state)
{
    (void)state;
    bin_block(IR_OP_add, R[1], ir_const32(&blk, 0xfff));
    EXPECT("add", "#0xfff", "add r1, 0xfff");
    bin_block(IR_OP_add, ir_const64(&blk, 0x7000), X[1]);
    EXPECT("add", "#7, lsl #12", "add 0x7000, x1");
    bin_block(IR_OP_add, R[1], ir_const32(&blk, 0xffffffff));
    EXPECT("sub", "#1", "add r1, -1");
    bin_block(IR_OP_sub, X[1], ir_const64(&blk, 1));
    EXPECT("sub", "#1", "sub x1, 1");
    bin_block(IR_OP_sub, ir_const32(&blk, 0), R[1]);
    EXPECT("neg", "w", "sub 0, r1");
    bin_block(IR_OP_and, R[1], ir_const32(&blk, 0xff));
    EXPECT("and", "#0xff", "and r1, 0xff");
    bin_block(IR_OP_or, X[1], ir_const64(&blk, 0x5555555555555555ull));
    EXPECT("orr", "#0x5555555555555555", "or x1, 0x55..");
    bin_block(IR_OP_xor, R[1], ir_const32(&blk, 0xffffffff));
    EXPECT("eon", "wzr", "xor r1, -1");
    bin_block(IR_OP_andc, X[1], ir_const64(&blk, 0xf));
    EXPECT("and", "#0xfffffffffffffff0", "andc x1, 0xf");
    bin_block(IR_OP_andc, R[1], R[2]);
    EXPECT("bic", "w", "andc r1, r2");
    bin_block(IR_OP_mul, X[1], ir_const64(&blk, 8));
    EXPECT("lsl", "#3", "mul x1, 8");
    EXPECT_NOT("mul", NULL, "mul x1, 8");
    bin_block(IR_OP_shl, R[1], ir_const32(&blk, 35));       /* modulo 32 */
    EXPECT("lsl", "#3", "shl r1, 35");
    bin_block(IR_OP_rotl, R[1], ir_const32(&blk, 8));
    EXPECT("ror", "#0x18", "rotl r1, 8");
    bin_block(IR_OP_rotl, X[1], X[2]);
    EXPECT("neg", NULL, "rotl x1, x2");
    EXPECT("ror", "x", "rotl x1, x2");
    bin_block(IR_OP_sar, X[1], X[2]);
    EXPECT("asr", "x", "sar x1, x2");
    bin_block(IR_OP_divu, R[1], ir_const32(&blk, 16));
    EXPECT("lsr", "#4", "divu r1, 16");
    bin_block(IR_OP_remu, X[1], ir_const64(&blk, 16));
    EXPECT("ubfx", "#0, #4", "remu x1, 16");
    bin_block(IR_OP_rems, R[1], R[2]);
    EXPECT("sdiv", "w", "rems r1, r2");
    EXPECT("msub", "w", "rems r1, r2");
    bin_block(IR_OP_divs, X[1], X[2]);
    EXPECT("sdiv", "x", "divs x1, x2");
    EXPECT_NOT("cbz", NULL, "divs x1, x2 (no zero check)");
}

/* "r0 = y op (x shift n)" with the shift in a temp that dies at the op. */
#define shifted_block(sh, n, opc, t_first) do { rig_begin(); shifted_block_(sh, n, opc, t_first); } while (0)
static void shifted_block_(IROpcode sh, unsigned n, IROpcode opc, bool t_first)
{
    IRTemp t = ir_op2(&blk, sh, R[2], ir_const32(&blk, n));
    ir_mov_to(&blk, R[0], t_first ? ir_op2(&blk, opc, t, R[1]) : ir_op2(&blk, opc, R[1], t));
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
}

static void test_shifted_operands(void **state)
{
    (void)state;
    shifted_block(IR_OP_shl, 2, IR_OP_add, false);
    EXPECT("add", "lsl #2", "add r1, (r2 << 2)");
    shifted_block(IR_OP_shl, 2, IR_OP_add, true);
    EXPECT("add", "lsl #2", "add (r2 << 2), r1");
    shifted_block(IR_OP_shr, 3, IR_OP_sub, false);
    EXPECT("sub", "lsr #3", "sub r1, (r2 >>u 3)");
    shifted_block(IR_OP_sar, 31, IR_OP_andc, false);
    EXPECT("bic", "asr #31", "andc r1, (r2 >> 31)");
    shifted_block(IR_OP_rotr, 8, IR_OP_xor, true);
    EXPECT("eor", "ror #8", "xor (r2 ror 8), r1");
    shifted_block(IR_OP_shl, 4, IR_OP_or, false);
    EXPECT("orr", "lsl #4", "or r1, (r2 << 4)");
    /* not folded: sub/andc shift only their second operand; add has no ROR */
    shifted_block(IR_OP_shl, 2, IR_OP_sub, true);
    EXPECT_NOT("sub", "lsl", "sub (r2 << 2), r1");
    EXPECT("lsl", "#2", "sub (r2 << 2), r1");
    shifted_block(IR_OP_rotr, 2, IR_OP_add, false);
    EXPECT("ror", "#2", "add r1, (r2 ror 2)");
    /* the shift read again later: kept */
    rig_begin();
    IRTemp t = ir_shli(&blk, R[2], 5);
    ir_mov_to(&blk, R[0], ir_add(&blk, R[1], t));
    ir_mov_to(&blk, R[3], t);
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
    EXPECT("lsl", "#5", "shl kept");
    EXPECT_NOT("add", "lsl", "shl kept");
}

static unsigned count(const char *mnemonic)
{
    unsigned n = 0;
    size_t ml = strlen(mnemonic);
    for (const char *line = listing; *line; line++) {
        if (!strncmp(line, mnemonic, ml) && line[ml] == ' ')
            n++;
        line = strchr(line, '\n');
        if (!line)
            break;
    }
    return n;
}

/* ARM's flags from one compare: "setcond eq; setcond geu; brcond ne" of
 * the same operands is one CMP; anything that may change the flags or
 * the operands in between makes it compare again. */
static void test_flag_reuse(void **state)
{
    (void)state;
    rig_begin();
    unsigned l = ir_label_new(&blk);
    ir_mov_to(&blk, R[8], ir_setcond(&blk, IR_COND_EQ, R[1], R[2]));
    ir_mov_to(&blk, R[9], ir_setcond(&blk, IR_COND_GEU, R[1], R[2]));
    ir_mov_to(&blk, R[10], ir_add(&blk, R[3], R[4]));
    ir_insn_start(&blk, 0x1004);
    ir_brcond(&blk, IR_COND_NE, R[1], R[2], l);
    ir_mov_to(&blk, R[15], ir_const32(&blk, 1));
    ir_set_label(&blk, l);
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
    if (count("cmp") != 1) {
        fprintf(stderr, "one compare expected:\n%s", listing);
        fail();
    }
    EXPECT("cset", "eq", "setcond eq");
    EXPECT("cset", "hs", "setcond geu");
    EXPECT("b.ne", NULL, "brcond ne");

    /* an operand written in between, a compare of other values, or a
     * guest store (its code may test alignment): compare again */
    rig_begin();
    ir_mov_to(&blk, R[8], ir_setcond(&blk, IR_COND_EQ, R[1], R[2]));
    ir_mov_to(&blk, R[1], ir_add(&blk, R[1], R[3]));
    ir_mov_to(&blk, R[9], ir_setcond(&blk, IR_COND_EQ, R[1], R[2]));
    ir_mov_to(&blk, R[10], ir_setcond(&blk, IR_COND_EQ, R[5], R[2]));
    ir_st(&blk, R[4], R[6], IR_MO_UL | IR_MO_ALIGN);
    ir_mov_to(&blk, R[11], ir_setcond(&blk, IR_COND_EQ, R[5], R[2]));
    ir_mov_to(&blk, R[12], ir_setcond(&blk, IR_COND_TSTNE, R[5], R[2]));
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
    if (count("cmp") != 4 || count("tst") < 1) {
        fprintf(stderr, "four compares and a test expected:\n%s", listing);
        fail();
    }
}

static void test_idioms(void **state)
{
    (void)state;
    IRTemp lo, hi;
    rig_begin();
    ir_mul2(&blk, false, &lo, &hi, R[1], R[2]);
    ir_mov_to(&blk, R[3], lo);
    ir_mov_to(&blk, R[4], hi);
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
    EXPECT("umull", "x", "mulu2 i32");
    EXPECT("lsr", "#0x20", "mulu2 i32");

    rig_begin();
    ir_mul2(&blk, true, &lo, &hi, X[1], X[2]);
    ir_mov_to(&blk, X[3], lo);
    ir_mov_to(&blk, X[4], hi);
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
    EXPECT("smulh", "x", "muls2 i64");

    rig_begin();
    ir_mov_to(&blk, R[0], ir_ctz(&blk, R[1]));
    ir_mov_to(&blk, X[0], ir_extract(&blk, X[1], 12, 20));
    ir_mov_to(&blk, R[2], ir_sextract(&blk, R[1], 3, 5));
    ir_mov_to(&blk, X[2], ir_deposit(&blk, X[1], X[2], 40, 8));
    ir_mov_to(&blk, X[3], ir_exts_i32_i64(&blk, R[3]));
    ir_mov_to(&blk, R[4], ir_extrh_i64_i32(&blk, X[4]));
    ir_mov_to(&blk, R[5], ir_bswap(&blk, R[5]));
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
    EXPECT("rbit", "w", "ctz r1");
    EXPECT("clz", "w", "ctz r1");
    EXPECT("ubfx", "#0xc, #0x14", "extract x1, 12, 20");
    EXPECT("sbfx", "#3, #5", "sextract r1, 3, 5");
    EXPECT("bfi", "#0x28, #8", "deposit x1, x2, 40, 8");
    EXPECT("sxtw", "x", "exts_i32_i64");
    EXPECT("lsr", "#0x20", "extrh_i64_i32");
    EXPECT("rev", "w", "bswap r5");

    rig_begin();
    ir_mov_to(&blk, R[0], ir_setcond(&blk, IR_COND_LT, R[1], ir_const32(&blk, 0)));
    ir_mov_to(&blk, R[2], ir_setcond(&blk, IR_COND_GTU, R[1], R[2]));
    ir_mov_to(&blk, X[0], ir_movcond(&blk, IR_COND_EQ, X[1], X[2], ir_const64(&blk, ~0ull), ir_const64(&blk, 0)));
    ir_mov_to(&blk, X[3], ir_movcond(&blk, IR_COND_TSTNE, X[1], X[2], X[3], X[4]));
    ir_exit_tb(&blk, IR_EXIT_NOCHAIN);
    emit();
    EXPECT("lsr", "#0x1f", "setcond lt r1, 0");
    EXPECT("cset", "hi", "setcond gtu r1, r2");
    EXPECT("csetm", "eq", "movcond eq x1, x2, -1, 0");
    EXPECT("tst", "x", "movcond tstne");
    EXPECT("csel", "ne", "movcond tstne");
}

static int setup(void **state)
{
    (void)state;
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK)
        return -1;
    return rig_setup();
}

static int teardown(void **state)
{
    (void)state;
    free(rig_mem);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_branch_fusion),
        cmocka_unit_test(test_immediates),
        cmocka_unit_test(test_shifted_operands),
        cmocka_unit_test(test_flag_reuse),
        cmocka_unit_test(test_idioms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
