#!/bin/sh
# What the benchmarks need beyond the build: wrk drives the server's HTTP
# load test; Debian's MkDocs with Material and pymdown-extensions is what
# bench_docs measures the docs builder against. Idempotent; installs only
# what is missing.
set -eu
missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
for p in mkdocs mkdocs-material python3-pymdownx; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
