/* profiles.c - the eight stack profiles (see profiles.h).
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
#define GIB(x) ((uint64_t)(x) << 30)
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
    .random_fallback_time_ns = S(45), .memory_bytes = GIB(8), .hz = 0

static const struct profile profiles[PROFILE_COUNT] = {
    [PROFILE_WIN2000] = {
        "win2000", "Windows NT 4, 2000 (MaxUserPort 5000, TcpTimedWaitDelay 240)",
        {.profile = PROFILE_WIN2000, .port_min = 1025, .port_max = 5000,
         .time_wait_ns = S(240), .reuse_time_wait = REUSE_NO,
         .collision = COLLISION_FAIL, WINDOWS_BASE},
        "WSAEADDRINUSE (10048)", NULL, "WSAEADDRINUSE (10048)", "event 4227",
        PROFILE_CAP_FIXED, NULL},
    [PROFILE_WINXP] = {
        "winxp", "Windows XP (MaxUserPort 5000, TcpTimedWaitDelay 120 for IPv4, KB 314053)",
        {.profile = PROFILE_WINXP, .port_min = 1025, .port_max = 5000,
         .time_wait_ns = S(120), .reuse_time_wait = REUSE_NO,
         .collision = COLLISION_FAIL, WINDOWS_BASE},
        "WSAEADDRINUSE (10048)", NULL, "WSAEADDRINUSE (10048)", "event 4227",
        PROFILE_CAP_FIXED, NULL},
    [PROFILE_WIN2003] = {
        "win2003", "Windows Server 2003 SP1 and later 2003 (smart port allocation, 120 s)",
        {.profile = PROFILE_WIN2003, .port_min = 1025, .port_max = 5000,
         .time_wait_ns = S(120), .reuse_time_wait = REUSE_WHEN_EXHAUSTED,
         .collision = COLLISION_FAIL, WINDOWS_BASE},
        "WSAEADDRINUSE (10048)", NULL, "WSAEADDRINUSE (10048)", "event 4227",
        PROFILE_CAP_FIXED, NULL},
    [PROFILE_WIN7] = {
        "win7", "Windows Vista, 7, Server 2008 and 2008 R2 (before hotfix 2826167/2901197)",
        {.profile = PROFILE_WIN7, .port_min = 49152, .port_max = 65535,
         .time_wait_ns = S(120), .reuse_time_wait = REUSE_WHEN_EXHAUSTED,
         .collision = COLLISION_FAIL, WINDOWS_BASE, .clock_wrap_ns = WRAP_WIN7},
        "WSAENOBUFS (10055)", "event 4231", "WSAEADDRINUSE (10048)", "event 4227",
        PROFILE_CAP_FIXED, NULL},
    [PROFILE_WIN8] = {
        "win8", "Windows 8, Server 2012 and later",
        {.profile = PROFILE_WIN8, .port_min = 49152, .port_max = 65535,
         .time_wait_ns = S(120), .reuse_time_wait = REUSE_WHEN_EXHAUSTED,
         .collision = COLLISION_SKIP, WINDOWS_BASE},
        "WSAENOBUFS (10055)", "event 4231", "WSAEADDRINUSE (10048)", "event 4227",
        PROFILE_CAP_FIXED, NULL},
    [PROFILE_LINUX] = {
        "linux", "Linux 4.6 and later (ip_local_port_range 32768 60999)",
        {.profile = PROFILE_LINUX, .port_min = 32768, .port_max = 60999,
         .time_wait_ns = S(60), .allocator = ALLOC_DOUBLE_HASH,
         .port_sharing = SHARING_PER_DESTINATION, .pool = POOL_PER_ADDRESS,
         .reuse_time_wait = REUSE_NO, .tw_reuse_delay_ns = S(1),
         .collision = COLLISION_SKIP, .max_time_wait = 32768,
         .tw_overflow = TW_OVERFLOW_DROP_NEW, .local_addresses = 1,
         .timer_tick_ns = MS(2048), .random_fallback_cps = 0,
         .random_fallback_time_ns = S(45), .memory_bytes = GIB(8), .hz = 250, LINUX_COST},
        "EADDRNOTAVAIL", NULL, "EADDRNOTAVAIL", NULL, PROFILE_CAP_LINUX_EHASH,
        "TCPTimeWaitOverflow"},
    [PROFILE_FREEBSD] = {
        "freebsd", "FreeBSD 13 (portrange.first 10000, msl 30 s, randomcps 10, compressed tcptw)",
        {.profile = PROFILE_FREEBSD, .port_min = 10000, .port_max = 65535,
         .time_wait_ns = S(60), .allocator = ALLOC_RANDOM,
         .port_sharing = SHARING_PER_DESTINATION, .pool = POOL_PER_ADDRESS,
         .reuse_time_wait = REUSE_NO, .tw_reuse_delay_ns = S(1),
         .collision = COLLISION_SKIP, .max_time_wait = 27767,
         .tw_overflow = TW_OVERFLOW_RECYCLE_OLDEST, .local_addresses = 1,
         .timer_tick_ns = 0, .random_fallback_cps = 10,
         .random_fallback_time_ns = S(45), .memory_bytes = GIB(8), .hz = 0},
        "EADDRNOTAVAIL", NULL, "EADDRNOTAVAIL", NULL, PROFILE_CAP_FREEBSD_HALF_RANGE,
        "maxtcptw"},
    [PROFILE_MACOS] = {
        "macos", "macOS (xnu: msl 15 s, randomize_ports 0, implicit bind host-wide)",
        {.profile = PROFILE_MACOS, .port_min = 49152, .port_max = 65535,
         .time_wait_ns = S(30), .allocator = ALLOC_SEQUENTIAL,
         .port_sharing = SHARING_EXCLUSIVE, .pool = POOL_HOST,
         .reuse_time_wait = REUSE_NO, .tw_reuse_delay_ns = S(1),
         .collision = COLLISION_SKIP, .max_time_wait = 0,
         .tw_overflow = TW_OVERFLOW_DROP_NEW, .local_addresses = 1,
         .timer_tick_ns = 0, .random_fallback_cps = 0,
         .random_fallback_time_ns = S(45), .memory_bytes = GIB(8), .hz = 0,
         .clock_wrap_ns = WRAP_MACOS},
        "EADDRNOTAVAIL", NULL, "EADDRNOTAVAIL", NULL, PROFILE_CAP_FIXED, NULL},
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

/* ---- Issue 11: values the kernels derive ---- */

