/* hello32.S — no libc: write(2) and exit(2) through `int $0x80`, a loop,
 * a call/ret, absolute data, the initial stack (argc); i386 only, built with
 * -nostdlib -static. */
    .text
    .globl _start
_start:
    mov (%esp), %eax            /* argc */
    add $'0', %al
    mov %al, argc_digit
    mov $msg, %ecx
    mov $msg_len, %edx
    call write_out
    xor %eax, %eax
    mov $100, %ecx
1:  add %ecx, %eax
    loop 1b
    mov $num+3, %edi
    mov $10, %ebx
    mov $4, %esi
2:  xor %edx, %edx
    div %ebx
    add $'0', %dl
    mov %dl, (%edi)
    dec %edi
    dec %esi
    jnz 2b
    mov $num, %ecx
    mov $5, %edx
    call write_out
    mov $1, %eax                /* exit */
    mov $7, %ebx
    int $0x80
    hlt

write_out:                      /* ecx = buffer, edx = length */
    push %ebx
    mov $4, %eax
    mov $1, %ebx
    int $0x80
    pop %ebx
    ret

    .data
msg: .ascii "hello from x86 assembly, argc "
argc_digit: .ascii "?\n"
    .set msg_len, . - msg
num: .ascii "0000\n"
    .section .note.GNU-stack,"",@progbits
