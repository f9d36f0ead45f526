/* SPDX-License-Identifier: MIT */
/*
 * drill.c - today's study session: show a card, reveal it, take a grade, save
 * it (one alliance_session_answer call, one transaction), and so on until the
 * queue is empty or the learner leaves; then a summary.
 */
#include "drill.h"

#include <stdlib.h>
#include <string.h>

enum action { ACT_NEXT, ACT_QUIT, ACT_ERROR };

typedef struct answer_rec {
    char *card_id;
    int grade;
} answer_rec;

typedef struct session_run {
    drill_ctx *ctx;
    alliance_session *session;
    answer_rec *answers; /* this session's answers, for the summary and undo */
    size_t nanswers, cap;
    int64_t start_ms;
    int fsrs;                  /* the collection is scheduled by FSRS: four keys, predicted recall */
    alliance_fsrs_params fsrs_params;
} session_run;

/* ---- multiple choice ---- */

/* Letters a..z name the options; a deck allows 17 (an answer and 16 wrong ones). */
#define MAX_OPTIONS 26

static void print_option(const alliance_rendered_card *r, uint32_t i)
{
    size_t len = strlen(r->options[i]);
    char *line = malloc(len + 8);
    if (line == NULL)
        return;
    snprintf(line, len + 8, "%c) %s", (int)('a' + i), r->options[i]);
    render_wrapped(4, line);
    free(line);
}

/* ---- pieces of the screen ---- */

static void show_header(session_run *run, const alliance_card *card)
{
    alliance_counts counts;
    memset(&counts, 0, sizeof counts);
    counts.version = ALLIANCE_COUNTS_VERSION;
    unsigned position = 1, total = 1, repeat = 0;
    if (alliance_session_counts(run->session, drill_now(run->ctx), &counts) == ALLIANCE_OK) {
        position = counts.answered + 1;
        total = counts.answered + counts.new_cards + counts.due + counts.repeat;
        repeat = counts.repeat;
        if (total < position)
            total = position;
    }
    printf("\n");
    printf("%s", render_sgr(STYLE_DIM));
    for (int i = 0; i < render_width(); i++)
        putchar('-');
    printf("%s\n", render_sgr(STYLE_RESET));
    printf("  ");
    render_progress(position, total, repeat);
    printf("   %s%s%s%s\n\n", render_sgr(STYLE_DIM), card->reviews == 0 ? "new " : "",
           render_type_name(card->type), render_sgr(STYLE_RESET));
}

/* The card's source (the article's title when the deck names it) and its quote. */
static void show_source(session_run *run, const alliance_card *card)
{
    if (card->source_file[0] == '\0')
        return;
    char *title = NULL;
    if (alliance_deck_source_title(run->ctx->db, card->deck_id, card->source_file, &title) != ALLIANCE_OK)
        title = NULL; /* a deck without titles: the file name says enough */
    size_t size = strlen(card->source_file) + (title != NULL ? strlen(title) : 0) + 16;
    char *line = malloc(size);
    if (line != NULL) {
        if (title != NULL)
            snprintf(line, size, "Source: %s (%s)", title, card->source_file);
        else
            snprintf(line, size, "Source: %s", card->source_file);
        printf("\n%s", render_sgr(STYLE_DIM));
        render_wrapped(2, line);
        printf("%s", render_sgr(STYLE_RESET));
        free(line);
    }
    alliance_free(title);
    if (card->source_quote[0] != '\0') {
        size_t len = strlen(card->source_quote);
        char *quoted = malloc(len + 3);
        if (quoted != NULL) {
            snprintf(quoted, len + 3, "\"%s\"", card->source_quote);
            printf("%s", render_sgr(STYLE_DIM));
            render_wrapped(2, quoted);
            printf("%s", render_sgr(STYLE_RESET));
            free(quoted);
        }
    }
}

