/* System V IPC: a semaphore set (semop, semtimedop timeout, semctl
 * SETVAL/GETVAL/SETALL/GETALL/IPC_STAT) and shared memory shared with a
 * forked child (shmget, shmat, shmctl IPC_STAT, shmdt), a message queue
 * (typed messages, msgrcv by type, IPC_STAT). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

union semun { int val; struct semid_ds *buf; unsigned short *array; };

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int sem = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    printf("semget ok %d\n", sem >= 0);
    semctl(sem, 0, SETVAL, (union semun){ .val = 2 });
    struct sembuf op = { 0, -1, 0 };
    semop(sem, &op, 1);
    printf("after one down: %d\n", semctl(sem, 0, GETVAL));
    unsigned short vals[3] = { 5, 6, 7 }, got[3] = { 0, 0, 0 };
    semctl(sem, 0, SETALL, (union semun){ .array = vals });
    semctl(sem, 0, GETALL, (union semun){ .array = got });
    printf("getall %u %u %u\n", got[0], got[1], got[2]);
    struct semid_ds ds;
    semctl(sem, 0, IPC_STAT, (union semun){ .buf = &ds });
    printf("IPC_STAT nsems %lu mode %o\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode & 0777);
    struct sembuf big = { 1, -100, 0 };
    struct timespec ts = { 0, 50000000 };
    int r = semtimedop(sem, &big, 1, &ts);
    printf("semtimedop times out: %d errno EAGAIN %d\n", r, errno == EAGAIN);
    semctl(sem, 0, IPC_RMID);

    int shm = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    char *p = shmat(shm, NULL, 0);
    printf("shmat ok %d\n", p != (void *)-1);
    strcpy(p, "parent");
    pid_t pid = fork();
    if (pid == 0) {
        strcpy(p + 100, "written by the child");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("shared: '%s' '%s'\n", p, p + 100);
    struct shmid_ds sd;
    shmctl(shm, IPC_STAT, &sd);
    printf("IPC_STAT size %lu nattch %lu\n", (unsigned long)sd.shm_segsz, (unsigned long)sd.shm_nattch);
    char *q = shmat(shm, NULL, SHM_RDONLY);
    printf("second attach sees '%s'\n", q);
    printf("shmdt %d %d\n", shmdt(p), shmdt(q));
    shmctl(shm, IPC_STAT, &sd);
    printf("nattch after detach %lu\n", (unsigned long)sd.shm_nattch);
    shmctl(shm, IPC_RMID, NULL);

    int mq = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct { long mtype; char text[32]; } m1 = { 7, "seven" }, m2 = { 3, "three" }, in;
    msgsnd(mq, &m1, 6, 0);
    msgsnd(mq, &m2, 6, 0);
    struct msqid_ds qd;
    msgctl(mq, IPC_STAT, &qd);
    printf("queue: %lu messages, %lu bytes\n", (unsigned long)qd.msg_qnum, (unsigned long)qd.__msg_cbytes);
    ssize_t n = msgrcv(mq, &in, sizeof(in.text), 3, 0);
    printf("msgrcv type 3: %zd '%s' type %ld\n", n, in.text, in.mtype);
    n = msgrcv(mq, &in, sizeof(in.text), 0, 0);
    printf("msgrcv any: %zd '%s' type %ld\n", n, in.text, in.mtype);
    n = msgrcv(mq, &in, sizeof(in.text), 0, IPC_NOWAIT);
    printf("empty queue: %zd ENOMSG %d\n", n, errno == ENOMSG);
    msgctl(mq, IPC_RMID, NULL);
    return 0;
}
