/* SPDX-License-Identifier: MIT */
/* cloze: {{cN::text}} and {{cN::text::hint}} deletions, found, checked and rendered. */
#include "testutil.h"

#include "core/cloze.h"

#include <string.h>

static char *rendered;

static void teardown(void)
{
    alliance_free(rendered);
    rendered = NULL;
}

static const char *render(const char *text, uint32_t ordinal, int reveal)
{
    alliance_free(rendered);
    rendered = NULL;
    int rc = alliance_cloze_render(&rendered, text, ordinal, reveal);
    ck_assert_msg(rc == 0, "render of '%s' failed: %d", text, rc);
    return rendered;
}

START_TEST(the_asked_deletion_is_hidden_and_the_others_shown)
{
    const char *text = "Not about {{c1::strict rules}} but {{c2::warmth}}.";
    ck_assert_str_eq(render(text, 1, 0), "Not about [...] but warmth.");
    ck_assert_str_eq(render(text, 2, 0), "Not about strict rules but [...].");
}
END_TEST

START_TEST(reveal_shows_the_hidden_text)
{
    ck_assert_str_eq(render("Not about {{c1::strict rules}} but {{c2::warmth}}.", 1, 1),
                     "Not about strict rules but warmth.");
}
END_TEST

START_TEST(a_hint_replaces_the_dots)
{
    ck_assert_str_eq(render("The capital is {{c1::Paris::a city}}.", 1, 0), "The capital is [a city].");
    ck_assert_str_eq(render("The capital is {{c1::Paris::a city}}.", 1, 1), "The capital is Paris.");
}
END_TEST

START_TEST(deletions_sharing_a_number_are_hidden_together)
{
    ck_assert_str_eq(render("{{c1::A}}, {{c2::B}} and {{c1::C}}", 1, 0), "[...], B and [...]");
}
END_TEST

START_TEST(the_first_double_colon_starts_the_hint)
{
    ck_assert_str_eq(render("{{c1::a::b::c}}", 1, 0), "[b::c]");
    ck_assert_str_eq(render("{{c1::a::b::c}}", 1, 1), "a");
}
END_TEST

START_TEST(single_braces_and_utf8_are_plain_text)
{
    ck_assert_str_eq(render("{x} caf\xC3\xA9 {{c1::\xE2\x80\x9Cquoted\xE2\x80\x9D}} }}", 1, 0),
                     "{x} caf\xC3\xA9 [...] }}");
    ck_assert_str_eq(render("{{c1::a}}}", 1, 1), "a}");
}
END_TEST

START_TEST(two_digit_numbers_work)
{
    ck_assert_str_eq(render("{{c99::last}} {{c10::ten}}", 99, 0), "[...] ten");
}
END_TEST

START_TEST(malformed_text_or_a_bad_ordinal_is_refused_and_out_untouched)
{
    char *out = (char *)"untouched";
    ck_assert_int_eq(alliance_cloze_render(&out, "{{c1::x", 1, 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_cloze_render(&out, "{{C1::x}}", 1, 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_cloze_render(&out, "{{c1::x}}", 0, 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_cloze_render(&out, "{{c1::x}}", 100, 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_cloze_render(&out, NULL, 1, 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_cloze_render(NULL, "{{c1::x}}", 1, 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_cloze_render(&out, "{{c1::x}}", 2, 0), ALLIANCE_ENOTFOUND);
    ck_assert_str_eq(out, "untouched");
}
END_TEST

/* The scanner the parser uses: numbers found, and where a malformed deletion starts. */
static int scan(const char *text, uint32_t *distinct, size_t *offset, const char **message, uint8_t *seen)
{
    return alliance__cloze_scan(text, strlen(text), seen, distinct, offset, message);
}

START_TEST(scan_lists_the_distinct_numbers)
{
    uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
    uint32_t distinct = 0;
    size_t offset = 0;
    const char *message = NULL;
    ck_assert_int_eq(scan("{{c3::a}} {{c1::b}} {{c3::c}}", &distinct, &offset, &message, seen), 0);
    ck_assert_uint_eq(distinct, 2);
    ck_assert_uint_eq(seen[1], 1);
    ck_assert_uint_eq(seen[2], 0);
    ck_assert_uint_eq(seen[3], 1);
    ck_assert_int_eq(scan("no deletion", &distinct, &offset, &message, seen), 0);
    ck_assert_uint_eq(distinct, 0);
}
END_TEST

START_TEST(scan_points_at_the_malformed_deletion)
{
    static const struct { const char *text; size_t offset; const char *message; } cases[] = {
        {"ab {{c1:x}}", 3, "malformed cloze deletion: expected '::' after the deletion number"},
        {"ab {{c1::x", 3, "malformed cloze deletion: no closing '}}'"},
        {"{{x}}", 0, "malformed cloze deletion: expected 'c' and a number 1 to 99 after '{{'"},
        {"{{c01::x}}", 0, "malformed cloze deletion: expected 'c' and a number 1 to 99 after '{{'"},
        {"{{c1::}}", 0, "malformed cloze deletion: empty text"},
        {"{{c1::a::}}", 0, "malformed cloze deletion: empty hint"},
        {"{{c1::a {{c2::b}}}}", 8, "malformed cloze deletion: '{{' inside a deletion"},
        {"{{c1::a}} {{", 10, "malformed cloze deletion: expected 'c' and a number 1 to 99 after '{{'"},
        {"{{c1::a}", 0, "malformed cloze deletion: no closing '}}'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
        uint32_t distinct = 0;
        size_t offset = 99;
        const char *message = NULL;
        ck_assert_int_eq(scan(cases[i].text, &distinct, &offset, &message, seen), ALLIANCE_EPARSE);
        ck_assert_msg(offset == cases[i].offset, "'%s': offset %zu", cases[i].text, offset);
        ck_assert_str_eq(message, cases[i].message);
    }
}
END_TEST

START_TEST(scan_never_reads_past_its_length)
{
    /* The length stops the scan even where the bytes would go on. */
    static const char text[] = "{{c1::a}}";
    uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
    uint32_t distinct;
    size_t offset;
    const char *message;
    for (size_t len = 0; len < sizeof text - 1; len++) {
        int rc = alliance__cloze_scan(text, len, seen, &distinct, &offset, &message);
        if (len >= 2)
            ck_assert_int_eq(rc, ALLIANCE_EPARSE);
        else
            ck_assert_int_eq(rc, 0);
    }
}
END_TEST

static Suite *cloze_suite(void)
{
    Suite *s = suite_create("cloze");
    TCase *tc = tcase_create("render");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, the_asked_deletion_is_hidden_and_the_others_shown);
    tcase_add_test(tc, reveal_shows_the_hidden_text);
    tcase_add_test(tc, a_hint_replaces_the_dots);
    tcase_add_test(tc, deletions_sharing_a_number_are_hidden_together);
    tcase_add_test(tc, the_first_double_colon_starts_the_hint);
    tcase_add_test(tc, single_braces_and_utf8_are_plain_text);
    tcase_add_test(tc, two_digit_numbers_work);
    tcase_add_test(tc, malformed_text_or_a_bad_ordinal_is_refused_and_out_untouched);
    suite_add_tcase(s, tc);
    TCase *sc = tcase_create("scan");
    tcase_add_test(sc, scan_lists_the_distinct_numbers);
    tcase_add_test(sc, scan_points_at_the_malformed_deletion);
    tcase_add_test(sc, scan_never_reads_past_its_length);
    suite_add_tcase(s, sc);
    return s;
}

int main(void)
{
    return alliance_test_run(cloze_suite());
}
