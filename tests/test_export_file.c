/* SPDX-License-Identifier: MIT */
/*
 * export_file: alliance_deck_export_file writes the file it is given, and only
 * that. It replaces a regular file atomically (written aside, then renamed);
 * a symlink is followed, so the link stays and its target gets the deck; a FIFO
 * or a device is refused rather than replaced by a regular file; the temporary
 * file of an export that was killed is cleaned up by the next export to the
 * same place. And an import reports an oversized deck file with its real size.
 */
#include "reliability.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOW (ALLIANCE_TEST_NOW + ALLIANCE_TEST_DAY)
#define NOTES 3000

/* A collection at `path` with one deck of NOTES notes; returns the deck id. */
static int64_t collection_with_deck(const char *path)
{
    size_t cap = 64 + (size_t)NOTES * 120, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text, cap, "deck: Exported\n");
    for (int i = 0; i < NOTES; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "\ncard: n%04d\ntype: basic\nfront: question %d, with a few words\nback: answer %d\n", i,
                                i, i);
    alliance_db *db = NULL;
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    int rc = alliance_deck_import_buffer(db, "exported.deck", text, len, NULL, NOW, NULL);
    ck_assert_msg(rc == 0, "import: %d %s", rc, alliance_errmsg(db));
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Exported", 0, &deck), 0);
    ck_assert_int_eq(alliance_close(db), 0);
    free(text);
    return deck;
}

static int export_to(const char *collection, int64_t deck, const char *target, char *message, size_t size)
{
    alliance_db *db = NULL;
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    ck_assert_int_eq(alliance_open(&db, collection, &options), 0);
    int rc = alliance_deck_export_file(db, deck, ALLIANCE_FORMAT_DECK, target);
    snprintf(message, size, "%s", alliance_errmsg(db));
    alliance_close(db);
    return rc;
}

/* Files in `dir` whose name starts with `prefix`. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

START_TEST(a_killed_export_leaves_no_temporary_file_for_long)
{
    const char *collection = alliance_test_path("kill-export.alliance");
    int64_t deck = collection_with_deck(collection);
    const char *dir = alliance_test_path("kill-export-out");
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    char target[4300];
    snprintf(target, sizeof target, "%s/deck.deck", dir);
    uint64_t seed = 7;
    int stale = 0;
    /* Each child cleans up what the ones before it left: kill until the last one left a file. */
    for (int kill_n = 0; kill_n < 300 && stale == 0; kill_n++) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            alliance_db *db = NULL;
            alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
            if (alliance_open(&db, collection, &options) != 0)
                _exit(1);
            for (;;)
                alliance_deck_export_file(db, deck, ALLIANCE_FORMAT_DECK, target);
        }
        struct timespec pause = {0, (long)(2000000 + rel_rand(&seed) % 30000000)};
        nanosleep(&pause, NULL);
        kill(pid, SIGKILL);
        int status = 0;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        stale = count_prefixed(dir, "deck.deck.tmp-");
    }
    ck_assert_msg(stale > 0, "no kill left a temporary file behind: the test proves nothing");
    char message[1024];
    int rc = export_to(collection, deck, target, message, sizeof message);
    ck_assert_msg(rc == 0, "export: %d %s", rc, message);
    ck_assert_int_eq(count_prefixed(dir, "deck.deck.tmp-"), 0);
}
END_TEST

START_TEST(an_export_leaves_a_live_exports_temporary_file_alone)
{
    const char *collection = alliance_test_path("live-export.alliance");
    int64_t deck = collection_with_deck(collection);
    char target[4300], live[4400];
    snprintf(target, sizeof target, "%s", alliance_test_path("live.deck"));
    /* Named as this process's own export would name it: this process is alive. */
    snprintf(live, sizeof live, "%s.tmp-%ld-abcdef", target, (long)getpid());
    FILE *f = fopen(live, "wb");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    char message[1024];
    ck_assert_int_eq(export_to(collection, deck, target, message, sizeof message), 0);
    ck_assert_int_eq(access(live, F_OK), 0);
    unlink(live);
}
END_TEST

