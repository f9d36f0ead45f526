/* SPDX-License-Identifier: MIT */
/* deck_check.c - alliance_deck_check: a deck author's lint, without a collection. */
#include "exchange/formats.h"
#include "interop/apkg.h"

int alliance_deck_check(const char *name, const char *data, size_t len, uint32_t format,
                        alliance_import_report **out_report)
{
    if ((!data && len) || format < ALLIANCE_FORMAT_DECK || format > ALLIANCE_FORMAT_APKG)
        return ALLIANCE_EINVAL;
    alliance__deck deck;
    alliance__apkg pkg;
    alliance__apkg_init(&pkg);
    alliance__buf notices = {0};
    int rc;
    if (format == ALLIANCE_FORMAT_APKG) {
        rc = alliance__apkg_read(&pkg, name ? name : "(buffer)", NULL, data ? data : "", len);
        alliance__deck_init(&deck, pkg.where);
        if (!rc)
            rc = alliance__apkg_to_deck(&pkg, &deck, &notices);
        else if (rc != ALLIANCE_ENOMEM)
            alliance__deck_error(&deck, 0, 0, rc, "%s", pkg.error); /* the package itself is wrong */
    } else {
        alliance__deck_init(&deck, name ? name : "(buffer)");
        rc = alliance__deck_read(&deck, data ? data : "", len, format, NULL);
    }
    if (out_report && rc != ALLIANCE_ENOMEM) {
        alliance__report_counts counts = {0, rc ? 0 : alliance__deck_card_count(&deck), 0, 0, 0};
        alliance__report_extra extra = {NULL, 0, pkg.media, notices.data};
        if (alliance__report_make(out_report, &deck, &counts, &extra) != 0)
            rc = ALLIANCE_ENOMEM;
    }
    alliance__deck_free(&deck);
    alliance__apkg_free(&pkg);
    alliance__buf_free(&notices);
    return rc;
}
