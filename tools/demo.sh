#!/usr/bin/env bash
# demo.sh PORTSIM - the main job on the embedded defaults (make demo).
set -eu
portsim=$1
"$portsim" engine
