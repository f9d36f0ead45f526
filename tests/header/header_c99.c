/* SPDX-License-Identifier: MIT */
/* The public header must compile alone, as strict C99. */
#include <alliance.h>
int main(void) { return alliance_version_number() > 0 ? 0 : 1; }
