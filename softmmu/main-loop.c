/*
 * main-loop.c — the event-loop thread and the machine's run-state requests.
 *
 * One thread polls every watched file descriptor (chardevs, sockets) plus
 * an eventfd that other threads write to wake it, with the next timer's
 * expiry as the timeout.  Whatever it runs (fd handlers, timer callbacks,
 * bottom halves) runs with the machine lock held, so devices see one
 * thread at a time; the lock is dropped only while it sleeps in ppoll.
 *
 * Run-state requests (shutdown, reset) are flags the vcpu thread reads
 * between blocks; the request kicks the vcpu so a halted or spinning guest
 * notices at once.
 */
#include "softmmu/main-loop.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "softmmu/device.h"
#include "softmmu/timer.h"

typedef struct FdWatch {
    int fd;
    void (*readable)(void *opaque);
    void (*writable)(void *opaque);
    void *opaque;
} FdWatch;

struct MainLoopBH {
    void (*cb)(void *opaque);
    void *opaque;
    bool scheduled;
    MainLoopBH *next;   /* in the scheduled list */
};

/* All of this is protected by the machine lock (or touched before the
 * thread starts). */
static FdWatch *watches;
static int n_watches, cap_watches;
static MainLoopBH *bh_scheduled;

static int wake_fd = -1;
static pthread_t loop_thread;
static bool loop_running;
static atomic_bool loop_stop;

#define MAX_EXIT_HOOKS 8
static void (*exit_hooks[MAX_EXIT_HOOKS])(void);
static int n_exit_hooks;

static int ensure_wake_fd(void)
{
    if (wake_fd < 0)
        wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return wake_fd;
}

void main_loop_wakeup(void)
{
    if (wake_fd < 0)
        return;
    uint64_t one = 1;
    ssize_t r = write(wake_fd, &one, sizeof one);
    (void)r;   /* EAGAIN: the counter is already non-zero, the loop will wake */
}

static FdWatch *find_watch(int fd)
{
    for (int i = 0; i < n_watches; i++)
        if (watches[i].fd == fd)
            return &watches[i];
    return NULL;
}

void main_loop_set_fd_handler(int fd, void (*readable)(void *opaque), void (*writable)(void *opaque),
                              void *opaque)
{
    FdWatch *w = find_watch(fd);
    if (!readable && !writable) {
        if (!w)
            return;
        *w = watches[--n_watches];
    } else {
        if (w && w->readable == readable && w->writable == writable && w->opaque == opaque)
            return;   /* unchanged: no need to wake the loop */
        if (!w) {
            if (n_watches == cap_watches) {
                cap_watches = cap_watches ? cap_watches * 2 : 8;
                watches = realloc(watches, cap_watches * sizeof *watches);
                if (!watches)
                    abort();
            }
            w = &watches[n_watches++];
        }
        *w = (FdWatch){ .fd = fd, .readable = readable, .writable = writable, .opaque = opaque };
    }
    main_loop_wakeup();
}

MainLoopBH *main_loop_bh_new(void (*cb)(void *opaque), void *opaque)
{
    MainLoopBH *bh = calloc(1, sizeof *bh);
    if (!bh)
        abort();
    bh->cb = cb;
    bh->opaque = opaque;
    return bh;
}

void main_loop_bh_schedule(MainLoopBH *bh)
{
    if (bh->scheduled)
        return;
    bh->scheduled = true;
    bh->next = bh_scheduled;
    bh_scheduled = bh;
    main_loop_wakeup();
}

void main_loop_bh_free(MainLoopBH *bh)
{
    if (!bh)
        return;
    if (bh->scheduled) {
        for (MainLoopBH **pp = &bh_scheduled; *pp; pp = &(*pp)->next) {
            if (*pp == bh) {
                *pp = bh->next;
                break;
            }
        }
    }
    free(bh);
}

/* machine lock held */
static void run_bhs(void)
{
    /* Take the list first: a callback may schedule itself again, for the
     * next pass. */
    MainLoopBH *list = bh_scheduled;
    bh_scheduled = NULL;
    /* the list is newest first; run in scheduling order */
    MainLoopBH *rev = NULL;
    while (list) {
        MainLoopBH *n = list->next;
        list->next = rev;
        rev = list;
        list = n;
    }
    while (rev) {
        MainLoopBH *bh = rev;
        rev = bh->next;
        bh->next = NULL;
        bh->scheduled = false;
        bh->cb(bh->opaque);
    }
}

