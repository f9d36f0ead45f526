/* SPDX-License-Identifier: MIT */
/*
 * sync.h - what the files of lib/sync/ share, and what answer.c needs from
 * sync (a new event's global id). The model is docs/sync.md. The caller holds
 * the handle's mutex; failures are recorded on the handle. Nothing here is API.
 *
 *   identity.c  the collection id, the replica id, numbering local events
 *   groups.c    the table of synced field groups (a later feature adds a row)
 *   format.c    the byte format's primitives (CRC-32, little-endian fields)
 *   writer.c    alliance_sync_state / alliance_sync_changes
 *   reader.c    parsing a changeset record by record, checking limits and the CRC
 *   apply.c     alliance_sync_apply / alliance_sync_clone: merging in one transaction
 *   decks.c     alliance_deck_rename / alliance_deck_delete, and the sweep of deleted decks
 *               (and of a deleted note's cards, for alliance_note_delete)
 */
#ifndef ALLIANCE_SYNC_INTERNAL_H
#define ALLIANCE_SYNC_INTERNAL_H

#include "store/schedule.h"

typedef struct alliance__sync_self {
    uint8_t collection_id[16];
    int64_t replica_id;
    int64_t seq;     /* this replica's last event */
    int64_t lamport; /* the highest stamp made or seen */
} alliance__sync_self;

int alliance__sync_self_get(alliance_db *db, alliance__sync_self *out);
/* Numbers a new local event (a review, a tombstone): one seq and one Lamport tick. */
int alliance__sync_next_event(alliance_db *db, int64_t *out_origin, int64_t *out_seq, int64_t *out_lamport);
/* n (>= 1) events at once, numbered *out_seq.. and *out_lamport.. in turn. */
int alliance__sync_next_events(alliance_db *db, uint32_t n, int64_t *out_origin, int64_t *out_seq,
                               int64_t *out_lamport);

/* ---- the byte format (docs/sync.md; format.c) ---- */

#define ALLIANCE__SYNC_MAGIC "ALLYSYNC"
/* 2: a review carries its kind and fuzz flag (schema 4); 3: and the scheduler in force with its
 * FSRS parameters' text (schema 5); 4: and its import key and recorded schedule (schema 6,
 * Anki history) */
#define ALLIANCE__SYNC_FORMAT 4
#define ALLIANCE__SYNC_FLAG_STATE 1u       /* a state (a version vector), not a changeset */
#define ALLIANCE__SYNC_MAX_RECORD (1u << 20) /* a record's payload, bytes */
#define ALLIANCE__SYNC_MAX_VECTOR 65536u   /* replicas in a version vector */
#define ALLIANCE__SYNC_MAX_VALUES 16       /* values in one field write */
#define ALLIANCE__SYNC_HEADER_FIXED 36     /* magic, version, flags, collection id, sender */

enum {
    ALLIANCE__REC_WRITE = 1,
    ALLIANCE__REC_REVIEW = 2,
    ALLIANCE__REC_TOMBSTONE = 3,
    ALLIANCE__REC_END = 0xFF,
};
#define ALLIANCE__SYNC_END_LEN 44 /* 5 x u64 + u32 CRC */

uint32_t alliance__crc32(uint32_t crc, const void *data, size_t len);
void alliance__put_u16(uint8_t *p, uint16_t v);
void alliance__put_u32(uint8_t *p, uint32_t v);
void alliance__put_u64(uint8_t *p, uint64_t v);
uint16_t alliance__get_u16(const uint8_t *p);
uint32_t alliance__get_u32(const uint8_t *p);
uint64_t alliance__get_u64(const uint8_t *p);

/* ---- field groups (groups.c) ---- */

enum { ALLIANCE__KIND_CARD = 1, ALLIANCE__KIND_DECK = 2, ALLIANCE__KIND_CONFIG = 3 };

typedef struct alliance__sync_value {
    int64_t i;        /* an integer value */
    const char *s;    /* a text value (not NUL-terminated inside a record; len bytes) */
    uint32_t len;
} alliance__sync_value;

/* One field write as it travels. */
typedef struct alliance__sync_write {
    uint8_t kind, grp;
    const char *key;
    uint32_t key_len;
    int64_t lamport, origin, seq;
    uint8_t n;
    alliance__sync_value v[ALLIANCE__SYNC_MAX_VALUES];
} alliance__sync_write;

typedef struct alliance__sync_group {
    uint8_t kind;
    uint8_t grp;
    const char *name;    /* for messages and reports: "card content" */
    const char *types;   /* one letter per value: 'i' integer, 's' text */
    /* Reads the group's values of entity `key` into *w (w->n, w->v; texts stay valid
     * until the next call on the handle's statements: the caller writes them out first). */
    int (*get)(alliance_db *db, const struct alliance__sync_group *g, const char *key, alliance__sync_write *w);
    /* Stores w's values; *out_card_pk is the card touched (0 for other kinds), *out_created 1 if new. */
    int (*put)(alliance_db *db, const struct alliance__sync_group *g, const char *key, const alliance__sync_write *w,
               int64_t *out_card_pk, int *out_created);
    int first; /* settings: the group's first column in GROUP_CONFIG_GET / parameter in _PUT */
} alliance__sync_group;

/* The group (kind, grp), or NULL if this library does not know it. */
const alliance__sync_group *alliance__sync_group_find(uint8_t kind, uint8_t grp);
/* The groups in the order a changeset carries them (decks before the cards that name them). */
const alliance__sync_group *alliance__sync_group_at(size_t i);
size_t alliance__sync_group_count(void);

