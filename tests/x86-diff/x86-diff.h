/* x86-diff.h — the random-instruction differential tester's shared types:
 * the guest state a test case starts from and ends in (its layout is
 * fixed: x86-diff-run.S loads and stores it by offset), the encoding table
 * rows, and the code emitter. */
#ifndef X86_DIFF_H
#define X86_DIFF_H
#include <stddef.h>
#include <stdint.h>

#define CODE_ADDR 0x10000000ul     /* the generated code, at a fixed address */
#define CODE_SIZE 0x10000ul
#define DATA_ADDR 0x10100000ul     /* scratch memory operands point into */
#define SCRATCH 512

typedef struct State {
    uint8_t fx[512];               /* fxsave image: x87, MXCSR, xmm */
    uint64_t gpr[16];              /* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
    uint64_t flags;
    uint64_t pad;
    uint8_t ymm[16][32];           /* xmm/ymm when the class uses SSE/AVX */
} __attribute__((aligned(64))) State;
_Static_assert(offsetof(State, gpr) == 512, "ST_GPR");
_Static_assert(offsetof(State, flags) == 640, "ST_FLAGS");
_Static_assert(offsetof(State, ymm) == 656, "ST_YMM");

enum { FP_SSE = 1, FP_X87 = 2, FP_AVX = 4 };
void run_block(State *s, void *code, unsigned fpmode);
void back_from_block(void);

/* arithmetic flags */
#define CF 0x001
#define PF 0x004
#define AF 0x010
#define ZF 0x040
#define SF 0x080
#define OF 0x800
#define ALL (CF | PF | AF | ZF | SF | OF)
#endif
