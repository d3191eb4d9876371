/*
 * alu-flags.S — every ARM data-processing instruction with every shifter
 * operand form, over a table of input vectors.
 *
 * For each vector (Rn, Rm, Rs, initial NZCV) and each (opcode, operand) pair
 * it runs the flag-setting form and the plain form, and prints one line:
 *
 *     <insn> <operand>: <result of S form> <NZCV after S form> <result of plain form> <NZCV after plain form>
 *
 * The plain form must leave the initial flags alone; the S form's carry out
 * depends on the shifter (immediate rotation, shift by 0 / 32 / >32 from a
 * register, RRX), which is what translators most often get wrong.  Output is
 * produced with raw write(2) system calls so nothing but this file's own
 * instructions and the kernel interface is involved.
 */
    .syntax unified
    .arm
    .text

/* r11 points at the current vector: Rn, Rm, Rs, NZCV (in bits 31..28). */
    .type load_inputs, %function
load_inputs:
    ldr     r0, [r11, #12]
    msr     cpsr_f, r0
    ldr     r1, [r11]
    ldr     r2, [r11, #4]
    ldr     r3, [r11, #8]
    ldr     r0, =0xdeadbeef          @ what "Rd" holds for the compare-only ops
    bx      lr
    .ltorg

/* main's code is far longer than a literal load can reach (4 KiB). */
vectors_addr:
    .word   vectors
vectors_end_addr:
    .word   vectors_end

/* DP op, operand...: Rd = r0, Rn = r1, Rm = r2, Rs = r3. */
    .macro DP op, operand:vararg
    bl      load_inputs
    \op\()s r0, r1, \operand
    mrs     r4, cpsr
    mov     r5, r0
    bl      load_inputs
    \op     r0, r1, \operand
    mrs     r6, cpsr
    mov     r7, r0
    adr     r0, 1f
    bl      report
    b       2f
1:  .asciz  "\op \operand"
    .balign 4
2:
    .endm

/* MOV/MVN have no Rn. */
    .macro DPMOV op, operand:vararg
    bl      load_inputs
    \op\()s r0, \operand
    mrs     r4, cpsr
    mov     r5, r0
    bl      load_inputs
    \op     r0, \operand
    mrs     r6, cpsr
    mov     r7, r0
    adr     r0, 1f
    bl      report
    b       2f
1:  .asciz  "\op \operand"
    .balign 4
2:
    .endm

/* TST/TEQ/CMP/CMN have no plain form: the second column repeats the
 * comparison with the initial C flag inverted, which shows whether the
 * flags out wrongly depend on the carry in. */
    .macro DPCMP op, operand:vararg
    bl      load_inputs
    \op     r1, \operand
    mrs     r4, cpsr
    mov     r5, r0
    bl      load_inputs
    mrs     r6, cpsr
    eor     r6, r6, #0x20000000
    msr     cpsr_f, r6
    \op     r1, \operand
    mrs     r6, cpsr
    mov     r7, r0
    adr     r0, 1f
    bl      report
    b       2f
1:  .asciz  "\op \operand"
    .balign 4
2:
    .endm

/* One opcode with every shifter operand form. */
    .macro FORMS kind, op
    \kind \op, #0
    \kind \op, #0xff
    \kind \op, #0xff000000
    \kind \op, #0x3fc
    \kind \op, #0xf000000f
    \kind \op, #0, 2
    \kind \op, r2
    \kind \op, r2, lsl #1
    \kind \op, r2, lsl #31
    \kind \op, r2, lsr #1
    \kind \op, r2, lsr #31
    \kind \op, r2, lsr #32
    \kind \op, r2, asr #1
    \kind \op, r2, asr #31
    \kind \op, r2, asr #32
    \kind \op, r2, ror #1
    \kind \op, r2, ror #31
    \kind \op, r2, rrx
    \kind \op, r2, lsl r3
    \kind \op, r2, lsr r3
    \kind \op, r2, asr r3
    \kind \op, r2, ror r3
    .endm

    .global main
    .type main, %function
main:
    push    {r4-r11, lr}
    ldr     r11, vectors_addr
next_vector:
    ldr     r0, vectors_end_addr
    cmp     r11, r0
    beq     done
    mov     r0, r11
    bl      report_vector

    FORMS DP, and
    FORMS DP, eor
    FORMS DP, sub
    FORMS DP, rsb
    FORMS DP, add
    FORMS DP, adc
    FORMS DP, sbc
    FORMS DP, rsc
    FORMS DP, orr
    FORMS DP, bic
    FORMS DPMOV, mov
    FORMS DPMOV, mvn
    FORMS DPCMP, tst
    FORMS DPCMP, teq
    FORMS DPCMP, cmp
    FORMS DPCMP, cmn

    /* Reading the pc as an operand gives the insn address + 8. */
    bl      load_inputs
    adr     r8, pc_probe
pc_probe:
    sub     r5, pc, r8
    sub     r7, r8, pc
    mrs     r4, cpsr
    mrs     r6, cpsr
    adr     r0, pc_name
    bl      report

    add     r11, r11, #16
    b       next_vector
done:
    mov     r0, #0
    pop     {r4-r11, pc}
pc_name:
    .asciz  "pc as operand"
    .balign 4
    .ltorg

/* ---- output ----------------------------------------------------------- */

/* hex32: write r1 as 8 hex digits at r0; returns r0 advanced.  Clobbers r2, r3. */
    .type hex32, %function
hex32:
    mov     r3, #28
1:  mov     r2, r1, lsr r3
    and     r2, r2, #15
    cmp     r2, #10
    addlo   r2, r2, #'0'
    addhs   r2, r2, #('a' - 10)
    strb    r2, [r0], #1
    subs    r3, r3, #4
    bpl     1b
    bx      lr

/* nzcv: write the 4 flag letters of r1's top nibble (upper case = set) at r0. */
    .type nzcv, %function
nzcv:
    push    {r4, lr}
    adr     r4, flag_letters
    mov     r3, #31
1:  mov     r2, r1, lsr r3
    tst     r2, #1
    ldrb    r2, [r4], #1
    subeq   r2, r2, #('A' - 'a')     @ clear -> lower case
    strb    r2, [r0], #1
    sub     r3, r3, #1
    cmp     r3, #28
    bge     1b
    pop     {r4, pc}
flag_letters:
    .ascii  "NZCV"
    .balign 4

/* copy the NUL-terminated string at r1 to r0; returns r0 at the end. */
    .type copystr, %function
copystr:
1:  ldrb    r2, [r1], #1
    cmp     r2, #0
    strbne  r2, [r0], #1
    bne     1b
    bx      lr

/* write(1, linebuf, r0 - linebuf) */
    .type flush_line, %function
flush_line:
    push    {r7, lr}
    mov     r2, #'\n'
    strb    r2, [r0], #1
    ldr     r1, =linebuf
    sub     r2, r0, r1
    mov     r0, #1
    mov     r7, #4                   @ __NR_write
    svc     #0
    pop     {r7, pc}

/* report: r0 = name; r5/r4 = result/cpsr of the S form, r7/r6 of the plain form. */
    .type report, %function
report:
    push    {r4-r7, lr}
    mov     r1, r0
    ldr     r0, =linebuf
    bl      copystr
    mov     r2, #':'
    strb    r2, [r0], #1
    mov     r2, #' '
    strb    r2, [r0], #1
    mov     r1, r5
    bl      hex32
    mov     r2, #' '
    strb    r2, [r0], #1
    mov     r1, r4
    bl      nzcv
    mov     r2, #' '
    strb    r2, [r0], #1
    mov     r1, r7
    bl      hex32
    mov     r2, #' '
    strb    r2, [r0], #1
    mov     r1, r6
    bl      nzcv
    bl      flush_line
    pop     {r4-r7, pc}

/* report_vector: r0 = vector; prints "vector Rn Rm Rs NZCV". */
    .type report_vector, %function
report_vector:
    push    {r4, lr}
    mov     r4, r0
    ldr     r0, =linebuf
    adr     r1, vector_name
    bl      copystr
    ldr     r1, [r4]
    bl      hex32
    mov     r2, #' '
    strb    r2, [r0], #1
    ldr     r1, [r4, #4]
    bl      hex32
    mov     r2, #' '
    strb    r2, [r0], #1
    ldr     r1, [r4, #8]
    bl      hex32
    mov     r2, #' '
    strb    r2, [r0], #1
    ldr     r1, [r4, #12]
    bl      nzcv
    bl      flush_line
    pop     {r4, pc}
vector_name:
    .asciz  "== vector Rn Rm Rs flags: "
    .balign 4
    .ltorg

/* ---- inputs: Rn, Rm, Rs (shift amount register), initial NZCV ----------- */
    .data
    .balign 4
vectors:
    .word 0x00000000, 0x00000000, 0,          0x00000000
    .word 0x00000001, 0x80000000, 1,          0xf0000000
    .word 0x7fffffff, 0x00000001, 31,         0x20000000
    .word 0x80000000, 0xffffffff, 32,         0x20000000
    .word 0xffffffff, 0x80000001, 33,         0x00000000
    .word 0x12345678, 0x87654321, 0xff,       0xd0000000
    .word 0x80000000, 0x80000000, 0x100,      0x20000000   @ low byte 0: shift by 0
    .word 0xdeadbeef, 0x00000002, 0xffffff20, 0x00000000   @ low byte 0x20: shift by 32
    .word 0x00000005, 0xfffffffb, 4,          0x20000000
    .word 0x7fffffff, 0x7fffffff, 64,         0x10000000
    .word 0xfffffffe, 0x00000001, 0x1f,       0xa0000000
    .word 0x00000000, 0x00000001, 0,          0x60000000
    .word 0x40000000, 0xc0000000, 2,          0x30000000
    .word 0xffffffff, 0xffffffff, 0x80,       0x20000000
vectors_end:

    .bss
linebuf:
    .space 128

    .section .note.GNU-stack, "", %progbits
