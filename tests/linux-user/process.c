/* Processes: fork with pipes, exec of ourselves and of another guest
 * program, abort's wait status, waitid, wait4's rusage, vfork/posix_spawn. */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("exec'd child: argv[2]=%s\n", argc > 2 ? argv[2] : "(none)");
        return 42;
    }
    /* fork + pipe both ways */
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    pid_t pid = fork();
    if (pid == 0) {
        char buf[32];
        ssize_t n = read(to_child[0], buf, sizeof(buf));
        for (ssize_t i = 0; i < n; i++)
            buf[i] = (char)(buf[i] - 'a' + 'A');
        write(to_parent[1], buf, (size_t)n);
        _exit(7);
    }
    write(to_child[1], "ping", 4);
    char buf[32];
    ssize_t n = read(to_parent[0], buf, sizeof(buf));
    int st;
    waitpid(pid, &st, 0);
    printf("fork: child answered '%.*s', exit status %d\n", (int)n, buf, WEXITSTATUS(st));

    /* exec ourselves */
    pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", argv[0], "child", "self", (char *)NULL);
        _exit(99);
    }
    waitpid(pid, &st, 0);
    printf("exec self: status %d\n", WEXITSTATUS(st));

    /* exec another guest program (given as argv[1]) */
    if (argc > 1) {
        pid = fork();
        if (pid == 0) {
            execl(argv[1], argv[1], (char *)NULL);
            _exit(99);
        }
        waitpid(pid, &st, 0);
        printf("exec other guest program: exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
    }

    /* abort: killed by SIGABRT */
    pid = fork();
    if (pid == 0) {
        struct rlimit rl = { 0, 0 };
        setrlimit(RLIMIT_CORE, &rl);
        abort();
    }
    waitpid(pid, &st, 0);
    printf("abort: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));

    /* waitid */
    pid = fork();
    if (pid == 0)
        _exit(3);
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    int r = waitid(P_PID, pid, &si, WEXITED);
    printf("waitid: %d, pid matches %d, code CLD_EXITED %d, status %d\n", r, si.si_pid == pid,
           si.si_code == CLD_EXITED, si.si_status);
    memset(&si, 0, sizeof(si));
    r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
    printf("waitid with no children: %d\n", r);

    /* wait4 with rusage: a child that burns some cpu */
    pid = fork();
    if (pid == 0) {
        volatile unsigned long x = 0;
        for (unsigned long i = 0; i < 20000000; i++)
            x += i;
        _exit(0);
    }
    struct rusage ru;
    memset(&ru, 0xff, sizeof(ru));
    wait4(pid, &st, 0, &ru);
    printf("wait4: rusage utime plausible %d\n", ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_sec < 100 &&
                                                     ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);

    /* posix_spawn (vfork + exec inside the C library) */
    char *args[] = { argv[0], "child", "spawned", NULL };
    r = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, args, environ);
    waitpid(pid, &st, 0);
    printf("posix_spawn: %d status %d\n", r, WEXITSTATUS(st));

    /* system(): the host shell runs */
    r = system("exit 5");
    printf("system: status %d\n", WEXITSTATUS(r));
    return 0;
}
