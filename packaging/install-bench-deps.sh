#!/bin/sh
# What the benchmarks need beyond the build: wrk drives the server's HTTP
# load test. Idempotent; installs only what is missing.
set -eu
missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
