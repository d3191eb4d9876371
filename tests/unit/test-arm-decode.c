/*
 * Unit tests for the decoder generator (tools/gen-decoder.py) and the A32
 * pattern table (frontend-arm/a32.decode):
 *   - a small synthetic table (tests/unit/test-arm-decode.decode): pattern
 *     precedence by order, constraints, signed and unsigned field
 *     extraction, no match;
 *   - the real A32 table: which pattern each encoding selects, for
 *     encodings where a specific pattern must win over a wider one, and
 *     encodings that must stay undefined.
 * The A32 encodings were produced by GNU as (arm-linux-gnueabi-as).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* ---- the synthetic table ------------------------------------------------- */

typedef struct TestCtx {
    const char *hit;
    int x, y, z, op, imm, u, lo;
    int a, b, imm16, off, k, v;
    bool result;
} TestCtx;

/* The !function= of the table's %plus field. */
static int plus_one(int x) { return x + 1; }

#include "tests/test-decode.h.inc"

bool trans_NARROW(TestCtx *s, const arg_NARROW *a) { s->hit = "NARROW"; s->x = a->x; s->y = a->y; return s->result; }
bool trans_WIDE(TestCtx *s, const arg_WIDE *a)
{
    s->hit = "WIDE"; s->op = a->op; s->x = a->x; s->y = a->y; s->z = a->z;
    return s->result;
}
bool trans_SIGNED(TestCtx *s, const arg_SIGNED *a) { s->hit = "SIGNED"; s->imm = a->imm; s->u = a->u; s->lo = a->lo; return s->result; }
bool trans_OTHER(TestCtx *s, const arg_OTHER *a) { s->hit = "OTHER"; return s->result; }
bool trans_EMPTY(TestCtx *s, const arg_EMPTY *a) { s->hit = "EMPTY"; return s->result; }
bool trans_PAIR_X(TestCtx *s, const arg_PAIR_X *a) { s->hit = "PAIR_X"; s->a = a->a; s->b = a->b; return s->result; }
/* PAIR_Y's argument type is PAIR_X's: both are arg_pair. */
bool trans_PAIR_Y(TestCtx *s, const arg_pair *a) { s->hit = "PAIR_Y"; s->a = a->a; s->b = a->b; return s->result; }
bool trans_NAMED(TestCtx *s, const arg_NAMED *a)
{
    s->hit = "NAMED"; s->imm16 = a->imm16; s->off = a->off; s->k = a->k;
    return s->result;
}
bool trans_FN(TestCtx *s, const arg_FN *a) { s->hit = "FN"; s->v = a->v; return s->result; }
bool trans_GAP(TestCtx *s, const arg_GAP *a) { s->hit = "GAP"; s->v = a->v; return s->result; }

#include "tests/test-decode.c.inc"

/* The subset decoder: only PAIR_X and SIGNED call sub_ functions. */
#include "tests/test-decode-subset.c.inc"
static bool sub_PAIR_X(TestCtx *s, const arg_PAIR_X *a) { s->hit = "sub PAIR_X"; s->a = a->a; return true; }
static bool sub_SIGNED(TestCtx *s, const arg_SIGNED *a) { s->hit = "sub SIGNED"; s->imm = a->imm; return true; }

static TestCtx run_tdec(uint32_t insn, bool *matched)
{
    TestCtx c = { .result = true };
    *matched = tdec_decode(&c, insn);
    return c;
}

static void test_generator_precedence(void **state)
{
    (void)state;
    bool m;
    /* op == 0101: both NARROW and WIDE match; NARROW is listed first */
    TestCtx c = run_tdec(0xa5123456u, &m);
    assert_true(m);
    assert_string_equal(c.hit, "NARROW");
    assert_int_equal(c.x, 0x12);
    assert_int_equal(c.y, 0x56);
    /* any other op goes to WIDE */
    c = run_tdec(0xa4abcdefu, &m);
    assert_true(m);
    assert_string_equal(c.hit, "WIDE");
    assert_int_equal(c.op, 4);
    assert_int_equal(c.x, 0xab);
    assert_int_equal(c.z, 0xc);
    assert_int_equal(c.y, 0xef);
    /* op == 1111 is excluded from WIDE by its constraint: OTHER */
    c = run_tdec(0xaf000000u, &m);
    assert_true(m);
    assert_string_equal(c.hit, "OTHER");
    assert_string_equal(tdec_decode_name(0xaf123456u), "OTHER");
    assert_string_equal(tdec_decode_name(0xa5000000u), "NARROW");
    assert_string_equal(tdec_decode_name(0xa0000000u), "WIDE");
}

