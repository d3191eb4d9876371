/*
 * simd-string.c — the C library's string and memory functions, which glibc
 * picks by CPUID (SSE2, SSSE3, SSE4.2, AVX2 variants: run under several
 * -cpu models), over every alignment and length near a page end, where a
 * vector loop that reads too far would fault.  Prints one hash line per
 * function.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wchar.h>

static uint64_t h;
static void mix(uint64_t v) { h = (h ^ v) * 1099511628211ull; }

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    /* two pages, the second inaccessible: strings end right before it */
    char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED || mprotect(area + page, page, PROT_NONE))
        return 1;
    char *end = area + page;
    static char dst[8192];
    const char *names[] = { "strlen", "strchr", "strrchr", "memchr", "memrchr", "rawmemchr", "strcmp",
                            "strncmp", "memcmp", "memcpy", "memmove", "memset", "strcpy", "stpcpy",
                            "strnlen", "strstr", "strspn", "strcspn", "strpbrk", "strcasecmp", "wcslen",
                            "wmemchr", "strncpy", "memmem" };
    for (unsigned f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
        h = 14695981039346656037ull;
        for (unsigned len = 0; len < 300; len += (len < 70 ? 1 : 13)) {
            for (unsigned al = 0; al < 64; al += (len < 40 ? 1 : 7)) {
                /* a string of len chars ending at the page end (the NUL the last byte) */
                char *s = end - len - 1 - (al & 3);
                if (s < area)
                    continue;
                for (unsigned i = 0; i < len; i++)
                    s[i] = (char)('a' + (i * 7 + al) % 23);
                s[len] = 0;
                char *t = dst + al;
                memcpy(t, s, len + 1);
                if (len > 3)
                    t[len / 2] ^= (char)(al & 1);
                int c = 'a' + (int)((len * 3 + al) % 26);
                uint64_t v = 0;
                switch (f) {
                case 0: v = strlen(s); break;
                case 1: v = strchr(s, c) ? (uint64_t)(strchr(s, c) - s) : 999; break;
                case 2: v = strrchr(s, c) ? (uint64_t)(strrchr(s, c) - s) : 999; break;
                case 3: v = memchr(s, c, len) ? (uint64_t)((char *)memchr(s, c, len) - s) : 999; break;
                case 4: v = memrchr(s, c, len) ? (uint64_t)((char *)memrchr(s, c, len) - s) : 999; break;
                case 5: v = (uint64_t)((char *)rawmemchr(s, 0) - s); break;
                case 6: v = (uint64_t)(strcmp(s, t) > 0) - (strcmp(s, t) < 0); break;
                case 7: v = (uint64_t)(strncmp(s, t, len / 2 + 1) > 0) - (strncmp(s, t, len / 2 + 1) < 0); break;
                case 8: v = (uint64_t)(memcmp(s, t, len) > 0) - (memcmp(s, t, len) < 0); break;
                case 9: memcpy(dst + 4096 + al, s, len); v = memcmp(dst + 4096 + al, s, len) != 0; break;
                case 10: memmove(dst + al + 3, dst + al, len); for (unsigned i = 0; i < len + 3; i++) mix((uint8_t)dst[al + i]); break;
                case 11: memset(dst + 4096 + al, c, len); for (unsigned i = 0; i < 512; i++) mix((uint8_t)dst[4096 + i]); break;
                case 12: strcpy(dst + 4096 + al, s); v = strlen(dst + 4096 + al); break;
                case 13: v = (uint64_t)(stpcpy(dst + 4096 + al, s) - dst); break;
                case 14: v = strnlen(s, len / 2 + al); break;
                case 15: v = strstr(s, s + len / 2) ? (uint64_t)(strstr(s, s + len / 2) - s) : 999; break;
                case 16: v = strspn(s, "abcdefg"); break;
                case 17: v = strcspn(s, "xyzq"); break;
                case 18: v = strpbrk(s, "mno") ? (uint64_t)(strpbrk(s, "mno") - s) : 999; break;
                case 19: v = (uint64_t)(strcasecmp(s, t) > 0) - (strcasecmp(s, t) < 0); break;
                case 20: {
                    wchar_t *w = (wchar_t *)(end - 4 * (len + 1));
                    for (unsigned i = 0; i < len; i++)
                        w[i] = (wchar_t)(0x100 + i);
                    w[len] = 0;
                    v = wcslen(w);
                    break;
                }
                case 21: {
                    wchar_t *w = (wchar_t *)(end - 4 * (len + 1));
                    v = wmemchr(w, (wchar_t)(0x100 + len / 2), len) ? 1 : 0;
                    break;
                }
                case 22: strncpy(dst + 4096, s, len + al); for (unsigned i = 0; i < len + al; i++) mix((uint8_t)dst[4096 + i]); break;
                case 23: v = memmem(s, len, "ab", 2) ? (uint64_t)((char *)memmem(s, len, "ab", 2) - s) : 999; break;
                }
                mix(v);
            }
        }
        printf("%s %016llx\n", names[f], (unsigned long long)h);
    }
    return 0;
}
