#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages Greenroom needs to build, run and test.
# Idempotent: asks dpkg first and only calls apt-get for what is missing,
# so `make run` / `make test` stay fast on a machine that is already set up.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # Qt 6: Core/Network/Gui/Widgets/Test, WebEngine, HttpServer, WebSockets,
  # Quick (the docs reader picks Qt Quick's scene graph for its web views)
  qt6-base-dev qt6-base-dev-tools libgl-dev qt6-declarative-dev
  qt6-webengine-dev qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev
  # the desktop app: tokens in the OS keychain; a Secret Service for its tests
  qtkeychain-qt6-dev gnome-keyring dbus-x11
  # libraries named in the brief
  libyaml-cpp-dev libgit2-dev libsqlite3-dev libpq-dev libmd4c-dev libmd4c-html0-dev
  # libyaml reads catalog YAML ~8x faster than yaml-cpp; yaml-cpp stays the reference
  libyaml-dev
  # TechDocs: the HTML sanitiser's parser, EmojiOne's shortcode index (the
  # default index of pymdownx.emoji), zlib for sitemap.xml.gz
  libgumbo-dev ruby-gemojione zlib1g-dev
  # software templates: JSON Schema validation of the answers (reads QJson types);
  # libsodium seals GitHub Actions secrets (publish:github's `secrets`)
  libvalijson-dev libsodium-dev
  # user tokens: ES256 signatures (P-256 ECDSA), which neither Qt nor libsodium make
  libssl-dev
  # headless UI tests and the PostgreSQL store tests; the sqlite3 shell for tests/bench
  xvfb xauth postgresql sqlite3
)

# npm fetches mermaid.js into the desktop app's resources when CMake
# configures (docs diagrams). A machine may have it from elsewhere (Node.js's
# own packages bundle it); where there is none, Debian's is installed.
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "packaging: all ${#packages[@]} build and test packages are installed"
  exit 0
fi

echo "packaging: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "packaging: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