static void prompt(const char *text)
{
    printf("  %s%s%s ", render_sgr(STYLE_CYAN), text, render_sgr(STYLE_RESET));
    fflush(stdout);
}

/* Echoes the key the learner pressed after a prompt (raw mode does not). */
static void echo_key(int key)
{
    if (key == INPUT_ENTER || key == INPUT_QUIT || key < 32 || key > 126)
        printf("\n");
    else
        printf("%c\n", key);
}

/* ---- the commands available at every prompt ---- */

static enum action do_undo(session_run *run)
{
    char *id = NULL;
    int rc = alliance_session_undo(run->session, &id);
    if (rc == ALLIANCE_ENOUNDO) {
        printf("  Nothing to undo.\n");
        return ACT_NEXT;
    }
    if (rc != ALLIANCE_OK) {
        drill_db_error(run->ctx->db, "undo failed");
        return ACT_ERROR;
    }
    printf("  %sUndone:%s your last answer to %s. Here it is again.\n", render_sgr(STYLE_YELLOW),
           render_sgr(STYLE_RESET), id);
    /* Forget it in this session's tally too (it may be from an earlier session). */
    for (size_t i = run->nanswers; i > 0; i--) {
        if (strcmp(run->answers[i - 1].card_id, id) == 0) {
            free(run->answers[i - 1].card_id);
            memmove(&run->answers[i - 1], &run->answers[i], (run->nanswers - i) * sizeof *run->answers);
            run->nanswers--;
            break;
        }
    }
    alliance_free(id);
    return ACT_NEXT;
}

/* The card on the screen is gone: another window or program deleted its deck (or its note)
 * meanwhile. Nothing is recorded for it; the session goes on with what is left. */
static void deleted_meanwhile(void)
{
    printf("  %sMeanwhile this card was deleted elsewhere (its deck or note, in another window or program): "
           "nothing was recorded for it.%s\n", render_sgr(STYLE_YELLOW), render_sgr(STYLE_RESET));
}

static enum action do_suspend(session_run *run, const alliance_card *card)
{
    int rc = alliance_card_suspend(run->ctx->db, card->id, 1, drill_now(run->ctx));
    if (rc == ALLIANCE_ENOTFOUND) {
        deleted_meanwhile();
        return ACT_NEXT;
    }
    if (rc != ALLIANCE_OK) {
        drill_db_error(run->ctx->db, "cannot suspend %s", card->id);
        return ACT_ERROR;
    }
    printf("  Suspended %s: it will not be scheduled any more.\n", card->id);
    return ACT_NEXT;
}

static int record_answer(session_run *run, const char *card_id, int grade)
{
    if (run->nanswers == run->cap) {
        size_t cap = run->cap == 0 ? 32 : run->cap * 2;
        answer_rec *bigger = realloc(run->answers, cap * sizeof *bigger);
        if (bigger == NULL)
            return -1;
        run->answers = bigger;
        run->cap = cap;
    }
    run->answers[run->nanswers].card_id = strdup(card_id);
    if (run->answers[run->nanswers].card_id == NULL)
        return -1;
    run->answers[run->nanswers++].grade = grade;
    return 0;
}

