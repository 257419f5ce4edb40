#!/usr/bin/env bash
# decant's load and verify benchmark (docs/benchmarks.md): every row of the
# speed issue's goal table in one run.
#
#   bash bench/run.sh                        # 100,000 and 1,000,000 records
#   SIZES="1000000" bash bench/run.sh        # one size
#   BENCH_ONLY=load bash bench/run.sh        # the file and feed loads: jsonl, csv, http, sqlite
#   BENCH_ONLY=verify bash bench/run.sh      # the verify rows only (plus the jsonl load they need)
#   BENCH_ONLY=csv bash bench/run.sh         # CSV -> PostgreSQL: decant and pgloader
#   BENCH_ONLY=sqlite bash bench/run.sh      # JSONL -> SQLite: decant and sqlite3 .import
#   BENCH_ONLY=resume bash bench/run.sh      # the jsonl load killed BENCH_KILLS times, resumed
#   BENCH_ONLY=couch bash bench/run.sh       # the CouchDB rows only (COUCH_SIZES)
#   BENCH_ONLY=mysql bash bench/run.sh       # the MariaDB rows only (MYSQL_SIZES)
#   BENCH_PROFILE=/tmp/prof bash bench/run.sh  # also a CPU and a heap profile of every decant migrate
#
# For each size it generates flat records (id, name, email, created_at, amount,
# attrs) as JSONL and CSV, then loads them into a fresh PostgreSQL database:
#
# - psql copy: psql \copy of the CSV, the ceiling of the PostgreSQL rows;
# - decant jsonl: decant from the JSONL file (bench/jsonl.yaml);
# - decant csv: decant from the CSV file (bench/csv.yaml), and pgloader csv,
#   pgloader's CSV load of the same file (the Debian package, installed here
#   when missing), both against the same \copy;
# - decant http: decant from an HTTP feed (bench/feed, bench/http.yaml);
# - sqlite import and decant sqlite: sqlite3 .import of the CSV (the ceiling;
#   the Debian package, installed when missing; the CLI's defaults: one
#   transaction, rollback journal, synchronous FULL) and decant from the JSONL
#   file (bench/sqlite.yaml), each into a new SQLite file with the table of
#   bench/sqlite.sql;
# - decant resume: the jsonl load killed with SIGKILL at BENCH_KILLS (5)
#   random moments between 10% and 90% of the uninterrupted decant jsonl
#   load's time in this run (measured from the start of the first run; each
#   kill is followed by a resume run, the last one goes to the end), its total
#   wall time against that uninterrupted load (the goal: at most 1.1x).
#   BENCH_KILLS changes the number of kills, BENCH_KILL_SEED (printed) makes
#   the moments repeat.
#
# Every line gives the wall time, records/s, the ratio to its ceiling measured
# in the same run ("0.62x psql copy"), the peak RSS (GNU time's maximum
# resident set size), the client's CPU seconds and its CPU microseconds per
# record. After every load the script checks the row count and a digest of
# the table's content: count, sum(id), the sum of the amounts in cents and the
# md5 of every row (id, name, email, created_at in UTC to the millisecond, the
# amount in cents, and attrs' members), computed the same way on PostgreSQL
# and on SQLite. Every way of loading records 1..N must give the digest of
# the \copy of records 1..N, or the script fails.
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
# MariaDB (MYSQL_SIZES, default SIZES): the CSV goes into a MariaDB table
# (bench/mysql.sql, LOAD DATA) on the local server (BENCH_MYSQL_ADMIN, default
# mysql://root@127.0.0.1:3306/), then into PostgreSQL: the plain pipe
# `mariadb --batch ... | psql '\copy flat from stdin'` (the ceiling), pgloader
# (it creates its own table) and decant (bench/mysql.yaml) with parallel: 1, 2
# and 4 (chunked reads).
#
# At the end it prints a summary table (markdown): one line per path and size
# with its rate, its ceiling's, the ratio, the goal (issue 12), whether the
# goal is met (the rate goal, and peak RSS at most 150 MB), the peak RSS and
# the CPU per record; then, per path, the peak RSS at the largest size over
# that at the smallest (flat: at most 1.2x).
#
# BENCH_PROFILE=DIR passes --cpuprofile and --memprofile to every decant
# migrate: DIR/ROW-N.cpu.pprof and DIR/ROW-N.mem.pprof (jsonl-100000,
# csv-100000, mysql-p4-1000000, ...; for resume, the last run's, since a
# killed run writes none). Read them with `go tool pprof -top FILE`.
#
# BENCH_PG is a PostgreSQL URL of a database where the bench database may be
# created and dropped (default: the local server as user postgres), and
# BENCH_DB the name of the bench database (default: decant_bench; the MariaDB
# rows use a MariaDB database of that name too), so that two runs on one
# server need not share it.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local

