/* SPDX-License-Identifier: MIT */
/*
 * deck_source.c - the titles of the articles a deck cites. A deck's header
 * lists "source: FILE | TITLE" lines and each card names only FILE; an app
 * shows the title. The store keeps the header's sources as "FILE | TITLE"
 * lines (store.h); this file only reads them.
 */
#include "store/store.h"

#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Finds FILE's title in the stored "FILE | TITLE\n..." text; a new string or NULL. */
static char *find_title(const char *sources, const char *file, int *out_oom)
{
    size_t file_len = strlen(file);
    *out_oom = 0;
    for (const char *line = sources; line != NULL && *line != '\0';) {
        const char *end = line + strcspn(line, "\n");
        const char *bar = memchr(line, '|', (size_t)(end - line));
        if (bar != NULL) {
            const char *f = line, *f_end = bar;
            while (f < f_end && is_blank(*f))
                f++;
            while (f_end > f && is_blank(f_end[-1]))
                f_end--;
            if ((size_t)(f_end - f) == file_len && memcmp(f, file, file_len) == 0) {
                const char *t = bar + 1, *t_end = end;
                while (t < t_end && is_blank(*t))
                    t++;
                while (t_end > t && (is_blank(t_end[-1]) || t_end[-1] == '\r'))
                    t_end--;
                char *title = alliance__strndup(t, (size_t)(t_end - t));
                *out_oom = title == NULL;
                return title;
            }
        }
        line = *end == '\n' ? end + 1 : end;
    }
    return NULL;
}

int alliance_deck_source_title(alliance_db *db, int64_t deck_id, const char *source_file, char **out_title)
{
    int rc = alliance__db_enter(db);
    if (rc != ALLIANCE_OK)
        return rc;
    if (source_file == NULL || out_title == NULL || deck_id <= 0)
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL,
                                                          "alliance_deck_source_title: %s",
                                                          deck_id <= 0 ? "deck_id must be positive"
                                                                       : "source_file and out_title must not be NULL"));
    char *name = NULL, *description = NULL, *sources = NULL;
    rc = alliance__store_deck_get(db, deck_id, &name, &description, &sources);
    if (rc == ALLIANCE_OK) {
        int oom;
        char *title = find_title(sources, source_file, &oom);
        if (title != NULL)
            *out_title = title;
        else if (oom)
            rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory");
        else
            rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOTFOUND,
                                     "deck '%s' lists no source '%s'", name, source_file);
    }
    alliance__free(name);
    alliance__free(description);
    alliance__free(sources);
    return alliance__db_leave(db, rc);
}
