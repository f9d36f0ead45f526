/* SPDX-License-Identifier: MIT */
/*
 * check_report.h - the properties every alliance_deck_check() result must
 * have, whatever the input: shared by the deck and Anki text targets.
 */
#ifndef ALLIANCE_FUZZ_CHECK_REPORT_H
#define ALLIANCE_FUZZ_CHECK_REPORT_H

#include <alliance.h>

#include <stddef.h>
#include <stdint.h>

/* Runs alliance_deck_check(name, data, size, format) and aborts if the result
 * breaks a documented property (return code, report shape, error positions). */
void fuzz_check_one(const char *name, const uint8_t *data, size_t size, uint32_t format);

#endif
