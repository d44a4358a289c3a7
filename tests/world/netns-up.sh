#!/usr/bin/env bash
# netns-up.sh NAME [N] — an isolated network for a standby under test: network namespace
# pgs-NAME with its loopback up, and a veth pair between it and this machine:
#   host side pgsh-N  10.213.N.1/30   (the primary listens here too, see primary-up.sh --listen)
#   ns side   pgsn-N  10.213.N.2/30   (inside pgs-NAME; no default route: nothing else is reachable)
# Without N, the first N in 1..254 whose interface and addresses are free is taken (under a lock,
# so concurrent worlds do not collide). Cutting pgsh-N (ip link set pgsh-N down) is a partition.
# The addresses exist only on this veth pair. Anything left by a previous run of the same NAME is
# removed first, and so is any namespace of a test run that was killed (its owner, the process that
# ran netns-up.sh, is gone) once nothing runs in it any more. Owners are recorded in
# /run/pgstandby-netns/. stdout: KEY=VALUE lines only; progress: stderr. Run as root.
# Undo: netns-down.sh.
set -euo pipefail

log() { printf 'netns-up: %s\n' "$*" >&2; }
die() { printf 'netns-up: error: %s\n' "$*" >&2; exit 1; }

[[ $# -eq 1 || $# -eq 2 ]] || die "usage: netns-up.sh NAME [N]"
NAME=$1 N=${2:-}
[[ $(id -u) -eq 0 ]] || die "must be run as root"
[[ $NAME =~ ^[A-Za-z0-9_-]{1,40}$ ]] || die "NAME must be 1-40 letters, digits, _ or -: $NAME"
[[ -z $N || ($N =~ ^[0-9]+$ && $N -ge 1 && $N -le 254) ]] || die "N must be a number from 1 to 254: $N"
NETNS=pgs-$NAME
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Is slot N free on this machine: no interface of that name, no address in 10.213.N.0/30?
slot_free() {
    [[ ! -e /sys/class/net/pgsh-$1 ]] && [[ -z $(ip -o -4 addr show to "10.213.$1.0/30") ]]
}

OWNERS=/run/pgstandby-netns
exec 9>/run/lock/pgstandby-netns.lock
flock -w 30 9 || die "cannot take /run/lock/pgstandby-netns.lock"
install -d -m 700 "$OWNERS"

# Namespaces of killed test runs: owner gone and nothing running inside.
for record in "$OWNERS"/*; do
    [[ -f $record ]] || continue
    read -r owner slot <"$record" || true
    name=${record##*/}
    if [[ $owner =~ ^[0-9]+$ ]] && ! kill -0 "$owner" 2>/dev/null \
        && [[ -z $(ip netns pids "pgs-$name" 2>/dev/null || true) ]]; then
        log "removing pgs-$name, left by a test run that is gone (pid $owner)"
        "$HERE/netns-down.sh" "$name" ${slot:+"$slot"} >&2 || true
    fi
done

if ip netns list | awk '{print $1}' | grep -qx "$NETNS"; then
    log "removing the previous namespace $NETNS"
    old=$(ip -n "$NETNS" -o link show | sed -n 's/^[0-9]*: pgsn-\([0-9]*\)@.*/\1/p' | head -n 1)
    "$HERE/netns-down.sh" "$NAME" ${old:+"$old"} >&2
fi

if [[ -z $N ]]; then
    for candidate in $(seq 1 254); do
        if slot_free "$candidate"; then N=$candidate; break; fi
    done
    [[ -n $N ]] || die "no free 10.213.N.0/30 slot"
else
    slot_free "$N" || die "pgsh-$N or an address in 10.213.$N.0/30 already exists"
fi

HOST_IF=pgsh-$N NS_IF=pgsn-$N HOST_ADDRESS=10.213.$N.1 NS_ADDRESS=10.213.$N.2
log "creating $NETNS with $NS_IF $NS_ADDRESS/30, host side $HOST_IF $HOST_ADDRESS/30"
ip netns add "$NETNS"
if ! {
    ip link add "$HOST_IF" type veth peer name "$NS_IF" netns "$NETNS" &&
        ip addr add "$HOST_ADDRESS/30" dev "$HOST_IF" &&
        ip link set "$HOST_IF" up &&
        ip -n "$NETNS" addr add "$NS_ADDRESS/30" dev "$NS_IF" &&
        ip -n "$NETNS" link set "$NS_IF" up &&
        ip -n "$NETNS" link set lo up
}; then
    ip link del "$HOST_IF" 2>/dev/null || true
    ip netns del "$NETNS" 2>/dev/null || true
    die "could not set up $NETNS"
fi

printf '%s %s\n' "$PPID" "$N" >"$OWNERS/$NAME"

# A veth address is usable once DAD-free and the link is up on both sides.
for _ in $(seq 1 50); do
    if ip -n "$NETNS" -o link show "$NS_IF" | grep -q 'LOWER_UP'; then break; fi
    sleep 0.1
done

cat <<EOF
NETNS=$NETNS
N=$N
HOST_IF=$HOST_IF
NS_IF=$NS_IF
HOST_ADDRESS=$HOST_ADDRESS
NS_ADDRESS=$NS_ADDRESS
CIDR=10.213.$N.0/30
EOF