SIZES=${SIZES:-"100000 1000000"}
ONLY=${BENCH_ONLY:-}
case "$ONLY" in
  "" | load | verify | csv | sqlite | resume | couch | mysql) ;;
  *) echo "bench: BENCH_ONLY=$ONLY: give load, verify, csv, sqlite, resume, couch, mysql, or leave it unset for all" >&2; exit 1 ;;
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
MYSQL_SIZES=${MYSQL_SIZES:-$SIZES}
MYADMIN=${BENCH_MYSQL_ADMIN:-mysql://root@127.0.0.1:3306/}
KILLS=${BENCH_KILLS:-5}
KILL_SEED=${BENCH_KILL_SEED:-$(( $(date +%s) % 32768 ))}
PROFILE=${BENCH_PROFILE:-}
MAX_RSS_MB=150 # issue 12: peak RSS at most 150 MB ...
FLAT_RSS=1.2   # ... and flat: the largest size's at most 1.2x the smallest's

for tool in psql /usr/bin/time jq md5sum; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done
if [ -n "$PROFILE" ]; then
  case "$PROFILE" in *[[:space:]]*) echo "bench: BENCH_PROFILE=$PROFILE: give a directory whose path has no spaces" >&2; exit 1 ;; esac
  mkdir -p "$PROFILE"
  PROFILE=$(cd "$PROFILE" && pwd)
fi

# wants PART: whether this run includes PART (BENCH_ONLY).
wants() {
  case "$ONLY:$1" in
    :*) return 0 ;;
    load:copy | load:jsonl | load:csv | load:http | load:sqlite) return 0 ;;
    verify:jsonl | verify:verify) return 0 ;;
    csv:copy | csv:csv | sqlite:sqlite | resume:copy | resume:jsonl | resume:resume) return 0 ;;
    couch:couch | mysql:mysql) return 0 ;;
  esac
  return 1
}

# install CMD PACKAGE: installs the Debian package when CMD is missing.
install() {
  command -v "$1" >/dev/null && return
  echo "== installing $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

echo "== building"
go build -o "$work/decant" ./cmd/decant
go build -o "$work/gen" ./bench/gen
go build -o "$work/feed" ./bench/feed
go build -o "$work/couch" ./bench/couch

fresh() {
  psql -q -X "$ADMIN" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
  psql -q -X "$TARGET" -f bench/schema.sql >/dev/null
}

# profile SLUG: the decant migrate flags of BENCH_PROFILE for the row SLUG.
profile() {
  [ -n "$PROFILE" ] || return 0
  echo "--cpuprofile $PROFILE/$1.cpu.pprof --memprofile $PROFILE/$1.mem.pprof"
}

# measure NAME N CMD...: runs CMD under GNU time, checks the row count of flat
# (in the SQLite file $SQLITE_DB when set, else in PostgreSQL) and prints a
# result line. With CEIL_NAME and CEIL_RATE set (the ceiling measured in this
# run), the line gives the rate as a ratio of the ceiling's; with GOAL set (a
# ratio) the row goes into the summary (SUMMARY=1 puts a row without a goal
# there too). The rate is left in $rate, the peak RSS in MB in $rss.
measure() {
  local name=$1 n=$2; shift 2
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/out" 2>"$work/err" ||
    { tail -n 30 "$work/out" "$work/err" >&2; echo "bench: $name failed" >&2; exit 1; }
  local secs kb user sys rows cpu ratio=
  read -r secs kb user sys <"$work/time"
  if [ -n "${SQLITE_DB:-}" ]; then
    rows=$(sqlite3 "$SQLITE_DB" 'SELECT count(*) FROM flat')
  else
    rows=$(psql -X -At "$TARGET" -c 'SELECT count(*) FROM flat')
  fi
  if [ "$rows" != "$n" ]; then echo "bench: $name: the table holds $rows rows, want $n" >&2; tail -n 30 "$work/out" >&2; exit 1; fi
  rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / (s > 0 ? s : 0.01) }')
  rss=$(awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }')
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  if [ -n "${CEIL_RATE:-}" ]; then
    ratio=$(awk -v r="$rate" -v c="$CEIL_RATE" 'BEGIN { printf "%.2f", r / c }')
  fi
  awk -v name="$name" -v n="$n" -v s="$secs" -v rate="$rate" -v ratio="$ratio" -v ceil="${CEIL_NAME:-}" \
    -v rss="$rss" -v cpu="$cpu" \
    'BEGIN { r = ratio == "" ? "" : sprintf("  %5.2fx %s", ratio, ceil)
             printf "%-16s %9d records %7.2f s %10.0f records/s%s  peak RSS %6.1f MB  client CPU %6.2f s %6.2f us/record\n",
               name, n, s, rate, r, rss, cpu, 1e6 * cpu / n }' | tee -a "$work/results"
  if [ -n "${GOAL:-}" ] || [ -n "${SUMMARY:-}" ]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$n" "$rate" "${CEIL_NAME:-}" "${CEIL_RATE:-}" "$ratio" \
      "${GOAL:-}" "$rss" "$(awk -v c="$cpu" -v n="$n" 'BEGIN { printf "%.2f", 1e6 * c / n }')" "${EXTRA:-}" >>"$work/summary.tsv"
  fi
}

