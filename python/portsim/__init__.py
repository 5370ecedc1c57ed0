"""portsim - the portsim simulator from Python and Jupyter.

A thin ctypes binding of libportsim.so (include/portsim/portsim.h), the
standard library only; pandas is used when it is importable.

    import portsim
    r = portsim.run({"stack.profile": "win2000", "workload.rate": 40}, seed=1)
    r["metrics"]["connect_failures"], r["metrics"]["digest"]

run() is one run, sweep() a plain loop over run() (replication i runs with
the seed 'portsim sweep' gives it), read_db() the runs of a portsim
database.  A run is a pure function of (parameters, seed, version): run()
gives the digest 'portsim run --json' prints for the same keys and seed.

The library is looked for in this order: $PORTSIM_LIB (a path), next to this
package (portsim/libportsim.so), the build tree of a checkout
(build/libportsim.so beside python/), the installed prefix (PREFIX/lib when
this package is PREFIX/share/portsim/python/portsim), then the system's
search path.  Cost: loading the library once per process.
"""

import ctypes
import ctypes.util
import itertools
import json
import os
import sqlite3

__all__ = ["run", "sweep", "read_db", "version", "seed_derive", "library_path",
           "PortsimError"]

_HERE = os.path.dirname(os.path.abspath(__file__))
_LIB = []           # the loaded library, once: [ctypes.CDLL]


class PortsimError(Exception):
    """A run that did not happen: 'status' is 2 for bad input (an unknown
    key, a value out of range), 1 for anything else; the message is the
    one 'portsim run' prints."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def _candidates():
    env = os.environ.get("PORTSIM_LIB")
    if env:
        yield env
    yield os.path.join(_HERE, "libportsim.so")
    yield os.path.join(_HERE, "..", "..", "build", "libportsim.so")
    yield os.path.join(_HERE, "..", "..", "..", "..", "lib", "libportsim.so")


def library_path():
    """The path of the libportsim.so this package loads (or would load)."""
    env = os.environ.get("PORTSIM_LIB")
    if env:
        return env          # named explicitly: no silent fallback
    for path in _candidates():
        if os.path.isfile(path):
            return os.path.normpath(path)
    found = ctypes.util.find_library("portsim")
    if found:
        return found
    raise PortsimError("libportsim.so not found: set PORTSIM_LIB, or build it "
                       "('make' in a checkout) or install it ('make install')")


def _lib():
    if _LIB:
        return _LIB[0]
    lib = ctypes.CDLL(library_path())
    lib.portsim_run_json.argtypes = [ctypes.c_char_p, ctypes.c_uint64,
                                     ctypes.POINTER(ctypes.c_void_p),
                                     ctypes.POINTER(ctypes.c_void_p)]
    lib.portsim_run_json.restype = ctypes.c_int
    lib.portsim_free.argtypes = [ctypes.c_void_p]
    lib.portsim_free.restype = None
    lib.portsim_version.argtypes = []
    lib.portsim_version.restype = ctypes.c_char_p
    lib.portsim_seed_derive.argtypes = [ctypes.c_uint64, ctypes.c_uint32]
    lib.portsim_seed_derive.restype = ctypes.c_uint64
    _LIB.append(lib)
    return lib


def _take(lib, ptr):
    """The text of a string the library returned, released."""
    if not ptr.value:
        return None
    text = ctypes.string_at(ptr.value).decode("utf-8")
    lib.portsim_free(ptr.value)
    return text


def version():
    """The library's version, as 'portsim --version' prints it."""
    return _lib().portsim_version().decode("utf-8")


def seed_derive(seed, replication):
    """The seed replication 'replication' runs with (0: 'seed' itself)."""
    return int(_lib().portsim_seed_derive(seed, replication))


