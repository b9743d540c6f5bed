#!/usr/bin/env bash
# Starts Mirt (dry run, offline agent) on a free loopback port, runs WebhookBench against it, stops Mirt.
# Usage: bench/run.sh [subscribers] [messages per subscriber] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f app/target/mirt.jar ] || mvn -q -DskipTests package
PORT=${BENCH_PORT:-18080}
LOG=$(mktemp)
env -u MANYCHAT_API_KEY -u OPENAI_API_KEY -u OPENAI_BASE_URL -u REDIS_URL \
  PORT=$PORT MIRT_HTTP_HOST=127.0.0.1 MANYCHAT_VERIFY_TOKEN=bench-hook ADMIN_TOKEN=bench-admin \
  MANYCHAT_DEBOUNCE_SECONDS=${BENCH_QUIET_SECONDS:-1} MIRT_OUTBOX_SIZE=100000 MIRT_LOG_LEVEL=WARN \
  java ${BENCH_JAVA_OPTS:-} -jar app/target/mirt.jar >"$LOG" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 $PID 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.2
done
java bench/WebhookBench.java "http://127.0.0.1:$PORT" bench-hook bench-admin "${1:-500}" "${2:-3}" "${3:-32}"
