# Sourced by run.sh and wrk.sh (from the repository root, with PORT set): starts Mirt from the jar in dry-run
# mode with the offline agent on 127.0.0.1:$PORT, and stops it when the calling script exits.
#
#   BENCH_JAR        the jar to run (default app/target/mirt.jar, built if missing)
#   BENCH_REDIS_URL  keep state in this Redis (loopback only) instead of memory, under a prefix of its own,
#                    mirt-bench:<random>:, whose keys are deleted at the end
#   BENCH_QUIET_SECONDS  the quiet window (MANYCHAT_DEBOUNCE_SECONDS; unset = Mirt's default)
#   BENCH_OUTBOX_SIZE    replies kept for GET /admin/outbox (MIRT_OUTBOX_SIZE; unset = Mirt's default)
#   BENCH_JAVA_OPTS      options for the JVM
#
# Mirt logs at WARN; whatever it logged is printed at the end.

JAR=${BENCH_JAR:-app/target/mirt.jar}
if [ -z "${BENCH_JAR:-}" ] && [ ! -f "$JAR" ]; then
  mvn -q -DskipTests package
fi
[ -f "$JAR" ] || { echo "no jar at $JAR" >&2; exit 2; }

STATE_ENV=()
BENCH_PREFIX=
if [ -n "${BENCH_REDIS_URL:-}" ]; then
  command -v redis-cli >/dev/null || { echo "BENCH_REDIS_URL needs redis-cli" >&2; exit 2; }
  redis_host=${BENCH_REDIS_URL#*://}
  redis_host=${redis_host##*@}
  redis_host=${redis_host%%[:/]*}
  case "$redis_host" in
    localhost | 127.*) ;;
    *) echo "the benchmark only uses a loopback Redis, not $redis_host" >&2; exit 2 ;;
  esac
  redis-cli --no-auth-warning -u "$BENCH_REDIS_URL" ping >/dev/null || { echo "no Redis at $redis_host" >&2; exit 2; }
  BENCH_PREFIX="mirt-bench:$(date +%s)-$$-$RANDOM:"
  STATE_ENV=(REDIS_URL="$BENCH_REDIS_URL" REDIS_PREFIX="$BENCH_PREFIX")
fi

if [ -n "${BENCH_QUIET_SECONDS:-}" ]; then
  STATE_ENV+=(MANYCHAT_DEBOUNCE_SECONDS="$BENCH_QUIET_SECONDS")
fi
if [ -n "${BENCH_OUTBOX_SIZE:-}" ]; then
  STATE_ENV+=(MIRT_OUTBOX_SIZE="$BENCH_OUTBOX_SIZE")
fi

MIRT_LOG=$(mktemp)
env -u MANYCHAT_API_KEY -u OPENAI_API_KEY -u OPENAI_BASE_URL -u REDIS_URL -u REDIS_PREFIX \
  -u MANYCHAT_DEBOUNCE_SECONDS -u MIRT_OUTBOX_SIZE ${STATE_ENV[@]+"${STATE_ENV[@]}"} \
  PORT="$PORT" MIRT_HTTP_HOST=127.0.0.1 MANYCHAT_VERIFY_TOKEN=bench-hook ADMIN_TOKEN=bench-admin \
  MIRT_LOG_LEVEL=WARN java ${BENCH_JAVA_OPTS:-} -jar "$JAR" >"$MIRT_LOG" 2>&1 &
MIRT_PID=$!

stop_mirt() {
  kill -TERM "$MIRT_PID" 2>/dev/null || true
  wait "$MIRT_PID" 2>/dev/null || true
  if [ -n "$BENCH_PREFIX" ]; then
    redis-cli --no-auth-warning -u "$BENCH_REDIS_URL" --scan --pattern "${BENCH_PREFIX}*" \
      | xargs -r -n 500 redis-cli --no-auth-warning -u "$BENCH_REDIS_URL" del >/dev/null
  fi
  if [ -s "$MIRT_LOG" ]; then
    echo "--- Mirt logged $(wc -l <"$MIRT_LOG") lines (WARN and above); the first 40:"
    head -n 40 "$MIRT_LOG"
  fi
  rm -f "$MIRT_LOG"
}
trap stop_mirt EXIT

for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$MIRT_PID" 2>/dev/null || { echo "Mirt did not start" >&2; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "Mirt did not become healthy on port $PORT" >&2; exit 1; }
if [ -n "$BENCH_PREFIX" ]; then
  echo "Mirt on 127.0.0.1:$PORT, state in Redis at $redis_host under $BENCH_PREFIX"
else
  echo "Mirt on 127.0.0.1:$PORT, state in memory"
fi
