#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# sqlite-floor.sh STORE: the least time SQLite alone needs to build a store
# like STORE (one kept by `GREENROOM_BENCH_DIR=... bench_ingest`). It copies
# every table into a fresh database with INSERT ... SELECT in one transaction,
# then builds the indexes and commits, with the pragmas the store uses for a
# bulk write. No parsing, validation, JSON or C++ at all: whatever ingest
# costs above this figure is ours; below it no schema-preserving change goes.
set -eu
store=${1:?usage: sqlite-floor.sh STORE.sqlite}
copy=$(mktemp -d)/floor.sqlite
trap 'rm -rf "$(dirname "$copy")"' EXIT

tables=$(sqlite3 "$store" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL
                           AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'entities_fts_%'")
indexes=$(sqlite3 "$store" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
copies=$(sqlite3 "$store" "SELECT 'INSERT INTO main.' || name || ' SELECT * FROM old.' || name || ';' FROM sqlite_master
                           WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'entities_fts%'")

start=$(date +%s.%N)
sqlite3 "$copy" >/dev/null <<EOF
PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2097152; PRAGMA temp_store = MEMORY;
ATTACH '$store' AS old;
BEGIN;
$tables
$copies
INSERT INTO main.entities_fts(rowid, name, title, description, tags, kind, type, owner)
    SELECT rowid, name, title, description, tags, kind, type, owner FROM old.entities_fts;
$indexes
COMMIT;
EOF
end=$(date +%s.%N)
echo "SQLite floor for $(sqlite3 "$store" 'SELECT count(*) FROM entities') entities: $(awk "BEGIN { printf \"%.2f\", $end - $start }") s"
