@ tests/system-vmstate/tick.S — a bare-metal Versatile PB program for the
@ savevm/loadvm tests that needs no Linux: SP804 timer 0 runs periodic at
@ 100 Hz (1 MHz clock, load 10000), the program polls its raw interrupt
@ status, counts the ticks (in r4 and in RAM at 0x4000) and prints
@ "T<count in hex>" on UART0 every 10 ticks.  After loadvm the count must
@ go back to the savevm point and go on at the same rate: the cpu's
@ registers, RAM, the timer (its deadline on the virtual clock) and the
@ UART come back.  Loaded as a raw -kernel image at 0x10000.
    .text
    .global _start
_start:
    ldr sp, =0x8000
    ldr r5, =0x101e2000      @ SP804 timer 0
    ldr r0, =10000
    str r0, [r5, #0]         @ load: 10 ms at 1 MHz
    mov r0, #0xc2
    str r0, [r5, #8]         @ enable, periodic, 32-bit, no interrupt
    mov r4, #0
    ldr r8, =0x4000          @ a copy of the count in RAM
loop:
    ldr r0, [r5, #0x10]      @ RIS
    tst r0, #1
    beq loop
    str r0, [r5, #0x0c]      @ clear
    add r4, r4, #1
    str r4, [r8]
    mov r0, r4
    ldr r1, =10
    bl divmod                @ r0 = r4 % 10
    cmp r0, #0
    bne loop
    ldr r0, [r8]
    bl print
    b loop
@ r0 = r0 % r1 (small numbers: subtract)
divmod:
1:  cmp r0, r1
    subhs r0, r0, r1
    bhs 1b
    bx lr
@ print "T<hex>\n" on UART0
print:
    ldr r2, =0x101f1000
    mov r3, #'T'
    str r3, [r2]
    mov r6, #28
2:  mov r3, r0, lsr r6
    and r3, r3, #15
    cmp r3, #10
    addlo r3, r3, #'0'
    addhs r3, r3, #('a' - 10)
    str r3, [r2]
    subs r6, r6, #4
    bpl 2b
    mov r3, #'\n'
    str r3, [r2]
    bx lr
    .ltorg
