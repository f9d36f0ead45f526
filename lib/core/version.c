/* SPDX-License-Identifier: MIT */
/* version.c - the version of the library actually linked. */
#include "core/internal.h"

int alliance_version_number(void)
{
    return ALLIANCE_VERSION_NUMBER;
}

const char *alliance_version_string(void)
{
    return ALLIANCE_VERSION_STRING;
}
