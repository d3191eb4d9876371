/*
 * pointer-chase.c — a linked list whose nodes are scattered over memory in
 * random order: every step is a dependent load, as in lists, trees and
 * hash chains.  Also inserts and unlinks to keep the stores honest.
 */
#include "bench-common.h"

/* 32 bytes on both 32- and 64-bit hosts, so the native and the ARM run
 * walk the same amount of memory (with bare pointers the ARM list would be
 * smaller, fit the caches better and beat native). */
struct node {
    struct node *next;
    uint32_t value;
    char pad[32 - sizeof(struct node *) - sizeof(uint32_t)];
};
_Static_assert(sizeof(struct node) == 32, "node size");

#define NODES (1u << 18)
static struct node pool[NODES];
static uint32_t order[NODES];

int main(int argc, char **argv)
{
    uint32_t laps = bench_scale(argc, argv, 13);
    uint32_t x = 99991;
    for (uint32_t i = 0; i < NODES; i++)
        order[i] = i;
    for (uint32_t i = NODES - 1; i > 0; i--) {   /* Fisher-Yates shuffle */
        x = x * 1664525u + 1013904223u;
        uint32_t j = x % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < NODES; i++) {
        struct node *n = &pool[order[i]];
        n->next = &pool[order[(i + 1) % NODES]];
        n->value = i * 2654435761u;
    }
    uint64_t check = 0;
    struct node *p = &pool[order[0]];
    for (uint32_t lap = 0; lap < laps; lap++) {
        uint32_t sum = 0;
        for (uint32_t k = 0; k < NODES; k++) {
            sum += p->value;
            p = p->next;
        }
        /* unlink and re-insert one node elsewhere */
        struct node *a = &pool[order[lap % NODES]], *b = a->next;
        a->next = b->next;
        struct node *c = &pool[order[(lap * 7919u) % NODES]];
        if (c != b) {
            b->next = c->next;
            c->next = b;
        } else {
            a->next = b;
        }
        check = check * 1000003 + sum;
    }
    bench_result("pointer-chase", check);
    return 0;
}
