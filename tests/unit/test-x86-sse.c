/*
 * Unit tests for the vector translation (frontend-x86/sse.decode,
 * avx.decode, translate-sse*.c), with the host CPU as the oracle: each
 * case is a snippet of x86-64 code (assembled by GNU as from the text
 * below) run natively and under vemu (IR interpreter and x86_64 backend)
 * from the same registers, YMM0-15, MXCSR and memory.  The snippet is
 * framed by code that loads YMM0-15 and MXCSR from a save area (r15) and
 * stores them back, so the comparison of the data area covers the vector
 * state; general registers and the six arithmetic flags are compared too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/x86-test-rig.h"

/* the vector save area: YMM0-15 at r15, MXCSR at r15 + 0x200 */
#define VSAVE 0x800u
#define DATA_SIZE 0x1000u

#define PROLOGUE \
    "vmovdqu 0x000(%r15), %ymm0\n vmovdqu 0x020(%r15), %ymm1\n vmovdqu 0x040(%r15), %ymm2\n" \
    "vmovdqu 0x060(%r15), %ymm3\n vmovdqu 0x080(%r15), %ymm4\n vmovdqu 0x0a0(%r15), %ymm5\n" \
    "vmovdqu 0x0c0(%r15), %ymm6\n vmovdqu 0x0e0(%r15), %ymm7\n vmovdqu 0x100(%r15), %ymm8\n" \
    "vmovdqu 0x120(%r15), %ymm9\n vmovdqu 0x140(%r15), %ymm10\n vmovdqu 0x160(%r15), %ymm11\n" \
    "vmovdqu 0x180(%r15), %ymm12\n vmovdqu 0x1a0(%r15), %ymm13\n vmovdqu 0x1c0(%r15), %ymm14\n" \
    "vmovdqu 0x1e0(%r15), %ymm15\n ldmxcsr 0x200(%r15)\n"
#define EPILOGUE \
    "vmovdqu %ymm0, 0x000(%r15)\n vmovdqu %ymm1, 0x020(%r15)\n vmovdqu %ymm2, 0x040(%r15)\n" \
    "vmovdqu %ymm3, 0x060(%r15)\n vmovdqu %ymm4, 0x080(%r15)\n vmovdqu %ymm5, 0x0a0(%r15)\n" \
    "vmovdqu %ymm6, 0x0c0(%r15)\n vmovdqu %ymm7, 0x0e0(%r15)\n vmovdqu %ymm8, 0x100(%r15)\n" \
    "vmovdqu %ymm9, 0x120(%r15)\n vmovdqu %ymm10, 0x140(%r15)\n vmovdqu %ymm11, 0x160(%r15)\n" \
    "vmovdqu %ymm12, 0x180(%r15)\n vmovdqu %ymm13, 0x1a0(%r15)\n vmovdqu %ymm14, 0x1c0(%r15)\n" \
    "vmovdqu %ymm15, 0x1e0(%r15)\n stmxcsr 0x200(%r15)\n"

/* A case: its code assembled into .rodata between two labels. */
typedef struct SseCase {
    const char *name;
    const uint8_t *start, *end;
    int data_kind;             /* 0 integers, 1 floats, 2 doubles, 3 strings */
    uint32_t mxcsr;            /* 0: the default */
} SseCase;

