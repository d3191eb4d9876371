/*
 * rsp.c — framing, checksums, hex and escaping of gdb's remote protocol.
 */
#include "gdbstub/rsp.h"

#include <string.h>

uint8_t rsp_checksum(const void *data, size_t len)
{
    const uint8_t *d = data;
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += d[i];
    return sum;
}

int rsp_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void rsp_hex_encode(char *out, const void *in, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *b = in;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
}

long rsp_hex_decode(void *out, const char *in, size_t nchars)
{
    if (nchars & 1)
        return -1;
    uint8_t *b = out;
    for (size_t i = 0; i < nchars; i += 2) {
        int hi = rsp_hex_digit((unsigned char)in[i]), lo = rsp_hex_digit((unsigned char)in[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        b[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return (long)(nchars / 2);
}

bool rsp_parse_hex(const char **p, uint64_t *value)
{
    const char *s = *p;
    uint64_t v = 0;
    int d;
    while ((d = rsp_hex_digit((unsigned char)*s)) >= 0) {
        if (v >> 60)
            return false;
        v = v << 4 | (uint64_t)d;
        s++;
    }
    if (s == *p)
        return false;
    *p = s;
    *value = v;
    return true;
}

static bool needs_escape(uint8_t c)
{
    return c == '$' || c == '#' || c == '}' || c == '*';
}

size_t rsp_escape(char *out, size_t cap, const void *in, size_t len, size_t *consumed)
{
    const uint8_t *b = in;
    size_t o = 0, i = 0;
    for (; i < len; i++) {
        if (needs_escape(b[i])) {
            if (o + 2 > cap)
                break;
            out[o++] = '}';
            out[o++] = (char)(b[i] ^ 0x20);
        } else {
            if (o + 1 > cap)
                break;
            out[o++] = (char)b[i];
        }
    }
    *consumed = i;
    return o;
}

long rsp_unescape(void *out, const char *in, size_t len)
{
    uint8_t *b = out;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (in[i] == '}') {
            if (++i == len)
                return -1;
            b[o++] = (uint8_t)(in[i] ^ 0x20);
        } else {
            b[o++] = (uint8_t)in[i];
        }
    }
    return (long)o;
}

size_t rsp_frame(char *out, size_t cap, const char *payload, size_t len)
{
    if (len + 4 > cap)
        return 0;
    out[0] = '$';
    memcpy(out + 1, payload, len);
    out[len + 1] = '#';
    rsp_hex_encode(out + len + 2, (uint8_t[]){ rsp_checksum(payload, len) }, 1);
    return len + 4;
}

/* ---- receiver ------------------------------------------------------------ */

enum { ST_IDLE, ST_DATA, ST_SUM1, ST_SUM2 };

void rsp_parser_init(RspParser *p)
{
    p->state = ST_IDLE;
    p->len = 0;
    p->overflow = false;
}

int rsp_parser_feed(RspParser *p, uint8_t c)
{
    switch (p->state) {
    case ST_IDLE:
        if (c == '$') {
            p->state = ST_DATA;
            p->len = 0;
            p->sum = 0;
            p->overflow = false;
        } else if (c == '+') {
            return RSP_EV_ACK;
        } else if (c == '-') {
            return RSP_EV_NACK;
        } else if (c == 0x03) {
            return RSP_EV_INTERRUPT;
        }
        return RSP_EV_NONE;     /* line noise between packets */
    case ST_DATA:
        if (c == '#') {
            p->state = ST_SUM1;
        } else if (c == '$') {
            /* A new packet before the end of this one: gdb gave up on the
             * old one (a retransmission); start over. */
            p->len = 0;
            p->sum = 0;
            p->overflow = false;
        } else {
            p->sum += c;
            if (p->len < RSP_MAX_PAYLOAD)
                p->buf[p->len++] = (char)c;
            else
                p->overflow = true;
        }
        return RSP_EV_NONE;
    case ST_SUM1: {
        int d = rsp_hex_digit(c);
        p->wire_sum = (uint8_t)((d < 0 ? 0 : d) << 4);
        p->state = d < 0 ? ST_IDLE : ST_SUM2;
        return d < 0 ? RSP_EV_BAD_PACKET : RSP_EV_NONE;
    }
    default: {
        int d = rsp_hex_digit(c);
        p->state = ST_IDLE;
        if (d < 0 || p->overflow || (uint8_t)(p->wire_sum | d) != p->sum)
            return RSP_EV_BAD_PACKET;
        p->buf[p->len] = 0;
        return RSP_EV_PACKET;
    }
    }
}
