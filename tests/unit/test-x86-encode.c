/* Unit tests for the x86_64 encoder: every encoding is disassembled with
 * capstone and compared to the intended instruction text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <capstone/capstone.h>

#include "backend-x86_64/x86-encode.h"

#define BASE 0x100000u

static csh cs;
static uint8_t buf[64];
static X86Asm a;

static const char *const r64[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                     "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const r32[16] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                     "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
static const char *const r8n[16] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                     "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };

static void start(void)
{
    x86_asm_init(&a, buf, BASE, sizeof(buf));
}

/* Disassemble what was emitted since start(): exactly one instruction. */
static void expect(const char *want, const char *where, int line)
{
    cs_insn *insn;
    size_t len = x86_offset(&a);
    size_t n = cs_disasm(cs, buf, len, BASE, 0, &insn);
    char got[256] = "<undecodable>";
    size_t used = 0;
    if (n >= 1) {
        snprintf(got, sizeof(got), "%s%s%s", insn[0].mnemonic, insn[0].op_str[0] ? " " : "", insn[0].op_str);
        used = insn[0].size;
    }
    if (n != 1 || used != len || strcmp(got, want) != 0) {
        fprintf(stderr, "%s:%d: want '%s' got '%s' (%zu insns, %zu of %zu bytes):", where, line, want, got, n,
                used, len);
        for (size_t i = 0; i < len; i++)
            fprintf(stderr, " %02x", buf[i]);
        fputc('\n', stderr);
        fail();
    }
    if (n)
        cs_free(insn, n);
}

#define CHECK(want, stmt)                 \
    do {                                  \
        start();                          \
        stmt;                             \
        expect(want, __func__, __LINE__); \
    } while (0)

static void test_mov_all_registers(void **state)
{
    (void)state;
    char want[64];
    for (int d = 0; d < 16; d++)
        for (int s = 0; s < 16; s++) {
            snprintf(want, sizeof(want), "mov %s, %s", r64[d], r64[s]);
            CHECK(want, x86_mov_rr(&a, true, d, s));
            snprintf(want, sizeof(want), "mov %s, %s", r32[d], r32[s]);
            CHECK(want, x86_mov_rr(&a, false, d, s));
        }
}

static void test_mov_immediates(void **state)
{
    (void)state;
    CHECK("mov eax, 0x12345678", x86_mov_ri(&a, true, X86_RAX, 0x12345678));
    CHECK("mov r9d, 0xffffffff", x86_mov_ri(&a, true, X86_R9, 0xffffffffu));
    CHECK("mov rbx, -1", x86_mov_ri(&a, true, X86_RBX, ~0ull));
    CHECK("mov r15, -0x80000000", x86_mov_ri(&a, true, X86_R15, 0xffffffff80000000ull));
    CHECK("movabs r12, 0x123456789a", x86_mov_ri(&a, true, X86_R12, 0x123456789aull));
    CHECK("mov ecx, 0xffffffff", x86_mov_ri(&a, false, X86_RCX, ~0ull));
    /* 5 bytes without REX for low registers */
    start();
    x86_mov_ri(&a, false, X86_RDX, 7);
    assert_int_equal(x86_offset(&a), 5);
}

