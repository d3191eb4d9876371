/*
 * Unit tests for frontend-x86, with the host CPU as the oracle: each case
 * is a snippet of x86-64 machine code (encodings from GNU as) that runs
 * natively (tests/unit/x86-test-rig.h) and under vemu, through the IR
 * interpreter and through the x86_64 backend, from the same registers,
 * flags and memory; registers, the six arithmetic flags (minus those the
 * SDM leaves undefined for the case) and the data area must agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/x86-test-rig.h"

/* the case table leaves trailing fields out */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define MAX_SET 6

typedef struct Case {
    const char *name;
    const char *code;          /* machine code; its length is code_len */
    unsigned code_len;
    struct { int reg; uint64_t val; } set[MAX_SET];
    uint64_t flags_in;
    uint32_t undef_flags;      /* flags the SDM leaves undefined here */
} Case;

#define C(s) s, sizeof(s) - 1
#define R(r, v) { (r) + 1, (uint64_t)(v) }   /* reg 0: unused slot */
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

static const Case cases[] = {
    { "add_rr", C("\x48\x01\xd8"), { R(RAX, 5), R(RBX, -5) } },                 /* add rax, rbx */
    { "add_rr_of", C("\x48\x01\xd8"), { R(RAX, INT64_MAX), R(RBX, 1) } },
    { "add32_zext", C("\x01\xd8"), { R(RAX, 0xffffffff00000001ull), R(RBX, 0xffffffff) } }, /* add eax, ebx */
    { "add8_high", C("\x00\xfc"), { R(RAX, 0x1234), R(RBX, 0x80ff) } },          /* add ah, bh */
    { "add16", C("\x66\x01\xd8"), { R(RAX, 0xffff8000), R(RBX, 0x8000) } },      /* add ax, bx */
    { "sub_rr_borrow", C("\x48\x29\xd8"), { R(RAX, 3), R(RBX, 5) } },            /* sub rax, rbx */
    { "adc_cf", C("\x48\x11\xd8"), { R(RAX, -1), R(RBX, 0) }, 1 },               /* adc rax, rbx */
    { "sbb_cf", C("\x48\x19\xd8"), { R(RAX, 0), R(RBX, 0) }, 1 },                /* sbb rax, rbx */
    { "sbb8_cf", C("\x18\xd8"), { R(RAX, 0x80), R(RBX, 0x7f) }, 1 },             /* sbb al, bl */
    { "and_imm8", C("\x48\x83\xe0\xf0"), { R(RAX, 0x1234) }, 0, 0x10 },          /* and rax, -16 */
    { "or_imm32", C("\x48\x0d\x00\x00\x00\x80"), { R(RAX, 1) }, 0, 0x10 },       /* or rax, 0xffffffff80000000 */
    { "xor_self", C("\x31\xc0"), { R(RAX, 77) }, 0, 0x10 },                      /* xor eax, eax */
    { "cmp_mem", C("\x48\x3b\x06"), { R(RAX, 7) } },                             /* cmp rax, [rsi] */
    { "add_mem_dst", C("\x48\x01\x46\x08"), { R(RAX, 0x1111) } },                /* add [rsi+8], rax */
    { "lock_add_mem", C("\xf0\x48\x01\x46\x08"), { R(RAX, 0x1111) } },           /* lock add [rsi+8], rax */
    { "sub_mem_sib", C("\x2b\x44\x8e\x04"), { R(RAX, 0x1111), R(RCX, 2) } },    /* sub eax, [rsi+rcx*4+4] */
    { "cmp_al_imm", C("\x3c\x80"), { R(RAX, 0x7f) } },                           /* cmp al, 0x80 */
    /* conditions after compares: jcc taken/not over a mov (cmp rax, rbx; jCC +7; mov rcx, 1) */
#define JCC_CASE(n, cc, a, b) { n, C("\x48\x39\xd8" cc "\x07\x48\xc7\xc1\x01\x00\x00\x00"), { R(RAX, a), R(RBX, b), R(RCX, 0) } }
    JCC_CASE("jl_taken", "\x7c", -1, 1), JCC_CASE("jl_not", "\x7c", 1, -1),
    JCC_CASE("jb_taken", "\x72", 1, -1), JCC_CASE("jbe_eq", "\x76", 5, 5),
    JCC_CASE("jg_not", "\x7f", 5, 5), JCC_CASE("jo", "\x70", INT64_MIN, 1),
    JCC_CASE("jp", "\x7a", 3, 0), JCC_CASE("js", "\x78", 0, 1), JCC_CASE("jns", "\x79", 0, 1),
    JCC_CASE("jle", "\x7e", INT64_MIN, INT64_MAX), JCC_CASE("jae", "\x73", 0, 0),
    JCC_CASE("jne", "\x75", 0, 0), JCC_CASE("jge", "\x7d", -7, -7),
};

