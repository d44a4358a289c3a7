#!/usr/bin/env bash
# primary-up.sh ROOT SSH_PORT PG_PORT [--listen ADDRESS]... [--hba-cidr CIDR]... [--tls-port PORT]
# — build a throwaway PostgreSQL 15 primary on this machine for integration tests/demos,
# isolated under ROOT:
#   * Debian cluster pgstandby_<PG_PORT> with its data in ROOT/primary/data,
#   * deploy/primary/setup-primary.sh run with every path under ROOT/primary,
#   * a dedicated sshd on 127.0.0.1:SSH_PORT that lets in postgres, with keys listed in
#     ROOT/primary/authorized_keys, and the standbys' read-only account pgstandby (made by
#     setup-primary.sh, machine-wide), with keys listed in ROOT/primary/authorized_keys.pgstandby.
# --listen ADDRESS: postgres and sshd listen on ADDRESS too (besides 127.0.0.1), e.g. the host
# side of a veth pair made by netns-up.sh, which must exist already; --hba-cidr CIDR: replication
# connections are allowed from CIDR too (besides 127.0.0.1/32). Both repeatable.
# --tls-port PORT: setup-primary.sh --tls-server too: pgBackRest's TLS server as the read-only account on PORT
# (127.0.0.1, or every IPv4 address with --listen: it binds one address), its CA, key and config in
# ROOT/primary/tls, its log in ROOT/primary/tls-log; sign a standby's CSR with sign-csr.sh.
# Anything left by a previous world on the same ROOT/PG_PORT is dropped first.
# stdout: KEY=VALUE lines only (also saved in ROOT/primary/world.env); progress: stderr.
# Run as root. Undo with primary-down.sh ROOT.
set -euo pipefail

PG_VERSION=15
STANZA=psql
REPLICATION_PASSWORD="it's a secret"   # space + quote: proves quoting end to end
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SETUP=$HERE/../../deploy/primary/setup-primary.sh

log() { printf 'primary-up: %s\n' "$*" >&2; }
die() { printf 'primary-up: error: %s\n' "$*" >&2; exit 1; }

