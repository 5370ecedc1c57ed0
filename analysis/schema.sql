-- schema.sql - the portsim database, schema version 9, the current one
-- (DESIGN.md §8).
--
-- Embedded in the library at build time (Makefile: $(B)/analysis/schema_sql.c)
-- and run by store.c on an empty database inside one transaction, which also
-- sets PRAGMA user_version (STORE_SCHEMA_VERSION) and application_id.  Older
-- databases are brought here by store.c's migration steps (version 1, the
-- first release, kept 'samples' as a table of one row per sample: see
-- tests/fixtures/schema-v1.sql).  A new version edits this file and adds a
-- step to store.c's list that brings version N - 1 to it; never edit a
-- released step.
--
-- Conventions: times are ISO-8601 UTC text; simulated times are seconds
-- (REAL); counts are INTEGER; seeds (64-bit unsigned) are TEXT, the
-- unsigned decimal that --json prints and --seed takes (version 3 and
-- before stored their signed bit pattern: seeds of 2^63 and above came out
-- negative); digests are 16 hex digits.
-- Metric columns carry the names of DESIGN.md §6 (models/metrics.h).

CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    definition  TEXT NOT NULL DEFAULT '',       -- the sweep file's text
    created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- One row per run (one seed, one replication of one parameter set).  A run
-- of a sweep is identified by (sweep, params_hash, seed, replication):
-- resume skips it when an 'ok' row exists.  Runs outside a sweep
-- (sweep_id NULL) may repeat.
-- 'source' is 'kernel' for a run of the host's own TCP stack (portsim
-- calibrate), 'sim' for every simulated run (all runs recorded before
-- version 3, which added the column).
CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    sweep_id      INTEGER REFERENCES sweeps(id) ON DELETE CASCADE,
    remedy        TEXT NOT NULL DEFAULT '',
    point         TEXT NOT NULL DEFAULT '{}',   -- JSON of the varied values
    scenario_name TEXT NOT NULL,
    params_json   TEXT NOT NULL,                -- canonical JSON (scenario.h)
    params_hash   TEXT NOT NULL,                -- XXH3-128 of params_json, hex
    seed          TEXT NOT NULL,                -- unsigned decimal (version 7)
    replication   INTEGER NOT NULL,
    version       TEXT NOT NULL,                -- portsim version
    digest        TEXT,                         -- determinism witness; NULL if failed
    status        TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error         TEXT,                         -- why a failed run failed
    wall_seconds  REAL,
    started_at    TEXT NOT NULL,
    host          TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT 'sim' CHECK (source IN ('sim', 'kernel')),
    truncated_at  REAL,                         -- a stopped run (SIGINT, --max-memory):
                                                -- the simulated s its metrics reach; else NULL
    UNIQUE (sweep_id, params_hash, seed, replication)
);
CREATE INDEX runs_by_params ON runs (params_hash, seed, replication);

-- One row per successful run: every metric of DESIGN.md §6.
CREATE TABLE metrics (
    run_id                 INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    requests               INTEGER NOT NULL,
    cache_hits             INTEGER NOT NULL,
    connect_attempts       INTEGER NOT NULL,
    connects               INTEGER NOT NULL,
    connect_failures       INTEGER NOT NULL,
    failures_exhausted     INTEGER NOT NULL,
    failures_collision     INTEGER NOT NULL,
    retries                INTEGER NOT NULL,
    requests_failed        INTEGER NOT NULL,
    peak_in_use            INTEGER NOT NULL,
    mean_in_use            REAL NOT NULL,
    peak_time_wait         INTEGER NOT NULL,
    mean_time_wait         REAL NOT NULL,
    peak_server_time_wait  INTEGER NOT NULL,
    mean_server_time_wait  REAL NOT NULL,
    requests_unfinished    INTEGER NOT NULL,
    first_failure_time     REAL,                -- NULL: no connect() failed
    events                 INTEGER NOT NULL,
    wall_seconds           REAL NOT NULL,
    digest                 TEXT NOT NULL,
    -- version 4 (issue 11), last as ALTER TABLE puts it in an upgraded file
    time_wait_overflows    INTEGER NOT NULL DEFAULT 0,
    -- issue 17 (version 5): what a connect() costs, leaked sockets
    candidates_mean        REAL NOT NULL DEFAULT 0,     -- candidate ports per connect()
    candidates_p50         INTEGER NOT NULL DEFAULT 0,
    candidates_p99         INTEGER NOT NULL DEFAULT 0,
    candidates_max         INTEGER NOT NULL DEFAULT 0,
    connect_latency_p50_ns INTEGER NOT NULL DEFAULT 0,  -- the cost model's time, ns
    connect_latency_p99_ns INTEGER NOT NULL DEFAULT 0,
    peak_bound             INTEGER NOT NULL DEFAULT 0,  -- ports held by leaked sockets
    mean_bound             REAL NOT NULL DEFAULT 0
);

-- The time series: one row per run, the samples (one every
-- run.sample_interval of simulated time) as a compact JSON array
-- [[t, in_use, time_wait, connects, failures, requests], ...] in time order,
-- t in exact decimal seconds (analysis/series.h).  Version 1 had one row per
-- sample: 3,600 rows cost ~1.8 ms to insert, one row ~0.2 ms.
CREATE TABLE sample_series (
    run_id  INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    n       INTEGER NOT NULL,   -- number of samples
    data    TEXT NOT NULL       -- [[t, in_use, time_wait, connects, failures, requests], ...]
);

