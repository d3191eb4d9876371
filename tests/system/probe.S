@ probe — a bare-metal "kernel" for the boot-protocol tests: prints the
@ registers the boot loader handed over and the first two words at r2
@ on UART0, then asks the system registers for a reset (which ends the
@ emulator under -no-reboot).  Expected (docs/system.md, "Booting"):
@   r0 = 0, r1 = 0x183, r2 -> a device tree (0xd00dfeed, read as the
@   little-endian word 0xedfe0dd0) or an ATAG list (5, 0x54410001).
@ Runs with the MMU off; linked at RAM + 0x8000, where an Image goes.
	.text
	.arm
	.global _start
_start:
	mov	r4, r0
	mov	r5, r1
	mov	r6, r2
	ldr	r8, =0x101f1000		@ UART0 data register
	ldr	r0, =0x301
	str	r0, [r8, #0x30]		@ UARTCR: UARTEN | TXE | RXE, as a driver would
	adr	r0, s_r0
	bl	puts
	mov	r0, r4
	bl	hex
	adr	r0, s_r1
	bl	puts
	mov	r0, r5
	bl	hex
	adr	r0, s_p0
	bl	puts
	ldr	r0, [r6]
	bl	hex
	adr	r0, s_p1
	bl	puts
	ldr	r0, [r6, #4]
	bl	hex
	adr	r0, s_end
	bl	puts
	ldr	r0, =0x10000000		@ system registers
	ldr	r1, =0xa05f
	str	r1, [r0, #0x20]		@ SYS_LOCK: unlock
	ldr	r1, =0x105
	str	r1, [r0, #0x40]		@ SYS_RESETCTL: reset
1:	b	1b

puts:	ldrb	r1, [r0], #1
	cmp	r1, #0
	moveq	pc, lr
	strb	r1, [r8]
	b	puts

hex:	mov	r2, #8
2:	mov	r1, r0, lsr #28
	cmp	r1, #10
	addlt	r1, r1, #'0'
	addge	r1, r1, #'a' - 10
	strb	r1, [r8]
	mov	r0, r0, lsl #4
	subs	r2, r2, #1
	bne	2b
	mov	pc, lr

s_r0:	.asciz	"PROBE r0="
s_r1:	.asciz	" r1="
s_p0:	.asciz	" p0="
s_p1:	.asciz	" p1="
s_end:	.asciz	" PROBE-END\r\n"
	.align	2
	.ltorg
