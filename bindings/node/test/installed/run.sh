#!/bin/sh
# SPDX-License-Identifier: MIT
# The binding as a user gets it: liballiance installed into a temporary prefix, then the
# binding installed into a new project with the command README.md and bindings/node/README.md
# give (npm install --install-links DIR), and used from that project with only PKG_CONFIG_PATH
# naming the prefix: it loads the installed library, carries its licence, and shows a card.
# koffi comes from the npm cache that node_install filled (--prefer-offline), else the registry.
# Usage: run.sh BUILD_DIR CMAKE NPM NODE
# CI budget: a few seconds (one cmake --install, one npm install from the cache).
set -eu
build=$1; cmake=$2; npm=$3; node=$4
binding=$(cd "$(dirname "$0")/../.." && pwd)
repository=$(cd "$binding/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "node_installed: FAIL: $*"; exit 1; }

"$cmake" --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(dirname "$(ls -d "$tmp"/prefix/lib*/pkgconfig | head -n 1)")

# npm links a plain `npm install DIR` without installing the package's own dependencies, so
# require('liballiance') would fail to find koffi: every place that says how to install it
# must give --install-links.
for doc in README.md bindings/node/README.md docs/bindings.md; do
  if grep -n 'npm install [^-`]*bindings/node' "$repository/$doc"; then
    fail "$doc gives npm install without --install-links (the package would not find koffi)"
  fi
  grep -q 'npm install --install-links' "$repository/$doc" || fail "$doc does not say how to install the package"
done

echo "== a new project, then the documented command: npm install --install-links $binding"
mkdir "$tmp/app"
cd "$tmp/app"
"$npm" init -y >/dev/null
"$npm" install --install-links --prefer-offline --no-audit --no-fund --loglevel=error "$binding" ||
  fail "npm install --install-links $binding"

echo "== require('liballiance') from the project, the library found through pkg-config"
cat >"$tmp/app/use.js" <<'JS'
'use strict';
const alliance = require('liballiance');
const coll = new alliance.Collection(':memory:', { utcOffsetSeconds: 0, clock: () => 1767614400 });
coll.addNote('Mine', { id: 'q', type: alliance.constants.CARD_CLOZE, front: 'The {{c1::alliance}} holds.' });
const shown = coll.card('q::c1').render();
console.log(alliance.version);
console.log(alliance.capi.lib.path);
console.log(shown.prompt);
coll.close();
JS
out=$(env -i PATH="$(dirname "$node"):/usr/local/bin:/usr/bin:/bin" HOME="$tmp" PKG_CONFIG_PATH="$libdir/pkgconfig" \
      "$node" "$tmp/app/use.js") || fail "the installed package does not load or run"
echo "$out"
version=$(sed -n 's/^#define ALLIANCE_VERSION_STRING "\(.*\)"/\1/p' "$repository/include/alliance.h")
[ "$(echo "$out" | sed -n 1p)" = "$version" ] || fail "the package's version is not $version"
case "$(echo "$out" | sed -n 2p)" in
  "$tmp/prefix/"*) ;;
  *) fail "the installed package loaded $(echo "$out" | sed -n 2p), not the library in $tmp/prefix" ;;
esac
[ "$(echo "$out" | sed -n 3p)" = "The [...] holds." ] || fail "the card is not shown through alliance_card_render"

echo "== the installed package carries the licence"
installed=$tmp/app/node_modules/liballiance
[ -d "$installed" ] && [ ! -L "$installed" ] || fail "the package is a link to the source tree, not installed"
cmp -s "$repository/LICENSE" "$installed/LICENSE" || fail "node_modules/liballiance/LICENSE is missing or not the repository's"
echo "node_installed: OK"
