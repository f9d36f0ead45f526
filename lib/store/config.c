/* SPDX-License-Identifier: MIT */
/*
 * config.c - the settings stored in the collection (alliance_config, the SM-2
 * parameters) and the learner's day (UTC offset and rollover hour).
 */
#include "store/handle.h"

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

int alliance_set_utc_offset(alliance_db *db, int32_t utc_offset_seconds)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!alliance__utc_offset_valid(utc_offset_seconds))
        rc = alliance__error_set(&db->error, ALLIANCE_EINVAL, "UTC offset %ld s is outside -50400..50400",
                                 (long)utc_offset_seconds);
    else
        db->utc_offset_seconds = utc_offset_seconds;
    return alliance__db_leave(db, rc);
}

/* ---- stored settings --------------------------------------------------------------- */

int alliance__db_config(alliance_db *db, alliance_config *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CONFIG_GET, &stmt);
    if (rc)
        return rc;
    rc = alliance__sql_step(db, stmt, "reading the settings");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the collection has no settings row");
    out->new_per_day = (uint32_t)sqlite3_column_int64(stmt, 0);
    out->reviews_per_day = (uint32_t)sqlite3_column_int64(stmt, 1);
    out->rollover_hour = (uint32_t)sqlite3_column_int64(stmt, 2);
    out->leech_threshold = (uint32_t)sqlite3_column_int64(stmt, 3);
    out->leech_suspend = (uint32_t)sqlite3_column_int64(stmt, 4);
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

int alliance__db_params(alliance_db *db, alliance_sm2_params *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_PARAMS_GET, &stmt);
    if (rc)
        return rc;
    rc = alliance__sql_step(db, stmt, "reading the SM-2 parameters");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the collection has no settings row");
    out->version = ALLIANCE_SM2_PARAMS_VERSION;
    out->preset = (uint32_t)sqlite3_column_int64(stmt, 0);
    out->initial_efactor_milli = (uint32_t)sqlite3_column_int64(stmt, 1);
    out->min_efactor_milli = (uint32_t)sqlite3_column_int64(stmt, 2);
    out->first_interval_days = (uint32_t)sqlite3_column_int64(stmt, 3);
    out->second_interval_days = (uint32_t)sqlite3_column_int64(stmt, 4);
    out->max_interval_days = (uint32_t)sqlite3_column_int64(stmt, 5);
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
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
    return alliance__db_leave(db, alliance__sql_run(db, stmt, "storing the SM-2 parameters"));
}
