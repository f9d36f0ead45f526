/* SPDX-License-Identifier: MIT */
/*
 * input.c - keys from the learner.
 *
 * On a terminal: raw mode (no line buffering, no echo), one key per keystroke.
 * The terminal's settings are restored on every way out: input_close(), exit()
 * (atexit), and the signals that end the process (SIGTERM, SIGHUP, SIGQUIT,
 * SIGPIPE) whose handler restores and then re-raises. Ctrl-C (SIGINT) does not
 * kill: it makes the pending read return INPUT_QUIT so the session ends with
 * its summary. Answers are saved as they are given, so every way out is safe.
 *
 * Not a terminal (a pipe, a file): one key per line, so sessions can be
 * scripted; the key is the line's first non-blank byte, an empty line is Enter.
 */
#include "drill.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int is_tty;
static int raw_on;
static struct termios saved;
static volatile sig_atomic_t interrupted;
static int handlers_installed;

static void restore_terminal(void)
{
    if (raw_on) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        raw_on = 0;
    }
}

static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Only async-signal-safe calls here: tcsetattr, signal, raise. */
static void on_fatal(int sig)
{
    if (raw_on)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    handlers_installed = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a Ctrl-C must interrupt the read that waits for a key. */
    sa.sa_handler = on_interrupt;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_fatal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    atexit(restore_terminal);
}

void input_open(void)
{
    install_handlers();
    is_tty = isatty(STDIN_FILENO);
    if (!is_tty || raw_on)
        return;
    if (tcgetattr(STDIN_FILENO, &saved) != 0) {
        is_tty = 0;
        return;
    }
    struct termios raw = saved;
    /* ISIG stays on, so Ctrl-C is a SIGINT the handler above turns into "quit". */
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0)
        raw_on = 1;
    else
        is_tty = 0;
}

int input_is_terminal(void)
{
    return is_tty;
}

void input_close(void)
{
    restore_terminal();
}

/* One byte from stdin: the byte, 0 on EOF, -1 on error or interruption. */
static int read_byte(unsigned char *c)
{
    if (interrupted)
        return -1;
    ssize_t n = read(STDIN_FILENO, c, 1);
    if (n == 1)
        return 1;
    return n == 0 ? 0 : -1;
}

/* Discards the rest of a multi-byte key (an escape sequence, a UTF-8 character)
 * already waiting, so that one keystroke is one key. */
static void drain_pending(void)
{
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    unsigned char c;
    while (poll(&p, 1, 10) == 1 && (p.revents & POLLIN)) {
        if (read(STDIN_FILENO, &c, 1) != 1)
            break;
    }
}

static int key_from_terminal(void)
{
    unsigned char c;
    int rc = read_byte(&c);
    if (rc <= 0)
        return INPUT_QUIT;
    if (c == 3 || c == 4) /* Ctrl-C without ISIG, Ctrl-D */
        return INPUT_QUIT;
    if (c == '\r' || c == '\n')
        return INPUT_ENTER;
    if (c == 27 || c >= 0x80) {
        drain_pending();
        return c == 27 ? 27 : 0x80;
    }
    return c;
}

static int key_from_line(void)
{
    int key = -2;
    for (;;) {
        unsigned char c;
        int rc = read_byte(&c);
        if (rc < 0)
            return INPUT_QUIT;
        if (rc == 0)
            return key == -2 ? INPUT_QUIT : key; /* a last line without '\n' still counts */
        if (c == '\n')
            return key == -2 ? INPUT_ENTER : key;
        if (key == -2 && c != ' ' && c != '\t' && c != '\r')
            key = c;
    }
}

int input_key(void)
{
    fflush(stdout);
    return is_tty ? key_from_terminal() : key_from_line();
}
