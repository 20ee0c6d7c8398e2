#!/usr/bin/env bash
# The load test of the hardening issue, on its own database and Redis database whatever the caller's env:
# migrate cs_load, scale the demo to 200 agents and 1,000,000 messages (manage.py seed_load), then 50 locust
# users for 2 minutes against gunicorn on loopback (manage.py loadtest), which prints p50/p95/p99 per
# endpoint and fails on any error other than an intended 429. Needs .venv (make setup-dev), PostgreSQL and
# Redis on 127.0.0.1 (.ci/run starts them). Smaller or shorter runs:
#   LOAD_USERS=10 LOAD_SECONDS=20 LOAD_AGENTS=40 LOAD_MESSAGES=50000 .ci/load.sh
# LOAD_FRESH=1 drops cs_load first; LOAD_KEEP=<dir> keeps locust's CSV files and log.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

users=${LOAD_USERS:-50}
seconds=${LOAD_SECONDS:-120}
agents=${LOAD_AGENTS:-200}
messages=${LOAD_MESSAGES:-1000000}
py=.venv/bin/python

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/cs_load"
export REDIS_URL="redis://127.0.0.1:6379/6"
export DJANGO_SETTINGS_MODULE=cs_platform.settings.base
unset DEBUG GUNICORN_CMD_ARGS WEB_CONCURRENCY

pg_isready -q -h 127.0.0.1 -p 5432
if [ "${LOAD_FRESH:-0}" = 1 ]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c 'DROP DATABASE IF EXISTS cs_load WITH (FORCE)'
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'cs_load'" | grep -q 1; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c 'CREATE DATABASE cs_load'
fi
# The production settings gunicorn runs need the hashed static files' manifest.
[ -f staticfiles/staticfiles.json ] || make assets

log "Migrate cs_load"
$py manage.py migrate --noinput --verbosity 0

log "Seed: demo scaled to $agents agents and $messages messages"
SECONDS=0
$py manage.py seed_load --agents "$agents" --messages "$messages"
seed_seconds=$SECONDS

log "Load: $users users for $seconds s"
# Its own Redis database only (never FLUSHALL): rate counters and cached answers of an earlier run go.
$py -c 'import redis; redis.Redis.from_url("redis://127.0.0.1:6379/6").flushdb()'
SECONDS=0
status=0
$py manage.py loadtest --users "$users" --seconds "$seconds" ${LOAD_KEEP:+--keep "$LOAD_KEEP"} || status=$?
echo "seed_load took ${seed_seconds} s; the load run (start, warm-up, measure, stop) ${SECONDS} s"
exit $status
