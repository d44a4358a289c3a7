#!/usr/bin/env bash
# docker-down.sh — undoes docker-up.sh at the end of a test run: removes what the tests left in the engine
# (services, stacks and volumes named pgstandby-it-*, compose projects pgstandby-it-*), leaves the swarm,
# removes the bridge Swarm made (docker_gwbridge), and stops dockerd when docker-up.sh started it (by its
# pid). An engine docker-up.sh did not start keeps running, out of Swarm mode only if the tests put it there.
# Images stay: the next run's builds reuse their layers. Run as root; safe to run when nothing is up.
set -euo pipefail

DOCKER=/usr/bin/docker
STATE=/run/pgstandby-tests

log() { printf 'docker-down: %s\n' "$*" >&2; }

[[ -x $DOCKER ]] || exit 0
if $DOCKER info >/dev/null 2>&1; then
    services=$($DOCKER service ls -q --filter name=pgstandby-it- 2>/dev/null || true)
    [[ -z $services ]] || { log "removing leftover services"; $DOCKER service rm $services >/dev/null || true; }
    for _ in $(seq 60); do
        [[ -z $($DOCKER ps -aq --filter name=pgstandby-it-) ]] && break
        $DOCKER rm -f $($DOCKER ps -aq --filter name=pgstandby-it-) >/dev/null 2>&1 || true
        sleep 0.5
    done
    volumes=$($DOCKER volume ls -q --filter name=pgstandby-it- || true)
    [[ -z $volumes ]] || $DOCKER volume rm -f $volumes >/dev/null || true
    networks=$($DOCKER network ls -q --filter name=pgstandby-it- || true)
    [[ -z $networks ]] || $DOCKER network rm $networks >/dev/null || true
    if [[ $($DOCKER info --format '{{.Swarm.LocalNodeState}}') == active ]]; then
        log "docker swarm leave --force"
        $DOCKER swarm leave --force >/dev/null || true
    fi
    $DOCKER network rm docker_gwbridge >/dev/null 2>&1 || true
fi

if [[ -s $STATE/dockerd.pid ]]; then
    pid=$(cat "$STATE/dockerd.pid")
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping dockerd (pid $pid)"
        kill -TERM "$pid"
        for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && { log "dockerd still runs after 60 s: SIGKILL"; kill -KILL "$pid"; }
    fi
    rm -f "$STATE/dockerd.pid"
fi
