/*
 * device.h — what every device shares: the machine lock and reset.
 *
 * A device's state is touched by the vcpu thread (MMIO accesses) and by
 * the event-loop thread (character input, timers).  Both hold the one
 * machine lock while they do; device code never takes it itself.  The
 * vcpu thread does not hold it while guest code runs, only around a
 * device callback.
 */
#ifndef VEMU_SOFTMMU_DEVICE_H
#define VEMU_SOFTMMU_DEVICE_H

void machine_lock(void);
void machine_unlock(void);

/* reset(opaque) runs at machine reset (power-on, guest reboot,
 * system_reset), in registration order, with the machine lock held. */
void device_register_reset(void (*reset)(void *opaque), void *opaque);
void device_reset_all(void);

#endif