void main_loop_poll_once(int64_t max_wait_ns)
{
    ensure_wake_fd();

    machine_lock();
    run_bhs();
    int n = n_watches + 1;
    struct pollfd *pfd = malloc(n * sizeof *pfd);
    if (!pfd)
        abort();
    pfd[0] = (struct pollfd){ .fd = wake_fd, .events = POLLIN };
    for (int i = 0; i < n_watches; i++) {
        pfd[i + 1] = (struct pollfd){
            .fd = watches[i].fd,
            .events = (watches[i].readable ? POLLIN : 0) | (watches[i].writable ? POLLOUT : 0),
        };
    }
    int64_t deadline = timers_deadline_ns();
    bool work_pending = bh_scheduled != NULL;
    machine_unlock();

    int64_t wait = max_wait_ns;
    if (deadline >= 0) {
        int64_t until = deadline - clock_virtual_ns();
        if (until < 0)
            until = 0;
        if (wait < 0 || until < wait)
            wait = until;
    }
    if (work_pending)
        wait = 0;
    struct timespec ts, *tsp = NULL;
    if (wait >= 0) {
        ts.tv_sec = wait / 1000000000;
        ts.tv_nsec = wait % 1000000000;
        tsp = &ts;
    }
    int r = ppoll(pfd, n, tsp, NULL);
    if (r < 0 && errno != EINTR) {
        perror("vemu: main loop: ppoll");
        abort();
    }

    machine_lock();
    if (r > 0) {
        if (pfd[0].revents & POLLIN) {
            uint64_t v;
            ssize_t rr = read(wake_fd, &v, sizeof v);
            (void)rr;
        }
        for (int i = 1; i < n; i++) {
            short ev = pfd[i].revents;
            if (!ev)
                continue;
            /* look the watch up again: an earlier handler may have
             * changed or removed it */
            FdWatch *w = find_watch(pfd[i].fd);
            if (!w)
                continue;
            if (ev & POLLNVAL) {
                /* closed behind our back: stop watching rather than spin */
                *w = watches[--n_watches];
                continue;
            }
            if ((ev & (POLLIN | POLLHUP | POLLERR)) && w->readable) {
                w->readable(w->opaque);
                w = find_watch(pfd[i].fd);
            }
            if (w && (ev & (POLLOUT | POLLERR | POLLHUP)) && w->writable)
                w->writable(w->opaque);
        }
    }
    timers_run_expired();
    run_bhs();
    machine_unlock();
    free(pfd);
}

static void *loop_main(void *arg)
{
    (void)arg;
    /* Asynchronous signals belong to the main and vcpu threads. */
    sigset_t set;
    sigfillset(&set);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGILL);
    sigdelset(&set, SIGFPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    while (!atomic_load(&loop_stop))
        main_loop_poll_once(-1);
    return NULL;
}

int main_loop_start(void)
{
    if (loop_running)
        return 0;
    if (ensure_wake_fd() < 0) {
        perror("vemu: eventfd");
        return -1;
    }
    atomic_store(&loop_stop, false);
    int e = pthread_create(&loop_thread, NULL, loop_main, NULL);
    if (e) {
        fprintf(stderr, "vemu: cannot start the event loop: %s\n", strerror(e));
        return -1;
    }
    loop_running = true;
    return 0;
}

static void run_exit_hooks(void)
{
    for (int i = n_exit_hooks - 1; i >= 0; i--)
        exit_hooks[i]();
}

void main_loop_stop(void)
{
    if (loop_running) {
        atomic_store(&loop_stop, true);
        main_loop_wakeup();
        pthread_join(loop_thread, NULL);
        loop_running = false;
    }
    run_exit_hooks();
}

void main_loop_add_exit_hook(void (*fn)(void))
{
    for (int i = 0; i < n_exit_hooks; i++)
        if (exit_hooks[i] == fn)
            return;
    if (n_exit_hooks < MAX_EXIT_HOOKS)
        exit_hooks[n_exit_hooks++] = fn;
}

/* ---- run-state requests ------------------------------------------------- */

static pthread_mutex_t request_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool shutdown_pending;
static atomic_int shutdown_status;
static atomic_bool reset_pending;
static atomic_bool no_reboot;
static void (*_Atomic vcpu_kick)(void);

static void kick_vcpu(void)
{
    void (*k)(void) = atomic_load(&vcpu_kick);
    if (k)
        k();
}

void machine_request_shutdown(int exit_status)
{
    /* the first request decides the status */
    pthread_mutex_lock(&request_mu);
    bool first = !atomic_load(&shutdown_pending);
    if (first) {
        atomic_store(&shutdown_status, exit_status);
        atomic_store(&shutdown_pending, true);
    }
    pthread_mutex_unlock(&request_mu);
    if (first)
        kick_vcpu();
}

void machine_request_reset(void)
{
    if (atomic_load(&no_reboot)) {
        machine_request_shutdown(0);
        return;
    }
    atomic_store(&reset_pending, true);
    kick_vcpu();
}

bool machine_shutdown_requested(int *exit_status)
{
    if (!atomic_load(&shutdown_pending))
        return false;
    pthread_mutex_lock(&request_mu);
    if (exit_status)
        *exit_status = atomic_load(&shutdown_status);
    pthread_mutex_unlock(&request_mu);
    return true;
}

bool machine_reset_requested(void)
{
    return atomic_exchange(&reset_pending, false);
}

void machine_set_no_reboot(bool nr)
{
    atomic_store(&no_reboot, nr);
}

void machine_clear_requests(void)
{
    pthread_mutex_lock(&request_mu);
    atomic_store(&shutdown_pending, false);
    atomic_store(&shutdown_status, 0);
    atomic_store(&reset_pending, false);
    pthread_mutex_unlock(&request_mu);
}

void machine_set_vcpu_kick(void (*kick)(void))
{
    atomic_store(&vcpu_kick, kick);
}

void machine_kick_vcpu(void)
{
    kick_vcpu();
}
