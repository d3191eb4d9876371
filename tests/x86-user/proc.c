/* proc.c — fork (the child's copy of memory is its own), exit statuses and
 * deaths by signal seen by waitpid, a pipe between parent and child,
 * execve of this same program (/proc/self/exe) with arguments and
 * environment, vfork+exec, posix_spawn, nested forks; getpid/getppid. */
#include "x86u.h"
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

extern char **environ;
static int shared = 5;

static void status(const char *what, int st)
{
    if (WIFEXITED(st)) printf("%s: exit %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: signal %d\n", what, WTERMSIG(st));
    else printf("%s: other %x\n", what, st);
}

/* forks two children that count their subtrees; exits carry the counts */
static int tree(int depth)
{
    if (depth == 0) return 1;
    int sum = 1;
    pid_t kids[2];
    for (int i = 0; i < 2; i++) {
        kids[i] = fork();
        if (kids[i] == 0) _exit(tree(depth - 1));
    }
    for (int i = 0; i < 2; i++) {
        int st;
        waitpid(kids[i], &st, 0);
        sum += WEXITSTATUS(st);
    }
    return sum;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc >= 2 && strcmp(argv[1], "child") == 0) {
        printf("exec'd child: argc %d argv[2] %s env PROC_TEST=%s\n", argc, argc > 2 ? argv[2] : "-", getenv("PROC_TEST") ? getenv("PROC_TEST") : "(unset)");
        return 42;
    }
    pid_t p = fork();
    if (p == 0) {
        shared = 99;
        _exit(shared + 1);
    }
    int st;
    waitpid(p, &st, 0);
    status("fork child", st);
    printf("parent's copy still %d\n", shared);

    p = fork();
    if (p == 0) { raise(SIGKILL); _exit(0); }
    waitpid(p, &st, 0);
    status("killed child", st);

    p = fork();
    if (p == 0) { volatile int *volatile z = 0; *z = 1; _exit(0); }
    waitpid(p, &st, 0);
    status("segfaulting child", st);

    int fd[2];
    if (pipe(fd) != 0) return 1;
    p = fork();
    if (p == 0) {
        close(fd[0]);
        char msg[64];
        int n = snprintf(msg, sizeof msg, "hello from child, ppid ok %d", getppid() > 1);
        if (write(fd[1], msg, (size_t)n) != n) _exit(1);
        _exit(0);
    }
    close(fd[1]);
    char buf[128] = { 0 };
    ssize_t n = 0, k;
    while ((k = read(fd[0], buf + n, sizeof buf - 1 - (size_t)n)) > 0) n += k;
    close(fd[0]);
    waitpid(p, &st, 0);
    printf("pipe: '%s'\n", buf);

    p = fork();
    if (p == 0) {
        char *args[] = { argv[0], "child", "arg-two", NULL };
        char *env[] = { "PROC_TEST=yes", NULL };
        execve("/proc/self/exe", args, env);
        _exit(127);
    }
    waitpid(p, &st, 0);
    status("exec'd child", st);

    p = vfork();
    if (p == 0) {
        char *args[] = { argv[0], "child", "via-vfork", NULL };
        execve(argv[0], args, environ);   /* the path it was started by */
        _exit(127);
    }
    waitpid(p, &st, 0);
    status("vfork+exec", st);

    char *args[] = { argv[0], "child", "via-spawn", NULL };
    if (posix_spawn(&p, "/proc/self/exe", NULL, NULL, args, environ) == 0) {
        waitpid(p, &st, 0);
        status("posix_spawn", st);
    }

    printf("fork tree of depth 3: %d processes\n", tree(3));
    return 0;
}