static enum action answer(session_run *run, const alliance_card *card, int grade, int64_t shown_ms)
{
    drill_ctx *ctx = run->ctx;
    int64_t now = drill_now(ctx);
    int64_t took = drill_clock_ms() - shown_ms;
    uint32_t ms = took < 0 ? 0 : took > 3600000 ? 3600000 : (uint32_t)took;
    alliance_sm2_state after;
    int rc = alliance_session_answer(run->session, card->id, grade, now, ms, &after);
    if (rc == ALLIANCE_ENOTDUE) {
        /* Another window or program got there first (several may study one collection). */
        printf("  %sMeanwhile this card was answered elsewhere (or suspended or buried, in another window or "
               "program): this grade was not recorded.%s\n", render_sgr(STYLE_YELLOW), render_sgr(STYLE_RESET));
        return ACT_NEXT;
    }
    if (rc == ALLIANCE_ENOTFOUND) {
        deleted_meanwhile();
        return ACT_NEXT;
    }
    if (rc != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot save the answer to %s", card->id);
        return ACT_ERROR;
    }
    if (record_answer(run, card->id, grade) != 0) {
        drill_error("out of memory");
        return ACT_ERROR;
    }
    /* A lapse may have made the card a leech (and, by the collection's settings, suspended it). */
    alliance_card *now_card = NULL;
    if (grade < 3 && !card->leech && alliance_card_get(ctx->db, card->id, &now_card) == ALLIANCE_OK &&
        now_card->leech)
        printf("  %sThis card keeps slipping: it is now a leech%s.%s\n", render_sgr(STYLE_YELLOW),
               now_card->suspended ? " and is suspended" : "", render_sgr(STYLE_RESET));
    alliance_free(now_card);
    int64_t today = 0;
    alliance_today(ctx->db, now, &today);
    if (run->fsrs) {
        /* What FSRS predicted for this answer (the card as it was shown), and when it is due now. */
        double recall = 0;
        if (card->reviews > 0 && today >= card->last_review_day &&
            alliance_fsrs_retrievability(&run->fsrs_params, &card->fsrs,
                                         (uint32_t)(today - card->last_review_day), &recall) == ALLIANCE_OK)
            printf("  %sFSRS predicted a %.0f%% chance of recall today.%s\n", render_sgr(STYLE_DIM), recall * 100,
                   render_sgr(STYLE_RESET));
        alliance_card *fresh = NULL;
        if (alliance_card_get(ctx->db, card->id, &fresh) != ALLIANCE_OK) {
            drill_db_error(ctx->db, "cannot read %s", card->id);
            return ACT_ERROR;
        }
        int64_t in = fresh->due_day - today;
        if (in <= 0) {
            printf("  %s-> again today, as a drill that leaves FSRS's memory state as it is%s\n", render_sgr(STYLE_YELLOW),
                   render_sgr(STYLE_RESET));
        } else {
            char date[16];
            timefmt_date(fresh->due_day, date);
            printf("  %s-> next in %lld day%s (%s)%s\n", render_sgr(STYLE_DIM), (long long)in, in == 1 ? "" : "s",
                   date, render_sgr(STYLE_RESET));
        }
        alliance_free(fresh);
        return ACT_NEXT;
    }
    if (after.repeat_today || after.interval_days == 0) {
        printf("  %s-> again today%s\n", render_sgr(STYLE_YELLOW), render_sgr(STYLE_RESET));
    } else {
        char date[16];
        timefmt_date(today + after.interval_days, date);
        printf("  %s-> next in %u day%s (%s)%s\n", render_sgr(STYLE_DIM), after.interval_days,
               after.interval_days == 1 ? "" : "s", date, render_sgr(STYLE_RESET));
    }
    return ACT_NEXT;
}

/* ---- one card ---- */

static enum action drill_card(session_run *run, const alliance_card *card)
{
    int64_t shown_ms = drill_clock_ms();
    int suggested = -1;
    int key;
    show_header(run, card);

    /* The library renders every card type (and shuffles a choice card's options the same
     * way for every app); seed 0 is the order this tool has always shown. */
    alliance_rendered_card *shown = NULL;
    alliance_render_options how;
    render_card_options(&how);
    if (alliance_card_render(&shown, card, &how) != ALLIANCE_OK) {
        drill_error("cannot show card %s", card->id);
        return ACT_ERROR;
    }
    enum action done = ACT_NEXT;
    int answered = 0; /* 1 once the answer was shown: go on to the grade */
    uint32_t options = shown->option_count < MAX_OPTIONS ? shown->option_count : MAX_OPTIONS;

