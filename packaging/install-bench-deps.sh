#!/bin/sh
# What the benchmarks need beyond the build: wrk drives the server's HTTP
# load test; Debian's MkDocs with Material and pymdown-extensions is what
# bench_docs measures the docs builder against; Backstage's own search
# engine (npm, into <build folder>/bench-npm) is what bench_search measures
# the search index against. Idempotent; installs only what is missing.
# Usage: install-bench-deps.sh [build folder]
set -eu
build="${1:-build}"
missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
for p in mkdocs mkdocs-material python3-pymdownx; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
# Backstage release 1.55's search engine and catalog backend, pinned.
npm_dir="$build/bench-npm"
if [ ! -d "$npm_dir/node_modules/@backstage/plugin-search-backend-node" ] \
   || [ ! -d "$npm_dir/node_modules/@backstage/plugin-catalog-backend" ]; then
  mkdir -p "$npm_dir"
  npm install --prefix "$npm_dir" --no-audit --no-fund --silent @backstage/plugin-search-backend-node@1.4.10 \
    @backstage/backend-defaults@0.18.0 @backstage/plugin-catalog-backend@4.0.0 @backstage/catalog-model@1.10.1
fi
