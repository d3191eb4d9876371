/*
 * host-signal-x86_64.h — host-signal.h on x86_64.  Only host-signal.h
 * includes this.
 *
 * The page-fault error code the kernel puts in REG_ERR has bit 1 set for
 * a write (bit 0: protection violation, bit 4: instruction fetch).
 */
#ifndef VEMU_HOST_SIGNAL_X86_64_H
#define VEMU_HOST_SIGNAL_X86_64_H

static inline uintptr_t host_signal_pc(const ucontext_t *uc)
{
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
}

static inline void host_signal_set_pc(ucontext_t *uc, uintptr_t pc)
{
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)pc;
}

static inline int host_signal_is_write(const ucontext_t *uc)
{
    return (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
}

#endif
