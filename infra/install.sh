#!/usr/bin/env bash
# Root postinstall: system packages the platform needs at run time, then a working
# mediasoup-worker (see infra/mediasoup-worker/ensure-worker.sh for how it is obtained).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${TELEMED_SKIP_SYSTEM_SETUP:-}" ]; then
  echo "[install] TELEMED_SKIP_SYSTEM_SETUP set: not touching system packages or the worker" >&2
  exit 0
fi
bash infra/setup-system.sh runtime
bin=$(bash infra/mediasoup-worker/ensure-worker.sh)
echo "[install] mediasoup-worker ready: $bin" >&2
