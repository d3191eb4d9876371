@ segv — the system tests' faulting process: a load from address 0, which
@ the guest kernel turns into SIGSEGV (no libc: it runs on any ARM core
@ the tests boot, ARMv5 up).
	.text
	.arm
	.global _start
_start:
	mov	r0, #0
	ldr	r1, [r0]		@ faults: nothing is mapped at 0
	mov	r0, #0			@ not reached: exit(0) would fail the test
	mov	r7, #1
	svc	#0
	.section .note.GNU-stack, "", %progbits	@ no executable stack (nor the kernel's warning about one)