#define SNIPPET(id, text) \
    extern const uint8_t snip_##id##_start[], snip_##id##_end[]; \
    __asm__(".pushsection .rodata\n.globl snip_" #id "_start\n.globl snip_" #id "_end\n" \
            "snip_" #id "_start:\n" PROLOGUE text "\n" EPILOGUE "snip_" #id "_end:\n.popsection\n");

/* ---- the snippets: rsi points at data (0x800 bytes), r15 at the save area ---- */
SNIPPET(moves, "movaps %xmm1, %xmm2\n movups 16(%rsi), %xmm3\n movdqa (%rsi), %xmm4\n movdqu 3(%rsi), %xmm5\n"
        "movups %xmm6, 32(%rsi)\n movdqa %xmm7, 64(%rsi)\n movss 8(%rsi), %xmm8\n movsd 24(%rsi), %xmm9\n"
        "movss %xmm10, %xmm11\n movsd %xmm12, %xmm13\n movss %xmm1, 100(%rsi)\n movsd %xmm2, 120(%rsi)\n"
        "movlps 40(%rsi), %xmm14\n movhps 48(%rsi), %xmm15\n movhlps %xmm1, %xmm0\n movlhps %xmm3, %xmm6\n"
        "movlpd %xmm4, 200(%rsi)\n movhpd %xmm5, 208(%rsi)\n lddqu 5(%rsi), %xmm7")
SNIPPET(movdq, "movd %eax, %xmm0\n movq %rbx, %xmm1\n movd %xmm2, %ecx\n movq %xmm3, %rdx\n movd 4(%rsi), %xmm4\n"
        "movq 8(%rsi), %xmm5\n movq %xmm6, %xmm7\n movq %xmm8, 256(%rsi)\n movd %xmm9, 260(%rsi)\n"
        "movq (%rsi), %mm0\n movq2dq %mm0, %xmm10\n movd %eax, %mm1\n movq %mm1, 300(%rsi)\n movdq2q %xmm11, %mm2\n"
        "movd %mm2, %edi\n movq %mm0, %r8\n emms")
SNIPPET(logic, "pxor %xmm0, %xmm0\n pxor %xmm1, %xmm2\n pand 16(%rsi), %xmm3\n pandn %xmm4, %xmm5\n por %xmm6, %xmm7\n"
        "xorps %xmm8, %xmm8\n andps %xmm9, %xmm10\n andnpd 32(%rsi), %xmm11\n orpd %xmm12, %xmm13\n"
        "xorpd %xmm14, %xmm15")
SNIPPET(intarith, "paddb %xmm0, %xmm1\n paddw 16(%rsi), %xmm2\n paddd %xmm3, %xmm4\n paddq %xmm5, %xmm6\n"
        "psubusb %xmm7, %xmm8\n paddsw %xmm9, %xmm10\n pmullw %xmm11, %xmm12\n pmulhuw %xmm13, %xmm14\n"
        "pmaddwd %xmm15, %xmm0\n pmuludq %xmm1, %xmm2\n psadbw %xmm3, %xmm4\n pavgb %xmm5, %xmm6\n"
        "pminub %xmm7, %xmm8\n pmaxsw %xmm9, %xmm10\n pcmpeqb %xmm11, %xmm12\n pcmpgtd %xmm13, %xmm14\n"
        "pmovmskb %xmm12, %eax\n psllw $3, %xmm1\n psrad $31, %xmm2\n psrlq $7, %xmm3\n pslldq $5, %xmm4\n"
        "psrldq $9, %xmm5\n psllq %xmm6, %xmm7\n pmulld %xmm8, %xmm9\n pminsd %xmm10, %xmm11\n"
        "pcmpeqq %xmm12, %xmm13\n pcmpgtq %xmm14, %xmm15\n pabsb %xmm1, %xmm2\n psignw %xmm3, %xmm4\n"
        "phaddd %xmm5, %xmm6\n pmaddubsw %xmm7, %xmm8\n pmulhrsw %xmm9, %xmm10")
SNIPPET(shuffle, "pshufd $0x1b, %xmm0, %xmm1\n pshuflw $0x4e, 16(%rsi), %xmm2\n pshufhw $0xb1, %xmm3, %xmm4\n"
        "punpcklbw %xmm5, %xmm6\n punpckhqdq %xmm7, %xmm8\n unpcklps %xmm9, %xmm10\n unpckhpd %xmm11, %xmm12\n"
        "packsswb %xmm13, %xmm14\n packuswb %xmm15, %xmm0\n packusdw %xmm1, %xmm2\n shufps $0x93, %xmm3, %xmm4\n"
        "shufpd $1, %xmm5, %xmm6\n pshufb %xmm7, %xmm8\n palignr $7, %xmm9, %xmm10\n pblendw $0x5a, %xmm11, %xmm12\n"
        "blendvps %xmm13, %xmm14\n pblendvb %xmm15, %xmm1\n pmovzxbw %xmm2, %xmm3\n pmovsxwd 8(%rsi), %xmm4\n"
        "pextrb $5, %xmm5, %eax\n pextrw $3, %xmm6, %ebx\n pextrd $2, %xmm7, %ecx\n pextrq $1, %xmm8, %rdx\n"
        "pinsrb $9, %edi, %xmm9\n pinsrw $2, 12(%rsi), %xmm10\n pinsrd $1, %eax, %xmm11\n pinsrq $0, %rbx, %xmm12\n"
        "insertps $0x5c, %xmm13, %xmm14\n extractps $2, %xmm15, %r8d\n movddup %xmm1, %xmm2\n movshdup %xmm3, %xmm4\n"
        "pextrw $7, %xmm5, 400(%rsi)\n phminposuw %xmm8, %xmm9\n mpsadbw $5, %xmm10, %xmm11\n"
        "ptest %xmm6, %xmm7")
SNIPPET(fp_scalar, "addss %xmm0, %xmm1\n addsd 8(%rsi), %xmm2\n subss %xmm3, %xmm4\n mulsd %xmm5, %xmm6\n"
        "divss %xmm7, %xmm8\n divsd %xmm9, %xmm10\n sqrtss %xmm11, %xmm12\n sqrtsd 16(%rsi), %xmm13\n"
        "minss %xmm14, %xmm15\n maxsd %xmm0, %xmm1\n cvtss2sd %xmm2, %xmm3\n cvtsd2ss %xmm4, %xmm5\n"
        "cvtsi2sd %eax, %xmm6\n cvtsi2ssq %rbx, %xmm7\n cvttsd2si %xmm8, %ecx\n cvtsd2si %xmm9, %rdx\n"
        "cvttss2si %xmm10, %rdi\n cmpltsd %xmm11, %xmm12\n cmpunordss %xmm13, %xmm14\n roundsd $1, %xmm15, %xmm0\n"
        "rcpss %xmm1, %xmm2\n rsqrtss %xmm3, %xmm4")
SNIPPET(fp_packed, "addps %xmm0, %xmm1\n addpd 16(%rsi), %xmm2\n subps %xmm3, %xmm4\n mulpd %xmm5, %xmm6\n"
        "divps %xmm7, %xmm8\n sqrtpd %xmm9, %xmm10\n minps %xmm11, %xmm12\n maxpd %xmm13, %xmm14\n"
        "haddps %xmm15, %xmm0\n addsubpd %xmm1, %xmm2\n cmpps $4, %xmm3, %xmm4\n cmppd $1, %xmm5, %xmm6\n"
        "cvtps2pd %xmm7, %xmm8\n cvtpd2ps %xmm9, %xmm10\n cvtdq2ps %xmm11, %xmm12\n cvttps2dq %xmm13, %xmm14\n"
        "cvtpd2dq %xmm15, %xmm0\n cvtdq2pd %xmm1, %xmm2\n roundps $2, %xmm3, %xmm4\n dpps $0xf1, %xmm5, %xmm6\n"
        "movmskps %xmm7, %eax\n movmskpd %xmm8, %ebx\n blendpd $2, %xmm9, %xmm10")
SNIPPET(maskmov, "lea 300(%rsi), %rdi\n maskmovdqu %xmm1, %xmm2\n add $40, %rdi\n movq 8(%rsi), %mm0\n"
        "movq 16(%rsi), %mm1\n maskmovq %mm0, %mm1\n add $16, %rdi\n vmaskmovdqu %xmm3, %xmm4\n emms")
SNIPPET(vmaskmov, "vmaskmovps 64(%rsi), %ymm1, %ymm2\n vmaskmovpd %ymm3, %ymm4, 128(%rsi)\n"
        "vpmaskmovd 4(%rsi), %xmm5, %xmm6\n vpmaskmovq %ymm7, %ymm8, 256(%rsi)\n vmaskmovps %xmm9, %xmm10, 200(%rsi)\n"
        "vpmaskmovq 8(%rsi), %xmm11, %xmm12")
SNIPPET(gather, "vpsrad $28, %ymm1, %ymm1\n vpcmpeqd %ymm2, %ymm2, %ymm2\n lea 512(%rsi), %rax\n"
        "vpgatherdd %ymm2, (%rax,%ymm1,4), %ymm3\n vpsrad $28, %xmm4, %xmm4\n"
        "vgatherdpd %ymm7, 8(%rax,%xmm4,8), %ymm0\n vpsrlq $60, %ymm8, %ymm8\n"
        "vpgatherqq %ymm9, -16(%rax,%ymm8,2), %ymm10\n vpsrlq $59, %ymm12, %ymm12\n"
        "vgatherqps %xmm11, (%rax,%ymm12,4), %xmm13\n vpsrld $29, %xmm15, %xmm15\n"
        "vpgatherdq %xmm14, (%rsi,%xmm15,8), %xmm5\n vpsrld $29, %xmm6, %xmm6\n vpgatherdd %xmm1, 16(%rsi,%xmm6,1), %xmm2\n"
        "vpsrlq $61, %xmm7, %xmm7\n vpgatherqd %xmm8, (%rsi,%xmm7,4), %xmm9")

/* flag results: one flag-setting instruction last (the rig compares the flags) */
SNIPPET(ucomisd, "ucomisd %xmm1, %xmm2")
/* flags read inside the block, after the inline and the helper path joined */
SNIPPET(comis_jcc, "xor %eax, %eax\n ucomisd %xmm1, %xmm2\n seta %al\n setp %bl\n sete %cl\n comiss %xmm3, %xmm4\n"
        "setb %dl\n setbe %dil\n ucomiss 8(%rsi), %xmm5\n setnp %r8b\n jp 1f\n inc %r9\n1: comisd %xmm6, %xmm6\n"
        "setne %r10b\n ptest %xmm1, %xmm2\n setc %r11b\n pcmpistri $0x0c, %xmm3, %xmm4\n setz %r12b\n cmovc %ecx, %r13d")
SNIPPET(comiss, "comiss %xmm3, %xmm4")
SNIPPET(ucomiss_m, "ucomiss 8(%rsi), %xmm5")
SNIPPET(comisd_self, "comisd %xmm6, %xmm6")
SNIPPET(vptest, "vptest %ymm3, %ymm4")
SNIPPET(istri, "pcmpistri $0x0c, %xmm1, %xmm2\n mov %ecx, %eax")
SNIPPET(istri_m, "pcmpistri $0x40, 16(%rsi), %xmm3")
SNIPPET(istrm, "pcmpistrm $0x44, %xmm4, %xmm5")
SNIPPET(estri, "mov $5, %eax\n mov $-9, %edx\n pcmpestri $0x18, %xmm6, %xmm7")
SNIPPET(estrm, "mov $12, %eax\n mov $3, %edx\n pcmpestrm $0x02, %xmm8, %xmm9")
SNIPPET(estri_ranges, "mov $4, %eax\n mov $16, %edx\n pcmpestri $0x04, %xmm8, %xmm9")
SNIPPET(avx, "vaddps %ymm0, %ymm1, %ymm2\n vmulpd 32(%rsi), %ymm3, %ymm4\n vaddss %xmm5, %xmm6, %xmm7\n"
        "vpaddd %ymm8, %ymm9, %ymm10\n vpxor %xmm11, %xmm12, %xmm13\n vpshufb %ymm14, %ymm15, %ymm0\n"
        "vperm2f128 $0x21, %ymm1, %ymm2, %ymm3\n vinsertf128 $1, %xmm4, %ymm5, %ymm6\n"
        "vextractf128 $1, %ymm7, %xmm8\n vextracti128 $1, %ymm9, 96(%rsi)\n vbroadcastss 4(%rsi), %ymm10\n"
        "vpbroadcastb %xmm11, %ymm12\n vpermd %ymm13, %ymm14, %ymm15\n vpermq $0x1b, %ymm0, %ymm1\n"
        "vpermilps $0xb1, %ymm2, %ymm3\n vblendvps %ymm4, %ymm5, %ymm6, %ymm7\n vpsllvd %ymm8, %ymm9, %ymm10\n"
        "vpsrad $3, %ymm11, %ymm12\n vpmovzxbd %xmm13, %ymm14\n vcvtps2pd %xmm15, %ymm0\n vcvtpd2ps %ymm1, %xmm2\n"
        "vpmovmskb %ymm5, %ebx\n vmovmskps %ymm6, %ecx\n vmovaps %ymm7, 128(%rsi)\n"
        "vmovdqu 160(%rsi), %ymm8\n vmovsd %xmm9, %xmm10, %xmm11\n vmovss 12(%rsi), %xmm12\n vmovq %xmm13, %xmm14\n"
        "vpunpckhbw %ymm15, %ymm0, %ymm1\n vpalignr $3, %ymm2, %ymm3, %ymm4\n vshufps $0x4e, %ymm5, %ymm6, %ymm7\n"
        "vcmpps $0x11, %ymm8, %ymm9, %ymm10\n vroundpd $9, %ymm11, %ymm12\n vmovhps 16(%rsi), %xmm13, %xmm14\n"
        "vpinsrd $2, %eax, %xmm15, %xmm0\n vzeroupper")
SNIPPET(fma_f16c, "vfmadd132ps %ymm0, %ymm1, %ymm2\n vfmadd213sd %xmm3, %xmm4, %xmm5\n vfmadd231pd 32(%rsi), %ymm6, %ymm7\n"
        "vfnmadd132ss %xmm8, %xmm9, %xmm10\n vfmsub213ps %xmm11, %xmm12, %xmm13\n vfnmsub231pd %ymm14, %ymm15, %ymm0\n"
        "vfmaddsub231ps %ymm1, %ymm2, %ymm3\n vfmsubadd132pd %ymm4, %ymm5, %ymm6\n vcvtph2ps %xmm7, %ymm8\n"
        "vcvtps2ph $0, %ymm9, %xmm10\n vcvtps2ph $3, %xmm11, 64(%rsi)")
SNIPPET(crypto, "aesenc %xmm0, %xmm1\n aesenclast 16(%rsi), %xmm2\n aesdec %xmm3, %xmm4\n aesdeclast %xmm5, %xmm6\n"
        "aesimc %xmm7, %xmm8\n aeskeygenassist $0x1b, %xmm9, %xmm10\n pclmulqdq $0x11, %xmm11, %xmm12\n"
        "vaesenc %xmm13, %xmm14, %xmm15\n vpclmulqdq $0x01, %xmm0, %xmm1, %xmm2")
SNIPPET(mmx, "movq (%rsi), %mm0\n movq 8(%rsi), %mm1\n movq 24(%rsi), %mm2\n movq 32(%rsi), %mm3\n"
        "movq 40(%rsi), %mm4\n movq 48(%rsi), %mm5\n movq 56(%rsi), %mm6\n movq 64(%rsi), %mm7\n paddb %mm0, %mm1\n psubw 16(%rsi), %mm0\n pmullw %mm1, %mm0\n"
        "punpcklbw %mm1, %mm2\n packssdw %mm0, %mm3\n pshufw $0x1b, %mm3, %mm4\n psrlq $5, %mm4\n pmovmskb %mm4, %eax\n"
        "pshufb %mm0, %mm5\n phaddw %mm1, %mm5\n pextrw $2, %mm5, %ebx\n pinsrw $1, %ecx, %mm6\n"
        "cvtpi2ps %mm1, %xmm0\n cvttps2pi %xmm1, %mm7\n movq %mm1, 500(%rsi)\n movq %mm2, 508(%rsi)\n"
        "movq %mm3, 516(%rsi)\n movq %mm4, 524(%rsi)\n movq %mm5, 532(%rsi)\n movq %mm6, 540(%rsi)\n"
        "movq %mm7, 548(%rsi)\n movq %mm0, 556(%rsi)\n emms")
SNIPPET(mxcsr, "stmxcsr 600(%rsi)\n addps %xmm0, %xmm1\n stmxcsr 604(%rsi)\n movl $0x7f80, 608(%rsi)\n"
        "ldmxcsr 608(%rsi)\n addsd %xmm2, %xmm3\n divps %xmm4, %xmm5\n cvtsd2si %xmm6, %eax\n"
        "movl $0xdf80, 612(%rsi)\n ldmxcsr 612(%rsi)\n mulps %xmm7, %xmm8\n stmxcsr 616(%rsi)")

/* 32-bit code (vemu-i386): the same bytes mean the same in 64-bit mode as
 * long as they use no inc/dec (REX there), eight registers and addresses
 * below 4 GiB, so the host runs them as the oracle.  edi: the save area. */
#define PROLOGUE32 \
    "vmovdqu 0x000(%edi), %ymm0\n vmovdqu 0x020(%edi), %ymm1\n vmovdqu 0x040(%edi), %ymm2\n" \
    "vmovdqu 0x060(%edi), %ymm3\n vmovdqu 0x080(%edi), %ymm4\n vmovdqu 0x0a0(%edi), %ymm5\n" \
    "vmovdqu 0x0c0(%edi), %ymm6\n vmovdqu 0x0e0(%edi), %ymm7\n ldmxcsr 0x200(%edi)\n"
#define EPILOGUE32 \
    "vmovdqu %ymm0, 0x000(%edi)\n vmovdqu %ymm1, 0x020(%edi)\n vmovdqu %ymm2, 0x040(%edi)\n" \
    "vmovdqu %ymm3, 0x060(%edi)\n vmovdqu %ymm4, 0x080(%edi)\n vmovdqu %ymm5, 0x0a0(%edi)\n" \
    "vmovdqu %ymm6, 0x0c0(%edi)\n vmovdqu %ymm7, 0x0e0(%edi)\n stmxcsr 0x200(%edi)\n"
#define SNIPPET32(id, text) \
    extern const uint8_t snip_##id##_start[], snip_##id##_end[]; \
    __asm__(".pushsection .rodata\n.globl snip_" #id "_start\n.globl snip_" #id "_end\n" \
            ".code32\nsnip_" #id "_start:\n" PROLOGUE32 text "\n" EPILOGUE32 "snip_" #id "_end:\n.code64\n" \
            ".popsection\n");

SNIPPET32(moves32, "movaps %xmm1, %xmm2\n movups 16(%esi), %xmm3\n movss 8(%esi), %xmm4\n movsd %xmm5, 120(%esi)\n"
          "movd %eax, %xmm6\n movd %xmm7, %ecx\n movq 24(%esi), %xmm0\n movq %xmm1, 40(%esi)\n"
          "pxor %xmm2, %xmm2\n movhps 48(%esi), %xmm3\n movq (%esi), %mm0\n movd %mm0, %edx\n movd %ebx, %mm1\n"
          "movq %mm1, 64(%esi)\n emms\n stmxcsr 80(%esi)")
SNIPPET32(ops32, "paddd %xmm0, %xmm1\n pshufb 16(%esi), %xmm2\n pmovmskb %xmm3, %eax\n pextrd $1, %xmm4, %ebx\n"
          "pinsrw $3, %ecx, %xmm5\n pextrb $7, %xmm6, %edx\n pinsrb $2, %edx, %xmm7\n psrldq $3, %xmm0\n"
          "pcmpistri $0x0c, %xmm1, %xmm2\n vpaddq %ymm3, %ymm4, %ymm5\n vpermilps $0x1b, %xmm6, %xmm7\n"
          "vzeroupper\n pinsrb $5, 7(%esi), %xmm1\n pextrw $2, %xmm2, 90(%esi)")
SNIPPET32(fp32, "addsd %xmm0, %xmm1\n cvtsi2sd %eax, %xmm2\n cvttsd2si %xmm3, %ebx\n cvtss2si %xmm4, %ecx\n"
          "mulps 16(%esi), %xmm5\n cvtsi2ss 20(%esi), %xmm6\n vfmadd231pd %ymm0, %ymm1, %ymm7\n"
          "vcvtps2ph $1, %xmm2, 96(%esi)\n vblendvpd %xmm3, %xmm4, %xmm5, %xmm6\n ucomisd %xmm1, %xmm2")
SNIPPET32(strcmp32, "mov $6, %eax\n mov $11, %edx\n pcmpestri $0x0c, %xmm1, %xmm2")

static const SseCase cases32[] = {
    { "moves32", snip_moves32_start, snip_moves32_end, 0, 0 },
    { "ops32", snip_ops32_start, snip_ops32_end, 3, 0 },
    { "fp32", snip_fp32_start, snip_fp32_end, 2, 0 },
    { "fp32_rz", snip_fp32_start, snip_fp32_end, 1, 0x7f80 },
    { "strcmp32", snip_strcmp32_start, snip_strcmp32_end, 3, 0 },
};

static const SseCase cases[] = {
#define CASE(id, kind, mx) { #id, snip_##id##_start, snip_##id##_end, kind, mx }
    CASE(moves, 0, 0), CASE(movdq, 0, 0), CASE(logic, 0, 0), CASE(intarith, 0, 0), CASE(shuffle, 0, 0),
    CASE(fp_scalar, 1, 0), CASE(fp_scalar, 2, 0), CASE(fp_scalar, 2, 0x3f80), CASE(fp_scalar, 1, 0x9fc0),
    CASE(fp_packed, 1, 0), CASE(fp_packed, 2, 0), CASE(fp_packed, 1, 0x5f80), CASE(ucomisd, 2, 0), CASE(comis_jcc, 1, 0), CASE(comis_jcc, 2, 0), CASE(comis_jcc, 2, 0x7f80),
    CASE(comiss, 1, 0), CASE(ucomiss_m, 1, 0), CASE(comisd_self, 2, 0), CASE(vptest, 0, 0), CASE(istri, 3, 0),
    CASE(istri_m, 3, 0), CASE(istrm, 3, 0), CASE(estri, 3, 0), CASE(estrm, 3, 0), CASE(estri_ranges, 3, 0), CASE(avx, 1, 0), CASE(avx, 0, 0), CASE(fma_f16c, 1, 0),
    CASE(fma_f16c, 2, 0x3f80), CASE(crypto, 0, 0), CASE(maskmov, 0, 0), CASE(vmaskmov, 0, 0), CASE(vmaskmov, 1, 0), CASE(gather, 0, 0),
    CASE(gather, 1, 0), CASE(mmx, 0, 0), CASE(mmx, 1, 0), CASE(mxcsr, 1, 0),
};

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void fill_data(int kind)
{
    static const uint32_t f32[] = { 0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 1,
                                    0x3f800000, 0xc0490fdb, 0x4f000000, 0xcf000001, 0x00800000 };
    static const uint64_t f64[] = { 0, 0x8000000000000000ull, 0x7ff0000000000000ull, 0x7ff8000000000000ull,
                                    0x7ff4000000000000ull, 1, 0x3ff0000000000000ull, 0xc00921fb54442d18ull,
                                    0x41e0000000000000ull, 0xc3e0000000000001ull, 0x4330000000000001ull };
    uint8_t *d = rig_mem + RIG_DATA;
    for (unsigned i = 0; i < DATA_SIZE; i += 8) {
        uint64_t r = rnd(), v;
        switch (kind) {
        case 1:
            v = (r & 3) == 0 ? f32[(r >> 8) % 12] | (uint64_t)f32[(r >> 16) % 12] << 32
                             : (r & 0x3fffffff3fffffffull) ^ 0x8000000000000000ull * (r >> 63);
            break;
        case 2:
            v = (r & 3) == 0 ? f64[(r >> 8) % 11] : (r & 0x43ffffffffffffffull) | ((r >> 2) & 0x8000000000000000ull);
            break;
        case 3:
            v = 0;
            for (int b = 0; b < 8; b++)
                v |= (uint64_t)"abc\0ab\xff\x80"[(r >> (3 * b)) & 7] << (8 * b);
            break;
        default:
            v = r;
            break;
        }
        memcpy(d + i, &v, 8);
    }
}

static void init_state(X86State *st, bool code64)
{
    for (int i = 0; i < 16; i++)
        st->r[i] = 0x0101010101010101ull * (uint64_t)(i + 1) ^ 0x8000000080000000ull;
    st->r[4] = rig_addr(RIG_STACK);
    st->r[6] = rig_addr(RIG_DATA);
    st->r[15] = rig_addr(RIG_DATA + VSAVE);
    if (!code64)
        st->r[7] = rig_addr(RIG_DATA + VSAVE);
    st->r[0] = 0x12345678;
    st->r[1] = 3;
    st->rflags = 0;
}

/* The IR interpreter's float ops may raise MXCSR.DE (denormal operand) in
 * their own checks: ignored for the interpreter (docs/quirks.md). */
static bool interp_engine;

static void run_cases(const SseCase *cases, size_t n_cases, bool code64)
{
    X86CPU *cpu = (X86CPU *)exec_cpu_new();
    static uint8_t data0[DATA_SIZE], native_data[DATA_SIZE];
    int failed = 0;
    for (size_t i = 0; i < n_cases; i++) {
        const SseCase *c = &cases[i];
        size_t n = (size_t)(c->end - c->start);
        for (int round = 0; round < 4; round++) {
            X86State want, got;
            fill_data(c->data_kind);
            uint32_t mx = c->mxcsr ? c->mxcsr : 0x1f80;
            memcpy(rig_mem + RIG_DATA + VSAVE + 0x200, &mx, 4);
            memcpy(data0, rig_mem + RIG_DATA, DATA_SIZE);
            init_state(&want, code64);
            uint32_t host_csr = __builtin_ia32_stmxcsr();
            rig_run_native(c->start, n, &want);
            __builtin_ia32_ldmxcsr(host_csr);
            memcpy(native_data, rig_mem + RIG_DATA, DATA_SIZE);
            memcpy(rig_mem + RIG_DATA, data0, DATA_SIZE);
            init_state(&got, code64);
            cpu->vec.mxcsr = 0x1f80;
            int excp = rig_run_vemu(cpu, c->start, n, &got, code64);
            if (interp_engine) {
                rig_mem[RIG_DATA + VSAVE + 0x200] &= ~2;
                native_data[VSAVE + 0x200] &= ~2;
            }
            bool ok = excp == EXCP_SYSCALL && want.rflags == got.rflags &&
                      memcmp(native_data, rig_mem + RIG_DATA, DATA_SIZE) == 0;
            for (int r = 0; r < (code64 ? 16 : 8); r++) {
                if (!code64)
                    want.r[r] &= 0xffffffffu, got.r[r] &= 0xffffffffu;
                ok = ok && (want.r[r] == got.r[r] || (code64 && (r == 11 || r == 1)));   /* syscall's rcx, r11 */
            }
            if (!ok) {
                failed++;
                printf("FAIL %s #%zu (round %d): excp %d flags want %03llx got %03llx\n", c->name, i, round, excp,
                       (unsigned long long)want.rflags, (unsigned long long)got.rflags);
                for (int r = 0; r < 16; r++)
                    if (want.r[r] != got.r[r])
                        printf("    r%d want %016llx got %016llx\n", r, (unsigned long long)want.r[r],
                               (unsigned long long)got.r[r]);
                for (unsigned off = 0; off < DATA_SIZE; off += 8)
                    if (memcmp(native_data + off, rig_mem + RIG_DATA + off, 8)) {
                        uint64_t w, g;
                        memcpy(&w, native_data + off, 8);
                        memcpy(&g, rig_mem + RIG_DATA + off, 8);
                        if (off >= VSAVE && off < VSAVE + 0x200)
                            printf("    ymm%u.q%u want %016llx got %016llx\n", (off - VSAVE) / 32,
                                   (off - VSAVE) % 32 / 8, (unsigned long long)w, (unsigned long long)g);
                        else
                            printf("    data+0x%03x want %016llx got %016llx\n", off, (unsigned long long)w,
                                   (unsigned long long)g);
                    }
                break;
            }
        }
    }
    exec_cpu_free(&cpu->common);
    assert_int_equal(failed, 0);
}

static void test_cases_vs_native(void **state)
{
    (void)state;
    run_cases(cases, sizeof(cases) / sizeof(cases[0]), true);
}

static void test_cases32_vs_native(void **state)
{
    (void)state;
    run_cases(cases32, sizeof(cases32) / sizeof(cases32[0]), false);
}

static int setup_interp32(void **state) { (void)state; interp_engine = true; return rig_setup(&x86_frontend_i386, NULL); }
static int setup_backend32(void **state) { (void)state; interp_engine = false; return rig_setup(&x86_frontend_i386, &backend_host); }
static int setup_interp64(void **state) { (void)state; interp_engine = true; return rig_setup(&x86_frontend_x86_64, NULL); }
static int setup_backend64(void **state) { (void)state; interp_engine = false; return rig_setup(&x86_frontend_x86_64, &backend_host); }

int main(void)
{
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma") || !__builtin_cpu_supports("aes")) {
        printf("SKIP test-x86-sse (the host lacks AVX2/FMA/AES: the oracle cannot run the cases)\n");
        return 0;
    }
    const struct CMUnitTest run_tests[] = {
        cmocka_unit_test(test_cases_vs_native),
    };
    const struct CMUnitTest run_tests32[] = {
        cmocka_unit_test(test_cases32_vs_native),
    };
    int fails = cmocka_run_group_tests_name("interp64", run_tests, setup_interp64, NULL);
    fails += cmocka_run_group_tests_name("x86_64", run_tests, setup_backend64, NULL);
    fails += cmocka_run_group_tests_name("interp32", run_tests32, setup_interp32, NULL);
    fails += cmocka_run_group_tests_name("i386", run_tests32, setup_backend32, NULL);
    return fails;
}
