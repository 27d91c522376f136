#!/usr/bin/env bash
# The whole check, as CI runs it: a throwaway PostgreSQL cluster and Redis on free loopback
# ports, then ruff, Django's checks, the migrations check and pytest against them.
# Both services are stopped and their directories removed on exit, whatever happens.
# Extra arguments are passed to pytest (e.g. scripts/test.sh -m "not e2e" -x).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
if [[ -x "$ROOT/.venv/bin/python" ]]; then
  export VIRTUAL_ENV="$ROOT/.venv"
  export PATH="$ROOT/.venv/bin:$PATH"
fi

if [[ -t 1 ]]; then
  section() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
  section() { printf '\n==> %s\n' "$*"; }
fi

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql (run: make system-deps)" >&2
  exit 1
fi
command -v redis-server >/dev/null || { echo "redis-server not found (run: make system-deps)" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
if ((EUID == 0)); then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

PG_DIR=""
REDIS_DIR=""
PG_STARTED=0
REDIS_PORT=""

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if ((PG_STARTED)); then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1
  fi
  if [[ -n "$REDIS_DIR" && -s "$REDIS_DIR/redis.pid" ]]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
    local pid
    pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null)"
    for _ in $(seq 50); do
      [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null
  fi
  [[ -n "$PG_DIR" ]] && rm -rf "$PG_DIR"
  [[ -n "$REDIS_DIR" ]] && rm -rf "$REDIS_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Two distinct free loopback ports (held open together so they differ).
read -r PG_PORT REDIS_PORT < <(
  python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
PY
)

section "PostgreSQL ($("$PG_BIN/postgres" --version | awk '{print $3}')) on 127.0.0.1:$PG_PORT"
# Under /tmp, not $TMPDIR: the postgres user must be able to reach it.
PG_DIR="$(mktemp -d /tmp/rt-pg.XXXXXX)"
if ((EUID == 0)); then chown postgres:postgres "$PG_DIR"; fi
chmod 700 "$PG_DIR"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U rt --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
  >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
PG_STARTED=1
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR \
      -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$PG_DIR/postgres.log" >&2; exit 1; }
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U rt rt

section "Redis on 127.0.0.1:$REDIS_PORT"
REDIS_DIR="$(mktemp -d -t rt-redis.XXXXXX)"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
  --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --dir "$REDIS_DIR" \
  --logfile "$REDIS_DIR/redis.log"
for _ in $(seq 100); do
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG || { cat "$REDIS_DIR/redis.log" >&2; exit 1; }

export DATABASE_URL="postgres://rt@127.0.0.1:$PG_PORT/rt"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CACHE_URL="redis://127.0.0.1:$REDIS_PORT/1"
export DJANGO_SETTINGS_MODULE=config.settings.test
echo "DATABASE_URL=$DATABASE_URL"
echo "CELERY_BROKER_URL=$CELERY_BROKER_URL"
echo "CACHE_URL=$CACHE_URL"


section "pytest (PostgreSQL + Redis)"
rc=0
pytest "$@" || rc=$?
if ((rc == 5)); then
  echo "pytest collected no tests: that is a failure" >&2
elif ((rc != 0)); then
  echo "pytest failed (exit $rc)" >&2
fi
exit "$rc"