static void test_addressing_forms(void **state)
{
    (void)state;
    char want[96];
    for (int b = 0; b < 16; b++) {
        snprintf(want, sizeof(want), "mov rax, qword ptr [%s]", r64[b]);
        CHECK(want, x86_load(&a, 8, false, true, X86_RAX, x86_mem(b, 0)));
        snprintf(want, sizeof(want), "mov r10d, dword ptr [%s + 0x10]", r64[b]);
        CHECK(want, x86_load(&a, 4, false, false, X86_R10, x86_mem(b, 16)));
        snprintf(want, sizeof(want), "mov dword ptr [%s - 0x80], esi", r64[b]);
        CHECK(want, x86_store(&a, 4, X86_RSI, x86_mem(b, -128)));
        snprintf(want, sizeof(want), "mov qword ptr [%s + 0x1000], r13", r64[b]);
        CHECK(want, x86_store(&a, 8, X86_R13, x86_mem(b, 0x1000)));
        for (int i = 0; i < 16; i++) {
            if (i == X86_RSP)
                continue;
            snprintf(want, sizeof(want), "movzx ecx, byte ptr [%s + %s]", r64[b], r64[i]);
            CHECK(want, x86_load(&a, 1, false, false, X86_RCX, x86_mem_idx(b, i, 0, 0)));
            snprintf(want, sizeof(want), "lea r8, [%s + %s*8 - 0x12345]", r64[b], r64[i]);
            CHECK(want, x86_lea(&a, true, X86_R8, x86_mem_idx(b, i, 3, -0x12345)));
        }
    }
    CHECK("mov eax, dword ptr [rsi*4 + 0x40]", x86_load(&a, 4, false, false, X86_RAX,
                                                          x86_mem_idx(X86_NOREG, X86_RSI, 2, 0x40)));
    CHECK("mov eax, dword ptr [0x1234]", x86_load(&a, 4, false, false, X86_RAX, x86_mem(X86_NOREG, 0x1234)));
    /* disp8 is used when it fits: rbp+8 is 3 bytes, rsp+8 is 4 (SIB) */
    start();
    x86_load(&a, 4, false, false, X86_RAX, x86_mem(X86_RBP, 8));
    assert_int_equal(x86_offset(&a), 3);
    start();
    x86_load(&a, 4, false, false, X86_RAX, x86_mem(X86_RSP, 8));
    assert_int_equal(x86_offset(&a), 4);
}

static void test_loads_and_stores_by_size(void **state)
{
    (void)state;
    X86Mem m = x86_mem_idx(X86_R14, X86_RAX, 0, 0);
    CHECK("movzx edi, byte ptr [r14 + rax]", x86_load(&a, 1, false, false, X86_RDI, m));
    CHECK("movsx edi, byte ptr [r14 + rax]", x86_load(&a, 1, true, false, X86_RDI, m));
    CHECK("movsx r9, byte ptr [r14 + rax]", x86_load(&a, 1, true, true, X86_R9, m));
    CHECK("movzx r9d, word ptr [r14 + rax]", x86_load(&a, 2, false, true, X86_R9, m));
    CHECK("movsx rdx, word ptr [r14 + rax]", x86_load(&a, 2, true, true, X86_RDX, m));
    CHECK("movsxd rdx, dword ptr [r14 + rax]", x86_load(&a, 4, true, true, X86_RDX, m));
    CHECK("mov edx, dword ptr [r14 + rax]", x86_load(&a, 4, true, false, X86_RDX, m));
    CHECK("mov rdx, qword ptr [r14 + rax]", x86_load(&a, 8, false, true, X86_RDX, m));
    char want[64];
    for (int r = 0; r < 16; r++) {
        snprintf(want, sizeof(want), "mov byte ptr [r14 + rax], %s", r8n[r]);
        CHECK(want, x86_store(&a, 1, r, m));
    }
    CHECK("mov word ptr [r14 + rax], r11w", x86_store(&a, 2, X86_R11, m));
    CHECK("mov byte ptr [rbp + 4], 0xff", x86_store_imm(&a, 1, -1, x86_mem(X86_RBP, 4)));
    CHECK("mov word ptr [rbp + 4], 0x1234", x86_store_imm(&a, 2, 0x1234, x86_mem(X86_RBP, 4)));
    CHECK("mov dword ptr [rbp + 4], 0x12345678", x86_store_imm(&a, 4, 0x12345678, x86_mem(X86_RBP, 4)));
    CHECK("mov qword ptr [rsp + 0x10], -2", x86_store_imm(&a, 8, -2, x86_mem(X86_RSP, 16)));
}

