#!/usr/bin/env bash
# bench/run.sh — how fast pgstandby is where it counts, against the same job done by hand, in one run.
# Builds the integration tests' real world (tests/world/primary-up.sh: PostgreSQL 15 primary, pgBackRest
# repository, a dedicated sshd on 127.0.0.1), fills it with pgbench, publishes pgstandby, then alternates
# worker and by-hand (baseline) runs and prints a Markdown table (also written to bench/results/DATE-MEASUREMENTS.md).
# Not part of the test suite. Run as root on a quiet machine. --help for the flags.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
WORLD=$REPO/tests/world
PY=/usr/bin/python3
PG_BIN=/usr/lib/postgresql/15/bin
STANZA=psql
ALL_MEASURES=bootstrap,restart,streaming,footprint,catchup,restore

SCALE=100 REPS=3 ONLY=$ALL_MEASURES LOAD_SECONDS=60 IDLE_SECONDS=300 CATCHUP_MB='' FIRST_LINE_RUNS=20
OUT='' BIN='' KEEP=0 CLIENTS=4 WORKER_EXTRA_ENV=() TRANSPORT=ssh

usage() {
    cat <<EOF
usage: sudo bench/run.sh [options]

Measures pgstandby against the same job done by hand, alternating worker and baseline runs in one run,
and prints medians, ratios and targets as a Markdown table (stdout and --out), with the machine and
every run's raw figure. Everything lives in one temporary folder (/tmp/pgstandby-bench-XXXX), removed
at the end, Ctrl-C included (the primary's cluster, sshd, the worker, every postgres it started).

  --scale N            pgbench scale of the primary's database (default $SCALE, about 15 MB per unit: 100 ≈ 1.5 GB)
  --reps N             repetitions of every measurement (default $REPS)
  --only LIST          comma-separated subset of: $ALL_MEASURES (default: all)
  --load-seconds N     pgbench duration of the streaming-under-load measurement (default $LOAD_SECONDS)
  --clients N          pgbench clients for the load and the catch-up WAL (default $CLIENTS)
  --idle-seconds N     idle streaming window of the footprint measurement (default $IDLE_SECONDS)
  --catchup-mb N       WAL written while the standby is stopped, for the catch-up (default: 15 MB per scale
                       unit, between 64 and 1536)
  --first-line-runs N  how many times exec → first line is measured (default $FIRST_LINE_RUNS)
  --worker-env K=V     extra environment variable for the worker (repeatable), e.g. PGSTANDBY_RETRY_SECONDS=1
  --bin DIR            use this published pgstandby instead of publishing one (dotnet publish -c Release)
  --out FILE           where the Markdown goes besides stdout (default bench/results/DATE-MEASUREMENTS.md, e.g.
                       2026-11-27-bootstrap-restart.md; 'all' for every measurement; -tls or -ssh-tls after
                       them for --transport tls or both; -HHMM added if taken)
  --transport T        ssh (default), tls or both: how the worker and the by-hand baseline reach the primary's
                       repository in the bootstrap and catch-up measurements. tls: the world gets pgBackRest's
                       TLS server too (primary-up.sh --tls-port), the worker runs with BACKREST_REPO_TRANSPORT=tls
                       (its key and request made on a first start, signed once with tests/world/sign-csr.sh,
                       kept for every later run as the SSH key is pre-authorized) and the baseline is
                       pgBackRest's own client with repo1-host-type=tls. both: those two measurements over SSH
                       and over TLS in the same run, alternating, side by side in the table ([SSH], [TLS]).
                       restart, streaming, footprint and restore always run over SSH.
  --keep               leave the temporary folder (logs, raw figures) in place; servers are stopped anyway

Measurements (each against a baseline done by hand with pgBackRest and pg_ctl, same process-max):
  bootstrap  (a) operator authorizes the key while the worker waits → streaming; (b) start with the key
             authorized → streaming; vs. pgbackrest restore --type=standby + pg_ctl start → streaming.
             Over TLS only (b): start with the certificate signed and placed → streaming
  restart    start on a complete standby PGDATA → streaming; vs. pg_ctl start of the same directory
  streaming  replay lag p50/p99 (bytes, seconds) sampled every 100 ms under pgbench; vs. a hand-made standby
  footprint  the worker's RSS, VmHWM and CPU while idle streaming; exec → first line; publish size
  catchup    standby stopped while the primary writes WAL, started with replication refused (pg_hba
             reject on the primary) → replays the archive; vs. synchronous and asynchronous archive-get by hand
  restore    pgbackrest restore throughput for process-max 1, 2, 4 and the worker's default
"Streaming" is pg_stat_wal_receiver.status = streaming on the standby, polled every 100 ms for both;
the worker's own verdict (status.json) is reported besides.
EOF
}

die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
say() { printf '[%s] bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ARGS="$*"
while [[ $# -gt 0 ]]; do
    case $1 in
        --scale) SCALE=$2; shift 2 ;;
        --reps) REPS=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --load-seconds) LOAD_SECONDS=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --idle-seconds) IDLE_SECONDS=$2; shift 2 ;;
        --catchup-mb) CATCHUP_MB=$2; shift 2 ;;
        --first-line-runs) FIRST_LINE_RUNS=$2; shift 2 ;;
        --worker-env) [[ $2 == [A-Z]*=* ]] || die "--worker-env needs NAME=VALUE"; WORKER_EXTRA_ENV+=("$2"); shift 2 ;;
        --bin) BIN=$(realpath "$2"); shift 2 ;;
        --out) OUT=$(realpath -m "$2"); shift 2 ;;
        --keep) KEEP=1; shift ;;
        --transport) [[ ${2:-} == @(ssh|tls|both) ]] || die "--transport is ssh, tls or both"; TRANSPORT=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
if [[ -z $OUT ]]; then
    # Dated and named by what it measured, so a run never overwrites an earlier one that README may link.
    measured=$([[ $ONLY == "$ALL_MEASURES" ]] && echo all || echo "${ONLY//,/-}")
    case $TRANSPORT in tls) measured+=-tls ;; both) measured+=-ssh-tls ;; esac
    OUT=$HERE/results/$(date -u +%F)-$measured.md
    [[ ! -e $OUT ]] || OUT=${OUT%.md}-$(date -u +%H%M).md
fi
for n in SCALE REPS LOAD_SECONDS IDLE_SECONDS FIRST_LINE_RUNS CLIENTS; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "${n,,} must be a positive whole number"
done
[[ -z $CATCHUP_MB || $CATCHUP_MB =~ ^[1-9][0-9]*$ ]] || die "--catchup-mb must be a positive whole number"
if [[ -z $CATCHUP_MB ]]; then
    CATCHUP_MB=$((SCALE * 15)); ((CATCHUP_MB < 64)) && CATCHUP_MB=64; ((CATCHUP_MB > 1536)) && CATCHUP_MB=1536
