/*
 * net.c — NetClient peers and the per-sender queue of frames a busy
 * receiver could not take yet (see net.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/net.h"

typedef struct NetFrame {
    struct NetFrame *next;
    size_t len;
    uint8_t data[];
} NetFrame;

#define MAX_CLIENTS 16
static NetClient *clients[MAX_CLIENTS];

NetClient *net_client_new(const NetClientOps *ops, const char *name, void *opaque)
{
    NetClient *nc = calloc(1, sizeof *nc);
    if (!nc)
        abort();
    nc->ops = ops;
    nc->name = strdup(name ? name : ops->kind);
    nc->opaque = opaque;
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (!clients[i]) {
            clients[i] = nc;
            break;
        }
    return nc;
}

static void drop_queue(NetClient *nc)
{
    while (nc->queue_head) {
        NetFrame *f = nc->queue_head;
        nc->queue_head = f->next;
        free(f);
    }
    nc->queue_tail = NULL;
    nc->queued = 0;
}

void net_client_free(NetClient *nc)
{
    if (!nc)
        return;
    if (nc->peer)
        nc->peer->peer = NULL;
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i] == nc)
            clients[i] = NULL;
    drop_queue(nc);
    free(nc->name);
    free(nc);
}

void net_connect(NetClient *a, NetClient *b)
{
    a->peer = b;
    b->peer = a;
}

static bool deliver(NetClient *to, const uint8_t *buf, size_t len)
{
    if (to->ops->can_receive && !to->ops->can_receive(to))
        return false;
    return to->ops->receive(to, buf, len);
}

bool net_send(NetClient *nc, const uint8_t *buf, size_t len)
{
    NetClient *to = nc->peer;
    if (!to || len > NET_MAX_FRAME + 4)
        return false;
    /* keep order: while frames wait, new ones wait behind them */
    if (!nc->queue_head && deliver(to, buf, len))
        return true;
    if (nc->queued >= NET_MAX_QUEUED)
        return false;
    NetFrame *f = malloc(sizeof *f + len);
    if (!f)
        abort();
    f->next = NULL;
    f->len = len;
    memcpy(f->data, buf, len);
    if (nc->queue_tail)
        nc->queue_tail->next = f;
    else
        nc->queue_head = f;
    nc->queue_tail = f;
    nc->queued++;
    return true;
}

void net_flush(NetClient *receiver)
{
    NetClient *from = receiver->peer;
    if (!from)
        return;
    while (from->queue_head) {
        NetFrame *f = from->queue_head;
        if (!deliver(receiver, f->data, f->len))
            return;
        from->queue_head = f->next;
        if (!from->queue_head)
            from->queue_tail = NULL;
        from->queued--;
        free(f);
    }
}

static void describe(NetClient *nc, char *buf, size_t size)
{
    if (nc->ops->describe)
        nc->ops->describe(nc, buf, size);
    else
        snprintf(buf, size, "type=%s", nc->ops->kind);
}

void net_info(void (*line)(void *opaque, const char *text), void *opaque)
{
    char d[200], text[512];
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < MAX_CLIENTS; i++) {
            NetClient *nc = clients[i];
            if (!nc)
                continue;
            bool nic = !strcmp(nc->ops->kind, "nic");
            if (pass == 0 ? !nic : (nic || nc->peer))
                continue;
            describe(nc, d, sizeof d);
            snprintf(text, sizeof text, "%s: index=0,%s", nc->name, d);
            line(opaque, text);
            if (pass == 0 && nc->peer) {
                describe(nc->peer, d, sizeof d);
                snprintf(text, sizeof text, " \\ %s: index=0,%s", nc->peer->name, d);
                line(opaque, text);
            }
        }
}
