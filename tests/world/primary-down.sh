#!/usr/bin/env bash
# primary-down.sh ROOT — tear down the test world built by primary-up.sh: stop its sshd
# (and the sessions it still serves), its pgBackRest TLS server if any, and drop its Debian cluster. ROOT itself is left
# for inspection (logs...); the caller deletes it. Safe to run twice. Run as root.
set -euo pipefail

PG_VERSION=15
log() { printf 'primary-down: %s\n' "$*" >&2; }

[[ $# -eq 1 ]] || { echo "usage: primary-down.sh ROOT" >&2; exit 2; }
P=$(realpath -m "$1")/primary

# pgBackRest's TLS server (primary-up.sh --tls-port): its remotes get SIGTERM from it as it stops.
if [[ -s $P/tls/server.pid ]]; then
    pid=$(cat "$P/tls/server.pid")
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        log "stopping pgbackrest server (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$P/tls/server.pid"
fi

if [[ -s $P/sshd.pid ]]; then
    pid=$(cat "$P/sshd.pid")
    if kill -0 "$pid" 2>/dev/null; then
        # Sessions are children of the listener; collect them before it goes away.
        children=$(pgrep -P "$pid" || true)
        log "stopping sshd (pid $pid${children:+, sessions: ${children//$'\n'/ }})"
        # shellcheck disable=SC2086 # word splitting of the pid list is wanted
        kill "$pid" $children 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$P/sshd.pid"
fi

CLUSTER=
if [[ -f $P/world.env ]]; then CLUSTER=$(sed -n 's/^CLUSTER=//p' "$P/world.env"); fi
if [[ -n $CLUSTER ]] && pg_lsclusters -h "$PG_VERSION" "$CLUSTER" >/dev/null 2>&1; then
    log "dropping cluster $PG_VERSION/$CLUSTER"
    pg_dropcluster --stop "$PG_VERSION" "$CLUSTER" >&2
fi
# pg_dropcluster leaves files it did not create (setup-primary.sh's conf.d drop-in).
if [[ $CLUSTER == pgstandby_* ]]; then rm -rf "/etc/postgresql/$PG_VERSION/$CLUSTER"; fi
# setup-primary.sh makes the forced command's log append-only: lift that so the caller can delete ROOT.
if [[ -f $P/forced-command.log ]]; then chattr -a "$P/forced-command.log" 2>/dev/null || true; fi
log "done (left $1 in place)"
