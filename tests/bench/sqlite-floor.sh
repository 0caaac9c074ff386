#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# sqlite-floor.sh STORE: the least time SQLite alone needs to build a store
# like STORE (one kept by `GREENROOM_BENCH_DIR=... bench_ingest`). It copies
# every table into a fresh database with INSERT ... SELECT in one transaction,
# rebuilds the full-text indexes from their content table, then builds the
# indexes and commits, with the pragmas the store uses for a bulk write. No
# parsing, validation, JSON or C++ at all: whatever ingest costs above this
# figure is ours; below it no schema-preserving change goes. It also prints
# the floor without the full-text indexes and without the `search` table
# (the filter rows), to show what each costs.
set -eu
store=${1:?usage: sqlite-floor.sh STORE.sqlite}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Virtual tables are made, not copied: FTS5 tables (and their shadow
# tables) are rebuilt from their content table; an fts5vocab one reads them.
fts=$(sqlite3 "$store" "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5(%'")
not_fts="name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
for table in $fts; do
    not_fts="$not_fts AND name NOT LIKE '${table}%'"
done
tables=$(sqlite3 "$store" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL AND $not_fts")
virtual=$(sqlite3 "$store" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
indexes=$(sqlite3 "$store" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
copies=$(sqlite3 "$store" "SELECT 'INSERT INTO main.' || name || ' SELECT * FROM old.' || name || ';' FROM sqlite_master
                           WHERE type = 'table' AND $not_fts")
rebuilds=$(for table in $fts; do echo "INSERT INTO $table($table) VALUES ('rebuild');"; done)

# floor NAME COPIES FULLTEXT: seconds to build the copy.
floor() {
    copy="$work/$1.sqlite"
    start=$(date +%s.%N)
    sqlite3 "$copy" >/dev/null <<EOF
PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA temp_store = FILE;
ATTACH '$store' AS old;
BEGIN;
$tables
$virtual
$2
$3
$indexes
COMMIT;
EOF
    end=$(date +%s.%N)
    rm -f "$copy" "$copy-wal" "$copy-shm"
    awk "BEGIN { printf \"%.2f\", $end - $start }"
}

entities=$(sqlite3 "$store" 'SELECT count(*) FROM entities')
rows=$(sqlite3 "$store" 'SELECT count(*) FROM search')
all=$(floor all "$copies" "$rebuilds")
no_fulltext=$(floor no-fulltext "$copies" "")
no_search=$(floor no-search "$(echo "$copies" | grep -v 'old\.search;')" "")
echo "SQLite floor for $entities entities: $all s (without the full-text indexes $no_fulltext s; without them and the $rows filter rows of 'search' $no_search s)"
