#!/usr/bin/env bash
# The load run (issue 9): 50 simulated porting staff against gunicorn (4 workers) on PostgreSQL
# for 60 s, loopback only, headless; the p95 per page goes to BENCHMARKS.md ("Load" section).
#
#   bench/locust/run.sh                      # defaults below
#   USERS=50 RUN_TIME=60s WORKERS=4 LOAD_ORDERS=20000 bench/locust/run.sh
#   USERS=20 JOBS_DUE=10000 LOAD_ORDERS=100000 LOAD_DB=porting_load_100k bench/locust/run.sh
#
# gunicorn is started by the Procfile's own `web` line (its flags, --preload; WORKERS sets
# WEB_CONCURRENCY). JOBS_DUE=N (issue 21): N rows made due for the four clock jobs (committed,
# vacuumed), the Procfile's `worker` (django-q2 cluster) started too, and every clock job
# enqueued as the timed run starts (bench/locust/with_jobs.py); how long the cluster took is
# written next to the locust figures. REPORT=0 leaves BENCHMARKS.md alone.
#
# Uses its own database (porting_load by default; never porting_bench, porting_ci or test_*):
# created, migrated and filled with LOAD_ORDERS generated orders when it is empty. Starts
# gunicorn on a free 127.0.0.1 port in its own process group, stops exactly that group at the
# end (also on Ctrl-C or error). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-10}
RUN_TIME=${RUN_TIME:-60s}
WORKERS=${WORKERS:-4}
JOBS_DUE=${JOBS_DUE:-0}
REPORT=${REPORT:-1}
LOAD_ORDERS=${LOAD_ORDERS:-20000}
LOAD_DB=${LOAD_DB:-porting_load}
PGHOST_=${PGHOST_:-127.0.0.1}
export LOAD_PASSWORD=${LOAD_PASSWORD:-load-test-password-1}
export LOAD_USERS=$USERS
export DATABASE_URL="postgres://postgres@${PGHOST_}:5432/${LOAD_DB}"
export DJANGO_SETTINGS_MODULE=bench.locust.settings_load
export DEBUG=false
export SECRET_KEY=${SECRET_KEY:-load-run-secret-key-not-for-production-$(hostname)-0123456789abcdef}
export PIN_ENCRYPTION_KEY=${PIN_ENCRYPTION_KEY:-zTgIxc6Dm0o4q5uK1Yf5w0mJtq2yqgWq3hV5s8b1kXs=}
export CPNI_HASH_KEY=${CPNI_HASH_KEY:-load-run-cpni-hash-key-not-for-production-0123456789abcdef}
export ALLOWED_HOSTS=127.0.0.1,localhost
export LOG_LEVEL=WARNING
export EMAIL_HOST=""   # console email: a load run never mails anyone
export EMAIL_FILE_PATH=${EMAIL_FILE_PATH:-$(mktemp -d)}   # emails the jobs owe: not in data/
PY=$ROOT/.venv/bin/python
OUT=$ROOT/bench/results/load
mkdir -p "$OUT"

case "$PGHOST_" in 127.*|localhost) ;; *) echo "loopback PostgreSQL only" >&2; exit 2;; esac
case "$LOAD_DB" in porting_bench|porting_ci|test_*|postgres) echo "refusing $LOAD_DB" >&2; exit 2;; esac

# 1. locust in its own venv (gevent stays out of the project's venv and CI).
if [ ! -x bench/locust/.venv/bin/locust ]; then
  "${PYTHON:-python3}" -m venv bench/locust/.venv
  bench/locust/.venv/bin/pip install --quiet -r bench/requirements.txt
fi

# 2. The database: created, migrated, filled once.
psql -h "$PGHOST_" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$LOAD_DB'" | grep -q 1 \
  || createdb -h "$PGHOST_" -U postgres "$LOAD_DB"
"$PY" manage.py migrate --noinput -v 0
ORDERS=$(psql -h "$PGHOST_" -U postgres -d "$LOAD_DB" -tAc "SELECT count(*) FROM orders_portorder")
if [ "$ORDERS" -lt 100 ]; then
  "$PY" manage.py seed_demo >/dev/null 2>&1 || true
  "$PY" manage.py generate_load_data --orders "$LOAD_ORDERS" --seed 9
  ORDERS=$(psql -h "$PGHOST_" -U postgres -d "$LOAD_DB" -tAc "SELECT count(*) FROM orders_portorder")
