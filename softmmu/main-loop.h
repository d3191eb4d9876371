/*
 * main-loop.h — the event-loop thread and the machine's run state.
 *
 * The vcpu thread runs guest code; the event-loop thread polls file
 * descriptors (character devices, sockets) and runs expired timers, each
 * handler with the machine lock held.  Requests to shut down or reset the
 * machine (guest reboot, `C-a x`, the monitor) come from either thread and
 * are carried out by the vcpu thread between blocks.
 */
#ifndef VEMU_SOFTMMU_MAIN_LOOP_H
#define VEMU_SOFTMMU_MAIN_LOOP_H

#include <stdbool.h>

/* Start the event-loop thread (once; after the board is built). */
int main_loop_start(void);
/* Stop it (at exit; restores the terminal). */
void main_loop_stop(void);

/* Watch fd: readable(opaque) when it can be read, writable(opaque) when it
 * can be written (NULL: not watched).  Both NULL removes the watch.  May be
 * called from any thread holding the machine lock, or before the start. */
void main_loop_set_fd_handler(int fd, void (*readable)(void *opaque), void (*writable)(void *opaque),
                              void *opaque);
/* Make the loop look at its watches and timers again now (another thread
 * changed them). */
void main_loop_wakeup(void);

/* Run state requests (any thread). */
void machine_request_shutdown(int exit_status);  /* quit vemu with this status */
void machine_request_reset(void);                 /* guest reboot: reset, or quit 0 with -no-reboot */
/* The vcpu thread polls these between blocks: true once a request is
 * pending (and says which). */
bool machine_shutdown_requested(int *exit_status);
bool machine_reset_requested(void);
/* Wake the vcpu thread (halted in WFI, or running guest code) so it sees a
 * request; the cpu module installs it. */
void machine_set_vcpu_kick(void (*kick)(void));

#endif
