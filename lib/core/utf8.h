/* SPDX-License-Identifier: MIT */
/* utf8.h - strict UTF-8 validation. Nothing here is API. */
#ifndef ALLIANCE_UTF8_H
#define ALLIANCE_UTF8_H

#include <stddef.h>

/* Returns len if s[0..len) is strict UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF, no truncated sequence), else the offset of the first byte of the
 * first invalid sequence.
 * A NUL byte is valid UTF-8; callers that refuse it look for it themselves. */
size_t alliance__utf8_check(const char *s, size_t len);

#endif /* ALLIANCE_UTF8_H */
