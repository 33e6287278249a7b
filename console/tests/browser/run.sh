#!/usr/bin/env bash
# Real-browser test of the staff console: starts its own Temporal dev server, a fresh
# database, the worker and the API (serving console/dist), then drives headless Chromium
# through console.test.mjs (node's test runner). Everything it started is stopped at the end.
#
#   console/tests/browser/run.sh            (after `cargo build --bins` and `npm run build`)
#
# Environment: TEST_DATABASE_URL (default mysql://root@127.0.0.1:3306), CARGO_TARGET_DIR
# (where the api/worker binaries are; default target/), CHROMIUM (default /usr/bin/chromium),
# SCREENSHOTS=dir to keep the page screenshots there.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$REPO_ROOT"
LOG_PREFIX="[console-browser]"
# shellcheck source=../../../scripts/lib/common.sh
source scripts/lib/common.sh

BIN_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug"
for bin in api worker; do
    [[ -x "$BIN_DIR/$bin" ]] || { log "$BIN_DIR/$bin missing: run cargo build --bins first"; exit 1; }
done
[[ -f console/dist/index.html ]] || { log "console/dist missing: run (cd console && npm ci && npm run build)"; exit 1; }
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[[ -x "$CHROMIUM" ]] || { log "$CHROMIUM missing: apt-get install -y chromium fonts-noto-cjk"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
WORK="$(mktemp -d)"
TEMPORAL_PID="" API_PID="" WORKER_PID=""
SERVER="${TEST_DATABASE_URL:-mysql://root@127.0.0.1:3306}"
DB_NAME="console_e2e_$$"
export DATABASE_URL="${SERVER%/}/$DB_NAME"

cleanup() {
    local rc=$?
    set +e
    stop_pid api "$API_PID" 10
    stop_pid worker "$WORKER_PID" 20
    stop_pid temporal "$TEMPORAL_PID" 10
    read -r db_host db_port < <(url_host_port "$SERVER" 3306)
    command -v mysql >/dev/null 2>&1 && mysql -h "$db_host" -P "$db_port" -uroot -e "DROP DATABASE IF EXISTS \`$DB_NAME\`" >/dev/null 2>&1
    if ((rc != 0)); then
        for f in "$WORK"/api.log "$WORK"/worker.log; do
            [[ -s "$f" ]] && { log "last lines of $f:"; tail -n 30 "$f" >&2; }
        done
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT

mysql_reachable "$SERVER"
ensure_temporal_cli
TEMPORAL_PORT="$(free_port)"
UI_PORT="$(free_port)"
start_temporal_dev "$TEMPORAL_PORT" "$UI_PORT" "$WORK/temporal.db" "$WORK/temporal.log"

API_PORT="$(free_port)"
export APP_ENV=development TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_PORT" TEMPORAL_NAMESPACE=default \
    TEMPORAL_TASK_QUEUE="console-e2e" API_ADDR="127.0.0.1:$API_PORT" WORKER_METRICS_ADDR="127.0.0.1:$(free_port)" \
    ADMIN_USERNAME=admin ADMIN_PASSWORD=admin-password CONSOLE_DIR="$REPO_ROOT/console/dist" \
    TEMPORAL_UI_URL="http://127.0.0.1:$UI_PORT" RUST_LOG=info,sqlx=warn LOG_FORMAT=pretty
"$BIN_DIR/api" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
"$BIN_DIR/worker" >"$WORK/worker.log" 2>&1 </dev/null &
WORKER_PID=$!
"$BIN_DIR/api" >"$WORK/api.log" 2>&1 </dev/null &
API_PID=$!
wait_for_http "http://127.0.0.1:$API_PORT/healthz" 60 "$API_PID" "$WORKER_PID" "$TEMPORAL_PID" \
    || { log "the API did not become healthy"; exit 1; }
log "stack up: API http://127.0.0.1:$API_PORT, Temporal 127.0.0.1:$TEMPORAL_PORT, database $DB_NAME"

cd console
API_URL="http://127.0.0.1:$API_PORT" CHROMIUM="$CHROMIUM" node --test tests/browser/
