/* SPDX-License-Identifier: MIT */
/*
 * export_file.c - alliance_deck_export_file and alliance_export_file: an export
 * to a file that is replaced atomically (written aside, then renamed over it). The file written
 * is the one the path names: a symlink is followed to its target (the link
 * stays), anything but a regular file is refused. The file written aside is
 * named "<target>.tmp-<pid>-XXXXXX": an export killed half-way leaves it
 * behind, and the next export to the same target removes the ones whose
 * process is gone.
 */
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SYMLINKS 40 /* as the kernel's own limit for a path */

typedef struct file_out {
    int fd;
    int err; /* errno of the first failed write */
} file_out;

static int write_fd(void *opaque, const char *data, size_t len)
{
    file_out *out = opaque;
    while (len > 0) {
        ssize_t n = write(out->fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            out->err = errno;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Records a failure noticed outside the handle's lock. */
static int fail(alliance_db *db, int rc, const char *message)
{
    if (alliance__db_enter(db) != 0)
        return rc;
    return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "%s", message));
}

static int file_error(alliance_db *db, const char *what, const char *path, int err)
{
    char reason[128];
    int rc = err == ENOSPC || err == EDQUOT || err == EFBIG ? ALLIANCE_EFULL
             : err == ENOENT                              ? ALLIANCE_ENOTFOUND
                                                          : ALLIANCE_EIO;
    if (alliance__db_enter(db) != 0)
        return rc;
    return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "%s %s: %s", what, path,
                                                      alliance__errno_text(err, reason, sizeof reason)));
}

/* The directory part of `path` ("." for a bare name), in buf. */
static int dir_of(alliance__buf *buf, const char *path)
{
    const char *slash = strrchr(path, '/');
    buf->len = 0;
    if (!slash)
        return alliance__buf_puts(buf, ".");
    return alliance__buf_append(buf, path, slash == path ? 1 : (size_t)(slash - path));
}

/* Follows `path` through symlinks to the file an export must write: *out is that path.
 * *out_st is its stat when it exists (*out_exists). 0, or an errno value. */
static int resolve_target(const char *path, alliance__buf *out, struct stat *out_st, int *out_exists)
{
    out->len = 0;
    if (alliance__buf_puts(out, path) != 0)
        return ENOMEM;
    for (int hops = 0; hops <= MAX_SYMLINKS; hops++) {
        if (lstat(out->data, out_st) != 0) {
            if (errno != ENOENT)
                return errno;
            *out_exists = 0;
            return 0;
        }
        if (!S_ISLNK(out_st->st_mode)) {
            *out_exists = 1;
            return 0;
        }
        char link[4096];
        ssize_t n = readlink(out->data, link, sizeof link - 1);
        if (n < 0)
            return errno;
        if ((size_t)n == sizeof link - 1)
            return ENAMETOOLONG;
        link[n] = '\0';
        alliance__buf next = {0};
        int rc = 0;
        if (link[0] != '/') { /* relative to the link's own directory */
            rc = dir_of(&next, out->data);
            if (!rc)
                rc = alliance__buf_puts(&next, "/");
        }
        if (!rc)
            rc = alliance__buf_puts(&next, link);
        if (rc) {
            alliance__buf_free(&next);
            return ENOMEM;
        }
        alliance__buf_free(out);
        *out = next;
    }
    return ELOOP;
}

/* Whether `name` is "<base>.tmp-<pid>-XXXXXX"; *out_pid is the pid. */
static int our_temporary(const char *name, const char *base, long *out_pid)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0 || strncmp(name + n, ".tmp-", 5) != 0)
        return 0;
    const char *p = name + n + 5;
    char *end = NULL;
    errno = 0;
    long pid = strtol(p, &end, 10);
    if (end == p || errno || pid <= 0 || *end != '-' || strlen(end + 1) != 6)
        return 0;
    *out_pid = pid;
    return 1;
}

/* Removes what killed exports to `target` left behind: files of our naming whose process
 * is gone and that nobody holds a lock on. Best effort: a file it cannot judge is left. */