/* Linux tcp_max_tw_buckets for 'memory' bytes of RAM (4 KiB pages, 64-bit):
 * tcp_init() sizes the established hash with alloc_large_system_hash("TCP
 * established", ..., scale 17, ..., high_limit 512 Ki): the pages rounded
 * up to a whole MiB, one bucket per 2^17 bytes (pages >> 5), at least one
 * page of 8-byte buckets (512), rounded up to a power of two, at most
 * 524,288; tcp_sk_init() sets tcp_max_tw_buckets = (ehash_mask + 1) / 2. */
uint32_t profile_linux_tw_buckets(uint64_t memory_bytes)
{
    uint64_t pages = (memory_bytes + 4095) >> 12, n, pow2 = 1;

    pages = (pages + 255) / 256 * 256;          /* round_up(pages, SZ_1M / PAGE_SIZE) */
    n = pages >> 5;                             /* scale 17 - PAGE_SHIFT 12 */
    if (n < 512)
        n = 512;                                /* PAGE_SIZE / bucketsize */
    while (pow2 < n)
        pow2 <<= 1;                             /* roundup_pow_of_two */
    if (pow2 > 512 * 1024)
        pow2 = 512 * 1024;                      /* high_limit */
    return (uint32_t)(pow2 / 2);
}

/* FreeBSD tcptw_auto_size() (sys/netinet/tcp_timewait.c, <= 13): half the
 * ephemeral range, at least 32 (maxsockets / 5, the other bound, is larger
 * on any host with 1 GiB or more and is left out). */
uint32_t profile_freebsd_maxtcptw(uint32_t first, uint32_t last)
{
    uint32_t half = last > first ? (last - first) / 2 : (first - last) / 2;

    return half < 32 ? 32 : half;
}

/* The granularity of a 'time_wait' timer on Linux's timer wheel at 'hz'
 * (kernel/time/timer.c): 64 slots a level, level n's slots are 8^n jiffies
 * wide and it holds the timers that expire LVL_START(n) = 63 * 8^(n-1)
 * jiffies or more ahead (below LVL_START(n+1)); calc_index() rounds the
 * expiry up to the next slot of its level.  0 when 'hz' or 'time_wait' is
 * 0.  60 s: 5.12 s at 100 Hz, 2.048 s at 250, 1.7067 s at 300, 4.096 s at
 * 1000. */
simtime profile_linux_timer_tick(simtime time_wait_ns, uint32_t hz)
{
    uint64_t jiffies, gran = 1;
    unsigned depth = hz > 100 ? 9 : 8, lvl;

    if (hz == 0 || time_wait_ns == 0)
        return 0;
    /* below 2^64: time_wait <= 86400 s, hz <= 1000 */
    jiffies = (time_wait_ns * hz + SIMTIME_NS_PER_S - 1) / SIMTIME_NS_PER_S;
    for (lvl = 0; lvl + 1 < depth && jiffies >= (UINT64_C(63) << (3 * lvl)); lvl++)
        gran <<= 3;
    return (gran * SIMTIME_NS_PER_S + hz / 2) / hz;     /* gran <= 8^8 */
}

void profile_derive(struct stack_params *p, bool cap_set, bool tick_set)
{
    const struct profile *pr = profile_get(p->profile);

    if (!cap_set && pr->cap_rule == PROFILE_CAP_LINUX_EHASH)
        p->max_time_wait = profile_linux_tw_buckets(p->memory_bytes);
    else if (!cap_set && pr->cap_rule == PROFILE_CAP_FREEBSD_HALF_RANGE)
        p->max_time_wait = profile_freebsd_maxtcptw(p->port_min, p->port_max);
    if (!tick_set && p->hz != 0)
        p->timer_tick_ns = profile_linux_timer_tick(p->time_wait_ns, p->hz);
}