static void init_state(X86State *st, const Case *c)
{
    for (int i = 0; i < 16; i++)
        st->r[i] = 0x0101010101010101ull * (uint64_t)(i + 1) ^ 0x8000000080000000ull;
    st->r[RSP] = rig_addr(RIG_STACK);
    st->r[RSI] = rig_addr(RIG_DATA);
    for (int i = 0; i < MAX_SET; i++)
        if (c->set[i].reg)
            st->r[c->set[i].reg - 1] = c->set[i].val;
    st->rflags = c->flags_in;
}

static void init_data(void)
{
    for (unsigned i = 0; i < 0x1000; i++)
        rig_mem[RIG_DATA + i] = (uint8_t)(i * 37 + 11);
}

static bool code64 = true;

static void test_cases_vs_native(void **state)
{
    (void)state;
    X86CPU *cpu = (X86CPU *)exec_cpu_new();
    static uint8_t native_data[0x1000];
    int failed = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const Case *c = &cases[i];
        X86State want, got;
        init_state(&want, c);
        init_data();
        rig_run_native((const uint8_t *)c->code, c->code_len, &want);
        memcpy(native_data, rig_mem + RIG_DATA, sizeof(native_data));
        init_state(&got, c);
        init_data();
        int excp = rig_run_vemu(cpu, (const uint8_t *)c->code, c->code_len, &got, code64);
        uint32_t fm = RIG_FLAGS_MASK & ~c->undef_flags;
        bool ok = excp == EXCP_SYSCALL && (want.rflags & fm) == (got.rflags & fm) &&
                  memcmp(native_data, rig_mem + RIG_DATA, sizeof(native_data)) == 0;
        for (int r = 0; r < 16; r++)
            ok = ok && want.r[r] == got.r[r];
        if (!ok) {
            failed++;
            printf("FAIL %s: excp %d flags want %03llx got %03llx\n", c->name, excp,
                   (unsigned long long)want.rflags, (unsigned long long)got.rflags);
            for (int r = 0; r < 16; r++)
                if (want.r[r] != got.r[r])
                    printf("    r%d want %016llx got %016llx\n", r, (unsigned long long)want.r[r],
                           (unsigned long long)got.r[r]);
            if (memcmp(native_data, rig_mem + RIG_DATA, sizeof(native_data)))
                printf("    memory differs\n");
        }
    }
    exec_cpu_free(&cpu->common);
    assert_int_equal(failed, 0);
}

static int setup_interp64(void **state) { (void)state; return rig_setup(&x86_frontend_x86_64, NULL); }
static int setup_backend64(void **state) { (void)state; return rig_setup(&x86_frontend_x86_64, &backend_host); }

int main(void)
{
    const struct CMUnitTest run_tests[] = {
        cmocka_unit_test(test_cases_vs_native),
    };
    int fails = cmocka_run_group_tests_name("interp64", run_tests, setup_interp64, NULL);
    fails += cmocka_run_group_tests_name("x86_64", run_tests, setup_backend64, NULL);
    return fails;
}
