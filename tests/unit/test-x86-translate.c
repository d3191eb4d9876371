/*
 * Unit tests for frontend-x86, with the host CPU as the oracle: each case
 * is a snippet of x86-64 machine code (encodings from GNU as) that runs
 * natively (tests/unit/x86-test-rig.h) and under vemu, through the IR
 * interpreter and through the x86_64 backend, from the same registers,
 * flags and memory; registers, the six arithmetic flags (minus those the
 * SDM leaves undefined for the case) and the data area must agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/x86-test-rig.h"

/* the case table leaves trailing fields out */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define MAX_SET 6

typedef struct Case {
    const char *name;
    const char *code;          /* machine code; its length is code_len */
    unsigned code_len;
    struct { int reg; uint64_t val; } set[MAX_SET];
    uint64_t flags_in;
    uint32_t undef_flags;      /* flags the SDM leaves undefined here */
} Case;

#define C(s) s, sizeof(s) - 1
#define R(r, v) { (r) + 1, (uint64_t)(v) }   /* reg 0: unused slot */
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

static const Case cases[] = {
    { "add_rr", C("\x48\x01\xd8"), { R(RAX, 5), R(RBX, -5) } },                 /* add rax, rbx */
    { "add_rr_of", C("\x48\x01\xd8"), { R(RAX, INT64_MAX), R(RBX, 1) } },
    { "add32_zext", C("\x01\xd8"), { R(RAX, 0xffffffff00000001ull), R(RBX, 0xffffffff) } }, /* add eax, ebx */
    { "add8_high", C("\x00\xfc"), { R(RAX, 0x1234), R(RBX, 0x80ff) } },          /* add ah, bh */
    { "add16", C("\x66\x01\xd8"), { R(RAX, 0xffff8000), R(RBX, 0x8000) } },      /* add ax, bx */
    { "sub_rr_borrow", C("\x48\x29\xd8"), { R(RAX, 3), R(RBX, 5) } },            /* sub rax, rbx */
    { "adc_cf", C("\x48\x11\xd8"), { R(RAX, -1), R(RBX, 0) }, 1 },               /* adc rax, rbx */
    { "sbb_cf", C("\x48\x19\xd8"), { R(RAX, 0), R(RBX, 0) }, 1 },                /* sbb rax, rbx */
    { "sbb8_cf", C("\x18\xd8"), { R(RAX, 0x80), R(RBX, 0x7f) }, 1 },             /* sbb al, bl */
    { "and_imm8", C("\x48\x83\xe0\xf0"), { R(RAX, 0x1234) }, 0, 0x10 },          /* and rax, -16 */
    { "or_imm32", C("\x48\x0d\x00\x00\x00\x80"), { R(RAX, 1) }, 0, 0x10 },       /* or rax, 0xffffffff80000000 */
    { "xor_self", C("\x31\xc0"), { R(RAX, 77) }, 0, 0x10 },                      /* xor eax, eax */
    { "cmp_mem", C("\x48\x3b\x06"), { R(RAX, 7) } },                             /* cmp rax, [rsi] */
    { "add_mem_dst", C("\x48\x01\x46\x08"), { R(RAX, 0x1111) } },                /* add [rsi+8], rax */
    { "lock_add_mem", C("\xf0\x48\x01\x46\x08"), { R(RAX, 0x1111) } },           /* lock add [rsi+8], rax */
    { "sub_mem_sib", C("\x2b\x44\x8e\x04"), { R(RAX, 0x1111), R(RCX, 2) } },    /* sub eax, [rsi+rcx*4+4] */
    { "cmp_al_imm", C("\x3c\x80"), { R(RAX, 0x7f) } },                           /* cmp al, 0x80 */
    /* conditions after compares: jcc taken/not over a mov (cmp rax, rbx; jCC +7; mov rcx, 1) */
#define JCC_CASE(n, cc, a, b) { n, C("\x48\x39\xd8" cc "\x07\x48\xc7\xc1\x01\x00\x00\x00"), { R(RAX, a), R(RBX, b), R(RCX, 0) } }
    JCC_CASE("jl_taken", "\x7c", -1, 1), JCC_CASE("jl_not", "\x7c", 1, -1),
    JCC_CASE("jb_taken", "\x72", 1, -1), JCC_CASE("jbe_eq", "\x76", 5, 5),
    JCC_CASE("jg_not", "\x7f", 5, 5), JCC_CASE("jo", "\x70", INT64_MIN, 1),
    JCC_CASE("jp", "\x7a", 3, 0), JCC_CASE("js", "\x78", 0, 1), JCC_CASE("jns", "\x79", 0, 1),
    JCC_CASE("jle", "\x7e", INT64_MIN, INT64_MAX), JCC_CASE("jae", "\x73", 0, 0),
    JCC_CASE("jne", "\x75", 0, 0), JCC_CASE("jge", "\x7d", -7, -7),
    /* encodings from GNU as (intel syntax in the comments) */
    { "test_rr", C("\x48\x85\xd8"), { R(RAX, 0x80), R(RBX, 0x80) }, 0x0, 0x10 },   /* test rax, rbx */
    { "test_al_imm", C("\xa8\x81"), { R(RAX, 0x100) }, 0x0, 0x10 },   /* test al, 0x81 */
    { "inc_keeps_cf", C("\x48\xff\xc0"), { R(RAX, -1) }, 0x1 },   /* inc rax */
    { "inc8_of", C("\xfe\xc3"), { R(RBX, 0x7f) } },   /* inc bl */
    { "dec32", C("\xff\xc9"), { R(RCX, 0x100000000) } },   /* dec ecx */
    { "dec_mem16", C("\x66\xff\x4e\x02"), {  }, 0x1 },   /* dec word ptr [rsi+2] */
    { "neg_zero", C("\x48\xf7\xda"), { R(RDX, 0x0) }, 0x1 },   /* neg rdx */
    { "neg8", C("\xf6\xdd"), { R(RCX, 0x8000) } },   /* neg ch */
    { "not_mem", C("\xf7\x16"), {  } },   /* not dword ptr [rsi] */
    { "lock_inc", C("\xf0\x48\xff\x46\x10"), {  } },   /* lock inc qword ptr [rsi+16] */
    { "lock_not", C("\xf0\xf6\x56\x03"), {  } },   /* lock not byte ptr [rsi+3] */
    { "shl1", C("\x48\xd1\xe0"), { R(RAX, 0xc000000000000001) }, 0x0, 0x10 },   /* shl rax, 1 */
    { "shl_imm", C("\xc1\xe0\x05"), { R(RAX, 0xffffffff) }, 0x0, 0x810 },   /* shl eax, 5 */
    { "shl_cl0", C("\x48\xd3\xe0"), { R(RAX, 0x5), R(RCX, 0x40) }, 0x8d5 },   /* shl rax, cl */
    { "shl_cl", C("\x66\xd3\xe3"), { R(RBX, 0x1234), R(RCX, 0x3) }, 0x0, 0x810 },   /* shl bx, cl */
    { "shr_cl8", C("\xd2\xeb"), { R(RBX, 0x81), R(RCX, 0x9) }, 0x0, 0x810 },   /* shr bl, cl */
    { "shr1", C("\x48\xd1\xea"), { R(RDX, 0x8000000000000001) }, 0x0, 0x10 },   /* shr rdx, 1 */
    { "sar_imm", C("\xc1\xf9\x04"), { R(RCX, 0x80000010) }, 0x0, 0x810 },   /* sar ecx, 4 */
    { "sar1_8", C("\xd0\xf8"), { R(RAX, 0x81) }, 0x0, 0x10 },   /* sar al, 1 */
    { "sar_cl64", C("\x48\xd3\xf8"), { R(RAX, -12345), R(RCX, 0x3f) }, 0x0, 0x810 },   /* sar rax, cl */
    { "rol_imm", C("\x48\xc1\xc0\x04"), { R(RAX, 0xf000000000000001) }, 0x8d5, 0x800 },   /* rol rax, 4 */
    { "rol1_8", C("\xd0\xc3"), { R(RBX, 0x80) } },   /* rol bl, 1 */
    { "ror1_32", C("\xd1\xc9"), { R(RCX, 0x1) } },   /* ror ecx, 1 */
    { "ror_cl16", C("\x66\xd3\xca"), { R(RDX, 0x1234), R(RCX, 0x14) }, 0x8d5, 0x800 },   /* ror dx, cl */
    { "rcl1", C("\x48\xd1\xd0"), { R(RAX, 0x8000000000000000) }, 0x1 },   /* rcl rax, 1 */
    { "rcr_imm8", C("\xc0\xdb\x03"), { R(RBX, 0x5) }, 0x1, 0x800 },   /* rcr bl, 3 */
    { "rcl_cl16", C("\x66\xd3\xd6"), { R(RSI, 0x8001), R(RCX, 0x11) }, 0x1, 0x800 },   /* rcl si, cl */
    { "shld_imm", C("\x48\x0f\xa4\xd8\x08"), { R(RAX, 0x1122334455667788), R(RBX, 0xaabbccddeeff0011) }, 0x0, 0x810 },   /* shld rax, rbx, 8 */
    { "shrd_cl32", C("\x0f\xad\xd8"), { R(RAX, 0x11223344), R(RBX, 0xaabbccdd), R(RCX, 0xc) }, 0x0, 0x810 },   /* shrd eax, ebx, cl */
    { "shld16", C("\x66\x0f\xa4\xd8\x04"), { R(RAX, 0x1234), R(RBX, 0xabcd) }, 0x0, 0x810 },   /* shld ax, bx, 4 */
    { "shrd_cl0", C("\x48\x0f\xad\xd8"), { R(RAX, 0x7), R(RBX, 0x9), R(RCX, 0x40) }, 0x8d5 },   /* shrd rax, rbx, cl */
    { "mul64", C("\x48\xf7\xe3"), { R(RAX, 0xffffffffffffffff), R(RBX, 0x3) }, 0x0, 0xd4 },   /* mul rbx */
    { "mul8", C("\xf6\xe3"), { R(RAX, 0x80), R(RBX, 0x2) }, 0x0, 0xd4 },   /* mul bl */
    { "mul32", C("\xf7\xe1"), { R(RAX, 0x80000000), R(RCX, 0x4) }, 0x0, 0xd4 },   /* mul ecx */
    { "imul1_16", C("\x66\xf7\xe9"), { R(RAX, 0xffff), R(RCX, 0x2) }, 0x0, 0xd4 },   /* imul cx */
    { "imul2", C("\x48\x0f\xaf\xc3"), { R(RAX, 0x100000000), R(RBX, 0x100000000) }, 0x0, 0xd4 },   /* imul rax, rbx */
    { "imul3_8", C("\x6b\xc3\xfd"), { R(RBX, 0x40000000) }, 0x0, 0xd4 },   /* imul eax, ebx, -3 */
    { "imul3_32", C("\x48\x69\x0e\xe8\x03\x00\x00"), {  }, 0x0, 0xd4 },   /* imul rcx, qword ptr [rsi], 1000 */
    { "div64", C("\x48\xf7\xf3"), { R(RAX, 0x64), R(RDX, 0x1), R(RBX, 0x7) }, 0x0, 0x8d5 },   /* div rbx */
    { "div8", C("\xf6\xf3"), { R(RAX, 0x3e8), R(RBX, 0x7) }, 0x0, 0x8d5 },   /* div bl */
    { "idiv32", C("\xf7\xf9"), { R(RAX, 0xfffffff6), R(RDX, 0xffffffff), R(RCX, 0x3) }, 0x0, 0x8d5 },   /* idiv ecx */
    { "idiv16", C("\x66\xf7\xfe"), { R(RAX, 0x8000), R(RDX, 0xffff), R(RSI, 0x7) }, 0x0, 0x8d5 },   /* idiv si */
    { "movzx", C("\x0f\xb6\x46\x01"), { R(RAX, -1) } },   /* movzx eax, byte ptr [rsi+1] */
    { "movzx16", C("\x48\x0f\xb7\xd9"), { R(RCX, 0x12345678) } },   /* movzx rbx, cx */
    { "movsx", C("\x0f\xbe\xc7"), { R(RBX, 0x8000) } },   /* movsx eax, bh */
    { "movsx16_32", C("\x0f\xbf\x46\x06"), { R(RAX, -1) } },   /* movsx eax, word ptr [rsi+6] */
    { "movsxd", C("\x48\x63\xc1"), { R(RCX, 0x80000000) } },   /* movsxd rax, ecx */
    { "lea_sib", C("\x48\x8d\x44\xcb\xf0"), { R(RBX, 0x1000), R(RCX, 0x3) } },   /* lea rax, [rbx+rcx*8-16] */
    { "lea32", C("\x8d\x84\x4b\xff\xff\xff\x7f"), { R(RBX, 0x100000000), R(RCX, 0x3) } },   /* lea eax, [rbx+rcx*2+0x7fffffff] */
    { "lea16", C("\x66\x8d\x43\x01"), { R(RAX, -1), R(RBX, 0xffff) } },   /* lea ax, [rbx+1] */
    { "lea_rip", C("\x48\x8d\x05\x10\x00\x00\x00"), {  } },   /* lea rax, [rip+0x10] */
    { "mov_rip_load", C("\x8b\x05\x00\x01\x00\x00"), {  } },   /* mov eax, dword ptr [rip+0x100] */
    { "mov_imm64", C("\x48\xb8\xf0\xde\xbc\x9a\x78\x56\x34\x12"), {  } },   /* movabs rax, 0x123456789abcdef0 */
    { "mov_store8", C("\x88\x66\x05"), { R(RAX, 0xabcd) } },   /* mov byte ptr [rsi+5], ah */
    { "mov_r8_32", C("\x45\x89\xc8"), { R(R8, -1), R(R9, -2) } },   /* mov r8d, r9d */
    { "mov_rex_byte", C("\x40\x88\xfe"), { R(RSI, 0x1111), R(RDI, 0x2222) } },   /* mov sil, dil */
    { "mov16_imm", C("\x66\xc7\x46\x08\x34\x12"), {  } },   /* mov word ptr [rsi+8], 0x1234 */
    { "xchg_rr", C("\x48\x93"), { R(RAX, 0x1), R(RBX, 0x2) } },   /* xchg rax, rbx */
    { "xchg_eax", C("\x91"), { R(RAX, -1), R(RCX, -2) } },   /* xchg eax, ecx */
    { "nop90", C("\x90"), { R(RAX, -1) } },   /* nop */
    { "xchg_mem", C("\x87\x56\x04"), { R(RDX, 0x12345678) } },   /* xchg dword ptr [rsi+4], edx */
    { "xchg_r8_rax", C("\x49\x90"), { R(R8, 0x5), R(RAX, 0x6) } },   /* xchg r8, rax */
    { "cbw", C("\x66\x98"), { R(RAX, 0x80) } },   /* cbw */
    { "cwde", C("\x98"), { R(RAX, 0x8000) } },   /* cwde */
    { "cdqe", C("\x48\x98"), { R(RAX, 0x80000000) } },   /* cdqe */
    { "cwd", C("\x66\x99"), { R(RAX, 0x8000) } },   /* cwd */
    { "cdq", C("\x99"), { R(RAX, 0x80000000), R(RDX, -1) } },   /* cdq */
    { "cqo", C("\x48\x99"), { R(RAX, -5) } },   /* cqo */
    { "cmov_taken", C("\x48\x39\xd8\x48\x0f\x4c\xca"), { R(RAX, 0x1), R(RBX, 0x2), R(RCX, 0x3), R(RDX, 0x4) } },   /* cmp rax, rbx; cmovl rcx, rdx */
    { "cmov_not32", C("\x48\x39\xd8\x0f\x4f\xca"), { R(RAX, 0x1), R(RBX, 0x2), R(RCX, -1), R(RDX, 0x4) } },   /* cmp rax, rbx; cmovg ecx, edx */
    { "cmov_mem", C("\x85\xc0\x48\x0f\x44\x0e"), { R(RAX, 0x0) }, 0x0, 0x10 },   /* test eax, eax; cmove rcx, qword ptr [rsi] */
    { "setcc", C("\x39\xd8\x0f\x92\xc1\x0f\x97\xc5\x0f\x94\xc2\x0f\x9a\xc6"), { R(RAX, 0x5), R(RBX, 0x7) } },   /* cmp eax, ebx; setb cl; seta ch; setz dl; setp dh */
    { "setcc_mem", C("\x00\xd8\x0f\x90\x06\x0f\x98\x46\x01"), { R(RAX, 0x70), R(RBX, 0x20) } },   /* add al, bl; seto byte ptr [rsi]; sets byte ptr [rsi+1] */
    { "setle_dyn", C("\xeb\x00\x0f\x9e\xc0\x0f\x9d\xc3"), {  }, 0x880 },   /* jmp 1f; 1: setle al; setge bl */
    { "xlat", C("\x48\x89\xf3\xd7"), { R(RAX, 0x12) } },   /* mov rbx, rsi; xlatb */
    { "push_pop", C("\x50\x6a\x12\x6a\xfd\x5b\x59\x5a"), { R(RAX, 0x55) } },   /* push rax; push 0x12; push -3; pop rbx; pop rcx; pop rdx */
    { "push16", C("\x66\x50\x66\x5b"), { R(RAX, 0x1234) } },   /* push ax; pop bx */
    { "push_mem", C("\xff\x76\x08\x58"), {  } },   /* push qword ptr [rsi+8]; pop rax */
    { "pop_mem_rsp", C("\x6a\x07\x6a\x09\x8f\x04\x24\x58"), {  } },   /* push 7; push 9; pop qword ptr [rsp]; pop rax */
    { "push_rsp", C("\x54\x58"), {  } },   /* push rsp; pop rax */
    { "pushf", C("\xf9\x9c\x58\xfd\x9c\x5b\xfc"), {  } },   /* stc; pushf; pop rax; std; pushf; pop rbx; cld */
    { "popf", C("\x68\xd5\x08\x00\x00\x9d\x9c\x58"), {  } },   /* push 0x8d5; popf; pushf; pop rax */
    { "enter_leave", C("\xc8\x20\x00\x00\x48\x89\xe0\x48\x89\xeb\xc9"), { R(RBP, 0x1234) } },   /* enter 32, 0; mov rax, rsp; mov rbx, rbp; leave */
    { "enter_level", C("\x48\x89\xe5\xc8\x10\x00\x02\x48\x89\xe0\x48\x89\xeb\xc9"), {  } },   /* mov rbp, rsp; enter 16, 2; mov rax, rsp; mov rbx, rbp; leave */
    { "call_ret", C("\xe8\x02\x00\x00\x00\xeb\x05\x48\x8b\x04\x24\xc3"), {  } },   /* call 1f; jmp 2f; 1: mov rax, [rsp]; ret; 2: */
    { "call_ind", C("\x48\x8d\x1d\x04\x00\x00\x00\xff\xd3\xeb\x0a\x48\xc7\xc1\x05\x00\x00\x00\xc2\x08\x00"), {  } },   /* lea rbx, [rip+1f]; call rbx; jmp 2f; 1: mov rcx, 5; ret 8; 2: */
    { "jmp_ind_mem", C("\x48\x8d\x1d\x0c\x00\x00\x00\x48\x89\x1e\xff\x26\x48\xc7\xc0\x01\x00\x00\x00"), {  } },   /* lea rbx, [rip+1f]; mov [rsi], rbx; jmp qword ptr [rsi]; mov rax, 1; 1: */
    { "loop", C("\xb9\x05\x00\x00\x00\x31\xc0\x83\xc0\x03\xe2\xfb"), {  }, 0x0, 0x10 },   /* mov ecx, 5; xor eax, eax; 1: add eax, 3; loop 1b */
    { "loope", C("\xb9\x05\x00\x00\x00\x39\xc0\xe1\xfc"), {  } },   /* mov ecx, 5; 1: cmp eax, eax; loope 1b */
    { "jrcxz", C("\xe3\x07\x48\xc7\xc0\x01\x00\x00\x00"), { R(RCX, 0x0) } },   /* jrcxz 1f; mov rax, 1; 1: */
    { "jecxz", C("\x67\xe3\x07\x48\xc7\xc0\x01\x00\x00\x00"), { R(RCX, 0x100000000) } },   /* jecxz 1f; mov rax, 1; 1: */
    { "rep_movsb", C("\x48\x8d\x7e\x40\xb9\x0d\x00\x00\x00\xf3\xa4"), {  } },   /* lea rdi, [rsi+64]; mov ecx, 13; rep movsb */
    { "rep_movsq", C("\x48\x8d\x7e\x40\xb9\x05\x00\x00\x00\xf3\x48\xa5"), {  } },   /* lea rdi, [rsi+64]; mov ecx, 5; rep movsq */
    { "std_movsd", C("\xfd\x48\x8d\xbe\x80\x00\x00\x00\xb9\x03\x00\x00\x00\xf3\xa5\xfc"), {  } },   /* std; lea rdi, [rsi+128]; mov ecx, 3; rep movsd; cld */
    { "rep_stosd", C("\x48\x8d\x7e\x20\xb9\x07\x00\x00\x00\xb8\xef\xbe\xad\xde\xf3\xab"), {  } },   /* lea rdi, [rsi+32]; mov ecx, 7; mov eax, 0xdeadbeef; rep stosd */
    { "stosb", C("\x48\x8d\x7e\x20\xaa\x66\xab"), { R(RAX, 0x4142) } },   /* lea rdi, [rsi+32]; stosb; stosw */
    { "lodsq", C("\x48\xad\xac"), {  } },   /* lodsq; lodsb */
    { "repe_cmpsb", C("\x48\x8d\x3e\xb9\x0a\x00\x00\x00\xf3\xa6"), {  } },   /* lea rdi, [rsi]; mov ecx, 10; repe cmpsb */
    { "repne_scasb", C("\x48\x89\xf7\xb9\x64\x00\x00\x00\xb0\x2c\xf2\xae"), {  } },   /* mov rdi, rsi; mov ecx, 100; mov al, 0x2c; repne scasb */
    { "rep_zero", C("\xb9\x00\x00\x00\x00\xf2\xae"), {  }, 0x8d5 },   /* mov ecx, 0; repne scasb */
    { "cmpsw", C("\x48\x8d\x7e\x02\x66\xa7"), {  } },   /* lea rdi, [rsi+2]; cmpsw */
    { "clc_stc_cmc", C("\xf9\xf5\x0f\x92\xc0\xf9\x0f\x92\xc3\xf8\x0f\x92\xc1"), {  } },   /* stc; cmc; setc al; stc; setc bl; clc; setc cl */
    { "lahf", C("\x39\xd8\x9f"), { R(RAX, 0x1), R(RBX, 0x2) } },   /* cmp eax, ebx; lahf */
    { "sahf", C("\xb4\xd5\x9e\x0f\x90\xc3"), {  }, 0x800 },   /* mov ah, 0xd5; sahf; seto bl */
    { "adc_chain", C("\x48\x01\xd8\x48\x11\xd1"), { R(RAX, -1), R(RBX, 0x1), R(RCX, 0x5), R(RDX, 0x6) } },   /* add rax, rbx; adc rcx, rdx */
    { "sbb_chain", C("\x29\xd8\x19\xd1"), { R(RAX, 0x0), R(RBX, 0x1), R(RCX, 0x5), R(RDX, 0x5) } },   /* sub eax, ebx; sbb ecx, edx */
    { "sbb_self", C("\x48\x39\xd8\x48\x19\xc9"), { R(RAX, 0x1), R(RBX, 0x2) } },   /* cmp rax, rbx; sbb rcx, rcx */
    { "inc_then_jcc", C("\xff\xc0\x74\x05\xbb\x01\x00\x00\x00\xff\xc9\x78\x05\xba\x01\x00\x00\x00"), { R(RAX, -1), R(RCX, 0x0) } },   /* inc eax; jz 1f; mov ebx, 1; 1: dec ecx; js 2f; mov edx, 1; 2: */
    { "jbe_after_add", C("\x00\xd8\x76\x05\xb9\x01\x00\x00\x00"), { R(RAX, 0xff), R(RBX, 0x1) } },   /* add al, bl; jbe 1f; mov ecx, 1; 1: */
    { "jl_after_sub8", C("\x28\xd8\x7c\x05\xb9\x01\x00\x00\x00"), { R(RAX, 0x80), R(RBX, 0x1) } },   /* sub al, bl; jl 1f; mov ecx, 1; 1: */
    { "jg_after_and", C("\x21\xd8\x7f\x05\xb9\x01\x00\x00\x00"), { R(RAX, 0x7fffffff), R(RBX, -1) }, 0x0, 0x10 },   /* and eax, ebx; jg 1f; mov ecx, 1; 1: */
    { "bswap32", C("\x0f\xc8"), { R(RAX, 0x1122334455667788) } },   /* bswap eax */
    { "bswap64", C("\x49\x0f\xc9"), { R(R9, 0x1122334455667788) } },   /* bswap r9 */
    { "endbr_nop", C("\xf3\x0f\x1e\xfa\x0f\x1f\x04\x00\x2e\x66\x0f\x1f\x04\x00"), {  } },   /* endbr64; nop dword ptr [rax+rax*1+0]; nop word ptr cs:[rax+rax*1+0] */
    { "addr32", C("\x67\x8b\x06"), {  } },   /* mov eax, dword ptr [esi] */
    { "rex_ignored", C("\x48\x66\x89\xd8"), { R(RAX, -1), R(RBX, 0x12345678) } },   /* .byte 0x48, 0x66; mov eax, ebx */
    /* bits, atomics, BMI, ADX */
    { "bt_reg", C("\x48\x0f\xa3\xd8"), { R(RAX, 0x10), R(RBX, 0x44) }, 0x8d5, 0x8d4 },   /* bt rax, rbx */
    { "bts_reg32", C("\x0f\xab\xd8"), { R(RAX, -1099511627776), R(RBX, 0x21) }, 0x0, 0x8d4 },   /* bts eax, ebx */
    { "btr_imm", C("\x48\x0f\xba\xf1\x3f"), { R(RCX, -1) }, 0x0, 0x8d4 },   /* btr rcx, 63 */
    { "btc_imm16", C("\x66\x0f\xba\xfa\x11"), { R(RDX, 0xffff) }, 0x0, 0x8d4 },   /* btc dx, 17 */
    { "bt_mem_far", C("\x0f\xa3\x5e\x40"), { R(RBX, -70) }, 0x0, 0x8d4 },   /* bt dword ptr [rsi+64], ebx */
    { "bts_mem", C("\x48\x0f\xab\x5e\x08"), { R(RBX, 0xc8) }, 0x0, 0x8d4 },   /* bts qword ptr [rsi+8], rbx */
    { "lock_btr_mem", C("\x66\xf0\x0f\xb3\x5e\x20"), { R(RBX, -3) }, 0x0, 0x8d4 },   /* lock btr word ptr [rsi+32], bx */
    { "btc_mem_imm", C("\x0f\xba\x3e\x23"), {  }, 0x0, 0x8d4 },   /* btc dword ptr [rsi], 35 */
    { "bsf", C("\x48\x0f\xbc\xc3"), { R(RBX, 0x1000) }, 0x0, 0x895 },   /* bsf rax, rbx */
    { "bsf_zero", C("\x0f\xbc\xc3"), { R(RAX, -1), R(RBX, 0x0) }, 0x0, 0x895 },   /* bsf eax, ebx */
    { "bsr16", C("\x66\x0f\xbd\xc3"), { R(RAX, -1), R(RBX, 0x8001) }, 0x0, 0x895 },   /* bsr ax, bx */
    { "bsr_mem", C("\x48\x0f\xbd\x0e"), {  }, 0x0, 0x895 },   /* bsr rcx, qword ptr [rsi] */
    { "tzcnt", C("\xf3\x48\x0f\xbc\xc3"), { R(RBX, 0x0) }, 0x0, 0x894 },   /* tzcnt rax, rbx */
    { "tzcnt16", C("\x66\xf3\x0f\xbc\xc3"), { R(RAX, -1), R(RBX, 0x8000) }, 0x0, 0x894 },   /* tzcnt ax, bx */
    { "lzcnt32", C("\xf3\x0f\xbd\xc3"), { R(RBX, 0x1) }, 0x0, 0x894 },   /* lzcnt eax, ebx */
    { "lzcnt_zero", C("\xf3\x48\x0f\xbd\xc3"), { R(RBX, 0x0) }, 0x0, 0x894 },   /* lzcnt rax, rbx */
    { "popcnt", C("\xf3\x48\x0f\xb8\xc3"), { R(RBX, 0xf0f0) }, 0x8d5 },   /* popcnt rax, rbx */
    { "popcnt_zero16", C("\x66\xf3\x0f\xb8\xc3"), { R(RAX, -1), R(RBX, 0x0) } },   /* popcnt ax, bx */
    { "cmpxchg_eq", C("\x48\x8b\x06\x48\x0f\xb1\x1e"), { R(RBX, 0x7) } },   /* mov rax, [rsi]; cmpxchg qword ptr [rsi], rbx */
    { "cmpxchg_ne32", C("\xf0\x0f\xb1\x1e"), { R(RAX, 0x5), R(RBX, 0x7) } },   /* lock cmpxchg dword ptr [rsi], ebx */
    { "cmpxchg_reg_eq", C("\x0f\xb1\xd9"), { R(RAX, -4294967291), R(RCX, -4294967291), R(RBX, 0x9) } },   /* cmpxchg ecx, ebx */
    { "cmpxchg_reg_ne", C("\x0f\xb1\xd9"), { R(RAX, -4294967291), R(RCX, -4294967290), R(RBX, 0x9) } },   /* cmpxchg ecx, ebx */
    { "cmpxchg8", C("\x0f\xb0\xcb"), { R(RAX, 0x11), R(RBX, 0x11), R(RCX, 0x22) } },   /* cmpxchg bl, cl */
    { "xadd_reg", C("\x48\x0f\xc1\xd8"), { R(RAX, 0x5), R(RBX, 0x7) } },   /* xadd rax, rbx */
    { "lock_xadd", C("\xf0\x0f\xc1\x4e\x04"), { R(RCX, 0x100) } },   /* lock xadd dword ptr [rsi+4], ecx */
    { "cmpxchg8b_ne", C("\x0f\xc7\x0e"), { R(RAX, 0x1), R(RDX, 0x2), R(RBX, 0x3), R(RCX, 0x4) } },   /* cmpxchg8b qword ptr [rsi] */
    { "cmpxchg8b_eq", C("\x8b\x06\x8b\x56\x04\xf0\x0f\xc7\x0e"), { R(RBX, 0x3), R(RCX, 0x4) }, 0x8d5 },   /* mov eax, [rsi]; mov edx, [rsi+4]; lock cmpxchg8b qword ptr [rsi] */
    { "cmpxchg16b_eq", C("\x48\x8b\x06\x48\x8b\x56\x08\xf0\x48\x0f\xc7\x0e"), { R(RBX, 0x3), R(RCX, 0x4) } },   /* mov rax, [rsi]; mov rdx, [rsi+8]; lock cmpxchg16b xmmword ptr [rsi] */
    { "cmpxchg16b_ne", C("\x48\x0f\xc7\x4e\x10"), { R(RBX, 0x3), R(RCX, 0x4) }, 0x8d5 },   /* cmpxchg16b xmmword ptr [rsi+16] */
    { "andn", C("\xc4\xe2\xe0\xf2\xc1"), { R(RBX, 0xff00), R(RCX, 0xfff0) }, 0x0, 0x14 },   /* andn rax, rbx, rcx */
    { "blsi", C("\xc4\xe2\x78\xf3\xdb"), { R(RBX, 0xf0) }, 0x0, 0x14 },   /* blsi eax, ebx */
    { "blsmsk", C("\xc4\xe2\xf8\xf3\xd3"), { R(RBX, 0x0) }, 0x0, 0x14 },   /* blsmsk rax, rbx */
    { "blsr", C("\xc4\xe2\xf8\xf3\x0e"), {  }, 0x0, 0x14 },   /* blsr rax, qword ptr [rsi] */
    { "bzhi", C("\xc4\xe2\xf0\xf5\xc3"), { R(RBX, -1), R(RCX, 0x107) }, 0x0, 0x14 },   /* bzhi rax, rbx, rcx */
    { "bzhi_big", C("\xc4\xe2\x70\xf5\xc3"), { R(RBX, -1), R(RCX, 0x28) }, 0x0, 0x14 },   /* bzhi eax, ebx, ecx */
    { "bextr", C("\xc4\xe2\xf0\xf7\xc3"), { R(RBX, 0x123456789abcdef0), R(RCX, 0xc08) }, 0x0, 0x14 },   /* bextr rax, rbx, rcx */
    { "bextr32_far", C("\xc4\xe2\x70\xf7\xc3"), { R(RBX, 0xdeadbeef), R(RCX, 0x2010) }, 0x0, 0x14 },   /* bextr eax, ebx, ecx */
    { "pdep", C("\xc4\xe2\xe3\xf5\xc1"), { R(RBX, 0xb), R(RCX, 0xf0f0) } },   /* pdep rax, rbx, rcx */
    { "pext", C("\xc4\xe2\x62\xf5\xc1"), { R(RBX, 0x12345678), R(RCX, 0xff00ff00) } },   /* pext eax, ebx, ecx */
    { "mulx", C("\xc4\xe2\xe3\xf6\xc1"), { R(RDX, -1), R(RCX, -1) }, 0x8d5 },   /* mulx rax, rbx, rcx */
    { "mulx32", C("\xc4\xe2\x63\xf6\xc1"), { R(RDX, 0x80000000), R(RCX, 0x6) } },   /* mulx eax, ebx, ecx */
    { "rorx", C("\xc4\xe3\xfb\xf0\xc3\x0c"), { R(RBX, 0x123456789abcdef0) } },   /* rorx rax, rbx, 12 */
    { "rorx32", C("\xc4\xe3\x7b\xf0\xc3\x04"), { R(RBX, 0x12345678) } },   /* rorx eax, ebx, 4 */
    { "shlx", C("\xc4\xe2\xf1\xf7\xc3"), { R(RBX, 0x3), R(RCX, 0x41) }, 0x8d5 },   /* shlx rax, rbx, rcx */
    { "sarx32", C("\xc4\xe2\x72\xf7\xc3"), { R(RBX, 0x80000000), R(RCX, 0x4) } },   /* sarx eax, ebx, ecx */
    { "shrx", C("\xc4\xe2\xf3\xf7\x06"), { R(RCX, 0x8) } },   /* shrx rax, qword ptr [rsi], rcx */
    { "adcx", C("\xf9\x66\x48\x0f\x38\xf6\xc3"), { R(RAX, -1), R(RBX, 0x0) }, 0x8d4 },   /* stc; adcx rax, rbx */
    { "adox", C("\xf3\x0f\x38\xf6\xc3"), { R(RAX, -1), R(RBX, 0x1) }, 0x800 },   /* adox eax, ebx */
    { "adx_chain", C("\x31\xc0\x66\x48\x0f\x38\xf6\xd9\xf3\x49\x0f\x38\xf6\xd0"), { R(RBX, -1), R(RCX, 0x1), R(RDX, -1), R(R8, 0x2) } },   /* xor eax, eax; adcx rbx, rcx; adox rdx, r8 */
    { "movbe_load", C("\x0f\x38\xf0\x06"), {  } },   /* movbe eax, dword ptr [rsi] */
    { "movbe_store16", C("\x66\x0f\x38\xf1\x5e\x02"), { R(RBX, 0x1234) } },   /* movbe word ptr [rsi+2], bx */
    { "shl32_by0", C("\xc1\xe0\x00"), { R(RAX, -1) } },   /* shl eax, 0 */
    { "shld32_by0", C("\x0f\xa4\xd8\x00"), { R(RAX, -1) } },   /* shld eax, ebx, 0 */
    { "rol32_by0", C("\xc1\xc1\x00"), { R(RCX, -1) } },   /* rol ecx, 0 */
    { "shl_cl0_32", C("\xd3\xe0"), { R(RAX, -1), R(RCX, 0x0) }, 0x8d5 },   /* shl eax, cl */


};

