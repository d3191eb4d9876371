/* Files and directories on the host file system: create, write, read,
 * seek, pread/pwrite, truncate, stat, rename, links, directory listing
 * (sorted), fcntl locks, utimensat, and cleanup. */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

int main(void)
{
    char dir[] = "lu-files-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    chdir(dir);
    int fd = open("a.txt", O_CREAT | O_RDWR | O_TRUNC, 0640);
    write(fd, "hello, world\n", 13);
    struct iovec iov[2] = { { "vec1 ", 5 }, { "vec2\n", 5 } };
    writev(fd, iov, 2);
    pwrite(fd, "HELLO", 5, 0);
    off_t end = lseek(fd, 0, SEEK_END);
    char buf[64];
    ssize_t n = pread(fd, buf, sizeof(buf), 0);
    printf("size %ld, content '%.*s'\n", (long)end, (int)n - 1, buf);
    struct stat st;
    fstat(fd, &st);
    printf("stat: size %lld mode %o regular %d links %ld\n", (long long)st.st_size, st.st_mode & 0777,
           S_ISREG(st.st_mode), (long)st.st_nlink);
    ftruncate(fd, 5);
    fstat(fd, &st);
    printf("after ftruncate: %lld\n", (long long)st.st_size);
    /* a large offset: 64-bit lseek and pwrite */
    off_t big = 5000000000LL;
    n = pwrite(fd, "x", 1, big);
    fstat(fd, &st);
    printf("pwrite at 5e9: %zd, size %lld, blocks small %d\n", n, (long long)st.st_size, st.st_blocks < 1000);
    /* locks */
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
    printf("fcntl lock: %d, flock: %d\n", fcntl(fd, F_SETLK, &fl), flock(fd, LOCK_EX | LOCK_NB));
    close(fd);

    mkdir("sub", 0755);
    symlink("a.txt", "link");
    link("a.txt", "hard");
    rename("hard", "sub/moved");
    char target[64];
    n = readlink("link", target, sizeof(target));
    printf("readlink: '%.*s'\n", (int)n, target);
    lstat("link", &st);
    printf("lstat link: symlink %d\n", S_ISLNK(st.st_mode));
    stat("sub/moved", &st);
    printf("hard link count %ld\n", (long)st.st_nlink);
    struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 500 } };
    utimensat(AT_FDCWD, "a.txt", ts, 0);
    stat("a.txt", &st);
    printf("utimensat: mtime %ld.%09ld\n", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    for (int i = 0; i < 40; i++) {
        char name[32];
        snprintf(name, sizeof(name), "f%02d", i);
        close(open(name, O_CREAT | O_WRONLY, 0600));
    }
    DIR *d = opendir(".");
    char *names[64];
    int cnt = 0;
    struct dirent *de;
    long pos_at_10 = -1;
    char name_at_10[64] = "";
    while ((de = readdir(d)) && cnt < 64) {
        if (cnt == 10) {
            pos_at_10 = telldir(d);
            de = readdir(d);
            if (!de)
                break;
            snprintf(name_at_10, sizeof(name_at_10), "%s", de->d_name);
        }
        names[cnt++] = strdup(de->d_name);
    }
    seekdir(d, pos_at_10);
    de = readdir(d);
    printf("telldir/seekdir: same entry again %d\n", de && strcmp(de->d_name, name_at_10) == 0);
    closedir(d);
    qsort(names, (size_t)cnt, sizeof(names[0]), cmp);
    printf("%d entries:", cnt);
    for (int i = 0; i < cnt; i++)
        printf(" %s", names[i]);
    printf("\n");
    /* cleanup */
    for (int i = 0; i < 40; i++) {
        char name[32];
        snprintf(name, sizeof(name), "f%02d", i);
        unlink(name);
    }
    unlink("link");
    unlink("a.txt");
    unlink("sub/moved");
    printf("rmdir non-empty: %d\n", rmdir(".") == 0);
    rmdir("sub");
    chdir("..");
    printf("rmdir: %d\n", rmdir(dir));
    char cwd[4096];
    printf("getcwd ok %d\n", getcwd(cwd, sizeof(cwd)) != NULL);
    return 0;
}
