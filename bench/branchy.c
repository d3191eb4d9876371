/*
 * branchy.c — branch-heavy control flow: Collatz trajectories (a data
 * dependent branch per step) and a hand-written lexer that classifies
 * characters through nested ifs, the kind of code that stresses block
 * chaining and conditional-branch translation.
 */
#include "bench-common.h"

static const char text[] =
    "int main(void) { for (i = 0; i < 100; i++) x += y * 3 - (z >> 2); /* comment */ "
    "return x == 42 ? 0x1f : 077; } if (a && b || !c) while (--n) s = \"str\\n\"; ";

static uint32_t lex(uint32_t *kinds)
{
    uint32_t tokens = 0;
    const char *p = text;
    while (*p) {
        char c = *p;
        if (c == ' ' || c == '\n' || c == '\t') {
            p++;
            continue;
        }
        tokens++;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            kinds[0]++;
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
                   (*p >= '0' && *p <= '9'))
                p++;
        } else if (c >= '0' && c <= '9') {
            kinds[1]++;
            if (c == '0' && (p[1] == 'x' || p[1] == 'X'))
                p += 2;
            while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
                p++;
        } else if (c == '"') {
            kinds[2]++;
            p++;
            while (*p && *p != '"') {
                if (*p == '\\')
                    p++;
                p++;
            }
            if (*p)
                p++;
        } else if (c == '/' && p[1] == '*') {
            kinds[3]++;
            p += 2;
            while (*p && !(*p == '*' && p[1] == '/'))
                p++;
            if (*p)
                p += 2;
        } else {
            kinds[4]++;
            if ((c == '<' || c == '>' || c == '=' || c == '!' || c == '&' || c == '|' || c == '+' ||
                 c == '-') && (p[1] == c || p[1] == '='))
                p++;
            p++;
        }
    }
    return tokens;
}

int main(int argc, char **argv)
{
    uint32_t n = bench_scale(argc, argv, 1300000);
    uint64_t check = 0;
    for (uint32_t i = 1; i <= n; i++) {
        uint64_t x = i;
        uint32_t steps = 0;
        while (x != 1) {
            if (x & 1)
                x = 3 * x + 1;
            else
                x >>= 1;
            steps++;
        }
        check += steps;
    }
    uint32_t kinds[5] = { 0 };
    uint64_t tokens = 0;
    for (uint32_t r = 0; r < n / 8; r++)
        tokens += lex(kinds);
    check = check * 1000003 + tokens;
    for (int k = 0; k < 5; k++)
        check = check * 31 + kinds[k];
    bench_result("branchy", check);
    return 0;
}
