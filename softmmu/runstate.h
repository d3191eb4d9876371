/*
 * runstate.h — the machine's run state (QEMU's names: prelaunch, running,
 * paused, shutdown) and the events its changes produce for the monitors.
 *
 *   prelaunch  built, the cpu not started yet (-S): `cont` (monitor, QMP)
 *              or gdb's continue starts it
 *   running    the vcpu runs guest code
 *   paused     `stop`: no guest instruction runs and the virtual clock
 *              stands still until `cont`
 *   shutdown   the machine is going away (quit, C-a x, -no-reboot reset)
 *
 * vm_stop()/vm_start() may be called from any thread; the vcpu thread
 * (cpus.c) asks runstate_vcpu_may_run() between blocks and parks while it
 * is false.  Every change and every reset, powerdown and shutdown request
 * is reported to the notifiers (the QMP monitors turn them into events),
 * with the machine lock held.
 */
#ifndef VEMU_SOFTMMU_RUNSTATE_H
#define VEMU_SOFTMMU_RUNSTATE_H

#include <stdbool.h>

typedef enum RunState {
    RUN_STATE_PRELAUNCH,
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,
    RUN_STATE_SHUTDOWN,
} RunState;

/* Why the machine shuts down or resets (QMP's "reason" strings). */
typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,         /* host-qmp-quit (QMP quit, HMP quit) */
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET, /* host-qmp-system-reset */
    SHUTDOWN_CAUSE_HOST_SIGNAL,           /* host-signal */
    SHUTDOWN_CAUSE_HOST_UI,               /* host-ui (C-a x) */
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,        /* guest-shutdown */
    SHUTDOWN_CAUSE_GUEST_RESET,           /* guest-reset */
} ShutdownCause;

const char *shutdown_cause_name(ShutdownCause c);
bool shutdown_cause_is_guest(ShutdownCause c);

typedef enum RunEvent {
    RUN_EVENT_STOP,        /* running -> paused */
    RUN_EVENT_RESUME,      /* -> running */
    RUN_EVENT_RESET,       /* the machine was reset (cause) */
    RUN_EVENT_POWERDOWN,   /* system_powerdown was asked */
    RUN_EVENT_SHUTDOWN,    /* the machine is going away (cause) */
} RunEvent;

RunState runstate_get(void);
const char *runstate_name(RunState s);   /* "running", "paused", ... */
bool runstate_is_running(void);

/* -S: start in prelaunch (before the vcpu runs). */
void runstate_init(bool start_stopped);

/* stop: running -> paused (no-op otherwise); the virtual clock stops.
 * Returns once the vcpu has left guest code when called from a thread
 * other than the vcpu's that does not hold the machine lock; with the
 * lock held it releases it while it waits. */
void vm_stop(void);
/* cont: prelaunch/paused -> running; the clock goes on. */
void vm_start(void);

/* Requests with their cause: the monitors, C-a x. */
void runstate_request_shutdown(ShutdownCause cause, int exit_status);
void runstate_request_reset(ShutdownCause cause);
/* system_powerdown: the event only (the Versatile PB has no power button
 * the guest listens to, so nothing else happens, as on QEMU). */
void runstate_request_powerdown(void);

/* Wait (machine lock held, released meanwhile) until the vcpu has
 * carried out the requests made so far (a reset), when it runs. */
void runstate_wait_vcpu(void);
/* cpus.c installs how (kept apart so that chardev tests need no cpu). */
void runstate_set_vcpu_sync(void (*sync)(void));

/* The vcpu loop's side. */
bool runstate_vcpu_may_run(void);
/* The vcpu is parked (true) or back in guest code (false): vm_stop waits
 * for the first. */
void runstate_vcpu_parked(bool parked);
/* The loop carried out a reset / is shutting down: notify (the cause of
 * the request, or guest-reset / guest-shutdown for the guest's own). */
void runstate_did_reset(void);
void runstate_did_shutdown(void);

typedef void RunStateNotify(void *opaque, RunEvent ev, ShutdownCause cause);
void runstate_add_notifier(RunStateNotify *fn, void *opaque);
void runstate_remove_notifier(RunStateNotify *fn, void *opaque);

/* Tests: back to the start (no notifiers, running). */
void runstate_reset_for_test(void);

#endif