static void test_generator_fields(void **state)
{
    (void)state;
    bool m;
    /* SIGNED: 1011 imm:s12 u:4 0110 lo:8 */
    TestCtx c = run_tdec(0xb800a6ffu, &m);
    assert_true(m);
    assert_string_equal(c.hit, "SIGNED");
    assert_int_equal(c.imm, -2048);
    assert_int_equal(c.u, 0xa);
    assert_int_equal(c.lo, 0xff);
    c = run_tdec(0xb7ff5601u, &m);
    assert_int_equal(c.imm, 2047);
    assert_int_equal(c.u, 5);
    assert_int_equal(c.lo, 1);
    c = run_tdec(0xbfff0600u, &m);
    assert_int_equal(c.imm, -1);
    /* the fixed 0110 after the fields must match */
    c = run_tdec(0xb800a7ffu, &m);
    assert_false(m);
    assert_null(c.hit);
    assert_null(tdec_decode_name(0xb800a7ffu));
}

static void test_generator_no_match_and_result(void **state)
{
    (void)state;
    bool m;
    TestCtx c = run_tdec(0x00000000u, &m);
    assert_false(m);
    assert_null(c.hit);
    assert_null(tdec_decode_name(0x12345678u));
    assert_null(tdec_decode_name(0xfffffffeu));
    assert_string_equal(tdec_decode_name(0xffffffffu), "EMPTY");
    /* the trans_ function's result is the decoder's result */
    c = (TestCtx){ .result = false };
    assert_false(tdec_decode(&c, 0xffffffffu));
    assert_string_equal(c.hit, "EMPTY");
}

static void test_generator_named_fields_and_formats(void **state)
{
    (void)state;
    bool m;
    TestCtx c = run_tdec(0xc0a000b0u, &m);
    assert_true(m);
    assert_string_equal(c.hit, "PAIR_X");
    assert_int_equal(c.a, 0xa);
    assert_int_equal(c.b, 0xb);
    c = run_tdec(0xc13000c0u, &m);
    assert_string_equal(c.hit, "PAIR_Y");
    assert_int_equal(c.a, 3);
    assert_int_equal(c.b, 0xc);
    /* the format's free bits are the pattern's fixed zeros */
    c = run_tdec(0xc0a001b0u, &m);
    assert_false(m);
    /* imm16 = bits 19:16 : 11:0; off = sext(bits 7:0) << 2; k constant */
    c = run_tdec(0xd0050f80u, &m);
    assert_true(m);
    assert_string_equal(c.hit, "NAMED");
    assert_int_equal(c.imm16, 0x5f80);
    assert_int_equal(c.off, -0x200);
    assert_int_equal(c.k, 7);
    c = run_tdec(0xd00a007fu, &m);
    assert_int_equal(c.imm16, 0xa07f);
    assert_int_equal(c.off, 0x1fc);
    /* v = plus_one(bits 11:8 : 3:0) */
    c = run_tdec(0xe0000c0du, &m);
    assert_string_equal(c.hit, "FN");
    assert_int_equal(c.v, 0xce);
    assert_string_equal(tdec_decode_name(0xe0000c0du), "FN");
    /* v = bit 8 : 000000 : bits 7:0 */
    c = run_tdec(0xe10001a5u, &m);
    assert_string_equal(c.hit, "GAP");
    assert_int_equal(c.v, 0x40a5);
    c = run_tdec(0xe100003cu, &m);
    assert_int_equal(c.v, 0x3c);
}