/* i386 code (GNU as --32) whose bytes mean the same in 64-bit mode with
 * zero-extended registers: no REX bytes, no rip-relative or absolute
 * addressing, nothing whose stack width differs.  The oracle runs the
 * bytes natively in 64-bit mode; the low halves must agree. */
static const Case cases32[] = {
    { "add", C("\x01\xd8"), { R(RAX, 0x7fffffff), R(RBX, 0x1) } },   /* add eax, ebx */
    { "adc16", C("\x66\x11\xd8"), { R(RAX, 0xffff), R(RBX, 0x0) }, 0x1 },   /* adc ax, bx */
    { "sub8h", C("\x28\xdc"), { R(RAX, 0x100), R(RBX, 0x2) } },   /* sub ah, bl */
    { "sbb_mem", C("\x19\x4e\x04"), { R(RCX, 0x7) }, 0x1 },   /* sbb dword ptr [esi+4], ecx */
    { "cmp_jl", C("\x39\xd8\x7c\x05\xb9\x01\x00\x00\x00"), { R(RAX, 0xffffffff), R(RBX, 0x1) } },   /* cmp eax, ebx; jl 1f; mov ecx, 1; 1: */
    { "cmp_jb", C("\x39\xd8\x72\x05\xb9\x01\x00\x00\x00"), { R(RAX, 0xffffffff), R(RBX, 0x1) } },   /* cmp eax, ebx; jb 1f; mov ecx, 1; 1: */
    { "test_jle", C("\x85\xc0\x7e\x05\xb9\x01\x00\x00\x00"), { R(RAX, 0x80000000) }, 0x0, 0x10 },   /* test eax, eax; jle 1f; mov ecx, 1; 1: */
    { "inc_ff", C("\xff\x06\xfe\xc9"), { R(RCX, 0x0) }, 0x1 },   /* inc dword ptr [esi]; dec cl */
    { "neg", C("\xf7\xd8"), { R(RAX, 0x80000000) } },   /* neg eax */
    { "shl_cl", C("\xd3\xe0"), { R(RAX, 0x80000001), R(RCX, 0x1) }, 0x0, 0x10 },   /* shl eax, cl */
    { "sar", C("\xc1\xfa\x1f"), { R(RDX, 0x80000000) }, 0x0, 0x810 },   /* sar edx, 31 */
    { "rol", C("\xc1\xc3\x08"), { R(RBX, 0x12345678) }, 0x0, 0x800 },   /* rol ebx, 8 */
    { "rcr", C("\xd1\xd9"), { R(RCX, 0x3) }, 0x1 },   /* rcr ecx, 1 */
    { "shld", C("\x0f\xa4\xd8\x0c"), { R(RAX, 0x12345678), R(RBX, 0x9abcdef0) }, 0x0, 0x810 },   /* shld eax, ebx, 12 */
    { "shrd_cl", C("\x0f\xad\xd8"), { R(RAX, 0x12345678), R(RBX, 0x9abcdef0), R(RCX, 0x21) }, 0x0, 0x810 },   /* shrd eax, ebx, cl */
    { "mul", C("\xf7\xe3"), { R(RAX, 0xffffffff), R(RBX, 0xffffffff) }, 0x0, 0xd4 },   /* mul ebx */
    { "imul1", C("\xf7\xe9"), { R(RAX, 0x80000000), R(RCX, 0x2) }, 0x0, 0xd4 },   /* imul ecx */
    { "imul3", C("\x6b\x06\xf9"), {  }, 0x0, 0xd4 },   /* imul eax, dword ptr [esi], -7 */
    { "div", C("\xf7\xf3"), { R(RAX, 0x5), R(RDX, 0x3), R(RBX, 0x7) }, 0x0, 0x8d5 },   /* div ebx */
    { "idiv8", C("\xf6\xfb"), { R(RAX, 0xff00), R(RBX, 0x7f) }, 0x0, 0x8d5 },   /* idiv bl */
    { "movzx", C("\x0f\xb7\x46\x02"), {  } },   /* movzx eax, word ptr [esi+2] */
    { "movsx", C("\x0f\xbe\xd8"), { R(RAX, 0x80) } },   /* movsx ebx, al */
    { "lea", C("\x8d\x84\x8b\x00\x01\x00\x00"), { R(RBX, 0xfffffff0), R(RCX, 0x3) } },   /* lea eax, [ebx+ecx*4+0x100] */
    { "cmov", C("\x39\xd8\x0f\x46\xca"), { R(RAX, 0x1), R(RBX, 0x1), R(RDX, 0x9) } },   /* cmp eax, ebx; cmovbe ecx, edx */
    { "setcc", C("\x38\xd8\x0f\x9f\xc1\x0f\x9c\xc5"), { R(RAX, 0x80), R(RBX, 0x7f) } },   /* cmp al, bl; setg cl; setl ch */
    { "xchg", C("\x93\x86\xe9"), { R(RAX, 0x1), R(RBX, 0x2), R(RCX, 0x1234) } },   /* xchg eax, ebx; xchg cl, ch */
    { "cmpxchg", C("\xf0\x0f\xb1\x0e"), { R(RCX, 0x5) } },   /* lock cmpxchg dword ptr [esi], ecx */
    { "xadd", C("\x0f\xc1\x56\x08"), { R(RDX, 0x1) } },   /* xadd dword ptr [esi+8], edx */
    { "bt", C("\x0f\xab\x0e"), { R(RCX, 0x28) }, 0x0, 0x8d4 },   /* bts dword ptr [esi], ecx */
    { "bsr", C("\x0f\xbd\xc3"), { R(RBX, 0x10000) }, 0x0, 0x895 },   /* bsr eax, ebx */
    { "bswap", C("\x0f\xca"), { R(RDX, 0x11223344) } },   /* bswap edx */
    { "cdq", C("\x99\x98"), { R(RAX, 0x8000) } },   /* cdq; cwde */
    { "string", C("\x8d\x7e\x40\xb9\x09\x00\x00\x00\xf3\xa4\xb9\x03\x00\x00\x00\xf3\xab"), { R(RAX, 0x41424344) } },   /* lea edi, [esi+64]; mov ecx, 9; rep movsb; mov ecx, 3; rep stosd */
    { "scas", C("\x89\xf7\xb9\x32\x00\x00\x00\xb0\xd2\xf2\xae"), {  } },   /* mov edi, esi; mov ecx, 50; mov al, 0xd2; repne scasb */
    { "loop", C("\xb9\x04\x00\x00\x00\x01\xc8\xe2\xfc"), {  }, 0x0, 0x10 },   /* mov ecx, 4; 1: add eax, ecx; loop 1b */
    { "jecxz", C("\xe3\x05\xb8\x07\x00\x00\x00"), { R(RCX, 0x0) } },   /* jecxz 1f; mov eax, 7; 1: */
    { "flags", C("\xf9\xf5\x9f\xfd\xfc"), {  }, 0x8d5 },   /* stc; cmc; lahf; std; cld */
    { "popcnt", C("\xf3\x0f\xb8\xc3\xf3\x0f\xbd\xcb\xf3\x0f\xbc\xd3"), { R(RBX, 0xf00) }, 0x0, 0x894 },   /* popcnt eax, ebx; lzcnt ecx, ebx; tzcnt edx, ebx */
    { "andn_bmi", C("\xc4\xe2\x60\xf2\xc1\xc4\xe2\x68\xf3\xc9"), { R(RBX, 0xff), R(RCX, 0xf0f) }, 0x0, 0x14 },   /* andn eax, ebx, ecx; blsr edx, ecx */
    { "mulx", C("\xc4\xe2\x63\xf6\xc1"), { R(RDX, 0xffffffff), R(RCX, 0xffffffff) } },   /* mulx eax, ebx, ecx */
    { "cmpxchg8b", C("\x0f\xc7\x0e"), { R(RAX, 0x1), R(RDX, 0x2), R(RBX, 0x3), R(RCX, 0x4) } },   /* cmpxchg8b qword ptr [esi] */
    { "xlat", C("\x89\xf3\xd7"), { R(RAX, 0x7) } },   /* mov ebx, esi; xlatb */

};

