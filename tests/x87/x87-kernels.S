/*
 * x87-kernels.S — x87 computations that print their raw results: run
 * natively and under vemu-x86_64 (tests/x87/run.sh), the outputs must be
 * identical.  No C library: besides the x87 it uses only MOV, ADD, SUB,
 * AND, CMP, Jcc and SYSCALL, so it runs as soon as the frontend does.
 *
 * Each kernel leaves its results in `results`; at the end the whole area
 * (80-bit values, status and control words, FNSAVE images) is printed as
 * hex, 16 bytes a line.  argv is not read: the iteration count is fixed.
 */
    .intel_syntax noprefix
    .equ RESULTS_SIZE, 608
    .text
    .globl _start
_start:
    fninit
    mov ebx, offset results

    /* 1. a recurrence mixing every arithmetic form, 20000 rounds:
     *    x = sqrt(x * c1 + i) / c2 - c3, with i an integer in memory */
    fld qword ptr [c1]
    fld1
    mov ecx, 20000
    mov dword ptr [ivar], 0
1:  fmul st, st(1)
    fiadd dword ptr [ivar]
    fsqrt
    fdiv qword ptr [c2]
    fsub dword ptr [c3]
    fabs
    add dword ptr [ivar], 3
    sub ecx, 1
    jne 1b
    fstp tbyte ptr [rbx]
    fstp tbyte ptr [rbx+10]
    fnstsw word ptr [rbx+20]

    /* 2. transcendental instructions over a range of arguments */
    fld qword ptr [c4]
    mov ecx, 500
2:  fld st(0)
    fsin
    fld st(1)
    fcos
    faddp st(1), st
    fld st(1)
    fptan
    fstp st(0)
    fmulp st(1), st
    fld1
    fld st(2)
    fpatan
    faddp st(1), st
    fld st(1)
    fmul st, st(0)
    fld1
    faddp st(1), st
    fld1
    fxch st(1)
    fyl2x
    faddp st(1), st
    fstp tbyte ptr [acc]
    fadd qword ptr [c5]
    sub ecx, 1
    jne 2b
    fstp tbyte ptr [rbx+32]
    fld tbyte ptr [acc]
    fstp tbyte ptr [rbx+48]
    fnstsw word ptr [rbx+58]

    /* 3. every rounding and precision mode for one division and FRNDINT */
    mov word ptr [cw], 0x007f
    mov edx, 64
3:  fldcw word ptr [cw]
    fld1
    fldpi
    fdivp st(1), st
    fld qword ptr [c1]
    frndint
    fistp dword ptr [rbx+rdx+10]
    fstp tbyte ptr [rbx+rdx]
    add edx, 16
    add word ptr [cw], 0x0100
    cmp edx, 64 + 16 * 16
    jne 3b
    mov word ptr [cw], 0x037f
    fldcw word ptr [cw]

    /* 4. fprem/fprem1 of a big number, fxtract, fscale, f2xm1 */
    fldpi
    fld qword ptr [c6]
4:  fprem
    fnstsw ax
    and eax, 0x400
    jne 4b
    fstp tbyte ptr [rbx+336]
    fld qword ptr [c6]
    fprem1
    fnstsw word ptr [rbx+346]
    fxtract
    fstp tbyte ptr [rbx+352]
    fstp tbyte ptr [rbx+368]
    fld qword ptr [c3]
    f2xm1
    fld1
    fscale
    fstp tbyte ptr [rbx+384]
    fstp tbyte ptr [rbx+400]
    fstp st(0)

    /* 5. integers and BCD: fild/fistp/fisttp-free rounding, fbld/fbstp */
    fild qword ptr [c7]
    fld qword ptr [c2]
    fmulp st(1), st
    fist dword ptr [rbx+416]
    fistp qword ptr [rbx+420]
    fild qword ptr [c7]
    fbstp tbyte ptr [rbx+432]
    fbld tbyte ptr [rbx+432]
    fchs
    fistp word ptr [rbx+442]

    /* 6. compares: FCOMI flags and FCOM's condition codes, with a NaN */
    fld qword ptr [c2]
    fld qword ptr [c1]
    fcomi st, st(1)
    mov eax, 0
    jb 6f
    mov eax, 1
6:  mov dword ptr [rbx+448], eax
    fucomip st, st(1)
    mov eax, 0
    jp 7f
    mov eax, 2
7:  mov dword ptr [rbx+452], eax
    fld dword ptr [qnan]
    fucom st(1)
    fnstsw word ptr [rbx+456]
    fcompp
    fnstsw word ptr [rbx+458]

    /* 7. a stack overflow and underflow, masked, then the state */
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fnsave [rbx+464]
    fadd st, st(1)
    fnstenv [rbx+576]
    fninit
    /* FCS, FDP and FDS differ between x86 models (newer Intel parts store
     * 0 for FCS/FDS and update FDP only on exceptions): cleared; FIP and
     * FOP stay */
    mov word ptr [rbx+464+16], 0
    mov dword ptr [rbx+464+20], 0
    mov word ptr [rbx+464+24], 0
    mov word ptr [rbx+576+16], 0
    mov dword ptr [rbx+576+20], 0
    mov word ptr [rbx+576+24], 0

    /* print results as hex, 16 bytes a line */
    mov esi, offset results
    mov edi, offset out
    mov ecx, 0
8:  mov eax, 0
    mov al, byte ptr [rsi+rcx]
    mov dx, word ptr [hex+rax*2]
    mov word ptr [rdi], dx
    add rdi, 2
    add ecx, 1
    mov eax, ecx
    and eax, 15
    jne 9f
    mov byte ptr [rdi], 10
    add rdi, 1
9:  cmp ecx, RESULTS_SIZE
    jne 8b
    mov edx, edi
    sub edx, offset out
    mov eax, 1                  /* write(1, out, n) */
    mov edi, 1
    mov esi, offset out
    syscall
    mov eax, 60                 /* exit(0) */
    mov edi, 0
    syscall

    .data
    .balign 8
c1: .double 1.0000001
c2: .double 1.4142135623730951
c3: .float 0.3
c4: .double -3.25
c5: .double 0.013
c6: .double 1.0e17
c7: .quad 123456789012345
qnan: .long 0x7fc00000
ivar: .long 0
cw: .word 0
    .balign 16
acc: .space 16
hex:
    .irp hi, 0,1,2,3,4,5,6,7,8,9,a,b,c,d,e,f
    .irp lo, 0,1,2,3,4,5,6,7,8,9,a,b,c,d,e,f
    .ascii "\hi\lo"
    .endr
    .endr
    .bss
    .balign 16
results: .space RESULTS_SIZE
out: .space RESULTS_SIZE * 3
