#include <stdio.h>
int main(void) { printf("hello from another guest program\n"); return 0; }