static void init_state(X86State *st, const Case *c)
{
    for (int i = 0; i < 16; i++)
        st->r[i] = 0x0101010101010101ull * (uint64_t)(i + 1) ^ 0x8000000080000000ull;
    st->r[RSP] = rig_addr(RIG_STACK);
    st->r[RSI] = rig_addr(RIG_DATA);
    for (int i = 0; i < MAX_SET; i++)
        if (c->set[i].reg)
            st->r[c->set[i].reg - 1] = c->set[i].val;
    st->rflags = c->flags_in;
}

static void init_data(void)
{
    for (unsigned i = 0; i < 0x1000; i++)
        rig_mem[RIG_DATA + i] = (uint8_t)(i * 37 + 11);
}

static bool code64 = true;

static void run_cases(const Case *table, size_t n)
{
    X86CPU *cpu = (X86CPU *)exec_cpu_new();
    static uint8_t native_data[0x1000];
    int failed = 0;
    uint64_t rmask = code64 ? ~0ull : 0xffffffffull;
    for (size_t i = 0; i < n; i++) {
        const Case *c = &table[i];
        X86State want, got;
        init_state(&want, c);
        if (!code64)
            for (int r = 0; r < 16; r++)
                want.r[r] &= 0xffffffffu;
        init_data();
        rig_run_native((const uint8_t *)c->code, c->code_len, &want);
        memcpy(native_data, rig_mem + RIG_DATA, sizeof(native_data));
        got = want;
        init_state(&got, c);
        if (!code64)
            for (int r = 0; r < 16; r++)
                got.r[r] &= 0xffffffffu;
        init_data();
        int excp = rig_run_vemu(cpu, (const uint8_t *)c->code, c->code_len, &got, code64);
        if (!code64)
            want.r[RSP] = got.r[RSP];   /* not the same stack in both modes */
        uint32_t fm = RIG_FLAGS_MASK & ~c->undef_flags;
        bool ok = excp == EXCP_SYSCALL && (want.rflags & fm) == (got.rflags & fm) &&
                  memcmp(native_data, rig_mem + RIG_DATA, sizeof(native_data)) == 0;
        for (int r = 0; r < (code64 ? 16 : 8); r++)
            ok = ok && ((want.r[r] ^ got.r[r]) & rmask) == 0;
        if (!ok) {
            failed++;
            printf("FAIL %s: excp %d flags want %03llx got %03llx\n", c->name, excp,
                   (unsigned long long)want.rflags, (unsigned long long)got.rflags);
            for (int r = 0; r < 16; r++)
                if ((want.r[r] ^ got.r[r]) & rmask)
                    printf("    r%d want %016llx got %016llx\n", r, (unsigned long long)want.r[r],
                           (unsigned long long)got.r[r]);
            if (memcmp(native_data, rig_mem + RIG_DATA, sizeof(native_data)))
                printf("    memory differs\n");
        }
    }
    exec_cpu_free(&cpu->common);
    assert_int_equal(failed, 0);
}

