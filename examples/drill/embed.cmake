# SPDX-License-Identifier: MIT
# Writes OUTPUT, a C file defining the bytes of INPUT (run with cmake -P).
# Used to compile the bundled deck into alliance-drill.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR size "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# Sixteen bytes per line keep the generated file readable.
string(REGEX REPLACE "((0x..,){16})" "\\1\n    " bytes "${bytes}")
get_filename_component(name "${INPUT}" NAME)
file(WRITE "${OUTPUT}"
"/* Generated from ${name} by embed.cmake: do not edit. */
#include \"bundled_deck.h\"

const char drill_bundled_deck_name[] = \"${name}\";
const size_t drill_bundled_deck_size = ${size};
const unsigned char drill_bundled_deck[${size} + 1] = {
    ${bytes}0x00
};
")
