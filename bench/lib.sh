# Helpers of bench/run (sourced from the repository root): Mirt, the fakes, wrk, Redis, results.
# Everything started here is recorded in STARTED and stopped by bench_cleanup; every Redis prefix used is
# recorded in PREFIXES and its keys are deleted there.

MIRT_PORT=18090
FAKE_PORT=18091
BASELINE_PORT=18092
MIRT_URL="http://127.0.0.1:$MIRT_PORT"
FAKE_URL="http://127.0.0.1:$FAKE_PORT"

STARTED=()      # pids to stop at exit
PREFIXES=()     # Redis prefixes to delete at exit
declare -A R    # results: R[key]=value
MIRT_PID=
MIRT_LOG=
MIRT_RUNS=0
CURRENT_PREFIX=

log() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- processes

# stop_pid PID [seconds]: TERM, wait up to the limit, then KILL
stop_pid() {
  local pid=$1 limit=${2:-30} until
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  until=$(($(now_ms) + limit * 1000))
  while kill -0 "$pid" 2>/dev/null && [ "$(now_ms)" -lt "$until" ]; do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "  (pid $pid did not stop within ${limit} s of TERM; killing it)"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

forget_pid() {
  local pid=$1 kept=() p
  for p in ${STARTED[@]+"${STARTED[@]}"}; do [ "$p" = "$pid" ] || kept+=("$p"); done
  STARTED=(${kept[@]+"${kept[@]}"})
}

bench_cleanup() {
  local p
  for p in ${STARTED[@]+"${STARTED[@]}"}; do stop_pid "$p" 20; done
  STARTED=()
  for p in ${PREFIXES[@]+"${PREFIXES[@]}"}; do redis_delete_prefix "$p" || true; done
  PREFIXES=()
  [ -n "${BENCH_TMP:-}" ] && rm -rf "$BENCH_TMP"
}

# wait_http URL SECONDS [PID]: polls until the URL answers 2xx; fails at the deadline or when PID exits
wait_http() {
  local url=$1 limit=$2 pid=${3:-} until
  until=$(($(now_ms) + limit * 1000))
  while [ "$(now_ms)" -lt "$until" ]; do
    curl -sf -m 2 -o /dev/null "$url" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.05
  done
  return 1
}

# ---- Mirt

# start_mirt memory|redis [VAR=value...]: starts Mirt from the jar on 127.0.0.1:$MIRT_PORT with a clean
# environment (only the variables given here), waits for /health
start_mirt() {
  local mode=$1; shift
  MIRT_RUNS=$((MIRT_RUNS + 1))
  MIRT_LOG="$BENCH_TMP/mirt-$MIRT_RUNS.log"
  local envs=(PATH="$PATH" HOME="$HOME" LANG=C.UTF-8
    MIRT_HTTP_HOST=127.0.0.1 PORT="$MIRT_PORT" MANYCHAT_VERIFY_TOKEN=bench-hook ADMIN_TOKEN=bench-admin
    MIRT_LOG_LEVEL=WARN MIRT_SHUTDOWN_GRACE_SECONDS=1)
  [ -n "${JAVA_HOME:-}" ] && envs+=(JAVA_HOME="$JAVA_HOME")
  envs+=(MIRT_DEBOUNCE_SWEEP_MS="$SWEEP_MS")
  CURRENT_PREFIX=
  if [ "$mode" = redis ]; then
    CURRENT_PREFIX="mirt-bench:$(date +%s)-$$-$RANDOM$RANDOM:"
    PREFIXES+=("$CURRENT_PREFIX")
    envs+=(REDIS_URL="$BENCH_REDIS_URL" REDIS_PREFIX="$CURRENT_PREFIX")
  fi
  env -i "${envs[@]}" "$@" java ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" >"$MIRT_LOG" 2>&1 &
  MIRT_PID=$!
  STARTED+=("$MIRT_PID")
  if ! wait_http "$MIRT_URL/health" 60 "$MIRT_PID"; then
    log "Mirt did not become healthy on $MIRT_URL within 60 s; its output:"
    head -n 40 "$MIRT_LOG"
    return 1
  fi
  log "  Mirt up (pid $MIRT_PID, state: $mode${CURRENT_PREFIX:+, Redis prefix $CURRENT_PREFIX})"
}

# stop_mirt: TERM and wait; prints what Mirt logged (WARN and above); deletes the run's Redis keys
stop_mirt() {
  [ -n "$MIRT_PID" ] || return 0
  stop_pid "$MIRT_PID" 60
  forget_pid "$MIRT_PID"
  MIRT_PID=
  if [ -s "$MIRT_LOG" ]; then
    log "  --- Mirt logged $(wc -l <"$MIRT_LOG") lines; the first 40:"
    head -n 40 "$MIRT_LOG" | sed 's/^/  | /'
  fi
  if [ -n "$CURRENT_PREFIX" ]; then
    redis_delete_prefix "$CURRENT_PREFIX"
    local kept=() p
    for p in ${PREFIXES[@]+"${PREFIXES[@]}"}; do [ "$p" = "$CURRENT_PREFIX" ] || kept+=("$p"); done
    PREFIXES=(${kept[@]+"${kept[@]}"})
    CURRENT_PREFIX=
  fi
}

# health_json: Mirt's /health body (empty when it does not answer)
health_json() { curl -s -m 5 "$MIRT_URL/health" || true; }

# health_field NAME: the first integer "NAME":n in /health
health_field() { health_json | grep -oE "\"$1\":-?[0-9]+" | head -n1 | cut -d: -f2; }

# drain_mirt SECONDS: polls /health until nothing is buffered, in flight or waiting in the outbox; prints the
# seconds it took, or fails at the deadline
drain_mirt() {
  local limit=$1 start until h
  start=$(now_ms); until=$((start + limit * 1000))
  while [ "$(now_ms)" -lt "$until" ]; do
    h=$(health_json)
    if echo "$h" | grep -q '"pendingMessages":0[,}]' && echo "$h" | grep -q '"inFlight":0[,}]' \
        && echo "$h" | grep -q '"pending":0[,}]'; then
      awk -v ms=$(($(now_ms) - start)) 'BEGIN { printf "%.1f", ms / 1000 }'
      return 0
    fi
    sleep 0.2
  done
  log "  not drained after ${limit} s: $(echo "$h" | grep -oE '"(pendingSubscribers|pendingMessages|inFlight|pending)":-?[0-9]+' | tr '\n' ' ')" >&2
  return 1
}

# ---- the fakes (bench/Pipeline.java serve)

start_fake() {
  FAKE_LOG="$BENCH_TMP/fake.log"
  java -cp "$BENCH_JAR" bench/Pipeline.java serve --port "$FAKE_PORT" >"$FAKE_LOG" 2>&1 &
  FAKE_PID=$!
  STARTED+=("$FAKE_PID")
  local until=$(($(now_ms) + 60000))
  while ! grep -q '^READY' "$FAKE_LOG"; do
    kill -0 "$FAKE_PID" 2>/dev/null && [ "$(now_ms)" -lt "$until" ] || { cat "$FAKE_LOG"; die "the fake ManyChat did not start"; }
    sleep 0.1
  done
}

stop_fake() {
  [ -n "${FAKE_PID:-}" ] || return 0
  stop_pid "$FAKE_PID" 10
  forget_pid "$FAKE_PID"
  FAKE_PID=
}

# fake_stat NAME: a number from the fake's /stats
fake_stat() { curl -s -m 5 "$FAKE_URL/stats" | grep -oE "\"$1\":[0-9]+" | cut -d: -f2; }

# ---- wrk

# run_wrk KEY URL [VAR=value...]: a warm-up of BENCH_WARMUP s (discarded) and a measured run of BENCH_SECONDS s
# with bench/webhook.lua; the VAR=value pairs go to the Lua script. Sets R[KEY.rps], R[KEY.p50], … from done().
# WRK_BETWEEN, when set, is a command run between the warm-up and the measured run.
run_wrk() {
  local key=$1 url=$2; shift 2
  local out="$BENCH_TMP/wrk-$key.txt"
  env "$@" BENCH_ID_BASE=100000000 wrk -t2 -c32 -d"${BENCH_WARMUP}s" -s bench/webhook.lua "$url" >"$out.warmup" 2>&1 \
    || { cat "$out.warmup"; die "wrk failed (warm-up of $key)"; }
  [ -n "${WRK_BETWEEN:-}" ] && eval "$WRK_BETWEEN"
  env "$@" BENCH_ID_BASE=200000000 wrk -t2 -c32 -d"${BENCH_SECONDS}s" -s bench/webhook.lua --latency "$url" >"$out" 2>&1 \
    || { cat "$out"; die "wrk failed ($key)"; }
  parse_wrk "$key" "$out"
  log "  $key: $(printf '%.0f' "${R[$key.rps]}") req/s, p50 ${R[$key.p50]} ms, p99 ${R[$key.p99]} ms, p99.9 ${R[$key.p999]} ms, status>=400: ${R[$key.non2xx]}, socket errors: ${R[$key.sockerr]}"
}

# parse_wrk KEY FILE: reads the BENCH_WRK line into R
parse_wrk() {
  local key=$1 file=$2 line kv k v
  line=$(grep '^BENCH_WRK ' "$file" | tail -n1) || { cat "$file"; die "no BENCH_WRK line in wrk's output ($key)"; }
  for kv in ${line#BENCH_WRK }; do
    k=${kv%%=*}; v=${kv#*=}
    case $k in
      p50_ms) R[$key.p50]=$(printf '%.2f' "$v") ;;
      p99_ms) R[$key.p99]=$(printf '%.2f' "$v") ;;
      p999_ms) R[$key.p999]=$(printf '%.2f' "$v") ;;
      *) R[$key.$k]=$v ;;
    esac
  done
  R[$key.sockerr]=$((R[$key.connect] + R[$key.read] + R[$key.write] + R[$key.timeout]))
}

