#!/bin/sh
# SPDX-License-Identifier: MIT
# The binding as a user gets it: liballiance installed into a temporary prefix,
# the binding installed into a venv with the documented pip command (offline:
# --no-index, so it cannot have needed PyPI), then `import alliance` from
# another directory with no environment variable about the library, and every
# test module of bindings/python/tests run against that installed package.
# Usage: run.sh BUILD_DIR CMAKE PYTHON LAYOUT_PROGRAM
set -eu
build=$1; cmake=$2; python=$3; layout=$4
binding=$(cd "$(dirname "$0")/../.." && pwd)
repository=$(cd "$binding/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "python_installed: FAIL: $*"; exit 1; }

"$cmake" --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(dirname "$(ls -d "$tmp"/prefix/lib*/pkgconfig | head -n 1)")

echo "== python3 -m venv, then the documented command: python3 -m pip install ./bindings/python"
"$python" -m venv "$tmp/venv" || fail "python3 -m venv (Debian: python3-venv)"
( cd "$repository" &&
  PKG_CONFIG_PATH="$libdir/pkgconfig" PIP_NO_INDEX=1 "$tmp/venv/bin/python" -m pip install --no-index \
      --disable-pip-version-check --no-cache-dir --quiet ./bindings/python ) || fail "pip install without PyPI"

echo "== import alliance from another directory, with no environment variable"
clean_env() { env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$tmp" LANG=C.UTF-8 "$@"; }
out=$(cd "$tmp" && clean_env "$tmp/venv/bin/python" -c \
      'import alliance; print(alliance.__version__); print(alliance.capi.lib.path); print(alliance.__file__)') ||
  fail "import alliance"
echo "$out"
version=$(sed -n 's/^#define ALLIANCE_VERSION_STRING "\(.*\)"/\1/p' "$repository/include/alliance.h")
[ "$(echo "$out" | sed -n 1p)" = "$version" ] || fail "alliance.__version__ is not $version"
case "$(echo "$out" | sed -n 2p)" in
  "$tmp/prefix/"*) ;;
  *) fail "the installed package loaded $(echo "$out" | sed -n 2p), not the library in $tmp/prefix" ;;
esac
case "$(echo "$out" | sed -n 3p)" in
  "$tmp/venv/"*) ;;
  *) fail "imported $(echo "$out" | sed -n 3p), not the installed package" ;;
esac

echo "== the binding's tests against the installed package"
cd "$binding/tests"
clean_env ALLIANCE_LAYOUT="$layout" ALLIANCE_EXPECT_LIBRARY_UNDER="$tmp/prefix" PYTHONDONTWRITEBYTECODE=1 \
    "$tmp/venv/bin/python" -m unittest discover -s . -p 'test_*.py' || fail "the tests against the installed package"
echo "python_installed: OK"
