/* Waiting on descriptors: poll, select, pselect, epoll (its event layout),
 * eventfd, timerfd, signalfd. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static volatile int got_usr1;
static void on_usr1(int sig) { got_usr1++; }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2];
    pipe(p);
    struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
    int r = poll(pf, 2, 0);
    printf("poll: %d, read end %#x, write end %#x\n", r, pf[0].revents, pf[1].revents);
    write(p[1], "x", 1);
    r = poll(pf, 1, 1000);
    printf("poll after write: %d revents %#x\n", r, pf[0].revents);

    /* select with a descriptor above 32: the second 32-bit word of fd_set. */
    int hi = dup2(p[0], 40);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(hi, &rs);
    FD_SET(p[0], &rs);
    struct timeval tv = { 1, 0 };
    r = select(hi + 1, &rs, NULL, NULL, &tv);
    printf("select: %d, fd 40 set %d, pipe set %d\n", r, FD_ISSET(hi, &rs), FD_ISSET(p[0], &rs));
    char c;
    read(p[0], &c, 1);
    FD_ZERO(&rs);
    FD_SET(hi, &rs);
    tv = (struct timeval){ 0, 20000 };
    r = select(hi + 1, &rs, NULL, NULL, &tv);
    printf("select timeout: %d, time left %ld.%06ld\n", r, (long)tv.tv_sec, (long)tv.tv_usec);

    /* pselect's mask lets a blocked signal in while waiting. */
    signal(SIGUSR1, on_usr1);
    sigset_t blk, empty;
    sigemptyset(&blk);
    sigaddset(&blk, SIGUSR1);
    sigprocmask(SIG_BLOCK, &blk, NULL);
    raise(SIGUSR1);
    sigemptyset(&empty);
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    struct timespec ts = { 2, 0 };
    r = pselect(p[0] + 1, &rs, NULL, NULL, &ts, &empty);
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("pselect: %d (EINTR expected), handler ran %d, mask restored %d\n", r, got_usr1, sigismember(&now, SIGUSR1));
    raise(SIGUSR1);
    r = ppoll(pf, 1, &ts, &empty);
    printf("ppoll: %d, handler ran %d\n", r, got_usr1);
    sigprocmask(SIG_UNBLOCK, &blk, NULL);

    /* epoll: the 64-bit data member must come back intact. */
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ull };
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    int efd = eventfd(5, EFD_NONBLOCK);
    struct epoll_event ev2 = { .events = EPOLLIN | EPOLLET, .data.u64 = 0xa5a5a5a5deadbeefull };
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev2);
    struct epoll_event out[4];
    memset(out, 0, sizeof(out));
    r = epoll_wait(ep, out, 4, 1000);
    printf("epoll_wait: %d sizeof(epoll_event) %zu: events %#x data %#llx\n", r, sizeof(struct epoll_event),
           out[0].events, (unsigned long long)out[0].data.u64);
    write(p[1], "y", 1);
    r = epoll_pwait(ep, out, 4, 1000, &empty);
    unsigned long long seen = 0;
    for (int i = 0; i < r; i++)
        seen ^= out[i].data.u64;
    printf("epoll_pwait: %d, data xor %#llx\n", r, seen);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
    read(p[0], &c, 1);

    /* eventfd counter */
    uint64_t v;
    read(efd, &v, 8);
    printf("eventfd: read %llu\n", (unsigned long long)v);
    v = 3;
    write(efd, &v, 8);
    write(efd, &v, 8);
    read(efd, &v, 8);
    printf("eventfd: after two writes of 3: %llu, empty read %zd\n", (unsigned long long)v, read(efd, &v, 8));

    /* timerfd: 3 expirations of a 10 ms periodic timer. */
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    struct itimerspec its = { { 0, 10000000 }, { 0, 10000000 } }, cur;
    timerfd_settime(tfd, 0, &its, NULL);
    timerfd_gettime(tfd, &cur);
    printf("timerfd: interval %ld ns, armed %d\n", cur.it_interval.tv_nsec, cur.it_value.tv_sec || cur.it_value.tv_nsec);
    uint64_t total = 0;
    while (total < 3) {
        read(tfd, &v, 8);
        total += v;
    }
    printf("timerfd: at least 3 expirations %d\n", total >= 3);

    /* signalfd: a blocked signal read as a struct signalfd_siginfo. */
    sigset_t sfs;
    sigemptyset(&sfs);
    sigaddset(&sfs, SIGUSR2);
    sigprocmask(SIG_BLOCK, &sfs, NULL);
    int sfd = signalfd(-1, &sfs, SFD_CLOEXEC);
    union sigval sv = { .sival_int = 77 };
    sigqueue(getpid(), SIGUSR2, sv);
    struct signalfd_siginfo si;
    ssize_t n = read(sfd, &si, sizeof(si));
    printf("signalfd: read %zd, signo %u, value %d, code SI_QUEUE %d\n", n, si.ssi_signo, si.ssi_int,
           si.ssi_code == SI_QUEUE);
    return 0;
}
