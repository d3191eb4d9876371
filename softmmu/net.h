/*
 * net.h — the network layer between a NIC (the device model) and a
 * backend (user-mode networking, a test's capture, ...): two NetClients
 * joined as peers.  net_send() hands one Ethernet frame to the peer; when
 * the peer cannot take it now (its receive buffer is full), the frame
 * waits in the sender's queue until the peer calls net_flush(), so no
 * frame is lost to a momentarily busy NIC.  All calls are made with the
 * machine lock held (devices run under it; backends take it from the
 * main loop).
 */
#ifndef VEMU_SOFTMMU_NET_H
#define VEMU_SOFTMMU_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct NetClient NetClient;

typedef struct NetClientOps {
    const char *kind;                       /* "nic", "user", ... for info network */
    /* May a frame be delivered now?  NULL: always. */
    bool (*can_receive)(NetClient *nc);
    /* Take one frame (true), or refuse it for now (false: it is queued). */
    bool (*receive)(NetClient *nc, const uint8_t *buf, size_t len);
    /* `info network`'s details after "index=N,", e.g. "type=user,net=
     * 10.0.2.0,restrict=off" (NULL: "type=KIND"). */
    void (*describe)(NetClient *nc, char *buf, size_t size);
} NetClientOps;

struct NetClient {
    const NetClientOps *ops;
    char *name;
    void *opaque;
    NetClient *peer;
    struct NetFrame *queue_head, *queue_tail;   /* frames waiting for the peer */
    size_t queued;
};

/* The largest frame passed (without FCS), as a jumbo-less Ethernet. */
#define NET_MAX_FRAME 1518
/* Frames kept for a busy peer before further ones are dropped. */
#define NET_MAX_QUEUED 256

NetClient *net_client_new(const NetClientOps *ops, const char *name, void *opaque);
void net_client_free(NetClient *nc);        /* also unlinks its peer */
void net_connect(NetClient *a, NetClient *b);

/* Send a frame to nc's peer: delivered, queued, or (no peer, queue full,
 * too long) dropped.  Returns true unless dropped. */
bool net_send(NetClient *nc, const uint8_t *buf, size_t len);

/* The receiver says it can take frames again: deliver what its peer
 * queued for it, in order, while it accepts them. */
void net_flush(NetClient *receiver);

/* `info network` as QEMU prints it: each NIC, then its peer indented
 * under it (" \\ NAME: ..."), then any client without a peer. */
void net_info(void (*line)(void *opaque, const char *text), void *opaque);

#endif
