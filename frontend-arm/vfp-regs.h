/*
 * vfp-regs.h — private to frontend-arm: the extension registers as the
 * VFP translators (translate-vfp.c, translate-v8.c) see them.  D0-D31 are
 * i64 IR globals (cpu_D); S2n and S2n+1 are the low and high halves of Dn.
 * The decode tables put register numbers together (Vx:x for a single
 * register, x:Vx for a double one: %vd_sp, %vd_dp, ...), so a translator
 * receives S or D numbers.
 */
#ifndef VEMU_VFP_REGS_H
#define VEMU_VFP_REGS_H

#include "frontend-arm/arm-vfp.h"

/* D16-D31 exist only with VFP_D32 (else the encoding is undefined). */
static inline bool dreg_ok(DisasContext *s, int d)
{
    return d < 16 || arm_has(s, ARM_FEATURE_VFP_D32);
}

static inline IRTemp load_sreg(DisasContext *s, int r)
{
    IRTemp d = cpu_D[r >> 1];
    return (r & 1) ? ir_extrh_i64_i32(s->b, d) : ir_extrl_i64_i32(s->b, d);
}

static inline void store_sreg(DisasContext *s, int r, IRTemp v)
{
    IRTemp d = cpu_D[r >> 1];
    ir_mov_to(s->b, d, ir_deposit(s->b, d, ir_extu_i32_i64(s->b, v), (r & 1) * 32, 32));
}

/* A copy of the register's value (i64 for D, i32 for S): stays valid when
 * the register is written. */
static inline IRTemp load_vreg(DisasContext *s, bool dp, int r)
{
    return dp ? ir_mov(s->b, cpu_D[r]) : load_sreg(s, r);
}

static inline void store_vreg(DisasContext *s, bool dp, int r, IRTemp v)
{
    if (dp)
        ir_mov_to(s->b, cpu_D[r], v);
    else
        store_sreg(s, r, v);
}

static inline IRTemp call1(DisasContext *s, const IRHelper *h, IRTemp a)
{
    IRTemp in[1] = { a };
    return ir_call_helper(s->b, h, in);
}

static inline IRTemp call2(DisasContext *s, const IRHelper *h, IRTemp a, IRTemp b)
{
    IRTemp in[2] = { a, b };
    return ir_call_helper(s->b, h, in);
}

static inline IRTemp call3(DisasContext *s, const IRHelper *h, IRTemp a, IRTemp b, IRTemp c)
{
    IRTemp in[3] = { a, b, c };
    return ir_call_helper(s->b, h, in);
}

#endif
