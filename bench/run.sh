#!/usr/bin/env bash
# Starts Mirt (dry run, offline agent) on a loopback port, runs WebhookBench against it, stops Mirt.
# Usage: bench/run.sh [subscribers] [messages per subscriber] [concurrency]
# State is in memory; with BENCH_REDIS_URL=redis://127.0.0.1:6379/0 it is in that Redis, under a prefix of its
# own that is deleted at the end. See bench/mirt.sh for the other settings.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18080}
BENCH_QUIET_SECONDS=${BENCH_QUIET_SECONDS:-1}   # a 1 s quiet window, and an outbox that keeps every reply
BENCH_OUTBOX_SIZE=${BENCH_OUTBOX_SIZE:-100000}
source bench/mirt.sh
java bench/WebhookBench.java "http://127.0.0.1:$PORT" bench-hook bench-admin "${1:-500}" "${2:-3}" "${3:-32}"
