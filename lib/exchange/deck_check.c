/* SPDX-License-Identifier: MIT */
/* deck_check.c - alliance_deck_check: a deck author's lint, without a collection. */
#include "exchange/formats.h"

int alliance_deck_check(const char *name, const char *data, size_t len, uint32_t format,
                        alliance_import_report **out_report)
{
    if ((!data && len) || (format != ALLIANCE_FORMAT_DECK && format != ALLIANCE_FORMAT_ANKI_TEXT))
        return ALLIANCE_EINVAL;
    alliance__deck deck;
    alliance__deck_init(&deck, name ? name : "(buffer)");
    int rc = alliance__deck_read(&deck, data ? data : "", len, format, NULL);
    if (out_report && rc != ALLIANCE_ENOMEM) {
        alliance__report_counts counts = {0, rc ? 0 : alliance__deck_card_count(&deck), 0, 0, 0};
        if (alliance__report_make(out_report, &deck, &counts) != 0)
            rc = ALLIANCE_ENOMEM;
    }
    alliance__deck_free(&deck);
    return rc;
}
