/*
 * x87-helpers.c — the helpers generated x87 code calls (x87-helpers.def):
 * unpack the descriptor, run the instruction on the cpu's X87State
 * (x87.c) or build/take an image (x86-fxsave.c).
 */
#include <stddef.h>
#include <string.h>

#include "frontend-x86/x86-fxsave.h"
#include "frontend-x86/x86-translate.h"
#include "frontend-x86/x87-helpers.h"
#include "frontend-x86/x87.h"

static inline X87State *fpu(void *env) { return &((X86CPU *)env)->fpu; }

void x86_helper_x87_fld_mem(void *env, uint32_t fmt, uint64_t lo, uint32_t hi)
{
    HostF80 src = { .mant = lo, .sign_exp = (uint16_t)hi };
    x87_fld_mem(fpu(env), (HostX87Fmt)fmt, &src);
}

uint64_t x86_helper_x87_fst_mem(void *env, uint32_t desc)
{
    X87State *f = fpu(env);
    HostF80 out;
    memset(&out, 0, sizeof out);
    bool store = x87_fst_mem(f, (HostX87Fmt)(desc & 15), desc & X87D_TRUNC, desc & X87D_POP, &out);
    memcpy(f->image + 8, &out.sign_exp, 2);
    f->image[X87_IMAGE_STORE_FLAG] = store;
    return out.mant;
}

void x86_helper_x87_arith(void *env, uint32_t desc)
{
    x87_arith_st(fpu(env), (HostX87Arith)(desc & 7), (desc >> 4) & 7, (desc >> 8) & 7,
                 (desc >> 12) & 1);
}

void x86_helper_x87_arith_mem(void *env, uint32_t desc, uint64_t v)
{
    HostF80 src = { .mant = v };
    x87_arith_mem(fpu(env), (HostX87Arith)(desc & 7), (HostX87Fmt)((desc >> 4) & 15), &src);
}

void x86_helper_x87_fcom(void *env, uint32_t desc)
{
    x87_fcom_st(fpu(env), desc & 7, (desc >> 4) & 1, (desc >> 8) & 3);
}

void x86_helper_x87_fcom_mem(void *env, uint32_t desc, uint64_t v)
{
    HostF80 src = { .mant = v };
    x87_fcom_mem(fpu(env), (HostX87Fmt)(desc & 15), &src, desc & X87D_POP);
}

uint32_t x86_helper_x87_fcomi(void *env, uint32_t desc)
{
    return x87_fcomi(fpu(env), desc & 7, (desc >> 4) & 1, (desc >> 8) & 3);
}

void x86_helper_x87_op(void *env, uint32_t desc)
{
    X87State *f = fpu(env);
    unsigned op = desc & 0xff, i = (desc >> 8) & 7;
    if (op >= X87_OP_FUNC) {
        x87_func(f, (HostX87Func)(op - X87_OP_FUNC));
        return;
    }
    if (op >= X87_OP_CONST) {
        x87_fld_const(f, (HostX87Const)(op - X87_OP_CONST));
        return;
    }
    switch (op) {
    case X87_OP_FLD_ST: x87_fld_st(f, i); break;
    case X87_OP_FST_ST: x87_fst_st(f, i, false); break;
    case X87_OP_FSTP_ST: x87_fst_st(f, i, true); break;
    case X87_OP_FXCH: x87_fxch(f, i); break;
    case X87_OP_FFREE: x87_ffree(f, i, false); break;
    case X87_OP_FFREEP: x87_ffree(f, i, true); break;
    case X87_OP_FCHS: x87_fchs(f); break;
    case X87_OP_FABS: x87_fabs(f); break;
    case X87_OP_FTST: x87_ftst(f); break;
    case X87_OP_FXAM: x87_fxam(f); break;
    case X87_OP_FINCSTP: x87_fincstp(f); break;
    case X87_OP_FDECSTP: x87_fdecstp(f); break;
    case X87_OP_FNCLEX: x87_fnclex(f); break;
    case X87_OP_FNINIT: x87_init(f); break;
    case X87_OP_MASKALL: x87_fldcw(f, f->fcw | X87_SW_EXC); break;
    }
}

void x86_helper_x87_fcmov(void *env, uint32_t i, uint32_t cond)
{
    x87_fcmov(fpu(env), i & 7, cond != 0);
}

void x86_helper_x87_fldcw(void *env, uint32_t cw)
{
    x87_fldcw(fpu(env), (uint16_t)cw);
}

uint32_t x86_helper_x87_fnstsw(void *env)
{
    x87_sync_host_flags(fpu(env));
    return x87_fsw(fpu(env));
}

void x86_helper_x87_image_store(void *env, uint32_t desc, uint64_t rfbm)
{
    X86CPU *cpu = env;
    unsigned flags = (desc >> 8) & 0xff;
    x87_sync_host_flags(&cpu->fpu);
    switch (desc & 0xff) {
    case X87_IMG_FENV:
        x86_fstenv(cpu, cpu->fpu.image, flags);
        break;
    case X87_IMG_FSAVE:
        x86_fsave(cpu, cpu->fpu.image, flags);
        break;
    case X87_IMG_FXSAVE:
        x86_fxsave(cpu, cpu->fpu.image, flags);
        break;
    case X87_IMG_XSAVE:
        x86_xsave(cpu, cpu->fpu.image, rfbm, X86_XSAVE_STD, flags);
        break;
    case X87_IMG_XSAVEOPT:
        x86_xsave(cpu, cpu->fpu.image, rfbm, X86_XSAVE_OPT, flags);
        break;
    case X87_IMG_XSAVEC:
        x86_xsave(cpu, cpu->fpu.image, rfbm, X86_XSAVE_C, flags);
        break;
    }
}

uint32_t x86_helper_x87_image_load(void *env, uint32_t desc, uint64_t rfbm)
{
    X86CPU *cpu = env;
    unsigned flags = (desc >> 8) & 0xff;
    uint64_t xcr0 = (desc >> 16) & 0xff;
    switch (desc & 0xff) {
    case X87_IMG_FENV:
        x86_fldenv(cpu, cpu->fpu.image, flags);
        return 0;
    case X87_IMG_FSAVE:
        x86_frstor(cpu, cpu->fpu.image, flags);
        return 0;
    case X87_IMG_FXSAVE:
        return (uint32_t)x86_fxrstor(cpu, cpu->fpu.image, flags);
    default:
        return (uint32_t)x86_xrstor(cpu, cpu->fpu.image, rfbm, xcr0, flags);
    }
}
