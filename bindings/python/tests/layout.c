/* SPDX-License-Identifier: MIT */
/* layout.c - prints the size of every public struct and the offset and size
 * of each field, as the C compiler lays them out from include/alliance.h.
 * test_capi.py compares this with the ctypes mirror in alliance/capi.py, so a
 * field added to the header but not to the binding turns the test red.
 * Output lines: "STRUCT SIZE" and "STRUCT.FIELD OFFSET SIZE". */
#include <alliance.h>
#include <stddef.h>
#include <stdio.h>

#define S(type) printf("%s %zu\n", #type, sizeof(type))
#define F(type, field) \
    printf("%s.%s %zu %zu\n", #type, #field, offsetof(type, field), sizeof(((type *)0)->field))

int main(void)
{
    S(alliance_allocator);
    F(alliance_allocator, version); F(alliance_allocator, malloc_fn); F(alliance_allocator, realloc_fn);
    F(alliance_allocator, free_fn); F(alliance_allocator, opaque);

    S(alliance_sm2_state);
    F(alliance_sm2_state, repetitions); F(alliance_sm2_state, efactor_milli);
    F(alliance_sm2_state, interval_days); F(alliance_sm2_state, repeat_today);

    S(alliance_sm2_params);
    F(alliance_sm2_params, version); F(alliance_sm2_params, preset);
    F(alliance_sm2_params, initial_efactor_milli); F(alliance_sm2_params, min_efactor_milli);
    F(alliance_sm2_params, first_interval_days); F(alliance_sm2_params, second_interval_days);
    F(alliance_sm2_params, max_interval_days);

    S(alliance_fsrs_params);
    F(alliance_fsrs_params, version); F(alliance_fsrs_params, weights); F(alliance_fsrs_params, desired_retention);
    F(alliance_fsrs_params, max_interval_days);

    S(alliance_fsrs_state);
    F(alliance_fsrs_state, stability); F(alliance_fsrs_state, difficulty); F(alliance_fsrs_state, interval_days);

    S(alliance_open_options);
    F(alliance_open_options, version); F(alliance_open_options, flags); F(alliance_open_options, synchronous);
    F(alliance_open_options, busy_timeout_ms); F(alliance_open_options, utc_offset_seconds);

    S(alliance_config);
    F(alliance_config, version); F(alliance_config, new_per_day); F(alliance_config, reviews_per_day);
    F(alliance_config, rollover_hour); F(alliance_config, leech_threshold); F(alliance_config, leech_suspend);

    S(alliance_note);
    F(alliance_note, version); F(alliance_note, type); F(alliance_note, id); F(alliance_note, front);
    F(alliance_note, back); F(alliance_note, wrong); F(alliance_note, tags); F(alliance_note, source_file);
    F(alliance_note, source_quote);

    S(alliance_card);
    F(alliance_card, version); F(alliance_card, type); F(alliance_card, id); F(alliance_card, note_id);
    F(alliance_card, ordinal); F(alliance_card, deck_id); F(alliance_card, front); F(alliance_card, back);
    F(alliance_card, wrong); F(alliance_card, tags); F(alliance_card, source_file);
    F(alliance_card, source_quote); F(alliance_card, created); F(alliance_card, modified);
    F(alliance_card, suspended); F(alliance_card, leech); F(alliance_card, state); F(alliance_card, due_day);
    F(alliance_card, last_review_day); F(alliance_card, buried_until_day); F(alliance_card, reviews);
    F(alliance_card, lapses); F(alliance_card, fsrs); F(alliance_card, fsrs_drill);
    F(alliance_card, retrievability_day); F(alliance_card, fsrs_retrievability);

    S(alliance_review);
    F(alliance_review, version); F(alliance_review, review_id); F(alliance_review, card_id);
    F(alliance_review, time); F(alliance_review, day); F(alliance_review, grade); F(alliance_review, before);
    F(alliance_review, after); F(alliance_review, elapsed_days); F(alliance_review, answer_ms);
    F(alliance_review, params); F(alliance_review, origin_replica); F(alliance_review, origin_seq);
    F(alliance_review, scheduler); F(alliance_review, fsrs_params);
    F(alliance_review, import_id);

    S(alliance_counts);
    F(alliance_counts, version); F(alliance_counts, new_cards); F(alliance_counts, due);
    F(alliance_counts, repeat); F(alliance_counts, answered);

    S(alliance_stats);
    F(alliance_stats, version); F(alliance_stats, total); F(alliance_stats, new_cards);
    F(alliance_stats, learned); F(alliance_stats, due_today); F(alliance_stats, suspended);
    F(alliance_stats, leeches); F(alliance_stats, window_days); F(alliance_stats, reviews);
    F(alliance_stats, correct); F(alliance_stats, true_reviews); F(alliance_stats, true_passed);
    F(alliance_stats, mature_reviews); F(alliance_stats, mature_passed); F(alliance_stats, timed_answers);
    F(alliance_stats, average_answer_ms);
    S(alliance_exam_status);
    F(alliance_exam_status, version); F(alliance_exam_status, has_exam); F(alliance_exam_status, exam_day);
    F(alliance_exam_status, final_days); F(alliance_exam_status, new_cards); F(alliance_exam_status, ready_by_day);
    F(alliance_exam_status, pace); F(alliance_exam_status, introduced_today);
    S(alliance_cram_options);
    F(alliance_cram_options, version); F(alliance_cram_options, kind); F(alliance_cram_options, deck_id);
    F(alliance_cram_options, text); F(alliance_cram_options, ahead_days);
    S(alliance_study_settings);
    F(alliance_study_settings, version); F(alliance_study_settings, bury_siblings);
    F(alliance_study_settings, fuzz);

    S(alliance_import_options);
    F(alliance_import_options, version); F(alliance_import_options, format);
    F(alliance_import_options, deck_name); F(alliance_import_options, dry_run);

    S(alliance_import_deck);
    F(alliance_import_deck, version); F(alliance_import_deck, deck_id); F(alliance_import_deck, deck_name);
    F(alliance_import_deck, added); F(alliance_import_deck, updated); F(alliance_import_deck, unchanged);
    F(alliance_import_deck, suspended);

    S(alliance_export_options);
    F(alliance_export_options, version); F(alliance_export_options, format); F(alliance_export_options, flags);

    S(alliance_import_report);
    F(alliance_import_report, version); F(alliance_import_report, deck_id);
    F(alliance_import_report, deck_name); F(alliance_import_report, added); F(alliance_import_report, updated);
    F(alliance_import_report, unchanged); F(alliance_import_report, suspended);
    F(alliance_import_report, error_count); F(alliance_import_report, errors);
    F(alliance_import_report, deck_count); F(alliance_import_report, decks); F(alliance_import_report, media);
    F(alliance_import_report, notices);

    S(alliance_deck_info);
    F(alliance_deck_info, version); F(alliance_deck_info, id); F(alliance_deck_info, name);
    F(alliance_deck_info, description); F(alliance_deck_info, created); F(alliance_deck_info, modified);
    F(alliance_deck_info, total); F(alliance_deck_info, new_cards); F(alliance_deck_info, learned);
    F(alliance_deck_info, due_today); F(alliance_deck_info, suspended); F(alliance_deck_info, leeches);

    S(alliance_render_options);
    F(alliance_render_options, version); F(alliance_render_options, flags); F(alliance_render_options, seed);

    S(alliance_rendered_card);
    F(alliance_rendered_card, version); F(alliance_rendered_card, type); F(alliance_rendered_card, prompt);
    F(alliance_rendered_card, answer); F(alliance_rendered_card, extra); F(alliance_rendered_card, option_count);
    F(alliance_rendered_card, correct_option); F(alliance_rendered_card, options);

    S(alliance_sync_options);
    F(alliance_sync_options, version); F(alliance_sync_options, force);

    S(alliance_sync_report);
    F(alliance_sync_report, version); F(alliance_sync_report, sender_replica); F(alliance_sync_report, bytes);
    F(alliance_sync_report, reviews); F(alliance_sync_report, tombstones); F(alliance_sync_report, reviews_removed);
    F(alliance_sync_report, cards); F(alliance_sync_report, cards_added); F(alliance_sync_report, decks);
    F(alliance_sync_report, settings); F(alliance_sync_report, already_held); F(alliance_sync_report, cards_replayed);
    F(alliance_sync_report, conflicts); F(alliance_sync_report, conflicts_kept_local);
    F(alliance_sync_report, conflicts_kept_remote); F(alliance_sync_report, conflict_text);

    S(alliance_scheduler_report);
    F(alliance_scheduler_report, version); F(alliance_scheduler_report, scheduler);
    F(alliance_scheduler_report, cards); F(alliance_scheduler_report, reviews);
    F(alliance_scheduler_report, due_earlier); F(alliance_scheduler_report, due_later);
    F(alliance_scheduler_report, due_today);
    S(alliance_lint_options);
    F(alliance_lint_options, version); F(alliance_lint_options, format);
    F(alliance_lint_options, sources_dir); F(alliance_lint_options, similarity_milli);

    S(alliance_lint_warning);
    F(alliance_lint_warning, version); F(alliance_lint_warning, code); F(alliance_lint_warning, name);
    F(alliance_lint_warning, line); F(alliance_lint_warning, column); F(alliance_lint_warning, note_id);
    F(alliance_lint_warning, other_id); F(alliance_lint_warning, message);

    S(alliance_lint_report);
    F(alliance_lint_report, version); F(alliance_lint_report, note_count);
    F(alliance_lint_report, warning_count); F(alliance_lint_report, warnings); F(alliance_lint_report, text);
    F(alliance_lint_report, error_count); F(alliance_lint_report, errors);
    return 0;
}
