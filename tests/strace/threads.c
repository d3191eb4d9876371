/*
 * threads.c — a guest thread blocks in read() on a pipe while the main
 * thread makes other calls, then writes: -strace must split the read into
 * "<unfinished ...>" and "<... read resumed>" lines.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fds[2];

static void *reader(void *arg)
{
    char buf[16];
    long n = syscall(SYS_read, fds[0], buf, sizeof(buf));
    return (void *)n;
}

int main(void)
{
    pipe(fds);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    struct timespec ts = { 1, 0 };   /* time for the reader to block */
    nanosleep(&ts, NULL);
    syscall(SYS_getppid);
    syscall(SYS_write, fds[1], "ping", 4);
    void *r;
    pthread_join(t, &r);
    printf("read %ld\n", (long)r);
    return 0;
}
