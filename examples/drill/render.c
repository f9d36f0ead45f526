/* SPDX-License-Identifier: MIT */
/*
 * render.c - how things look on the terminal: colour (only on a terminal and
 * never with NO_COLOR, see https://no-color.org), word wrapping at a
 * comfortable width, the progress line, the grade legend and the forecast chart.
 */
#include "drill.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int use_colour;
static int use_utf8;
static int width = 72;

/* Lines longer than this are tiring to read, whatever the terminal's width. */
#define MAX_WIDTH 76

static int env_says_utf8(void)
{
    const char *names[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v != NULL && *v != '\0')
            return strstr(v, "UTF-8") != NULL || strstr(v, "utf8") != NULL || strstr(v, "UTF8") != NULL ||
                   strstr(v, "utf-8") != NULL;
    }
    return 0;
}

void render_init(void)
{
    const char *no_colour = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    int tty = isatty(STDOUT_FILENO);
    use_colour = tty && (no_colour == NULL || *no_colour == '\0') && !(term != NULL && strcmp(term, "dumb") == 0);
    use_utf8 = env_says_utf8();
    width = MAX_WIDTH;
    if (tty) {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 && ws.ws_col - 2 < MAX_WIDTH)
            width = ws.ws_col - 2;
    }
}

const char *render_sgr(render_style style)
{
    if (!use_colour)
        return "";
    switch (style) {
    case STYLE_RESET: return "\033[0m";
    case STYLE_BOLD: return "\033[1m";
    case STYLE_DIM: return "\033[2m";
    case STYLE_GREEN: return "\033[32m";
    case STYLE_RED: return "\033[31m";
    case STYLE_YELLOW: return "\033[33m";
    case STYLE_CYAN: return "\033[36m";
    }
    return "";
}

int render_width(void)
{
    return width;
}

void render_padded(const char *text, int columns)
{
    const char *p = text;
    int cols = 0;
    while (*p && cols < columns) {
        p++;
        while (((unsigned char)*p & 0xC0) == 0x80)
            p++; /* the rest of this character */
        cols++;
    }
    printf("%.*s%*s", (int)(p - text), text, columns - cols, "");
}

void render_wrapped(int indent, const char *text)
{
    int avail = width - indent;
    if (avail < 20)
        avail = 20;
    const char *p = text;
    for (;;) {
        const char *end = p + strcspn(p, "\n");
        const char *line = p;
        if (line == end)
            printf("\n");
        while (line < end) {
            /* Take as many characters as fit, then back up to the last blank. */
            const char *q = line, *last_blank = NULL;
            int cols = 0;
            while (q < end && cols < avail) {
                if (*q == ' ')
                    last_blank = q;
                if (((unsigned char)*q & 0xC0) != 0x80)
                    cols++;
                q++;
            }
            while (q < end && ((unsigned char)*q & 0xC0) == 0x80)
                q++; /* never split a UTF-8 character */
            const char *cut = q;
            if (q < end && *q != ' ' && last_blank != NULL && last_blank > line)
                cut = last_blank;
            printf("%*s%.*s\n", indent, "", (int)(cut - line), line);
            line = cut;
            while (line < end && *line == ' ')
                line++;
        }
        if (*end == '\0')
            break;
        p = end + 1;
    }
}

void render_progress(unsigned position, unsigned total, unsigned to_repeat)
{
    printf("%s%u/%u%s", render_sgr(STYLE_BOLD), position, total, render_sgr(STYLE_RESET));
    if (to_repeat > 0)
        printf("%s - %u to repeat%s", render_sgr(STYLE_YELLOW), to_repeat, render_sgr(STYLE_RESET));
}

/* SM-2's own words for the six grades (Wozniak 1990), shortened to one line each. */
static const char *const grade_words[6][2] = {
    {"blackout", "no memory of it at all"},
    {"wrong", "but I knew it once I saw the answer"},
    {"wrong", "but the answer felt easy once shown"},
    {"hard", "right, with serious difficulty"},
    {"good", "right, after some hesitation"},
    {"perfect", "right, at once"},
};

void render_legend(int suggested)
{
    for (int g = 5; g >= 0; g--) {
        int mark = g == suggested;
        printf("  %s%s%d %-9s%s %s%s%s%s\n", mark ? render_sgr(STYLE_BOLD) : "",
               g >= 3 ? render_sgr(STYLE_GREEN) : render_sgr(STYLE_RED), g, grade_words[g][0],
               render_sgr(STYLE_RESET), mark ? "" : render_sgr(STYLE_DIM), grade_words[g][1],
               render_sgr(STYLE_RESET), mark ? "  <- suggested" : "");
    }
}

void render_legend_fsrs(int suggested)
{
    static const char *const words[5][2] = {
        { "", "" },
        { "again", "forgotten: shown again today, as a drill" },
        { "hard", "recalled with serious difficulty" },
        { "good", "recalled" },
        { "easy", "recalled easily" },
    };
    for (int r = 4; r >= 1; r--) {
        int mark = r == suggested;
        printf("  %s%s%d %-9s%s %s%s%s%s\n", mark ? render_sgr(STYLE_BOLD) : "",
               r >= 2 ? render_sgr(STYLE_GREEN) : render_sgr(STYLE_RED), r, words[r][0], render_sgr(STYLE_RESET),
               mark ? "" : render_sgr(STYLE_DIM), words[r][1], render_sgr(STYLE_RESET), mark ? "  <- suggested" : "");
    }
}

