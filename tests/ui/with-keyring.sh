#!/bin/sh
# Runs a test with a private D-Bus session bus and an unlocked GNOME Keyring
# in a throw-away home: the Secret Service QtKeychain stores tokens in.
exec dbus-run-session -- sh -c '
  export HOME="$(mktemp -d)"
  echo -n greenroom-tests | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$@"; status=$?
  rm -rf "$HOME"
  exit $status' sh "$@"
