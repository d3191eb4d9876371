/* The program tests/gdbstub/run.sh debugs under vemu-arm -g.  The exit
 * status is whatever `counter` ends as, so the test sees whether gdb's
 * write to it (set var) reached guest memory. */
#include <stdio.h>

volatile int counter = 5;

int add(int a, int b)
{
    int sum = a + b;
    counter += sum;
    return sum;
}

int main(void)
{
    int r = add(3, 4);
    printf("r=%d counter=%d\n", r, counter);
    return counter & 0x7f;
}
