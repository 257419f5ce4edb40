#!/usr/bin/env bash
# decant's load and verify benchmark (docs/benchmarks.md).
#
#   bash bench/run.sh                        # 100,000 and 1,000,000 records
#   SIZES="1000000" bash bench/run.sh        # one size
#   BENCH_ONLY=verify bash bench/run.sh      # the verify rows only (plus the jsonl load they need)
#   BENCH_ONLY=load bash bench/run.sh        # the load rows only
#   BENCH_ONLY=couch bash bench/run.sh       # the CouchDB rows only
#   BENCH_ONLY=mysql bash bench/run.sh       # the MariaDB rows only (MYSQL_SIZES)
#
# For each size it generates flat records (id, name, email, created_at, amount,
# attrs) as JSONL and CSV, then loads them into a fresh PostgreSQL database three
# ways: psql \copy of the CSV (the ceiling), decant from the JSONL file, and
# decant from an HTTP feed (bench/feed). It prints records/s and peak RSS
# (GNU time's maximum resident set size) for each, and checks the row counts.
#
# After the jsonl load it verifies the loaded table: first a plain SQL scan of
# every column in key order through psql to /dev/null (the ceiling), then
# `decant verify --json` (every column) and `decant verify --missing-only
# --json` (keys only). A verify reads and maps the whole source file and reads
# the whole table, so its records/s is records compared per second, on each
# side at once. Each verify must report clean with checked equal to the size,
# or the script fails.
#
# CouchDB (COUCH_SIZES, default 100,000 and 200,000 documents): the records go
# into a pouchdb-server database (tools/pouchdb, on disk; started here on
# COUCH_PORT) with _bulk_docs; then a plain client pages through
# _all_docs?include_docs=true to /dev/null (the ceiling: the server's own read
# rate) and decant migrates the database into PostgreSQL (bench/couch.yaml).
#
# MariaDB (MYSQL_SIZES, default 1,000,000 rows; BENCH_ONLY=mysql or a full
# run): the CSV goes into a MariaDB table (bench/mysql.sql, LOAD DATA) on the
# local server (BENCH_MYSQL_ADMIN, default mysql://root@127.0.0.1:3306/),
# then into PostgreSQL three ways: the plain pipe `mariadb --batch ... |
# psql '\copy flat from stdin'` (the ceiling), pgloader (the Debian package,
# installed here when missing; it creates its own table) and decant
# (bench/mysql.yaml) with parallel: 1 and parallel: 4 (chunked reads).
#
# BENCH_PG is a PostgreSQL URL of a database where the bench database may be
# created and dropped (default: the local server as user postgres), and
# BENCH_DB the name of the bench database (default: decant_bench), so that two
# runs on one server need not share it.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local

SIZES=${SIZES:-"100000 1000000"}
ONLY=${BENCH_ONLY:-}
case "$ONLY" in
  "" | load | verify | couch | mysql) ;;
  *) echo "bench: BENCH_ONLY=$ONLY: give load, verify, couch, mysql, or leave it unset for all" >&2; exit 1 ;;