START_TEST(an_export_onto_a_symlink_writes_its_target)
{
    const char *collection = alliance_test_path("symlink-export.alliance");
    int64_t deck = collection_with_deck(collection);
    char target[4300], link[4300], dangling[4300], missing[4300];
    snprintf(target, sizeof target, "%s", alliance_test_path("real.deck"));
    snprintf(link, sizeof link, "%s", alliance_test_path("link.deck"));
    snprintf(dangling, sizeof dangling, "%s", alliance_test_path("dangling.deck"));
    snprintf(missing, sizeof missing, "%s", alliance_test_path("not-yet.deck"));
    FILE *f = fopen(target, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("old text\n", f);
    fclose(f);
    ck_assert_int_eq(symlink("real.deck", link), 0); /* relative, as people make them */
    ck_assert_int_eq(symlink(missing, dangling), 0);
    char message[1024];
    int rc = export_to(collection, deck, link, message, sizeof message);
    ck_assert_msg(rc == 0, "export onto a symlink: %d %s", rc, message);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert_msg(S_ISLNK(st.st_mode), "the symlink was replaced by a file");
    size_t len = 0;
    char *text = alliance_test_read_file(target, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(strncmp(text, "deck: Exported\n", 15) == 0, "the target does not hold the export: %.40s", text);
    free(text);
    rc = export_to(collection, deck, dangling, message, sizeof message);
    ck_assert_msg(rc == 0, "export onto a dangling symlink: %d %s", rc, message);
    ck_assert_int_eq(lstat(dangling, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(access(missing, F_OK), 0);
}
END_TEST

START_TEST(an_export_onto_a_fifo_is_refused_and_leaves_it)
{
    const char *collection = alliance_test_path("fifo-export.alliance");
    int64_t deck = collection_with_deck(collection);
    const char *fifo = alliance_test_path("out.fifo");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    char message[1024];
    int rc = export_to(collection, deck, fifo, message, sizeof message);
    ck_assert_msg(rc == ALLIANCE_EIO, "export onto a FIFO: %d (%s) %s", rc, alliance_strerror(rc), message);
    ck_assert_msg(strstr(message, "not a regular file") && strstr(message, fifo), "%s", message);
    struct stat st;
    ck_assert_int_eq(lstat(fifo, &st), 0);
    ck_assert_msg(S_ISFIFO(st.st_mode), "the FIFO became something else");
}
END_TEST

START_TEST(an_oversized_deck_file_is_reported_with_its_real_size)
{
    const char *path = alliance_test_path("huge.deck");
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)1 << 30), 0); /* 1 GiB, sparse: takes no room */
    close(fd);
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, ":memory:", NULL), 0);
    alliance_import_report *report = NULL;
    int rc = alliance_deck_import(db, path, NULL, NOW, &report);
    ck_assert_int_eq(rc, ALLIANCE_ELIMIT);
    ck_assert_ptr_nonnull(report);
    ck_assert_msg(strstr(report->errors, "1073741824 bytes") != NULL, "%s", report->errors);
    ck_assert_msg(strstr(alliance_errmsg(db), "1073741824 bytes") != NULL, "%s", alliance_errmsg(db));
    alliance_free(report);
    alliance_close(db);
}
END_TEST

static Suite *export_file_suite(void)
{
    Suite *s = suite_create("export_file");
    TCase *tc = tcase_create("export_file");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, a_killed_export_leaves_no_temporary_file_for_long);
    tcase_add_test(tc, an_export_leaves_a_live_exports_temporary_file_alone);
    tcase_add_test(tc, an_export_onto_a_symlink_writes_its_target);
    tcase_add_test(tc, an_export_onto_a_fifo_is_refused_and_leaves_it);
    tcase_add_test(tc, an_oversized_deck_file_is_reported_with_its_real_size);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(export_file_suite());
}
