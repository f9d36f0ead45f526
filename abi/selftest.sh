#!/bin/sh
# SPDX-License-Identifier: MIT
# Proves that abi/check.sh (with its suppressions) turns red on the
# breaks docs/abi.md forbids and stays green on the changes it allows: a tiny
# library shaped like liballiance is built in variants and compared with a
# baseline of its first version, made as scripts/abi-update.sh makes the real one.
# Usage: abi/selftest.sh CC
set -u
cc=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/include"

cat > "$tmp/include/alliance.h" <<'H'
#include <stdint.h>
#define ALLIANCE_API __attribute__((visibility("default")))
typedef struct alliance_config {        /* versioned: may grow at its end */
    uint32_t version;
#ifdef CONFIG_INSERT
    uint64_t inserted;
#endif
#ifdef CONFIG_RETYPE
    uint64_t new_per_day;
#else
    uint32_t new_per_day;
#endif
#ifdef CONFIG_APPEND
    uint32_t appended;
#endif
} alliance_config;
typedef struct alliance_sm2_state {     /* frozen */
    uint32_t repetitions;
    uint32_t efactor_milli;
#ifdef STATE_APPEND
    uint32_t appended;
#endif
} alliance_sm2_state;
typedef struct alliance_card {          /* allocated by the library: may grow at its end */
    uint32_t version;
    const char *id;
#ifdef CARD_WIDEN
    uint64_t ordinal;                   /* into the padding: no offset or size changes */
#else
    uint32_t ordinal;
#endif
} alliance_card;
ALLIANCE_API int alliance_card_get(alliance_card **out);
typedef struct alliance_db alliance_db;            /* opaque handles */
typedef struct alliance_session alliance_session;
ALLIANCE_API int alliance_close(alliance_db *db);
#ifdef SIGNATURE
ALLIANCE_API int alliance_config_get(alliance_config *out, int flags);
#else
ALLIANCE_API int alliance_config_get(alliance_config *out);
#endif
ALLIANCE_API int alliance_sm2_next(const alliance_sm2_state *in, alliance_sm2_state *out);
#ifndef REMOVE
ALLIANCE_API int alliance_old(void);
#endif
#ifdef ADD
ALLIANCE_API int alliance_new(void);
#endif
H
cat > "$tmp/lib.c" <<'C'
#include "alliance.h"
struct alliance_db {                   /* private to the library */
    int fd;
#ifdef HANDLE_GROWS
    long long cache[4];
#endif
};
struct alliance_session { alliance_db *db; };
int alliance_close(alliance_db *db) { return db ? db->fd : 0; }
static alliance_card card;
int alliance_card_get(alliance_card **out) { *out = &card; return 0; }
#ifdef SIGNATURE
int alliance_config_get(alliance_config *out, int flags) { out->new_per_day = (uint32_t)flags; return 0; }
#else
int alliance_config_get(alliance_config *out) { out->new_per_day = 20; return 0; }
#endif
int alliance_sm2_next(const alliance_sm2_state *in, alliance_sm2_state *out) { *out = *in; return 0; }
#ifndef REMOVE
int alliance_old(void) { return 1; }
#endif
#ifdef ADD
int alliance_new(void) { return 2; }
#endif
C

build() { # NAME [-DVARIANT]
  "$cc" -shared -fPIC -g -O2 -fvisibility=hidden -I"$tmp/include" ${2:-} -o "$tmp/$1.so" "$tmp/lib.c" \
    -Wl,-soname,liballiance.so.0 || { echo "selftest: cannot build $1"; exit 1; }
}
build base
"$here/dump.sh" "$tmp/base.so" "$tmp/include" "$tmp/base.abi" "$tmp" || exit 1

status=0
expect() { # pass|fail NAME -DVARIANT WHY
  build "$2" "$3"
  if sh "$here/check.sh" "$tmp/base.abi" "$tmp/$2.so" > "$tmp/$2.log" 2>&1; then
    got=pass
  else
    got=fail
  fi
  if [ "$got" = "$1" ]; then
    echo "ok   $2: $got ($4)"
  else
    echo "FAIL $2: check.sh said $got, expected $1 ($4); its output:"; sed 's/^/    /' "$tmp/$2.log"; status=1
  fi
}
expect pass same       ""                 "nothing changed"
expect pass added      -DADD              "a function added"
expect pass appended   -DCONFIG_APPEND    "a field appended to a versioned struct"
expect pass opaque     -DHANDLE_GROWS     "the private definition of an opaque handle changed"
expect fail removed    -DREMOVE           "a function removed"
expect fail signature  -DSIGNATURE        "a parameter added to a shipped function"
expect fail inserted   -DCONFIG_INSERT    "a field inserted before the end of a versioned struct"
expect fail retyped    -DCONFIG_RETYPE    "the last field of a versioned struct widened"
expect fail widened    -DCARD_WIDEN       "a field widened into padding (no offset or size changes)"
expect fail frozen     -DSTATE_APPEND     "a field appended to the frozen alliance_sm2_state"
exit $status
