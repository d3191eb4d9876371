/* files.c — file I/O through libc and raw calls: create/write/read/lseek
 * (SEEK_END, holes), pread/pwrite, readv/writev, stat fields that do not
 * depend on the host (size, mode, nlink, blocks of a hole-less file),
 * 64-bit offsets beyond 4 GiB in a sparse file, directories (sorted
 * readdir), rename/link/symlink/readlink/unlink, fcntl locks and flags,
 * dup2, getcwd/chdir, stdio buffering, a missing file's errno. */
#define _FILE_OFFSET_BITS 64   /* i386: 64-bit offsets and inode numbers */
#include "x86u.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    char dir[] = "/tmp/vemu-x86-files-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    if (chdir(dir) != 0) return 1;
    int fd = open("a.txt", O_CREAT | O_RDWR | O_TRUNC, 0640);
    const char *text = "line one\nline two\n";
    printf("write %zd\n", write(fd, text, strlen(text)));
    printf("lseek end %ld\n", (long)lseek(fd, 0, SEEK_END));
    printf("lseek hole %ld\n", (long)lseek(fd, 100, SEEK_SET));
    printf("write after hole %zd\n", write(fd, "X", 1));
    char buf[200] = { 0 };
    printf("pread %zd '%.8s'\n", pread(fd, buf, 8, 9), buf);
    printf("pwrite %zd\n", pwrite(fd, "LINE", 4, 9));
    struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
    lseek(fd, 0, SEEK_END);
    printf("writev %zd\n", writev(fd, iov, 2));
    char r1[4] = { 0 }, r2[8] = { 0 };
    struct iovec riov[2] = { { r1, 3 }, { r2, 7 } };
    lseek(fd, 5, SEEK_SET);
    printf("readv %zd '%s' '%s'\n", readv(fd, riov, 2), r1, r2);
    struct stat st;
    fstat(fd, &st);
    printf("fstat size %lld mode %o nlink %ld regular %d\n", (long long)st.st_size, st.st_mode & 07777, (long)st.st_nlink, S_ISREG(st.st_mode));
    close(fd);

    /* beyond 4 GiB (sparse) */
    fd = open("big", O_CREAT | O_RDWR | O_TRUNC | O_LARGEFILE, 0600);
    off_t far = (off_t)5 << 30;
    printf("pwrite at 5 GiB %zd\n", pwrite(fd, "far", 3, far));
    fstat(fd, &st);
    printf("big size %lld\n", (long long)st.st_size);
    memset(buf, 0, sizeof buf);
    printf("pread at 5 GiB %zd '%s'\n", pread(fd, buf, 3, far), buf);
    close(fd);

    mkdir("sub", 0755);
    symlink("a.txt", "link");
    link("a.txt", "hard");
    rename("big", "sub/moved");
    char target[64] = { 0 };
    printf("readlink %zd '%s'\n", readlink("link", target, sizeof target - 1), target);
    stat("a.txt", &st);
    printf("nlink after link %ld\n", (long)st.st_nlink);
    lstat("link", &st);
    printf("lstat link is symlink %d\n", S_ISLNK(st.st_mode));

    DIR *d = opendir(".");
    char *names[32];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 32) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp);
    printf("dir:");
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");

    fd = open("a.txt", O_RDWR);
    int fl = fcntl(fd, F_GETFL);
    printf("fcntl getfl rdwr %d\n", (fl & O_ACCMODE) == O_RDWR);
    fcntl(fd, F_SETFL, fl | O_APPEND);
    printf("append set %d\n", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
    printf("lock %d\n", fcntl(fd, F_SETLK, &lk));
    int fd2 = dup2(fd, 20);
    printf("dup2 %d\n", fd2);
    printf("cloexec %d\n", fcntl(fd2, F_GETFD));
    close(fd2);
    close(fd);

    FILE *fp = fopen("a.txt", "r");
    char line[64];
    while (fgets(line, sizeof line, fp)) printf("fgets: %s", line[0] ? line : "\n");
    printf("\n");
    fclose(fp);
    fp = fopen("stdio.txt", "w+");
    for (int i = 0; i < 1000; i++) fprintf(fp, "%d,", i * i);
    fseek(fp, 0, SEEK_SET);
    long sum = 0;
    int v;
    while (fscanf(fp, "%d,", &v) == 1) sum += v;
    fclose(fp);
    printf("stdio sum %ld\n", sum);

    errno = 0;
    int r = open("nonexistent", O_RDONLY);
    printf("missing: open %d errno %s\n", r, errno == ENOENT ? "ENOENT" : "other");
    char cwd[256];
    printf("getcwd is dir %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd, dir) == 0);
    unlink("a.txt"); unlink("hard"); unlink("link"); unlink("stdio.txt"); unlink("sub/moved"); rmdir("sub");
    if (chdir("/") != 0) return 1;
    printf("rmdir %d\n", rmdir(dir));
    return 0;
}
