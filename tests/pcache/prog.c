/*
 * A guest program for tests/pcache: enough code for a few hundred blocks
 * (formatting, sorting, string work), a function whose only instruction
 * the test rewrites in the binary (marker: mov r0, #0x55), and an exec of
 * itself (argument "exec") so the child, a new vemu, can reuse the cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((naked, noinline)) int marker(void)
{
    __asm__ volatile("mov r0, #0x55\n\tbx lr\n");
}

static int cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int v[200];
    unsigned s = 12345;
    for (int i = 0; i < 200; i++) {
        s = s * 1103515245u + 12345u;
        v[i] = (int)(s >> 8) % 1000;
    }
    qsort(v, 200, sizeof(v[0]), cmp);
    char buf[4096] = "";
    for (int i = 0; i < 200; i += 20) {
        char one[64];
        snprintf(one, sizeof(one), "%d:%.2f ", v[i], v[i] / 7.0);
        strcat(buf, one);
    }
    unsigned long h = 5381;
    for (size_t i = 0; i < strlen(buf); i++)
        h = h * 33 + (unsigned char)buf[i];
    if (argc > 1 && !strcmp(argv[1], "child")) {
        printf("child %lu marker %d\n", h % 100000, marker());
        return 0;
    }
    printf("result %lu marker %d\n", h % 100000, marker());
    fflush(stdout);
    if (argc > 1 && !strcmp(argv[1], "exec")) {
        char *args[] = { argv[0], "child", NULL };
        execv("/proc/self/exe", args);
        perror("execv");
        return 1;
    }
    return 0;
}