# ---- Redis

redis_cli() { redis-cli --no-auth-warning -u "$BENCH_REDIS_URL" "$@"; }

redis_ok() { [ "$(redis_cli ping 2>/dev/null)" = PONG ]; }

# keys and summed MEMORY USAGE of a prefix, in one server-side scan: "keys bytes"
redis_prefix_usage() {
  redis_cli --raw eval '
    local cursor, keys, bytes = "0", 0, 0
    repeat
      local r = redis.call("SCAN", cursor, "MATCH", ARGV[1], "COUNT", 1000)
      cursor = r[1]
      for _, k in ipairs(r[2]) do
        keys = keys + 1
        bytes = bytes + (redis.call("MEMORY", "USAGE", k, "SAMPLES", "0") or 0)
      end
    until cursor == "0"
    return {keys, bytes}' 0 "$1*" | tr '\n' ' '
}

redis_delete_prefix() {
  local prefix=$1 n
  case "$prefix" in mirt-bench:*:) ;; *) log "  refusing to delete keys of prefix '$prefix'"; return 1 ;; esac
  n=$(redis_cli --raw eval '
    local cursor, n = "0", 0
    repeat
      local r = redis.call("SCAN", cursor, "MATCH", ARGV[1], "COUNT", 1000)
      cursor = r[1]
      for _, k in ipairs(r[2]) do redis.call("UNLINK", k); n = n + 1 end
    until cursor == "0"
    return n' 0 "$prefix*" 2>/dev/null) || { log "  could not delete the keys of $prefix"; return 1; }
  log "  deleted $n Redis keys under $prefix"
}

redis_used_memory() { redis_cli info memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }'; }

# ---- numbers

# fmt_int N: 12345.6 -> 12,346
fmt_int() { LC_ALL=C printf '%.0f' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
# calc EXPR: awk arithmetic with 2 decimals
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
# yesno EXPR: "yes" when the awk condition holds
yesno() {
  case "$1" in *[Nn]a[Nn]* | *"  "* | *"( "* | *" )"*) echo no; return ;; esac   # a figure missing or not a number
  awk "BEGIN { exit !($1) }" 2>/dev/null && echo yes || echo no
}
