#!/usr/bin/env bash
# Makes sure a working mediasoup-worker exists for the installed mediasoup version, and says
# where it is. Idempotent: a worker that already works is kept and nothing is rebuilt.
#
# Order of preference:
#   1. $MEDIASOUP_WORKER_BIN, if set and working;
#   2. our cached build for this mediasoup version (outside node_modules, so `npm ci` keeps it);
#   3. mediasoup's own worker (node_modules/mediasoup/worker/out/Release) if it works;
#   4. mediasoup's normal install path (prebuilt download) when GitHub is reachable;
#   5. an offline build from the package's own worker/ sources against Debian's libraries.
# The cached path is what sfu/ uses at run time (it sets MEDIASOUP_WORKER_BIN to it).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ms_dir="$root/node_modules/mediasoup"
log() { printf '[mediasoup-worker] %s\n' "$*" >&2; }

if [ ! -f "$ms_dir/package.json" ]; then
  log "mediasoup is not installed under $ms_dir; run npm install first"
  exit 1
fi
version=$(node -p "require('$ms_dir/package.json').version")
patch_id=$(cat "$here/patch-meson.mjs" "$here/srtp-compat.h" | sha256sum | cut -c1-12)
cache_root=${TELEMED_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/telemed}
cache_dir="$cache_root/mediasoup-worker/$version-$patch_id"
cached_bin="$cache_dir/mediasoup-worker"
default_bin="$ms_dir/worker/out/Release/mediasoup-worker"

works() { [ -x "$1" ] && (cd "$root" && node "$here/check-worker.mjs" "$1" >&2); }

if [ -n "${MEDIASOUP_WORKER_BIN:-}" ] && works "$MEDIASOUP_WORKER_BIN"; then
  echo "$MEDIASOUP_WORKER_BIN"; exit 0
fi
if works "$cached_bin"; then
  echo "$cached_bin"; exit 0
fi
if works "$default_bin"; then
  echo "$default_bin"; exit 0
fi

if [ -z "${TELEMED_FORCE_WORKER_BUILD:-}" ] && \
   curl -fsS -o /dev/null --max-time 8 -I https://github.com/versatica/mediasoup/releases 2>/dev/null; then
  log "GitHub is reachable: using mediasoup's own install (prebuilt download)"
  (cd "$ms_dir" && env -u MEDIASOUP_WORKER_BIN node npm-scripts.mjs postinstall >&2)
  if works "$default_bin"; then echo "$default_bin"; exit 0; fi
  log "mediasoup's own install did not give a working worker; building offline"
fi

log "building mediasoup-worker $version from source against Debian's libraries (about 4-5 minutes)"
"$root/infra/setup-system.sh" worker-build >&2

# Debian's meson (1.0) is older than the worker needs (>= 1.1): use a private venv.
meson_bin=$(command -v meson || true)
if [ -z "$meson_bin" ] || ! python3 - "$($meson_bin --version)" <<'PY'
import sys
v = tuple(int(x) for x in sys.argv[1].split('.')[:2])
sys.exit(0 if v >= (1, 1) else 1)
PY
then
  if [ ! -x "$cache_root/meson-venv/bin/meson" ]; then
    python3 -m venv "$cache_root/meson-venv" >&2
    "$cache_root/meson-venv/bin/pip" install --quiet 'meson>=1.1' >&2
  fi
  meson_bin="$cache_root/meson-venv/bin/meson"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -a "$ms_dir/worker" "$work/worker"
rm -rf "$work/worker/out" "$work/worker/subprojects/packagecache"
node "$here/patch-meson.mjs" "$work/worker" >&2
cp "$here/srtp-compat.h" "$work/worker/include/srtp.h"

(
  cd "$work/worker"
  "$meson_bin" setup build --buildtype=release -Dms_disable_liburing=true --wrap-mode=nodownload >&2
  ninja -C build fbs/FBS >&2  # flatbuffers-generator: generated headers first
  ninja -C build mediasoup-worker >&2
)

mkdir -p "$cache_dir"
cp "$work/worker/build/mediasoup-worker" "$cache_dir/mediasoup-worker.tmp"
strip "$cache_dir/mediasoup-worker.tmp" 2>/dev/null || true
mv -f "$cache_dir/mediasoup-worker.tmp" "$cached_bin"

if ! works "$cached_bin"; then
  log "the built worker does not run; see the output above"
  exit 1
fi
echo "$cached_bin"
