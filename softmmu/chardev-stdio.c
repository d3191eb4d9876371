/*
 * chardev-stdio.c — the terminal as a chardev (-serial stdio, -nographic).
 *
 * When stdin is a terminal it is put in raw mode, so every key (Ctrl-C
 * too) reaches the guest and the Ctrl-A mux sees its escapes; output
 * processing stays on, as the guest's "\r\n" needs nothing else.  The
 * terminal is put back at exit, by main_loop_stop, and on the fatal
 * signals whose handlers are still the default.  When stdin is not a
 * terminal (a pipe, /dev/null) it is only read, never reconfigured.
 *
 * Output is written blocking: a terminal or a pipe keeps up, and a slow
 * reader should slow the guest rather than lose its console.
 */
#include "softmmu/chardev-internal.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static bool stdio_in_use;
static bool term_saved;
static struct termios term_orig;

static void term_restore(void)
{
    if (term_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &term_orig);
}

static const int fatal_signals[] = { SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };

static void fatal_signal(int sig)
{
    /* tcsetattr is async-signal-safe; then die as the signal meant */
    term_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_fatal_handlers(void)
{
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        struct sigaction old;
        if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL &&
            !(old.sa_flags & SA_SIGINFO)) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = fatal_signal;
            sigemptyset(&sa.sa_mask);
            sa.sa_flags = SA_RESETHAND;
            sigaction(fatal_signals[i], &sa, NULL);
        }
    }
}

static void term_make_raw(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &term_orig) < 0)
        return;
    term_saved = true;
    struct termios t = term_orig;
    t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag &= ~(CSIZE | PARENB);
    t.c_cflag |= CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
    atexit(term_restore);
    main_loop_add_exit_hook(term_restore);
    install_fatal_handlers();
}

static void stdio_close(Chardev *c)
{
    (void)c;
    term_restore();
    stdio_in_use = false;
    /* fds 0 and 1 stay open: they are the process's own */
}

bool chardev_stdio_open(Chardev *c, char **err)
{
    if (stdio_in_use) {
        *err = strdup("stdio is already used by another character device");
        return false;
    }
    stdio_in_use = true;
    term_make_raw();
    c->in_fd = STDIN_FILENO;
    c->out_fd = STDOUT_FILENO;
    c->out_blocking = true;
    c->close = stdio_close;
    return true;
}
