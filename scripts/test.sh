#!/usr/bin/env bash
# Installs what the tests need, then runs every test (`npm test`).
# - Debian's Chromium for the browser tests (apt-get; as root, or with sudo).
# - npm packages (npm ci; better-sqlite3 compiles from source, ~2 min).
# - PostgreSQL: the suites run on SQLite always, and also on PostgreSQL when
#   TEST_DATABASE_URL is set or a local server answers on 127.0.0.1:5432.
# - Redis: the multi-instance tests also run over Redis when TEST_REDIS_URL is
#   set or a local server answers on 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium (Debian package) for the browser tests..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

npm ci --no-audit --no-fund

if [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
fi
if [ -z "${TEST_REDIS_URL:-}" ] && command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  export TEST_REDIS_URL="redis://127.0.0.1:6379"
fi
echo "Redis: ${TEST_REDIS_URL:-not found (the multi-instance tests run over PostgreSQL LISTEN/NOTIFY only)}"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "Databases: SQLite and PostgreSQL (${TEST_DATABASE_URL})"
else
  echo "Databases: SQLite only (set TEST_DATABASE_URL=postgres://… to also test PostgreSQL)"
fi

npm test