fi
"$PY" manage.py shell -v 0 -c "
import os
from django.contrib.auth.models import Group, User
from axes.models import AccessAttempt
group = Group.objects.get(name='Porting staff')
for n in range(1, int(os.environ['LOAD_USERS']) + 1):
    user, _ = User.objects.get_or_create(username=f'load-staff-{n:02d}')
    user.set_password(os.environ['LOAD_PASSWORD'])
    user.is_active = True
    user.save()
    user.groups.add(group)
AccessAttempt.objects.filter(username__startswith='load-staff-').delete()
"
"$PY" manage.py collectstatic --noinput -v 0

# 3. gunicorn on a free loopback port, in its own process group.
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "$JOBS_DUE" -gt 0 ]; then
  "$PY" bench/locust/with_jobs.py prepare "$JOBS_DUE" | tee "$OUT/jobs-prepare.json"
fi
WEB_CMD=$(sed -n 's/^web: //p' Procfile)
HOST=127.0.0.1 PORT=$PORT WEB_CONCURRENCY=$WORKERS setsid bash -c "exec $WEB_CMD" \
  >"$OUT/gunicorn-access.log" 2>"$OUT/gunicorn-error.log" &
GUNICORN=$!
QCLUSTER=""
if [ "$JOBS_DUE" -gt 0 ]; then
  WORKER_CMD=$(sed -n 's/^worker: //p' Procfile)
  setsid bash -c "exec $WORKER_CMD" >"$OUT/qcluster.log" 2>&1 &
  QCLUSTER=$!
fi
SESSIONS_DIR=""
stop() {
  kill -TERM -- "-$GUNICORN" 2>/dev/null || true
  wait "$GUNICORN" 2>/dev/null || true
  if [ -n "$QCLUSTER" ]; then
    # django-q2's cluster may hang on TERM once its tasks are done (seen twice): KILL its
    # process group after 15 s.
    kill -TERM -- "-$QCLUSTER" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$QCLUSTER" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$QCLUSTER" 2>/dev/null || true
    wait "$QCLUSTER" 2>/dev/null || true
  fi
  [ -n "$SESSIONS_DIR" ] && rm -rf "$SESSIONS_DIR"
  return 0
}
trap stop EXIT
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break
  sleep 0.5
done

# 4. Everyone logs in through the form first (PBKDF2: ~1 s of CPU each), then locust,
#    headless and bounded, measures 60 s of desk work with those sessions.
SESSIONS_DIR=$(mktemp -d)   # session cookies: outside the repository, deleted below
bench/locust/.venv/bin/python bench/locust/login.py "http://127.0.0.1:$PORT" \
  "$SESSIONS_DIR/sessions.json" "$OUT/logins.json"
export LOAD_SESSIONS=$SESSIONS_DIR/sessions.json
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
JOBS=""
if [ "$JOBS_DUE" -gt 0 ]; then
  "$PY" bench/locust/with_jobs.py run 900 >"$OUT/jobs-run.json" &
  JOBS=$!
fi
bench/locust/.venv/bin/locust -f bench/locust/locustfile.py --headless \
  -u "$USERS" -r "$SPAWN_RATE" --run-time "$RUN_TIME" --stop-timeout 10 \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/load" --only-summary \
  --exit-code-on-error 0 2>&1 | tail -40
if [ -n "$JOBS" ]; then
  wait "$JOBS" || true
  cat "$OUT/jobs-run.json"
fi
stop
rm -rf "$SESSIONS_DIR"
trap - EXIT
[ "$REPORT" = "0" ] && exit 0

# 5. The p95 per page into BENCHMARKS.md.
"$PY" bench/locust/report.py "$OUT/load_stats.csv" --users "$USERS" --run-time "$RUN_TIME" \
  --workers "$WORKERS" --orders "$ORDERS" --load "$LOAD_AT_START" --logins "$OUT/logins.json"
