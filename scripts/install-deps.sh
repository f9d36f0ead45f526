#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building and testing liballiance needs on Debian (or Ubuntu).
# Does nothing when everything is already there; uses sudo when not root.
set -euo pipefail
# libstemmer-dev: the deck lint; libzip-dev and libzstd-dev: Anki's .apkg packages (README,
# "Dependencies"); python3-venv: the Python binding's install test; golang-go: the Go binding
# (Go 1.19 on Debian 12; it needs no module from a proxy).
packages=(build-essential cmake pkg-config libsqlite3-dev sqlite3 libstemmer-dev libzip-dev libzstd-dev check
          python3 python3-venv tmux abigail-tools clang libclang-rt-14-dev binutils golang-go)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js and npm for the Node binding: a machine image may bring its own (another
# vendor's package, or a build in /usr/local), so only a missing command is installed,
# from Debian.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
