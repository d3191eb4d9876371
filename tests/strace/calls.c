/*
 * calls.c — a guest program making the system calls whose -strace lines
 * tests/strace/run.sh checks.  Raw syscall() where the exact arguments
 * matter (libc versions choose different flags), libc otherwise.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[256];
    snprintf(path, sizeof(path), "%s/strace-data.txt", dir);

    /* A failing open with a plain flag set. */
    syscall(SYS_openat, AT_FDCWD, "/nonexistent", O_RDONLY);
    /* Create, write, reopen, read. */
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) { perror("openat"); return 1; }
    syscall(SYS_write, fd, "hello\n\tworld\001", 13);
    syscall(SYS_write, fd, "0123456789012345678901234567890123456789", 40);
    syscall(SYS_close, fd);
    fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_NOFOLLOW | O_LARGEFILE);
    char buf[64];
    syscall(SYS_read, fd, buf, 5);
    struct stat st;
    fstat(fd, &st);
    syscall(SYS_fcntl64, fd, F_SETFD, FD_CLOEXEC);
    syscall(SYS_fcntl64, fd, F_GETFL);
    syscall(SYS_lseek, fd, 0, SEEK_END);
    /* Not a terminal. */
    struct termios tio;
    syscall(SYS_ioctl, fd, TCGETS, &tio);
    syscall(SYS_close, fd);

    /* A directory. */
    int d = (int)syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char dents[4096];
    syscall(SYS_getdents64, d, dents, sizeof(dents));
    syscall(SYS_close, d);
    syscall(SYS_faccessat, AT_FDCWD, path, R_OK | W_OK);
    syscall(SYS_unlinkat, AT_FDCWD, path, 0);

    /* Memory. */
    void *p = (void *)syscall(SYS_mmap2, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    syscall(SYS_mprotect, p, 4096, PROT_READ);
    syscall(SYS_munmap, p, 8192);

    /* Signals. */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigaction(SIGUSR1, &sa, NULL);
    syscall(SYS_kill, getpid(), SIGUSR1);

    /* A POSIX timer that sends nothing, armed for 5 s, then deleted. */
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_NONE;
    int timer;
    syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &timer);
    long long its64[4] = { 0, 0, 5, 0 };
    syscall(SYS_timer_settime64, timer, 0, its64, NULL);
    syscall(SYS_timer_gettime64, timer, its64);
    int its32[4];
    syscall(SYS_timer_gettime, timer, its32);
    syscall(SYS_timer_getoverrun, timer);
    syscall(SYS_timer_delete, timer);

    /* An exec that fails: its line is split around the call. */
    char *const xargv[] = { "/nonexistent-prog", "x", NULL };
    syscall(SYS_execve, "/nonexistent-prog", xargv, (char *const[]){ "A=1", NULL });

    /* A child. */
    pid_t pid = fork();
    if (pid == 0)
        _exit(3);
    int status;
    waitpid(pid, &status, 0);
    printf("child status %d\n", WEXITSTATUS(status));
    return 0;
}
