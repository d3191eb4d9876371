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

#endif
