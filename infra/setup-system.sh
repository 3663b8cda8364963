#!/usr/bin/env bash
# Installs the Debian packages a group of tasks needs, and nothing when they are present.
#   worker-build  what building mediasoup-worker from source needs
#   runtime       what `npm start` needs at run time (ffmpeg for RTP ingest, a CJK font for PDF reports)
#   test          what `npm test` needs: chromium, redis, orthanc (+dicomweb), dcmtk, ffmpeg, the CJK font and pdftotext
set -euo pipefail

declare -A groups=(
  [worker-build]="build-essential python3 python3-venv pkg-config ninja-build libuv1-dev libsrtp2-dev libusrsctp-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler libssl-dev curl"
  [runtime]="ffmpeg fonts-wqy-microhei"
  [test]="chromium redis-server orthanc orthanc-dicomweb dcmtk ffmpeg fonts-wqy-microhei poppler-utils"
)

wanted=()
for g in "$@"; do
  [ -n "${groups[$g]:-}" ] || { echo "setup-system: unknown group '$g'" >&2; exit 2; }
  # shellcheck disable=SC2206
  wanted+=(${groups[$g]})
done

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup-system: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "setup-system: these Debian packages are missing and I cannot install them without root:" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; refresh them once if the first try cannot find a package.
if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
  "${sudo[@]}" apt-get update >&2
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
# Debian starts the services it installs where it can; tests start their own on loopback.
