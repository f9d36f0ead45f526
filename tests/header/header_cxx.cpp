/* SPDX-License-Identifier: MIT */
// The public header must compile alone as C++ (extern "C" linkage).
#include <alliance.h>
int main() { alliance_sm2_params p = ALLIANCE_SM2_PARAMS_INIT; return p.version == ALLIANCE_SM2_PARAMS_VERSION ? 0 : 1; }
