#!/usr/bin/env bash
# standby-by-hand.sh ROOT [--keep] — prove that the test world built by primary-up.sh
# works, by doing by hand what the pgstandby worker will do, under ROOT/standby:
#   SSH key + known_hosts + ssh wrapper, standby pgbackrest.conf (repo on the primary
#   over SSH), pgbackrest restore --type=standby, PostgreSQL started with its own
#   config file, WAL replay through restore_command (archive-get over SSH), then
#   streaming replication (primary_conninfo with a passfile).
# Exits non-zero on the first failed check. The standby is stopped at exit unless
# --keep is given. Run as root (work is done as postgres).
set -euo pipefail

PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf '\nstandby-by-hand: %s\n' "$*" >&2; }
die() { printf 'standby-by-hand: FAILED: %s\n' "$*" >&2; exit 1; }
as_pg() { (cd / && runuser -u postgres -- "$@"); }

[[ $# -ge 1 ]] || die "usage: standby-by-hand.sh ROOT [--keep]"
ROOT=$(realpath -m "$1")
KEEP=0; [[ ${2:-} == --keep ]] && KEEP=1
P=$ROOT/primary
S=$ROOT/standby
[[ -f $P/world.env ]] || die "no world in $ROOT (run primary-up.sh first)"

# world.env values are NOT shell-quoted (HOST_KEY_PUB has a space): split on the first '='.
declare -A W
while IFS= read -r line; do W[${line%%=*}]=${line#*=}; done <"$P/world.env"
PG_PORT=${W[PG_PORT]} SSH_PORT=${W[SSH_PORT]} STANZA=${W[STANZA]}
STANDBY_PORT=$((PG_PORT + 1))

pq_primary() { as_pg psql -X -At -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$PG_PORT" -d postgres -c "$1"; }
pq_standby() { as_pg psql -X -At -v ON_ERROR_STOP=1 -h "$S/sock" -p "$STANDBY_PORT" -d postgres -c "$1"; }
# wait_for DESCRIPTION SECONDS COMMAND... — retry until COMMAND prints "t".
wait_for() {
    local what=$1 secs=$2 i; shift 2
    for ((i = 0; i < secs * 2; i++)); do
        if [[ $("$@" 2>/dev/null || true) == t ]]; then echo "  ok: $what" >&2; return 0; fi
        sleep 0.5
    done
    die "timed out after ${secs}s waiting for: $what"
}

stop_standby() {
    if [[ -f $S/data/postmaster.pid ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$S/data" -m fast -w stop >&2 || true
    fi
}

# ---- fresh standby directory ----------------------------------------------------
stop_standby
rm -rf "$S"
install -d -m 755 -o postgres -g postgres "$S"
install -d -m 700 -o postgres -g postgres "$S/ssh" "$S/data" "$S/log" "$S/lock" "$S/spool" "$S/sock"
if [[ $KEEP -eq 0 ]]; then trap stop_standby EXIT; fi

# ---- SSH: key, authorization, known_hosts, client config, wrapper ----------------
log "generating the standby's SSH key and authorizing it on the primary"
as_pg ssh-keygen -q -t ed25519 -N '' -C "postgres@standby-by-hand" -f "$S/ssh/id_ed25519"
"$HERE/authorize-key.sh" "$ROOT" "$(cat "$S/ssh/id_ed25519.pub")"

printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "${W[HOST_KEY_PUB]}" >"$S/known_hosts"
cat >"$S/ssh_config" <<EOF
# ssh client config of the by-hand standby; pgBackRest adds -p <repo1-host-port>.
Host *
    IdentityFile $S/ssh/id_ed25519
    IdentitiesOnly yes
    UserKnownHostsFile $S/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    PasswordAuthentication no
    ConnectTimeout 10
EOF
cat >"$S/ssh-wrapper" <<EOF
#!/bin/sh
exec ssh -F $S/ssh_config "\$@"
EOF
chmod 755 "$S/ssh-wrapper"
chown postgres:postgres "$S/known_hosts" "$S/ssh_config" "$S/ssh-wrapper"

log "forced command: a plain shell command must be refused"
if out=$(as_pg "$S/ssh-wrapper" -p "$SSH_PORT" postgres@127.0.0.1 'id' 2>&1); then
    die "'id' was allowed through SSH: $out"
fi
[[ $out == *"pgbackrest-only: this key may only run pgbackrest commands"* ]] || die "unexpected refusal: $out"
echo "  ok: refused ($out)" >&2
if as_pg "$S/ssh-wrapper" -p "$SSH_PORT" postgres@127.0.0.1 'pgbackrest version; id' >/dev/null 2>&1; then
    die "'pgbackrest version; id' was allowed"
fi
echo "  ok: 'pgbackrest version; id' refused" >&2
as_pg "$S/ssh-wrapper" -p "$SSH_PORT" postgres@127.0.0.1 'pgbackrest version' >&2

# ---- standby pgbackrest.conf --------------------------------------------------------
cat >"$S/pgbackrest.conf" <<EOF
[global]
repo1-host=127.0.0.1
repo1-host-user=postgres
repo1-host-port=$SSH_PORT
repo1-host-config=${W[PGBACKREST_CONFIG]}
repo1-path=${W[REPO_PATH]}
cmd-ssh=$S/ssh-wrapper
log-path=$S/log
lock-path=$S/lock
spool-path=$S/spool

[$STANZA]
pg1-path=$S/data
EOF
chown postgres:postgres "$S/pgbackrest.conf"
PGBR=(pgbackrest "--config=$S/pgbackrest.conf" "--stanza=$STANZA")

log "pgbackrest info through SSH"
as_pg "${PGBR[@]}" info >&2

log "pgbackrest restore --type=standby"
as_pg "${PGBR[@]}" --type=standby restore
echo "  postgresql.auto.conf written by pgBackRest:" >&2
sed 's/^/    | /' "$S/data/postgresql.auto.conf" >&2
grep -q '^restore_command' "$S/data/postgresql.auto.conf" || die "no restore_command in postgresql.auto.conf"
[[ -f $S/data/standby.signal ]] || die "no standby.signal"

# ---- PostgreSQL configuration of the standby (the backup has none) -----------------
# pgpass: fields are separated by ':', so ':' and '\' in the password are escaped.
PASSWORD=$(head -n 1 "${W[REPLICATION_PASSWORD_FILE]}")
PASSWORD_PGPASS=${PASSWORD//\\/\\\\}
PASSWORD_PGPASS=${PASSWORD_PGPASS//:/\\:}
(umask 077 && printf '127.0.0.1:%s:replication:replicator:%s\n' "$PG_PORT" "$PASSWORD_PGPASS" >"$S/pgpass")
chown postgres:postgres "$S/pgpass"

cat >"$S/pg_hba.conf" <<EOF
local all postgres peer
EOF
: >"$S/pg_ident.conf"
cat >"$S/postgresql.conf" <<EOF
# by-hand standby (phase 1: archive recovery only, no primary_conninfo yet)
data_directory = '$S/data'
hba_file = '$S/pg_hba.conf'
ident_file = '$S/pg_ident.conf'
port = $STANDBY_PORT
listen_addresses = ''
unix_socket_directories = '$S/sock'
hot_standby = on
wal_retrieve_retry_interval = '1s'
log_line_prefix = '%m [%p] '
EOF
chown postgres:postgres "$S/pg_hba.conf" "$S/pg_ident.conf" "$S/postgresql.conf"

log "starting the standby (port $STANDBY_PORT, socket $S/sock)"
as_pg "$PG_BIN/pg_ctl" -D "$S/data" -l "$S/postgresql.log" -o "-c config_file=$S/postgresql.conf" -w -t 120 start >&2
[[ $(pq_standby 'SELECT pg_is_in_recovery()') == t ]] || die "standby is not in recovery"

# ---- phase 1: WAL through the archive (restore_command = pgbackrest archive-get) ---
log "phase 1: a row written on the primary reaches the standby through the archive"
pq_primary "CREATE TABLE IF NOT EXISTS byhand (id serial PRIMARY KEY, note text, at timestamptz DEFAULT now())" >/dev/null
pq_primary "INSERT INTO byhand (note) VALUES ('via-archive')" >/dev/null
seg=$(pq_primary "SELECT pg_walfile_name(pg_switch_wal())")
wait_for "primary archived $seg" 60 pq_primary \
    "SELECT last_archived_wal >= '$seg' FROM pg_stat_archiver"
wait_for "row 'via-archive' on the standby" 90 pq_standby \
    "SELECT count(*) > 0 FROM byhand WHERE note = 'via-archive'"
grep -q 'restored log file' "$S/postgresql.log" || die "standby log shows no 'restored log file'"
echo "  ok: standby log: $(grep 'restored log file' "$S/postgresql.log" | tail -n 1)" >&2

log "archive-get by hand"
as_pg "${PGBR[@]}" archive-get "$seg" "$S/spool/$seg.byhand"
[[ $(stat -c %s "$S/spool/$seg.byhand") -eq 16777216 ]] || die "archive-get gave a wrong-size segment"
rm -f "$S/spool/$seg.byhand"
echo "  ok: archive-get $seg (16 MiB)" >&2

# ---- phase 2: streaming replication ------------------------------------------------
log "phase 2: streaming (primary_conninfo with passfile, reload)"
cat >>"$S/postgresql.conf" <<EOF
# phase 2: streaming replication
primary_conninfo = 'host=127.0.0.1 port=$PG_PORT user=replicator passfile=$S/pgpass application_name=byhand'
EOF
as_pg "$PG_BIN/pg_ctl" -D "$S/data" reload >&2
wait_for "pg_stat_wal_receiver status = streaming" 60 pq_standby \
    "SELECT count(*) = 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'"
wait_for "primary sees application_name byhand streaming" 30 pq_primary \
    "SELECT count(*) = 1 FROM pg_stat_replication WHERE application_name = 'byhand' AND state = 'streaming'"
pq_primary "INSERT INTO byhand (note) VALUES ('via-stream')" >/dev/null
wait_for "row 'via-stream' on the standby (no WAL switch: streamed)" 30 pq_standby \
    "SELECT count(*) > 0 FROM byhand WHERE note = 'via-stream'"
pq_standby "SELECT 'wal receiver: ' || status || ' from ' || sender_host || ':' || sender_port FROM pg_stat_wal_receiver" >&2

log "files pgBackRest left in the standby data directory (top level)"
find "$S/data" -mindepth 1 -maxdepth 1 -printf "    %M %u %s %f\n" | sort -k4 >&2
log "SSH_ORIGINAL_COMMAND values seen by the forced command"
sed 's/^/    /' "$P/forced-command.log" >&2
log "standby pgbackrest.conf that worked"
sed 's/^/    /' "$S/pgbackrest.conf" >&2
log "ALL CHECKS PASSED"
