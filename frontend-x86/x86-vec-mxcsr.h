/*
 * x86-vec-mxcsr.h — the guest's MXCSR as others must read and write it
 * (STMXCSR/LDMXCSR, FXSAVE/XSAVE images, signal frames, tests): the vector
 * helpers keep exception flags pending in the host's MXCSR
 * (x86-vec-fp-host.h), so vec.mxcsr alone may lack some.
 */
#ifndef VEMU_X86_VEC_MXCSR_H
#define VEMU_X86_VEC_MXCSR_H

#include <stdint.h>

struct X86CPU;

/* The guest's MXCSR, pending flags included (on the cpu's own thread). */
uint32_t x86_vec_mxcsr_get(const struct X86CPU *cpu);
/* Set it: pending flags are dropped (on the cpu's own thread); a plain
 * store to vec.mxcsr from elsewhere is noticed by the next helper. */
void x86_vec_mxcsr_set(struct X86CPU *cpu, uint32_t val);

#endif
