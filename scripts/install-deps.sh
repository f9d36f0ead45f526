#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building and testing liballiance needs on Debian (or Ubuntu).
# Does nothing when everything is already there; uses sudo when not root.
set -euo pipefail
# libzip-dev and libzstd-dev read and write Anki's .apkg packages (README, "Dependencies").
packages=(build-essential cmake pkg-config libsqlite3-dev sqlite3 libstemmer-dev check python3 tmux
          abigail-tools clang libclang-rt-14-dev binutils libzip-dev libzstd-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