def run(params=None, seed=1):
    """One run of the scenario whose keys 'params' gives, with 'seed'.

    'params' maps 'section.key' names, as in a scenario file or --set
    ("workload.rate", "stack.port_max"), to values (numbers, strings such as
    "2min" or "win2000"); it may also be nested by section, like the
    result's "params".  Defaults fill the rest.  Returns a dict: "params"
    (every resolved key, by section), "params_hash", "seed" (an int),
    "replication" (0), "metrics" (DESIGN.md's names, the digest as 16 hex
    digits), "version" and "samples" (a list of [t_s, in_use, time_wait,
    connects, failures, requests]).  Raises PortsimError on bad input.
    """
    lib = _lib()
    result = ctypes.c_void_p()
    error = ctypes.c_void_p()
    text = json.dumps(params or {})
    status = lib.portsim_run_json(text.encode("utf-8"), seed, ctypes.byref(result),
                                  ctypes.byref(error))
    out, msg = _take(lib, result), _take(lib, error)
    if status != 0:
        raise PortsimError(msg or "run failed", status)
    r = json.loads(out)
    r["seed"] = int(r["seed"])
    return r


def sweep(base, vary, replications=1, seed=1):
    """Run 'base' at every combination of the values of 'vary', each with
    'replications' replications; a list of flat records.

    'vary' maps keys to lists of values; combinations go in the order of
    'portsim sweep' (keys in the dict's order, the last varying fastest),
    and replication i runs with seed_derive(seed, i) at every point (common
    random numbers), the seed 'portsim sweep' would give it.  Each record
    has the varied keys, "replication", "seed", "params_hash" and every
    metric; pandas.DataFrame(records) makes a table of them.
    """
    keys = list(vary)
    lists = [v if isinstance(v, (list, tuple, range)) else [v] for v in vary.values()]
    records = []
    for values in itertools.product(*lists):
        point = dict(zip(keys, values))
        params = dict(base)
        params.update(point)
        for i in range(replications):
            r = run(params, seed_derive(seed, i))
            rec = dict(point)
            rec.update(replication=i, seed=r["seed"], params_hash=r["params_hash"])
            rec.update(r["metrics"])
            records.append(rec)
    return records


def _flat_params(params_json):
    """{"stack": {"port_max": 5000}} -> {"stack.port_max": 5000}; a list
    (reserved_ports) is written as the INI file would: "1080, 3000-3100"."""
    flat = {}
    for section, keys in json.loads(params_json).items():
        if not isinstance(keys, dict):
            flat[section] = keys
            continue
        for key, value in keys.items():
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            flat[section + "." + key] = value
    return flat


def _rows(cur, sql, args=()):
    cur.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def read_db(path, pandas=None):
    """The runs of the portsim database 'path', in run order, one record each.

    A record has "run_id", "sweep" (its name or None), the columns of the
    runs table (remedy, point as a dict, scenario_name, params_hash, seed,
    replication, version, status, error, started_at, host...), one key per
    parameter named as in the scenario file ("workload.rate") and one per
    metric ("connect_failures", ...; None for a failed run).  Seeds are
    unsigned again.  With pandas importable (or pandas=True) the result is
    a DataFrame of those records; pandas=False always gives the list.
    """
    if not os.path.isfile(path):
        raise PortsimError("%s: no such database" % path)
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        cur = con.cursor()
        runs = _rows(cur, "SELECT r.*, s.name AS sweep FROM runs r "
                          "LEFT JOIN sweeps s ON s.id = r.sweep_id ORDER BY r.id")
        metrics = {m.pop("run_id"): m for m in _rows(cur, "SELECT * FROM metrics")}
        metric_names = [d[0] for d in cur.description if d[0] != "run_id"]
    finally:
        con.close()
    records = []
    for r in runs:
        rec = {"run_id": r.pop("id"), "sweep": r.pop("sweep")}
        r.pop("sweep_id", None)
        params = r.pop("params_json")
        rec.update(r)
        if rec.get("seed") is not None:
            # TEXT since schema version 4; a negative bit pattern before it
            rec["seed"] = int(rec["seed"]) % (1 << 64)
        rec["point"] = json.loads(rec.get("point") or "{}")
        rec.update(_flat_params(params))
        m = metrics.get(rec["run_id"], {})
        rec.update({k: m.get(k) for k in metric_names})
        records.append(rec)
    return _maybe_frame(records, pandas)


def _maybe_frame(records, want):
    if want is False:
        return records
    try:
        import pandas as pd
    except ImportError:
        if want:
            raise
        return records
    return pd.DataFrame.from_records(records)
