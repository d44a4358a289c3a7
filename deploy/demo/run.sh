#!/usr/bin/env bash
# The whole job on an embedded default, on one Debian 12 machine, as root:
#   1. a throwaway local primary made as the seed README says (deploy/primary/setup-primary.sh:
#      PostgreSQL 15 archiving through pgBackRest, stanza psql, replicator user, a full backup),
#      reachable over its own sshd on 127.0.0.1;
#   2. pgstandby bringing a standby up against it, showing each stage: the SSH key it generates and
#      waits for, the operator's authorization (done here by the script, as step 6 of the seed),
#      the restore, postgres starting, streaming; then a row written on the primary read on the standby.
# Everything lives under DEMO_ROOT (default /tmp/pgstandby-demo) and is removed at the end,
# unless --keep is given (then stop it with: deploy/demo/run.sh --down).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DEMO_ROOT=${DEMO_ROOT:-/tmp/pgstandby-demo}
SSH_PORT=${DEMO_SSH_PORT:-2222}
PRIMARY_PORT=${DEMO_PRIMARY_PORT:-5433}
STANDBY_PORT=${DEMO_STANDBY_PORT:-5434}
KEEP=0

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'demo: error: %s\n' "$*" >&2; exit 1; }

case "${1:-}" in
    --keep) KEEP=1 ;;
    --down)
        [[ -f $DEMO_ROOT/worker.pid ]] && kill "$(cat "$DEMO_ROOT/worker.pid")" 2>/dev/null || true
        sleep 3
        bash "$REPO/tests/world/primary-down.sh" "$DEMO_ROOT" || true
        rm -rf "$DEMO_ROOT"
        exit 0 ;;
    "") ;;
    *) die "usage: deploy/demo/run.sh [--keep | --down]" ;;
esac
[[ $(id -u) -eq 0 ]] || die "run as root (it installs packages, creates a PostgreSQL cluster and starts sshd)"

say "Installing PostgreSQL 15, pgBackRest and OpenSSH when missing"
packages=(postgresql-15 pgbackrest openssh-server openssh-client)
if ! dpkg-query -W -f='${Status}\n' "${packages[@]}" 2>/dev/null | grep -qv 'install ok installed' \
    && [[ $(dpkg-query -W -f='${Status}\n' "${packages[@]}" 2>/dev/null | wc -l) -eq ${#packages[@]} ]]; then
    echo "already installed"
else
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
command -v dotnet >/dev/null || die "the .NET 10 SDK is needed to build pgstandby (https://dot.net)"

say "Publishing pgstandby (dotnet publish src/PgStandby.Worker -c Release -o $DEMO_ROOT/bin)"
mkdir -p "$DEMO_ROOT"
dotnet publish "$REPO/src/PgStandby.Worker" -c Release -o "$DEMO_ROOT/bin" -nologo -v quiet
PGSTANDBY=$DEMO_ROOT/bin/pgstandby

say "Making a throwaway primary with deploy/primary/setup-primary.sh (seed steps 1-7), sshd on 127.0.0.1:$SSH_PORT"
declare -A world
while IFS='=' read -r key value; do world[$key]=$value; done \
    < <(bash "$REPO/tests/world/primary-up.sh" "$DEMO_ROOT" "$SSH_PORT" "$PRIMARY_PORT")

S=$DEMO_ROOT/standby
export BACKREST_PRIMARY_HOST=127.0.0.1 BACKREST_PRIMARY_SSH_PORT=$SSH_PORT
export BACKREST_PRIMARY_CONFIG=${world[PGBACKREST_CONFIG]} BACKREST_REPO_PATH=${world[REPO_PATH]}
export PG_PRIMARY_HOST=127.0.0.1 PG_PRIMARY_PORT=$PRIMARY_PORT PG_SLAVE_NAME=demo-standby
PG_REPLICATION_PASSWORD=$(cat "${world[REPLICATION_PASSWORD_FILE]}")
export PG_REPLICATION_PASSWORD
export PGDATA=$S/data PG_PORT=$STANDBY_PORT PG_SOCKET_DIR=$S/socket
export BACKREST_CONFIG=$S/pgbackrest/pgbackrest.conf BACKREST_LOG_PATH=$S/pgbackrest/log
export BACKREST_SPOOL_PATH=$S/pgbackrest/spool BACKREST_LOCK_PATH=$S/pgbackrest/lock
export PGSTANDBY_SSH_DIR=$S/ssh PGSTANDBY_RUN_DIR=$S/run PGSTANDBY_STATE_DIR=$S/state

say "Starting pgstandby (its log follows, prefixed with |)"
"$PGSTANDBY" > >(sed 's/^/| /') 2>&1 &
echo $! >"$DEMO_ROOT/worker.pid"
worker=$(cat "$DEMO_ROOT/worker.pid")
cleanup() {
    if ((KEEP == 0)); then
        kill "$worker" 2>/dev/null && wait "$worker" 2>/dev/null || true
        bash "$REPO/tests/world/primary-down.sh" "$DEMO_ROOT" >/dev/null 2>&1 || true
        rm -rf "$DEMO_ROOT"
    fi
}
trap cleanup EXIT

wait_state() {
    local want=$1 seconds=$2
    for _ in $(seq 1 $((seconds * 2))); do
        state=$({ "$PGSTANDBY" status --json 2>/dev/null || true; } | sed -n 's/.*"state": "\([a-z_]*\)".*/\1/p')
        [[ $state == "$want" ]] && return 0
        kill -0 "$worker" 2>/dev/null || die "pgstandby exited; read its log above"
        sleep 0.5
    done
    die "pgstandby did not reach $want within $seconds s (state: ${state:-none})"
}

wait_state waiting_for_key_authorization 60
say "pgstandby waits for its key to be authorized. The operator's step, on the primary:"
key=$("$PGSTANDBY" show-key)
echo "    deploy/primary/setup-primary.sh --authorize-key '$key'"
bash "$REPO/tests/world/authorize-key.sh" "$DEMO_ROOT" "$key" >/dev/null

wait_state streaming 600
say "Streaming. A row written on the primary..."
runuser -u postgres -- psql -X -q -h /var/run/postgresql -p "$PRIMARY_PORT" -d postgres \
    -c "CREATE TABLE IF NOT EXISTS demo (id serial PRIMARY KEY, said text); INSERT INTO demo (said) VALUES ('hello from the primary')"
for _ in $(seq 1 60); do
    row=$(psql -X -At -h "$S/socket" -p "$STANDBY_PORT" -U postgres -d postgres -c "SELECT said FROM demo" 2>/dev/null || true)
    [[ -n $row ]] && break
    sleep 0.5
done
[[ -n $row ]] || die "the row did not reach the standby"
say "...read on the standby: $row"

say "pgstandby status"
"$PGSTANDBY" status
"$PGSTANDBY" health || true

if ((KEEP == 1)); then
    say "Kept running: psql -h $S/socket -p $STANDBY_PORT -U postgres; stop with: deploy/demo/run.sh --down"
    wait "$worker"
else
    say "Stopping pgstandby (SIGTERM: postgres does a fast shutdown) and removing the demo primary"
fi