static void test_extensions(void **state)
{
    (void)state;
    char want[64];
    for (int r = 0; r < 16; r++) {
        snprintf(want, sizeof(want), "movzx eax, %s", r8n[r]);
        CHECK(want, x86_movzx_rr(&a, 1, X86_RAX, r));
        snprintf(want, sizeof(want), "movsx %s, %s", r64[r], r8n[(r + 3) & 15]);
        CHECK(want, x86_movsx_rr(&a, 1, true, r, (r + 3) & 15));
    }
    CHECK("movzx r11d, r12w", x86_movzx_rr(&a, 2, X86_R11, X86_R12));
    CHECK("movsx esi, di", x86_movsx_rr(&a, 2, false, X86_RSI, X86_RDI));
    CHECK("movsxd r8, r9d", x86_movsx_rr(&a, 4, true, X86_R8, X86_R9));
}

static void test_alu(void **state)
{
    (void)state;
    static const char *const names[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
    char want[64];
    for (int op = 0; op < 8; op++) {
        snprintf(want, sizeof(want), "%s r13, rdx", names[op]);
        CHECK(want, x86_alu_rr(&a, (X86Alu)op, true, X86_R13, X86_RDX));
        snprintf(want, sizeof(want), "%s ebx, r10d", names[op]);
        CHECK(want, x86_alu_rr(&a, (X86Alu)op, false, X86_RBX, X86_R10));
        snprintf(want, sizeof(want), "%s esi, 0x7f", names[op]);
        CHECK(want, x86_alu_ri(&a, (X86Alu)op, false, X86_RSI, 127));
        snprintf(want, sizeof(want), "%s r9, 0x12345", names[op]);
        CHECK(want, x86_alu_ri(&a, (X86Alu)op, true, X86_R9, 0x12345));
        snprintf(want, sizeof(want), "%s eax, 0x12345", names[op]);
        CHECK(want, x86_alu_ri(&a, (X86Alu)op, false, X86_RAX, 0x12345));
        snprintf(want, sizeof(want), "%s rcx, qword ptr [rbp + 0x20]", names[op]);
        CHECK(want, x86_alu_rm(&a, (X86Alu)op, true, X86_RCX, x86_mem(X86_RBP, 0x20)));
    }
    /* imm8 forms are 3-4 bytes */
    start();
    x86_alu_ri(&a, X86_ADD, false, X86_RBX, -1);
    assert_int_equal(x86_offset(&a), 3);
    CHECK("cmp dword ptr [rbp], 0", x86_alu_mi(&a, X86_CMP, false, x86_mem(X86_RBP, 0), 0));
    CHECK("cmp qword ptr [r12 + 8], 0x1000", x86_alu_mi(&a, X86_CMP, true, x86_mem(X86_R12, 8), 0x1000));
    CHECK("test r8d, r15d", x86_test_rr(&a, false, X86_R8, X86_R15));
    CHECK("test rax, rax", x86_test_rr(&a, true, X86_RAX, X86_RAX));
    CHECK("test bl, 0x80", x86_test_ri(&a, false, X86_RBX, 0x80));
    CHECK("test eax, 0x10000", x86_test_ri(&a, false, X86_RAX, 0x10000));
    CHECK("test r10, 0x100", x86_test_ri(&a, true, X86_R10, 0x100));
    CHECK("test esi, 1", x86_test_ri(&a, false, X86_RSI, 1));
    CHECK("dec dword ptr [rbp - 0x20108]", x86_dec_m(&a, false, x86_mem(X86_RBP, -0x20108)));
    CHECK("dec qword ptr [r12 + 8]", x86_dec_m(&a, true, x86_mem(X86_R12, 8)));
    CHECK("bts rax, 0x3f", x86_bts_ri(&a, true, X86_RAX, 63));
    CHECK("bts r9d, 5", x86_bts_ri(&a, false, X86_R9, 5));
}

static void test_shifts_and_unary(void **state)
{
    (void)state;
    CHECK("shl eax, 3", x86_shift_ri(&a, X86_SHL, false, X86_RAX, 3));
    CHECK("shr r11, 0x3f", x86_shift_ri(&a, X86_SHR, true, X86_R11, 63));
    CHECK("sar esi, 1", x86_shift_ri(&a, X86_SAR, false, X86_RSI, 1));
    CHECK("rol r12d, 7", x86_shift_ri(&a, X86_ROL, false, X86_R12, 7));
    CHECK("ror rbx, 0x11", x86_shift_ri(&a, X86_ROR, true, X86_RBX, 17));
    CHECK("shl r15, cl", x86_shift_rcl(&a, X86_SHL, true, X86_R15));
    CHECK("sar edx, cl", x86_shift_rcl(&a, X86_SAR, false, X86_RDX));
    CHECK("rol r9w, 8", x86_rol16_ri(&a, X86_R9, 8));
    CHECK("not r8", x86_unary(&a, X86_NOT, true, X86_R8));
    CHECK("neg ecx", x86_unary(&a, X86_NEG, false, X86_RCX));
    CHECK("mul r13", x86_unary(&a, X86_MUL, true, X86_R13));
    CHECK("imul esi", x86_unary(&a, X86_IMUL1, false, X86_RSI));
    CHECK("div r10d", x86_unary(&a, X86_DIV, false, X86_R10));
    CHECK("idiv rbx", x86_unary(&a, X86_IDIV, true, X86_RBX));
    CHECK("imul r8d, r9d", x86_imul_rr(&a, false, X86_R8, X86_R9));
    CHECK("imul rax, r14, 0xc", x86_imul_rri(&a, true, X86_RAX, X86_R14, 12));
    CHECK("imul edi, ebx, 0x12345", x86_imul_rri(&a, false, X86_RDI, X86_RBX, 0x12345));
    CHECK("cdq", x86_cdq(&a, false));
    CHECK("cqo", x86_cdq(&a, true));
    CHECK("bsr r10, rcx", x86_bsr(&a, true, X86_R10, X86_RCX));
    CHECK("bsf eax, r12d", x86_bsf(&a, false, X86_RAX, X86_R12));
    CHECK("lzcnt r15d, eax", x86_lzcnt(&a, false, X86_R15, X86_RAX));
    CHECK("tzcnt rdx, r9", x86_tzcnt(&a, true, X86_RDX, X86_R9));
    CHECK("andn eax, ecx, edx", x86_andn(&a, false, X86_RAX, X86_RCX, X86_RDX));
    CHECK("andn r9, r10, r11", x86_andn(&a, true, X86_R9, X86_R10, X86_R11));
    CHECK("andn rbx, r15, rsi", x86_andn(&a, true, X86_RBX, X86_R15, X86_RSI));
    char want[64];
    for (int r = 0; r < 16; r++) {
        snprintf(want, sizeof(want), "bswap %s", r64[r]);
        CHECK(want, x86_bswap(&a, true, r));
        snprintf(want, sizeof(want), "bswap %s", r32[r]);
        CHECK(want, x86_bswap(&a, false, r));
    }
    CHECK("xchg rdi, r8", x86_xchg_rr(&a, true, X86_R8, X86_RDI));
}

static void test_conditions(void **state)
{
    (void)state;
    static const char *const cc[16] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
                                        "s", "ns", "p", "np", "l", "ge", "le", "g" };
    char want[64];
    for (int c = 0; c < 16; c++) {
        snprintf(want, sizeof(want), "set%s %s", cc[c], r8n[(c * 5) & 15]);
        CHECK(want, x86_setcc(&a, (X86Cond)c, (c * 5) & 15));
        snprintf(want, sizeof(want), "cmov%s r%dd, esi", cc[c], 8 + (c & 7));
        CHECK(want, x86_cmov(&a, (X86Cond)c, false, 8 + (c & 7), X86_RSI));
        snprintf(want, sizeof(want), "j%s 0x%x", cc[c], BASE + 0x40);
        CHECK(want, x86_jcc(&a, (X86Cond)c, BASE + 0x40));
        snprintf(want, sizeof(want), "j%s 0x%x", cc[c], BASE + 0x4000);
        CHECK(want, x86_jcc(&a, (X86Cond)c, BASE + 0x4000));
    }
    /* short forms when in range */
    start();
    x86_jcc(&a, X86_CC_E, BASE + 0x40);
    assert_int_equal(x86_offset(&a), 2);
    start();
    x86_jcc_rel32(&a, X86_CC_E, BASE + 0x40);
    assert_int_equal(x86_offset(&a), 6);
}