static void test_generator_subset(void **state)
{
    (void)state;
    TestCtx c = { 0 };
    assert_true(tsub_decode(&c, 0xc0a000b0u));
    assert_string_equal(c.hit, "sub PAIR_X");
    assert_int_equal(c.a, 0xa);
    c = (TestCtx){ 0 };
    assert_true(tsub_decode(&c, 0xb7ff5601u));
    assert_string_equal(c.hit, "sub SIGNED");
    assert_int_equal(c.imm, 2047);
    /* outside the subset (PAIR_Y, NARROW, WIDE, EMPTY) or no pattern */
    static const uint32_t others[] = { 0xc13000c0u, 0xa5123456u, 0xa4abcdefu, 0xffffffffu, 0u };
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        c = (TestCtx){ 0 };
        assert_false(tsub_decode(&c, others[i]));
        assert_null(c.hit);
    }
}

/* ---- the A32 table --------------------------------------------------------- */

#include "frontend-arm/arm-translate.h"
#include "frontend-arm/a32-decode.c.inc"

static const struct {
    uint32_t insn;
    const char *pattern;   /* NULL: undefined */
} a32_cases[] = {
    { 0xe2910004, "ADD_rri" },       /* adds r0, r1, #4 */
    { 0xe1b00021, "MOV_rxri" },      /* lsrs r0, r1, #32 */
    { 0xe1a02063, "MOV_rxri" },      /* rrx r2, r3 */
    { 0xe0010312, "AND_rrrr" },      /* and r0, r1, r2, lsl r3 */
    { 0xe3100001, "TST_xri" },       /* tst r0, #1 */
    { 0xe1a0f00e, "MOV_rxri" },      /* mov pc, lr */
    { 0xe2a10fff, "ADC_rri" },       /* adc r0, r1, #1020 */
    /* multiplies and swaps live inside the data-processing space */
    { 0xe0010392, "MUL" },           /* mul r1, r2, r3 */
    { 0xe0214392, "MLA" },           /* mla r1, r2, r3, r4 */
    { 0xe0810392, "UMULL" },         /* umull r0, r1, r2, r3 */
    { 0xe0f10392, "SMLAL" },         /* smlals r0, r1, r2, r3 */
    { 0xe1020091, "SWP" },           /* swp r0, r1, [r2] */
    { 0xe1420091, "SWPB" },          /* swpb r0, r1, [r2] */
    { 0xe1910f9f, "LDREX" },         /* ldrex r0, [r1] */
    { 0xe1d10f9f, "LDREXB" },        /* ldrexb r0, [r1] */
    { 0xe1e20f91, "STREXH" },        /* strexh r0, r1, [r2] */
    { 0xe1a10f92, "STREXD" },        /* strexd r0, r2, r3, [r1] */
    /* ARMv8 (translate-v8.c) */
    { 0xe1910c9f, "LDA" },           /* lda r0, [r1] */
    { 0xe1f54c9f, "LDAH" },          /* ldah r4, [r5] */
    { 0xe1c1fc90, "STLB" },          /* stlb r0, [r1] */
    { 0xe1b12e9f, "LDAEXD" },        /* ldaexd r2, r3, [r1] */
    { 0xe1820e91, "STLEX" },         /* stlex r0, r1, [r2] */
    { 0xe1010042, "CRC32" },         /* crc32b r0, r1, r2 */
    { 0xe1410242, "CRC32C" },        /* crc32cw r0, r1, r2 */
    { 0xfe000a81, "VFP_v8" },        /* vseleq.f32 s0, s1, s2 */
    { 0xfebf0bc1, "VFP_v8" },        /* vcvtm.s32.f64 s0, d1 */
    /* extra loads/stores */
    { 0xe1d100b2, "LDRH_ri" },       /* ldrh r0, [r1, #2] */
    { 0xe16120d8, "LDRD_ri" },       /* ldrd r2, [r1, #-8]! */
    { 0xe1c120f0, "STRD_ri" },       /* strd r2, [r1] */
    { 0xe11100d2, "LDRSB_rr" },      /* ldrsb r0, [r1, -r2] */
    /* miscellaneous: carved out of TST/TEQ/CMP/CMN with S = 0 */
    { 0xe10f0000, "MRS" },
    { 0xe128f000, "MSR_reg" },       /* msr CPSR_f, r0 */
    { 0xe328f20f, "MSR_imm" },       /* msr CPSR_f, #0xf0000000 */
    { 0xe320f000, "HINT" },          /* nop */
    { 0xe320f001, "HINT" },          /* yield */
    { 0xe12fff1e, "BX" },            /* bx lr */
    { 0xe12fff33, "BLX_reg" },       /* blx r3 */
    { 0xe16f0f11, "CLZ" },           /* clz r0, r1 */
    { 0xe1020051, "QADD" },          /* qadd r0, r1, r2 */
    { 0xe1420051, "QDADD" },         /* qdadd r0, r1, r2 */
    { 0xe1212374, "BKPT" },          /* bkpt 0x1234 */
    { 0xe10032c1, "SMLAxy" },        /* smlabt r0, r1, r2, r3 */
    { 0xe12002a1, "SMULWy" },        /* smulwb r0, r1, r2 */
    { 0xe12032c1, "SMLAWy" },        /* smlawt r0, r1, r2, r3 */
    { 0xe1410382, "SMLALxy" },       /* smlalbb r0, r1, r2, r3 */
    { 0xe16002e1, "SMULxy" },        /* smultt r0, r1, r2 */
    /* loads and stores, UDF inside the register-offset space */
    { 0xe51f0004, "LDR_ri" },        /* ldr r0, [pc, #-4] */
    { 0xe4b10004, "LDRT_ri" },       /* ldrt r0, [r1], #4 */
    { 0xe6c101c2, "STRB_rr" },       /* strb r0, [r1], r2, asr #3 */
    { 0xe7f123f4, "UDF" },           /* udf #0x1234 */
    /* v6/v6T2/v7 additions carved out of wider spaces (translate-media.c) */
    { 0xe30b0eef, "MOVW" },          /* movw r0, #0xbeef (inside TST imm, S=0) */
    { 0xe34d0ead, "MOVT" },          /* movt r0, #0xdead (inside CMP imm, S=0) */
    { 0xe0410392, "UMAAL" },         /* umaal r0, r1, r2, r3 */
    { 0xe0603291, "MLS" },           /* mls r0, r1, r2, r3 */
    { 0xe6510f92, "UADD8" },         /* uadd8 r0, r1, r2 */
    { 0xe6820fb3, "SEL" },           /* sel r0, r2, r3 */
    { 0xe6810012, "PKHBT" },         /* pkhbt r0, r1, r2 */
    { 0xe6af0471, "SXTAB" },         /* sxtb r0, r1, ror #8 */
    { 0xe6a70011, "SSAT" },          /* ssat r0, #8, r1 */
    { 0xe6a70f31, "SSAT16" },        /* ssat16 r0, #8, r1 */
    { 0xe6ff0f31, "RBIT" },          /* rbit r0, r1 */
    { 0xe7003211, "SMLAD" },         /* smlad r0, r1, r2, r3 */
    { 0xe710f211, "SDIV" },          /* sdiv r0, r1, r2 */
    { 0xe7e70051, "UBFX" },          /* ubfx r0, r1, #0, #8 */
    { 0xe7c7001f, "BFI" },           /* bfc r0, #0, #8 */
    { 0xf1010000, "SETEND" },        /* setend le */
    { 0xe8bd8010, "LDM" },           /* pop {r4, pc} */
    { 0xe92d400f, "STM" },           /* push {r0-r3, lr} */
    { 0xebfffffe, "BL" },            /* bl . */
    { 0x0afffffe, "B" },             /* beq . */
    { 0xee070fba, "MCR" },           /* mcr p15, 0, r0, c7, c10, 5 */
    { 0xee1d0f70, "MRC" },           /* mrc p15, 0, r0, c13, c0, 3 */
    { 0xed900a00, "VFP_ldst" },      /* vldr s0, [r0] */
    { 0xec532b14, "VFP_ldst" },      /* vmov r2, r3, d4 */
    { 0xee300a81, "VFP_dp" },        /* vadd.f32 s0, s1, s2 */
    { 0xee021a90, "VFP_dp" },        /* vmov s5, r1 (before MCR_MRC) */
    { 0xef000000, "SVC" },
    /* the unconditional space */
    { 0xfafffffe, "BLX_imm" },
    { 0xfbfffffe, "BLX_imm" },       /* H = 1 */
    { 0xf5d0f000, "PLD_imm" },       /* pld [r0] */
    { 0xf7d0f001, "PLD_reg" },       /* pld [r0, r1] */
    { 0xf57ff01f, "CLREX" },
    { 0xf57ff05b, "DMB" },           /* dmb ish */
    { 0xf57ff04f, "DSB" },
    { 0xf57ff06f, "ISB" },
    /* undefined: cond 1111 outside the unconditional patterns, media space,
     * coprocessor loads, LDREX with bits 3:0 != 1111 */
    { 0xf2910004, NULL },
    { 0xf0010392, NULL },
    { 0xe6100010, NULL },            /* v6 media (bit 4 set in 011 space) */
    { 0xed900500, NULL },            /* ldc p5, c0, [r0] (only cp10/11 are VFP) */
    { 0xe1910f90, NULL },
    { 0xf57ff000, NULL },
};

