#!/usr/bin/env bash
# Stops the cluster that start.sh started under BASE: SIGTERM to rgw, then osd, then mon, by the pids in
# $BASE/run/*.pid (never by process name), SIGKILL after 3 s. A pid counts as ours only while
# /proc/PID/cmdline names this BASE's ceph.conf: that survives late-reaped zombies and recycled pids.
# Usage: stop.sh [BASE]   (or BASE=... stop.sh; default .tmp/radosgw). Removes the data unless KEEP_DATA=1.
set -uo pipefail

BASE="${1:-${BASE:-.tmp/radosgw}}"
if [[ ! -d "$BASE" ]]; then
  echo "radosgw stop: $BASE does not exist; nothing to stop"
  exit 0
fi
BASE="$(cd "$BASE" && pwd)"
CONF="$BASE/ceph.conf"

# True while PID is a live process started with this BASE's ceph.conf.
ours() {
  local pid="$1" cmd
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$CONF"* ]]
}

stop_daemon() {
  local pidfile="$1" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n "$pid" ]] && ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 30); do
    ours "$pid" || return 0
    sleep 0.1
  done
  echo "radosgw stop: $(basename "$pidfile" .pid) (pid $pid) ignored SIGTERM for 3 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

stop_daemon "$BASE/run/ceph-client.rgw.a.pid"
for pidfile in "$BASE"/run/ceph-osd.*.pid; do stop_daemon "$pidfile"; done
stop_daemon "$BASE/run/ceph-mon.a.pid"

if [[ "${KEEP_DATA:-0}" != 1 ]]; then
  rm -rf "$BASE/run" "$BASE/mon" "$BASE/osd" "$BASE/rgw" "$BASE/env"
fi
echo "radosgw stopped ($BASE)"
