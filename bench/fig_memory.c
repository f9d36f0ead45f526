/* SPDX-License-Identifier: MIT */
/*
 * fig_memory.c - peak resident memory of a fresh process that opens the large
 * collection and studies it (today's session: next card, answer, repeat), and
 * how much of that peak is SQLite's page cache.
 *
 * The study runs in a child (this program re-executed) so that the generator's
 * and the other figures' memory is not in the peak. The child undoes its
 * answers before it exits, leaving the collection as it found it.
 */
#include "bench.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int bench_memory_child(const char *path, uint32_t answers)
{
    int64_t rss_start = bench_proc_status_bytes("VmRSS");
    char err[1024] = "";
    alliance_db *db = NULL;
    alliance_session *s = NULL;
    uint32_t done = 0;
    int rc = bench_lib_open(&db, path, ALLIANCE_SYNC_FULL, err, sizeof err);
    if (rc == 0 && (rc = alliance_session_open(&s, db, 0, BENCH_NOW)) != 0)
        snprintf(err, sizeof err, "alliance_session_open: %s", alliance_errmsg(db));
    for (uint32_t i = 0; rc == 0 && i < answers; i++) {
        alliance_card *card = NULL;
        int64_t now = BENCH_NOW + 10 * (int64_t)i;
        rc = alliance_session_next(s, now, &card);
        if (rc == ALLIANCE_DONE) {
            rc = 0;
            break;
        }
        if (rc != 0) {
            snprintf(err, sizeof err, "alliance_session_next: %s", alliance_errmsg(db));
            break;
        }
        int grade = 2 + (int)(i % 4);
        rc = alliance_session_answer(s, card->id, grade, now + 5, 5000, NULL);
        if (rc != 0)
            snprintf(err, sizeof err, "alliance_session_answer(%s): %s", card->id, alliance_errmsg(db));
        else
            done++;
        alliance_free(card);
    }
    /* The peak of the study, before the undos that only restore the file. */
    int64_t hwm = bench_proc_status_bytes("VmHWM");
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    sqlite3_int64 mem_cur = 0, mem_hi = 0, pc_cur = 0, pc_hi = 0, pcu_cur = 0, pcu_hi = 0, psz_cur = 0, psz_hi = 0;
    sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &mem_cur, &mem_hi, 0);
    sqlite3_status64(SQLITE_STATUS_PAGECACHE_OVERFLOW, &pc_cur, &pc_hi, 0);
    sqlite3_status64(SQLITE_STATUS_PAGECACHE_USED, &pcu_cur, &pcu_hi, 0);
    sqlite3_status64(SQLITE_STATUS_PAGECACHE_SIZE, &psz_cur, &psz_hi, 0);
    for (uint32_t i = 0; rc == 0 && i < done; i++) {
        if ((rc = alliance_undo(db, NULL)) != 0)
            snprintf(err, sizeof err, "alliance_undo: %s", alliance_errmsg(db));
    }
    alliance_session_close(s);
    alliance_close(db);
    /* One line for the parent; the page cache is heap memory (pcache1 without
     * SQLITE_CONFIG_PAGECACHE), so it is PAGECACHE_OVERFLOW that counts it. */
    printf("rc=%d answers=%u rss_start=%lld hwm=%lld maxrss_kb=%ld sqlite_mem_hi=%lld sqlite_mem_cur=%lld "
           "pagecache_hi=%lld pagecache_used_hi=%lld page_size_hi=%lld\n",
           rc, done, (long long)rss_start, (long long)hwm, (long)ru.ru_maxrss, (long long)mem_hi,
           (long long)mem_cur, (long long)pc_hi, (long long)pcu_hi, (long long)psz_hi);
    if (rc != 0)
        printf("error=%s\n", err);
    return rc == 0 ? 0 : 1;
}

void bench_fig_memory(const bench_config *cfg, const char *path)
{
    char title[128];
    snprintf(title, sizeof title, "peak RSS studying %uk cards, above page cache", cfg->cards_large / 1000);
    bench_figure *f = bench_figure_new("memory_peak", title, "MB", 0, "<= 16 MB above SQLite's page cache");
    uint32_t answers = cfg->quick ? 20 : 100;
    bench_log("memory: a fresh process opens %s and answers %u cards", path, answers);

    int fds[2];
    if (pipe(fds) != 0) {
        bench_figure_fail(f, "pipe: %s", strerror(errno));
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        bench_figure_fail(f, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        char n[16];
        snprintf(n, sizeof n, "%u", answers);
        execl("/proc/self/exe", "alliance-bench", "--study-child", path, n, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[4096];
    size_t len = 0;
    ssize_t r;
    while (len + 1 < sizeof buf && (r = read(fds[0], buf + len, sizeof buf - 1 - len)) != 0) {
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        len += (size_t)r;
    }
    buf[len] = 0;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);

    int crc = -1;
    unsigned done = 0;
    long long rss_start = -1, hwm = -1, mem_hi = -1, mem_cur = -1, pc_hi = -1, pcu_hi = -1, psz = -1;
    long maxrss = -1;
    int n = sscanf(buf,
                   "rc=%d answers=%u rss_start=%lld hwm=%lld maxrss_kb=%ld sqlite_mem_hi=%lld sqlite_mem_cur=%lld "
                   "pagecache_hi=%lld pagecache_used_hi=%lld page_size_hi=%lld",
                   &crc, &done, &rss_start, &hwm, &maxrss, &mem_hi, &mem_cur, &pc_hi, &pcu_hi, &psz);
    if (n != 10 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || crc != 0) {
        char *e = strstr(buf, "error=");
        bench_figure_fail(f, "the study process failed (status %d): %s", status, e ? e + 6 : buf);
        return;
    }
    if (hwm < 0)
        hwm = (long long)maxrss * 1024; /* no /proc: ru_maxrss is the same high-water mark */
    double mb = 1024.0 * 1024.0;
    double pagecache = (double)pc_hi + (double)pcu_hi * (double)(psz > 0 ? psz : 0);
    f->value = ((double)hwm - pagecache) / mb;
    bench_figure_num(f, "peak_rss_mb", (double)hwm / mb);
    bench_figure_num(f, "rss_at_start_mb", (double)rss_start / mb);
    bench_figure_num(f, "sqlite_page_cache_peak_mb", pagecache / mb);
    bench_figure_num(f, "sqlite_heap_peak_mb", (double)mem_hi / mb);
    bench_figure_num(f, "above_start_and_page_cache_mb", ((double)hwm - (double)rss_start - pagecache) / mb);
    bench_figure_num(f, "answers", done);
    bench_figure_text(f, "measures",
                      "VmHWM of a fresh process (executable and shared libraries included) minus SQLite's "
                      "page-cache high-water mark (sqlite3_status64 PAGECACHE_OVERFLOW + PAGECACHE_USED)");
    if (mem_hi == 0)
        bench_figure_text(f, "note", "SQLite memory statistics are off in this libsqlite3 (SQLITE_DEFAULT_MEMSTATUS=0)");
    if (!f->error[0])
        f->met = f->value <= 16.0;
}
