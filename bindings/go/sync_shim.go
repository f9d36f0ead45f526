// SPDX-License-Identifier: MIT

package alliance

// The C side of sync.go's streams: the library calls these C functions, which call the
// exported Go ones with a cgo.Handle as the opaque pointer (as export_shim.go does).

/*
#include <stdint.h>
#include <alliance.h>

extern int allianceGoWrite(void *opaque, char *data, size_t len);
extern int allianceGoRead(void *opaque, void *buf, size_t cap, size_t *out_len);

static int alliance_go_sync_write(void *opaque, const char *data, size_t len)
{
    return allianceGoWrite(opaque, (char *)data, len);
}

static int alliance_go_sync_read(void *opaque, void *buf, size_t cap, size_t *out_len)
{
    return allianceGoRead(opaque, buf, cap, out_len);
}

int alliance_go_sync_state(alliance_db *db, uintptr_t writer)
{
    return alliance_sync_state(db, alliance_go_sync_write, (void *)writer);
}

int alliance_go_sync_changes(alliance_db *db, uintptr_t reader, uintptr_t writer)
{
    return alliance_sync_changes(db, reader ? alliance_go_sync_read : NULL, (void *)reader, alliance_go_sync_write,
                                 (void *)writer);
}

int alliance_go_sync_apply(alliance_db *db, const alliance_sync_options *options, uintptr_t reader,
                           alliance_sync_report **out)
{
    return alliance_sync_apply(db, options, alliance_go_sync_read, (void *)reader, out);
}

int alliance_go_sync_clone(alliance_db *db, uintptr_t reader, alliance_sync_report **out)
{
    return alliance_sync_clone(db, alliance_go_sync_read, (void *)reader, out);
}
*/
import "C"
