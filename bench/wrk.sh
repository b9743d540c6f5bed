#!/usr/bin/env bash
# Webhook acknowledgement under load: starts Mirt (dry run, offline agent) on a loopback port, runs wrk with
# webhook.lua (a warm-up that is discarded, then the measured run with --latency), reads /health for the backlog
# the run left, polls it until that backlog has drained (bounded), prints the webhook's responses by status
# from /metrics, and stops Mirt.
# Usage: bench/wrk.sh [connections] [seconds] [warm-up seconds]
# State is in memory; with BENCH_REDIS_URL=redis://127.0.0.1:6379/0 it is in that Redis, under a prefix of its
# own that is deleted at the end. Mirt runs with its default settings (a 3 s quiet window); see bench/mirt.sh.
# BENCH_DRAIN_LIMIT bounds the wait for the drain (seconds, default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }
CONNECTIONS=${1:-32}
SECONDS_RUN=${2:-15}
WARMUP=${3:-10}
PORT=${BENCH_PORT:-18090}
source bench/mirt.sh
URL="http://127.0.0.1:$PORT"

echo "--- warm-up, ${WARMUP} s (discarded)"
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/webhook.lua "$URL" | grep -E 'Requests/sec|Non-2xx|Socket errors' || true
echo "--- measured, ${SECONDS_RUN} s"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" -s bench/webhook.lua --latency "$URL"
ms() { echo $(($(date +%s%N) / 1000000)); }
stopped=$(ms)

backlog() { # debounce and push parts of /health, one line
  curl -s -m 5 "$URL/health" | grep -oE '"(pendingSubscribers|pendingMessages|inFlight|pending)":-?[0-9]+' | tr '\n' ' '
}
echo "--- backlog right after the run: $(backlog)"
limit=${BENCH_DRAIN_LIMIT:-300}
drained=
while [ $(($(ms) - stopped)) -lt $((limit * 1000)) ]; do
  now=$(backlog)
  if echo "$now" | grep -q '"pendingMessages":0 ' && echo "$now" | grep -q '"inFlight":0 ' \
      && echo "$now" | grep -q '"pending":0 '; then
    drained=$(($(ms) - stopped))
    break
  fi
  sleep 0.2
done
if [ -n "$drained" ]; then
  printf -- '--- drained %d.%d s after the run stopped: %s\n' $((drained / 1000)) $((drained % 1000 / 100)) "$now"
else
  echo "--- NOT drained ${limit} s after the run stopped: $now"
fi
echo "--- webhook responses by status (warm-up and run), Redis errors, dead letters:"
curl -s -m 5 "$URL/metrics" | grep -E '^mirt_(webhook_requests_total|redis_errors_total|push_dead_letters_total|debounce_dead_letters_total)' || true