USAGE="usage: primary-up.sh ROOT SSH_PORT PG_PORT [--listen ADDRESS]... [--hba-cidr CIDR]... [--tls-port PORT]"
[[ $# -ge 3 ]] || die "$USAGE"
ROOT=$1 SSH_PORT=$2 PG_PORT=$3
shift 3
LISTEN=(127.0.0.1) HBA_CIDRS=(127.0.0.1/32) TLS_PORT=
while [[ $# -gt 0 ]]; do
    case $1 in
        --listen) [[ $# -ge 2 && $2 =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--listen needs an IPv4 address"
            ip -o -4 addr show to "$2/32" | grep -q . || die "--listen $2: no interface of this machine has that address"
            LISTEN+=("$2"); shift 2 ;;
        --hba-cidr) [[ $# -ge 2 && $2 =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/[0-9]+$ ]] || die "--hba-cidr needs ADDRESS/BITS"
            HBA_CIDRS+=("$2"); shift 2 ;;
        --tls-port) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || die "--tls-port needs a port number"
            TLS_PORT=$2; shift 2 ;;
        *) die "$USAGE" ;;
    esac
done
[[ $(id -u) -eq 0 ]] || die "must be run as root"
[[ $ROOT == /* && $ROOT != / ]] || die "ROOT must be an absolute path other than /"
[[ $SSH_PORT =~ ^[0-9]+$ && $PG_PORT =~ ^[0-9]+$ ]] || die "ports must be numbers"
ROOT=$(realpath -m "$ROOT")
P=$ROOT/primary
CLUSTER=pgstandby_$PG_PORT

# ---- forget any previous world on this ROOT / port --------------------------
stop_pid_file() {
    local pid
    [[ -s $1 ]] || return 0
    pid=$(cat "$1")
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        log "stopping previous $2 (pid $pid)"
        kill "$pid" || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
}
stop_pid_file "$P/tls/server.pid" "pgbackrest server"
if [[ -s $P/sshd.pid ]] && kill -0 "$(cat "$P/sshd.pid")" 2>/dev/null; then
    log "stopping previous sshd (pid $(cat "$P/sshd.pid"))"
    old_pid=$(cat "$P/sshd.pid")
    kill "$old_pid" || true
    for _ in $(seq 1 50); do kill -0 "$old_pid" 2>/dev/null || break; sleep 0.1; done
fi
if pg_lsclusters -h "$PG_VERSION" "$CLUSTER" >/dev/null 2>&1; then
    log "dropping previous cluster $PG_VERSION/$CLUSTER"
    pg_dropcluster --stop "$PG_VERSION" "$CLUSTER" >&2
fi
# pg_dropcluster leaves files it did not create (setup-primary.sh's conf.d drop-in).
rm -rf "/etc/postgresql/$PG_VERSION/$CLUSTER"
other=$(pg_lsclusters -h | awk -v p="$PG_PORT" '$3 == p && $4 ~ /^online/ {print $1 "/" $2}')
[[ -z $other ]] || die "cluster $other is running on port $PG_PORT"
if ss -Hltn "sport = :$SSH_PORT" | grep -q .; then die "TCP port $SSH_PORT is already in use"; fi
if [[ -n $TLS_PORT ]] && ss -Hltn "sport = :$TLS_PORT" | grep -q .; then die "TCP port $TLS_PORT is already in use"; fi
# setup-primary.sh made the previous world's forced command log append-only.
if [[ -f $P/forced-command.log ]]; then chattr -a "$P/forced-command.log" 2>/dev/null || true; fi
rm -rf "$P"

# Debian's default cluster: keep it out of the way (it is not autostarted here anyway).
if [[ $(pg_lsclusters -h "$PG_VERSION" main 2>/dev/null | awk '{print $4}') == online* ]]; then
    log "stopping the default cluster $PG_VERSION/main"
    pg_ctlcluster "$PG_VERSION" main stop >&2
fi

# ---- directories: postgres must traverse ROOT and read what pgBackRest reads --
install -d -m 755 "$ROOT" "$P"
chmod 755 "$ROOT"
runuser -u postgres -- test -x "$P" || die "postgres cannot traverse $P (a parent of ROOT is not 755?)"

# ---- the cluster ------------------------------------------------------------
log "creating cluster $PG_VERSION/$CLUSTER (port $PG_PORT, data $P/data)"
pg_createcluster "$PG_VERSION" "$CLUSTER" -p "$PG_PORT" -d "$P/data" -l "$P/postgresql.log" \
    --start-conf manual >&2

# ---- setup-primary.sh with every path under ROOT ----------------------------
(umask 077 && printf '%s\n' "$REPLICATION_PASSWORD" >"$P/replication-password")
HBA_OPTIONS=()
for cidr in "${HBA_CIDRS[@]}"; do HBA_OPTIONS+=(--hba-cidr "$cidr"); done
log "running setup-primary.sh"
SETUP_ARGS=(
    --cluster "$CLUSTER"
    --stanza "$STANZA"
    --pgbackrest-config "$P/pgbackrest.conf"
    --repo-path "$P/repo"
    --log-path "$P/log"
    --lock-path "$P/lock"
    --replication-password-file "$P/replication-password"
    "${HBA_OPTIONS[@]}"
    --listen-addresses "$(IFS=,; echo "${LISTEN[*]}")"
    --authorized-keys "$P/authorized_keys.pgstandby"
    --forced-command "$P/pgbackrest-only"
    --forced-command-log "$P/forced-command.log"
    --no-sshd
)
if [[ -n $TLS_PORT ]]; then
    TLS_ADDRESS=127.0.0.1
    if [[ ${#LISTEN[@]} -gt 1 ]]; then TLS_ADDRESS=0.0.0.0; fi
    TLS_NAMES=()
    for address in "${LISTEN[@]}"; do TLS_NAMES+=(--tls-server-name "$address"); done
    SETUP_ARGS+=(
        --tls-server
        --tls-dir "$P/tls"
        --tls-server-address "$TLS_ADDRESS"
        --tls-server-port "$TLS_PORT"
        "${TLS_NAMES[@]}"
        --tls-server-name localhost
        --tls-log-path "$P/tls-log"
        --tls-service process
    )
fi
# The backup timers are written into the world, not enabled: tests verify them and run their command.
"$SETUP" "${SETUP_ARGS[@]}" --backup-schedule systemd --backup-schedule-dir "$P/schedule" >&2
# The same arguments, one per line, for tests that run setup-primary.sh again on this world.
printf '%s\n' "${SETUP_ARGS[@]}" >"$P/setup-args"

# ---- dedicated sshd ---------------------------------------------------------
# UsePAM no: no PAM session (pam_loginuid & co fail in containers). With UsePAM no,
# sshd refuses accounts whose shadow password starts with '!' (Debian creates postgres
# that way: "locked"), even for public keys; '*' means "no password" and is not locked.
# Password logins stay impossible either way.
if [[ $(getent shadow postgres | cut -d: -f2) == '!'* ]]; then
    log "postgres account is locked ('!'): setting its password field to '*' so sshd (UsePAM no) accepts keys"
    usermod -p '*' postgres
fi
install -d -m 755 /run/sshd   # privilege separation directory
ssh-keygen -q -t ed25519 -N '' -C "pgstandby-world-$SSH_PORT" -f "$P/ssh_host_ed25519_key"
# StrictModes no: sshd would otherwise reject authorized_keys because one of its parent
# directories (/tmp, mode 1777) is group/world-writable.
cat >"$P/sshd_config" <<EOF
# Dedicated sshd of the pgstandby test world $ROOT (written by primary-up.sh)
$(printf 'ListenAddress %s\n' "${LISTEN[@]}")
Port $SSH_PORT
HostKey $P/ssh_host_ed25519_key
PidFile $P/sshd.pid
AuthorizedKeysFile $P/authorized_keys.%u
AllowUsers postgres pgstandby
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PrintMotd no
LogLevel VERBOSE
MaxStartups 100
MaxSessions 100
# Keys authorized for postgres (setup-primary.sh --allow-write, or by hand as in the seed's step 6).
Match User postgres
    AuthorizedKeysFile $P/authorized_keys
EOF
/usr/sbin/sshd -t -f "$P/sshd_config" || die "invalid $P/sshd_config"
log "starting sshd on ${LISTEN[*]} port $SSH_PORT (log $P/sshd.log)"
/usr/sbin/sshd -f "$P/sshd_config" -E "$P/sshd.log"
for _ in $(seq 1 50); do
    if [[ -s $P/sshd.pid ]] && ss -Hltn "sport = :$SSH_PORT" | grep -q .; then break; fi
    sleep 0.1
done
[[ -s $P/sshd.pid ]] || die "sshd did not start, see $P/sshd.log"

# ---- the contract -----------------------------------------------------------
HOST_KEY_PUB=$(cut -d' ' -f1,2 "$P/ssh_host_ed25519_key.pub")
cat >"$P/world.env" <<EOF
CLUSTER=$CLUSTER
PG_PORT=$PG_PORT
SSH_PORT=$SSH_PORT
LISTEN_ADDRESSES=$(IFS=,; echo "${LISTEN[*]}")
STANZA=$STANZA
PGBACKREST_CONFIG=$P/pgbackrest.conf
REPO_PATH=$P/repo
REPLICATION_PASSWORD_FILE=$P/replication-password
READ_ONLY_ACCOUNT=pgstandby
LOCK_PATH=$P/lock
FORCED_COMMAND_LOG=$P/forced-command.log
HOST_KEY_PUB=$HOST_KEY_PUB
EOF
if [[ -n $TLS_PORT ]]; then
    cat >>"$P/world.env" <<EOF
TLS_PORT=$TLS_PORT
TLS_CA_FILE=$P/tls/ca.crt
TLS_DIR=$P/tls
TLS_PID_FILE=$P/tls/server.pid
TLS_LOG_PATH=$P/tls-log
EOF
fi
log "world is up"
cat "$P/world.env"
