/*
 * bxj.S — BXJ behaves as BX on every core Linux runs (Jazelle is never
 * enabled): ARM to ARM, ARM to Thumb, and the Thumb-2 form back to ARM.
 * Prints one line per step with raw write(2) calls; compared with qemu-arm.
 */
    .syntax unified
    .arch armv7-a
    .text
    .global main
    .type main, %function
    .arm
main:
    adr     r4, arm_target
    bxj     r4                  @ ARM -> ARM
    b       fail
arm_target:
    adr     r1, msg1
    mov     r2, #msg1_len
    bl      say
    adr     r4, thumb_target + 1
    bxj     r4                  @ ARM -> Thumb
    b       fail

    .thumb
    .thumb_func
thumb_target:
    adr     r1, msg2
    movs    r2, #msg2_len
    bl      say_t
    adr     r4, back_in_arm
    bxj     r4                  @ Thumb-2 BXJ -> ARM
    b       fail_t
    .align 2
fail_t:
    movs    r0, #1
    movs    r7, #1
    svc     0

    .arm
    .align 2
back_in_arm:
    adr     r1, msg3
    mov     r2, #msg3_len
    bl      say
    mov     r0, #0
    mov     r7, #1              @ exit
    svc     0
fail:
    mov     r0, #1
    mov     r7, #1
    svc     0

say:                            @ write(1, r1, r2)
    mov     r0, #1
    mov     r7, #4
    svc     0
    bx      lr
    .thumb
    .thumb_func
say_t:
    movs    r0, #1
    movs    r7, #4
    svc     0
    bx      lr

    .arm
    .align 2
msg1: .ascii "bxj arm to arm\n"
    .equ msg1_len, . - msg1
    .align 2
msg2: .ascii "bxj arm to thumb\n"
    .equ msg2_len, . - msg2
    .align 2
msg3: .ascii "bxj thumb to arm\n"
    .equ msg3_len, . - msg3
    .section .note.GNU-stack,"",%progbits