const char *render_type_name(uint32_t type)
{
    switch (type) {
    case ALLIANCE_CARD_BASIC: return "basic";
    case ALLIANCE_CARD_CLOZE: return "cloze";
    case ALLIANCE_CARD_CHOICE: return "choice";
    }
    return "unknown";
}

#define CHART_ROWS 8

void render_forecast(const uint32_t *counts, size_t n)
{
    static const char *const eighths[9] = {" ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
                                           "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"};
    uint32_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (counts[i] > max)
            max = counts[i];
    if (max == 0) {
        printf("  nothing due in the next %zu days\n", n);
        return;
    }
    /* Small counts get one row per card, so a single card is not drawn as a tower. */
    const int rows = max < CHART_ROWS ? (int)max : CHART_ROWS;
    char top[16];
    snprintf(top, sizeof top, "%u", max);
    int label = (int)strlen(top);
    for (int row = rows - 1; row >= 0; row--) {
        if (row == rows - 1)
            printf("  %*s |", label, top);
        else
            printf("  %*s |", label, "");
        printf("%s", render_sgr(STYLE_CYAN));
        for (size_t i = 0; i < n; i++) {
            /* Height in eighths of a row; a day with any card shows at least a sliver. */
            uint64_t e = ((uint64_t)counts[i] * (uint64_t)rows * 8 + max - 1) / max;
            if (counts[i] > 0 && e == 0)
                e = 1;
            int64_t fill = (int64_t)e - (int64_t)row * 8;
            if (fill < 0)
                fill = 0;
            if (fill > 8)
                fill = 8;
            if (use_utf8)
                printf("%s ", eighths[fill]);
            else
                printf("%c ", fill >= 4 || (fill > 0 && e < 8) ? '#' : ' ');
        }
        printf("%s\n", render_sgr(STYLE_RESET));
    }
    printf("  %*s +", label, "0");
    for (size_t i = 0; i < n; i++)
        printf("--");
    printf("\n  %*s  ", label, "");
    /* Day labels under every seventh column: today, +7, +14... */
    size_t col = 0;
    for (size_t i = 0; i < n; i += 7) {
        char tag[24];
        if (i == 0)
            snprintf(tag, sizeof tag, "today");
        else
            snprintf(tag, sizeof tag, "+%zu", i);
        while (col < i * 2) {
            putchar(' ');
            col++;
        }
        printf("%s", tag);
        col += strlen(tag);
    }
    printf("\n");
}

/* ---- the heatmap of reviews per day ---- */

/* Monday 0 .. Sunday 6; day 0 (1970-01-01) was a Thursday. */
static int weekday(int64_t day)
{
    return (int)(((day + 3) % 7 + 7) % 7);
}

/* 0 for no answers, else 1..4: the quarter of the busiest day's count it reaches. */
static int heat_level(uint32_t count, uint32_t max)
{
    if (count == 0 || max == 0)
        return 0;
    uint64_t level = ((uint64_t)count * 4 + max - 1) / max;
    return level > 4 ? 4 : (int)level;
}

void render_heatmap(const uint32_t *counts, size_t n, int64_t today)
{
    static const char *const shades[5] = {"\xc2\xb7", "\xe2\x96\x91", "\xe2\x96\x92", "\xe2\x96\x93",
                                          "\xe2\x96\x88"}; /* · ░ ▒ ▓ █ */
    static const char ascii[5] = {'.', '-', '+', '*', '#'};
    static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char *const rows[7] = {"Mon", "", "Wed", "", "Fri", "", "Sun"};
    const int weeks = HEATMAP_WEEKS;
    int64_t last_monday = today - weekday(today);
    int64_t first_monday = last_monday - 7 * (weeks - 1);
    uint32_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (counts[i] > max)
            max = counts[i];

    /* Month names over the first week of each month (where they fit). */
    char line[HEATMAP_WEEKS + 8];
    memset(line, ' ', sizeof line);
    int last_month = -1, free_from = 0;
    for (int w = 0; w < weeks; w++) {
        char date[16];
        timefmt_date(first_monday + 7 * w, date);
        int month = atoi(date + 5) - 1;
        if (month != last_month && w >= free_from && w + 3 <= weeks && month >= 0 && month < 12) {
            memcpy(line + w, months[month], 3);
            free_from = w + 4;
        }
        last_month = month;
    }
    line[weeks] = '\0';
    printf("      %s\n", line);

    for (int row = 0; row < 7; row++) {
        printf("  %-3s ", rows[row]);
        for (int w = 0; w < weeks; w++) {
            int64_t day = first_monday + 7 * w + row;
            int64_t ago = today - day;
            if (ago < 0) { /* later this week */
                putchar(' ');
                continue;
            }
            uint32_t count = (size_t)ago < n ? counts[ago] : 0;
            int level = heat_level(count, max);
            if (level > 0)
                printf("%s", render_sgr(STYLE_GREEN));
            else
                printf("%s", render_sgr(STYLE_DIM));
            if (use_utf8)
                printf("%s", shades[level]);
            else
                putchar(ascii[level]);
            printf("%s", render_sgr(STYLE_RESET));
        }
        putchar('\n');
    }
    printf("      less ");
    for (int level = 0; level <= 4; level++) {
        if (use_utf8)
            printf("%s ", shades[level]);
        else
            printf("%c ", ascii[level]);
    }
    printf("more (busiest day: %u)\n", max);
}

void render_card_options(alliance_render_options *options)
{
    alliance_render_options_init(options, ALLIANCE_RENDER_OPTIONS_VERSION);
    options->flags = ALLIANCE_RENDER_HTML_TEXT | (render_sgr(STYLE_BOLD)[0] ? ALLIANCE_RENDER_HTML_SGR : 0);
}