    if (card->type == ALLIANCE_CARD_CHOICE && options > 0) {
        render_wrapped(2, shown->prompt);
        printf("\n");
        for (uint32_t i = 0; i < options; i++)
            print_option(shown, i);
        printf("\n");
        char text[64];
        snprintf(text, sizeof text, "Your pick (a-%c):", (int)('a' + options - 1));
        prompt(text);
        for (;;) {
            key = input_key();
            if (key >= 'a' && key < 'a' + (int)options)
                break;
            if (key == 'q' || key == INPUT_QUIT || key == 'u' || key == 's')
                break;
            /* Another key: on a terminal wait quietly; in a script say what is expected. */
            if (!input_is_terminal()) {
                echo_key(key);
                printf("  Type a letter a-%c, or u, s, q.\n", (int)('a' + options - 1));
                prompt(text);
            }
        }
        echo_key(key);
        /* With 17 or more options q (or s, u) is a letter: the pick wins. */
        if (!(key >= 'a' && key < 'a' + (int)options)) {
            done = key == 'u' ? do_undo(run) : key == 's' ? do_suspend(run, card) : ACT_QUIT;
        } else {
            uint32_t pick = (uint32_t)(key - 'a');
            printf("\n");
            if (pick == shown->correct_option) {
                printf("  %s%sRight!%s\n", render_sgr(STYLE_BOLD), render_sgr(STYLE_GREEN), render_sgr(STYLE_RESET));
                suggested = 4;
            } else {
                printf("  %s%sWrong.%s The answer is:\n", render_sgr(STYLE_BOLD), render_sgr(STYLE_RED),
                       render_sgr(STYLE_RESET));
                print_option(shown, shown->correct_option);
                suggested = 1;
            }
            answered = 1;
        }
    } else {
        render_wrapped(2, shown->prompt);
        printf("\n");
        prompt("Any key shows the answer.");
        key = input_key();
        echo_key(key);
        if (key == 'q' || key == INPUT_QUIT) {
            done = ACT_QUIT;
        } else if (key == 'u') {
            done = do_undo(run);
        } else if (key == 's') {
            done = do_suspend(run, card);
        } else {
            printf("\n  %sAnswer%s\n", render_sgr(STYLE_BOLD), render_sgr(STYLE_RESET));
            printf("%s", render_sgr(STYLE_GREEN));
            render_wrapped(2, shown->answer);
            printf("%s", render_sgr(STYLE_RESET));
            if (shown->extra[0] != '\0')
                render_wrapped(2, shown->extra);
            answered = 1;
        }
    }
    alliance_free(shown);
    if (!answered)
        return done;
    show_source(run, card);

    printf("\n");
    /* Under FSRS four keys rate the answer (1 again .. 4 easy), given to the library as the
     * grades 1, 3, 4, 5 (include/alliance.h, ALLIANCE_SCHEDULER_FSRS). */
    static const int grade_of_rating[5] = { -1, 1, 3, 4, 5 };
    int low = run->fsrs ? '1' : '0', high = run->fsrs ? '4' : '5';
    if (run->fsrs) {
        suggested = suggested < 0 ? -1 : suggested >= 3 ? 3 : 1; /* good or again, as a rating */
        render_legend_fsrs(suggested);
    } else {
        render_legend(suggested);
    }
    const char *ask = run->fsrs ? (suggested >= 0 ? "Your rating (1-4, Enter = suggested; u undo, s suspend, q quit):"
                                                  : "Your rating (1-4; u undo, s suspend, q quit):")
                      : suggested >= 0 ? "Your grade (0-5, Enter = suggested; u undo, s suspend, q quit):"
                                       : "Your grade (0-5; u undo, s suspend, q quit):";
    prompt(ask);
    for (;;) {
        key = input_key();
        int known = (key >= low && key <= high) || (key == INPUT_ENTER && suggested >= 0) || key == 'q' ||
                    key == INPUT_QUIT || key == 'u' || key == 's';
        if (!known) {
            /* On a terminal a stray key is ignored; a script is told what is expected. */
            if (!input_is_terminal()) {
                echo_key(key);
                printf(run->fsrs ? "  Type a rating 1-4, or u, s, q.\n" : "  Type a grade 0-5, or u, s, q.\n");
                prompt(ask);
            }
            continue;
        }
        echo_key(key);
        if (key >= low && key <= high)
            return answer(run, card, run->fsrs ? grade_of_rating[key - '0'] : key - '0', shown_ms);
        if (key == INPUT_ENTER)
            return answer(run, card, run->fsrs ? grade_of_rating[suggested] : suggested, shown_ms);
        if (key == 'q' || key == INPUT_QUIT)
            return ACT_QUIT;
        if (key == 'u')
            return do_undo(run);
        return do_suspend(run, card);
    }
}

