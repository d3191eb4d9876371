/*
 * host-x87-soft.h — the portable, exact 80-bit arithmetic (host-x87-soft.c),
 * the beginning of host-x87.h for hosts without an x87 unit.  Masked
 * exceptions only; register operands.  Same results and status bits as
 * host_x87_arith / host_x87_func(FSQRT) / host_x87_compare, except that
 * the flags are always this operation's alone.
 */
#ifndef VEMU_HOST_X87_SOFT_H
#define VEMU_HOST_X87_SOFT_H

#include <stdbool.h>
#include <stdint.h>

#include "host/host-x87.h"

uint16_t host_x87_soft_arith(HostX87Arith op, uint16_t fcw, HostF80 *dst, const HostF80 *src);
uint16_t host_x87_soft_sqrt(uint16_t fcw, HostF80 *v);
uint16_t host_x87_soft_compare(bool unordered, const HostF80 *a, const HostF80 *b);
/* FLD m32/m64, FILD m16/m32/m64 */
uint16_t host_x87_soft_load(HostF80 *dst, const HostF80 *src, HostX87Fmt fmt);
/* FST m32/m64, FIST m16/m32/m64, FISTTP (truncate) */
uint16_t host_x87_soft_store(uint16_t fcw, HostF80 *mem, const HostF80 *src, HostX87Fmt fmt,
                             bool truncate);

#endif