-- The samples one row each, with the columns (in their order) of version
-- 1's table.  't' is SQLite's REAL for the exact decimal: for whole seconds
-- the REAL version 1 stored, otherwise possibly off in the last bit
-- (store_run_load() is exact).  Deleting a row deletes its run's whole
-- series: it serves to clear runs out, not to edit a series.
CREATE VIEW samples AS
SELECT s.run_id AS run_id,
       CAST(json_extract(j.value, '$[0]') AS REAL) AS t,
       json_extract(j.value, '$[1]') AS in_use,
       json_extract(j.value, '$[2]') AS time_wait,
       json_extract(j.value, '$[3]') AS connects,
       json_extract(j.value, '$[4]') AS failures,
       json_extract(j.value, '$[5]') AS requests,
       coalesce(json_extract(j.value, '$[6]'), 0) AS bound,
       coalesce(json_extract(j.value, '$[7]'), 0) AS candidates_max
FROM sample_series s, json_each(s.data) j;
CREATE TRIGGER samples_delete INSTEAD OF DELETE ON samples
BEGIN
    DELETE FROM sample_series WHERE run_id = OLD.run_id;
END;

-- One row per run (failed runs too, with NULL metrics): the key parameters
-- and every metric, plus the failure ratios (0 when there was nothing to fail).
CREATE VIEW run_summary AS
SELECT r.id AS run_id,
       s.name AS sweep,
       r.remedy,
       r.point,
       r.scenario_name,
       r.params_hash,
       r.seed,
       r.replication,
       r.status,
       json_extract(r.params_json, '$.stack.profile') AS profile,
       json_extract(r.params_json, '$.stack.port_min') AS port_min,
       json_extract(r.params_json, '$.stack.port_max') AS port_max,
       json_extract(r.params_json, '$.stack.time_wait') AS time_wait,
       json_extract(r.params_json, '$.stack.allocator') AS allocator,
       json_extract(r.params_json, '$.workload.rate') AS rate,
       json_extract(r.params_json, '$.workload.cache_ttl') AS cache_ttl,
       json_extract(r.params_json, '$.workload.close') AS close,
       json_extract(r.params_json, '$.workload.servers') AS servers,
       m.requests, m.cache_hits, m.connect_attempts, m.connects, m.connect_failures,
       m.failures_exhausted, m.failures_collision, m.retries, m.requests_failed,
       m.peak_in_use, m.mean_in_use, m.peak_time_wait, m.mean_time_wait,
       m.peak_server_time_wait, m.mean_server_time_wait, m.requests_unfinished,
       m.time_wait_overflows,
       m.first_failure_time, m.events, m.wall_seconds, m.digest,
       CASE WHEN m.run_id IS NULL THEN NULL
            WHEN m.connect_attempts = 0 THEN 0.0
            ELSE CAST(m.connect_failures AS REAL) / m.connect_attempts END
           AS connect_failure_ratio,
       CASE WHEN m.run_id IS NULL THEN NULL
            WHEN m.requests = 0 THEN 0.0
            ELSE CAST(m.requests_failed AS REAL) / m.requests END
           AS request_failure_ratio
FROM runs r
LEFT JOIN sweeps s ON s.id = r.sweep_id
LEFT JOIN metrics m ON m.run_id = r.id;

-- One row per run and scenario key, in the INI file's names: the parameters
-- as a tidy (long) table, whatever keys a version of portsim records.  Join
-- it to run_summary on run_id, or pivot it ('portsim export runs' does: one
-- column per key).  Durations are in seconds.  Version 4.
CREATE VIEW run_params AS
SELECT r.id AS run_id,
       sec.key || '.' || k.key AS key,
       k.value AS value
FROM runs r, json_each(r.params_json) sec, json_each(sec.value) k
WHERE sec.type = 'object';
-- Version 8 (issue 12): the NAT layer's metrics of a run with [nat], in long
-- form: scope 'run' (idx 0), 'ip' (public IP idx) or 'host' (host idx);
-- 'name' is a field of models/metrics.h's NAT_SCOPE_FIELDS, or for scope
-- 'run' also connect_latency_p50, connect_latency_p99 (s), pool_resets and
-- failure_words (text: the vendor's words for a dropped SYN).  Per-IP and
-- per-host counts sum to the run's.
CREATE TABLE nat_metrics (
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    scope   TEXT NOT NULL CHECK (scope IN ('run', 'ip', 'host')),
    idx     INTEGER NOT NULL,
    name    TEXT NOT NULL,
    value,                      -- a number, or text for failure_words
    PRIMARY KEY (run_id, scope, idx, name)
) WITHOUT ROWID;

-- Version 9 (issue 12): the lanes of a run with [nat] and samples, one row
-- per public IP ('ip', from 0): at each of the run's samples, in time order,
-- [t, ports, drops, flows]: t as in sample_series (the same times), the
-- public ports of the IP held by at least one translation at t, and the
-- SYNs dropped (their search began at the IP) and translations made on it
-- in the interval since the previous sample.  Summed over the IPs, ports
-- are the NAT's ports in use and drops its drops in that interval.
CREATE TABLE nat_lanes (
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    ip      INTEGER NOT NULL,
    n       INTEGER NOT NULL,   -- number of samples
    data    TEXT NOT NULL,      -- [[t, ports, drops, flows], ...]
    PRIMARY KEY (run_id, ip)
) WITHOUT ROWID;

-- The lanes one row per (run, IP, sample).
CREATE VIEW nat_lane_samples AS
SELECT l.run_id AS run_id,
       l.ip AS ip,
       CAST(json_extract(j.value, '$[0]') AS REAL) AS t,
       json_extract(j.value, '$[1]') AS ports,
       json_extract(j.value, '$[2]') AS drops,
       json_extract(j.value, '$[3]') AS flows
FROM nat_lanes l, json_each(l.data) j;
