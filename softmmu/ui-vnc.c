/*
 * ui-vnc.c — the display served over VNC (RFB) by libvncserver
 * (-vnc :N, -display vnc=:N), with the clients' keys and pointer fed to
 * the machine's keyboard and mouse (input.h).
 *
 * libvncserver runs the listening socket and one thread per client
 * (rfbRunEventLoop in the background).  A refresh thread of ours renders
 * the display about 30 times a second while at least one client is
 * connected, copies the rows that changed into the server's framebuffer
 * and marks their band modified, so clients get only what changed.
 *
 * Keys: RFB sends X keysyms; they become set-2 codes as a US keyboard
 * gives them (input-keymap.c).  Pointer: RFB's is absolute, the PS/2
 * mouse relative: the motion between two events is sent (as QEMU does
 * for a relative mouse), buttons 1..3 and the wheel (buttons 4, 5).
 *
 * Addresses: ":N" listens on port 5900+N on every interface, "HOST:N"
 * on that IPv4 address only; libvncserver 0.9.14 has no Unix-socket
 * listener, so "unix:PATH" is refused with that reason.
 */
#include "softmmu/display.h"

#include <stdlib.h>
#include <string.h>

#ifdef VEMU_HAVE_VNC
#include <arpa/inet.h>
#include <pthread.h>
#include <rfb/rfb.h>
#include <stdatomic.h>
#include <time.h>

#include "softmmu/device.h"
#include "softmmu/input.h"

#define REFRESH_NS (33 * 1000000L)

static rfbScreenInfoPtr screen;
static pthread_t refresher;
static atomic_bool running;
static atomic_int nclients;
static int vnc_port = -1;
static uint64_t shown_generation;
static bool shown_any;

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
}

static void quiet_log(const char *fmt, ...)
{
    (void)fmt;
}

/* ---- input from clients ---- */

typedef struct ClientState {
    int x, y;
    bool have_pos;
    unsigned buttons;
} ClientState;

static void client_gone(rfbClientPtr cl)
{
    free(cl->clientData);
    cl->clientData = NULL;
    atomic_fetch_sub(&nclients, 1);
}

static void refresh(void);

static enum rfbNewClientAction new_client(rfbClientPtr cl)
{
    cl->clientData = calloc(1, sizeof(ClientState));
    cl->clientGoneHook = client_gone;
    /* bring the size up to date before the server tells the client (in
     * ServerInit): a client only learns of later changes once it has
     * said it understands DesktopSize */
    refresh();
    atomic_fetch_add(&nclients, 1);
    return RFB_CLIENT_ACCEPT;
}

static void key_event(rfbBool down, rfbKeySym sym, rfbClientPtr cl)
{
    (void)cl;
    uint8_t code[2];
    int n = input_keysym_to_set2((uint32_t)sym, code);
    if (!n)
        return;
    machine_lock();
    input_key_event(code, n, down);
    machine_unlock();
}

static void pointer_event(int mask, int x, int y, rfbClientPtr cl)
{
    ClientState *cs = cl->clientData;
    int dx = 0, dy = 0, dz = 0;
    if (cs && cs->have_pos) {
        dx = x - cs->x;
        dy = y - cs->y;
    }
    if (cs) {
        cs->x = x;
        cs->y = y;
        cs->have_pos = true;
    }
    if (mask & 8)
        dz = -1;    /* wheel up: away from the user */
    if (mask & 16)
        dz = 1;
    unsigned buttons = (mask & 1 ? 1u : 0) | (mask & 4 ? 2u : 0) | (mask & 2 ? 4u : 0);
    /* nothing moved or changed (the first event only sets the origin) */
    bool same = cs && !dx && !dy && !dz && buttons == cs->buttons;
    if (cs)
        cs->buttons = buttons;
    if (!same) {
        machine_lock();
        input_mouse_event(dx, dy, dz, buttons);
        machine_unlock();
    }
    rfbDefaultPtrAddEvent(mask, x, y, cl);
}

/* ---- the picture ---- */

/* Copy the surface into the server's framebuffer (same size), marking
 * the band of rows that differ. */
static void push(const DisplaySurface *s)
{
    uint32_t *fb = (uint32_t *)screen->frameBuffer;
    int first = -1, last = -1;
    size_t row = (size_t)s->width * 4;
    for (int y = 0; y < s->height; y++) {
        uint32_t *dst = fb + (size_t)y * s->width;
        const uint32_t *src = s->pixels + (size_t)y * s->width;
        if (memcmp(dst, src, row)) {
            memcpy(dst, src, row);
            if (first < 0)
                first = y;
            last = y;
        }
    }
    if (first >= 0)
        rfbMarkRectAsModified(screen, 0, first, s->width, last + 1);
}

static pthread_mutex_t refresh_lock = PTHREAD_MUTEX_INITIALIZER;

static void refresh(void)
{
    pthread_mutex_lock(&refresh_lock);
    machine_lock();
    const DisplaySurface *s = display_update_locked();
    machine_unlock();
    if (s->pixels && (!shown_any || s->generation != shown_generation)) {
        if (s->width != screen->width || s->height != screen->height) {
            char *old = screen->frameBuffer;
            char *fb = calloc((size_t)s->width * s->height, 4);
            if (fb) {
                rfbNewFramebuffer(screen, fb, s->width, s->height, 8, 3, 4);
                screen->serverFormat.redShift = 16;
                screen->serverFormat.greenShift = 8;
                screen->serverFormat.blueShift = 0;
                free(old);
            }
        }
        if (s->width == screen->width && s->height == screen->height)
            push(s);
        shown_generation = s->generation;
        shown_any = true;
    }
    display_unlock_surface();
    pthread_mutex_unlock(&refresh_lock);
}

