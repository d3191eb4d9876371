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
#include <stdint.h>

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

/* One pass of the loop, for the loop thread and for tests that drive the
 * loop themselves (no thread started): wait up to max_wait_ns (-1: until
 * an fd, a timer or a wakeup) for an fd or the next timer, then run the
 * ready handlers, the expired timers and the scheduled bottom halves, all
 * with the machine lock held (taken here; the caller must not hold it). */
void main_loop_poll_once(int64_t max_wait_ns);

/* A bottom half: a callback the loop runs soon, with the machine lock
 * held, once per schedule (scheduling an already scheduled one is a
 * no-op).  For work a device callback must not do in place (chardev input
 * that a front end asked for from inside its own MMIO callback). */
typedef struct MainLoopBH MainLoopBH;
MainLoopBH *main_loop_bh_new(void (*cb)(void *opaque), void *opaque);
void main_loop_bh_schedule(MainLoopBH *bh);  /* machine lock held, or before the start */
void main_loop_bh_free(MainLoopBH *bh);

/* Called by main_loop_stop (and at exit) to put the host back as it was:
 * the stdio chardev restores the terminal this way. */
void main_loop_add_exit_hook(void (*fn)(void));

/* Run state requests (any thread). */
void machine_request_shutdown(int exit_status);  /* quit vemu with this status */
void machine_request_reset(void);                 /* guest reboot: reset, or quit 0 with -no-reboot */
/* The vcpu thread polls these between blocks: true once a request is
 * pending (and says which).  A shutdown request stays pending; a reset
 * request is taken by the call that returns true. */
bool machine_shutdown_requested(int *exit_status);
bool machine_reset_requested(void);
/* -no-reboot: a reset request becomes a shutdown with status 0. */
void machine_set_no_reboot(bool no_reboot);
/* Forget pending requests (tests; a machine that starts over). */
void machine_clear_requests(void);
/* Wake the vcpu thread (halted in WFI, or running guest code) so it sees a
 * request; the cpu module installs it. */
void machine_set_vcpu_kick(void (*kick)(void));
/* Kick the vcpu now (run-state changes: stop, cont). */
void machine_kick_vcpu(void);

#endif