fi
declare -A RUN_MEASURE
IFS=, read -ra selected <<<"$ONLY"
for m in "${selected[@]}"; do
    [[ ,$ALL_MEASURES, == *,$m,* ]] || die "unknown measurement '$m' (known: $ALL_MEASURES)"
    RUN_MEASURE[$m]=1
done
wanted() { [[ -n ${RUN_MEASURE[$1]:-} ]]; }
# The transports of the bootstrap and catch-up measurements, in the order of odd repetitions.
case $TRANSPORT in ssh) TRANSPORTS=(ssh) ;; tls) TRANSPORTS=(tls) ;; both) TRANSPORTS=(ssh tls) ;; esac
over() { [[ " ${TRANSPORTS[*]} " == *" $1 "* ]]; }
# The transports for repetition REP: alternating which goes first.
transports_for() { if (($1 % 2)) || ((${#TRANSPORTS[@]} == 1)); then echo "${TRANSPORTS[*]}"; else echo "${TRANSPORTS[1]} ${TRANSPORTS[0]}"; fi; }
[[ $(id -u) -eq 0 ]] || die "run as root (it creates a PostgreSQL cluster, starts sshd and runs pgstandby as root)"
for tool in pgbackrest pgbench psql pg_createcluster sshd ssh-keygen $(over tls && echo openssl); do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || die "$tool is missing (sudo tests/run.sh or deploy/demo/run.sh installs the packages)"
done
[[ -x $PY ]] || die "$PY is missing"
[[ -n $BIN ]] || command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is needed to publish pgstandby (or give --bin)"

# ---- one temporary root, cleaned up whatever happens ----------------------------------------------
ROOT=$(mktemp -d /tmp/pgstandby-bench-XXXX)
chmod 755 "$ROOT"
W=$ROOT/worker B=$ROOT/baseline SNAP=$ROOT/snapshot R=$ROOT/restore T=$ROOT/throwaway
WT=$ROOT/worker-tls   # the worker's TLS identity (PGSTANDBY_TLS_DIR), kept across its fresh standbys
CUR_TRANSPORT=ssh WORKER_TRANSPORT=ssh   # how the next worker start / the running worker reach the repository
RAW=$ROOT/raw.tsv META=$ROOT/meta.tsv
: >"$RAW"; : >"$META"
WORKER_PID='' SAMPLER_PID='' PGBENCH_PID=''
BASELINE_DATA=   # the data directory the baseline postgres runs on, when it runs

as_pg() { (cd / && runuser -u postgres -- "$@"); }
# For background processes: exec'd as postgres, so that $! is the process itself (signals reach it).
as_pg_exec() { cd / && exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    say "cleaning up"
    [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null
    [[ -n $PGBENCH_PID ]] && kill "$PGBENCH_PID" 2>/dev/null
    worker_stop
    baseline_stop
    bash "$WORLD/primary-down.sh" "$ROOT" >/dev/null 2>&1
    # Anything else of ours still running (a pgbackrest restore or archive-get, their ssh, a postgres):
    # processes whose command line names this run's unique folder, stopped by pid.
    # A pgstandby of ours is found by its environment (its command line does not name the folder).
    ours() {
        { pgrep -f -- "$ROOT/"; grep -lsz "^PGSTANDBY_RUN_DIR=$ROOT/" /proc/[0-9]*/environ | cut -d/ -f3; } | grep -vx "$$" | sort -u
    }
    local pids
    pids=$(ours)
    if [[ -n $pids ]]; then
        # shellcheck disable=SC2086 # one pid per word
        kill $pids 2>/dev/null; sleep 2
        pids=$(ours)
        # shellcheck disable=SC2086
        [[ -n $pids ]] && kill -KILL $pids 2>/dev/null
    fi
    if ((KEEP)); then say "kept $ROOT"; else rm -rf "$ROOT"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { printf '%s' "$EPOCHREALTIME"; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
# record MEASURE VARIANT REP VALUE UNIT
record() {
    printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RAW"
    say "  $1/$2 rep $3: $4 $5"
}
meta() { printf '%s\t%s\n' "$1" "$2" >>"$META"; }

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 20000))
        [[ " ${USED_PORTS[*]:-} " == *" $port "* ]] && continue
        ss -Hltn "sport = :$port" | grep -q . && continue
        USED_PORTS+=("$port"); echo "$port"; return
    done
    die "no free TCP port"
}
USED_PORTS=()
SSH_PORT=$(free_port); USED_PORTS+=("$SSH_PORT")
PRIMARY_PORT=$(free_port); USED_PORTS+=("$PRIMARY_PORT")
W_PORT=$(free_port); USED_PORTS+=("$W_PORT")
B_PORT=$(free_port); USED_PORTS+=("$B_PORT")
T_PORT=$(free_port); USED_PORTS+=("$T_PORT")
TLS_PORT=''
if over tls; then TLS_PORT=$(free_port); USED_PORTS+=("$TLS_PORT"); fi

# ---- publish ---------------------------------------------------------------------------------------
if [[ -z $BIN ]]; then
    say "publishing pgstandby (dotnet publish src/PgStandby.Worker -c Release -o $ROOT/bin)"
    dotnet publish "$REPO/src/PgStandby.Worker" -c Release -o "$ROOT/bin" -nologo -v quiet >"$ROOT/publish.log" 2>&1 \
        || { cat "$ROOT/publish.log" >&2; die "dotnet publish failed"; }
    BIN=$ROOT/bin
fi
PGSTANDBY=$BIN/pgstandby
[[ -x $PGSTANDBY ]] || die "no pgstandby in $BIN"

# ---- the world: primary, pgbench data, a new full backup -------------------------------------------
say "building the primary (tests/world/primary-up.sh, sshd 127.0.0.1:$SSH_PORT, postgres $PRIMARY_PORT${TLS_PORT:+, pgBackRest TLS server $TLS_PORT})"
declare -A WV
while IFS='=' read -r key value; do WV[$key]=$value; done \
    < <(bash "$WORLD/primary-up.sh" "$ROOT" "$SSH_PORT" "$PRIMARY_PORT" ${TLS_PORT:+--tls-port "$TLS_PORT"} 2>"$ROOT/primary-up.log")
[[ -n ${WV[CLUSTER]:-} ]] || { cat "$ROOT/primary-up.log" >&2; die "primary-up.sh failed"; }
[[ -z $TLS_PORT || ${WV[TLS_PORT]:-} == "$TLS_PORT" ]] || { cat "$ROOT/primary-up.log" >&2; die "primary-up.sh started no TLS server"; }
PASSWORD=$(head -n 1 "${WV[REPLICATION_PASSWORD_FILE]}")
PRIMARY_HBA=/etc/postgresql/15/${WV[CLUSTER]}/pg_hba.conf
pq_primary() { as_pg psql -X -At -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$PRIMARY_PORT" -d postgres -c "$1"; }
PGBR_PRIMARY=(pgbackrest "--config=${WV[PGBACKREST_CONFIG]}" "--stanza=$STANZA")

say "pgbench -i -s $SCALE on the primary"
start=$(now)
as_pg pgbench -i -q -s "$SCALE" -h /var/run/postgresql -p "$PRIMARY_PORT" postgres >"$ROOT/pgbench-init.log" 2>&1 \
    || { cat "$ROOT/pgbench-init.log" >&2; die "pgbench -i failed"; }
say "  loaded in $(sub "$(now)" "$start") s; database $(pq_primary "SELECT pg_size_pretty(pg_database_size('postgres'))")"
say "full backup of the loaded primary"
as_pg "${PGBR_PRIMARY[@]}" backup --type=full --start-fast >"$ROOT/backup.log" 2>&1 \
    || { cat "$ROOT/backup.log" >&2; die "backup failed"; }
BACKUP_BYTES=$(as_pg "${PGBR_PRIMARY[@]}" --output=json info | "$PY" -c \
    'import json,sys; b=json.load(sys.stdin)[0]["backup"][-1]; print(b["info"]["size"], b["info"]["repository"]["delta"])')
read -r DB_BYTES REPO_BYTES <<<"$BACKUP_BYTES"
say "  backup: $((DB_BYTES / 1000000)) MB of database, $((REPO_BYTES / 1000000)) MB in the repository"

# ---- the machine -----------------------------------------------------------------------------------
WORKER_PM=$(nproc)
WORKER_RETRY=5
for kv in "${WORKER_EXTRA_ENV[@]}"; do
    case ${kv%%=*} in
        BACKREST_PROCESS_MAX) WORKER_PM=${kv#*=} ;;
        PGSTANDBY_RETRY_SECONDS) WORKER_RETRY=${kv#*=} ;;
    esac
done
meta "command" "bench/run.sh${ARGS:+ $ARGS}"
meta "date" "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta "cores" "$(nproc)"
meta "RAM" "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1024 / 1024 }' /proc/meminfo)"
meta "CPU model" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
meta "kernel" "$(uname -sr)"
meta "PostgreSQL" "$("$PG_BIN/postgres" --version)"
meta "pgBackRest" "$(pgbackrest version)"
meta ".NET runtime" "$(dotnet --list-runtimes 2>/dev/null | awk '/Microsoft.NETCore.App/ { v = $2 } END { print v ? "Microsoft.NETCore.App " v : "?" }')"
BUILD_KIND="Native AOT"; [[ -e $BIN/pgstandby.dll ]] && BUILD_KIND="framework-dependent ReadyToRun"
meta "pgstandby" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?') (dotnet publish -c Release: $BUILD_KIND)"
meta "pgbench scale" "$SCALE (database $((DB_BYTES / 1000000)) MB, backup $((REPO_BYTES / 1000000)) MB in the repository, compressed)"
meta "repetitions" "$REPS"
meta "measurements" "$ONLY"
meta "transport" "$(case $TRANSPORT in ssh) echo "SSH" ;; tls) echo "TLS (pgBackRest's TLS server) for bootstrap and catchup, SSH for the rest" ;; both) echo "SSH and TLS (pgBackRest's TLS server), alternating, for bootstrap and catchup; SSH for the rest" ;; esac)"
meta "worker process-max" "$WORKER_PM"
meta "worker retry seconds" "$WORKER_RETRY"
meta "worker environment" "the integration tests' paths and ports; everything else default${WORKER_EXTRA_ENV[*]:+, plus ${WORKER_EXTRA_ENV[*]}}"
meta "worker working directory" "/ (as under systemd without WorkingDirectory= and in the container image)"
meta "load average at start" "$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the worker ------------------------------------------------------------------------------------
# worker_env DIR PORT: the worker's environment (as tests/PgStandby.IntegrationTests/World/StandbyProcess.cs
# gives it, the test-only short intervals and process-max left at their defaults) in array WENV, for
# `env "${WENV[@]}" pgstandby ...` (env execs: the pid is pgstandby's).
worker_env() {
    WENV=(BACKREST_PRIMARY_HOST=127.0.0.1 "BACKREST_PRIMARY_SSH_PORT=$SSH_PORT"
        "BACKREST_PRIMARY_CONFIG=${WV[PGBACKREST_CONFIG]}" "BACKREST_REPO_PATH=${WV[REPO_PATH]}" "BACKREST_STANZA=$STANZA"
        PG_PRIMARY_HOST=127.0.0.1 "PG_PRIMARY_PORT=$PRIMARY_PORT" "PG_REPLICATION_PASSWORD=$PASSWORD"
        PG_SLAVE_NAME=bench-worker "PGDATA=$1/data" "PG_PORT=$2" "PG_SOCKET_DIR=$1/socket"
        "BACKREST_CONFIG=$1/pgbackrest/pgbackrest.conf" "BACKREST_LOG_PATH=$1/pgbackrest/log"
        "BACKREST_SPOOL_PATH=$1/pgbackrest/spool" "BACKREST_LOCK_PATH=$1/pgbackrest/lock"
        "PGSTANDBY_SSH_DIR=$1/ssh" "PGSTANDBY_RUN_DIR=$1/run" "PGSTANDBY_STATE_DIR=$1/state")
    if [[ $CUR_TRANSPORT == tls ]]; then
        WENV+=(BACKREST_REPO_TRANSPORT=tls "BACKREST_PRIMARY_TLS_PORT=$TLS_PORT" "PGSTANDBY_TLS_DIR=$WT")
    fi
    WENV+=("${WORKER_EXTRA_ENV[@]}" "${@:3}")
}

# worker_start: T_EXEC is taken just before the exec.
worker_start() {
    rm -f "$W/run/status.json"
    mkdir -p "$W"
    printf '\n==== worker start %s ====\n' "$(date +%T.%N)" >>"$W/worker.log"
    worker_env "$W" "$W_PORT" "$@"
    T_EXEC=$(now)
    # From /, as systemd (no WorkingDirectory=) and the container image start it; exec: $! is pgstandby.
    # In a session of its own, as pg_ctl starts the baseline's postgres (setsid): with the kernel's
    # autogroup scheduling, a session shares CPU as one group, and this script's session also runs
    # pgbench and the lag samplers. (systemd and a container give the worker a cgroup of its own.)
    (cd / && exec setsid env "${WENV[@]}" "$PGSTANDBY" run) >>"$W/worker.log" 2>&1 &
    WORKER_PID=$!
    WORKER_TRANSPORT=$CUR_TRANSPORT
}

worker_stop() {
    [[ -n $WORKER_PID ]] || return 0
    if kill -0 "$WORKER_PID" 2>/dev/null; then
        kill -TERM "$WORKER_PID" 2>/dev/null || true
        for _ in $(seq 1 900); do kill -0 "$WORKER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$WORKER_PID" 2>/dev/null && kill -KILL "$WORKER_PID" 2>/dev/null
    fi
    wait "$WORKER_PID" 2>/dev/null || true
    WORKER_PID=
}

worker_state() { sed -n 's/^ *"state": *"\([a-z_]*\)".*/\1/p' "$W/run/status.json" 2>/dev/null || true; }

worker_wait_state() { # STATE SECONDS
    local deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        [[ $(worker_state) == "$1" ]] && return 0
        kill -0 "$WORKER_PID" 2>/dev/null || { tail -n 30 "$W/worker.log" >&2; die "the worker exited"; }
        sleep 0.1
    done
    tail -n 30 "$W/worker.log" >&2
    die "the worker did not reach $1 within $2 s (state: $(worker_state))"
}

# ---- the baseline: the same job by hand (tests/world/standby-by-hand.sh) ----------------------------
baseline_setup() {
    install -d -m 755 -o postgres -g postgres "$B"
    install -d -m 700 -o postgres -g postgres "$B/ssh" "$B/data" "$B/log" "$B/lock" "$B/spool" "$B/sock"
    as_pg ssh-keygen -q -t ed25519 -N '' -C "postgres@bench-baseline" -f "$B/ssh/id_ed25519"
    bash "$WORLD/authorize-key.sh" "$ROOT" "$(cat "$B/ssh/id_ed25519.pub")" 2>/dev/null
    printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "${WV[HOST_KEY_PUB]}" >"$B/known_hosts"
    cat >"$B/ssh_config" <<EOF
Host *
    IdentityFile $B/ssh/id_ed25519
    IdentitiesOnly yes
    UserKnownHostsFile $B/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    PasswordAuthentication no
    ConnectTimeout 10
EOF
    printf '#!/bin/sh\nexec ssh -F %s "$@"\n' "$B/ssh_config" >"$B/ssh-wrapper"
    chmod 755 "$B/ssh-wrapper"
    local common
    common="repo1-host=127.0.0.1
repo1-host-user=postgres
repo1-host-port=$SSH_PORT
repo1-host-config=${WV[PGBACKREST_CONFIG]}
repo1-path=${WV[REPO_PATH]}
cmd-ssh=$B/ssh-wrapper
process-max=$WORKER_PM
log-path=$B/log
lock-path=$B/lock
spool-path=$B/spool"
    printf '[global]\n%s\n' "$common" >"$B/pgbackrest-sync.conf"
    printf '[global]\n%s\n\n[global:archive-get]\narchive-async=y\narchive-get-queue-max=1GiB\n' "$common" >"$B/pgbackrest-async.conf"
    if over tls; then
        # Over TLS: pgBackRest's own client (repo1-host-type=tls) with a key and request made here, signed by the
        # primary (setup-primary.sh --sign-csr through tests/world/sign-csr.sh); the bundle it writes is both the
        # client certificate and the CA to verify the server with (as tests/.../Security/TlsClient.cs does).
        install -d -m 700 -o postgres -g postgres "$B/tls"
        as_pg openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$B/tls/client.key" 2>/dev/null
        as_pg openssl req -new -key "$B/tls/client.key" -subj /CN=bench-baseline -out "$B/tls/client.csr"
        bash "$WORLD/sign-csr.sh" "$ROOT" "$B/tls/client.csr" "$B/tls/client.crt" >/dev/null 2>"$ROOT/sign-csr-baseline.log" \
            || { cat "$ROOT/sign-csr-baseline.log" >&2; die "signing the baseline's TLS request failed"; }
        chown postgres:postgres "$B/tls/client.crt"
        common="repo1-host=127.0.0.1
repo1-host-type=tls
repo1-host-port=$TLS_PORT
repo1-host-config=${WV[PGBACKREST_CONFIG]}
repo1-host-cert-file=$B/tls/client.crt
repo1-host-key-file=$B/tls/client.key
repo1-host-ca-file=$B/tls/client.crt
repo1-path=${WV[REPO_PATH]}
process-max=$WORKER_PM
log-path=$B/log
lock-path=$B/lock
spool-path=$B/spool"
        printf '[global]\n%s\n' "$common" >"$B/pgbackrest-tls-sync.conf"
        printf '[global]\n%s\n\n[global:archive-get]\narchive-async=y\narchive-get-queue-max=1GiB\n' "$common" >"$B/pgbackrest-tls-async.conf"
        chown postgres:postgres "$B"/pgbackrest-tls-*.conf
    fi
    local pgpass=${PASSWORD//\\/\\\\}
    pgpass=${pgpass//:/\\:}
    (umask 077 && printf '127.0.0.1:%s:replication:replicator:%s\n' "$PRIMARY_PORT" "$pgpass" >"$B/pgpass")
    printf 'local all postgres peer map=bench\n' >"$B/pg_hba.conf"
    printf 'bench root postgres\nbench postgres postgres\n' >"$B/pg_ident.conf"
    chown postgres:postgres "$B"/*.conf "$B/pgpass" "$B/known_hosts" "$B/ssh_config" "$B/ssh-wrapper"
}

# baseline_conf DATA sync|async|tls-sync|tls-async — the standby's postgresql.conf, PostgreSQL's defaults otherwise.
baseline_conf() {
    cat >"$B/postgresql.conf" <<EOF
port = $B_PORT
listen_addresses = ''
unix_socket_directories = '$B/sock'
hba_file = '$B/pg_hba.conf'
ident_file = '$B/pg_ident.conf'
hot_standby = on
restore_command = 'pgbackrest --config=$B/pgbackrest-$2.conf --stanza=$STANZA --pg1-path=$1 archive-get %f "%p"'
primary_conninfo = 'host=127.0.0.1 port=$PRIMARY_PORT user=replicator passfile=$B/pgpass application_name=bench-baseline'
recovery_target_timeline = 'latest'
EOF
    chown postgres:postgres "$B/postgresql.conf"
}

# baseline_start DATA LOGNAME: pg_ctl start, not waiting (the caller polls). T_EXEC taken before pg_ctl.
baseline_start() {
    BASELINE_DATA=$1
    T_EXEC=$(now)
    as_pg "$PG_BIN/pg_ctl" -D "$1" -l "$B/$2.log" -o "-c config_file=$B/postgresql.conf" -W start >/dev/null
}

baseline_stop() {
    [[ -n $BASELINE_DATA ]] || return 0
    if [[ -f $BASELINE_DATA/postmaster.pid ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$BASELINE_DATA" -m fast -w -t 120 stop >/dev/null 2>&1 || true
    fi
    BASELINE_DATA=
}

# A copy of a stopped standby's data directory for the baseline, with pgBackRest's restore_command
# removed from postgresql.auto.conf (the baseline's own postgresql.conf says which archive-get).
baseline_copy_from() {
    rm -rf "$B/data"
    cp -a "$1" "$B/data"
    chown -R postgres:postgres "$B/data"
    sed -i '/^restore_command/d' "$B/data/postgresql.auto.conf"
    rm -rf "$B/spool/archive"
}

# ---- polling: every 100 ms, the same way for the worker and the baseline ------------------------------
walrcv_status() { # SOCKET PORT
    [[ -S $1/.s.PGSQL.$2 ]] || return 0
    PGCONNECT_TIMEOUT=2 psql -X -At -h "$1" -p "$2" -U postgres -d postgres \
        -c "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null || true
}

# wait_streaming SOCKET PORT WITH_STATUS TIMEOUT — sets T_WALRCV (pg_stat_wal_receiver streaming).
# WITH_STATUS 0: a baseline; 1: the worker: also T_STATUS (status.json says streaming), T_RESTORING /
# T_STARTING (first seen restoring / starting_postgres); 2: the worker whose key was just authorized:
# also T_NOTICED (first seen in another state than waiting_for_key_authorization).
wait_streaming() {
    local socket=$1 port=$2 with_status=$3 deadline=$((SECONDS + $4)) state waited=0 t
    ((with_status == 2)) && waited=1
    T_WALRCV='' T_STATUS='' T_NOTICED='' T_RESTORING='' T_STARTING=''
    while ((SECONDS < deadline)); do
        t=$(now)
        if ((with_status)); then
            state=$(worker_state)
            if ((waited)) && [[ -z $T_NOTICED && -n $state && $state != waiting_for_key_authorization ]]; then T_NOTICED=$t; fi
            [[ -z $T_RESTORING && $state == restoring ]] && T_RESTORING=$t
            [[ -z $T_STARTING && $state == starting_postgres ]] && T_STARTING=$t
            [[ -z $T_STATUS && $state == streaming ]] && T_STATUS=$t
            kill -0 "$WORKER_PID" 2>/dev/null || { tail -n 30 "$W/worker.log" >&2; die "the worker exited"; }
        fi
        if [[ -z $T_WALRCV && $(walrcv_status "$socket" "$port") == streaming ]]; then T_WALRCV=$t; fi
        if [[ -n $T_WALRCV ]] && { ((with_status == 0)) || [[ -n $T_STATUS ]]; }; then return 0; fi
        sleep 0.1
    done
    ((with_status)) && tail -n 30 "$W/worker.log" >&2
    die "not streaming within $4 s (socket $socket, port $port)"
}

replayed_at_least() { # SOCKET PORT LSN
    [[ -S $1/.s.PGSQL.$2 ]] || return 1
    [[ $(PGCONNECT_TIMEOUT=2 psql -X -At -h "$1" -p "$2" -U postgres -d postgres \
        -c "SELECT pg_last_wal_replay_lsn() >= '$3'::pg_lsn" 2>/dev/null) == t ]]
}

wait_replayed() { # SOCKET PORT LSN TIMEOUT — sets T_REPLAYED
    local deadline=$((SECONDS + $4)) t
    while ((SECONDS < deadline)); do
        t=$(now)
        if replayed_at_least "$1" "$2" "$3"; then T_REPLAYED=$t; return 0; fi
        sleep 0.1
    done
    die "replay did not reach $3 within $4 s"
}

# The standby has replayed what the primary had written when this was called.
wait_caught_up() { # SOCKET PORT
    local target
    target=$(pq_primary "SELECT pg_current_wal_lsn()")
    wait_replayed "$1" "$2" "$target" 600
}

hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }   # utime + stime (fields 14, 15)

# ---- a fresh worker standby directory ---------------------------------------------------------------
# Over TLS ($CUR_TRANSPORT=tls) the SSH folder is kept: a later run over SSH on this standby then finds its key
# authorized and the primary's host key pinned, as after a bootstrap over SSH.
worker_fresh() {
    worker_stop
    if [[ $CUR_TRANSPORT == tls && -d $W/ssh ]]; then
        rm -rf "$ROOT/ssh-kept"; mv "$W/ssh" "$ROOT/ssh-kept"
        rm -rf "$W"; mkdir -p "$W"
        mv "$ROOT/ssh-kept" "$W/ssh"
    else
        rm -rf "$W"
        mkdir -p "$W"
    fi
}

# The worker's TLS identity in $WT: its key and request made by a first start of the worker (on a throwaway
# folder, stopped once it waits for the certificate), the request signed once on the primary
# (tests/world/sign-csr.sh) and the bundle placed as pgstandby-tls.crt; every later start reuses it.
tls_identity() {
    [[ -f $WT/pgstandby-tls.crt ]] && return 0
    say "  the worker's TLS identity: key and request made on a first start, signed with tests/world/sign-csr.sh"
    local dir=$ROOT/tls-first-start pid state='' saved=$CUR_TRANSPORT
    mkdir -p "$dir"
    CUR_TRANSPORT=tls
    worker_env "$dir" "$T_PORT"
    CUR_TRANSPORT=$saved
    (cd / && exec setsid env "${WENV[@]}" "$PGSTANDBY" run) >>"$dir/worker.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 1200); do
        state=$(sed -n 's/^ *"state": *"\([a-z_]*\)".*/\1/p' "$dir/run/status.json" 2>/dev/null || true)
        [[ $state == waiting_for_key_authorization && -s $WT/pgstandby-tls.csr ]] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
    [[ $state == waiting_for_key_authorization && -s $WT/pgstandby-tls.csr ]] \
        || { tail -n 30 "$dir/worker.log" >&2; die "the worker's first start over TLS made no request (state: $state)"; }
    local bundle
    bundle=$(bash "$WORLD/sign-csr.sh" "$ROOT" "$WT/pgstandby-tls.csr" "$ROOT/worker-tls-signed.crt" 2>"$ROOT/sign-csr-worker.log") \
        || { cat "$ROOT/sign-csr-worker.log" >&2; die "signing the worker's TLS request failed"; }
    cp "$bundle" "$WT/pgstandby-tls.crt"
    rm -rf "$dir"
}

# The worker can reach the repository over CUR_TRANSPORT without waiting for the operator: over SSH a key in
# $W/ssh, authorized on the primary (made if missing); over TLS the signed identity in $WT.
worker_identity() {
    if [[ $CUR_TRANSPORT == tls ]]; then
        tls_identity
    elif [[ ! -f $W/ssh/id_ed25519 ]]; then
        mkdir -p "$W/ssh"
        ssh-keygen -q -t ed25519 -N '' -C bench-worker -f "$W/ssh/id_ed25519"
        bash "$WORLD/authorize-key.sh" "$ROOT" "$(cat "$W/ssh/id_ed25519.pub")" 2>/dev/null
    fi
}

# The worker's standby exists (untimed bootstrap if needed), the worker runs over CUR_TRANSPORT and streams,
# caught up.
ensure_worker_streaming() {
    baseline_stop
    if [[ ! -f $W/data/PG_VERSION ]]; then
        say "  preparing the worker's standby (untimed bootstrap)"
        worker_fresh
    fi
    [[ -z $WORKER_PID || $WORKER_TRANSPORT == "$CUR_TRANSPORT" ]] || worker_stop
    worker_identity
    if [[ -z $WORKER_PID ]] || ! kill -0 "$WORKER_PID" 2>/dev/null; then
        worker_start
    fi
    wait_streaming "$W/socket" "$W_PORT" 1 3600
    wait_caught_up "$W/socket" "$W_PORT"
}

# The baseline's standby exists (a copy of the worker's standby if needed), runs, streams, caught up.
ensure_baseline_streaming() {
    worker_stop
    if [[ ! -f $B/data/PG_VERSION ]]; then
        ensure_worker_streaming
        worker_stop
        baseline_copy_from "$W/data"
    fi
    sed -i '/^restore_command/d' "$B/data/postgresql.auto.conf"
    baseline_conf "$B/data" sync
    [[ -f $B/data/postmaster.pid ]] || baseline_start "$B/data" postgresql
    wait_streaming "$B/sock" "$B_PORT" 0 600
    wait_caught_up "$B/sock" "$B_PORT"
}

baseline_setup

# =====================================================================================================
# 1. Bootstrap
# =====================================================================================================
# Over TLS (CUR_TRANSPORT=tls) only start, with the identity signed once (tls_identity); variants named tls-*.
bootstrap_worker() { # auth|start REP
    local mode=$1 rep=$2 t_auth p=''
    [[ $CUR_TRANSPORT == tls ]] && p=tls-
    worker_fresh
    if [[ $mode == start ]]; then
        worker_identity
        sync
        worker_start
        t_auth=$T_EXEC
    else
        sync
        worker_start
        worker_wait_state waiting_for_key_authorization 120
        # The operator acts at a random moment of the worker's retry cycle.
        sleep "$(awk -v r="$RANDOM" -v s="$WORKER_RETRY" 'BEGIN { printf "%.2f", r / 32768 * s }')"
        worker_env "$W" "$W_PORT"
        bash "$WORLD/authorize-key.sh" "$ROOT" "$(env "${WENV[@]}" "$PGSTANDBY" show-key)" 2>/dev/null
        t_auth=$(now)
    fi
    wait_streaming "$W/socket" "$W_PORT" "$([[ $mode == auth ]] && echo 2 || echo 1)" 7200
    record bootstrap "${p}worker-$mode-walrcv" "$rep" "$(sub "$T_WALRCV" "$t_auth")" s
    record bootstrap "${p}worker-$mode-status" "$rep" "$(sub "$T_STATUS" "$t_auth")" s
    [[ $mode == auth ]] && record bootstrap "${p}worker-auth-noticed" "$rep" "$(sub "$T_NOTICED" "$t_auth")" s
    if [[ -n $T_RESTORING && -n $T_STARTING ]]; then
        record bootstrap "${p}worker-restore" "$rep" "$(sub "$T_STARTING" "$T_RESTORING")" s
        record bootstrap "${p}worker-restored-to-walrcv" "$rep" "$(sub "$T_WALRCV" "$T_STARTING")" s
    fi
    record footprint "${p}hwm-bootstrap" "$rep" "$(awk -v k="$(hwm_kb "$WORKER_PID")" 'BEGIN { printf "%.1f", k / 1024 }')" MB
}

bootstrap_baseline() { # REP — over CUR_TRANSPORT
    local rep=$1 t_restored p='' conf=sync
    [[ $CUR_TRANSPORT == tls ]] && p=tls- conf=tls-sync
    worker_stop
    baseline_stop
    rm -rf "$B/data"
    install -d -m 700 -o postgres -g postgres "$B/data"
    baseline_conf "$B/data" "$conf"
    sync
    local t0
    t0=$(now)
    as_pg pgbackrest --config="$B/pgbackrest-$conf.conf" --stanza=$STANZA --pg1-path="$B/data" \
        --process-max="$WORKER_PM" --type=standby restore
    t_restored=$(now)
    baseline_start "$B/data" postgresql
    wait_streaming "$B/sock" "$B_PORT" 0 600
    record bootstrap "${p}baseline-walrcv" "$rep" "$(sub "$T_WALRCV" "$t0")" s
    record bootstrap "${p}baseline-restore" "$rep" "$(sub "$t_restored" "$t0")" s
    record bootstrap "${p}baseline-restored-to-walrcv" "$rep" "$(sub "$T_WALRCV" "$t_restored")" s
    baseline_stop
}

if wanted bootstrap; then
    over ssh && say "1. bootstrap over SSH: $REPS repetitions of worker (key authorized while waiting), baseline, worker (key authorized before start)"
    over tls && say "1. bootstrap over TLS: $REPS repetitions of worker (certificate signed and placed before start), baseline"
    for rep in $(seq 1 "$REPS"); do
        for CUR_TRANSPORT in $(transports_for "$rep"); do
            if [[ $CUR_TRANSPORT == tls ]]; then
                if ((rep % 2)); then
                    bootstrap_worker start "$rep"; bootstrap_baseline "$rep"
                else
                    bootstrap_baseline "$rep"; bootstrap_worker start "$rep"
                fi
            elif ((rep % 2)); then
                bootstrap_worker auth "$rep"; bootstrap_baseline "$rep"; bootstrap_worker start "$rep"
            else
                bootstrap_worker start "$rep"; bootstrap_baseline "$rep"; bootstrap_worker auth "$rep"
            fi
        done
    done
    CUR_TRANSPORT=ssh
fi

# =====================================================================================================
# 2. Restart of a complete standby
# =====================================================================================================
if wanted restart; then
    say "2. restart: $REPS repetitions of worker start and pg_ctl start on the same standby directory"
    ensure_worker_streaming
    for rep in $(seq 1 "$REPS"); do
        for who in $( ((rep % 2)) && echo "worker baseline" || echo "baseline worker"); do
            worker_stop; baseline_stop
            sync
            if [[ $who == worker ]]; then
                worker_start
                wait_streaming "$W/socket" "$W_PORT" 1 600
                record restart worker-walrcv "$rep" "$(sub "$T_WALRCV" "$T_EXEC")" s
                record restart worker-status "$rep" "$(sub "$T_STATUS" "$T_EXEC")" s
            else
                # pg_ctl start of the same directory, with a by-hand postgresql.conf (synchronous archive-get).
                sed -i '/^restore_command/d' "$W/data/postgresql.auto.conf"
                baseline_conf "$W/data" sync
                baseline_start "$W/data" restart
                wait_streaming "$B/sock" "$B_PORT" 0 600
                record restart baseline-walrcv "$rep" "$(sub "$T_WALRCV" "$T_EXEC")" s
            fi
        done
    done
    baseline_stop
fi

# =====================================================================================================
# 4. Streaming under load
# =====================================================================================================
load_run() { # worker|baseline REP SOCKET PORT APPNAME
    local who=$1 rep=$2 samples=$ROOT/lag-$1-$2.tsv
    (cd / && exec "$PY" "$HERE/lag_sampler.py" --primary-port "$PRIMARY_PORT" --standby-socket "$3" --standby-port "$4" \
        --application-name "$5" --out "$samples") 2>>"$ROOT/sampler.log" &
    SAMPLER_PID=$!
    sleep 1
    as_pg pgbench -n -c "$CLIENTS" -j 2 -T "$LOAD_SECONDS" -h /var/run/postgresql -p "$PRIMARY_PORT" postgres \
        >"$ROOT/pgbench-load-$who-$rep.log" 2>&1
    kill -TERM "$SAMPLER_PID"; wait "$SAMPLER_PID" || true; SAMPLER_PID=
    local tps
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$ROOT/pgbench-load-$who-$rep.log" | head -n 1)
    [[ -n $tps ]] && record streaming "$who-tps" "$rep" "$tps" tps
    # Percentiles of the samples taken while pgbench ran (the first second, before it, left out).
    "$PY" - "$samples" <<'EOF' | while read -r name value unit; do record streaming "$who-$name" "$rep" "$value" "$unit"; done
import sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
start = float(rows[0][0]) + 1.0
rows = [r for r in rows if float(r[0]) >= start]
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
lag_bytes = [int(r[1]) for r in rows]
lag_seconds = [float(r[2]) for r in rows]
for p in (50, 99):
    print(f"bytes-p{p} {pct(lag_bytes, p)} bytes")
    print(f"seconds-p{p} {pct(lag_seconds, p):.4f} s")
print(f"samples {len(rows)} samples")
EOF
}

if wanted streaming; then
    say "4. streaming under load: pgbench -c $CLIENTS for $LOAD_SECONDS s, $REPS repetitions per side"
    for rep in $(seq 1 "$REPS"); do
        for who in $( ((rep % 2)) && echo "worker baseline" || echo "baseline worker"); do
            if [[ $who == worker ]]; then
                ensure_worker_streaming
                load_run worker "$rep" "$W/socket" "$W_PORT" bench-worker
            else
                ensure_baseline_streaming
                load_run baseline "$rep" "$B/sock" "$B_PORT" bench-baseline
                baseline_stop
            fi
        done
    done
fi

# =====================================================================================================
# 5. Footprint
# =====================================================================================================
# idle_window SUFFIX SECONDS — RSS every second, VmHWM at the end, CPU (utime+stime) over the window.
idle_window() {
    local suffix=$1 seconds=$2 rss=() cpu0 cpu1 t0 t1
    cpu0=$(cpu_ticks "$WORKER_PID"); t0=$(now)
    for _ in $(seq 1 "$seconds"); do rss+=("$(rss_kb "$WORKER_PID")"); sleep 1; done
    cpu1=$(cpu_ticks "$WORKER_PID"); t1=$(now)
    record footprint "rss-median$suffix" 1 "$(printf '%s\n' "${rss[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1024 }')" MB
    record footprint "rss-max$suffix" 1 "$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }')" MB
    record footprint "hwm$suffix" 1 "$(awk -v k="$(hwm_kb "$WORKER_PID")" 'BEGIN { printf "%.1f", k / 1024 }')" MB
    record footprint "cpu$suffix" 1 "$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" -v s="$(sub "$t1" "$t0")" \
        'BEGIN { printf "%.4f", (b - a) / hz / s * 100 }')" %
    [[ $(worker_state) == streaming ]] || say "  note: the worker's state is $(worker_state) after the idle window"
}

# first_line NAME VERB [--stop] — exec → first line, FIRST_LINE_RUNS times, from / (WENV set by the caller).
first_line() {
    local name=$1 verb=$2 i=0
    (cd / && exec "$PY" "$HERE/first_line.py" "$FIRST_LINE_RUNS" "${@:3}" -- env "${WENV[@]}" "$PGSTANDBY" "$verb") \
        >"$ROOT/first-line-$name.txt"
    while read -r ms; do i=$((i + 1)); record footprint "first-line-$name" "$i" "$ms" ms; done < <(grep -v '^#' "$ROOT/first-line-$name.txt")
    meta "first line of \`pgstandby $verb\` ($name)" "$(sed -n 's/^# first line: //p' "$ROOT/first-line-$name.txt" | cut -c1-110)"
}

if wanted footprint; then
    say "5. footprint: the worker idle streaming for $IDLE_SECONDS s (one window), exec → first line $FIRST_LINE_RUNS times"
    worker_stop
    ensure_worker_streaming
    sleep 15   # let the start settle: the window is steady idle streaming
    idle_window "" "$IDLE_SECONDS"

    say "   exec → first line: pgstandby show-key, status (the running worker's folders), run (a throwaway standby)"
    worker_env "$W" "$W_PORT"
    first_line show-key show-key
    first_line status status
    # `run` on a throwaway standby (its own folders and port, a key nobody authorized): SIGTERM after its first line.
    mkdir -p "$T/ssh"
    ssh-keygen -q -t ed25519 -N '' -C bench-throwaway -f "$T/ssh/id_ed25519"   # every run then starts alike
    worker_env "$T" "$T_PORT"
    first_line run run --stop
    record footprint publish-size 1 "$(du -sb "$BIN" | awk '{ printf "%.1f", $1 / 1000000 }')" MB

    worker_stop
fi

# =====================================================================================================
# 3. Catch-up from the archive, streaming refused
# =====================================================================================================
hba_reject() {
    sed -i "1i host replication replicator 0.0.0.0/0 reject # bench/run.sh: streaming refused" "$PRIMARY_HBA"
    pq_primary "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5
}
hba_accept() {
    sed -i '/# bench\/run.sh: streaming refused$/d' "$PRIMARY_HBA"
    pq_primary "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5
}

# Writes about MB megabytes of WAL with pgbench, switches segment, waits until archived. Sets TARGET_LSN.
write_wal() { # MB
    local start_lsn written=0 t0
    start_lsn=$(pq_primary "SELECT pg_current_wal_lsn()")
    t0=$(now)
    (as_pg_exec pgbench -n -f "$ROOT/bulk-update.sql" -s "$SCALE" -c "$CLIENTS" -j 2 -T 36000 \
        -h /var/run/postgresql -p "$PRIMARY_PORT" postgres) >"$ROOT/pgbench-wal.log" 2>&1 &
    PGBENCH_PID=$!
    while ((written < $1 * 1000000)); do
        sleep 0.5
        written=$(pq_primary "SELECT (pg_current_wal_lsn() - '$start_lsn'::pg_lsn)::bigint")
        kill -0 "$PGBENCH_PID" 2>/dev/null || { cat "$ROOT/pgbench-wal.log" >&2; die "pgbench stopped"; }
    done
    kill -TERM "$PGBENCH_PID"; wait "$PGBENCH_PID" || true; PGBENCH_PID=
    TARGET_LSN=$(pq_primary "SELECT pg_switch_wal()")
    local segment
    segment=$(pq_primary "SELECT pg_walfile_name('$TARGET_LSN'::pg_lsn - 1)")
    written=$(pq_primary "SELECT ('$TARGET_LSN'::pg_lsn - '$start_lsn'::pg_lsn)::bigint")
    say "  wrote $((written / 1000000)) MB of WAL in $(sub "$(now)" "$t0") s; waiting until $segment is archived"
    for _ in $(seq 1 7200); do
        [[ $(pq_primary "SELECT coalesce(last_archived_wal >= '$segment', false) FROM pg_stat_archiver") == t ]] && break
        sleep 0.5
    done
    [[ $(pq_primary "SELECT coalesce(last_archived_wal >= '$segment', false) FROM pg_stat_archiver") == t ]] || die "$segment was not archived"
    say "  archived after $(sub "$(now)" "$t0") s; target replay position $TARGET_LSN"
    WAL_MB=$((written / 1000000))
}

if wanted catchup; then
    # The WAL: a batch job's bulk updates (10,000 rows a transaction), so that GBs are written in minutes.
    cat >"$ROOT/bulk-update.sql" <<'EOF'
\set aid random(1, 100000 * :scale - 9999)
UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid BETWEEN :aid AND :aid + 9999;
EOF
    chmod 644 "$ROOT/bulk-update.sql"
    say "3. catch-up: $CATCHUP_MB MB of WAL written while the standby is stopped, then replayed from the archive${TRANSPORTS[1]:+ (over SSH and over TLS, the same WAL)}"
    # Over TLS the same three, named tls-worker, tls-sync, tls-async; with both, the six from the same snapshot.
    variants=()
    over ssh && variants+=(worker sync async)
    over tls && variants+=(tls-worker tls-sync tls-async)
    n=${#variants[@]}
    for rep in $(seq 1 "$REPS"); do
        CUR_TRANSPORT=${TRANSPORTS[0]}
        ensure_worker_streaming
        worker_stop
        rm -rf "$SNAP"; cp -a "$W/data" "$SNAP"
        write_wal "$CATCHUP_MB"
        record catchup wal-mb "$rep" "$WAL_MB" MB
        hba_reject
        worker_ran=0
        # Rotate the order: rep 1 worker, sync, async; rep 2 sync, async, worker; ... (over both: of the six)
        for i in $(seq 0 $((n - 1))); do
            who=${variants[$(((i + rep - 1) % n))]}
            CUR_TRANSPORT=ssh; [[ $who == tls-* ]] && CUR_TRANSPORT=tls
            sync
            if [[ ${who#tls-} == worker ]]; then
                if ((worker_ran)); then
                    # The worker's second run of this repetition starts from the same snapshot, its prefetched WAL gone.
                    rm -rf "$W/data" "$W/pgbackrest/spool/archive"; cp -a "$SNAP" "$W/data"
                fi
                worker_identity
                sync
                worker_start
                wait_replayed "$W/socket" "$W_PORT" "$TARGET_LSN" 3600
                record catchup "$who" "$rep" "$(sub "$T_REPLAYED" "$T_EXEC")" s
                say "  worker state: $(worker_state)"
                worker_stop
                worker_ran=1
            else
                baseline_copy_from "$SNAP"
                baseline_conf "$B/data" "$who"
                baseline_start "$B/data" "catchup-$who"
                wait_replayed "$B/sock" "$B_PORT" "$TARGET_LSN" 3600
                record catchup "$who" "$rep" "$(sub "$T_REPLAYED" "$T_EXEC")" s
                baseline_stop
            fi
        done
        hba_accept
    done
    CUR_TRANSPORT=ssh
    rm -rf "$SNAP"
fi

# =====================================================================================================
# 6. Restore throughput against process-max
# =====================================================================================================
if wanted restore; then
    worker_stop; baseline_stop
    pms=(1 2 4)
    [[ " ${pms[*]} " == *" $WORKER_PM "* ]] || pms+=("$WORKER_PM")
    say "6. restore throughput: process-max ${pms[*]} (worker default: $WORKER_PM), $REPS repetitions"
    for rep in $(seq 1 "$REPS"); do
        n=${#pms[@]}
        for i in $(seq 0 $((n - 1))); do
            pm=${pms[$(((i + rep - 1) % n))]}
            rm -rf "$R"; install -d -m 755 -o postgres -g postgres "$R"; install -d -m 700 -o postgres -g postgres "$R/data"
            sync
            t0=$(now)
            as_pg pgbackrest --config="$B/pgbackrest-sync.conf" --stanza=$STANZA --pg1-path="$R/data" \
                --process-max="$pm" --type=standby restore
            t1=$(now)
            bytes=$(du -sb "$R/data" | cut -f1)
            record restore "pm$pm" "$rep" "$(awk -v b="$bytes" -v s="$(sub "$t1" "$t0")" 'BEGIN { printf "%.1f", b / 1000000 / s }')" MB/s
        done
    done
    rm -rf "$R"
fi

worker_stop; baseline_stop
meta "load average at end" "$(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" "$HERE/report.py" "$RAW" "$META" >"$ROOT/results.md"
mkdir -p "$(dirname "$OUT")"
cp "$ROOT/results.md" "$OUT"
cat "$ROOT/results.md"
