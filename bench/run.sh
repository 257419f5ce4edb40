#!/usr/bin/env bash
# decant's load benchmark (docs/benchmarks.md).
#
#   bash bench/run.sh                 # 100,000 and 1,000,000 records
#   SIZES="1000000" bash bench/run.sh # one size
#
# For each size it generates flat records (id, name, email, created_at, amount,
# attrs) as JSONL and CSV, then loads them into a fresh PostgreSQL database three
# ways: psql \copy of the CSV (the ceiling), decant from the JSONL file, and
# decant from an HTTP feed (bench/feed). It prints records/s and peak RSS
# (GNU time's maximum resident set size) for each, and checks the row counts.
#
# BENCH_PG is a PostgreSQL URL of a database where the bench database may be
# created and dropped (default: the local server as user postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local

SIZES=${SIZES:-"100000 1000000"}
BATCH=${BENCH_BATCH:-5000}
ADMIN=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
DB=decant_bench
TARGET=${ADMIN%/*}/$DB
PORT=${BENCH_PORT:-8089}
work=$(mktemp -d)
trap 'kill $feed_pid 2>/dev/null || true; rm -rf "$work"' EXIT
feed_pid=

for tool in psql /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done

echo "== building"
go build -o "$work/decant" ./cmd/decant
go build -o "$work/gen" ./bench/gen
go build -o "$work/feed" ./bench/feed

fresh() {
  psql -q -X "$ADMIN" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
  psql -q -X "$TARGET" -f bench/schema.sql >/dev/null
}

# measure NAME N CMD...: runs CMD under GNU time, checks the row count and prints a result line.
measure() {
  local name=$1 n=$2; shift 2
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  read -r secs kb user sys <"$work/time"
  local rows
  rows=$(psql -X -At "$TARGET" -c 'SELECT count(*) FROM flat')
  if [ "$rows" != "$n" ]; then echo "bench: $name loaded $rows rows, want $n" >&2; cat "$work/out" >&2; exit 1; fi
  awk -v name="$name" -v n="$n" -v s="$secs" -v kb="$kb" -v cpu="$(echo "$user $sys" | awk '{print $1 + $2}')" \
    'BEGIN { printf "%-14s %9d records %7.2f s %10.0f records/s  peak RSS %6.1f MB  client CPU %6.2f s\n", name, n, s, n / s, kb / 1024, cpu }' |
    tee -a "$work/results"
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(psql -X -At "$ADMIN" -c 'SHOW server_version'), $(go version | cut -d' ' -f3)"
for n in $SIZES; do
  echo "== $n records"
  "$work/gen" -n "$n" -jsonl "$work/flat.jsonl" -csv "$work/flat.csv"

  fresh
  measure "psql copy" "$n" psql -X -q "$TARGET" -c "\\copy flat FROM '$work/flat.csv' WITH (FORMAT csv, HEADER true)"

  fresh
  BENCH_JSONL="$work/flat.jsonl" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH \
    measure "decant jsonl" "$n" "$work/decant" migrate -c bench/jsonl.yaml

  fresh
  "$work/feed" -n "$n" -addr "127.0.0.1:$PORT" & feed_pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/records?timestamp=0&batch-size=1" >/dev/null && break; sleep 0.1; done
  BENCH_FEED="http://127.0.0.1:$PORT/records" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH \
    measure "decant http" "$n" "$work/decant" migrate -c bench/http.yaml
  kill $feed_pid; wait $feed_pid 2>/dev/null || true; feed_pid=
done
psql -q -X "$ADMIN" -c "DROP DATABASE IF EXISTS $DB" >/dev/null
echo "== summary"
cat "$work/results"
