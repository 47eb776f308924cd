#!/usr/bin/env bash
# Runs every check of the repository, as CI does: lint, typecheck, build, tests, package checks, then one summary
# line. From a fresh clone it first fetches Node 24 and pnpm (scripts/setup.sh), installs dependencies, starts a
# redis-server when none answers on 127.0.0.1:6379 (and stops it at the end), and installs Chromium with apt-get
# for the playground's browser tests when /usr/bin/chromium is missing and apt-get may be used. About 10-15 min on
# 2 cores (less when turbo's cache has the unchanged packages).
set -euo pipefail
cd "$(dirname "$0")/.."
AUTH_SDK_LOG_PREFIX="${AUTH_SDK_LOG_PREFIX:-test}"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

ensure_tools

# The Redis store's tests need a server: start one only if none answers, and stop only the one started here.
trap stop_started_redis EXIT
start_redis_if_down

# The playground's browser tests drive Debian's Chromium (playwright cannot download its own here).
if { [ -d apps/playground ] || [ -d apps/runtimes ]; } && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing chromium with apt-get for the playground's browser tests (about 25 s, once)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
      say "chromium install failed: the browser tests skip (and fail under CI=true)"
  else
    say "no /usr/bin/chromium (apt-get install -y chromium): the browser tests skip (and fail under CI=true)"
  fi
fi

install_dependencies
rm -rf packages/*/test-results apps/*/test-results docs/test-results
say "running lint, typecheck, build, tests and package checks (pnpm test)"
status=0
pnpm test || status=$?
node scripts/test-summary.mjs || status=1
say "done in $(elapsed)"
exit $status
