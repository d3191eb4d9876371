/* tests/aarch64-host/hello.c — a small ARM guest program for the aarch64
 * build's first check (tests/aarch64-host/run.sh): libc start-up, argv,
 * integer and floating-point arithmetic, a file round trip.  Small on
 * purpose: the interpreter under qemu-aarch64 is slow. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("hello from an ARM guest\n");
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = %s\n", i == 0 ? 0 : i, i == 0 ? "(program)" : argv[i]);
    unsigned long long f = 1;
    for (int n = 1; n <= 20; n++)
        f *= n;
    printf("20! = %llu\n", f);
    volatile double x = 2.0;
    printf("sqrt(2) = %.15f, 1/3 = %.17g\n", sqrt(x), 1.0 / (x + 1.0));
    char name[] = "hello-tmp-XXXXXX";
    FILE *t = tmpfile();
    if (!t)
        return 2;
    fputs(name, t);
    rewind(t);
    char back[sizeof name] = "";
    if (!fgets(back, sizeof back, t) || strcmp(back, name))
        return 3;
    fclose(t);
    printf("file round trip ok\n");
    return argc > 1 ? atoi(argv[1]) : 0;
}
