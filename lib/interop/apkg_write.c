/* SPDX-License-Identifier: MIT */
/* apkg_write.c - a collection's decks as a legacy Anki package (schema 11). */
#include "interop/apkg.h"

#include "store/store.h"

int alliance__apkg_export(alliance_db *db, const int64_t *ids, uint32_t n, int64_t now, alliance_write_fn write,
                          void *opaque)
{
    (void)ids, (void)n, (void)now, (void)write, (void)opaque;
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL, "not written yet"));
}