# pg_digest: a digest of the flat table in PostgreSQL; sqlite_digest FILE the
# same of the flat table of a SQLite file. The two spell every value alike, so
# that the same records give the same digest in either database.
pg_digest() {
  local sums rows
  sums=$(psql -X -At -F ' ' "$TARGET" -c 'SELECT count(*), sum(id), sum((amount * 100)::bigint) FROM flat')
  rows=$(psql -X -q "$TARGET" -c "SET TIME ZONE UTC" -c "COPY (SELECT id, name, email,
      to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS'), (amount * 100)::bigint,
      attrs->>'tier', attrs->>'score', jsonb_array_length(attrs->'tags'), attrs->'tags'->>0, attrs->'tags'->>1,
      attrs->>'active', (SELECT count(*) FROM jsonb_object_keys(attrs))
    FROM flat ORDER BY id) TO STDOUT WITH (DELIMITER '|')" | md5sum)
  echo "count, sum(id), sum(cents) = $sums; md5 of the rows ${rows%% *}"
}
sqlite_digest() {
  local sums rows
  sums=$(sqlite3 -separator ' ' "$1" 'SELECT count(*), sum(id), sum(CAST(round(amount * 100) AS INTEGER)) FROM flat')
  rows=$(sqlite3 -separator '|' "$1" "SELECT id, name, email,
      strftime('%Y-%m-%dT%H:%M:%f', created_at), CAST(round(amount * 100) AS INTEGER),
      json_extract(attrs, '\$.tier'), json_extract(attrs, '\$.score'), json_array_length(attrs, '\$.tags'),
      json_extract(attrs, '\$.tags[0]'), json_extract(attrs, '\$.tags[1]'),
      CASE json_type(attrs, '\$.active') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END,
      (SELECT count(*) FROM json_each(flat.attrs))
    FROM flat ORDER BY id" | md5sum)
  echo "count, sum(id), sum(cents) = $sums; md5 of the rows ${rows%% *}"
}

# reference N: makes sure the digest of records 1..N, as \copy loads them
# from the generated CSV, is in $work/digest.N (the CSV of N records must be
# $work/flat.csv, or is generated again into a file of its own).
reference() {
  local n=$1 csv=$work/flat.csv
  [ -s "$work/digest.$n" ] && return
  if [ ! -f "$csv" ] || [ "$(($(wc -l <"$csv") - 1))" != "$n" ]; then
    csv=$work/ref.csv
    "$work/gen" -n "$n" -csv "$csv"
  fi
  fresh
  psql -X -q "$TARGET" -c "\\copy flat FROM '$csv' WITH (FORMAT csv, HEADER true)"
  pg_digest >"$work/digest.$n"
  rm -f "$work/ref.csv"
}

# same NAME N [SQLITE_FILE]: fails unless the table that NAME loaded (in
# PostgreSQL, or in SQLITE_FILE) has the digest of records 1..N.
same() {
  local name=$1 n=$2 got
  if [ $# -gt 2 ]; then got=$(sqlite_digest "$3"); else got=$(pg_digest); fi
  reference "$n"
  if [ "$got" != "$(cat "$work/digest.$n")" ]; then
    echo "bench: $name: the loaded rows differ from \\copy's of the same $n records" >&2
    echo "  got  $got" >&2
    echo "  want $(cat "$work/digest.$n")" >&2
    exit 1
  fi
  echo "$name: same rows as \\copy ($got)" >>"$work/digests"
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
  measure "scan (psql)" "$n" psql -X -q -At "$TARGET" \
    -c 'SELECT id, name, email, created_at, amount, attrs FROM flat ORDER BY id' -o /dev/null
  scan=$rate
  BENCH_JSONL="$work/flat.jsonl" BENCH_TARGET="$TARGET" CEIL_NAME=scan CEIL_RATE=$scan \
    measure "verify" "$n" "$work/decant" verify -c bench/jsonl.yaml --json
  verified "verify" "$n"
  BENCH_JSONL="$work/flat.jsonl" BENCH_TARGET="$TARGET" CEIL_NAME=scan CEIL_RATE=$scan \
    measure "verify keys" "$n" "$work/decant" verify -c bench/jsonl.yaml --missing-only --json
  verified "verify keys" "$n"
}

# csv_rows N COPY_RATE: decant's and pgloader's loads of the CSV.
csv_rows() {
  local n=$1 copy=$2
  fresh
  # shellcheck disable=SC2046 # profile's flags are words
  BENCH_CSV="$work/flat.csv" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH CEIL_NAME="psql copy" CEIL_RATE=$copy GOAL=0.9 \
    measure "decant csv" "$n" "$work/decant" migrate -c bench/csv.yaml $(profile "csv-$n")
  same "decant csv" "$n"
  fresh
  cat >"$work/csv.load" <<LOAD
LOAD CSV FROM '$work/flat.csv' (id, name, email, created_at, amount, attrs)
 INTO $TARGET?tablename=flat (id, name, email, created_at, amount, attrs)
 WITH skip header = 1, fields optionally enclosed by '"', fields escaped by double-quote,
      fields terminated by ',', batch rows = 25000
 SET timezone to 'UTC';
LOAD
  CEIL_NAME="psql copy" CEIL_RATE=$copy SUMMARY=1 \
    measure "pgloader csv" "$n" pgloader --no-ssl-cert-verification "$work/csv.load"
  same "pgloader csv" "$n"
}

# sqlite_rows N: sqlite3 .import of the CSV (the ceiling), then decant's load
# of the JSONL file, each into a new SQLite file.
sqlite_rows() {
  local n=$1 import db=$work/flat.db
  rm -f "$db" "$db-wal" "$db-shm"
  sqlite3 "$db" <bench/sqlite.sql
  SQLITE_DB=$db measure "sqlite import" "$n" sqlite3 "$db" ".import --csv --skip 1 $work/flat.csv flat"
  import=$rate
  same "sqlite import" "$n" "$db"
  rm -f "$db" "$db-wal" "$db-shm"
  # shellcheck disable=SC2046
  BENCH_JSONL="$work/flat.jsonl" BENCH_SQLITE="$db" BENCH_BATCH=$BATCH SQLITE_DB=$db \
    CEIL_NAME="sqlite import" CEIL_RATE=$import GOAL=0.7 \
    measure "decant sqlite" "$n" "$work/decant" migrate -c bench/sqlite.yaml $(profile "sqlite-$n")
  same "decant sqlite" "$n" "$db"
  rm -f "$db" "$db-wal" "$db-shm"
}

# resume_rows N SECS: the jsonl load of N records, which took SECS
# uninterrupted, killed with SIGKILL at KILLS random moments between 10% and
# 90% of SECS after the start, each followed by a resume run; the last run
# goes to the end. Its total time against SECS.
resume_rows() {
  local n=$1 secs=$2 moments
  RANDOM=$((KILL_SEED + n % 32768))
  moments=$(for _ in $(seq "$KILLS"); do
    awk -v r="$RANDOM" -v s="$secs" 'BEGIN { printf "%.0f\n", 1e9 * s * (0.1 + 0.8 * r / 32767) }'
  done | sort -n | tr '\n' ' ')
  echo "== resume: kills at $(for m in $moments; do awk -v m="$m" 'BEGIN { printf "%.2fs ", m / 1e9 }'; done)(seed $KILL_SEED)"
  cat >"$work/resume.sh" <<'RESUME'
# resume.sh DECANT PROFILE_FLAGS MOMENTS...: runs the jsonl load, kills it
# with SIGKILL at each moment (nanoseconds after the start) and runs it again;
# the last run goes to the end. Prints how many kills hit a running load.
decant=$1 prof=$2; shift 2
start=$(date +%s%N) killed=0
for at in "$@"; do
  "$decant" migrate -c bench/jsonl.yaml &
  pid=$!
  wait_ns=$((start + at - $(date +%s%N)))
  [ "$wait_ns" -le 0 ] || sleep "$(awk -v w="$wait_ns" 'BEGIN { printf "%.3f", w / 1e9 }')"
  kill -KILL "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" || rc=$?
  case $rc in
    137) killed=$((killed + 1)) ;;
    0) ;;   # it had finished: the remaining kills have nothing to kill
    *) echo "resume: the load exited with $rc" >&2; exit 1 ;;
  esac
