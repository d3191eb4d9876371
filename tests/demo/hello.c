/*
 * hello.c — the program `make demo` runs under vemu-arm.
 *
 * It is an ordinary Linux program (for the demo static armel; README.md
 * also builds it for x86_64 and i386): it greets, shows the arguments it was
 * given, asks the kernel what machine it runs on (under vemu-arm the answer
 * is an ARM machine, though the host is x86_64), and computes a small table
 * so there is real work to translate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static int is_prime(unsigned n)
{
    if (n < 2)
        return 0;
    for (unsigned d = 2; d * d <= n; d++)
        if (n % d == 0)
            return 0;
    return 1;
}

static unsigned collatz_steps(unsigned long long n)
{
    unsigned steps = 0;
    while (n != 1) {
        n = (n & 1) ? 3 * n + 1 : n / 2;
        steps++;
    }
    return steps;
}

int main(int argc, char **argv)
{
#if defined(__x86_64__)
    printf("Hello! I am a 64-bit x86 program (x86_64).\n\n");
#elif defined(__i386__)
    printf("Hello! I am a 32-bit x86 program (i386).\n\n");
#else
#if defined(__ARM_PCS_VFP)
    const char *abi = "hard-float (armhf)";
#else
    const char *abi = "soft-float (armel)";
#endif
#if defined(__thumb__)
    const char *isa = "Thumb";
#else
    const char *isa = "ARM";
#endif
    printf("Hello! I am a 32-bit little-endian ARM program: %s code, %s ABI.\n\n", isa, abi);
#endif

    printf("My arguments:\n");
    for (int i = 0; i < argc; i++)
        printf("  argv[%d] = \"%s\"\n", i, argv[i]);

    struct utsname u;
    if (uname(&u) == 0)
        printf("\nThe kernel says this machine is: %s (%s %s)\n", u.machine, u.sysname, u.release);
    printf("My process id is %d; a page is %ld bytes; a pointer is %zu bytes.\n\n", (int)getpid(),
           sysconf(_SC_PAGESIZE), sizeof(void *));

    printf("   n | prime? | collatz steps | n! (64-bit)          | sqrt(n)\n");
    printf("-----+--------+---------------+----------------------+---------------------\n");
    unsigned long long fact = 1;
    for (unsigned n = 1; n <= 20; n++) {
        fact *= n;
        double x = n, r = x;
        for (int k = 0; k < 20; k++)   /* Newton's method: all integer ops on armel */
            r = 0.5 * (r + x / r);
        printf("%4u | %-6s | %13u | %20llu | %.15f\n", n, is_prime(n) ? "yes" : "no",
               collatz_steps(n), fact, r);
    }

    unsigned count = 0;
    for (unsigned n = 0; n < 200000; n++)
        count += is_prime(n);
    printf("\nThere are %u primes below 200000.\n", count);
    printf("Goodbye from the guest.\n");
    return 0;
}
