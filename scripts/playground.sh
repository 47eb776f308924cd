#!/usr/bin/env bash
# Quick start: from a fresh clone with only the system's Node (any version >= 18, for npm), sets everything up and
# runs the playground against the emulators embedded in it. About 45 s the first time (Node 24, pnpm, dependencies,
# build), about 10 s after that. Stop it with Ctrl-C.
#
#   PORT=4000 bash scripts/playground.sh   another port (PORT=0: a free one); default 3000
set -euo pipefail
cd "$(dirname "$0")/.."
AUTH_SDK_LOG_PREFIX=playground
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

ensure_tools
install_dependencies
say "building the packages the playground uses (turbo, cached after the first run)"
pnpm exec turbo run build --filter 'playground...' --output-logs=errors-only --log-prefix=none >/dev/null
say "ready in $(elapsed); starting the playground on port ${PORT:-3000}"
exec node apps/playground/dist/main.js
