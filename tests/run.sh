#!/usr/bin/env bash
# Installs what the tests need on a Debian 12 machine, then runs every test (unit and integration)
# and prints the totals as one line: "N passed, N failed, N skipped". Run as root.
# The integration tests build a throwaway PostgreSQL 15 primary with pgBackRest and its own sshd on
# loopback (tests/world/), and run the published pgstandby against it as a separate process; one of them
# builds deploy/docker/Dockerfile with podman (its base images made by tests/world/image-bases.sh, which the test runs);
# the Swarm and compose tests run that image under Debian's Docker Engine, which tests/world/docker-up.sh starts
# (no systemd here) and docker-down.sh, at the start and at the end of this script, stops with what the tests left.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
RESULTS=${RESULTS:-$ROOT/artifacts/test-results}
PACKAGES=(postgresql-15 postgresql-contrib pgbackrest openssh-server openssh-client iproute2 util-linux systemd podman runc debootstrap
    docker.io docker-compose   # the Swarm and compose tests (Debian 12's Docker 20.10 and docker-compose 1.29)
    clang zlib1g-dev)   # clang: the Native AOT publish (README, Building)

log() { printf 'tests/run.sh: %s\n' "$*" >&2; }

[[ $(id -u) -eq 0 ]] || { log "run as root: the integration tests create PostgreSQL clusters and start sshd"; exit 1; }

missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's default cluster listens on 5432 when it runs; the tests never use it.
if pg_lsclusters -h 15 main 2>/dev/null | awk '{print $4}' | grep -q '^online'; then
    log "stopping Debian's default cluster 15/main"
    pg_ctlcluster 15 main stop
fi

log "publishing pgstandby (the integration tests run this binary)"
BIN_DIR=$ROOT/artifacts/pgstandby
rm -rf "$BIN_DIR"
dotnet publish "$ROOT/src/PgStandby.Worker" -c Release -o "$BIN_DIR" -nologo -v quiet
# The tests prove the binary operators run: the Native AOT one (clang is installed above).
[[ -x $BIN_DIR/pgstandby && ! -e $BIN_DIR/pgstandby.dll ]] || { log "expected a Native AOT pgstandby in $BIN_DIR"; exit 1; }
export PGSTANDBY_BIN=$BIN_DIR/pgstandby

# In CI the integration tests leave each world (/tmp/pgstandby-it-*, a few GB with its standbys) for a
# post-mortem; this run is the only one that keeps them, so the disk does not fill run after run.
# setup-primary.sh makes each world's forced command log append-only (chattr +a): rm cannot remove it.
unlock_worlds() { find "${WORLDS[@]}" -maxdepth 3 -name forced-command.log -exec chattr -a {} + 2>/dev/null || true; }
WORLDS=(/tmp/pgstandby-it-*)
if [[ -e ${WORLDS[0]} ]]; then
    log "removing ${#WORLDS[@]} test world(s) left by an earlier run"
    unlock_worlds
    rm -rf "${WORLDS[@]}"
fi

# A Docker Engine left by a killed run (its services restarting against a world that is gone) is stopped
# now; the tests start it again, and it is stopped when this script ends, whatever the outcome.
bash "$HERE/world/docker-down.sh"
trap 'bash "$HERE/world/docker-down.sh" || true' EXIT

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
status=0
for project in PgStandby.Core.Tests PgStandby.IntegrationTests; do
    log "running $project"
    dotnet test "$ROOT/tests/$project" -nologo \
        --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=normal" \
        --results-directory "$RESULTS" || status=1
done

# Totals from the TRX files the runs wrote (the real results, not a count of projects).
passed=0 failed=0 skipped=0
for trx in "$RESULTS"/*.trx; do
    [[ -e $trx ]] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
    passed=$((passed + $(get passed)))
    failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
    skipped=$((skipped + $(get notExecuted)))
done
if ((passed + failed == 0)); then
    log "no test ran"
    status=1
fi
WORLDS=(/tmp/pgstandby-it-*)
if [[ -e ${WORLDS[0]} ]]; then
    if ((status == 0)); then
        unlock_worlds
        rm -rf "${WORLDS[@]}"
    else
        log "kept the test worlds for a post-mortem (the next run removes them): ${WORLDS[*]}"
    fi
fi
# The image test's podman builds leave their build stages as dangling images (1.5 GB each): keep the
# last hour's, the next build's cache.
if command -v podman >/dev/null; then podman image prune -f --filter until=1h >/dev/null 2>&1 || true; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