static void test_control_flow(void **state)
{
    (void)state;
    CHECK("jmp 0x100010", x86_jmp(&a, BASE + 0x10));
    CHECK("jmp 0xfff000", x86_jmp(&a, 0xfff000));
    CHECK("jmp 0x100005", x86_jmp_rel32(&a, BASE + 5));
    CHECK("call 0x200000", x86_call(&a, 0x200000, X86_R11));
    CHECK("call r11", x86_call_r(&a, X86_R11));
    CHECK("jmp rax", x86_jmp_r(&a, X86_RAX));
    CHECK("jmp r9", x86_jmp_r(&a, X86_R9));
    CHECK("ret", x86_ret(&a));
    char want[32];
    for (int r = 0; r < 16; r++) {
        snprintf(want, sizeof(want), "push %s", r64[r]);
        CHECK(want, x86_push(&a, r));
        snprintf(want, sizeof(want), "pop %s", r64[r]);
        CHECK(want, x86_pop(&a, r));
    }
    /* a far call goes through the scratch register */
    start();
    x86_call(&a, 0x7f0000000000ull, X86_R11);
    cs_insn *insn;
    size_t n = cs_disasm(cs, buf, x86_offset(&a), BASE, 0, &insn);
    assert_int_equal(n, 2);
    assert_string_equal(insn[0].mnemonic, "movabs");
    assert_string_equal(insn[1].op_str, "r11");
    cs_free(insn, n);
    /* patching a rel32 */
    start();
    size_t d = x86_jmp_rel32(&a, 0);
    x86_patch_rel32(&a, d, BASE + 0x99);
    expect("jmp 0x100099", __func__, __LINE__);
}

