#!/usr/bin/env bash
# Installs what the tests need, then runs every test (`npm test`).
# - Debian's Chromium for the browser tests and nginx for the tested proxy
#   configuration (apt-get; as root, or with sudo).
# - npm packages (npm ci; better-sqlite3 compiles from source, ~2 min).
# - PostgreSQL: the suites run on SQLite always, and also on PostgreSQL when
#   TEST_DATABASE_URL is set or a local server answers on 127.0.0.1:5432.
# - Redis: the multi-instance tests also run over Redis when TEST_REDIS_URL is
#   set or a local server answers on 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
if [ -n "$missing" ]; then
  echo "Installing Debian packages for the tests:$missing"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # nginx runs only inside the tests (deploy/nginx.test.ts); the package must not start its own server.
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    echo "exit 101" | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  [ -z "$created_policy" ] || $SUDO rm -f /usr/sbin/policy-rc.d
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
