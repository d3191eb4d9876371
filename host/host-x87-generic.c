/*
 * host-x87-generic.c — host-x87.h on a host without an x87 unit (aarch64):
 * every operation is the portable 80-bit arithmetic of host-x87-soft.c
 * and host-x87-soft-trans.c, which has the same results and status bits
 * (tests/unit/test-x87-soft.c compares the two on an x86_64 host).
 *
 * This file only routes host-x87.h's operand formats to the soft
 * functions.  The soft arithmetic keeps no sticky state: each operation's
 * flags are its own (host-x87.h allows that), so clearing is a no-op and
 * the "host status word" is 0.  m80 loads and stores are plain copies, as
 * on the hardware (no exception for an extended-format operand).
 */
#include "host/host-x87.h"

#if !defined(__x86_64__)
#include "host/host-x87-soft.h"

void host_x87_clear_flags(void) {}

uint16_t host_x87_status(void) { return 0; }

uint16_t host_x87_arith(HostX87Arith op, uint16_t fcw, HostF80 *dst, const HostF80 *src,
                        HostX87Fmt fmt)
{
    if (fmt == HOST_X87_ST)
        return host_x87_soft_arith(op, fcw, dst, src);
    return host_x87_soft_arith_mem(op, fcw, dst, src, fmt);
}

uint16_t host_x87_compare(bool unordered, uint16_t fcw, const HostF80 *a, const HostF80 *src,
                          HostX87Fmt fmt)
{
    (void)fcw;   /* a compare writes no destination: the masks change nothing */
    if (fmt == HOST_X87_ST)
        return host_x87_soft_compare(unordered, a, src);
    return host_x87_soft_compare_mem(a, src, fmt);
}

uint16_t host_x87_load(uint16_t fcw, HostF80 *dst, const HostF80 *src, HostX87Fmt fmt)
{
    if (fmt == HOST_X87_ST || fmt == HOST_X87_M80FP) {
        dst->mant = src->mant;
        dst->sign_exp = src->sign_exp;
        return 0;
    }
    return host_x87_soft_load_fcw(fcw, dst, src, fmt);
}

uint16_t host_x87_store(uint16_t fcw, HostF80 *mem, const HostF80 *src, HostX87Fmt fmt,
                        bool truncate)
{
    if (fmt == HOST_X87_ST || fmt == HOST_X87_M80FP) {
        mem->mant = src->mant;
        mem->sign_exp = src->sign_exp;
        return 0;
    }
    return host_x87_soft_store(fcw, mem, src, fmt, truncate);
}

uint16_t host_x87_const(uint16_t fcw, HostF80 *dst, HostX87Const k)
{
    return host_x87_soft_const(fcw, dst, k);
}

uint16_t host_x87_func(HostX87Func op, uint16_t fcw, HostF80 st[2], int *pushed)
{
    return host_x87_soft_func(op, fcw, st, pushed);
}

#else
typedef int host_x87_generic_unused;   /* x86_64: host-x87-x86_64.c */
#endif
