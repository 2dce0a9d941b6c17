#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run them.
set -euo pipefail
cd "$(dirname "$0")/.."

# The page test runs Debian's chromium and checks that Chinese renders, which needs a CJK font.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "${missing[*]} missing: run 'sudo apt-get install ${missing[*]}' (needed by the upload page test)" >&2
  fi
fi
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  else
    echo "redis-server is missing: run 'sudo apt-get install redis-server' (needed by the Redis queue tests)" >&2
  fi
fi
bash scripts/setup.sh test
# Lint and format first (settings in pyproject.toml): a finding fails the run.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Two test processes (a CI machine has two cores); a file's tests stay in one process,
# so a module's conversions and servers are made once.
exec .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile "$@"