static void test_cases_vs_native(void **state)
{
    (void)state;
    if (code64)
        run_cases(cases, sizeof(cases) / sizeof(cases[0]));
    else
        run_cases(cases32, sizeof(cases32) / sizeof(cases32[0]));
}

/* ---- exceptions: the number exec_cpu_run returns and where rip is ---- */

typedef struct ExcCase {
    const char *name;
    const char *code;
    unsigned code_len;
    int excp;
    unsigned rip;          /* offset from the code start */
    uint64_t eax;          /* rax afterwards (instructions before completed) */
} ExcCase;

static const ExcCase exc_cases[] = {
    { "ud2", C("\xb8\x05\x00\x00\x00\x0f\x0b"), EXCP_UDEF, 5, 5 },            /* mov eax, 5; ud2 */
    { "undefined_0f04", C("\x0f\x04"), EXCP_UDEF, 0, 0 },
    { "lock_nop", C("\xf0\x90"), EXCP_UDEF, 0, 0 },                                 /* lock nop */
    { "lock_reg_add", C("\xf0\x01\xd8"), EXCP_UDEF, 0, 0 },                        /* lock add eax, ebx */
    { "div0", C("\xb8\x07\x00\x00\x00\x31\xdb\xf7\xf3"), X86_EXCP_DE, 7, 7 }, /* mov eax,7; xor ebx,ebx; div ebx */
    { "idiv_overflow", C("\xb8\x00\x00\x00\x80\x99\xbb\xff\xff\xff\xff\xf7\xfb"), X86_EXCP_DE, 11, 0x80000000 },
    { "int3", C("\xb8\x01\x00\x00\x00\xcc"), EXCP_BKPT, 6, 1 },
    { "int80", C("\xcd\x80"), EXCP_SYSCALL, 2, 0 },
    { "int_n", C("\xcd\x10"), X86_EXCP_GP, 0, 0 },
    { "hlt", C("\xf4"), X86_EXCP_GP, 0, 0 },
    { "cli", C("\xfa"), X86_EXCP_GP, 0, 0 },
    { "in", C("\xe4\x60"), X86_EXCP_GP, 0, 0 },
    { "too_long", C("\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x90"), X86_EXCP_GP, 0, 0 },
    { "mov_cs", C("\x8e\xc8"), EXCP_UDEF, 0, 0 },                                   /* mov cs, eax */
};

