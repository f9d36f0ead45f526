/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - what the fuzz targets share.
 *
 * Each fuzz_*.c defines LLVMFuzzerTestOneInput. Built with clang
 * -fsanitize=fuzzer it is driven by libFuzzer (scripts/fuzz.sh); built with
 * replay.c instead it replays a corpus directory as an ordinary ctest test, so
 * every input that once crashed stays a regression test in every build.
 */
#ifndef ALLIANCE_FUZZ_H
#define ALLIANCE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a message: a broken property is a crash, so libFuzzer keeps the input. */
#define FUZZ_ASSERT(cond, ...)                                                   \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
            abort();                                                             \
        }                                                                        \
    } while (0)

#endif
