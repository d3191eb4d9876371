/*
 * device.c — the machine lock and the reset registry (softmmu/device.h).
 *
 * One mutex for all device state: the vcpu thread takes it around MMIO
 * callbacks and device-touching slow paths (softmmu/tlb.c), the event-loop
 * thread around its handlers.  Guest code never runs with it held, so the
 * event loop waits at most one device access.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "device.h"

static pthread_mutex_t machine_mutex = PTHREAD_MUTEX_INITIALIZER;

void machine_lock(void)
{
    pthread_mutex_lock(&machine_mutex);
}

void machine_unlock(void)
{
    pthread_mutex_unlock(&machine_mutex);
}

typedef struct ResetHook {
    void (*reset)(void *opaque);
    void *opaque;
} ResetHook;

static ResetHook *hooks;
static unsigned n_hooks, cap_hooks;

void device_register_reset(void (*reset)(void *opaque), void *opaque)
{
    if (n_hooks == cap_hooks) {
        cap_hooks = cap_hooks ? cap_hooks * 2 : 32;
        hooks = realloc(hooks, cap_hooks * sizeof(*hooks));
        if (!hooks) {
            fputs("vemu: out of memory\n", stderr);
            abort();
        }
    }
    hooks[n_hooks++] = (ResetHook){ reset, opaque };
}

void device_reset_all(void)
{
    for (unsigned i = 0; i < n_hooks; i++)
        hooks[i].reset(hooks[i].opaque);
}
