#!/usr/bin/env bash
# CouchDB read benchmark: loads the flat records into a pouchdb-server database,
# then reads them back with a plain client (the ceiling) and with decant's
# couchdb source, and prints documents/s for each.
#
#   bash bench/couch/run.sh                 # 200,000 documents
#   N=50000 bash bench/couch/run.sh
#   COUCH_URL=http://admin:pw@127.0.0.1:5984 bash bench/couch/run.sh   # another server
#
# Without COUCH_URL it starts the pouchdb-server locked in tools/pouchdb
# (npm ci --ignore-scripts --prefix tools/pouchdb first if it is missing), with
# its databases on disk (LevelDB) in a temporary directory; COUCH_IN_MEMORY=1
# keeps them in memory instead. The database is named decant_bench_flat and is
# deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOTOOLCHAIN=local

N=${N:-200000}
BATCH=${BATCH:-2000}
PAGE=${PAGE:-1000}
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT

go build -o "$work/couch" ./bench/couch

base=${COUCH_URL:-}
if [ -z "$base" ]; then
  bin=tools/pouchdb/node_modules/pouchdb-server/bin/pouchdb-server
  [ -f "$bin" ] || npm ci --ignore-scripts --no-audit --no-fund --prefix tools/pouchdb >/dev/null
  port=${COUCH_PORT:-15986}
  mem=()
  [ -n "${COUCH_IN_MEMORY:-}" ] && mem=(--in-memory)
  (cd "$work" && exec node "$OLDPWD/$bin" "${mem[@]}" --no-stdout-logs --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1) &
  server_pid=$!
  base=http://127.0.0.1:$port
  for _ in $(seq 100); do curl -fs "$base/" >/dev/null && break; sleep 0.2; done
  curl -fs "$base/" >/dev/null || { cat "$work/server.log" >&2; echo "bench: pouchdb-server did not start" >&2; exit 1; }
fi
db=$base/decant_bench_flat
curl -fs -X DELETE "$db" >/dev/null 2>&1 || true

echo "== $N documents, batches of $BATCH, pages of $PAGE ($(curl -fs "$base/" | head -c 80))"
"$work/couch" load -url "$db" -n "$N" -batch "$BATCH"
"$work/couch" read -url "$db" -n "$N" -page "$PAGE"
"$work/couch" read -url "$db" -n "$N" -page "$PAGE" -conflicts
"$work/couch" source -url "$db" -n "$N" -page "$PAGE"
curl -fs -X DELETE "$db" >/dev/null
