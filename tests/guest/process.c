/*
 * process.c — processes and time: fork (the child runs the same translated
 * code in a copy of the address space), waitpid statuses for exit and
 * signal deaths, pipes between parent and child, getpid/getppid agreement,
 * and clocks that move forward.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int global = 100;

int main(void)
{
    int p[2];
    if (pipe(p) != 0)
        return 1;
    pid_t parent = getpid();
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
        printf("fork failed\n");
        return 1;
    }
    if (child == 0) {
        global += 1;   /* copy-on-write: the parent must not see this */
        char msg[64];
        int n = snprintf(msg, sizeof msg, "child: ppid matches %d global %d", getppid() == parent, global);
        write(p[1], msg, n);
        _exit(23);
    }
    close(p[1]);
    char buf[128];
    ssize_t n = read(p[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    int status;
    pid_t w = waitpid(child, &status, 0);
    printf("%s\n", buf);
    printf("parent: waited right child %d exited %d status %d global %d\n", w == child, WIFEXITED(status),
           WEXITSTATUS(status), global);

    /* a child killed by a signal */
    child = fork();
    if (child == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    waitpid(child, &status, 0);
    printf("child 2: signaled %d by SIGTERM %d\n", WIFSIGNALED(status), WTERMSIG(status) == SIGTERM);

    /* many short-lived children */
    int sum = 0;
    for (int i = 0; i < 20; i++) {
        child = fork();
        if (child == 0)
            _exit(i);
        waitpid(child, &status, 0);
        sum += WEXITSTATUS(status);
    }
    printf("20 children exit codes sum %d\n", sum);

    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    volatile unsigned x = 0;
    for (unsigned i = 0; i < 3000000; i++)
        x += i;
    clock_gettime(CLOCK_MONOTONIC, &b);
    double dt = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("monotonic clock advanced %d, realtime after 2020 %d, time() agrees %d\n", dt > 0,
           tv.tv_sec > 1577836800, labs((long)time(NULL) - (long)tv.tv_sec) <= 1);
    struct timespec req = { 0, 20 * 1000 * 1000 };
    clock_gettime(CLOCK_MONOTONIC, &a);
    nanosleep(&req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    dt = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("nanosleep(20ms) slept at least 20ms %d\n", dt >= 0.0199);
    return 0;
}
