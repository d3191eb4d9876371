/*
 * rsp.h — the byte-level layer of gdb's remote serial protocol: framing
 * ("$payload#cs"), checksums, hex and binary escaping, and an incremental
 * receiver.  Pure functions over buffers, so the unit tests drive them
 * without sockets.
 */
#ifndef VEMU_GDBSTUB_RSP_H
#define VEMU_GDBSTUB_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest payload we accept (advertised as PacketSize). */
#define RSP_MAX_PAYLOAD 16384

/* Modulo-256 sum of the payload bytes. */
uint8_t rsp_checksum(const void *data, size_t len);

/* Value of a hex digit, or -1. */
int rsp_hex_digit(int c);
/* Two lower-case hex digits per byte into out (2*len chars, no NUL). */
void rsp_hex_encode(char *out, const void *in, size_t len);
/* nchars hex digits (must be even) into nchars/2 bytes; -1 on a bad digit. */
long rsp_hex_decode(void *out, const char *in, size_t nchars);
/* A hex number at *p (advances *p past it); false when there is none or it
 * overflows 64 bits. */
bool rsp_parse_hex(const char **p, uint64_t *value);

/* Binary data as gdb wants it in replies (qXfer): '$', '#', '}' and '*'
 * become '}' followed by the byte xor 0x20.  Writes at most cap chars and
 * returns how many; *consumed says how many input bytes fit. */
size_t rsp_escape(char *out, size_t cap, const void *in, size_t len, size_t *consumed);
/* Undo escaping (X packets): returns the number of bytes, or -1 when the
 * data ends in a lone '}'. */
long rsp_unescape(void *out, const char *in, size_t len);

/* "$payload#cs" into out (len + 4 chars); returns its length, 0 when it
 * does not fit in cap. */
size_t rsp_frame(char *out, size_t cap, const char *payload, size_t len);

/* Incremental receiver: feed it every byte from gdb. */
enum {
    RSP_EV_NONE,        /* nothing complete yet */
    RSP_EV_PACKET,      /* payload in p->buf[0..len) (NUL-terminated) */
    RSP_EV_BAD_PACKET,  /* checksum mismatch or overlong: answer '-' */
    RSP_EV_ACK,         /* '+' outside a packet */
    RSP_EV_NACK,        /* '-' outside a packet */
    RSP_EV_INTERRUPT,   /* 0x03 outside a packet (Ctrl-C) */
};

typedef struct RspParser {
    int state;
    size_t len;
    bool overflow;
    uint8_t sum;        /* running checksum of the payload */
    uint8_t wire_sum;   /* checksum digits received */
    char buf[RSP_MAX_PAYLOAD + 1];
} RspParser;

void rsp_parser_init(RspParser *p);
int rsp_parser_feed(RspParser *p, uint8_t byte);

#endif
