#!/usr/bin/env bash
# Starts a private Ceph cluster (one mon, one memstore OSD, radosgw) on 127.0.0.1 under BASE, as measured in
# shared/REAL-S3.md: no systemd, no mgr, auth none, data in RAM. Starts in about 2 s.
#
# Usage: start.sh [BASE]   (or BASE=... start.sh; default .tmp/radosgw)
# Ports: RGW_PORT (7480), MON_PORT (3300), OSD_PORT_MIN/OSD_PORT_MAX (6800-6899; the OSD binds 8 ports).
# Writes $BASE/env (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, CEPH_CONF).
# On failure: stops whatever it started and prints the failing daemon's log tail. Stop with stop.sh BASE.
set -euo pipefail

BASE="${1:-${BASE:-.tmp/radosgw}}"
RGW_PORT="${RGW_PORT:-7480}"
MON_PORT="${MON_PORT:-3300}"
OSD_PORT_MIN="${OSD_PORT_MIN:-6800}"
OSD_PORT_MAX="${OSD_PORT_MAX:-6899}"
READY_TIMEOUT="${READY_TIMEOUT:-30}"
ACCESS_KEY="${RGW_ACCESS_KEY:-TESTACCESSKEY0000000}"
SECRET_KEY="${RGW_SECRET_KEY:-testsecretkey0000000000000000000000000000}"
here="$(cd "$(dirname "$0")" && pwd)"

for bin in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool uuidgen curl; do
  if ! command -v "$bin" >/dev/null; then
    echo "radosgw start: '$bin' is not installed; run: bash scripts/radosgw/install.sh" >&2
    exit 2
  fi
done
if (( OSD_PORT_MAX - OSD_PORT_MIN < 7 )); then
  echo "radosgw start: OSD port range $OSD_PORT_MIN-$OSD_PORT_MAX is too small; the OSD binds 8 ports" >&2
  exit 2
fi

mkdir -p "$BASE"
BASE="$(cd "$BASE" && pwd)"
CONF="$BASE/ceph.conf"
if [[ -e "$BASE/run" ]]; then
  # A previous cluster in this folder: stop it (by its pid files) and start from nothing.
  bash "$here/stop.sh" "$BASE" >/dev/null 2>&1 || true
fi
rm -rf "$BASE/run" "$BASE/log" "$BASE/mon" "$BASE/osd" "$BASE/rgw" "$BASE/keyring" "$BASE/env" "$CONF"
mkdir -p "$BASE"/{run,log,mon,osd/ceph-0,rgw} # memstore mkfs asserts without osd/ceph-0

t0=$EPOCHREALTIME
step() { awk -v a="$t0" -v b="$EPOCHREALTIME" -v m="$1" 'BEGIN { printf "[%6.2fs] %s\n", b - a, m }'; }

fail() {
  local what="$1" log="$2"
  echo "radosgw start: $what (BASE=$BASE)" >&2
  if [[ -n "$log" && -f "$log" ]]; then
    echo "--- last 30 lines of $log ---" >&2
    tail -n 30 "$log" >&2
    echo "---" >&2
  fi
  bash "$here/stop.sh" "$BASE" >/dev/null 2>&1 || true
  exit 1
}

# Polls "$@" every 0.1 s until it succeeds or READY_TIMEOUT seconds pass.
wait_for() {
  local deadline=$(( $(date +%s) + READY_TIMEOUT ))
  until "$@" >/dev/null 2>&1; do
    (( $(date +%s) < deadline )) || return 1
    sleep 0.1
  done
}