static void *refresh_thread(void *arg)
{
    (void)arg;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (atomic_load(&running)) {
        if (atomic_load(&nclients) > 0)
            refresh();
        next.tv_nsec += REFRESH_NS;
        if (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    return NULL;
}

/* ---- the server ---- */

static int parse_spec(const char *spec, in_addr_t *addr, int *port, char **err)
{
    if (!strncmp(spec, "unix:", 5)) {
        set_err(err, "-vnc %s: Unix sockets are not supported (libvncserver %s has no Unix listener)", spec,
                LIBVNCSERVER_VERSION);
        return -1;
    }
    if (strchr(spec, ',')) {
        set_err(err, "-vnc %s: vemu takes no VNC options (only [HOST]:N)", spec);
        return -1;
    }
    const char *colon = strrchr(spec, ':');
    if (!colon) {
        set_err(err, "-vnc %s: expected [HOST]:DISPLAY, e.g. :1 for port 5901", spec);
        return -1;
    }
    char *end;
    long n = strtol(colon + 1, &end, 10);
    if (colon[1] == 0 || *end || n < 0 || n > 65535 - 5900) {
        set_err(err, "-vnc %s: '%s' is not a display number", spec, colon + 1);
        return -1;
    }
    *port = 5900 + (int)n;
    *addr = htonl(INADDR_ANY);
    if (colon != spec) {
        char host[64];
        size_t hl = (size_t)(colon - spec);
        if (hl >= sizeof(host)) {
            set_err(err, "-vnc %s: host name too long", spec);
            return -1;
        }
        memcpy(host, spec, hl);
        host[hl] = 0;
        if (!strcmp(host, "localhost"))
            strcpy(host, "127.0.0.1");
        struct in_addr ia;
        if (inet_pton(AF_INET, host, &ia) != 1) {
            set_err(err, "-vnc %s: '%s' is not an IPv4 address (or localhost)", spec, host);
            return -1;
        }
        *addr = ia.s_addr;
    }
    return 0;
}

bool ui_vnc_built(void)
{
    return true;
}

int ui_vnc_port(void)
{
    return vnc_port;
}

int ui_vnc_start(const char *spec, const char *name, char **err)
{
    in_addr_t addr;
    int port;
    if (parse_spec(spec, &addr, &port, err) < 0)
        return -1;
    rfbLog = quiet_log;
    rfbErr = quiet_log;
    /* the first picture's size; the refresh follows the guest's */
    machine_lock();
    const DisplaySurface *s = display_update_locked();
    machine_unlock();
    int w = s->width, h = s->height;
    display_unlock_surface();
    int argc = 0;
    screen = rfbGetScreen(&argc, NULL, w, h, 8, 3, 4);
    if (!screen) {
        set_err(err, "-vnc %s: cannot set up the VNC server", spec);
        return -1;
    }
    screen->frameBuffer = calloc((size_t)w * h, 4);
    screen->serverFormat.redShift = 16;
    screen->serverFormat.greenShift = 8;
    screen->serverFormat.blueShift = 0;
    screen->desktopName = name ? name : "vemu";
    screen->alwaysShared = TRUE;
    screen->cursor = NULL;   /* no pointer drawn into the picture: the guest draws its own */
    screen->autoPort = FALSE;
    screen->port = port;
    screen->ipv6port = 0;   /* IPv4 only: the v6 socket would take the same port twice */
    screen->listenInterface = addr;
    screen->newClientHook = new_client;
    screen->kbdAddEvent = key_event;
    screen->ptrAddEvent = pointer_event;
    rfbInitServer(screen);
    if (screen->listenSock == RFB_INVALID_SOCKET) {
        set_err(err, "-vnc %s: cannot listen on port %d (in use?)", spec, port);
        free(screen->frameBuffer);
        rfbScreenCleanup(screen);
        screen = NULL;
        return -1;
    }
    vnc_port = port;
    atomic_store(&running, true);
    rfbRunEventLoop(screen, -1, TRUE);
    if (pthread_create(&refresher, NULL, refresh_thread, NULL) != 0) {
        set_err(err, "-vnc %s: cannot start the refresh thread", spec);
        return -1;
    }
    return 0;
}

void ui_vnc_stop(void)
{
    if (!atomic_exchange(&running, false))
        return;
    pthread_join(refresher, NULL);
    rfbShutdownServer(screen, TRUE);
    vnc_port = -1;
    /* the client threads may still be winding down: leave the screen
     * and its framebuffer to process exit */
}

#else /* no libvncserver at build time */

bool ui_vnc_built(void)
{
    return false;
}

int ui_vnc_port(void)
{
    return -1;
}

int ui_vnc_start(const char *spec, const char *name, char **err)
{
    (void)spec;
    (void)name;
    *err = NULL;
    return -1;
}

void ui_vnc_stop(void)
{
}

#endif
