/*
 * interp.c — a bytecode interpreter: a switch on the opcode in a loop, the
 * shape of every scripting-language VM.  The indirect branch of the switch
 * dispatch is what emulators find hardest.  The program computes primes
 * and a running hash with a tiny stack machine.
 */
#include "bench-common.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, LE, JZ, JMP, DUP, DROP, INC, HASH, HALT };

/* vars: 0 = n, 1 = d, 2 = count, 3 = limit
 *   for (n = 2; n < limit; n++) {
 *       for (d = 2; d * d <= n; d++)
 *           if (n % d == 0) goto next;
 *       count++; h = hash(h, n);
 *   next: ;
 *   }
 */
static const int32_t program[] = {
    /*  0 */ PUSH, 2, STORE, 0,
    /*  4 */ LOAD, 0, LOAD, 3, LT, JZ, 44,
    /* 11 */ PUSH, 2, STORE, 1,
    /* 15 */ LOAD, 1, DUP, MUL, LOAD, 0, LE, JZ, 35,
    /* 24 */ LOAD, 0, LOAD, 1, MOD, JZ, 40,
    /* 31 */ INC, 1, JMP, 15,
    /* 35 */ INC, 2, LOAD, 0, HASH,
    /* 40 */ INC, 0, JMP, 4,
    /* 44 */ HALT,
};

static uint32_t run(uint32_t limit, uint32_t *hash)
{
    int32_t stack[64], *sp = stack;
    int32_t vars[4] = { 0, 0, 0, (int32_t)limit };
    uint32_t h = 2166136261u;
    const int32_t *pc = program;
    for (;;) {
        switch (*pc++) {
        case PUSH: *sp++ = *pc++; break;
        case LOAD: *sp++ = vars[*pc++]; break;
        case STORE: vars[*pc++] = *--sp; break;
        case ADD: sp--; sp[-1] += sp[0]; break;
        case SUB: sp--; sp[-1] -= sp[0]; break;
        case MUL: sp--; sp[-1] *= sp[0]; break;
        case MOD: sp--; sp[-1] %= sp[0]; break;
        case LT: sp--; sp[-1] = sp[-1] < sp[0]; break;
        case LE: sp--; sp[-1] = sp[-1] <= sp[0]; break;
        case JZ: if (*--sp == 0) pc = program + *pc; else pc++; break;
        case JMP: pc = program + *pc; break;
        case DUP: sp[0] = sp[-1]; sp++; break;
        case DROP: sp--; break;
        case INC: vars[*pc++]++; break;
        case HASH: h = (h ^ (uint32_t)*--sp) * 16777619u; break;
        case HALT: *hash = h; return (uint32_t)vars[2];
        }
    }
}

int main(int argc, char **argv)
{
    uint32_t rounds = bench_scale(argc, argv, 10);
    uint64_t check = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        uint32_t h, count = run(60000 + r, &h);
        check = check * 1000003 + count + ((uint64_t)h << 20);
        if (r == 0)
            printf("primes below 60000: %u\n", count);
    }
    bench_result("interp", check);
    return 0;
}
