/*
 * irq.h — an interrupt line: a device output wired to a controller input
 * (or to the cpu).  The device calls irq_set() with the line's level;
 * the receiver keeps its own state.  Lines are level-triggered, as on
 * the PrimeCell parts; an unconnected line (set == NULL) goes nowhere.
 */
#ifndef VEMU_SOFTMMU_IRQ_H
#define VEMU_SOFTMMU_IRQ_H

typedef struct IRQLine {
    void (*set)(void *opaque, int n, int level);
    void *opaque;
    int n;                    /* which input of the receiver */
} IRQLine;

static inline IRQLine irq_line(void (*set)(void *, int, int), void *opaque, int n)
{
    return (IRQLine){ .set = set, .opaque = opaque, .n = n };
}

static inline void irq_set(const IRQLine *line, int level)
{
    if (line->set)
        line->set(line->opaque, line->n, level);
}

#endif
