/* atomics.c — lock-prefixed read-modify-writes from 4 threads on shared
 * counters (lock add/inc/xadd, cmpxchg loops, xchg spin lock, lock bts/btr
 * as a bit lock, cmpxchg8b on a 64-bit counter, cmpxchg16b on x86_64): the
 * totals are exact only if every one is atomic.  Then the single-thread
 * semantics of cmpxchg/xadd/cmpxchg8b (success, failure, accumulator, ZF). */
#include "x86u.h"
#include <pthread.h>

#define THREADS 4
#define ITERS 100000

static volatile uint32_t c_add, c_inc, c_xadd, c_cas, c_locked, c_bitlocked, spin, bitlock;
static volatile uint64_t c_cas8 __attribute__((aligned(8)));
#if W64
static volatile unsigned __int128 c_cas16 __attribute__((aligned(16)));
#endif

static void cas8_inc(volatile uint64_t *p)
{
    uint32_t lo = (uint32_t)*p, hi = (uint32_t)(*p >> 32);
    for (;;) {
        uint64_t want = ((uint64_t)hi << 32 | lo) + 1;
        unsigned char ok;
#if W64
        asm volatile("lock cmpxchg8b %[m]\n\tsete %[ok]" : [m] "+m"(*p), "+a"(lo), "+d"(hi), [ok] "=q"(ok)
                     : "b"((uint32_t)want), "c"((uint32_t)(want >> 32)) : "cc", "memory");
#else
        /* ebx may be the PIC register: swap it in and out around the instruction */
        uint32_t wlo = (uint32_t)want;
        asm volatile("xchg %[wlo], %%ebx\n\tlock cmpxchg8b (%[p])\n\tsete %[ok]\n\txchg %[wlo], %%ebx"
                     : "+a"(lo), "+d"(hi), [ok] "=c"(ok), [wlo] "+S"(wlo)
                     : "c"((uint32_t)(want >> 32)), [p] "D"(p) : "cc", "memory");
#endif
        if (ok) return;
    }
}

#if W64
static void cas16_inc(volatile unsigned __int128 *p)
{
    uint64_t lo = 0, hi = 0;
    for (;;) {
        unsigned __int128 want = ((unsigned __int128)hi << 64 | lo) + 1;
        unsigned char ok;
        asm volatile("lock cmpxchg16b %[m]\n\tsete %[ok]" : [m] "+m"(*p), "+a"(lo), "+d"(hi), [ok] "=q"(ok)
                     : "b"((uint64_t)want), "c"((uint64_t)(want >> 64)) : "cc", "memory");
        if (ok) return;
    }
}
#endif

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITERS; i++) {
        asm volatile("lock addl $3, %0" : "+m"(c_add) : : "cc");
        asm volatile("lock incl %0" : "+m"(c_inc) : : "cc");
        uint32_t one = 1;
        asm volatile("lock xaddl %1, %0" : "+m"(c_xadd), "+r"(one) : : "cc");
        uint32_t old = c_cas, nw;
        do {
            nw = old + 2;
        } while (!__atomic_compare_exchange_n(&c_cas, &old, nw, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
        /* xchg spin lock around a plain increment */
        uint32_t v;
        do { v = 1; asm volatile("xchgl %0, %1" : "+r"(v), "+m"(spin) : : "memory"); } while (v);
        c_locked = c_locked + 1;
        asm volatile("movl $0, %0" : "+m"(spin) : : "memory");
        /* lock bts/btr bit lock around another plain increment */
        unsigned char was;
        do { asm volatile("lock btsl $5, %0\n\tsetc %1" : "+m"(bitlock), "=q"(was) : : "cc", "memory"); } while (was);
        c_bitlocked = c_bitlocked + 1;
        asm volatile("lock btrl $5, %0" : "+m"(bitlock) : : "cc", "memory");
        if ((i & 3) == 0) {
            cas8_inc(&c_cas8);
#if W64
            cas16_inc(&c_cas16);
#endif
        }
    }
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    printf("add %u inc %u xadd %u cas %u locked %u %u cas8 %llu\n", c_add, c_inc, c_xadd, c_cas, c_locked, c_bitlocked,
           (unsigned long long)c_cas8);
#if W64
    printf("w: cas16 %llu\n", (unsigned long long)c_cas16);
#endif
    /* single-thread semantics */
    uint32_t m = 5, a = 5, n = 9;
    unsigned char z;
    asm volatile("lock cmpxchgl %[n], %[m]\n\tsetz %[z]" : [m] "+m"(m), "+a"(a), [z] "=q"(z) : [n] "r"(n) : "cc");
    printf("cmpxchg equal: m %u eax %u zf %u\n", m, a, z);
    a = 7;
    asm volatile("cmpxchgl %[n], %[m]\n\tsetz %[z]" : [m] "+m"(m), "+a"(a), [z] "=q"(z) : [n] "r"(n) : "cc");
    printf("cmpxchg differ: m %u eax %u zf %u\n", m, a, z);
    uint8_t mb = 0xf0, ab = 0x0f, nb = 0x11;
    asm volatile("cmpxchgb %[n], %[m]\n\tsetz %[z]" : [m] "+m"(mb), "+a"(ab), [z] "=q"(z) : [n] "q"(nb) : "cc");
    printf("cmpxchgb differ: m %x al %x zf %u\n", mb, ab, z);
    uint32_t r = 0xfffffff0, x = 0x20;
    unsigned long f;
    asm volatile("xaddl %[x], %[r]\n\t" RZ_DOWN "pushf\n\tpop %[f]\n\t" RZ_UP : [r] "+r"(r), [x] "+r"(x), [f] "=r"(f) : : "cc");
    printf("xadd reg: r %x x %x flags %lx\n", r, x, f & F_ARITH);
    uint16_t rw = 0x8000, xw = 0x8000;
    asm volatile("lock xaddw %[x], %[r]\n\t" RZ_DOWN "pushf\n\tpop %[f]\n\t" RZ_UP : [r] "+m"(rw), [x] "+r"(xw), [f] "=r"(f) : : "cc");
    printf("xadd word: r %x x %x flags %lx\n", rw, xw, f & F_ARITH);
    c_cas8 = 0x1122334455667788ull;
    uint32_t lo = 1, hi = 2;
#if W64
    asm volatile("cmpxchg8b %[m]\n\tsetz %[z]" : [m] "+m"(c_cas8), "+a"(lo), "+d"(hi), [z] "=q"(z) : "b"(0), "c"(0) : "cc");
#else
    uint32_t zero = 0;
    asm volatile("xchg %[w], %%ebx\n\tcmpxchg8b (%[p])\n\tsetz %[z]\n\txchg %[w], %%ebx" : "+a"(lo), "+d"(hi), [z] "=c"(z), [w] "+S"(zero) : "c"(0), [p] "D"(&c_cas8) : "cc", "memory");
#endif
    printf("cmpxchg8b differ: edx:eax %x:%x zf %u m %llx\n", hi, lo, z, (unsigned long long)c_cas8);
    return 0;
}