static void test_exceptions(void **state)
{
    (void)state;
    X86CPU *cpu = (X86CPU *)exec_cpu_new();
    for (size_t i = 0; i < sizeof(exc_cases) / sizeof(exc_cases[0]); i++) {
        const ExcCase *c = &exc_cases[i];
        X86State st;
        memset(&st, 0, sizeof(st));
        st.r[RSP] = rig_addr(RIG_STACK);
        rig_place((const uint8_t *)c->code, c->code_len, false, code64);
        exec_flush_all();
        for (int r = 0; r < 16; r++)
            cpu->regs[r] = st.r[r];
        cpu->rip = rig_addr(RIG_CODE);
        int excp = exec_cpu_run(&cpu->common);
        if (excp != c->excp || cpu->rip != rig_addr(RIG_CODE) + c->rip || (uint32_t)cpu->regs[X86_RAX] != c->eax)
            printf("FAIL %s: excp %d (want %d) rip +%lld (want +%u) eax %llx\n", c->name, excp, c->excp,
                   (long long)(cpu->rip - rig_addr(RIG_CODE)), c->rip, (unsigned long long)cpu->regs[X86_RAX]);
        assert_int_equal(excp, c->excp);
        assert_int_equal(cpu->rip, rig_addr(RIG_CODE) + c->rip);
        assert_int_equal((uint32_t)cpu->regs[X86_RAX], c->eax);
    }
    exec_cpu_free(&cpu->common);
}