done
# shellcheck disable=SC2086
"$decant" migrate -c bench/jsonl.yaml $prof
echo "resume: $killed of $# kills hit a running load" >&2
RESUME
  fresh
  # shellcheck disable=SC2086
  BENCH_JSONL="$work/flat.jsonl" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH \
    CEIL_NAME="decant jsonl" CEIL_RATE=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / (s > 0 ? s : 0.01) }') \
    GOAL=resume measure "decant resume" "$n" bash "$work/resume.sh" "$work/decant" "$(profile "resume-$n")" $moments
  { grep '^resume:' "$work/err" || true
    awk -v n="$n" -v r="$rate" -v s="$secs" 'BEGIN { printf "%-16s %.2fx the uninterrupted load'"'"'s time (goal <= 1.1x)\n", "decant resume", n / r / s }'
  } | tee -a "$work/results"
  same "decant resume" "$n"
}

# couch_rows N: N documents into a new pouchdb-server database, the plain
# read (the ceiling), then decant's CouchDB -> PostgreSQL migrate.
couch_rows() {
  local n=$1 db=http://127.0.0.1:$COUCH_PORT/flat_$1 line secs rate
  curl -fs -X DELETE "$db" >/dev/null 2>&1 || true
  "$work/couch" load -url "$db" -n "$n" -batch 2000 >/dev/null
  line=$("$work/couch" read -url "$db" -n "$n" -page 1000)
  read -r _ _ _ secs _ rate _ <<<"$line"
  printf "%-16s %9d records %7.2f s %10.0f records/s\n" "couch read" "$n" "$secs" "$rate" | tee -a "$work/results"
  fresh
  # shellcheck disable=SC2046
  BENCH_COUCH="couchdb+$db" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH CEIL_NAME="couch read" CEIL_RATE=$rate GOAL=0.9 \
    measure "decant couch" "$n" "$work/decant" migrate -c bench/couch.yaml $(profile "couch-$n")
  same "decant couch" "$n"
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

# mysql_rows N: the CSV of N records into a MariaDB table, then the pipe
# (the ceiling), pgloader and decant into PostgreSQL.
mysql_rows() {
  local n=$1 my db=$DB src pipe loader
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
  measure "mysql pipe" "$n" bash -o pipefail "$work/pipe.sh"
  pipe=$rate
  same "mysql pipe" "$n"
  fresh
  psql -q -X "$TARGET" -c 'DROP TABLE flat' >/dev/null
  cat >"$work/flat.load" <<LOAD
LOAD DATABASE FROM $src INTO $TARGET
 WITH include drop, create tables, create indexes, workers = 4, concurrency = 1, batch rows = 25000
 CAST column flat.attrs to jsonb drop typemod,
      type datetime to timestamptz drop default drop not null
 ALTER SCHEMA '$db' RENAME TO 'public';
LOAD
  CEIL_NAME="mysql pipe" CEIL_RATE=$pipe SUMMARY=1 \
    measure "pgloader mysql" "$n" env PGTZ=UTC pgloader --no-ssl-cert-verification "$work/flat.load"
  loader=$rate
  same "pgloader mysql" "$n"
  local par
  for par in 1 2 4; do
    fresh
    # shellcheck disable=SC2046
    BENCH_MYSQL="$src" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH BENCH_PARALLEL=$par \
      CEIL_NAME="mysql pipe" CEIL_RATE=$pipe GOAL=0.9 EXTRA=$loader \
      measure "decant mysql p$par" "$n" "$work/decant" migrate -c bench/mysql.yaml $(profile "mysql-p$par-$n")
    same "decant mysql p$par" "$n"
    awk -v d="$rate" -v l="$loader" -v name="decant mysql p$par" 'BEGIN { printf "%-16s %.2fx pgloader mysql (goal >= 1.8x)\n", name, d / l }' |
      tee -a "$work/results"
  done
  $my -e "DROP DATABASE $db"
}

# versions: the machine line.
versions() {
  local my=unreachable pouch=none sqlitev=none loader=none embedded
  my=$(mariadb $(my_args "$MYADMIN") -N -e 'SELECT version()' 2>/dev/null) || my=unreachable
  command -v sqlite3 >/dev/null && sqlitev=$(sqlite3 --version | cut -d' ' -f1)
  # sed reads to the end: pgloader (SBCL) dies noisily on a closed pipe.
  command -v pgloader >/dev/null && loader=$(pgloader --version 2>&1 | sed -n '1s/^[^"]*"\([^"]*\)".*/\1/p')
  embedded=$(go list -m -f '{{.Version}}' modernc.org/sqlite)
  pouch=$(jq -r '.dependencies["pouchdb-server"]' tools/pouchdb/package.json)
  echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "== versions: PostgreSQL $(psql -X -At "$ADMIN" -c 'SHOW server_version'), MariaDB $my, sqlite3 $sqlitev" \
    "(decant: modernc.org/sqlite $embedded), pouchdb-server $pouch, $(go version | cut -d' ' -f3)," \
    "pgloader $loader"
  echo "== commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes)') $(git log -1 --format=%s | cut -c1-80)"
}

# summary: the markdown table of the rows with a goal, then the peak RSS of
# each path at its largest size over its smallest.
summary() {
  [ -s "$work/summary.tsv" ] || return 0
  echo "== summary"
  echo
  echo "| path | records | rate (records/s) | ceiling | ceiling rate | ratio | goal | met | peak RSS | client CPU/record |"
  echo "|---|---:|---:|---|---:|---:|---|---|---:|---:|"
  awk -F '\t' -v maxrss="$MAX_RSS_MB" '
    { name = $1; n = $2; rate = $3; ceil = $4; crate = $5; ratio = $6; goal = $7; rss = $8; us = $9; loader = $10
      why = ""
      if (goal == "") { g = "-"; met = "-" }
      else if (goal == "resume") {
        # the rate of all the runs against the uninterrupted load: time <= 1.1x
        t = crate / rate; g = "time <= 1.1x"; ratio = sprintf("%.2fx time", t)
        if (t > 1.1) why = "time"
      } else {
        g = ">= " goal "x"
        if (ratio + 0 < goal + 0) why = "rate"
        if (loader != "") { g = g ", >= 1.8x pgloader"; if (rate / loader < 1.8) why = why (why == "" ? "" : ", ") "pgloader" }
      }
      if (goal != "") {
        if (rss + 0 > maxrss) why = why (why == "" ? "" : ", ") "RSS"
        met = why == "" ? "yes" : "no (" why ")"
      }
      if (goal != "resume" && ratio != "") ratio = ratio "x"
      printf "| %s | %d | %d | %s | %s | %s | %s | %s | %.1f MB | %.2f us |\n", name, n, rate, ceil, crate, ratio, g, met, rss, us
    }' "$work/summary.tsv"
  echo
  echo "Peak RSS, largest size over smallest (flat: <= ${FLAT_RSS}x):"
  echo
  echo "| path | records | peak RSS | records | peak RSS | ratio | flat |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  awk -F '\t' -v flat="$FLAT_RSS" '
    { if (!($1 in lo) || $2 + 0 < lo[$1]) { lo[$1] = $2 + 0; lorss[$1] = $8 }
      if (!($1 in hi) || $2 + 0 > hi[$1]) { hi[$1] = $2 + 0; hirss[$1] = $8 }
      if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
    END { for (i = 1; i <= k; i++) { p = order[i]
            if (hi[p] == lo[p]) { printf "| %s | %d | %.1f MB | | | | one size |\n", p, lo[p], lorss[p]; continue }
            r = hirss[p] / lorss[p]
            printf "| %s | %d | %.1f MB | %d | %.1f MB | %.2fx | %s |\n", p, lo[p], lorss[p], hi[p], hirss[p], r, r <= flat ? "yes" : "no" } }' \
    "$work/summary.tsv"
}

if wants csv || wants mysql; then install pgloader pgloader; fi
if wants sqlite; then install sqlite3 sqlite3; fi
versions
[ "$ONLY" = couch ] && SIZES=
[ "$ONLY" = mysql ] && SIZES=
for n in $SIZES; do
  echo "== $n records"
  "$work/gen" -n "$n" -jsonl "$work/flat.jsonl" -csv "$work/flat.csv"

  copy=
  if wants copy; then
    fresh
    measure "psql copy" "$n" psql -X -q "$TARGET" -c "\\copy flat FROM '$work/flat.csv' WITH (FORMAT csv, HEADER true)"
    copy=$rate
    pg_digest >"$work/digest.$n"
  else
    reference "$n" # before a load whose table is read again (verify)
  fi

  if wants jsonl; then
    fresh
    # shellcheck disable=SC2046
    BENCH_JSONL="$work/flat.jsonl" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH \
      CEIL_NAME=${copy:+psql copy} CEIL_RATE=$copy GOAL=${copy:+0.8} \
      measure "decant jsonl" "$n" "$work/decant" migrate -c bench/jsonl.yaml $(profile "jsonl-$n")
    jsonl_secs=$(awk -v n="$n" -v r="$rate" 'BEGIN { printf "%.3f", n / r }')
    same "decant jsonl" "$n"
    ! wants verify || verify_rows "$n"
  fi

  ! wants csv || csv_rows "$n" "$copy"

  if wants http; then
    fresh
    "$work/feed" -n "$n" -addr "127.0.0.1:$PORT" & feed_pid=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/records?timestamp=0&batch-size=1" >/dev/null && break; sleep 0.1; done
    # shellcheck disable=SC2046
    BENCH_FEED="http://127.0.0.1:$PORT/records" BENCH_TARGET="$TARGET" BENCH_BATCH=$BATCH \
      CEIL_NAME="psql copy" CEIL_RATE=$copy GOAL=0.7 \
      measure "decant http" "$n" "$work/decant" migrate -c bench/http.yaml $(profile "http-$n")
    kill $feed_pid; wait $feed_pid 2>/dev/null || true; feed_pid=
    same "decant http" "$n"
  fi

  ! wants sqlite || sqlite_rows "$n"
  ! wants resume || resume_rows "$n" "$jsonl_secs"
done
if wants couch; then
  start_couch
  for n in $COUCH_SIZES; do
    echo "== $n CouchDB documents"
    couch_rows "$n"
  done
fi
if wants mysql; then
  for n in $MYSQL_SIZES; do
    echo "== $n MariaDB rows"
    "$work/gen" -n "$n" -jsonl "$work/flat.jsonl" -csv "$work/flat.csv"
    mysql_rows "$n"
  done
fi
psql -q -X "$ADMIN" -c "DROP DATABASE IF EXISTS $DB" >/dev/null
echo "== results"
cat "$work/results"
echo "== digests (every load of records 1..N gave the digest of \\copy's)"
cat "$work/digests" 2>/dev/null || true
summary
