/*
 * fp16-prog.c — ordinary C on _Float16, compiled for ARMv8.2 with FEAT_FP16
 * (-march=armv8.2-a+fp16 -mfpu=fp-armv8 -fno-math-errno): gcc 12 does the
 * arithmetic, comparisons, conversions, sqrt, fma, fmin/fmax and rounding
 * with the half-precision instructions themselves (VADD.F16 ... VMOV.F16,
 * VLDR.16; tests/armv8/run.sh checks the disassembly), under each rounding
 * mode and with FZ16.  Its whole output is compared with qemu-arm -cpu max.
 * libm has no _Float16 functions, so sqrt, fma, min/max, rounding and the
 * rounding conversions come from ACLE's <arm_fp16.h>.  Values cross memory
 * only as integer bits: gcc 12 moves _Float16 to and from memory with the
 * Advanced SIMD VLD1.16/VST1.16 even without NEON (-mfpu=fp-armv8), which
 * no FP16-without-NEON core has.
 */
#include <arm_fp16.h>
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>

/* gcc 12 does not pass FP16 on to the assembler with -mfpu=fp-armv8 */
__asm__(".arch_extension fp16");

typedef _Float16 h;

/* 0 -0 1 -1.5 2.5 0.1 pi 65504 -65504 min-normal min-denormal -min-denormal
 * 1000.5 2049 0.333 inf -inf qNaN 7 -0.75 denormal sNaN 0.5 1.5 */
static volatile uint16_t val_bits[] = {
    0x0000, 0x8000, 0x3c00, 0xbe00, 0x4100, 0x2e66, 0x4248, 0x7bff, 0xfbff, 0x0400, 0x0001,
    0x8001, 0x63d1, 0x6801, 0x3555, 0x7c00, 0xfc00, 0x7e00, 0x4700, 0xba00, 0x02aa, 0x7d01,
    0x3800, 0x3e00,
};
#define N (sizeof(val_bits) / sizeof(val_bits[0]))

static h from_bits(unsigned u)
{
    h x;
    __asm__("vmov.f16 %0, %1" : "=t"(x) : "r"(u));
    return x;
}

static unsigned bits(h x)
{
    unsigned u;
    __asm__("vmov.f16 %0, %1" : "=r"(u) : "t"(x));
    return u;
}
#define vals(i) from_bits(val_bits[i])

