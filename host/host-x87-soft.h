/*
 * host-x87-soft.h — the portable 80-bit arithmetic (host-x87-soft.c and
 * host-x87-soft-trans.c), host-x87.h for hosts without an x87 unit.
 * Same results and status bits as host_x87_arith / host_x87_func /
 * host_x87_compare / _load / _store / _const, unmasked exceptions
 * included (the transcendental values: see host_x87_soft_func), except
 * that the flags are always this operation's alone.
 */
#ifndef VEMU_HOST_X87_SOFT_H
#define VEMU_HOST_X87_SOFT_H

#include <stdbool.h>
#include <stdint.h>

#include "host/host-x87.h"

uint16_t host_x87_soft_arith(HostX87Arith op, uint16_t fcw, HostF80 *dst, const HostF80 *src);
uint16_t host_x87_soft_sqrt(uint16_t fcw, HostF80 *v);
uint16_t host_x87_soft_compare(bool unordered, const HostF80 *a, const HostF80 *b);
/* FLD m32/m64, FILD m16/m32/m64, FBLD */
uint16_t host_x87_soft_load(HostF80 *dst, const HostF80 *src, HostX87Fmt fmt);
/* the same with host_x87_load's control word (unmasked exceptions) */
uint16_t host_x87_soft_load_fcw(uint16_t fcw, HostF80 *dst, const HostF80 *src, HostX87Fmt fmt);
/* FST m32/m64, FIST m16/m32/m64, FISTTP (truncate), FBSTP */
uint16_t host_x87_soft_store(uint16_t fcw, HostF80 *mem, const HostF80 *src, HostX87Fmt fmt,
                             bool truncate);

/* FLD1 ... FLDZ */
uint16_t host_x87_soft_const(uint16_t fcw, HostF80 *dst, HostX87Const k);
/* FRNDINT of *v in place */
uint16_t host_x87_soft_frndint(uint16_t fcw, HostF80 *v);
/* FXTRACT of v: st[0] the significand (the new ST(0)), st[1] the exponent */
uint16_t host_x87_soft_fxtract(const HostF80 *v, HostF80 st[2]);

/* the memory forms: *dst = *dst op m32fp/m64fp/m16int/m32int */
uint16_t host_x87_soft_arith_mem(HostX87Arith op, uint16_t fcw, HostF80 *dst, const HostF80 *src,
                                 HostX87Fmt fmt);
/* FCOM m32fp/m64fp, FICOM m16int/m32int */
uint16_t host_x87_soft_compare_mem(const HostF80 *a, const HostF80 *src, HostX87Fmt fmt);
/* FSCALE: st0 = st0 * 2^trunc(st1) */
uint16_t host_x87_soft_fscale(uint16_t fcw, HostF80 *st0, const HostF80 *st1);

/* FPREM (ieee false) / FPREM1: st0 = the partial remainder of st0 / st1.
 * Without a quotient (NaN result) C0 and C3 come back clear: the caller
 * keeps its own, as the hardware does (frontend-x86/x87.c). */
uint16_t host_x87_soft_fprem(bool ieee, HostF80 *st0, const HostF80 *st1);

/* Every HostX87Func (host-x87-soft-trans.c has the transcendental ones:
 * F2XM1 FSIN FCOS FSINCOS FPTAN FPATAN FYL2X FYL2XP1), with the same
 * arguments and results as host_x87_func.  The
 * transcendental values are correctly rounded; the x87's differ in the
 * last bit or C1 in a few percent of ordinary cases (docs/x87.md). */
uint16_t host_x87_soft_func(HostX87Func op, uint16_t fcw, HostF80 st[2], int *pushed);

/* Shared by host-x87-soft.c and host-x87-soft-trans.c only: round
 * sign * sig * 2^(exp - 127) (sig != 0, any normalisation) as fcw says
 * and pack it (status OE UE PE C1); the NaN result of one (b NULL) or two
 * operands of which at least one is a NaN (status IE for an SNaN). */
uint16_t host_x87_soft_round_pack(HostF80 *r, bool sign, int32_t exp, unsigned __int128 sig,
                                  uint16_t fcw);
uint16_t host_x87_soft_nan_result(HostF80 *r, const HostF80 *a, const HostF80 *b);

#endif
