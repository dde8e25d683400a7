#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests use besides radosgw: gpg (test/local signs a chart with
# `helm package --sign` and checks it with `helm pull --verify`). Idempotent; needs root (CI runs as root).
set -euo pipefail
need=(gnupg)
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "test tools: already installed"
  exit 0
fi
echo "test tools: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "test tools: installed"
