#!/usr/bin/env bash
# netns-down.sh NAME [N] — remove what netns-up.sh NAME N made: the processes still running in
# network namespace pgs-NAME (started there by the tests: SIGKILL, by pid), the veth pair pgsh-N /
# pgsn-N, the namespace and its owner record. Safe to run twice, and when only part of it exists.
# Run as root.
set -euo pipefail

log() { printf 'netns-down: %s\n' "$*" >&2; }
die() { printf 'netns-down: error: %s\n' "$*" >&2; exit 1; }

[[ $# -eq 1 || $# -eq 2 ]] || die "usage: netns-down.sh NAME [N]"
NAME=$1 N=${2:-}
[[ $(id -u) -eq 0 ]] || die "must be run as root"
[[ $NAME =~ ^[A-Za-z0-9_-]{1,40}$ ]] || die "NAME must be 1-40 letters, digits, _ or -: $NAME"
[[ -z $N || $N =~ ^[0-9]+$ ]] || die "N must be a number: $N"
NETNS=pgs-$NAME

if ip netns list | awk '{print $1}' | grep -qx "$NETNS"; then
    pids=$(ip netns pids "$NETNS" || true)
    if [[ -n $pids ]]; then
        log "killing what still runs in $NETNS: ${pids//$'\n'/ }"
        # shellcheck disable=SC2086 # one pid per word
        kill -KILL $pids 2>/dev/null || true
        for _ in $(seq 1 50); do [[ -z $(ip netns pids "$NETNS" || true) ]] && break; sleep 0.1; done
    fi
    # Deleted from inside: the pair whose end is in this namespace, never another run's pgsh-N.
    if [[ -n $N ]] && ip -n "$NETNS" link show "pgsn-$N" >/dev/null 2>&1; then
        log "deleting veth pgsh-$N / pgsn-$N"
        ip -n "$NETNS" link del "pgsn-$N"
    fi
    log "deleting namespace $NETNS"
    ip netns del "$NETNS"
fi
rm -f "/run/pgstandby-netns/$NAME"