static void test_atomics_and_nops(void **state)
{
    (void)state;
    X86Mem m = x86_mem_idx(X86_R14, X86_R9, 0, 0);
    CHECK("lock cmpxchg byte ptr [r14 + r9], sil", x86_lock_cmpxchg(&a, 1, X86_RSI, m));
    CHECK("lock cmpxchg word ptr [r14 + r9], cx", x86_lock_cmpxchg(&a, 2, X86_RCX, m));
    CHECK("lock cmpxchg dword ptr [r14 + r9], r12d", x86_lock_cmpxchg(&a, 4, X86_R12, m));
    CHECK("lock cmpxchg qword ptr [r14 + rax], rbx",
          x86_lock_cmpxchg(&a, 8, X86_RBX, x86_mem_idx(X86_R14, X86_RAX, 0, 0)));
    CHECK("mfence", x86_mfence(&a));
    for (unsigned n = 1; n <= 8; n++) {
        start();
        x86_nops(&a, n);
        cs_insn *insn;
        size_t k = cs_disasm(cs, buf, n, BASE, 0, &insn);
        assert_int_equal(k, 1);
        assert_true(strstr(insn[0].mnemonic, "nop") != NULL);
        assert_int_equal(insn[0].size, n);
        cs_free(insn, k);
    }
}

static void test_overflow_is_detected(void **state)
{
    (void)state;
    uint8_t small[8];
    memset(small, 0xaa, sizeof(small));
    X86Asm t;
    x86_asm_init(&t, small, BASE, 6);
    x86_mov_ri(&t, true, X86_R12, 0x123456789aull);   /* 10 bytes: does not fit */
    assert_true(t.overflow);
    assert_int_equal(small[6], 0xaa);
    assert_int_equal(small[7], 0xaa);
}

static int setup(void **state)
{
    (void)state;
    return cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    cs_close(&cs);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mov_all_registers),
        cmocka_unit_test(test_mov_immediates),
        cmocka_unit_test(test_addressing_forms),
        cmocka_unit_test(test_loads_and_stores_by_size),
        cmocka_unit_test(test_extensions),
        cmocka_unit_test(test_alu),
        cmocka_unit_test(test_shifts_and_unary),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_control_flow),
        cmocka_unit_test(test_atomics_and_nops),
        cmocka_unit_test(test_overflow_is_detected),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
