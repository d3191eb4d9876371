/* x86u.h — small helpers shared by the x86 guest test programs
 * (tests/x86-user).  Every program prints what it computed; run.sh compares
 * the output of vemu with the oracle's (the host for x86_64, qemu-i386 for
 * i386) byte for byte, and the i386 build with the x86_64 build after
 * dropping the lines that start with "w:" (word-size dependent results).
 * Tables of many cases are hashed (one line per group); `-v GROUP` prints
 * every case of that group so run.sh can show the first differing one. */
#ifndef X86U_H
#define X86U_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __x86_64__
#define W64 1
/* Inline asm that pushes must step over the red zone the compiler may use. */
#define RZ_DOWN "lea -128(%%rsp), %%rsp\n\t"
#define RZ_UP "lea 128(%%rsp), %%rsp\n\t"
#else
#define W64 0
#define RZ_DOWN ""
#define RZ_UP ""
#endif

/* Line-buffered stdout: a program an emulator kills still shows how far it got. */
__attribute__((constructor)) static void x86u_line_buffered(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

/* The arithmetic flags. */
#define F_CF 0x001u
#define F_PF 0x004u
#define F_AF 0x010u
#define F_ZF 0x040u
#define F_SF 0x080u
#define F_OF 0x800u
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

typedef struct { uint64_t h; } Hash;
static inline void hash_init(Hash *h) { h->h = 0xcbf29ce484222325ull; }
static inline void hash_bytes(Hash *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) { h->h ^= b[i]; h->h *= 0x100000001b3ull; }
}
static inline void hash_u64(Hash *h, uint64_t v) { hash_bytes(h, &v, sizeof v); }
static inline void hash_str(Hash *h, const char *s) { hash_bytes(h, s, strlen(s)); }

/* -v NAME: verbose for the group NAME (NULL: hash lines only). */
static const char *verbose_group;
static inline int verbose_for(const char *g) { return verbose_group && strcmp(verbose_group, g) == 0; }
static inline void parse_verbose(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "-v") == 0) verbose_group = argv[2];
}
#endif
