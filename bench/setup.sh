#!/usr/bin/env bash
# Installs what `npm run bench` needs on Debian/Ubuntu: wrk (load generator), and Python's FastAPI,
# uvicorn, uvloop and httptools for the FastAPI peer variants. Not part of CI; the bench itself installs
# nothing and only prints these hints when something is missing.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

$SUDO apt-get update
$SUDO apt-get install -y wrk python3-fastapi python3-uvicorn python3-uvloop python3-httptools

# Debian puts the Python packages under /usr/bin/python3; the bench looks there first (BENCH_PYTHON overrides).
/usr/bin/python3 -c 'import fastapi, uvicorn, uvloop, httptools; print("FastAPI", fastapi.__version__, "uvicorn", uvicorn.__version__)'
wrk -v 2>&1 | head -1 || true
