/* SPDX-License-Identifier: MIT */
/*
 * config.c - the settings stored in the collection (alliance_config, the SM-2
 * parameters) and the learner's day (UTC offset and rollover hour).
 */
#include "store/handle.h"
#include "core/fsrs_text.h"

#define MAX_UTC_OFFSET 50400

/* ---- settings ------------------------------------------------------------- */

int alliance_config_init(alliance_config *config, uint32_t version)
{
    if (!config)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_CONFIG_VERSION)
        return ALLIANCE_EVERSION;
    alliance_config defaults = ALLIANCE_CONFIG_INIT;
    *config = defaults;
    return ALLIANCE_OK;
}

int alliance__utc_offset_valid(int32_t offset)
{
    return offset == ALLIANCE_UTC_OFFSET_LOCAL || (offset >= -MAX_UTC_OFFSET && offset <= MAX_UTC_OFFSET);
}

/* ---- the learner's day ------------------------------------------------------------- */

int alliance__db_today(alliance_db *db, int64_t now, int64_t *out_day)
{
    alliance_config config = ALLIANCE_CONFIG_INIT;
    int rc = alliance__db_config(db, &config);
    if (rc)
        return rc;
    if (alliance_day_number(out_day, now, db->utc_offset_seconds, config.rollover_hour) != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "time %lld is outside the supported range",
                                   (long long)now);
    return ALLIANCE_OK;
}

int alliance__db_day_of(alliance_db *db, uint32_t rollover_hour, int64_t unix_seconds, int64_t *out_day)
{
    if (alliance_day_number(out_day, unix_seconds, db->utc_offset_seconds, rollover_hour) != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "time %lld is outside the supported range",
                                   (long long)unix_seconds);
    return ALLIANCE_OK;
}

int alliance_today(alliance_db *db, int64_t now, int64_t *out_day)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out_day)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_today: out_day is NULL"));
    int64_t day;
    rc = alliance__db_today(db, now, &day);
    if (rc == ALLIANCE_OK)
        *out_day = day;
    return alliance__db_leave(db, rc);
}

int alliance__utc_offset_stored(alliance_db *db, int32_t *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_UTC_OFFSET_GET, &stmt);
    if (rc)
        return rc;
    rc = alliance__sql_step(db, stmt, "reading the UTC offset");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the collection has no replica row");
    int64_t v = sqlite3_column_type(stmt, 0) == SQLITE_NULL ? ALLIANCE_UTC_OFFSET_LOCAL : sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (v != ALLIANCE_UTC_OFFSET_LOCAL && (v < -MAX_UTC_OFFSET || v > MAX_UTC_OFFSET))
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the stored UTC offset %lld s is outside "
                                   "-50400..50400", (long long)v);
    *out = (int32_t)v;
    return ALLIANCE_OK;
}

int alliance_set_utc_offset(alliance_db *db, int32_t utc_offset_seconds)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!alliance__utc_offset_valid(utc_offset_seconds))
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "UTC offset %ld s is outside "
                                                          "-50400..50400", (long)utc_offset_seconds));
    /* Stored as this replica's setting (one statement, its own transaction); a handle opened
     * read-only changes its own offset only, as before schema 7. */
    if (!sqlite3_db_readonly(db->sqlite, "main")) {
        sqlite3_stmt *stmt;
        if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_UTC_OFFSET_SET, &stmt)) != ALLIANCE_OK)
            return alliance__db_leave(db, rc);
        if (utc_offset_seconds == ALLIANCE_UTC_OFFSET_LOCAL)
            sqlite3_bind_null(stmt, 1);
        else
            alliance__sql_bind_int(stmt, 1, utc_offset_seconds);
        if ((rc = alliance__sql_run(db, stmt, "storing the UTC offset")) != ALLIANCE_OK)
            return alliance__db_leave(db, rc);
    }
    db->utc_offset_seconds = utc_offset_seconds;
    return alliance__db_leave(db, ALLIANCE_OK);
}