static void remove_stale_temporaries(const char *target)
{
    alliance__buf dir = {0}, file = {0};
    if (dir_of(&dir, target) != 0) {
        alliance__buf_free(&dir);
        return;
    }
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    DIR *d = opendir(dir.data);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        long pid = 0;
        if (!our_temporary(e->d_name, base, &pid) || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its process lives (or is another user's): it may be writing it */
        file.len = 0;
        if (alliance__buf_printf(&file, "%s/%s", dir.data, e->d_name) != 0)
            break;
        int fd = open(file.data, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
            continue;
        struct flock lock = {0};
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        if (fcntl(fd, F_SETLK, &lock) == 0) /* nobody (in another pid namespace) holds it */
            (void)unlink(file.data);
        close(fd);
    }
    if (d)
        closedir(d);
    alliance__buf_free(&dir);
    alliance__buf_free(&file);
}

/* fsync of the directory makes the rename itself durable. */
static void sync_parent(const char *path)
{
    alliance__buf dir = {0};
    if (dir_of(&dir, path) == 0) {
        int fd = open(dir.data, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            (void)fsync(fd);
            close(fd);
        }
    }
    alliance__buf_free(&dir);
}

static const char *file_kind(mode_t mode)
{
    return S_ISDIR(mode) ? "a directory" : S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device"
           : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket" : "not a file";
}

/* Runs `export` into a file written aside, then renamed over the file `path` names. */
typedef int (*export_fn)(alliance_db *db, const void *args, alliance_write_fn write, void *opaque);

static int export_to_file(alliance_db *db, const char *path, const char *what, export_fn export, const void *args)
{
    if (!db)
        return ALLIANCE_EINVAL;
    if (!path)
        return fail(db, ALLIANCE_EINVAL, what);
    alliance__buf target = {0}, tmp = {0};
    struct stat st;
    int exists = 0, rc = ALLIANCE_OK;
    int err = resolve_target(path, &target, &st, &exists);
    char message[ALLIANCE__ERRMSG_MAX];
    if (err == ENOMEM) {
        rc = fail(db, ALLIANCE_ENOMEM, "export: out of memory");
    } else if (err) {
        rc = file_error(db, "cannot export to", path, err);
    } else if (exists && !S_ISREG(st.st_mode)) {
        snprintf(message, sizeof message, "cannot export to %s: it is not a regular file (%s); nothing was written",
                 path, file_kind(st.st_mode));
        rc = fail(db, ALLIANCE_EIO, message);
    } else if (alliance__buf_printf(&tmp, "%s.tmp-%ld-XXXXXX", target.data, (long)getpid()) != 0) {
        rc = fail(db, ALLIANCE_ENOMEM, "export: out of memory");
    }
    if (rc) {
        alliance__buf_free(&target);
        alliance__buf_free(&tmp);
        return rc;
    }
    remove_stale_temporaries(target.data);
    file_out out = {mkstemp(tmp.data), 0};
    if (out.fd < 0) {
        rc = file_error(db, "cannot create", tmp.data, errno);
        alliance__buf_free(&target);
        alliance__buf_free(&tmp);
        return rc;
    }
    /* Locked while it is written: another export's cleanup never takes a live file. */
    struct flock lock = {0};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    (void)fcntl(out.fd, F_SETLK, &lock);
    /* The new file keeps the mode of the one it replaces (mkstemp makes it 0600). */
    (void)fchmod(out.fd, exists ? (st.st_mode & 07777) : 0644);

    rc = export(db, args, write_fd, &out);
    if (rc == ALLIANCE_EIO && out.err)
        rc = file_error(db, "cannot write", tmp.data, out.err);
    if (!rc && fsync(out.fd) != 0)
        rc = file_error(db, "cannot sync", tmp.data, errno);
    if (close(out.fd) != 0 && !rc)
        rc = file_error(db, "cannot close", tmp.data, errno);
    if (!rc && rename(tmp.data, target.data) != 0)
        rc = file_error(db, "cannot rename to", target.data, errno);
    if (rc)
        (void)unlink(tmp.data);
    else
        sync_parent(target.data);
    alliance__buf_free(&target);
    alliance__buf_free(&tmp);
    return rc;
}

typedef struct deck_args {
    int64_t deck_id;
    uint32_t format;
    const alliance_export_options *options;
    int64_t now;
} deck_args;

static int run_deck_export(alliance_db *db, const void *args, alliance_write_fn write, void *opaque)
{
    const deck_args *a = args;
    return alliance_deck_export(db, a->deck_id, a->format, write, opaque);
}

static int run_export(alliance_db *db, const void *args, alliance_write_fn write, void *opaque)
{
    const deck_args *a = args;
    return alliance_export(db, a->deck_id, a->options, a->now, write, opaque);
}

int alliance_deck_export_file(alliance_db *db, int64_t deck_id, uint32_t format, const char *path)
{
    deck_args args = {deck_id, format, NULL, 0};
    return export_to_file(db, path, "alliance_deck_export_file: path is NULL", run_deck_export, &args);
}

int alliance_export_file(alliance_db *db, int64_t deck_id, const alliance_export_options *options, int64_t now,
                         const char *path)
{
    deck_args args = {deck_id, 0, options, now};
    return export_to_file(db, path, "alliance_export_file: path is NULL", run_export, &args);
}
