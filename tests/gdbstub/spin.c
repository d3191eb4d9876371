/* A program that never stops by itself, for tests/gdbstub/run.sh: gdb's
 * Ctrl-C (the interrupt byte) must stop it while it runs. */
#include <unistd.h>

volatile unsigned long spins;

void spin(void)
{
    for (;;)
        spins++;
}

int main(void)
{
    /* Unbuffered, so the test sees it at once and knows we are running. */
    write(1, "spinning\n", 9);
    spin();
    return 0;
}
