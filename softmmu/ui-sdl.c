/*
 * ui-sdl.c — the display in an SDL2 window (-display sdl, or the default
 * when $DISPLAY is set), with the window's keyboard and mouse fed to the
 * machine's (input.h).
 *
 * One thread owns SDL: it initialises the video subsystem, opens the
 * window, handles its events and, about 30 times a second, renders the
 * display (display_update_locked, with the machine lock) and shows it.
 * ui_sdl_start waits for that thread to say whether the window opened, so
 * a failure is an error on the command line, not a silent thread.
 *
 * Keys go by position (SDL scancodes are USB HID usages) as set-2 codes.
 * The mouse is relative, as a PS/2 mouse is: a click in the window grabs
 * it (SDL's relative mode), Ctrl-Alt-G lets it go, as in QEMU.  Closing
 * the window quits, as QEMU's does (SHUTDOWN, reason host-ui).
 */
#include "softmmu/display.h"

#include <stdlib.h>

#ifdef VEMU_HAVE_SDL
#define SDL_MAIN_HANDLED
#include <SDL.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "softmmu/device.h"
#include "softmmu/input.h"
#include "softmmu/runstate.h"

#define REFRESH_MS 33

static pthread_t thread;
static atomic_bool running;
static char *title;
static bool full_screen;

/* start-up handshake */
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cond = PTHREAD_COND_INITIALIZER;
static int start_state;          /* 0 waiting, 1 up, -1 failed */
static char *start_err;

static void started(int state, const char *why)
{
    pthread_mutex_lock(&start_lock);
    start_state = state;
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    if (why && asprintf(&start_err, "cannot open a window on %s%s (SDL: %s)", x && *x ? "DISPLAY=" : "WAYLAND_DISPLAY=",
                        x && *x ? x : wl ? wl : "", why) < 0)
        start_err = NULL;
    pthread_cond_signal(&start_cond);
    pthread_mutex_unlock(&start_lock);
}

typedef struct Window {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    int w, h;
    uint64_t shown;     /* the surface generation on screen */
    bool grabbed;
    unsigned buttons;
} Window;

static void set_title(Window *w)
{
    char t[256];
    snprintf(t, sizeof(t), "%s%s", title, w->grabbed ? " - Press Ctrl-Alt-G to exit grab" : "");
    SDL_SetWindowTitle(w->win, t);
}

static void grab(Window *w, bool on)
{
    w->grabbed = on;
    SDL_SetRelativeMouseMode(on ? SDL_TRUE : SDL_FALSE);
    set_title(w);
}

/* Copy a changed surface into the texture (sizes follow the guest). */
static void refresh(Window *w)
{
    machine_lock();
    const DisplaySurface *s = display_update_locked();
    machine_unlock();
    if (s->pixels && (s->generation != w->shown || !w->tex)) {
        if (!w->tex || s->width != w->w || s->height != w->h) {
            if (w->tex)
                SDL_DestroyTexture(w->tex);
            w->tex = SDL_CreateTexture(w->ren, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING, s->width,
                                       s->height);
            w->w = s->width;
            w->h = s->height;
            SDL_RenderSetLogicalSize(w->ren, w->w, w->h);
            if (!full_screen)
                SDL_SetWindowSize(w->win, w->w, w->h);
        }
        if (w->tex)
            SDL_UpdateTexture(w->tex, NULL, s->pixels, s->width * 4);
        w->shown = s->generation;
    }
    display_unlock_surface();
    SDL_RenderClear(w->ren);
    if (w->tex)
        SDL_RenderCopy(w->ren, w->tex, NULL, NULL);
    SDL_RenderPresent(w->ren);
}

static unsigned ps2_buttons(uint32_t sdl_state)
{
    return (sdl_state & SDL_BUTTON_LMASK ? 1u : 0) | (sdl_state & SDL_BUTTON_RMASK ? 2u : 0) |
           (sdl_state & SDL_BUTTON_MMASK ? 4u : 0);
}

