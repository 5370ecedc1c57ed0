/* profiles.c - the seven stack profiles (see profiles.h).
 *
 * Every value here has its source in the README's profile table; the
 * uncertain ones (Windows TcpTimedWaitDelay after 2003, Windows' choice
 * order after Vista, Linux tcp_max_tw_buckets) carry the most likely
 * default and are ordinary keys a scenario can override.
 */
#include "models/profiles.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>

#define S(x) ((simtime)(x) * SIMTIME_NS_PER_S)
#define MS(x) ((simtime)(x) * 1000000u)

/* Issue 17.  The TCP clock wraps: Windows Vista/7/2008/2008 R2 count 10 ms
 * ticks in 32 bits (KB 2553549: 2^32 x 10 ms = 497.1 days); macOS's tcp_now
 * counts ms in 32 bits and freezes at 2^32 ms (49 d 17 h 2 min 47.296 s).
 * Linux's connect() cost: see the README ("The cost of a connect()"). */
#define WRAP_WIN7 ((simtime)UINT64_C(4294967296) * MS(10))
#define WRAP_MACOS ((simtime)UINT64_C(4294967296) * MS(1))
#define LINUX_COST .connect_cost_ns = 10000, .candidate_cost_ns = 60, .lookup_cost_ns = 70

#define WINDOWS_BASE                                                                  \
    .allocator = ALLOC_SEQUENTIAL, .port_sharing = SHARING_EXCLUSIVE, .pool = POOL_HOST, \
    .tw_reuse_delay_ns = S(1), .max_time_wait = 0, .tw_overflow = TW_OVERFLOW_DROP_NEW, \
    .local_addresses = 1, .timer_tick_ns = 0, .random_fallback_cps = 0,               \
    .random_fallback_time_ns = S(45)

static const struct profile profiles[PROFILE_COUNT] = {
    [PROFILE_WIN2000] = {
        "win2000", "Windows NT 4, 2000, XP (MaxUserPort 5000, TcpTimedWaitDelay 240)",
        {.profile = PROFILE_WIN2000, .port_min = 1025, .port_max = 5000,
         .time_wait_ns = S(240), .reuse_time_wait = REUSE_NO,
         .collision = COLLISION_FAIL, WINDOWS_BASE},
        "WSAEADDRINUSE (10048)", NULL, "WSAEADDRINUSE (10048)", "event 4227"},
    [PROFILE_WIN2003] = {
        "win2003", "Windows Server 2003 SP1 and later 2003 (smart port allocation)",
        {.profile = PROFILE_WIN2003, .port_min = 1025, .port_max = 5000,
         .time_wait_ns = S(240), .reuse_time_wait = REUSE_WHEN_EXHAUSTED,
         .collision = COLLISION_FAIL, WINDOWS_BASE},
        "WSAEADDRINUSE (10048)", NULL, "WSAEADDRINUSE (10048)", "event 4227"},
    [PROFILE_WIN7] = {
        "win7", "Windows Vista, 7, Server 2008 and 2008 R2 (before hotfix 2826167/2901197)",
        {.profile = PROFILE_WIN7, .port_min = 49152, .port_max = 65535,
         .time_wait_ns = S(120), .reuse_time_wait = REUSE_WHEN_EXHAUSTED,
         .collision = COLLISION_FAIL, WINDOWS_BASE, .clock_wrap_ns = WRAP_WIN7},
        "WSAENOBUFS (10055)", "event 4231", "WSAEADDRINUSE (10048)", "event 4227"},
    [PROFILE_WIN8] = {
        "win8", "Windows 8, Server 2012 and later",
        {.profile = PROFILE_WIN8, .port_min = 49152, .port_max = 65535,
         .time_wait_ns = S(120), .reuse_time_wait = REUSE_WHEN_EXHAUSTED,
         .collision = COLLISION_SKIP, WINDOWS_BASE},
        "WSAENOBUFS (10055)", "event 4231", "WSAEADDRINUSE (10048)", "event 4227"},
    [PROFILE_LINUX] = {
        "linux", "Linux 4.6 and later (ip_local_port_range 32768 60999)",
        {.profile = PROFILE_LINUX, .port_min = 32768, .port_max = 60999,
         .time_wait_ns = S(60), .allocator = ALLOC_DOUBLE_HASH,
         .port_sharing = SHARING_PER_DESTINATION, .pool = POOL_PER_ADDRESS,
         .reuse_time_wait = REUSE_NO, .tw_reuse_delay_ns = S(1),
         .collision = COLLISION_SKIP, .max_time_wait = 0,
         .tw_overflow = TW_OVERFLOW_DROP_NEW, .local_addresses = 1,
         .timer_tick_ns = MS(2048), .random_fallback_cps = 0,
         .random_fallback_time_ns = S(45), LINUX_COST},
        "EADDRNOTAVAIL", NULL, "EADDRNOTAVAIL", NULL},
    [PROFILE_FREEBSD] = {
        "freebsd", "FreeBSD 13 (portrange.first 10000, msl 30 s, randomcps 10)",
        {.profile = PROFILE_FREEBSD, .port_min = 10000, .port_max = 65535,
         .time_wait_ns = S(60), .allocator = ALLOC_RANDOM,
         .port_sharing = SHARING_PER_DESTINATION, .pool = POOL_PER_ADDRESS,
         .reuse_time_wait = REUSE_NO, .tw_reuse_delay_ns = S(1),
         .collision = COLLISION_SKIP, .max_time_wait = 0,
         .tw_overflow = TW_OVERFLOW_RECYCLE_OLDEST, .local_addresses = 1,
         .timer_tick_ns = 0, .random_fallback_cps = 10,
         .random_fallback_time_ns = S(45)},
        "EADDRNOTAVAIL", NULL, "EADDRNOTAVAIL", NULL},
    [PROFILE_MACOS] = {
        "macos", "macOS (xnu: msl 15 s, randomize_ports 0)",
        {.profile = PROFILE_MACOS, .port_min = 49152, .port_max = 65535,
         .time_wait_ns = S(30), .allocator = ALLOC_SEQUENTIAL,
         .port_sharing = SHARING_EXCLUSIVE, .pool = POOL_PER_ADDRESS,
         .reuse_time_wait = REUSE_NO, .tw_reuse_delay_ns = S(1),
         .collision = COLLISION_SKIP, .max_time_wait = 0,
         .tw_overflow = TW_OVERFLOW_DROP_NEW, .local_addresses = 1,
         .timer_tick_ns = 0, .random_fallback_cps = 0,
         .random_fallback_time_ns = S(45), .clock_wrap_ns = WRAP_MACOS},
        "EADDRNOTAVAIL", NULL, "EADDRNOTAVAIL", NULL},
};

const struct profile *profile_get(enum profile_id id)
{
    assert((unsigned)id < PROFILE_COUNT);
    return &profiles[id];
}

const char *profile_error_words(const struct profile *pr, bool collision, char *buf,
                                size_t size)
{
    const char *error = collision ? pr->collision_error : pr->exhausted_error;
    const char *event = collision ? pr->collision_event : pr->exhausted_event;

    if (event)
        snprintf(buf, size, "%s, %s", error, event);
    else
        snprintf(buf, size, "%s", error);
    return buf;
}
