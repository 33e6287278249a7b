# The whole service for a test tier that drives it from outside (scripts/mini-real,
# scripts/fuzz-api): a Temporal dev server, a fresh database, the worker and the API, on ports
# of its own. Source after common.sh; call start_stack, and stop_stack from the EXIT trap.
#
#   start_stack BASE NAME    ports BASE+33 (Temporal), +34 (its UI), +64 (worker metrics),
#                            +80 (API), +91 (fake WeChat Pay), +92 (fake community platform);
#                            database NAME_<run id>; exports what the binaries read
#                            (the caller may export more before: CLUB_*, WECHAT_TEMPLATE_* ...)
#   stop_stack               stops what start_stack started, drops the database, removes
#                            STACK_DIR unless STACK_KEEP_LOGS=1
#
# Sets STACK_DIR (logs, Temporal state), STACK_API (http://host:port), STACK_DB.

STACK_API_PID=""
STACK_WORKER_PID=""
STACK_DIR=""
STACK_DB=""

_stack_drop_database() {
    [[ -n "$STACK_DB" ]] || return 0
    local host port
    read -r host port < <(url_host_port "${TEST_DATABASE_URL:-mysql://root@127.0.0.1:3306}" 3306)
    if command -v mysql >/dev/null 2>&1; then
        mysql -h "$host" -P "$port" -uroot -e "DROP DATABASE IF EXISTS \`$STACK_DB\`" >/dev/null 2>&1 || true
    fi
}

# stack_logs: prints the last lines of the api and worker logs.
stack_logs() {
    local f
    for f in "$STACK_DIR"/logs/api.log "$STACK_DIR"/logs/worker.log; do
        [[ -s "$f" ]] || continue
        log "last lines of $(basename "$f"):"
        tail -n 30 "$f" >&2
    done
}

stop_stack() {
    stop_pid api "$STACK_API_PID" 10
    stop_pid worker "$STACK_WORKER_PID" 20
    stop_pid "fake WeChat Pay" "${FAKE_PAY_PID:-}" 5
    stop_pid "fake community platform" "${FAKE_COMMUNITY_PID:-}" 5
    stop_pid temporal "$TEMPORAL_PID" 15
    _stack_drop_database
    if [[ -n "$STACK_DIR" ]]; then
        if [[ "${STACK_KEEP_LOGS:-0}" == "1" ]]; then
            log "logs kept in $STACK_DIR/logs"
        else
            rm -rf "$STACK_DIR"
        fi
    fi
}

start_stack() {
    local base="$1" name="$2"
    local server="${TEST_DATABASE_URL:-mysql://root@127.0.0.1:3306}"
    server="${server%/}"
    local target="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
    local run_id
    run_id="$(date +%s)_$$"
    local temporal_port=$((base + 33)) ui_port=$((base + 34)) metrics_port=$((base + 64)) api_port=$((base + 80))
    local pay_port=$((base + 91)) community_port=$((base + 92))
    local port
    for port in "$api_port" "$temporal_port" "$ui_port" "$metrics_port" "$pay_port" "$community_port"; do
        if port_open 127.0.0.1 "$port"; then
            log "port $port is in use (another run of this tier?)"
            return 1
        fi
    done
    for bin in api worker fake-wechatpay fake-community; do
        [[ -x "$target/debug/$bin" ]] || { log "$target/debug/$bin is missing (cargo build --bins)"; return 1; }
    done
    STACK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")"
    STACK_DB="${name//-/_}_${run_id}"
    mkdir -p "$STACK_DIR/logs"
    export APP_ENV=development
    export DATABASE_URL="$server/$STACK_DB"
    export TEMPORAL_ADDRESS="127.0.0.1:$temporal_port"
    export TEMPORAL_NAMESPACE=default
    export TEMPORAL_TASK_QUEUE="$name-$run_id"
    export API_ADDR="127.0.0.1:$api_port"
    export WORKER_METRICS_ADDR="127.0.0.1:$metrics_port"
    export RUST_LOG="${RUST_LOG:-info}"
    export LOG_FORMAT=pretty
    start_temporal_dev "$temporal_port" "$ui_port" "$STACK_DIR/temporal.db" "$STACK_DIR/logs/temporal.log" || return 1
    start_fake_wechatpay "$pay_port" "$STACK_DIR/logs/fake-wechatpay.log" "$API_ADDR" || return 1
    start_fake_community "$community_port" "$STACK_DIR/logs/fake-community.log" || return 1
    if ! "$target/debug/api" migrate >"$STACK_DIR/logs/migrate.log" 2>&1; then
        cat "$STACK_DIR/logs/migrate.log" >&2
        return 1
    fi
    "$target/debug/worker" >"$STACK_DIR/logs/worker.log" 2>&1 </dev/null &
    STACK_WORKER_PID=$!
    "$target/debug/api" >"$STACK_DIR/logs/api.log" 2>&1 </dev/null &
    STACK_API_PID=$!
    STACK_API="http://$API_ADDR"
    if ! wait_for_http "$STACK_API/healthz" 90 "$STACK_API_PID" "$STACK_WORKER_PID" "$TEMPORAL_PID"; then
        log "the service did not become healthy"
        stack_logs
        return 1
    fi
    log "service up: api $API_ADDR, temporal $TEMPORAL_ADDRESS, database $STACK_DB"
}
