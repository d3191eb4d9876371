/* x86-diff-run.S — enters and leaves a generated instruction sequence.
 *
 * run_block(State *s, void *code, unsigned fpmode) loads the guest-visible
 * state from *s — x87/SSE via fxrstor (fpmode bit 1), xmm and MXCSR (bit 0),
 * ymm (bit 2), EFLAGS, every general register but the stack pointer — and
 * jumps to code.  The sequence ends with an indirect jump to
 * back_from_block, which stores the state back into the same State, restores
 * the C environment (callee-saved registers, stack, DF=0, a clean x87 and
 * MXCSR) and returns.  Offsets are those of State in x86-diff.h. */
#define ST_FX 0
#define ST_GPR 512
#define ST_FLAGS 640
#define ST_YMM 656

    .text
#ifdef __x86_64__
    .globl run_block
run_block:
    push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15
    mov %rsp, saved_sp(%rip)
    mov %rdi, cur_state(%rip)
    mov %rsi, cur_code(%rip)
    mov %edx, cur_mode(%rip)
    test $2, %dl
    jz 1f
    fxrstor ST_FX(%rdi)
1:  test $1, %dl
    jz 2f
    ldmxcsr ST_FX+24(%rdi)
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    movdqu ST_YMM+\n*32(%rdi), %xmm\n
    .endr
2:  test $4, %dl
    jz 3f
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    vmovdqu ST_YMM+\n*32(%rdi), %ymm\n
    .endr
3:  pushq ST_FLAGS(%rdi)
    popfq
    mov ST_GPR+0*8(%rdi), %rax
    mov ST_GPR+1*8(%rdi), %rcx
    mov ST_GPR+2*8(%rdi), %rdx
    mov ST_GPR+3*8(%rdi), %rbx
    mov ST_GPR+5*8(%rdi), %rbp
    mov ST_GPR+6*8(%rdi), %rsi
    mov ST_GPR+8*8(%rdi), %r8
    mov ST_GPR+9*8(%rdi), %r9
    mov ST_GPR+10*8(%rdi), %r10
    mov ST_GPR+11*8(%rdi), %r11
    mov ST_GPR+12*8(%rdi), %r12
    mov ST_GPR+13*8(%rdi), %r13
    mov ST_GPR+14*8(%rdi), %r14
    mov ST_GPR+15*8(%rdi), %r15
    mov ST_GPR+7*8(%rdi), %rdi
    jmp *cur_code(%rip)

    .globl back_from_block
back_from_block:
    mov %rdi, tmp_rdi(%rip)
    pushfq
    popq tmp_flags(%rip)
    mov cur_state(%rip), %rdi
    mov %rax, ST_GPR+0*8(%rdi)
    mov %rcx, ST_GPR+1*8(%rdi)
    mov %rdx, ST_GPR+2*8(%rdi)
    mov %rbx, ST_GPR+3*8(%rdi)
    mov %rbp, ST_GPR+5*8(%rdi)
    mov %rsi, ST_GPR+6*8(%rdi)
    mov %r8, ST_GPR+8*8(%rdi)
    mov %r9, ST_GPR+9*8(%rdi)
    mov %r10, ST_GPR+10*8(%rdi)
    mov %r11, ST_GPR+11*8(%rdi)
    mov %r12, ST_GPR+12*8(%rdi)
    mov %r13, ST_GPR+13*8(%rdi)
    mov %r14, ST_GPR+14*8(%rdi)
    mov %r15, ST_GPR+15*8(%rdi)
    mov tmp_rdi(%rip), %rax
    mov %rax, ST_GPR+7*8(%rdi)
    mov tmp_flags(%rip), %rax
    mov %rax, ST_FLAGS(%rdi)
    cld
    mov cur_mode(%rip), %edx
    test $2, %dl
    jz 1f
    fxsave ST_FX(%rdi)
    fninit
1:  test $1, %dl
    jz 2f
    stmxcsr ST_FX+24(%rdi)
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    movdqu %xmm\n, ST_YMM+\n*32(%rdi)
    .endr
2:  test $4, %dl
    jz 3f
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    vmovdqu %ymm\n, ST_YMM+\n*32(%rdi)
    .endr
    vzeroupper
3:  test $3, %dl
    jz 4f
    movl $0x1f80, tmp_flags(%rip)
    ldmxcsr tmp_flags(%rip)
4:  mov saved_sp(%rip), %rsp
    pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx
    ret
    .data
saved_sp: .quad 0
cur_state: .quad 0
cur_code: .quad 0
tmp_rdi: .quad 0
tmp_flags: .quad 0
cur_mode: .long 0
#else
    .globl run_block
run_block:
    push %ebx; push %ebp; push %esi; push %edi
    mov 20(%esp), %edi
    mov 24(%esp), %eax
    mov 28(%esp), %edx
    mov %esp, saved_sp
    mov %edi, cur_state
    mov %eax, cur_code
    mov %edx, cur_mode
    test $2, %dl
    jz 1f
    fxrstor ST_FX(%edi)
1:  test $1, %dl
    jz 2f
    ldmxcsr ST_FX+24(%edi)
    .irp n, 0,1,2,3,4,5,6,7
    movdqu ST_YMM+\n*32(%edi), %xmm\n
    .endr
2:  test $4, %dl
    jz 3f
    .irp n, 0,1,2,3,4,5,6,7
    vmovdqu ST_YMM+\n*32(%edi), %ymm\n
    .endr
3:  pushl ST_FLAGS(%edi)
    popfl
    mov ST_GPR+0*8(%edi), %eax
    mov ST_GPR+1*8(%edi), %ecx
    mov ST_GPR+2*8(%edi), %edx
    mov ST_GPR+3*8(%edi), %ebx
    mov ST_GPR+5*8(%edi), %ebp
    mov ST_GPR+6*8(%edi), %esi
    mov ST_GPR+7*8(%edi), %edi
    jmp *cur_code

    .globl back_from_block
back_from_block:
    mov %edi, tmp_rdi
    pushfl
    popl tmp_flags
    mov cur_state, %edi
    mov %eax, ST_GPR+0*8(%edi)
    mov %ecx, ST_GPR+1*8(%edi)
    mov %edx, ST_GPR+2*8(%edi)
    mov %ebx, ST_GPR+3*8(%edi)
    mov %ebp, ST_GPR+5*8(%edi)
    mov %esi, ST_GPR+6*8(%edi)
    mov tmp_rdi, %eax
    mov %eax, ST_GPR+7*8(%edi)
    mov tmp_flags, %eax
    mov %eax, ST_FLAGS(%edi)
    cld
    mov cur_mode, %edx
    test $2, %dl
    jz 1f
    fxsave ST_FX(%edi)
    fninit
1:  test $1, %dl
    jz 2f
    stmxcsr ST_FX+24(%edi)
    .irp n, 0,1,2,3,4,5,6,7
    movdqu %xmm\n, ST_YMM+\n*32(%edi)
    .endr
2:  test $4, %dl
    jz 3f
    .irp n, 0,1,2,3,4,5,6,7
    vmovdqu %ymm\n, ST_YMM+\n*32(%edi)
    .endr
    vzeroupper
3:  test $3, %dl
    jz 4f
    movl $0x1f80, tmp_flags
    ldmxcsr tmp_flags
4:  mov saved_sp, %esp
    pop %edi; pop %esi; pop %ebp; pop %ebx
    ret
    .data
saved_sp: .long 0
cur_state: .long 0
cur_code: .long 0
tmp_rdi: .long 0
tmp_flags: .long 0
cur_mode: .long 0
#endif
    .section .note.GNU-stack,"",@progbits