static void handle(Window *w, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        machine_lock();
        runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_UI, 0);
        machine_unlock();
        break;
    case SDL_KEYDOWN:
    case SDL_KEYUP: {
        SDL_Keymod mod = SDL_GetModState();
        if (ev->type == SDL_KEYDOWN && ev->key.keysym.scancode == SDL_SCANCODE_G && (mod & KMOD_CTRL) &&
            (mod & KMOD_ALT)) {
            if (w->grabbed)
                grab(w, false);
            break;
        }
        uint8_t code[2];
        int n = input_hid_to_set2((unsigned)ev->key.keysym.scancode, code);
        if (n) {
            machine_lock();
            input_key_event(code, n, ev->type == SDL_KEYDOWN);
            machine_unlock();
        }
        break;
    }
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (!w->grabbed) {
            if (ev->type == SDL_MOUSEBUTTONDOWN)
                grab(w, true);   /* the grabbing click is not the guest's */
            break;
        }
        w->buttons = ps2_buttons(SDL_GetMouseState(NULL, NULL));
        machine_lock();
        input_mouse_event(0, 0, 0, w->buttons);
        machine_unlock();
        break;
    case SDL_MOUSEMOTION:
        if (!w->grabbed)
            break;
        machine_lock();
        input_mouse_event(ev->motion.xrel, ev->motion.yrel, 0, ps2_buttons(ev->motion.state));
        machine_unlock();
        break;
    case SDL_MOUSEWHEEL:
        if (!w->grabbed)
            break;
        machine_lock();
        input_mouse_event(0, 0, -ev->wheel.y, w->buttons);
        machine_unlock();
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_FOCUS_LOST && w->grabbed)
            grab(w, false);
        break;
    default:
        break;
    }
}

static void *sdl_thread(void *arg)
{
    (void)arg;
    SDL_SetMainReady();
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");   /* vemu's signal thread handles SIGINT/SIGTERM */
    /* a window system, not a fallback (KMS/DRM, offscreen) SDL might pick
     * on its own when the display named by $DISPLAY is not there;
     * $SDL_VIDEODRIVER still has the last word */
    const char *x = getenv("DISPLAY");
    if (!getenv("SDL_VIDEODRIVER"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, x && *x ? "x11" : "wayland");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        started(-1, SDL_GetError());
        return NULL;
    }
    Window w = { 0 };
    uint32_t flags = SDL_WINDOW_RESIZABLE | (full_screen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    w.win = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 640, 480, flags);
    w.ren = w.win ? SDL_CreateRenderer(w.win, -1, 0) : NULL;
    if (!w.ren) {
        started(-1, SDL_GetError());
        if (w.win)
            SDL_DestroyWindow(w.win);
        SDL_Quit();
        return NULL;
    }
    set_title(&w);
    started(1, NULL);
    uint32_t next = SDL_GetTicks();
    while (atomic_load(&running)) {
        SDL_Event ev;
        int32_t wait = (int32_t)(next - SDL_GetTicks());
        if (SDL_WaitEventTimeout(&ev, wait > 0 ? wait : 0)) {
            handle(&w, &ev);
            while (SDL_PollEvent(&ev))
                handle(&w, &ev);
        }
        if ((int32_t)(SDL_GetTicks() - next) >= 0) {
            refresh(&w);
            next = SDL_GetTicks() + REFRESH_MS;
        }
    }
    if (w.tex)
        SDL_DestroyTexture(w.tex);
    SDL_DestroyRenderer(w.ren);
    SDL_DestroyWindow(w.win);
    /* no SDL_Quit: vemu is on its way out, and SDL_Quit would unload the
     * X11 and GL libraries it opened, leaving their allocations nameless
     * to LeakSanitizer (the window is closed above) */
    return NULL;
}

bool ui_sdl_built(void)
{
    return true;
}

#ifdef __SANITIZE_ADDRESS__
/* SDL's X11 video keeps a D-Bus connection (screensaver, input methods)
 * and per-thread data that it never frees: not vemu's leaks.
 * LeakSanitizer asks the program for default suppressions through this
 * function. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libdbus-1.so\nleak:libSDL2-2.0.so\n";
}
#endif

int ui_sdl_start(const char *window_title, bool fs, char **err)
{
    title = strdup(window_title);
    full_screen = fs;
    start_state = 0;
    atomic_store(&running, true);
    if (pthread_create(&thread, NULL, sdl_thread, NULL) != 0) {
        *err = strdup("cannot start the window thread");
        return -1;
    }
    pthread_mutex_lock(&start_lock);
    while (!start_state)
        pthread_cond_wait(&start_cond, &start_lock);
    int state = start_state;
    pthread_mutex_unlock(&start_lock);
    if (state < 0) {
        pthread_join(thread, NULL);
        atomic_store(&running, false);
        free(title);
        title = NULL;
        *err = start_err ? start_err : strdup("SDL failed");
        start_err = NULL;
        return -1;
    }
    return 0;
}

void ui_sdl_stop(void)
{
    if (!atomic_exchange(&running, false))
        return;
    pthread_join(thread, NULL);
    free(title);
    title = NULL;
}

#else /* no SDL2 at build time */

bool ui_sdl_built(void)
{
    return false;
}

int ui_sdl_start(const char *window_title, bool fs, char **err)
{
    (void)window_title;
    (void)fs;
    *err = NULL;
    return -1;
}

void ui_sdl_stop(void)
{
}

#endif
