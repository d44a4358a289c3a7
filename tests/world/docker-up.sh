#!/usr/bin/env bash
# docker-up.sh — a Docker Engine in Swarm mode on this machine, for the Swarm and compose tests, made the
# way the machine allows (no systemd as PID 1, no registry to pull from). Idempotent: it only does what is
# missing, so every test may run it first.
#   1. /etc/docker/daemon.json, written only when absent: iptables off (the engine leaves the host's
#      firewall and the tests' network namespaces alone), no default bridge, cgroupfs, overlay2.
#   2. dockerd, started in the background when /usr/bin/docker gets no answer; its pid goes to
#      /run/pgstandby-tests/dockerd.pid, which docker-down.sh stops. An engine that already runs is used as it is.
#   3. Swarm mode on one node: `docker swarm init --advertise-addr 127.0.0.1` unless the node is in a swarm.
#   4. The stand-in debian:bookworm-slim of tests/world/image-bases.sh handed from podman to Docker, when
#      Docker lacks it (the compose example's images build from it).
# Needs docker.io (Debian's 20.10: /usr/bin/docker, /usr/sbin/dockerd). Run as root. Undo: docker-down.sh.
set -euo pipefail

DOCKER=/usr/bin/docker
DAEMON_JSON=/etc/docker/daemon.json
STATE=/run/pgstandby-tests
DEBIAN_IMAGE=debian:bookworm-slim

log() { printf 'docker-up: %s\n' "$*" >&2; }
die() { printf 'docker-up: error: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must be run as root"
[[ -x $DOCKER && -x /usr/sbin/dockerd ]] || die "Debian's Docker Engine is not installed (apt-get install docker.io)"

if [[ ! -e $DAEMON_JSON ]]; then
    log "writing $DAEMON_JSON"
    install -d -m 755 /etc/docker
    printf '%s\n' '{"iptables": false, "bridge": "none", "exec-opts": ["native.cgroupdriver=cgroupfs"], "storage-driver": "overlay2"}' >"$DAEMON_JSON"
fi

if ! $DOCKER info >/dev/null 2>&1; then
    install -d -m 700 "$STATE"
    log "starting dockerd (log: $STATE/dockerd.log)"
    setsid /usr/sbin/dockerd >>"$STATE/dockerd.log" 2>&1 </dev/null &
    echo $! >"$STATE/dockerd.pid"
    for _ in $(seq 120); do
        $DOCKER info >/dev/null 2>&1 && break
        kill -0 "$(cat "$STATE/dockerd.pid")" 2>/dev/null || { tail -n 20 "$STATE/dockerd.log" >&2; die "dockerd exited"; }
        sleep 0.5
    done
    $DOCKER info >/dev/null 2>&1 || { tail -n 20 "$STATE/dockerd.log" >&2; die "dockerd did not answer within 60 s"; }
fi

if [[ $($DOCKER info --format '{{.Swarm.LocalNodeState}}') != active ]]; then
    log "docker swarm init --advertise-addr 127.0.0.1"
    $DOCKER swarm init --advertise-addr 127.0.0.1 >/dev/null
fi

if ! $DOCKER image inspect "$DEBIAN_IMAGE" >/dev/null 2>&1; then
    log "handing $DEBIAN_IMAGE from podman to Docker"
    podman image exists "docker.io/library/$DEBIAN_IMAGE" || "$(dirname "${BASH_SOURCE[0]}")/image-bases.sh"
    podman save --format docker-archive "docker.io/library/$DEBIAN_IMAGE" | $DOCKER load >/dev/null
fi
echo "DOCKER=$DOCKER"
