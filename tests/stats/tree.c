/* tree.c — a small process tree for tests/stats/run.sh: the parent forks a
 * child that exits at once (straight through the exit system call, so it
 * translates almost nothing of its own) and a child that execs this program
 * again ("leaf"), then waits for both. */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "leaf") == 0) {
        printf("leaf %s\n", argc > 2 ? argv[2] : "");
        return 0;
    }
    printf("parent\n");
    fflush(stdout);
    pid_t quick = fork();
    if (quick == 0)
        syscall(SYS_exit_group, 0);
    pid_t execer = fork();
    if (execer == 0) {
        execl("/proc/self/exe", argv[0], "leaf", "ok", (char *)NULL);
        _exit(127);
    }
    int st1 = -1, st2 = -1;
    waitpid(quick, &st1, 0);
    waitpid(execer, &st2, 0);
    printf("children %d %d pids %d %d\n", WEXITSTATUS(st1), WEXITSTATUS(st2), (int)quick, (int)execer);
    return 0;
}
