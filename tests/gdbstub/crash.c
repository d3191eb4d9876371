/* A program that faults, for tests/gdbstub/run.sh: gdb must see the
 * SIGSEGV (in Thumb code) before the guest dies of it, then kill it. */
#include <stdio.h>

static int *volatile target_ptr;

void poke(int v)
{
    *target_ptr = v;
}

int main(void)
{
    puts("before");
    fflush(stdout);
    poke(42);
    puts("after");
    return 0;
}
