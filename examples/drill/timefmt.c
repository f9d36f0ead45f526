/* SPDX-License-Identifier: MIT */
/*
 * timefmt.c - reading --now and --utc-offset, writing calendar dates.
 * Pure arithmetic on the proleptic Gregorian calendar (no time zone database
 * is needed unless the user asks for "local").
 */
#include "drill.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void timefmt_date(int64_t day, char out[16])
{
    int64_t y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        strcpy(out, "----------");
        return;
    }
    snprintf(out, 16, "%04d-%02u-%02u", (int)y % 10000, m % 13, d % 32); /* bounds for the compiler */
}

/* Reads exactly `n` digits at *p; advances *p. */
static int digits(const char **p, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + (unsigned)((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* "+HH:MM", "+HHMM", "+HH" (and "-"), at *p; the whole rest of the string. */
static int parse_signed_offset(const char *p, int32_t *out)
{
    int sign = *p == '-' ? -1 : 1;
    if (*p != '+' && *p != '-')
        return -1;
    p++;
    unsigned h, m = 0;
    size_t len = strlen(p);
    if (len == 1 && isdigit((unsigned char)p[0])) {
        h = (unsigned)(p[0] - '0');
        p++;
    } else if (digits(&p, 2, &h) != 0) {
        return -1;
    }
    if (*p == ':')
        p++;
    if (*p != '\0' && digits(&p, 2, &m) != 0)
        return -1;
    if (*p != '\0' || h > 14 || m > 59 || h * 60 + m > 14 * 60)
        return -1;
    *out = sign * (int32_t)(h * 3600 + m * 60);
    return 0;
}

int timefmt_parse_offset(const char *text, int32_t *out)
{
    if (strcmp(text, "local") == 0) {
        *out = ALLIANCE_UTC_OFFSET_LOCAL;
        return 0;
    }
    if (strcmp(text, "Z") == 0 || strcmp(text, "UTC") == 0 || strcmp(text, "0") == 0) {
        *out = 0;
        return 0;
    }
    return parse_signed_offset(text, out);
}

int timefmt_parse_now(const char *text, int32_t utc_offset, int64_t *out)
{
    const char *p = text;
    /* Plain Unix seconds. */
    if (*p != '\0' && (isdigit((unsigned char)*p) || (*p == '-' && isdigit((unsigned char)p[1])))) {
        size_t span = strspn(p + (*p == '-'), "0123456789");
        if (p[span + (*p == '-')] == '\0') {
            char *end;
            errno = 0;
            long long v = strtoll(p, &end, 10);
            if (errno != 0 || *end != '\0')
                return -1;
            *out = v;
            return 0;
        }
    }
    unsigned y, mo, d, h = 0, mi = 0, s = 0;
    if (digits(&p, 4, &y) != 0 || *p++ != '-' || digits(&p, 2, &mo) != 0 || *p++ != '-' ||
        digits(&p, 2, &d) != 0)
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (digits(&p, 2, &h) != 0 || *p++ != ':' || digits(&p, 2, &mi) != 0)
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &s) != 0)
                return -1;
        }
    }
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || s > 60)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return -1;
    int64_t local = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;

    int32_t offset;
    if (*p == 'Z' || *p == 'z') {
        if (p[1] != '\0')
            return -1;
        offset = 0;
    } else if (*p == '+' || *p == '-') {
        if (parse_signed_offset(p, &offset) != 0)
            return -1;
    } else if (*p != '\0') {
        return -1;
    } else if (utc_offset != ALLIANCE_UTC_OFFSET_LOCAL) {
        offset = utc_offset;
    } else {
        /* No offset anywhere: the process time zone says what this wall-clock time is. */
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        tm.tm_year = (int)y - 1900;
        tm.tm_mon = (int)mo - 1;
        tm.tm_mday = (int)d;
        tm.tm_hour = (int)h;
        tm.tm_min = (int)mi;
        tm.tm_sec = (int)s;
        tm.tm_isdst = -1;
        time_t t = mktime(&tm);
        if (t == (time_t)-1)
            return -1;
        *out = (int64_t)t;
        return 0;
    }
    *out = local - offset;
    return 0;
}

int timefmt_parse_date(const char *text, int64_t *out_day)
{
    const char *p = text;
    unsigned y, m, d;
    if (digits(&p, 4, &y) != 0 || *p++ != '-' || digits(&p, 2, &m) != 0 || *p++ != '-' || digits(&p, 2, &d) != 0 ||
        *p != '\0' || m < 1 || m > 12 || d < 1)
        return -1;
    int64_t day = days_from_civil(y, m, d);
    int64_t yy;
    unsigned mm, dd;
    civil_from_days(day, &yy, &mm, &dd);
    if (mm != m || dd != d) /* 2027-02-30 */
        return -1;
    *out_day = day;
    return 0;
}
