/*
 * fault-branches.h — a compare, then a guest access that may fault, then a
 * branch on the compare's flags: the shape whose flags must survive a fault
 * resumed at the access (tests/linux-user/fault-resume.c under vemu-arm,
 * tests/system-fault/demand-fault.c in a guest under vemu-system-arm).
 */
#ifndef VEMU_TESTS_FAULT_BRANCHES_H
#define VEMU_TESTS_FAULT_BRANCHES_H

/* 1 when a != b: cmp, then a load that may fault, then the branch. */
static inline int ne_after_load(int a, int b, volatile int *p, int *loaded)
{
    int r, v;
    __asm__ volatile("cmp   %[a], %[b]\n\t"
                     "ldr   %[v], [%[p]]\n\t"
                     "bne   1f\n\t"
                     "mov   %[r], #0\n\t"
                     "b     2f\n"
                     "1:\n\t"
                     "mov   %[r], #1\n"
                     "2:\n"
                     : [r] "=&r"(r), [v] "=&r"(v)
                     : [a] "r"(a), [b] "r"(b), [p] "r"(p)
                     : "cc", "memory");
    *loaded = v;
    return r;
}

/* 1 when a >= b (unsigned): cmp, then a store that may fault, then bhs. */
static inline int hs_after_store(unsigned a, unsigned b, volatile int *p)
{
    int r;
    __asm__ volatile("cmp   %[a], %[b]\n\t"
                     "str   %[a], [%[p]]\n\t"
                     "bhs   1f\n\t"
                     "mov   %[r], #0\n\t"
                     "b     2f\n"
                     "1:\n\t"
                     "mov   %[r], #1\n"
                     "2:\n"
                     : [r] "=&r"(r)
                     : [a] "r"(a), [b] "r"(b), [p] "r"(p)
                     : "cc", "memory");
    return r;
}

#endif
