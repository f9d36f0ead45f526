/* SPDX-License-Identifier: MIT */
/* html: the HTML of Anki fields as terminal text, and the rule that says when a field holds markup. */
#include "testutil.h"

#include "core/html.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

static char got[4096];

static const char *text_of(const char *html, unsigned flags)
{
    alliance__buf out = {0};
    ck_assert_int_eq(alliance__html_to_text(&out, html, strlen(html), flags), 0);
    ck_assert_uint_lt(out.len, sizeof got);
    memcpy(got, out.data, out.len + 1);
    alliance__buf_free(&out);
    return got;
}

static const char *field_in(const char *html)
{
    alliance__buf out = {0};
    ck_assert_int_eq(alliance__html_field_in(&out, html, strlen(html)), 0);
    memcpy(got, out.data, out.len + 1);
    alliance__buf_free(&out);
    return got;
}

static const char *field_out(const char *text)
{
    alliance__buf out = {0};
    ck_assert_int_eq(alliance__html_field_out(&out, text, strlen(text)), 0);
    memcpy(got, out.data, out.len + 1);
    alliance__buf_free(&out);
    return got;
}

START_TEST(markup_is_a_tag_other_than_br)
{
    static const struct { const char *s; int markup; } cases[] = {
        {"plain text", 0}, {"a<br>b", 0}, {"a<br/>b<BR />c", 0}, {"x &amp; y", 0}, {"1 < 2 and 3 > 2", 0},
        {"a <b>bold</b>", 1}, {"<div>x</div>", 1}, {"<img src=\"a.png\">", 1}, {"a<!-- c -->b", 1},
        {"<b unclosed", 0}, {"</ i>", 0}, {"x</i>", 1}, {"<3 you", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(alliance__html_is_markup(cases[i].s, strlen(cases[i].s)) == cases[i].markup, "case %zu: %s",
                      i, cases[i].s);
}
END_TEST

START_TEST(common_markup_becomes_terminal_text)
{
    ck_assert_str_eq(text_of("<b>bold</b> and <i>italic</i> and <u>under</u>", 0), "bold and italic and under");
    ck_assert_str_eq(text_of("<b>one</b><br>two<br/>three", 0), "one\ntwo\nthree");
    /* Without markup a "<br>" is text: a field of line breaks and entities only was decoded
     * when it was read (alliance__html_field_in), so what is left was typed as text. */
    ck_assert_str_eq(text_of("one<br>two", 0), "one<br>two");
    ck_assert_str_eq(text_of("<div>first</div><div>second</div>", 0), "first\nsecond");
    ck_assert_str_eq(text_of("<p>para one</p><p>para two</p>", 0), "para one\npara two");
    ck_assert_str_eq(text_of("<div><br></div><div>after an empty line</div>", 0), "\nafter an empty line");
    ck_assert_str_eq(text_of("Kinds:<ul><li>trust</li><li>warmth</li></ul>done", 0),
                     "Kinds:\n- trust\n- warmth\ndone");
    ck_assert_str_eq(text_of("<ol><li>one</li><li>two<ul><li>inner</li></ul></li><li>three</li></ol>", 0),
                     "1. one\n2. two\n  - inner\n3. three");
}
END_TEST

START_TEST(bold_italic_and_underline_use_sgr_only_when_asked)
{
    ck_assert_str_eq(text_of("a <b>b</b> <i>i</i> <u>u</u>", ALLIANCE__HTML_SGR),
                     "a \033[1mb\033[22m \033[3mi\033[23m \033[4mu\033[24m");
    /* Nested and unclosed: the style ends where the outermost closes, or at the end. */
    ck_assert_str_eq(text_of("<b><strong>x</strong>y</b>z", ALLIANCE__HTML_SGR), "\033[1mxy\033[22mz");
    ck_assert_str_eq(text_of("<i>open", ALLIANCE__HTML_SGR), "\033[3mopen\033[0m");
}
END_TEST

START_TEST(entities_are_decoded)
{
    ck_assert_str_eq(text_of("<b>&lt;tag&gt; &amp; &quot;q&quot; &apos;s&#39; x&nbsp;y</b>", 0),
                     "<tag> & \"q\" 's' x y");
    ck_assert_str_eq(text_of("<i>caf&eacute; &mdash; &#233; &#xE9; &#x1F600;</i>", 0),
                     "caf\xc3\xa9 \xe2\x80\x94 \xc3\xa9 \xc3\xa9 \xf0\x9f\x98\x80");
    /* Not characters: the replacement character, as a browser shows. */
    ck_assert_str_eq(text_of("<i>&#0; &#xD800; &#x110000;</i>", 0), "\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd");
    /* Unknown or unterminated: left as text. */
    ck_assert_str_eq(text_of("<i>&bogus; &amp &#12a;</i>", 0), "&bogus; &amp &#12a;");
}
END_TEST

START_TEST(images_and_sounds_are_named)
{
    ck_assert_str_eq(text_of("<div>see <img src=\"x.jpg\" alt=\"a > b\"> here</div>", 0), "see [image] here");
    ck_assert_str_eq(text_of("<b>word</b>[sound:word.mp3]", 0), "word[sound]");
    /* Also in a field without markup. */
    ck_assert_str_eq(text_of("listen [sound:a b.mp3] again", 0), "listen [sound] again");
    ck_assert_str_eq(text_of("[sound:unclosed", 0), "[sound:unclosed");
}
END_TEST

START_TEST(whitespace_collapses_as_in_a_browser)
{
    ck_assert_str_eq(text_of("<div>  many   spaces\n and\tlines  </div>\n", 0), "many spaces and lines");
}
END_TEST

START_TEST(scripts_styles_and_comments_show_nothing)
{
    ck_assert_str_eq(text_of("<style>.a{color:red}</style>shown<script>alert('<b>')</script>!", 0), "shown!");
    ck_assert_str_eq(text_of("a<!-- <b>hidden</b> -->b<span class=x>c</span>", 0), "abc");
    ck_assert_str_eq(text_of("<script>never closed", 0), "");
}
END_TEST

START_TEST(malformed_markup_is_shown_as_text)
{
    ck_assert_str_eq(text_of("<b>x</b> 3 < 4 and <unclosed", 0), "x 3 < 4 and <unclosed");
    ck_assert_str_eq(text_of("<b>a</b><", 0), "a<");
}
END_TEST

START_TEST(a_field_without_markup_is_its_own_text)
{
    ck_assert_str_eq(text_of("line one\nline two  with  spaces", 0), "line one\nline two  with  spaces");
    ck_assert_str_eq(text_of("AT&amp;T", 0), "AT&amp;T");
}
END_TEST

START_TEST(the_output_is_utf8_whatever_the_markup)
{
    static const char *const inputs[] = {
        "<b>\xc3\xa9</b>&#x10FFFF;&#1114112;", "<li>\xe2\x80\x94<li>", "&#55296;<i>x", "<ol><li>a<ol><li>b",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *t = text_of(inputs[i], ALLIANCE__HTML_SGR);
        ck_assert_uint_eq(alliance__utf8_check(t, strlen(t)), strlen(t));
    }
}
END_TEST

START_TEST(deep_lists_stay_bounded)
{
    char in[2048] = "";
    for (int i = 0; i < 100; i++)
        strcat(in, "<ol><li>x");
    const char *t = text_of(in, 0);
    ck_assert_ptr_nonnull(strstr(t, "1. x"));
    ck_assert_uint_lt(strlen(t), 100u * 300u);
}
END_TEST

START_TEST(a_field_read_from_html_keeps_markup_and_decodes_escaped_text)
{
    ck_assert_str_eq(field_in("<b>bold</b> &amp; more"), "<b>bold</b> &amp; more");
    ck_assert_str_eq(field_in("one<br>two &amp; three &lt;4&gt;"), "one\ntwo & three <4>");
    ck_assert_str_eq(field_in("plain"), "plain");
}
END_TEST

START_TEST(plain_text_written_as_html_reads_back_the_same)
{
    static const char *const texts[] = {
        "plain", "a & b < c > d", "line one\nline two", "literal <br> in text", "&amp; already", "\"quoted\"",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char html[256];
        snprintf(html, sizeof html, "%s", field_out(texts[i]));
        ck_assert_msg(!alliance__html_is_markup(html, strlen(html)) || strchr(texts[i], '<'), "%s", html);
        ck_assert_str_eq(field_in(html), texts[i]);
    }
    ck_assert_str_eq(field_out("a & b\nc"), "a &amp; b<br>c");
    /* Markup goes out as it is. */
    ck_assert_str_eq(field_out("<b>x</b>\ny"), "<b>x</b>\ny");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("html");
    TCase *t = tcase_create("text");
    tcase_add_test(t, markup_is_a_tag_other_than_br);
    tcase_add_test(t, common_markup_becomes_terminal_text);
    tcase_add_test(t, bold_italic_and_underline_use_sgr_only_when_asked);
    tcase_add_test(t, entities_are_decoded);
    tcase_add_test(t, images_and_sounds_are_named);
    tcase_add_test(t, whitespace_collapses_as_in_a_browser);
    tcase_add_test(t, scripts_styles_and_comments_show_nothing);
    tcase_add_test(t, malformed_markup_is_shown_as_text);
    tcase_add_test(t, a_field_without_markup_is_its_own_text);
    tcase_add_test(t, the_output_is_utf8_whatever_the_markup);
    tcase_add_test(t, deep_lists_stay_bounded);
    suite_add_tcase(s, t);
    TCase *f = tcase_create("fields");
    tcase_add_test(f, a_field_read_from_html_keeps_markup_and_decodes_escaped_text);
    tcase_add_test(f, plain_text_written_as_html_reads_back_the_same);
    suite_add_tcase(s, f);
    return alliance_test_run(s);
}
