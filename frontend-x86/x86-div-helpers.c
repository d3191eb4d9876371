/*
 * x86-div-helpers.c — DIV and IDIV (SDM vol. 2, "DIV", "IDIV"): the
 * dividend is rDX:rAX (AX for a byte divisor), the quotient goes to rAX
 * (AL), the remainder to rDX (AH); a zero divisor or a quotient that does
 * not fit raises #DE (X86_EXCP_DE: SIGFPE, FPE_INTDIV) at the instruction.
 * 32-bit results clear the upper halves as any 32-bit register write.
 */
#include "exec/exec.h"
#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-helpers.h"

/* In the helper itself: its return address is in the generated code. */
#define RAISE_DE(cpu) exec_raise(&(cpu)->common, X86_EXCP_DE, X86_GETPC())

void x86_helper_div8(void *env, uint64_t divisor)
{
    X86CPU *cpu = env;
    uint32_t n = (uint16_t)cpu->regs[X86_RAX], d = (uint8_t)divisor;
    if (!d || n / d > 0xff)
        RAISE_DE(cpu);
    cpu->regs[X86_RAX] = (cpu->regs[X86_RAX] & ~0xffffull) | (n % d) << 8 | (n / d);
}

void x86_helper_div16(void *env, uint64_t divisor)
{
    X86CPU *cpu = env;
    uint32_t n = (uint32_t)(uint16_t)cpu->regs[X86_RDX] << 16 | (uint16_t)cpu->regs[X86_RAX];
    uint32_t d = (uint16_t)divisor;
    if (!d || n / d > 0xffff)
        RAISE_DE(cpu);
    cpu->regs[X86_RAX] = (cpu->regs[X86_RAX] & ~0xffffull) | (n / d);
    cpu->regs[X86_RDX] = (cpu->regs[X86_RDX] & ~0xffffull) | (n % d);
}

void x86_helper_div32(void *env, uint64_t divisor)
{
    X86CPU *cpu = env;
    uint64_t n = (uint64_t)(uint32_t)cpu->regs[X86_RDX] << 32 | (uint32_t)cpu->regs[X86_RAX];
    uint64_t d = (uint32_t)divisor;
    if (!d || n / d > 0xffffffffull)
        RAISE_DE(cpu);
    cpu->regs[X86_RAX] = (uint32_t)(n / d);
    cpu->regs[X86_RDX] = (uint32_t)(n % d);
}

void x86_helper_div64(void *env, uint64_t divisor)
{
    X86CPU *cpu = env;
    unsigned __int128 n = (unsigned __int128)cpu->regs[X86_RDX] << 64 | cpu->regs[X86_RAX];
    if (!divisor || n / divisor > UINT64_MAX)
        RAISE_DE(cpu);
    cpu->regs[X86_RAX] = (uint64_t)(n / divisor);
    cpu->regs[X86_RDX] = (uint64_t)(n % divisor);
}

void x86_helper_idiv8(void *env, uint64_t divisor)
{
    X86CPU *cpu = env;
    int32_t n = (int16_t)cpu->regs[X86_RAX], d = (int8_t)divisor;
    if (!d)
        RAISE_DE(cpu);
    int32_t q = n / d, r = n % d;
    if (q != (int8_t)q)
        RAISE_DE(cpu);
    cpu->regs[X86_RAX] = (cpu->regs[X86_RAX] & ~0xffffull) | (uint32_t)(uint8_t)r << 8 | (uint8_t)q;
}

void x86_helper_idiv16(void *env, uint64_t divisor)
{
    X86CPU *cpu = env;
    int32_t n = (int32_t)((uint32_t)(uint16_t)cpu->regs[X86_RDX] << 16 | (uint16_t)cpu->regs[X86_RAX]);
    int32_t d = (int16_t)divisor;
    if (!d)
        RAISE_DE(cpu);
    int64_t q = (int64_t)n / d, r = (int64_t)n % d;
    if (q != (int16_t)q)
        RAISE_DE(cpu);
    cpu->regs[X86_RAX] = (cpu->regs[X86_RAX] & ~0xffffull) | (uint16_t)q;
    cpu->regs[X86_RDX] = (cpu->regs[X86_RDX] & ~0xffffull) | (uint16_t)r;
}

void x86_helper_idiv32(void *env, uint64_t divisor)
{
    X86CPU *cpu = env;
    int64_t n = (int64_t)((uint64_t)(uint32_t)cpu->regs[X86_RDX] << 32 | (uint32_t)cpu->regs[X86_RAX]);
    int64_t d = (int32_t)divisor;
    if (!d || (n == INT64_MIN && d == -1))
        RAISE_DE(cpu);
    int64_t q = n / d, r = n % d;
    if (q != (int32_t)q)
        RAISE_DE(cpu);
    cpu->regs[X86_RAX] = (uint32_t)q;
    cpu->regs[X86_RDX] = (uint32_t)r;
}

void x86_helper_idiv64(void *env, uint64_t divisor)
{
    X86CPU *cpu = env;
    __int128 n = (__int128)((unsigned __int128)cpu->regs[X86_RDX] << 64 | cpu->regs[X86_RAX]);
    __int128 d = (int64_t)divisor;
    if (!d || (n == (__int128)((unsigned __int128)1 << 127) && d == -1))
        RAISE_DE(cpu);
    __int128 q = n / d, r = n % d;
    if (q != (int64_t)q)
        RAISE_DE(cpu);
    cpu->regs[X86_RAX] = (uint64_t)q;
    cpu->regs[X86_RDX] = (uint64_t)r;
}
