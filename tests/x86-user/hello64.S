/* hello64.S — no libc: write(2) and exit_group(2) through `syscall`, a
 * loop, a call/ret, rip-relative data, the initial stack (argc, argv[0]'s
 * NUL-terminated string), and the registers the kernel zeroes at entry.
 * x86_64 only; built with -nostdlib -static. */
    .text
    .globl _start
_start:
    /* the ABI says rdx holds an atexit function or 0; most registers are 0 */
    mov (%rsp), %rax            /* argc */
    add $'0', %al
    mov %al, argc_digit(%rip)
    lea msg(%rip), %rsi
    mov $msg_len, %edx
    call write_out
    /* sum 1..100 in a loop */
    xor %eax, %eax
    mov $100, %ecx
1:  add %rcx, %rax
    loop 1b
    /* print it as 4 decimal digits */
    lea num+3(%rip), %rdi
    mov $10, %r8
    mov $4, %r9
2:  xor %edx, %edx
    div %r8
    add $'0', %dl
    mov %dl, (%rdi)
    dec %rdi
    dec %r9
    jnz 2b
    lea num(%rip), %rsi
    mov $5, %edx
    call write_out
    mov $231, %eax              /* exit_group */
    mov $7, %edi
    syscall
    hlt

write_out:                      /* rsi = buffer, rdx = length */
    mov $1, %eax
    mov $1, %edi
    syscall
    ret

    .data
msg: .ascii "hello from x86 assembly, argc "
argc_digit: .ascii "?\n"
    .set msg_len, . - msg
num: .ascii "0000\n"
    .section .note.GNU-stack,"",@progbits
