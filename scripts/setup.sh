#!/usr/bin/env bash
# Create .venv and install budgetpack into it (editable); an argument names extras, e.g. "test".
# A fresh Debian machine may lack python3 or python3-venv (ensurepip): as root they are
# installed with apt-get; otherwise the script says what to install and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
  else
    echo "python3 with venv is missing: run 'sudo apt-get install python3 python3-venv'" >&2
    exit 1
  fi
fi
# A .venv made without ensurepip has a python but no pip: make it again.
[ -x .venv/bin/pip ] || python3 -m venv --clear .venv
.venv/bin/pip install -q --disable-pip-version-check -e ".${extras:+[$extras]}"
