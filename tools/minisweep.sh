#!/usr/bin/env bash
# minisweep.sh PORTSIM DB NAME REPLICATIONS DURATION "RATES" REMEDY=SCENARIO...
#
# A sweep made by hand, for tests and for the README's pictures while
# 'portsim sweep' is not there: for each remedy (its scenario file) and each
# rate, 'portsim run' the replications (seeds derived from run.seed, so every
# remedy sees the same arrivals), then tag the new runs in the database with
# the sweep, the remedy and the point {"workload.rate":R}, as 'portsim sweep'
# records them.  Example:
#   tools/minisweep.sh build/portsim kb.db kb319502-remedies 10 3600 "5 10 20 40 80" \
#       baseline=experiments/kb319502.ini maxuserport=experiments/remedy-maxuserport.ini
set -eu
portsim=$1 db=$2 name=$3 reps=$4 duration=$5 rates=$6
shift 6
sqlite_() { sqlite3 -bail "$db" "$@"; }
for spec in "$@"; do
    remedy=${spec%%=*} scenario=${spec#*=}
    for rate in $rates; do
        before=$(sqlite_ 'select coalesce(max(id), 0) from runs' 2>/dev/null || echo 0)
        "$portsim" run "$scenario" --set workload.rate="$rate" --set run.duration="$duration" \
            --replications "$reps" --db "$db" --quiet
        sqlite_ "insert or ignore into sweeps (name, definition) values ('$name', 'minisweep');
                 update runs set sweep_id = (select id from sweeps where name = '$name'),
                        remedy = '$remedy', point = json_object('workload.rate', $rate)
                 where id > $before;"
    done
done
