/* empty.c — the startup rows of bench/real: a program that does nothing, so
 * that its time is the emulator's start-up (and, built dynamically, the
 * dynamic loader's and libc's). */
int main(void)
{
    return 0;
}