/* ---- start and end ---- */

static void show_next_due(drill_ctx *ctx)
{
    enum { HORIZON = 365 };
    uint32_t *counts = calloc(HORIZON, sizeof *counts);
    if (counts == NULL)
        return;
    int64_t now = drill_now(ctx), today = 0;
    if (alliance_forecast(ctx->db, ctx->deck_id, now, counts, HORIZON) == ALLIANCE_OK &&
        alliance_today(ctx->db, now, &today) == ALLIANCE_OK) {
        for (size_t i = 1; i < HORIZON; i++) {
            if (counts[i] > 0) {
                char date[16];
                timefmt_date(today + (int64_t)i, date);
                printf("  Next: %u card%s on %s%s.\n", counts[i], counts[i] == 1 ? "" : "s", date,
                       i == 1 ? " (tomorrow)" : "");
                break;
            }
        }
    }
    free(counts);
}

static void show_summary(session_run *run, int finished)
{
    drill_ctx *ctx = run->ctx;
    size_t distinct = 0;
    unsigned right = 0, wrong = 0;
    for (size_t i = 0; i < run->nanswers; i++) {
        if (run->answers[i].grade >= 3)
            right++;
        else
            wrong++;
        size_t j = 0;
        while (j < i && strcmp(run->answers[j].card_id, run->answers[i].card_id) != 0)
            j++;
        distinct += j == i;
    }
    int64_t secs = (drill_clock_ms() - run->start_ms) / 1000;
    uint32_t due[2] = {0, 0};
    int have_due = alliance_forecast(ctx->db, ctx->deck_id, drill_now(ctx), due, 2) == ALLIANCE_OK;

    printf("\n%s", render_sgr(STYLE_DIM));
    for (int i = 0; i < render_width(); i++)
        putchar('-');
    printf("%s\n", render_sgr(STYLE_RESET));
    printf("  %s%s%s\n\n", render_sgr(STYLE_BOLD), finished ? "All done for today." : "See you soon.",
           render_sgr(STYLE_RESET));
    printf("  Studied    %zu card%s (%zu answer%s)\n", distinct, distinct == 1 ? "" : "s", run->nanswers,
           run->nanswers == 1 ? "" : "s");
    printf("  Right      %s%u%s   wrong %s%u%s\n", render_sgr(STYLE_GREEN), right, render_sgr(STYLE_RESET),
           render_sgr(STYLE_RED), wrong, render_sgr(STYLE_RESET));
    if (secs >= 60)
        printf("  Time       %lld min %lld s\n", (long long)(secs / 60), (long long)(secs % 60));
    else
        printf("  Time       %lld s\n", (long long)secs);
    if (have_due)
        printf("  Tomorrow   %u card%s due\n", due[1], due[1] == 1 ? "" : "s");
}

