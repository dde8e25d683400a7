#!/usr/bin/env bash
# Installs Ceph radosgw (and a single-node mon + memstore osd) from Debian's packages.
# Idempotent: does nothing when radosgw is already installed. Needs root (CI runs as root).
set -euo pipefail
need=(radosgw ceph-mon ceph-osd ceph-common uuid-runtime unzip curl time)
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "radosgw: already installed"
  exit 0
fi
echo "radosgw: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "radosgw: installed"
