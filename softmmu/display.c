/*
 * display.c — the shared display surface, the display source, and the
 * choice of UI from the command line (display.h, docs/display.md).
 *
 * One surface: the source renders into it whenever a consumer asks
 * (display_update_locked), so an unwatched display costs nothing.  The
 * surface has its own lock so that a UI thread can copy the picture out
 * without holding the machine lock while it talks to its window system or
 * clients.  Lock order: machine lock, then surface lock.
 */
#include "softmmu/display.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIM 8192
/* QEMU's console before a guest draws anything */
#define EMPTY_W 640
#define EMPTY_H 480

static pthread_mutex_t surface_lock = PTHREAD_MUTEX_INITIALIZER;
static DisplaySurface surface;
static DisplayRenderFn *source_render;
static void *source_opaque;

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
}

int display_surface_resize(DisplaySurface *s, int width, int height)
{
    if (width < 1 || height < 1 || width > MAX_DIM || height > MAX_DIM)
        return -1;
    if (s->pixels && s->width == width && s->height == height)
        return 0;
    uint32_t *p = realloc(s->pixels, (size_t)width * height * 4);
    if (!p)
        return -1;
    s->pixels = p;
    s->width = width;
    s->height = height;
    s->generation++;
    return 0;
}

void display_register_source(DisplayRenderFn *render, void *opaque)
{
    source_render = render;
    source_opaque = opaque;
}

bool display_have_source(void)
{
    return source_render != NULL;
}

const DisplaySurface *display_update_locked(void)
{
    pthread_mutex_lock(&surface_lock);
    if (!surface.pixels) {
        if (display_surface_resize(&surface, EMPTY_W, EMPTY_H) == 0)
            memset(surface.pixels, 0, (size_t)EMPTY_W * EMPTY_H * 4);
    }
    if (source_render && source_render(source_opaque, &surface))
        surface.generation++;
    return &surface;
}

const DisplaySurface *display_lock_surface(void)
{
    pthread_mutex_lock(&surface_lock);
    return &surface;
}

void display_unlock_surface(void)
{
    pthread_mutex_unlock(&surface_lock);
}

int display_screendump(const char *path, const char *format, char **err)
{
    ScreendumpFormat fmt;
    if (screendump_parse_format(format, &fmt) < 0) {
        set_err(err, "Parameter 'format' does not accept value '%s'", format);
        return -1;
    }
    const DisplaySurface *s = display_update_locked();
    int rc = s->pixels ? screendump_write(s, path, fmt, err) : -1;
    if (!s->pixels)
        set_err(err, "no display surface (out of memory)");
    display_unlock_surface();
    return rc;
}

/* ---- choosing the UI ------------------------------------------------------------ */

static bool sdl_running, vnc_running;

static int start_sdl(const DisplayOptions *o, const char *title, char **err)
{
    if (!ui_sdl_built()) {
        set_err(err, "-display sdl: this vemu was built without SDL2 (libsdl2-dev)");
        return -1;
    }
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    if ((!x || !*x) && (!wl || !*wl)) {
        set_err(err, "-display sdl: no display to open a window on ($DISPLAY and $WAYLAND_DISPLAY are not set)");
        return -1;
    }
    char *why = NULL;
    if (ui_sdl_start(title, o->full_screen, &why) < 0) {
        set_err(err, "-display sdl: %s", why ? why : "SDL failed");
        free(why);
        return -1;
    }
    sdl_running = true;
    return 0;
}

static int start_vnc(const char *spec, const char *name, char **err)
{
    if (!ui_vnc_built()) {
        set_err(err, "-vnc %s: this vemu was built without libvncserver (libvncserver-dev)", spec);
        return -1;
    }
    if (ui_vnc_start(spec, name, err) < 0)
        return -1;
    vnc_running = true;
    return 0;
}

int display_start(const DisplayOptions *o, const char *vm_name, char **err)
{
    char title[160];
    snprintf(title, sizeof(title), "%s%svemu", vm_name ? vm_name : "", vm_name ? " - " : "");
    const char *d = o->display;
    if (o->vnc && strcmp(o->vnc, "none") && start_vnc(o->vnc, vm_name, err) < 0)
        return -1;
    if (d) {
        /* the type, then QEMU's ",opt=..." which vemu does not take */
        size_t n = strcspn(d, ",");
        if (!strncmp(d, "none", n) && n == 4)
            return d[n] ? (set_err(err, "-display %s: 'none' takes no options", d), -1) : 0;
        if (!strncmp(d, "sdl", n) && n == 3) {
            if (d[n] && strcmp(d + n, ",full-screen=on")) {
                set_err(err, "-display %s: the only sdl option vemu takes is full-screen=on", d);
                return -1;
            }
            DisplayOptions so = *o;
            so.full_screen |= d[n] != 0;
            return start_sdl(&so, title, err);
        }
        if (!strncmp(d, "vnc=", 4))
            return start_vnc(d + 4, vm_name, err);
        if ((!strncmp(d, "gtk", n) && n == 3) || (!strncmp(d, "curses", n) && n == 6) ||
            (!strncmp(d, "egl-headless", n) && n == 12) || (!strncmp(d, "spice-app", n) && n == 9) ||
            (!strncmp(d, "cocoa", n) && n == 5) || (!strncmp(d, "dbus", n) && n == 4)) {
            set_err(err, "-display %.*s: this display type is not built into vemu (it has sdl, vnc=:N and none)",
                    (int)n, d);
            return -1;
        }
        set_err(err, "-display %s: unknown display type (sdl, vnc=:N or none)", d);
        return -1;
    }
    if (o->nographic || o->vnc)
        return 0;
    /* the default: a window when there is somewhere to show one */
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    if ((!x || !*x) && (!wl || !*wl))
        return 0;
    if (!ui_sdl_built())
        return 0;
    char *why = NULL;
    if (ui_sdl_start(title, o->full_screen, &why) < 0) {
        fprintf(stderr, "vemu-system-arm: note: no display window (%s); running as with -display none\n",
                why ? why : "SDL failed");
        free(why);
    } else {
        sdl_running = true;
    }
    return 0;
}

void display_stop(void)
{
    if (sdl_running)
        ui_sdl_stop();
    if (vnc_running)
        ui_vnc_stop();
    sdl_running = vnc_running = false;
}