static unsigned flags(void)
{
    unsigned f = (unsigned)fetestexcept(FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    return f;
}

__attribute__((noinline)) static h add(h a, h b) { return a + b; }
__attribute__((noinline)) static h sub(h a, h b) { return a - b; }
__attribute__((noinline)) static h mul(h a, h b) { return a * b; }
__attribute__((noinline)) static h dvd(h a, h b) { return a / b; }
__attribute__((noinline)) static h mla(h a, h b, h c) { return c + a * b; }
__attribute__((noinline)) static h fma16(h a, h b, h c) { return vfmah_f16(c, a, b); }
__attribute__((noinline)) static h sqrt16(h a) { return vsqrth_f16(a); }
__attribute__((noinline)) static h max16(h a, h b) { return vmaxnmh_f16(a, b); }
__attribute__((noinline)) static h min16(h a, h b) { return vminnmh_f16(a, b); }
__attribute__((noinline)) static h neg16(h a) { return -a; }
__attribute__((noinline)) static h abs16(h a) { return a < 0 ? -a : a; }
__attribute__((noinline)) static int cvt_round(h a, int k)
{
    switch (k) {
    case 0: return vcvtah_s32_f16(a);
    case 1: return (int)vcvtmh_u32_f16(a);
    case 2: return vcvtnh_s32_f16(a);
    case 3: return (int)vcvtph_u32_f16(a);
    case 4: return vcvth_n_s32_f16(a, 5);
    default: return (int)vcvth_n_u32_f16(a, 13);
    }
}
__attribute__((noinline)) static h from_fixed(int i) { return vcvth_n_f16_s32(i, 9); }
__attribute__((noinline)) static int lt(h a, h b) { return a < b; }
__attribute__((noinline)) static int le(h a, h b) { return a <= b; }
__attribute__((noinline)) static int eq(h a, h b) { return a == b; }
__attribute__((noinline)) static int to_int(h a) { return (int)a; }
__attribute__((noinline)) static unsigned to_uint(h a) { return (unsigned)a; }
__attribute__((noinline)) static h from_int(int i) { return (h)i; }
__attribute__((noinline)) static h from_uint(unsigned i) { return (h)i; }
__attribute__((noinline)) static h sel(h a, h b) { return a > b ? a : b; }
__attribute__((noinline)) static h rnd(h a, int k)
{
    switch (k) {
    case 0: return vrndah_f16(a);
    case 1: return vrndmh_f16(a);
    case 2: return vrndph_f16(a);
    case 3: return vrndh_f16(a);
    case 4: return vrndxh_f16(a);
    case 5: return vrndnh_f16(a);
    default: return vrndih_f16(a);
    }
}

static void run(const char *mode)
{
    unsigned long hsh = 5381;
#define MIX(v) (hsh = hsh * 33 ^ (unsigned long)(v))
    for (unsigned i = 0; i < N; i++) {
        h a = vals(i);
        MIX(bits(sqrt16(a))); MIX(flags());
        MIX(bits(neg16(a))); MIX(bits(abs16(a)));
        MIX(to_int(a)); MIX(to_uint(a > 0 ? a : -a)); MIX(flags());
        for (int k = 0; k < 7; k++) {
            MIX(bits(rnd(a, k)));
            MIX(flags());
            MIX(cvt_round(a, k));
            MIX(flags());
        }
        for (unsigned j = 0; j < N; j++) {
            h b = vals(j);
            MIX(bits(add(a, b))); MIX(bits(sub(a, b))); MIX(flags());
            MIX(bits(mul(a, b))); MIX(bits(dvd(a, b))); MIX(flags());
            MIX(bits(mla(a, b, vals((i + j) % N)))); MIX(bits(fma16(a, b, vals((i * 3 + j) % N))));
            MIX(flags());
            MIX(bits(max16(a, b))); MIX(bits(min16(a, b))); MIX(bits(sel(a, b)));
            MIX(lt(a, b)); MIX(le(a, b)); MIX(eq(a, b)); MIX(flags());
        }
    }
    for (int i = -70000; i <= 70000; i += 997) {
        MIX(bits(from_int(i))); MIX(bits(from_uint((unsigned)i * 7919u))); MIX(flags());
        MIX(bits(from_fixed(i))); MIX(flags());
    }
    printf("%-8s %016lx  1/3=%04x 2049+1=%04x sqrt2=%04x fma=%04x\n", mode, hsh,
           bits(dvd(1, vals(N - 1) * 2)), bits(add(vals(13), vals(2))), bits(sqrt16(vals(4))),
           bits(fma16(vals(5), vals(18), -vals(2))));
    flags();
}

int main(void)
{
    static const struct { int mode; const char *name; } modes[] = {
        { FE_TONEAREST, "nearest" }, { FE_UPWARD, "up" }, { FE_DOWNWARD, "down" },
        { FE_TOWARDZERO, "zero" },
    };
    for (unsigned m = 0; m < 4; m++) {
        fesetround(modes[m].mode);
        run(modes[m].name);
    }
    fesetround(FE_TONEAREST);
    /* FZ16 (FPSCR bit 19): half-precision denormals flush, single ones do not */
    unsigned fpscr;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(fpscr));
    __asm__ volatile("vmsr fpscr, %0" : : "r"(fpscr | 1u << 19));
    run("fz16");
    __asm__ volatile("vmrs %0, fpscr" : "=r"(fpscr));
    printf("fpscr.fz16=%u\n", fpscr >> 19 & 1);
    return 0;
}