FSID="$(uuidgen)"
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms bind port min = $OSD_PORT_MIN
ms bind port max = $OSD_PORT_MAX
auth cluster required = none
auth service required = none
auth client required = none
# radosgw defaults these to cephx/secure on its own; with auth none it then hangs at start (-13)
ms mon client mode = crc
mon warn on insecure global id reclaim allowed = false
run dir = $BASE/run
admin socket = $BASE/run/\$cluster-\$name.asok
pid file = $BASE/run/\$cluster-\$name.pid
log file = $BASE/log/\$cluster-\$name.log
keyring = $BASE/keyring
mon data = $BASE/mon/\$cluster-\$id
osd data = $BASE/osd/\$cluster-\$id
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
# each pool creation / OSD boot is one paxos round (default 1 s): start 13.4 s -> 2.3 s
paxos propose interval = 0.05
paxos min wait = 0.01

[osd]
osd objectstore = memstore
memstore device bytes = 2147483648
osd crush update on start = true

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $BASE/rgw
keyring = $BASE/keyring
auth client required = none
rgw thread pool size = 64
EOF

MON_LOG="$BASE/log/ceph-mon.a.log"
OSD_LOG="$BASE/log/ceph-osd.0.log"
RGW_LOG="$BASE/log/ceph-client.rgw.a.log"
SETUP_LOG="$BASE/log/setup.log"

{
  ceph-authtool --create-keyring "$BASE/keyring" --gen-key -n mon. --cap mon 'allow *'
  ceph-authtool "$BASE/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
    --cap mgr 'allow *' --cap mds 'allow *'
  monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$BASE/run/monmap"
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$BASE/run/monmap" --keyring "$BASE/keyring"
} >>"$SETUP_LOG" 2>&1 || fail "creating the keyring/monmap/mon store failed" "$SETUP_LOG"

ceph-mon -c "$CONF" -i a >>"$SETUP_LOG" 2>&1 || fail "ceph-mon did not start (is port $MON_PORT free?)" "$MON_LOG"
step "mon started"

# `ceph` waits forever for a mon that never answers; bound every call.
cephq() { timeout 10 ceph -c "$CONF" --connect-timeout 5 "$@"; }
OSD_UUID="$(uuidgen)"
OSD_ID="$(cephq osd new "$OSD_UUID" 2>>"$SETUP_LOG")" ||
  fail "the mon did not answer 'osd new' on 127.0.0.1:$MON_PORT" "$MON_LOG"
ceph-osd -c "$CONF" -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >>"$SETUP_LOG" 2>&1 ||
  fail "ceph-osd --mkfs failed" "$OSD_LOG"
ceph-osd -c "$CONF" -i "$OSD_ID" >>"$SETUP_LOG" 2>&1 ||
  fail "ceph-osd did not start (ports $OSD_PORT_MIN-$OSD_PORT_MAX free?)" "$OSD_LOG"
osd_up() { cephq osd dump 2>/dev/null | grep -q "^osd.$OSD_ID up"; }
wait_for osd_up || fail "osd.$OSD_ID not up after ${READY_TIMEOUT}s" "$OSD_LOG"
step "osd.$OSD_ID up"

radosgw -c "$CONF" -n client.rgw.a >>"$SETUP_LOG" 2>&1 || fail "radosgw did not start" "$RGW_LOG"
rgw_up() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$RGW_PORT/"; }
wait_for rgw_up || fail "radosgw not answering on 127.0.0.1:$RGW_PORT after ${READY_TIMEOUT}s" "$RGW_LOG"
step "radosgw answering on 127.0.0.1:$RGW_PORT"

timeout 30 radosgw-admin -c "$CONF" user create --uid test --display-name test \
  --access-key "$ACCESS_KEY" --secret-key "$SECRET_KEY" >>"$SETUP_LOG" 2>&1 ||
  fail "radosgw-admin user create failed" "$SETUP_LOG"
step "S3 user created"

cat >"$BASE/env" <<EOF
export AWS_ENDPOINT_URL=http://127.0.0.1:$RGW_PORT
export AWS_ACCESS_KEY_ID=$ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$SECRET_KEY
export AWS_DEFAULT_REGION=default
export CEPH_CONF=$CONF
EOF
echo "radosgw ready: http://127.0.0.1:$RGW_PORT (source $BASE/env; stop with scripts/radosgw/stop.sh $BASE)"