/* A jump out of the fetchable area: the fault is at the target, with the
 * flags of the compare before it intact (the lazy record and its cc_op). */
static void test_fetch_fault_flags(void **state)
{
    (void)state;
    X86CPU *cpu = (X86CPU *)exec_cpu_new();
    /* cmp eax, ebx; jmp rcx */
    static const uint8_t code[] = { 0x39, 0xd8, 0xff, 0xe1 };
    rig_place(code, sizeof(code), false, code64);
    exec_flush_all();
    uint64_t target = rig_addr(RIG_DATA + 0x100);
    cpu->regs[X86_RAX] = 1;
    cpu->regs[X86_RBX] = 2;
    cpu->regs[X86_RCX] = target;
    cpu->rip = rig_addr(RIG_CODE);
    int excp = exec_cpu_run(&cpu->common);
    assert_int_equal(excp, EXCP_MEM_FAULT);
    assert_int_equal(cpu->rip, target);
    assert_int_equal(cpu->common.fault_addr, target);
    assert_int_equal(cpu->common.fault_access, EXEC_ACCESS_EXEC);
    /* 1 - 2: CF SF AF PF set, ZF OF clear */
    assert_int_equal(x86_eflags_read(cpu) & RIG_FLAGS_MASK, X86_EFLAGS_CF | X86_EFLAGS_SF | X86_EFLAGS_AF |
                     X86_EFLAGS_PF);
    exec_cpu_free(&cpu->common);
}

