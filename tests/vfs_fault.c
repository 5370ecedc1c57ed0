/* vfs_fault.c - an SQLite VFS that fails the N-th I/O call, for tests only.
 *
 * Built as a shared object by tests/e2e_db_faults.sh and loaded into
 * portsim with LD_PRELOAD: its constructor registers a VFS that wraps the
 * default one (SQLite's documented way, as its own test_vfs.c and
 * test_devsym.c do) and makes it the default, so the program under test is
 * the real binary, unchanged.  Nothing of it is in the library or the
 * program.
 *
 *   PORTSIM_FAULT=KIND:N   fail the N-th call (1-based, counted per process)
 *                          of KIND: write (SQLITE_IOERR_WRITE once), sync
 *                          (SQLITE_IOERR_FSYNC once), lock (SQLITE_IOERR_LOCK
 *                          once; xLock and xShmLock calls) or full (every
 *                          write from the N-th on is SQLITE_FULL: the disk
 *                          stays full)
 *   PORTSIM_FAULT_COUNT=F  at exit, append "write W sync S lock L" to F:
 *                          how many calls of each kind the process made
 *
 * Invariant: without PORTSIM_FAULT every call is passed through unchanged.
 * The counters are process-wide static data, which the library forbids
 * (STYLE.md §4) and a test harness needs; this file is not in the library.
 * Cost: one comparison per I/O call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

enum kind { K_WRITE, K_SYNC, K_LOCK, K_FULL, K_NONE };

struct fault_file {
    sqlite3_file base;          /* pMethods: fault_io */
    sqlite3_file *real;         /* the wrapped file, just after this struct */
};

static sqlite3_vfs fault_vfs;
static sqlite3_vfs *real_vfs;
static sqlite3_io_methods fault_io;
static enum kind fault_kind = K_NONE;
static long fault_at;
static long calls[3];           /* write, sync, lock */
static const char *count_path;

/* Whether this call of 'k' (write, sync or lock) is the one to fail. */
static int hit(enum kind k)
{
    long n = ++calls[k];

    if (fault_kind == K_FULL && k == K_WRITE)
        return n >= fault_at;
    return fault_kind == k && n == fault_at;
}

static struct fault_file *ff(sqlite3_file *f)
{
    return (struct fault_file *)f;
}

static int f_close(sqlite3_file *f)
{
    return ff(f)->real->pMethods->xClose(ff(f)->real);
}

static int f_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
    return ff(f)->real->pMethods->xRead(ff(f)->real, buf, amt, off);
}

static int f_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
    if (hit(K_WRITE))
        return fault_kind == K_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    return ff(f)->real->pMethods->xWrite(ff(f)->real, buf, amt, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return ff(f)->real->pMethods->xTruncate(ff(f)->real, size);
}

static int f_sync(sqlite3_file *f, int flags)
{
    if (hit(K_SYNC))
        return SQLITE_IOERR_FSYNC;
    return ff(f)->real->pMethods->xSync(ff(f)->real, flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return ff(f)->real->pMethods->xFileSize(ff(f)->real, size);
}

static int f_lock(sqlite3_file *f, int lock)
{
    if (hit(K_LOCK))
        return SQLITE_IOERR_LOCK;
    return ff(f)->real->pMethods->xLock(ff(f)->real, lock);
}

static int f_unlock(sqlite3_file *f, int lock)
{
    return ff(f)->real->pMethods->xUnlock(ff(f)->real, lock);
}

static int f_reserved(sqlite3_file *f, int *out)
{
    return ff(f)->real->pMethods->xCheckReservedLock(ff(f)->real, out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
    return ff(f)->real->pMethods->xFileControl(ff(f)->real, op, arg);
}

static int f_sector(sqlite3_file *f)
{
    return ff(f)->real->pMethods->xSectorSize(ff(f)->real);
}

static int f_devchar(sqlite3_file *f)
{
    return ff(f)->real->pMethods->xDeviceCharacteristics(ff(f)->real);
}

static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return ff(f)->real->pMethods->xShmMap(ff(f)->real, pg, pgsz, extend, pp);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    /* only taking a lock can fail; releasing one must not (SQLite asserts it) */
    if ((flags & SQLITE_SHM_LOCK) && hit(K_LOCK))
        return SQLITE_IOERR_LOCK;
    return ff(f)->real->pMethods->xShmLock(ff(f)->real, offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
    ff(f)->real->pMethods->xShmBarrier(ff(f)->real);
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
    return ff(f)->real->pMethods->xShmUnmap(ff(f)->real, del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
    return ff(f)->real->pMethods->xFetch(ff(f)->real, off, amt, pp);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return ff(f)->real->pMethods->xUnfetch(ff(f)->real, off, p);
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    struct fault_file *x = ff(f);
    int rc;

    (void)vfs;
    x->real = (sqlite3_file *)(x + 1);
    memset(x->real, 0, (size_t)real_vfs->szOsFile);
    rc = real_vfs->xOpen(real_vfs, name, x->real, flags, out);
    x->base.pMethods = x->real->pMethods ? &fault_io : NULL;
    return rc;
}

static void report_counts(void)
{
    FILE *f = fopen(count_path, "a");

    if (!f)
        return;
    fprintf(f, "write %ld sync %ld lock %ld\n", calls[K_WRITE], calls[K_SYNC], calls[K_LOCK]);
    fclose(f);
}

static void parse_fault(const char *spec)
{
    static const char *const names[] = {"write", "sync", "lock", "full"};
    const char *colon = strchr(spec, ':');

    if (!colon)
        return;
    for (int k = 0; k < 4; k++) {
        size_t len = strlen(names[k]);

        if (len == (size_t)(colon - spec) && memcmp(spec, names[k], len) == 0)
            fault_kind = (enum kind)k;
    }
    fault_at = strtol(colon + 1, NULL, 10);
}

/* Forwarders for the VFS calls this shim does not change. */
#define FWD(name) fault_vfs.name = real_vfs->name

__attribute__((constructor)) static void fault_init(void)
{
    const char *spec = getenv("PORTSIM_FAULT");

    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs)
        return;
    if (spec)
        parse_fault(spec);
    if ((count_path = getenv("PORTSIM_FAULT_COUNT")) != NULL)
        atexit(report_counts);
    fault_io = (sqlite3_io_methods){3, f_close, f_read, f_write, f_truncate, f_sync, f_size,
                                    f_lock, f_unlock, f_reserved, f_control, f_sector,
                                    f_devchar, f_shm_map, f_shm_lock, f_shm_barrier,
                                    f_shm_unmap, f_fetch, f_unfetch};
    fault_vfs = *real_vfs;
    fault_vfs.zName = "fault";
    fault_vfs.pNext = NULL;
    fault_vfs.szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile;
    fault_vfs.xOpen = v_open;
    FWD(xDelete);
    sqlite3_vfs_register(&fault_vfs, 1);
}