int drill_session(drill_ctx *ctx, const char *welcome)
{
    session_run run;
    memset(&run, 0, sizeof run);
    run.ctx = ctx;
    run.start_ms = drill_clock_ms();
    uint32_t scheduler = ALLIANCE_SCHEDULER_SM2;
    alliance_fsrs_params_init(&run.fsrs_params, ALLIANCE_FSRS_PARAMS_VERSION);
    if (alliance_scheduler_get(ctx->db, &scheduler) != ALLIANCE_OK ||
        alliance_fsrs_params_get(ctx->db, &run.fsrs_params) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot read the scheduler");
        return DRILL_EXIT_USER;
    }
    run.fsrs = scheduler == ALLIANCE_SCHEDULER_FSRS;
    int cram = strcmp(ctx->opt->command, "cram") == 0;
    alliance_cram_options cram_options = ALLIANCE_CRAM_OPTIONS_INIT;
    cram_options.kind = ctx->opt->cram_review ? ALLIANCE_CRAM_AHEAD : ALLIANCE_CRAM_PREVIEW;
    cram_options.deck_id = ctx->deck_id;
    cram_options.ahead_days = ctx->opt->cram_ahead;
    if ((cram ? alliance_cram_open(&run.session, ctx->db, &cram_options, drill_now(ctx))
              : alliance_session_open(&run.session, ctx->db, ctx->deck_id, drill_now(ctx))) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot start a session");
        return DRILL_EXIT_USER;
    }
    if (welcome != NULL && welcome[0] != '\0') {
        render_wrapped(2, welcome);
        printf("\n");
    }

    alliance_counts counts;
    memset(&counts, 0, sizeof counts);
    counts.version = ALLIANCE_COUNTS_VERSION;
    int rc = alliance_session_counts(run.session, drill_now(ctx), &counts);
    if (rc != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot count today's cards");
        alliance_session_close(run.session);
        return DRILL_EXIT_USER;
    }
    if (cram && counts.new_cards + counts.due == 0) {
        printf("  Nothing to cram: no card %s.\n", ctx->opt->cram_ahead ? "is due in those days" : "is waiting");
        alliance_session_close(run.session);
        return DRILL_EXIT_OK;
    }
    if (cram) {
        printf("  %sCram%s (%s): %u learned, %u new.\n", render_sgr(STYLE_BOLD), render_sgr(STYLE_RESET),
               ctx->opt->cram_review ? "review ahead: answers count" : "preview: answers change no schedule",
               counts.due, counts.new_cards);
    } else if (counts.new_cards + counts.due + counts.repeat == 0) {
        printf("  Nothing to study today.\n");
        show_next_due(ctx);
        alliance_session_close(run.session);
        return DRILL_EXIT_OK;
    }
    if (!cram) {
        printf("  %sToday:%s %u to review, %u new.\n", render_sgr(STYLE_BOLD), render_sgr(STYLE_RESET),
               counts.due + counts.repeat, counts.new_cards);
        drill_exam_lines(ctx, "  ");
    }
    printf("  %sKeys: any key shows the answer, 0-5 grades, u undo, s suspend, q quit.%s\n",
           render_sgr(STYLE_DIM), render_sgr(STYLE_RESET));

    input_open();
    int exit_code = DRILL_EXIT_OK, finished = 0;
    for (;;) {
        alliance_card *card = NULL;
        rc = alliance_session_next(run.session, drill_now(ctx), &card);
        if (rc == ALLIANCE_DONE) {
            finished = 1;
            break;
        }
        if (rc != ALLIANCE_OK) {
            drill_db_error(ctx->db, "cannot read the next card");
            exit_code = DRILL_EXIT_USER;
            break;
        }
        enum action act = drill_card(&run, card);
        alliance_free(card);
        if (act == ACT_ERROR)
            exit_code = DRILL_EXIT_USER;
        if (act != ACT_NEXT)
            break;
    }
    input_close();
    show_summary(&run, finished);
    for (size_t i = 0; i < run.nanswers; i++)
        free(run.answers[i].card_id);
    free(run.answers);
    alliance_session_close(run.session);
    return exit_code;
}
