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

#endif /* ALLIANCE_SYNC_INTERNAL_H */
