#!/usr/bin/env bash
# e2e_python.sh - the Python package (python/portsim) against the program:
# python3 -m unittest on tests/python/test_portsim.py, with the
# libportsim.so built beside $PORTSIM.  SKIP (exit 77) without python3; the
# pandas tests skip inside without pandas.  An ASan build's library is
# loaded with the sanitizer runtimes preloaded (Python itself is not
# instrumented), leak detection off.
set -eu
repo=$PWD
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP python3 is not installed"
    exit 77
fi
lib=$(dirname "$PORTSIM")/libportsim.so
if [ ! -f "$lib" ]; then
    echo "no $lib: build it with 'make'" >&2
    exit 1
fi
if nm -D "$lib" | grep -q ' U __asan_init'; then
    cc=${CC:-cc}
    LD_PRELOAD="$($cc -print-file-name=libasan.so) $($cc -print-file-name=libubsan.so)"
    export LD_PRELOAD ASAN_OPTIONS=detect_leaks=0
fi
export PORTSIM_LIB=$lib PORTSIM_REPO=$repo PYTHONPATH=$repo/python
python3 -c 'import portsim; print("portsim", portsim.version(), "from", portsim.library_path())'
python3 -m unittest -v tests/python/test_portsim.py