int alliance_utc_offset_get(alliance_db *db, int32_t *out)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_utc_offset_get: out is NULL"));
    *out = db->utc_offset_seconds;
    return alliance__db_leave(db, ALLIANCE_OK);
}

/* ---- stored settings --------------------------------------------------------------- */

void alliance__db_settings_forget(alliance_db *db)
{
    db->settings_cached = 0;
}

/* Reads the settings row (settings and SM-2 parameters) into the handle's cache. */
static int read_settings(alliance_db *db)
{
    if (db->settings_cached)
        return ALLIANCE_OK;
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_SETTINGS_GET, &stmt);
    if (rc)
        return rc;
    rc = alliance__sql_step(db, stmt, "reading the settings");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the collection has no settings row");
    alliance_config *c = &db->config_cache;
    c->version = ALLIANCE_CONFIG_VERSION;
    c->new_per_day = (uint32_t)sqlite3_column_int64(stmt, 0);
    c->reviews_per_day = (uint32_t)sqlite3_column_int64(stmt, 1);
    c->rollover_hour = (uint32_t)sqlite3_column_int64(stmt, 2);
    c->leech_threshold = (uint32_t)sqlite3_column_int64(stmt, 3);
    c->leech_suspend = (uint32_t)sqlite3_column_int64(stmt, 4);
    int64_t rollover = sqlite3_column_int64(stmt, 2), suspend = sqlite3_column_int64(stmt, 4);
    alliance_sm2_params *p = &db->params_cache;
    p->version = ALLIANCE_SM2_PARAMS_VERSION;
    p->preset = (uint32_t)sqlite3_column_int64(stmt, 5);
    p->initial_efactor_milli = (uint32_t)sqlite3_column_int64(stmt, 6);
    p->min_efactor_milli = (uint32_t)sqlite3_column_int64(stmt, 7);
    p->first_interval_days = (uint32_t)sqlite3_column_int64(stmt, 8);
    p->second_interval_days = (uint32_t)sqlite3_column_int64(stmt, 9);
    p->max_interval_days = (uint32_t)sqlite3_column_int64(stmt, 10);
    int64_t scheduler = sqlite3_column_int64(stmt, 11);
    const unsigned char *fsrs_text = sqlite3_column_text(stmt, 12);
    int fsrs_ok = alliance__fsrs_params_decode(fsrs_text ? (const char *)fsrs_text : "",
                                               (size_t)sqlite3_column_bytes(stmt, 12), &db->fsrs_cache);
    db->scheduler_cache = (uint32_t)scheduler;
    db->bury_siblings_cache = sqlite3_column_int64(stmt, 13) != 0;
    db->fuzz_cache = sqlite3_column_int64(stmt, 14) != 0;
    sqlite3_reset(stmt);
    if (fsrs_ok != ALLIANCE_OK || (scheduler != ALLIANCE_SCHEDULER_SM2 && scheduler != ALLIANCE_SCHEDULER_FSRS))
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s is damaged: its scheduler (%lld) or FSRS "
                                   "parameters cannot occur", alliance__db_file(db), (long long)scheduler);
    /* The schema's CHECKs keep these in range: values outside them come from a damaged file,
     * and must not be reported as the caller's mistake ("time outside the supported range"). */
    if (rollover < 0 || rollover > 23 || (suspend != 0 && suspend != 1))
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s is damaged: its settings hold rollover hour "
                                   "%lld and leech_suspend %lld", alliance__db_file(db), (long long)rollover,
                                   (long long)suspend);
    if (alliance_sm2_params_check(p) != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s is damaged: its SM-2 parameters cannot occur",
                                   alliance__db_file(db));
    db->settings_cached = 1;
    return ALLIANCE_OK;
}

int alliance__db_config(alliance_db *db, alliance_config *out)
{
    int rc = read_settings(db);
    if (rc == ALLIANCE_OK)
        *out = db->config_cache;
    return rc;
}

