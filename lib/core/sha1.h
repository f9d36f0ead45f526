/* SPDX-License-Identifier: MIT */
/* sha1.h - SHA-1 (FIPS 180-4), pure. Only for Anki's note checksum (csum), never for security. */
#ifndef ALLIANCE_SHA1_H
#define ALLIANCE_SHA1_H

#include <stddef.h>
#include <stdint.h>

void alliance__sha1(const void *data, size_t len, uint8_t out[20]);

#endif /* ALLIANCE_SHA1_H */
