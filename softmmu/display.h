/*
 * display.h — the machine's picture and who looks at it (docs/display.md).
 *
 * A display device (the Versatile PB's PL110 CLCD) registers itself as
 * the display source: a render callback that reads the frame from guest
 * memory in whatever format the guest programmed and converts it into the
 * one surface every consumer shares, 32-bit XRGB (0x00RRGGBB per pixel,
 * rows packed).  Nothing renders unless someone looks: the screendump
 * command, or a UI (SDL window, VNC server) that refreshes at ~30 Hz.
 *
 * Threads: the source renders with the machine lock held (it reads device
 * registers and guest RAM).  display_update and the screendump writers
 * take the surface lock themselves; UIs copy what they need out of the
 * surface under display_lock_surface.
 */
#ifndef VEMU_SOFTMMU_DISPLAY_H
#define VEMU_SOFTMMU_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct DisplaySurface {
    int width, height;      /* pixels; the stride is width */
    uint32_t *pixels;       /* 0x00RRGGBB */
    uint64_t generation;    /* bumped by every render that changed a pixel or the size */
} DisplaySurface;

/* Size the surface (contents undefined afterwards).  0, or -1 when out of
 * memory or the size is not 1..8192 in each direction. */
int display_surface_resize(DisplaySurface *s, int width, int height);

/* The display source (one per machine; NULL render: none).  render fills
 * s with the current picture (resizing it as the guest's mode says) and
 * returns true when anything changed since the last call.  Machine lock
 * held. */
typedef bool DisplayRenderFn(void *opaque, DisplaySurface *s);
void display_register_source(DisplayRenderFn *render, void *opaque);
bool display_have_source(void);

/* Render now (machine lock held by the caller) and return the surface,
 * locked: the caller reads it and then calls display_unlock_surface.
 * Without a source the surface is QEMU's empty 640x480 black screen. */
const DisplaySurface *display_update_locked(void);
/* The last rendered surface, locked (no rendering; any thread). */
const DisplaySurface *display_lock_surface(void);
void display_unlock_surface(void);

/* ---- screendump (screendump.c) ---- */
typedef enum ScreendumpFormat { SCREENDUMP_PPM, SCREENDUMP_PNG } ScreendumpFormat;
/* "ppm" or "png" (NULL: ppm, QEMU's default); -1 on any other name. */
int screendump_parse_format(const char *name, ScreendumpFormat *fmt);
/* Write s to path (machine lock held by the caller: it renders first).
 * 0, or -1 with a message in *err (malloc'd) naming the path and why. */
int screendump_write(const DisplaySurface *s, const char *path, ScreendumpFormat fmt, char **err);
/* The monitors' screendump: render, then write.  0 or -1 with *err. */
int display_screendump(const char *path, const char *format, char **err);

/* ---- the UIs (-display, -vnc, -nographic) ---- */
typedef struct DisplayOptions {
    const char *display;     /* -display ARG (NULL: the default) */
    const char *vnc;         /* -vnc DISPLAY (NULL: none) */
    bool nographic;          /* -nographic */
    bool full_screen;        /* -full-screen */
} DisplayOptions;

/* Start what the options ask for, after the board is built and before
 * the event loop starts.  0, or -1 with *err (malloc'd).  The default
 * (no -display, no -nographic) is an SDL window when $DISPLAY or
 * $WAYLAND_DISPLAY is set and SDL starts, else no display (with a note on
 * stderr when a display was set but SDL could not use it). */
int display_start(const DisplayOptions *o, const char *vm_name, char **err);
/* Close windows and servers (at exit). */
void display_stop(void);

/* The UI backends (ui-sdl.c, ui-vnc.c): start returns 0, or -1 with *err. */
int ui_sdl_start(const char *title, bool full_screen, char **err);
void ui_sdl_stop(void);
bool ui_sdl_built(void);
int ui_vnc_start(const char *spec, const char *name, char **err);
void ui_vnc_stop(void);
bool ui_vnc_built(void);
/* The VNC server's port (-1: none), for `info vnc` and tests. */
int ui_vnc_port(void);

#endif