int alliance__db_study_settings(alliance_db *db, uint32_t *out_bury_siblings, uint32_t *out_fuzz)
{
    int rc = read_settings(db);
    if (rc == ALLIANCE_OK) {
        *out_bury_siblings = db->bury_siblings_cache;
        *out_fuzz = db->fuzz_cache;
    }
    return rc;
}

int alliance__db_params(alliance_db *db, alliance_sm2_params *out)
{
    int rc = read_settings(db);
    if (rc == ALLIANCE_OK)
        *out = db->params_cache;
    return rc;
}

int alliance__db_scheduler(alliance_db *db, uint32_t *out_scheduler, alliance_fsrs_params *out_fsrs)
{
    int rc = read_settings(db);
    if (rc == ALLIANCE_OK) {
        if (out_scheduler)
            *out_scheduler = db->scheduler_cache;
        if (out_fsrs)
            *out_fsrs = db->fsrs_cache;
    }
    return rc;
}

int alliance_config_get(alliance_db *db, alliance_config *out)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_config_get: out is NULL"));
    if (out->version != ALLIANCE_CONFIG_VERSION)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EVERSION,
                                                          "alliance_config_get: unknown version %u", (unsigned)out->version));
    alliance_config config = *out;
    rc = alliance__db_config(db, &config);
    if (rc == ALLIANCE_OK)
        *out = config;
    return alliance__db_leave(db, rc);
}

static int check_config(alliance_db *db, const alliance_config *c)
{
    if (c->version != ALLIANCE_CONFIG_VERSION)
        return alliance__error_set(&db->error, ALLIANCE_EVERSION, "config: unknown version %u", (unsigned)c->version);
    if (c->rollover_hour > 23)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "config: rollover_hour %u is outside 0..23",
                                   (unsigned)c->rollover_hour);
    if (c->leech_suspend > 1)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "config: leech_suspend %u is not 0 or 1",
                                   (unsigned)c->leech_suspend);
    return ALLIANCE_OK;
}

int alliance_config_set(alliance_db *db, const alliance_config *config)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!config)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_config_set: config is NULL"));
    if ((rc = check_config(db, config)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_CONFIG_SET, &stmt)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    alliance__sql_bind_int(stmt, 1, config->new_per_day);
    alliance__sql_bind_int(stmt, 2, config->reviews_per_day);
    alliance__sql_bind_int(stmt, 3, config->rollover_hour);
    alliance__sql_bind_int(stmt, 4, config->leech_threshold);
    alliance__sql_bind_int(stmt, 5, config->leech_suspend);
    alliance__db_settings_forget(db);
    return alliance__db_leave(db, alliance__sql_run(db, stmt, "storing the settings"));
}

int alliance_sm2_params_get(alliance_db *db, alliance_sm2_params *out)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_sm2_params_get: out is NULL"));
    alliance_sm2_params params;
    rc = alliance__db_params(db, &params);
    if (rc == ALLIANCE_OK)
        *out = params;
    return alliance__db_leave(db, rc);
}

/* Only future answers use the new parameters: each review row keeps its own. */
int alliance_sm2_params_set(alliance_db *db, const alliance_sm2_params *params)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!params)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_sm2_params_set: params is NULL"));
    if ((rc = alliance_sm2_params_check(params)) != ALLIANCE_OK)
        return alliance__db_leave(db, alliance__error_set(&db->error, rc, "SM-2 parameters refused (%s): see "
                                                          "alliance_sm2_params_check for the ranges", alliance_strerror(rc)));
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_PARAMS_SET, &stmt)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    alliance__sql_bind_int(stmt, 1, params->preset);
    alliance__sql_bind_int(stmt, 2, params->initial_efactor_milli);
    alliance__sql_bind_int(stmt, 3, params->min_efactor_milli);
    alliance__sql_bind_int(stmt, 4, params->first_interval_days);
    alliance__sql_bind_int(stmt, 5, params->second_interval_days);
    alliance__sql_bind_int(stmt, 6, params->max_interval_days);
    alliance__db_settings_forget(db);
    return alliance__db_leave(db, alliance__sql_run(db, stmt, "storing the SM-2 parameters"));
}
