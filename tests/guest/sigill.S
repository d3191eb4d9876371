/*
 * sigill.S — executes a permanently undefined instruction with no SIGILL
 * handler installed: the process must die by SIGILL (the shell sees 132).
 * The output before it is written with write(2), so it is not lost.
 */
    .syntax unified
    .arm
    .text
    .global main
    .type main, %function
main:
    push    {r7, lr}
    mov     r0, #1
    adr     r1, msg
    mov     r2, #(msg_end - msg)
    mov     r7, #4                   @ __NR_write
    svc     #0
    .word   0xe7f000f0               @ udf #0: permanently undefined
    mov     r0, #0                   @ not reached
    pop     {r7, pc}
msg:
    .ascii  "about to execute an undefined instruction\n"
msg_end:
    .balign 4
    .section .note.GNU-stack, "", %progbits