static void test_a32_patterns(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(a32_cases) / sizeof(a32_cases[0]); i++) {
        const char *got = a32_decode_name(a32_cases[i].insn);
        if (a32_cases[i].pattern == NULL) {
            if (got)
                fail_msg("%08x: expected undefined, got %s", a32_cases[i].insn, got);
        } else if (!got || strcmp(got, a32_cases[i].pattern) != 0) {
            fail_msg("%08x: expected %s, got %s", a32_cases[i].insn, a32_cases[i].pattern,
                     got ? got : "undefined");
        }
    }
}

static void test_a32_field_extraction(void **state)
{
    (void)state;
    arg_LDRD_ri ld;
    a32_extract_LDRD_ri(&ld, 0xe16120d8);           /* ldrd r2, [r1, #-8]! */
    assert_int_equal(ld.cond, 0xe);
    assert_int_equal(ld.P, 1);
    assert_int_equal(ld.U, 0);
    assert_int_equal(ld.W, 1);
    assert_int_equal(ld.L, 0);
    assert_int_equal(ld.Rn, 1);
    assert_int_equal(ld.Rt, 2);
    assert_int_equal(ld.imm, 8);                    /* imm4H:imm4L */
    assert_int_equal(ld.op2, 2);
    arg_BL bl;
    a32_extract_BL(&bl, 0xebfffffe);                /* bl . : imm24 = -2 */
    assert_int_equal(bl.offset, -8);
    arg_B b;
    a32_extract_B(&b, 0xea7fffff);                  /* largest forward branch */
    assert_int_equal(b.offset, 0x7fffff * 4);
    a32_extract_B(&b, 0xea800000);                  /* largest backward branch */
    assert_int_equal(b.offset, -0x800000 * 4);
    arg_BLX_imm blx;
    a32_extract_BLX_imm(&blx, 0xfbfffffe);          /* H = 1: imm24:H:0 */
    assert_int_equal(blx.offset, -8 + 2);
    arg_MOVT mt;
    a32_extract_MOVT(&mt, 0xe34d0ead);              /* movt r0, #0xdead */
    assert_int_equal(mt.imm, 0xdead);
    assert_int_equal(mt.Rd, 0);
    arg_AND_rrrr dp;
    a32_extract_AND_rrrr(&dp, 0xe0010312);          /* and r0, r1, r2, lsl r3 */
    assert_int_equal(dp.opc, ARM_DP_AND);
    assert_int_equal(dp.Rn, 1);
    assert_int_equal(dp.Rd, 0);
    assert_int_equal(dp.Rs, 3);
    assert_int_equal(dp.type, 0);
    assert_int_equal(dp.Rm, 2);
    arg_SMLAxy sm;
    a32_extract_SMLAxy(&sm, 0xe10032c1);            /* smlabt r0, r1, r2, r3 */
    assert_int_equal(sm.Rd, 0);
    assert_int_equal(sm.Ra, 3);
    assert_int_equal(sm.Rm, 2);
    assert_int_equal(sm.Rn, 1);
    assert_int_equal(sm.N, 0);     /* bottom of Rn */
    assert_int_equal(sm.M, 1);     /* top of Rm */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generator_precedence),
        cmocka_unit_test(test_generator_fields),
        cmocka_unit_test(test_generator_no_match_and_result),
        cmocka_unit_test(test_generator_named_fields_and_formats),
        cmocka_unit_test(test_generator_subset),
        cmocka_unit_test(test_a32_patterns),
        cmocka_unit_test(test_a32_field_extraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