/* ---- reviews and tombstones as they travel ---- */

typedef struct alliance__sync_review {
    int64_t origin, seq, lamport;
    const char *card_id;
    uint32_t card_id_len;
    int64_t time, sort_time, raw_day;
    uint8_t grade;
    uint32_t answer_ms;
    alliance_sm2_params params;
    uint32_t leech_threshold;
    uint8_t leech_suspend;
    uint8_t kind; /* format 2 on; 0 (a review) in format 1 */
    uint8_t fuzz;
    uint8_t scheduler;       /* format 3 on; 0 (SM-2) before, as a schema-5 upgrade reads old rows */
    const char *fsrs_params; /* format 3 on: under FSRS its parameters' text ("" the defaults) */
    uint32_t fsrs_params_len;
    /* format 4 on: an .apkg import's row (docs/anki.md): Anki's revlog id (0: an answer given
     * here) and, when not 0, the schedule it recorded */
    int64_t import_id;
    alliance_sm2_state import_after;
    int64_t import_due_day;
    uint32_t import_reviews, import_lapses;
} alliance__sync_review;

typedef struct alliance__sync_tombstone {
    int64_t origin, seq, lamport, review_origin, review_seq;
} alliance__sync_tombstone;

/* ---- reading a changeset or a state (reader.c) ---- */

typedef struct alliance__sync_reader {
    alliance__error *err;
    alliance_read_fn read;
    void *opaque;
    uint8_t in[65536];
    size_t in_len, in_pos;
    int eof;
    uint64_t offset;  /* bytes consumed */
    uint32_t crc;     /* of every byte consumed */
    /* the header */
    uint16_t format, flags;
    uint8_t collection_id[16];
    int64_t sender;
    uint32_t nvector, vector_read; /* of the vector being read */
    int vectors_done;              /* 0, 1 (the sender's), 2 (and the base one) */
    /* the current record */
    uint8_t type;
    uint8_t *rec;
    size_t rec_cap;
    uint32_t rec_len;
    uint64_t rec_offset;
    uint64_t records, reviews, tombstones, writes;
} alliance__sync_reader;

void alliance__sync_reader_init(alliance__sync_reader *r, alliance__error *err, alliance_read_fn read, void *opaque);
void alliance__sync_reader_free(alliance__sync_reader *r);
/* Reads the header up to the vector (the vector follows with _vector). */
int alliance__sync_reader_header(alliance__sync_reader *r);
int alliance__sync_reader_vector(alliance__sync_reader *r, int64_t *out_replica, int64_t *out_seq);
/* The next record (r->type, r->rec, r->rec_len): 0, or ALLIANCE_DONE after the end record,
 * its counts and CRC checked and the stream seen to end there. */
int alliance__sync_reader_next(alliance__sync_reader *r);
int alliance__sync_parse_write(alliance__sync_reader *r, alliance__sync_write *out);
int alliance__sync_parse_review(alliance__sync_reader *r, alliance__sync_review *out);
int alliance__sync_parse_tombstone(alliance__sync_reader *r, alliance__sync_tombstone *out);

/* A version vector in memory, sorted by replica (at most ALLIANCE__SYNC_MAX_VECTOR entries). */
typedef struct alliance__sync_vector {
    int64_t *replica;
    int64_t *seq;
    size_t n;
} alliance__sync_vector;
/* Reads r's next version vector into *out: first the sender's, then the base one
 * (the peer state the changeset was written against; empty in a state). */
int alliance__sync_vector_read(alliance__sync_reader *r, alliance__sync_vector *out);
int64_t alliance__sync_vector_get(const alliance__sync_vector *v, int64_t replica); /* 0 if absent */
int alliance__sync_vector_has(const alliance__sync_vector *v, int64_t replica);    /* 1 if it has an entry */
void alliance__sync_vector_free(alliance__sync_vector *v);

/* ---- deleted decks (decks.c) ---- */

/* 1 if some deck or card of the collection was ever deleted (a deck deletion or a card removal
 * stamp exists: alliance_deck_delete, alliance_note_delete), else 0. */
int alliance__sync_any_deck_deleted(alliance_db *db);
/* Before a deck new to this copy takes the sender's id `hint`: if a deck whose deletion
 * is newer than its header holds that id, moves it (and its cards) to a new id. */
int alliance__sync_deck_make_room(alliance_db *db, int64_t hint);
/* Removes the cards whose deck's deletion is newer than their content (their answers
 * get tombstones of this replica), and clears or removes the decks whose deletion is
 * newer than their header. The caller has set sync_self.applying. */
int alliance__sync_sweep(alliance_db *db);
/* Before an apply's records or a local deletion: an empty list of cards to remove. */
int alliance__sync_sweep_begin(alliance_db *db);
/* Adds card_id to the cards the sweep removes when statement `id` (ALLIANCE__SQL_SW_DEAD_BY_*)
 * finds that its removal is newer than its content, given the other write's (lamport, origin). */
int alliance__sync_mark_dead(alliance_db *db, alliance__sql_id id, const char *card_id, int64_t lamport,
                             int64_t origin);
/* Removes note_id's cards in deck_id and their answers as a deck deletion removes its cards: each card
 * gets a removal (card group 2) of this replica, newer than its content, and each answer a
 * tombstone, so the removal reaches every copy. Inside the caller's transaction. */
int alliance__sync_remove_note(alliance_db *db, const char *note_id, int64_t deck_id);

#endif /* ALLIANCE_SYNC_INTERNAL_H */
