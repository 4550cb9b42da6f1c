#!/usr/bin/env bash
# Installs what the tests need, then runs every test (`npm test`).
# - Debian's Chromium for the browser tests and nginx for the tested proxy
#   configuration (apt-get; as root, or with sudo).
# - npm packages (npm ci; better-sqlite3 compiles from source, ~2 min).
# - PostgreSQL: the suites run on SQLite always, and also on PostgreSQL when
#   TEST_DATABASE_URL is set or a local server answers at
#   postgres://postgres@127.0.0.1:5432/test; without one, they are reported as
#   skipped. Vitest finds it (test/global-setup.ts) and says so in its first lines.
# - Redis: the multi-instance tests also run over Redis when TEST_REDIS_URL is
#   set or a local server answers on 127.0.0.1:6379 (found the same way).
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

npm test
