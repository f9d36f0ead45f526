// SPDX-License-Identifier: MIT

package alliance

// A Go function cannot be passed to C as a function pointer: this C shim hands the
// library a C function that calls the exported Go one (export.go), with the writer's
// cgo.Handle as the opaque pointer. It lives apart from export.go because a file with
// //export may only declare C functions in its preamble, not define them.

/*
#include <stdint.h>
#include <alliance.h>

extern int allianceGoWrite(void *opaque, char *data, size_t len);

static int alliance_go_write(void *opaque, const char *data, size_t len)
{
    return allianceGoWrite(opaque, (char *)data, len);
}

int alliance_go_export(alliance_db *db, int64_t deck_id, uint32_t format, uintptr_t writer)
{
    return alliance_deck_export(db, deck_id, format, alliance_go_write, (void *)writer);
}

int alliance_go_export_any(alliance_db *db, int64_t deck_id, const alliance_export_options *options, int64_t now,
                           uintptr_t writer)
{
    return alliance_export(db, deck_id, options, now, alliance_go_write, (void *)writer);
}

int alliance_go_export_fsrs(alliance_db *db, int64_t deck_id, uintptr_t writer)
{
    return alliance_review_export_fsrs(db, deck_id, alliance_go_write, (void *)writer);
}
*/
import "C"
