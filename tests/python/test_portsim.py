"""test_portsim.py - the Python package against the portsim program.

Run by tests/e2e_python.sh: python3 -m unittest with PORTSIM (the program),
PORTSIM_LIB (its libportsim.so), PORTSIM_REPO (the checkout) and PYTHONPATH
(python/) set.  The package and the program must agree run for run: same
keys and seed, same digest and metrics; read_db() gives back what 'portsim
run' recorded.  The pandas tests skip, visibly, without pandas.
"""
import json
import os
import re
import subprocess
import tempfile
import unittest

import portsim

PORTSIM = os.environ["PORTSIM"]
REPO = os.environ["PORTSIM_REPO"]
KEYS = {"stack.profile": "win2000", "stack.port_max": 1100, "workload.rate": 40,
        "workload.cache_ttl": "1s", "run.duration": "2min", "run.sample_interval": "10s"}

try:
    import pandas  # noqa: F401
    HAVE_PANDAS = True
except ImportError:
    HAVE_PANDAS = False


def cli(*args, cwd=None):
    return subprocess.run([PORTSIM, *args], check=True, capture_output=True, text=True,
                          cwd=cwd).stdout


def sets(keys):
    out = []
    for k, v in keys.items():
        out += ["--set", "%s=%s" % (k, v)]
    return out


class RunTest(unittest.TestCase):
    def test_run_equals_cli_json(self):
        """Same keys, same seed: the digest, hash and every deterministic
        metric of 'portsim run --json'."""
        for seed in (1, 7):
            r = portsim.run(KEYS, seed=seed)
            c = json.loads(cli("run", "--no-db", "--json", "--seed", str(seed), *sets(KEYS)))
            self.assertEqual(r["metrics"]["digest"], c["metrics"]["digest"], seed)
            self.assertEqual(r["params_hash"], c["params_hash"])
            self.assertEqual(r["params"], c["params"])
            self.assertEqual(r["seed"], seed)
            for k, v in c["metrics"].items():
                if k != "wall_seconds":
                    self.assertEqual(r["metrics"][k], v, k)
            # 2 min sampled every 10 s: t = 0, 10, ..., 110
            self.assertEqual([s[0] for s in r["samples"]], [10.0 * i for i in range(12)])
            self.assertEqual(r["version"], portsim.version())

    def test_failures_happen(self):
        """76 ports under 40 connects/s with TIME_WAIT 240 s run dry: the
        run is not trivial (a digest of nothing would match anything)."""
        r = portsim.run(KEYS, seed=1)
        self.assertGreater(r["metrics"]["connect_failures"], 0)

    def test_params_round_trip(self):
        """The result's nested params run again give the same run."""
        r = portsim.run(KEYS, seed=3)
        self.assertEqual(portsim.run(r["params"], seed=3)["metrics"]["digest"],
                         r["metrics"]["digest"])

    def test_bad_key(self):
        with self.assertRaises(portsim.PortsimError) as cm:
            portsim.run({"stack.nosuch": 1})
        self.assertEqual(cm.exception.status, 2)
        self.assertIn("unknown key", str(cm.exception))
        with self.assertRaises(portsim.PortsimError) as cm:
            portsim.run({"stack.time_wait": -5})
        self.assertIn("stack.time_wait: must be 0..86400 s", str(cm.exception))

    def test_version_is_the_programs(self):
        self.assertEqual("portsim " + portsim.version(), cli("--version").strip())


class SweepTest(unittest.TestCase):
    def test_sweep_matches_replications(self):
        """sweep() with 2 replications: the seeds and digests of 'portsim run
        --replications 2', point by point, last key fastest."""
        vary = {"workload.rate": [10, 40], "stack.allocator": ["sequential", "random"]}
        recs = portsim.sweep(KEYS, vary, replications=2, seed=5)
        self.assertEqual(len(recs), 8)
        self.assertEqual([(r["workload.rate"], r["stack.allocator"], r["replication"])
                          for r in recs[:4]],
                         [(10, "sequential", 0), (10, "sequential", 1),
                          (10, "random", 0), (10, "random", 1)])
        keys = dict(KEYS, **{"workload.rate": 40, "stack.allocator": "random"})
        lines = cli("run", "--no-db", "--json", "--seed", "5", "--replications", "2",
                    *sets(keys)).splitlines()
        for rec, line in zip(recs[6:], lines):
            c = json.loads(line)
            self.assertEqual(str(rec["seed"]), c["seed"])
            self.assertEqual(rec["digest"], c["metrics"]["digest"])
        self.assertEqual(recs[6]["seed"], 5)


class ReadDbTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.dir.name, "t.db")
        out = cli("run", "--db", self.db, "--json", "--seed", "9", "--replications", "2",
                  *sets(KEYS))
        self.cli = [json.loads(line) for line in out.splitlines()]

    def tearDown(self):
        self.dir.cleanup()

    def test_read_db(self):
        recs = portsim.read_db(self.db, pandas=False)
        self.assertEqual(len(recs), 2)
        for rec, c in zip(recs, self.cli):
            self.assertEqual(rec["run_id"], c["run_id"])
            self.assertEqual(str(rec["seed"]), c["seed"])
            self.assertEqual(rec["digest"], c["metrics"]["digest"])
            self.assertEqual(rec["connect_failures"], c["metrics"]["connect_failures"])
            self.assertEqual(rec["workload.rate"], 40)
            self.assertEqual(rec["stack.profile"], "win2000")
            self.assertEqual(rec["stack.port_max"], 1100)
            self.assertEqual(rec["status"], "ok")
            self.assertEqual(rec["version"], portsim.version())
        # replication 1's seed is past 2^63: stored signed, read back unsigned
        self.assertEqual(recs[1]["seed"], portsim.seed_derive(9, 1))

    def test_missing_db(self):
        with self.assertRaises(portsim.PortsimError):
            portsim.read_db(os.path.join(self.dir.name, "nosuch.db"))

    @unittest.skipUnless(HAVE_PANDAS, "SKIP pandas is not installed (python3-pandas)")
    def test_read_db_pandas(self):
        df = portsim.read_db(self.db)
        self.assertEqual(len(df), 2)
        self.assertEqual(list(df["digest"]), [c["metrics"]["digest"] for c in self.cli])
        self.assertEqual(list(df["workload.rate"]), [40, 40])


class ReadmeTest(unittest.TestCase):
    def test_readme_python_blocks_run(self):
        """Every ```python block of the README's Python section runs, in
        order, in one namespace, in an empty directory."""
        text = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
        blocks = re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)
        self.assertGreaterEqual(len(blocks), 3)
        ns = {}
        with tempfile.TemporaryDirectory() as d:
            old = os.getcwd()
            os.chdir(d)
            env = dict(os.environ)
            os.environ["PATH"] = os.path.dirname(PORTSIM) + os.pathsep + env["PATH"]
            try:
                for i, b in enumerate(blocks):
                    exec(compile(b, "README.md python block %d" % (i + 1), "exec"), ns)
            finally:
                os.chdir(old)
                os.environ["PATH"] = env["PATH"]


if __name__ == "__main__":
    unittest.main()
