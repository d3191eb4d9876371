/*
 * files.c — file and directory system calls in a scratch directory given
 * as argv[1] (or $TMPDIR, or /tmp): create, write, read, lseek, pread/pwrite,
 * stat/fstat, rename, link/symlink/readlink, mkdir/readdir, dup/pipe,
 * truncate, unlink/rmdir.  Prints only facts that do not depend on the host
 * (sizes, contents, types, sorted names), never inode numbers or times.
 *
 * Built with 64-bit file offsets, as real programs are: with 32-bit ones
 * glibc's readdir fails with EOVERFLOW on hosts whose directory offsets
 * are 64-bit hashes (ext4, overlayfs), under any user-mode emulator.
 */
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static char base[512];

static const char *path(const char *name)
{
    static char buf[2][700];
    static int which;
    which ^= 1;
    snprintf(buf[which], sizeof buf[which], "%s/%s", base, name);
    return buf[which];
}

#define CHECK(x) do { if ((x) < 0) { printf("FAILED %s: %s\n", #x, strerror(errno)); exit(1); } } while (0)

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        printf("opendir failed: %s\n", strerror(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        char kind = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
        char *s = malloc(strlen(e->d_name) + 3);
        sprintf(s, "%s(%c)", e->d_name, kind);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    printf("dir:");
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    const char *tmp = argc > 1 ? argv[1] : getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/vemu-files-%d", tmp ? tmp : "/tmp", (int)getpid());
    CHECK(mkdir(base, 0755));
    char abs_base[PATH_MAX];
    if (!realpath(base, abs_base)) {   /* later steps chdir into base: keep it absolute */
        printf("realpath failed: %s\n", strerror(errno));
        return 1;
    }
    snprintf(base, sizeof base, "%s", abs_base);

    /* create and write, with write, writev and pwrite */
    int fd = open(path("a.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    CHECK(fd);
    const char *line = "hello from the guest\n";
    printf("write -> %zd\n", write(fd, line, strlen(line)));
    struct iovec iov[2] = { { "vector ", 7 }, { "write\n", 6 } };
    printf("writev -> %zd\n", writev(fd, iov, 2));
    printf("pwrite -> %zd\n", pwrite(fd, "HELLO", 5, 0));
    CHECK(close(fd));

    /* read back, lseek, pread */
    char buf[256];
    fd = open(path("a.txt"), O_RDONLY);
    CHECK(fd);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("read %zd: %s", n, buf);
    printf("lseek end -> %ld, set 6 -> %ld\n", (long)lseek(fd, 0, SEEK_END), (long)lseek(fd, 6, SEEK_SET));
    n = read(fd, buf, 4);
    buf[n > 0 ? n : 0] = 0;
    printf("read after seek: '%s'\n", buf);
    n = pread(fd, buf, 6, 21);
    buf[n > 0 ? n : 0] = 0;
    printf("pread: '%s'\n", buf);

    struct stat st;
    CHECK(fstat(fd, &st));
    printf("fstat: size=%lld regular=%d mode=%o nlink=%ld\n", (long long)st.st_size, S_ISREG(st.st_mode),
           (unsigned)(st.st_mode & 0777), (long)st.st_nlink);
    CHECK(close(fd));

    /* dup2 onto a fixed descriptor, fcntl flags */
    fd = open(path("a.txt"), O_RDONLY);
    CHECK(fd);
    int fd2 = dup2(fd, 50);
    printf("dup2 -> %d, FD_CLOEXEC=%d\n", fd2, fcntl(fd2, F_GETFD) & FD_CLOEXEC);
    CHECK(fcntl(fd2, F_SETFD, FD_CLOEXEC));
    printf("after F_SETFD FD_CLOEXEC=%d O_ACCMODE=%d\n", fcntl(fd2, F_GETFD) & FD_CLOEXEC,
           fcntl(fd2, F_GETFL) & O_ACCMODE);
    close(fd);
    close(fd2);

    /* pipe */
    int p[2];
    CHECK(pipe(p));
    printf("pipe write %zd\n", write(p[1], "through a pipe", 14));
    n = read(p[0], buf, sizeof buf);
    printf("pipe read %zd: %.*s\n", n, (int)n, buf);
    close(p[0]);
    close(p[1]);

    /* names: rename, link, symlink, readlink, mkdir */
    CHECK(rename(path("a.txt"), path("b.txt")));
    CHECK(link(path("b.txt"), path("hard")));
    CHECK(symlink("b.txt", path("soft")));
    n = readlink(path("soft"), buf, sizeof buf);
    printf("readlink: %.*s\n", (int)n, buf);
    CHECK(stat(path("b.txt"), &st));
    printf("stat after link: nlink=%ld size=%lld\n", (long)st.st_nlink, (long long)st.st_size);
    CHECK(lstat(path("soft"), &st));
    printf("lstat soft: is_link=%d\n", S_ISLNK(st.st_mode));
    CHECK(mkdir(path("sub"), 0700));
    CHECK(stat(path("sub"), &st));
    printf("sub: dir=%d mode=%o\n", S_ISDIR(st.st_mode), (unsigned)(st.st_mode & 0777));
    printf("access(b.txt, R_OK)=%d access(missing)=%d errno=%s\n", access(path("b.txt"), R_OK),
           access(path("missing"), F_OK), errno == ENOENT ? "ENOENT" : "other");
    list_dir(base);

    /* truncate, getcwd/chdir relative access */
    CHECK(truncate(path("b.txt"), 5));
    CHECK(stat(path("hard"), &st));
    printf("hard link size after truncate: %lld\n", (long long)st.st_size);
    char cwd[512];
    CHECK(chdir(base));
    printf("getcwd matches: %d\n", getcwd(cwd, sizeof cwd) && strstr(cwd, "vemu-files-") != NULL);
    fd = open("sub/rel.txt", O_CREAT | O_RDWR, 0600);
    CHECK(fd);
    printf("relative create ok, fd>2: %d\n", fd > 2);
    close(fd);
    list_dir("sub");

    /* clean up */
    CHECK(unlink("sub/rel.txt"));
    CHECK(rmdir("sub"));
    CHECK(unlink("soft"));
    CHECK(unlink("hard"));
    CHECK(unlink("b.txt"));
    CHECK(chdir(".."));
    printf("rmdir of the emptied base: %d\n", rmdir(base));
    printf("open removed: %d %s\n", open(path("b.txt"), O_RDONLY), errno == ENOENT ? "ENOENT" : "other");
    return 0;
}