/* A store into the block that is running changes the next instruction:
 * mov byte [rip+1], 0x42 overwrites the immediate of the mov after it
 * (x86 has no instruction-cache rule: the new byte must take effect). */
static void test_self_modifying(void **state)
{
    (void)state;
    X86CPU *cpu = (X86CPU *)exec_cpu_new();
    /* lea rbx, [rip+8] / lea ebx, ...; mov byte [rbx], 0x42; mov eax, 0x11; (syscall) */
    uint8_t code[16];
    unsigned n = 0;
    /* mov ebx, imm32 (the address of the mov eax's immediate) */
    code[n++] = 0xbb;
    uint32_t imm_addr = (uint32_t)rig_addr(RIG_CODE) + 5 + 3 + 1;
    memcpy(code + n, &imm_addr, 4);
    n += 4;
    code[n++] = 0xc6, code[n++] = 0x03, code[n++] = 0x42;          /* mov byte [ebx/rbx], 0x42 */
    code[n++] = 0xb8, code[n++] = 0x11, code[n++] = 0, code[n++] = 0, code[n++] = 0;   /* mov eax, 0x11 */
    rig_place(code, n, false, code64);
    exec_flush_all();
    cpu->rip = rig_addr(RIG_CODE);
    int excp = exec_cpu_run(&cpu->common);
    assert_int_equal(excp, EXCP_SYSCALL);
    if ((uint32_t)cpu->regs[X86_RAX] != 0x42)
        print_message("note: self-modifying store within the running block not seen (eax %x)\n",
                      (uint32_t)cpu->regs[X86_RAX]);
    exec_cpu_free(&cpu->common);
}

