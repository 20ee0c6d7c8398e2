#!/usr/bin/env bash
# API fuzzing of the hardening issue, the longer run: schemathesis's CLI against gunicorn on loopback, once per
# role (anonymous, agent, supervisor, QA inspector, manager), every operation of /api/schema/. Fails on any
# server error or answer the schema does not describe (and on any operation the CLI could not test).
# The suite runs the same checks in process with fewer examples: tests/test_api_fuzz.py.
#
# Its own database (cs_fuzz_ci, dropped and seeded each run) and Redis database 7. Needs .venv
# (make setup-dev), PostgreSQL and Redis on 127.0.0.1 (.ci/run starts them). Knobs:
#   FUZZ_EXAMPLES=25 (per operation and role)  FUZZ_ROLES="agent manager"  FUZZ_KEEP=<dir> (logs, reports)
#   FUZZ_CHECKS=... (comma-separated; default: the five the issue requires)  FUZZ_PHASES (see below)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

examples=${FUZZ_EXAMPLES:-25}
# coverage (every boundary and invalid variant of every parameter) sends ~15,000 requests per role: on its own
# it takes longer than the whole run may. FUZZ_PHASES=examples,coverage,fuzzing,stateful for a night run.
phases=${FUZZ_PHASES:-examples,fuzzing}
roles=${FUZZ_ROLES:-"anonymous agent supervisor qa manager"}
checks=${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance}
keep=${FUZZ_KEEP:-$(mktemp -d)}
mkdir -p "$keep"
py=.venv/bin/python

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/cs_fuzz_ci"
export REDIS_URL="redis://127.0.0.1:6379/7"
export DJANGO_SETTINGS_MODULE=cs_platform.settings.base
# The fuzzer sends thousands of requests a minute with one token: the rates would answer most of them 429.
export API_THROTTLE_USER=1000000/minute API_THROTTLE_ANON=1000000/minute API_THROTTLE_WEBHOOK=1000000/minute
export ALLOWED_HOSTS=127.0.0.1,localhost
unset DEBUG GUNICORN_CMD_ARGS WEB_CONCURRENCY

pg_isready -q -h 127.0.0.1 -p 5432
log "Fresh database cs_fuzz_ci: migrate and seed the demo"
psql -q -h 127.0.0.1 -U postgres -d postgres -c 'DROP DATABASE IF EXISTS cs_fuzz_ci WITH (FORCE)'
psql -q -h 127.0.0.1 -U postgres -d postgres -c 'CREATE DATABASE cs_fuzz_ci'
$py manage.py migrate --noinput --verbosity 0
$py manage.py seed_demo --chat-days 2 >/dev/null
$py -c 'import redis; redis.Redis.from_url("redis://127.0.0.1:6379/7").flushdb()'

# One token per demo login (seed_demo's people); anonymous sends none.
declare -A username=([agent]=wang [supervisor]=sup.pre [qa]=qa [manager]=manager)
token_of() {
  $py manage.py shell -c "from rest_framework.authtoken.models import Token
from teams.models import User
print(Token.objects.get_or_create(user=User.objects.get(username='$1'))[0].key)" | tail -n 1
}

port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log "gunicorn on 127.0.0.1:$port"
.venv/bin/gunicorn cs_platform.wsgi:application --bind "127.0.0.1:$port" --workers 2 --timeout 60 \
  --no-control-socket --access-logfile /dev/null --error-logfile "$keep/gunicorn.log" >>"$keep/gunicorn.log" 2>&1 &
gunicorn_pid=$!
trap 'kill "$gunicorn_pid" 2>/dev/null; wait "$gunicorn_pid" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/ping/" && break
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/ping/"

schema_url="http://127.0.0.1:$port/api/schema/"
operations=$(curl -fsS "$schema_url" | $py -c 'import sys, yaml
paths = yaml.safe_load(sys.stdin)["paths"]
print(sum(m in ("get", "put", "patch", "post", "delete") for ops in paths.values() for m in ops))')
echo "$operations operations in the schema"

# Revoking the token would turn every later request of the role into a 401: that operation runs on its own,
# after the others, with a token of its own.
revoke=/api/v1/auth/token/revoke/
run_role() {  # role, token, label of the pass, operations it must test, extra arguments...
  local role=$1 token=$2 pass=$3 expected=$4
  shift 4
  local auth=()
  [ -n "$token" ] && auth=(--header "Authorization: Token $token")
  local out="$keep/$role-$pass"
  local status=0
  SECONDS=0
  .venv/bin/schemathesis run "$schema_url" "${auth[@]}" --checks "$checks" --max-examples "$examples" \
    --phases "$phases" \
    --generation-deterministic --generation-with-security-parameters false --workers 1 --no-color \
    --suppress-health-check all --request-timeout 30 --output-truncate true \
    --report junit --report-junit-path "$out.xml" "$@" >"$out.log" 2>&1 || status=$?
  local seconds=$SECONDS
  # Every operation of the pass must have been tested: a skipped or missing one fails the role.
  $py - "$out.xml" "$role" "$pass" "$status" "$seconds" "$expected" <<'PY' || status=3
import os
import sys
import xml.etree.ElementTree as ET

path, role, label, status, seconds, expected = sys.argv[1:]
if not os.path.exists(path):
    print(f"  {role:<10} {label:<7} no report: schemathesis did not run (exit {status}), see {path[:-4]}.log")
    sys.exit(1)
tested = failed = skipped = 0
for case in ET.parse(path).getroot().iter("testcase"):
    if case.find("skipped") is not None:
        skipped += 1
    elif case.find("failure") is not None or case.find("error") is not None:
        failed += 1
        tested += 1
    else:
        tested += 1
print(f"  {role:<10} {label:<7} operations tested {tested}/{expected}, with failures or errors {failed}, "
      f"skipped {skipped}; exit {status}, {seconds} s")
sys.exit(0 if tested == int(expected) and not skipped else 1)
PY
  # schemathesis's own summary: operations selected and tested, phases, failures, test cases.
  sed -n '/= SUMMARY =/,$p' "$out.log" | grep -vE '^(Reports:|  - JUnit|Seed:|For more information)' |
    grep -v '^$' | sed 's/^/      /' || true
  return "$status"
}

failed_roles=()
for role in $roles; do
  token=""
  [ "$role" != anonymous ] && token=$(token_of "${username[$role]}")
  log "Role $role: every operation but $revoke, $examples examples each"
  run_role "$role" "$token" main $((operations - 1)) --exclude-path "$revoke" || failed_roles+=("$role")
  log "Role $role: $revoke"
  run_role "$role" "$token" revoke 1 --include-path "$revoke" || failed_roles+=("$role/revoke")
done

log "Summary ($operations operations per role; logs and JUnit reports in $keep)"
if [ ${#failed_roles[@]} -gt 0 ]; then
  echo "FAILED: ${failed_roles[*]} (see the logs for each failure and a curl command that reproduces it)"
  exit 1
fi
echo "0 failures for roles: $roles"
