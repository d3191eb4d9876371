/*
 * arm-decode-fields.h — the functions that named fields of the ARM decode
 * tables apply (`!function=NAME` in the frontend-arm .decode files): they turn the
 * bits the generated decoder put together into the value the manual means.
 * Included before any generated decoder header.
 */
#ifndef FRONTEND_ARM_DECODE_FIELDS_H
#define FRONTEND_ARM_DECODE_FIELDS_H

/* T32 B.W/BL/BLX offsets: the table assembles S:J1:J2:imm10:imm11:0
 * (sign-extended from S); the manual's I1 = NOT(J1 XOR S), I2 likewise,
 * i.e. J1 and J2 are inverted when S is 0. */
static inline int t32_branch_ij(int x)
{
    return x < 0 ? x : x ^ (3 << 22);
}

#endif