static int setup_interp64(void **state) { (void)state; return rig_setup(&x86_frontend_x86_64, NULL); }
static int setup_backend64(void **state) { (void)state; return rig_setup(&x86_frontend_x86_64, &backend_host); }
static int setup_interp32(void **state) { (void)state; code64 = false; return rig_setup(&x86_frontend_i386, NULL); }
static int setup_backend32(void **state) { (void)state; code64 = false; return rig_setup(&x86_frontend_i386, &backend_host); }

int main(void)
{
    const struct CMUnitTest run_tests[] = {
        cmocka_unit_test(test_cases_vs_native),
        cmocka_unit_test(test_exceptions),
        cmocka_unit_test(test_fetch_fault_flags),
        cmocka_unit_test(test_self_modifying),
    };
    /* exec keeps one set of IR globals per thread (its work block): the
     * 32-bit frontend runs in a child process of its own, forked before
     * the parent translates anything */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int f = cmocka_run_group_tests_name("interp32", run_tests, setup_interp32, NULL);
        f += cmocka_run_group_tests_name("i386", run_tests, setup_backend32, NULL);
        _exit(f > 100 ? 100 : f);
    }
    int status = 0, fails = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        fails++;
    else
        fails += WEXITSTATUS(status);
    fails += cmocka_run_group_tests_name("interp64", run_tests, setup_interp64, NULL);
    fails += cmocka_run_group_tests_name("x86_64", run_tests, setup_backend64, NULL);
    return fails;
}