esac
BATCH=${BENCH_BATCH:-5000}
ADMIN=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
DB=${BENCH_DB:-decant_bench}
TARGET=${ADMIN%/*}/$DB
PORT=${BENCH_PORT:-8089}
work=$(mktemp -d)
trap 'kill $feed_pid $couch_pid 2>/dev/null || true; rm -rf "$work"' EXIT
feed_pid= couch_pid=
COUCH_SIZES=${COUCH_SIZES:-"100000 200000"}
COUCH_PORT=${COUCH_PORT:-15987}
MYSQL_SIZES=${MYSQL_SIZES:-1000000}
MYADMIN=${BENCH_MYSQL_ADMIN:-mysql://root@127.0.0.1:3306/}

for tool in psql /usr/bin/time jq; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done

echo "== building"
go build -o "$work/decant" ./cmd/decant
go build -o "$work/gen" ./bench/gen
go build -o "$work/feed" ./bench/feed
go build -o "$work/couch" ./bench/couch

fresh() {
  psql -q -X "$ADMIN" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
  psql -q -X "$TARGET" -f bench/schema.sql >/dev/null
}

# measure NAME N CMD...: runs CMD under GNU time, checks the row count and
# prints a result line. With SCAN_RATE set to a rate in records/s, the line also
# gives the rate as a percentage of it; the rate is left in $rate.
measure() {
  local name=$1 n=$2; shift 2
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/out" 2>"$work/err" ||
    { cat "$work/out" "$work/err" >&2; echo "bench: $name failed" >&2; exit 1; }
  read -r secs kb user sys <"$work/time"
  local rows
  rows=$(psql -X -At "$TARGET" -c 'SELECT count(*) FROM flat')
  if [ "$rows" != "$n" ]; then echo "bench: $name: the table holds $rows rows, want $n" >&2; cat "$work/out" >&2; exit 1; fi
  rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / (s > 0 ? s : 0.01) }')
  awk -v name="$name" -v n="$n" -v s="$secs" -v kb="$kb" -v cpu="$(echo "$user $sys" | awk '{print $1 + $2}')" \
    -v rate="$rate" -v base="${SCAN_RATE:-}" \
    'BEGIN { pct = base == "" ? "" : sprintf("  %4.0f%% of scan", 100 * rate / base)
             printf "%-14s %9d records %7.2f s %10.0f records/s%s  peak RSS %6.1f MB  client CPU %6.2f s\n", name, n, s, rate, pct, kb / 1024, cpu }' |
    tee -a "$work/results"
}

# verified NAME N: checks that the verify whose --json output is in $work/out
# found the table clean, every key checked once.
verified() {
  local name=$1 n=$2 got
  got=$(jq -r '[.clean, (.steps | length), .steps[0].checked, .steps[0].ok] | @tsv' "$work/out") ||
    { cat "$work/out" "$work/err" >&2; echo "bench: $name: the output is not verify's JSON" >&2; exit 1; }
  if [ "$got" != "$(printf 'true\t1\t%s\t%s' "$n" "$n")" ]; then
    cat "$work/out" >&2
    echo "bench: $name: want clean with checked = ok = $n in one step, got clean, steps, checked, ok = $got" >&2
    exit 1
  fi
}

# verify_rows N: the scan, then the full and the missing-only verify of the
# table the jsonl load filled.
verify_rows() {
  local n=$1 scan
  SCAN_RATE= measure "scan (psql)" "$n" psql -X -q -At "$TARGET" \
    -c 'SELECT id, name, email, created_at, amount, attrs FROM flat ORDER BY id' -o /dev/null
  scan=$rate
  BENCH_JSONL="$work/flat.jsonl" BENCH_TARGET="$TARGET" SCAN_RATE=$scan \
    measure "verify" "$n" "$work/decant" verify -c bench/jsonl.yaml --json
  verified "verify" "$n"
  BENCH_JSONL="$work/flat.jsonl" BENCH_TARGET="$TARGET" SCAN_RATE=$scan \
    measure "verify keys" "$n" "$work/decant" verify -c bench/jsonl.yaml --missing-only --json
  verified "verify keys" "$n"
}

# couch_rows N: N documents into a new pouchdb-server database, the plain
# read (the ceiling), then decant's CouchDB -> PostgreSQL migrate.
couch_rows() {
  local n=$1 db=http://127.0.0.1:$COUCH_PORT/flat_$1 line
  curl -fs -X DELETE "$db" >/dev/null 2>&1 || true
  "$work/couch" load -url "$db" -n "$n" -batch 2000 >/dev/null
  line=$("$work/couch" read -url "$db" -n "$n" -page 1000)
  read -r _ _ _ secs _ rate _ <<<"$line"
  printf "%-14s %9d records %7.2f s %10.0f records/s\n" "couch read" "$n" "$secs" "$rate" | tee -a "$work/results"
  fresh
  BENCH_COUCH="couchdb+$db" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH SCAN_RATE=$rate \
    measure "decant couch" "$n" "$work/decant" migrate -c bench/couch.yaml
  curl -fs -X DELETE "$db" >/dev/null
}

start_couch() {
  local bin=tools/pouchdb/node_modules/pouchdb-server/bin/pouchdb-server
  [ -f "$bin" ] || npm ci --ignore-scripts --no-audit --no-fund --prefix tools/pouchdb >/dev/null
  mkdir -p "$work/couch-data"
  (cd "$work/couch-data" && exec node "$OLDPWD/$bin" --no-stdout-logs --host 127.0.0.1 --port "$COUCH_PORT" >server.log 2>&1) &
  couch_pid=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$COUCH_PORT/" >/dev/null && return; sleep 0.2; done
  cat "$work/couch-data/server.log" >&2; echo "bench: pouchdb-server did not start" >&2; exit 1
}

# my_args URL: the mariadb client's arguments for a mysql://user[:password]@host:port/ URL.
my_args() {
  local u=${1#mysql://} user host port pass=
  user=${u%%@*} u=${u#*@} host=${u%%:*} port=${u#*:} port=${port%%/*}
  case "$user" in *:*) pass=${user#*:} user=${user%%:*} ;; esac
  echo "--no-defaults --protocol=tcp -h $host -P $port -u $user${pass:+ -p$pass}"
}

# same_rows: a digest of the flat table that every way of loading it must give.
same_rows() {
  psql -X -At "$TARGET" -c "SET TIME ZONE UTC" -c "SELECT count(*), sum(id), sum(amount), min(created_at), max(created_at),
    sum(length(name || email)), md5(string_agg(attrs::text, '' ORDER BY id)) FROM flat"
}

# mysql_rows N: the CSV of N records into a MariaDB table, then the pipe
# (the ceiling), pgloader and decant into PostgreSQL.
mysql_rows() {
  local n=$1 my db=decant_bench src rate pipe loader want
  my="mariadb $(my_args "$MYADMIN")"
  $my -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4"
  $my "$db" <bench/mysql.sql
  $my --local-infile=1 "$db" -e "LOAD DATA LOCAL INFILE '$work/flat.csv' INTO TABLE flat
    FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\n' IGNORE 1 LINES
    (id, name, email, @c, amount, attrs) SET created_at = REPLACE(REPLACE(@c, 'T', ' '), 'Z', '')"
  src="${MYADMIN%/}/$db"
  fresh
  cat >"$work/pipe.sh" <<PIPE
$my --batch --quick --skip-column-names $db -e 'SELECT id, name, email, created_at, amount, attrs FROM flat ORDER BY id' |
  PGTZ=UTC psql -X -q '$TARGET' -c "\\copy flat FROM STDIN WITH (NULL 'NULL')"
PIPE
  SCAN_RATE= measure "mysql pipe" "$n" bash -o pipefail "$work/pipe.sh"
  pipe=$rate want=$(same_rows)
  fresh
  command -v pgloader >/dev/null || { echo "== installing pgloader"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgloader >/dev/null; }
  psql -q -X "$TARGET" -c 'DROP TABLE flat' >/dev/null
  cat >"$work/flat.load" <<LOAD
LOAD DATABASE FROM $src INTO $TARGET
 WITH include drop, create tables, create indexes, workers = 4, concurrency = 1, batch rows = 25000
 CAST column flat.attrs to jsonb drop typemod,
      type datetime to timestamptz drop default drop not null
 ALTER SCHEMA '$db' RENAME TO 'public';
LOAD
  SCAN_RATE=$pipe measure "pgloader" "$n" env PGTZ=UTC pgloader --no-ssl-cert-verification "$work/flat.load"
  loader=$rate
  [ "$(same_rows)" = "$want" ] || { echo "bench: pgloader's rows differ from the pipe's: $(same_rows), want $want" >&2; exit 1; }
  local par
  for par in 1 4; do
    fresh
    BENCH_MYSQL="$src" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH BENCH_PARALLEL=$par SCAN_RATE=$pipe \
      measure "decant par $par" "$n" "$work/decant" migrate -c bench/mysql.yaml
    [ "$(same_rows)" = "$want" ] || { echo "bench: decant's rows differ from the pipe's: $(same_rows), want $want" >&2; exit 1; }
    awk -v d="$rate" -v l="$loader" -v name="decant par $par" 'BEGIN { printf "%-14s %.2fx pgloader\n", name, d / l }' | tee -a "$work/results"
  done
  $my -e "DROP DATABASE $db"
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(psql -X -At "$ADMIN" -c 'SHOW server_version'), $(go version | cut -d' ' -f3)"
[ "$ONLY" = couch ] && SIZES=
[ "$ONLY" = mysql ] && SIZES=
for n in $SIZES; do
  echo "== $n records"
  "$work/gen" -n "$n" -jsonl "$work/flat.jsonl" -csv "$work/flat.csv"

  if [ "$ONLY" != verify ]; then
    fresh
    measure "psql copy" "$n" psql -X -q "$TARGET" -c "\\copy flat FROM '$work/flat.csv' WITH (FORMAT csv, HEADER true)"
  fi

  fresh
  BENCH_JSONL="$work/flat.jsonl" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH \
    measure "decant jsonl" "$n" "$work/decant" migrate -c bench/jsonl.yaml
  [ "$ONLY" = load ] || verify_rows "$n"
  [ "$ONLY" != verify ] || continue

  fresh
  "$work/feed" -n "$n" -addr "127.0.0.1:$PORT" & feed_pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/records?timestamp=0&batch-size=1" >/dev/null && break; sleep 0.1; done
  BENCH_FEED="http://127.0.0.1:$PORT/records" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH \
    measure "decant http" "$n" "$work/decant" migrate -c bench/http.yaml
  kill $feed_pid; wait $feed_pid 2>/dev/null || true; feed_pid=
done
if [ -z "$ONLY" ] || [ "$ONLY" = couch ]; then
  start_couch
  for n in $COUCH_SIZES; do
    echo "== $n CouchDB documents"
    couch_rows "$n"
  done
fi
if [ -z "$ONLY" ] || [ "$ONLY" = mysql ]; then
  for n in $MYSQL_SIZES; do
    echo "== $n MariaDB rows"
    "$work/gen" -n "$n" -jsonl "$work/flat.jsonl" -csv "$work/flat.csv"
    mysql_rows "$n"
  done
fi
psql -q -X "$ADMIN" -c "DROP DATABASE IF EXISTS $DB" >/dev/null
echo "== summary"
cat "$work/results"
