#!/usr/bin/env bash
# demo.sh PORTSIM - the main job on the embedded defaults (make demo): the
# KB 319502 mail front-end on Windows 2000, then the first remedy the
# article gives, both recorded in the database (./portsim.db by default).
set -eu
portsim=$1
db=${PORTSIM_DB:-portsim.db}

echo "== KB 319502: 40 requests/s, MailboxCacheTTL 1 s, Windows 2000 defaults"
"$portsim" run experiments/kb319502/kb319502.ini --db "$db"
echo
echo "== Remedy: MaxUserPort = 65534 (same requests: same seed)"
"$portsim" run experiments/kb319502/remedy-maxuserport.ini --db "$db"
echo
echo "Both runs are recorded in $db; for example:"
echo "  sqlite3 -header -column $db 'select run_id, scenario_name, requests, connect_failures," \
     "peak_time_wait from run_summary'"
