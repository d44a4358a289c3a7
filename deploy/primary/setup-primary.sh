#!/usr/bin/env bash
# setup-primary.sh — prepare a PostgreSQL 15 primary so that pgstandby hot standbys
# can be fed by pgBackRest over SSH from this machine's repository.
#
# Performs steps 1-7 of the README section "Configuration côté serveur principal
# PostgreSQL" idempotently (running it twice changes nothing and does not fail):
#   1 packages  2 pgBackRest config  3 postgresql settings  4 pg_hba.conf
#   5 replication user  6 SSH access for standbys (a read-only account, restricted keys)
#   7 stanza + backup
# Run as root on Debian/Ubuntu. See --help.
set -euo pipefail

PROG=${0##*/}
PG_VERSION=15
readonly PROG PG_VERSION
DEFAULT_PGBR_CONFIG=/etc/pgbackrest.conf
DEFAULT_LOCK_PATH=/var/lib/pgbackrest-lock
DEFAULT_ACCOUNT=pgstandby
readonly DEFAULT_PGBR_CONFIG DEFAULT_LOCK_PATH DEFAULT_ACCOUNT

usage() {
    cat <<EOF
Usage: $PROG [OPTIONS]

Turn this machine into a PostgreSQL $PG_VERSION primary that pgstandby standbys can
restore from and stream from (pgBackRest repository reached over SSH).
Must be run as root. Safe to run again: it only changes what differs.

Options (defaults in brackets):
  --cluster NAME                 Debian cluster name of PostgreSQL $PG_VERSION [main]
  --stanza NAME                  pgBackRest stanza [psql]
  --pgbackrest-config PATH       pgBackRest configuration file [$DEFAULT_PGBR_CONFIG]
                                 (when not the default, --config=PATH is added to
                                 archive_command and to every pgbackrest call)
  --repo-path PATH               pgBackRest repository (repo1-path) [/var/lib/pgbackrest]
  --log-path PATH                pgBackRest log directory [/var/log/pgbackrest]
  --lock-path PATH               pgBackRest lock directory, made ahead and owned by postgres
                                 [$DEFAULT_LOCK_PATH] (not pgBackRest's /tmp/pgbackrest: emptied
                                 at boot, and whoever recreates it first owns it, a standby's
                                 account included)
  --replication-user NAME        streaming replication role [replicator]
  --replication-password-file F  read the role's password from F (first line); otherwise
                                 a random one is generated once, stored (mode 600) in
                                 /etc/pgbackrest/replication-password (or next to a
                                 non-default pgBackRest config) and printed at the end
  --hba-cidr CIDR                allow replication connections from CIDR; repeatable
                                 [0.0.0.0/0]
  --listen-addresses VALUE       postgresql listen_addresses ['*']
  --account NAME                 the standbys' read-only account [$DEFAULT_ACCOUNT]: made if missing,
                                 member of the postgres group only (it reads the repository and
                                 the pgBackRest config, writes nothing pgBackRest or PostgreSQL
                                 keeps); its home and authorized_keys belong to root
  --authorized-keys PATH         authorized_keys file sshd reads for that account
                                 [~ACCOUNT/.ssh/authorized_keys]
  --authorize-key 'LINE'         authorize a standby's OpenSSH public key (repeatable) for the
                                 account, with 'restrict' and the forced command
  --from CIDR                    the key is accepted from CIDR only (from="..."); repeatable
  --allow-write                  authorize the keys for the postgres account instead. DANGEROUS:
                                 postgres owns the repository and PGDATA, so whoever holds such a
                                 key can delete backups, stop archiving or rewrite files through
                                 pgBackRest's remote protocol, which the forced command cannot
                                 filter. Only for primaries set up by hand as in the seed's step 6.
  --forced-command PATH          forced-command script to install [/usr/local/bin/pgbackrest-only]
  --forced-command-log PATH      the forced command logs every SSH_ORIGINAL_COMMAND (accepted or
                                 refused) to PATH, to build or check the allow-list [refusals go to
                                 syslog and to the client's stderr only]. PATH is made root's (620,
                                 group postgres: the accounts append, cannot read) and append-only
                                 (chattr +a): the account cannot truncate or rewrite the record of
                                 its own refusals. Needs a file system with that attribute (ext4,
                                 xfs, btrfs); rotate it with chattr -a first
  --sshd-config PATH             the sshd the standbys reach, whose host key is printed as the
                                 BACKREST_PRIMARY_HOST_KEY value to pin [/etc/ssh/sshd_config]
  --no-sshd                      do not check/start sshd
  --backup                       always take a new full backup in step 7
  --no-backup                    never take a backup in step 7
                                 (default: take a full backup only if the stanza has none)
  --backup-schedule MODE         regular backups: a full one on Sundays and a differential one
                                 the other days at 01:30, as postgres. MODE: systemd (a timer),
                                 cron (/etc/cron.d), none, or auto: systemd when it runs, else
                                 cron [auto]
  --backup-schedule-dir DIR      where the timer units or the cron file go
                                 [/etc/systemd/system or /etc/cron.d]
  -h, --help                     show this help

Key-only mode: when --authorize-key is given with no other option than --account,
--authorized-keys, --from, --allow-write, --forced-command, --forced-command-log,
--sshd-config and --no-sshd, only step 6 is performed (make the account, install the forced command, add
the key, make sure sshd runs); the forced command keeps the stanza, config and
repository of the last full run. E.g.
  $PROG --authorize-key 'ssh-ed25519 AAAAC3Nza... root@standby1'
then, on the standby: BACKREST_PRIMARY_USER=$DEFAULT_ACCOUNT
EOF
}

# ---------------------------------------------------------------- helpers ----
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
info() { printf '    %s\n' "$*"; }
step() { printf '\n==> step %s/7: %s\n' "$1" "$2"; }

# Run a command as the postgres OS user, from a directory it can read.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# Absolute path (without resolving symlinks) — the script cd's around.
abspath() {
    case $1 in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$PWD" "$1" ;;
    esac
}

# Paths end up in postgresql.conf strings and SSH options: keep them boring.
check_path() {
    [[ $2 == /* ]] || die "$1 must be an absolute path: $2"
    [[ $2 =~ ^[A-Za-z0-9/._+@-]+$ ]] || die "$1 contains unsupported characters (allowed: A-Z a-z 0-9 / . _ + @ -): $2"
}

# Quote a value as a single-quoted SQL / postgresql.conf literal.
sql_quote() { local s=${1//\'/\'\'}; printf "'%s'" "$s"; }

# validate_key LINE — prints "TYPE BLOB" of a plain OpenSSH public key line.
validate_key() {
    local line=$1 tmp
    [[ $line != *$'\n'* && $line != *$'\r'* ]] || die "--authorize-key must be a single line"
    [[ $line =~ ^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\ +([A-Za-z0-9+/]+={0,3})(\ .*)?$ ]] \
        || die "--authorize-key does not look like an OpenSSH public key ('ssh-ed25519 AAAA... comment', without options): $line"
    local type=${BASH_REMATCH[1]} blob=${BASH_REMATCH[3]}
    tmp=$(mktemp)
    printf '%s %s\n' "$type" "$blob" >"$tmp"
    if ! ssh-keygen -l -f "$tmp" >/dev/null 2>&1; then rm -f "$tmp"; die "--authorize-key: ssh-keygen rejects this key: $line"; fi
    rm -f "$tmp"
    printf '%s %s\n' "$type" "$blob"
}

# Replace DEST by the content of SRC (a temp file) if it differs.
# Keeps DEST's inode/owner/mode when it exists, else creates it with MODE OWNER GROUP.
update_file() {
    local src=$1 dest=$2 mode=$3 owner=$4 group=$5
    if [[ -f $dest ]] && cmp -s "$src" "$dest"; then
        info "unchanged: $dest"
    elif [[ -f $dest ]]; then
        cat "$src" >"$dest"
        info "updated:   $dest"
    else
        install -m "$mode" -o "$owner" -g "$group" "$src" "$dest"
        info "created:   $dest"
    fi
}

# ini_set FILE SECTION KEY VALUE — set KEY=VALUE in [SECTION] of an ini file in place
# (the file is a temp copy). Keeps other keys, sections and comments; removes
# duplicate KEY lines of that section; appends the section if missing.
ini_set() {
    local file=$1 tmp
    tmp=$(mktemp)
    awk -v sec="$2" -v key="$3" -v val="$4" '
        function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
        function put() { if (insec && !done) { print key "=" val; done = 1 } }
        function flushblank() { printf "%s", pending; pending = "" }
        /^[ \t]*\[[^]]*\][ \t]*$/ {
            put(); flushblank()
            name = trim($0); name = substr(name, 2, length(name) - 2)
            insec = (name == sec); if (insec) seen = 1
            print; next
        }
        insec && /^[ \t]*([#;].*)?$/ { pending = pending $0 "\n"; next }
        insec && /^[ \t]*[^#;]/ && index($0, "=") > 0 && trim(substr($0, 1, index($0, "=") - 1)) == key {
            flushblank(); put(); next
        }
        { flushblank(); print }
        END {
            put(); flushblank()
            if (!seen) { if (NR > 0) print ""; print "[" sec "]"; print key "=" val }
        }' "$file" >"$tmp"
    cat "$tmp" >"$file"
    rm -f "$tmp"
}

# ------------------------------------------------------------------ options ----
CLUSTER=main
STANZA=psql
PGBR_CONFIG=$DEFAULT_PGBR_CONFIG
REPO_PATH=/var/lib/pgbackrest
LOG_PATH=/var/log/pgbackrest
LOCK_PATH=$DEFAULT_LOCK_PATH
REPL_USER=replicator
REPL_PASSWORD_FILE=
HBA_CIDRS=()
LISTEN_ADDRESSES='*'
AUTHORIZED_KEYS=
AUTHORIZE_KEYS=()
ACCOUNT=$DEFAULT_ACCOUNT
FROM_CIDRS=()
ALLOW_WRITE=0
FORCED_COMMAND=/usr/local/bin/pgbackrest-only
FORCED_COMMAND_LOG=
SSHD_CONFIG=/etc/ssh/sshd_config
NO_SSHD=0
BACKUP=auto
SCHEDULE=auto
SCHEDULE_DIR=
FULL_SETUP_OPTION=0   # set when an option only meaningful for the full setup is given

need_arg() { [[ $# -ge 2 && -n $2 ]] || die "option $1 needs a non-empty value"; }
while [[ $# -gt 0 ]]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --cluster) need_arg "$@"; CLUSTER=$2; FULL_SETUP_OPTION=1; shift 2 ;;
        --stanza) need_arg "$@"; STANZA=$2; FULL_SETUP_OPTION=1; shift 2 ;;
        --pgbackrest-config) need_arg "$@"; PGBR_CONFIG=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --repo-path) need_arg "$@"; REPO_PATH=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --log-path) need_arg "$@"; LOG_PATH=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --lock-path) need_arg "$@"; LOCK_PATH=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --replication-user) need_arg "$@"; REPL_USER=$2; FULL_SETUP_OPTION=1; shift 2 ;;
        --replication-password-file) need_arg "$@"; REPL_PASSWORD_FILE=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --hba-cidr) need_arg "$@"; HBA_CIDRS+=("$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --listen-addresses) need_arg "$@"; LISTEN_ADDRESSES=$2; FULL_SETUP_OPTION=1; shift 2 ;;
        --backup) BACKUP=force; FULL_SETUP_OPTION=1; shift ;;
        --no-backup) BACKUP=skip; FULL_SETUP_OPTION=1; shift ;;
        --backup-schedule) need_arg "$@"; SCHEDULE=$2; FULL_SETUP_OPTION=1; shift 2 ;;
        --backup-schedule-dir) need_arg "$@"; SCHEDULE_DIR=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --authorized-keys) need_arg "$@"; AUTHORIZED_KEYS=$(abspath "$2"); shift 2 ;;
        --authorize-key) need_arg "$@"; AUTHORIZE_KEYS+=("$2"); shift 2 ;;
        --account) need_arg "$@"; ACCOUNT=$2; shift 2 ;;
        --from) need_arg "$@"; FROM_CIDRS+=("$2"); shift 2 ;;
        --allow-write) ALLOW_WRITE=1; shift ;;
        --forced-command) need_arg "$@"; FORCED_COMMAND=$(abspath "$2"); shift 2 ;;
        --forced-command-log) need_arg "$@"; FORCED_COMMAND_LOG=$(abspath "$2"); shift 2 ;;
        --sshd-config) need_arg "$@"; SSHD_CONFIG=$(abspath "$2"); shift 2 ;;
        --no-sshd) NO_SSHD=1; shift ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

KEY_ONLY=0
if [[ ${#AUTHORIZE_KEYS[@]} -gt 0 && $FULL_SETUP_OPTION -eq 0 ]]; then KEY_ONLY=1; fi
if [[ ${#HBA_CIDRS[@]} -eq 0 ]]; then HBA_CIDRS=(0.0.0.0/0); fi

[[ $(id -u) -eq 0 ]] || die "must be run as root"
[[ $CLUSTER =~ ^[A-Za-z0-9_.-]+$ ]] || die "invalid cluster name: $CLUSTER"
[[ $STANZA =~ ^[A-Za-z0-9_.-]+$ ]] || die "invalid stanza name: $STANZA"
[[ $REPL_USER =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "invalid replication user (use [a-z_][a-z0-9_]*): $REPL_USER"
[[ $LISTEN_ADDRESSES =~ ^[A-Za-z0-9.:,*\ _-]+$ ]] || die "invalid --listen-addresses: $LISTEN_ADDRESSES"
for p in "$PGBR_CONFIG" "$REPO_PATH" "$LOG_PATH" "$FORCED_COMMAND"; do check_path path "$p"; done
check_path --lock-path "$LOCK_PATH"
# pgBackRest recreates a missing lock path, owned by whoever runs first: it must sit in a folder that
# only root writes (not /tmp, which anyone writes and Debian empties at boot).
lock_parent=$(dirname "$LOCK_PATH")
while [[ ! -d $lock_parent ]]; do lock_parent=$(dirname "$lock_parent"); done
[[ -z $(find "$lock_parent" -maxdepth 0 -perm -o+w) ]] \
    || die "--lock-path must not be in a folder everyone can write, like /tmp ($lock_parent): whoever recreates it first owns it"
[[ $ACCOUNT =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || die "invalid --account (use [a-z_][a-z0-9_-]*): $ACCOUNT"
if [[ $ALLOW_WRITE -eq 1 ]]; then
    [[ $ACCOUNT == "$DEFAULT_ACCOUNT" || $ACCOUNT == postgres ]] || die "--allow-write authorizes keys for postgres: do not combine it with --account $ACCOUNT"
    ACCOUNT=postgres
elif [[ $ACCOUNT == postgres ]]; then
    die "--account postgres gives the standbys' keys write access to the repository and PGDATA; pass --allow-write if you really mean it (see --help)"
fi
[[ $ACCOUNT != root ]] || die "--account root: no"
for cidr in ${FROM_CIDRS[@]+"${FROM_CIDRS[@]}"}; do
    [[ $cidr =~ ^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$ ]] || die "invalid --from (expected ADDRESS[/BITS]): $cidr"
done
[[ -z $FORCED_COMMAND_LOG ]] || check_path --forced-command-log "$FORCED_COMMAND_LOG"
[[ -z $AUTHORIZED_KEYS ]] || check_path --authorized-keys "$AUTHORIZED_KEYS"
check_path --sshd-config "$SSHD_CONFIG"
[[ $SCHEDULE =~ ^(auto|systemd|cron|none)$ ]] || die "--backup-schedule must be auto, systemd, cron or none: $SCHEDULE"
[[ -z $SCHEDULE_DIR ]] || check_path --backup-schedule-dir "$SCHEDULE_DIR"
for cidr in "${HBA_CIDRS[@]}"; do
    [[ $cidr =~ ^[0-9A-Fa-f:.]+/[0-9]{1,3}$ ]] || die "invalid --hba-cidr (expected ADDRESS/BITS): $cidr"
done
if [[ -n $REPL_PASSWORD_FILE && ! -r $REPL_PASSWORD_FILE ]]; then
    die "cannot read --replication-password-file $REPL_PASSWORD_FILE"
fi

# Reject a bad key before changing anything (ssh-keygen may only come with step 1).
for key in ${AUTHORIZE_KEYS[@]+"${AUTHORIZE_KEYS[@]}"}; do
    if command -v ssh-keygen >/dev/null; then validate_key "$key" >/dev/null; fi
done

# Everything pgbackrest is called with (archive_command, stanza-create, check, backup).
PGBR_CMD=(pgbackrest)
if [[ $PGBR_CONFIG != "$DEFAULT_PGBR_CONFIG" ]]; then PGBR_CMD+=("--config=$PGBR_CONFIG"); fi
PGBR_CMD+=("--stanza=$STANZA")

# ---------------------------------------------------------------- step 1 ----
step_packages() {
    step 1 "packages postgresql-$PG_VERSION pgbackrest openssh-server"
    local pkg missing=()
    for pkg in "postgresql-$PG_VERSION" pgbackrest openssh-server; do
        if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true) == "install ok installed" ]]; then
            info "already installed: $pkg"
        else
            missing+=("$pkg")
        fi
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        info "installing: ${missing[*]}"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" \
            || die "apt-get install failed (on Ubuntu, postgresql-$PG_VERSION may need the PGDG apt repository)"
    fi
}

# Cluster facts, read once the packages are there.
load_cluster() {
    local line
    line=$(pg_lsclusters -h "$PG_VERSION" "$CLUSTER" 2>/dev/null) \
        || die "PostgreSQL $PG_VERSION cluster '$CLUSTER' does not exist (create it with: pg_createcluster $PG_VERSION $CLUSTER)"
    read -r _ _ PG_PORT _ _ PG_DATA _ <<<"$line"
    PG_CONF_DIR=/etc/postgresql/$PG_VERSION/$CLUSTER
    PG_HBA=$(pg_conftool -s "$PG_VERSION" "$CLUSTER" show hba_file 2>/dev/null || echo "$PG_CONF_DIR/pg_hba.conf")
    PG_SOCKET=$(pg_conftool -s "$PG_VERSION" "$CLUSTER" show unix_socket_directories 2>/dev/null || echo /var/run/postgresql)
    PG_SOCKET=${PG_SOCKET%%,*}
    PG_SOCKET=${PG_SOCKET// /}
    info "cluster $PG_VERSION/$CLUSTER: port $PG_PORT, data $PG_DATA, socket $PG_SOCKET"
}

cluster_running() { [[ $(pg_lsclusters -h "$PG_VERSION" "$CLUSTER" | awk '{print $4}') == online* ]]; }

# psql as postgres on the local socket; SQL comes from stdin (never from argv).
psql_stdin() {
    as_postgres psql -X -q -At -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$PG_PORT" -d postgres
}

# ---------------------------------------------------------------- step 2 ----
step_pgbackrest_config() {
    step 2 "pgBackRest configuration $PGBR_CONFIG (stanza [$STANZA])"
    if [[ $PGBR_CONFIG == "$DEFAULT_PGBR_CONFIG" && -e /etc/pgbackrest/pgbackrest.conf ]]; then
        warn "/etc/pgbackrest/pgbackrest.conf exists: pgBackRest reads it INSTEAD of $DEFAULT_PGBR_CONFIG;" \
             "pass --pgbackrest-config /etc/pgbackrest/pgbackrest.conf"
    fi
    install -d -m 755 "$(dirname "$PGBR_CONFIG")"
    local tmp
    tmp=$(mktemp)
    if [[ -f $PGBR_CONFIG ]]; then cat "$PGBR_CONFIG" >"$tmp"; fi
    ini_set "$tmp" global repo1-path "$REPO_PATH"
    ini_set "$tmp" global repo1-retention-full 2
    ini_set "$tmp" global process-max 4
    ini_set "$tmp" global log-path "$LOG_PATH"
    ini_set "$tmp" global repo1-type posix
    ini_set "$tmp" global lock-path "$LOCK_PATH"
    ini_set "$tmp" "$STANZA" pg1-path "$PG_DATA"
    ini_set "$tmp" "$STANZA" pg1-port "$PG_PORT"
    ini_set "$tmp" "$STANZA" pg1-socket-path "$PG_SOCKET"
    update_file "$tmp" "$PGBR_CONFIG" 640 root postgres
    rm -f "$tmp"
    # postgres (archive_command, and standbys via SSH) must be able to read it.
    as_postgres test -r "$PGBR_CONFIG" || die "postgres cannot read $PGBR_CONFIG (check its mode and its directories)"

    local d
    # 750: the standbys' account (group postgres) reads the repository, and can create nothing in
    # any of them (the lock path above all: a lock folder it made would be its own).
    for d in "$REPO_PATH" "$LOG_PATH" "$LOCK_PATH"; do
        install -d -m 750 -o postgres -g postgres "$d"
        info "directory: $d (postgres, 750)"
    done
}

# ---------------------------------------------------------------- step 3 ----
DESIRED_LISTEN=
step_postgresql_conf() {
    step 3 "postgresql settings (archiving to pgBackRest, replication)"
    local conf=$PG_CONF_DIR/postgresql.conf dropin_dir=$PG_CONF_DIR/conf.d
    local dropin=$dropin_dir/pgstandby-primary.conf
    [[ -f $conf ]] || die "$conf not found"
    install -d -m 755 -o postgres -g postgres "$dropin_dir"
    if grep -Eq "^[[:space:]]*include_dir[[:space:]]*=?[[:space:]]*'(conf\.d|$dropin_dir)'" "$conf"; then
        info "$conf includes conf.d/"
    elif grep -Fq "conf.d/pgstandby-primary.conf" "$conf"; then
        info "$conf includes conf.d/pgstandby-primary.conf"
    else
        printf "\n# Added by %s (pgstandby)\ninclude = 'conf.d/pgstandby-primary.conf'\n" "$PROG" >>"$conf"
        info "updated:   $conf (include of conf.d/pgstandby-primary.conf)"
    fi

    ARCHIVE_COMMAND="${PGBR_CMD[*]} archive-push %p"
    DESIRED_LISTEN=$LISTEN_ADDRESSES
    local tmp
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
# Managed by $PROG (pgstandby primary). Re-run the script instead of editing.
listen_addresses = $(sql_quote "$LISTEN_ADDRESSES")
wal_level = replica
max_wal_senders = 10
archive_mode = on
archive_command = $(sql_quote "$ARCHIVE_COMMAND")
EOF
    update_file "$tmp" "$dropin" 644 postgres postgres
    rm -f "$tmp"
}

# ---------------------------------------------------------------- step 4 ----
step_pg_hba() {
    step 4 "pg_hba.conf replication access for $REPL_USER"
    local cidr line
    [[ -f $PG_HBA ]] || die "$PG_HBA not found"
    for cidr in "${HBA_CIDRS[@]}"; do
        line="host replication $REPL_USER $cidr md5"
        if awk -v u="$REPL_USER" -v c="$cidr" '
                $1 == "host" && $2 == "replication" && $3 == u && $4 == c { found = 1 }
                END { exit !found }' "$PG_HBA"; then
            info "present:   $line"
        else
            printf '%s    # added by %s (pgstandby)\n' "$line" "$PROG" >>"$PG_HBA"
            info "added:     $line"
        fi
    done
}

# Postmaster-level settings as the running server sees them: "archive_mode|wal_level|...".
live_settings() {
    psql_stdin <<'EOF'
SELECT current_setting('archive_mode') || '|' || current_setting('wal_level') || '|' ||
       current_setting('max_wal_senders') || '|' || current_setting('listen_addresses');
EOF
}

# Start the cluster, or reload it, or restart it when a postmaster-level setting
# (archive_mode, wal_level, max_wal_senders, listen_addresses) is not live yet.
apply_postgresql_config() {
    printf '\n==> applying PostgreSQL configuration (cluster %s/%s)\n' "$PG_VERSION" "$CLUSTER"
    local live
    if ! cluster_running; then
        info "cluster is down: starting it"
        pg_ctlcluster "$PG_VERSION" "$CLUSTER" start
    else
        live=$(live_settings)
        if [[ $live != "on|replica|10|$DESIRED_LISTEN" ]]; then
            info "restarting (live: $live)"
            pg_ctlcluster "$PG_VERSION" "$CLUSTER" restart
        else
            info "reloading"
            pg_ctlcluster "$PG_VERSION" "$CLUSTER" reload
        fi
    fi
    local i
    for i in $(seq 1 30); do
        if psql_stdin <<<'SELECT 1' >/dev/null 2>&1; then break; fi
        [[ $i -lt 30 ]] || die "cluster $PG_VERSION/$CLUSTER does not accept connections"
        sleep 1
    done
    # A setting placed after the include in postgresql.conf would silently win.
    live=$(live_settings)
    [[ $live == "on|replica|10|$DESIRED_LISTEN" ]] \
        || die "settings not effective after restart (archive_mode|wal_level|max_wal_senders|listen_addresses = $live); is something overriding $PG_CONF_DIR/conf.d/pgstandby-primary.conf?"
    local ac
    ac=$(psql_stdin <<<"SELECT current_setting('archive_command')")
    [[ $ac == "$ARCHIVE_COMMAND" ]] || die "archive_command is '$ac', expected '$ARCHIVE_COMMAND'"
    info "live: archive_mode=on wal_level=replica max_wal_senders=10 listen_addresses=$DESIRED_LISTEN"
    info "live: archive_command=$ac"
}

# ---------------------------------------------------------------- step 5 ----
GENERATED_PASSWORD=
PASSWORD_SOURCE=
step_replication_user() {
    step 5 "replication role $REPL_USER"
    local password store
    if [[ -n $REPL_PASSWORD_FILE ]]; then
        IFS= read -r password <"$REPL_PASSWORD_FILE" || true
        PASSWORD_SOURCE=$REPL_PASSWORD_FILE
    else
        if [[ $PGBR_CONFIG == "$DEFAULT_PGBR_CONFIG" ]]; then
            store=/etc/pgbackrest/replication-password
        else
            store=$(dirname "$PGBR_CONFIG")/replication-password
        fi
        PASSWORD_SOURCE=$store
        if [[ -s $store ]]; then
            IFS= read -r password <"$store" || true
            info "using the stored password from $store"
        else
            local raw
            raw=$(head -c 48 /dev/urandom | base64 -w0 | tr -d '+/=')
            password=${raw:0:32}
            install -d -m 755 "$(dirname "$store")"
            (umask 077 && printf '%s\n' "$password" >"$store")
            chown root:root "$store"
            chmod 600 "$store"
            GENERATED_PASSWORD=$password
            info "generated a password, stored in $store (root, 600)"
        fi
    fi
    [[ -n $password ]] || die "empty replication password (from $PASSWORD_SOURCE)"

    local exists verb
    exists=$(psql_stdin <<<"SELECT count(*) FROM pg_roles WHERE rolname = $(sql_quote "$REPL_USER")")
    if [[ $exists == 1 ]]; then verb=ALTER; else verb=CREATE; fi
    # The password travels on psql's stdin only: printf is a builtin, no argv exposure.
    printf '%s ROLE %s WITH LOGIN REPLICATION ENCRYPTED PASSWORD %s;\n' \
        "$verb" "$REPL_USER" "$(sql_quote "$password")" | psql_stdin
    if [[ $verb == CREATE ]]; then info "created role $REPL_USER (LOGIN REPLICATION)";
    else info "role $REPL_USER exists: LOGIN REPLICATION and password (re)applied"; fi
}

# ---------------------------------------------------------------- step 6 ----
# The values the forced command compares --stanza, --config and --repo1-path with: this run's in a full
# run; in key-only mode, those the installed forced command already holds (else the defaults).
forced_command_values() {
    FC_STANZA=$STANZA FC_CONFIG=$PGBR_CONFIG FC_REPO=$REPO_PATH
    if [[ $KEY_ONLY -eq 1 && -f $FORCED_COMMAND ]]; then
        FC_STANZA=$(sed -n "s/^STANZA='\([A-Za-z0-9_.-]*\)'$/\1/p" "$FORCED_COMMAND")
        FC_CONFIG=$(sed -n "s/^CONFIG='\([A-Za-z0-9\/._+@-]*\)'$/\1/p" "$FORCED_COMMAND")
        FC_REPO=$(sed -n "s/^REPO_PATH='\([A-Za-z0-9\/._+@-]*\)'$/\1/p" "$FORCED_COMMAND")
        [[ -n $FC_STANZA && -n $FC_CONFIG && -n $FC_REPO ]] \
            || die "$FORCED_COMMAND was not written by this version of $PROG: run it once without key-only mode"
    elif [[ $KEY_ONLY -eq 1 ]]; then
        warn "no $FORCED_COMMAND yet: it allows stanza $STANZA, config $PGBR_CONFIG and repository $REPO_PATH (run the full setup to change them)"
    fi
}

install_forced_command() {
    forced_command_values
    local tmp exe
    exe=$(command -v pgbackrest 2>/dev/null || echo /usr/bin/pgbackrest)
    check_path pgbackrest "$exe"
    tmp=$(mktemp)
    # The script is bash, but it never evaluates the command: it checks its characters, splits it on
    # single spaces into an array and execs pgbackrest with that array.
    cat >"$tmp" <<'EOF'
#!/bin/bash
# pgbackrest-only — SSH forced command installed by setup-primary.sh (pgstandby).
# Lets a standby's key run only what a standby's pgBackRest and the pgstandby worker send:
# version, info of the stanza, and the repository remotes of restore and archive-get. The account
# it runs as must be read-only (setup-primary.sh's --account): pgBackRest's remote protocol has
# write and remove operations that no argument filter can see.
set -u
export LC_ALL=C
EOF
    cat >>"$tmp" <<EOF
STANZA='$FC_STANZA'
CONFIG='$FC_CONFIG'
REPO_PATH='$FC_REPO'
LOG='$FORCED_COMMAND_LOG'
PGBACKREST='$exe'
EOF
    cat >>"$tmp" <<'EOF'
cmd=${SSH_ORIGINAL_COMMAND-}
client=${SSH_CLIENT-}
client=${client%% *}

# Each line names the account, the client's address and the command, with control characters shown as '?'.
# LOG is append-only (setup-primary.sh): '>>' is the one way this account can write it.
record() {
    local line
    line="$1 $(id -un)@${client:-?}: $2: $(printf '%s' "$cmd" | tr -c '[:print:]' '?')"
    if [[ -n $LOG ]]; then printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$line" >>"$LOG" 2>/dev/null || true; fi
    if [[ $1 == REFUSED ]] && command -v logger >/dev/null 2>&1; then
        logger -t pgbackrest-only -p auth.warning -- "$line" 2>/dev/null || true
    fi
}

refuse() {
    record REFUSED "$1"
    printf 'pgbackrest-only: refused: %s\n' "$1" >&2
    exit 1
}

# Options come from the command line only: never from the client's environment.
for name in $(compgen -e); do
    [[ $name != PGBACKREST_* ]] || unset "$name"
done

[[ -n $cmd ]] || refuse "no command: this key has no shell"
# Only what pgBackRest's own command lines hold, words separated by one space: no quote,
# backslash, glob, redirection, variable, tab or line feed reaches anything.
[[ $cmd =~ ^[A-Za-z0-9=/._:,+@-]+(\ [A-Za-z0-9=/._:,+@-]+)*$ ]] \
    || refuse "characters or spacing that pgBackRest never sends"
read -r -a words <<<"$cmd"
case ${words[0]} in
    pgbackrest | /usr/bin/pgbackrest | "$PGBACKREST") ;;
    *) refuse "not pgbackrest" ;;
esac

command= remote_type=
options=()
for word in "${words[@]:1}"; do
    if [[ $word != --* ]]; then
        [[ -z $command ]] || refuse "two commands"
        command=$word
        continue
    fi
    name=${word%%=*} value=${word#*=}
    [[ $word == *=* ]] || value=
    case $name in
        --stanza) [[ $value == "$STANZA" ]] || refuse "--stanza other than $STANZA" ;;
        --config) [[ $value == "$CONFIG" ]] || refuse "--config other than the primary's" ;;
        --repo1-path) [[ $value == "$REPO_PATH" ]] || refuse "--repo1-path other than the primary's" ;;
        --remote-type) remote_type=$value ;;
        --log-level-console | --log-level-file | --log-level-stderr)
            [[ $value =~ ^(off|error|warn|info|detail|debug|trace)$ ]] || refuse "$name=$value" ;;
        --exec-id) [[ $value =~ ^[A-Za-z0-9-]+$ ]] || refuse "$name=$value" ;;
        --process | --repo | --buffer-size | --compress-level-network)
            [[ $value =~ ^[0-9]+[KkMm]?[Bb]?$ ]] || refuse "$name=$value" ;;
        --protocol-timeout | --io-timeout | --db-timeout)
            [[ $value =~ ^[0-9]+(\.[0-9]+)?$ ]] || refuse "$name=$value" ;;
        --output) [[ $value =~ ^(json|text)$ ]] || refuse "$name=$value" ;;
        # Sent by an asynchronous archive-get to its remotes (a flag, no value).
        --archive-async) [[ $word == --archive-async ]] || refuse "$word" ;;
        # The standby's PGDATA, which pgBackRest passes to every remote: a path this account cannot write.
        --pg1-path) [[ $value == /* ]] || refuse "$name=$value" ;;
        *) refuse "option $name" ;;
    esac
    options+=("$word")
done

case $command in
    version) [[ ${#options[@]} -eq 0 ]] || refuse "options with version" ;;
    info) ;;
    restore:remote | archive-get:remote) [[ $remote_type == repo ]] || refuse "a remote other than the repository's" ;;
    *) refuse "command ${command:-(none)}" ;;
esac
[[ $command != info || -z $remote_type ]] || refuse "--remote-type with info"

record ACCEPTED "$command"
exec "$PGBACKREST" "${options[@]}" "$command"
EOF
    install -d -m 755 "$(dirname "$FORCED_COMMAND")"
    update_file "$tmp" "$FORCED_COMMAND" 755 root root
    chown root:root "$FORCED_COMMAND"
    chmod 755 "$FORCED_COMMAND"
    rm -f "$tmp"
    if [[ -n $FORCED_COMMAND_LOG ]]; then secure_forced_command_log; fi
}

# The forced command runs as the account, so the account must append to its log (group postgres, write
# without read: nor can it read what other standbys sent). Append-only (chattr +a), so neither it nor
# anything it drives (pgBackRest's remote protocol writes files) can truncate, rewrite, rename or remove
# the record of its own refusals; syslog keeps a copy of each refusal where one runs.
secure_forced_command_log() {
    local log=$FORCED_COMMAND_LOG dir
    dir=$(dirname "$log")
    install -d -m 755 "$dir"
    # A folder the account writes would let it put its own file there before this run.
    if runuser -u "$ACCOUNT" -- test -w "$dir" 2>/dev/null; then
        die "--forced-command-log must be in a folder $ACCOUNT cannot write: $dir"
    fi
    [[ ! -L $log ]] || die "--forced-command-log is a symbolic link: $log"
    [[ -e $log ]] || install -m 620 -o root -g postgres /dev/null "$log"
    [[ -f $log ]] || die "--forced-command-log is not a regular file: $log"
    if [[ $(stat -c '%a %U %G' "$log") != "620 root postgres" ]]; then
        # An append-only file's mode and owner cannot change: lift the attribute for a moment.
        chattr -a "$log" 2>/dev/null || true
        chown root:postgres "$log"
        chmod 620 "$log"
    fi
    chattr +a "$log" 2>/dev/null \
        || die "--forced-command-log $log: this file system cannot make it append-only (chattr +a); choose a file on ext4, xfs or btrfs, or drop the option (refusals still go to syslog)"
    info "forced command log: $log (root:postgres 620, append-only)"
}

# The standbys' account: in the postgres group only, so the file system lets it read the repository
# (750/640, group postgres) and write nothing there. Machine-wide, so made under a lock: several runs
# at once (test worlds) must not race useradd.
ensure_account() {
    local home lock_file=/run/lock/setup-primary-account.lock
    install -d -m 755 /run/lock
    exec 9>"$lock_file"
    flock 9
    home=/var/lib/$ACCOUNT
    if ! getent passwd "$ACCOUNT" >/dev/null; then
        # '*': no password login, yet not "locked" ('!'), which sshd with UsePAM no refuses even for keys.
        useradd --system --gid postgres --no-user-group --home-dir "$home" --no-create-home \
            --shell /bin/sh --password '*' --comment 'pgstandby standbys (read-only pgBackRest repository)' "$ACCOUNT"
        info "created account $ACCOUNT (group postgres only)"
    fi
    home=$(getent passwd "$ACCOUNT" | cut -d: -f6)
    [[ $(id -gn "$ACCOUNT") == postgres && $(id -Gn "$ACCOUNT") == postgres ]] \
        || die "account $ACCOUNT must be in the postgres group only (groups: $(id -Gn "$ACCOUNT")): fix it, or choose another --account"
    [[ $(id -u "$ACCOUNT") -ne 0 ]] || die "account $ACCOUNT has uid 0"
    if [[ $(getent shadow "$ACCOUNT" | cut -d: -f2) == '!'* ]]; then usermod -p '*' "$ACCOUNT"; fi
    # Root's: the account cannot add a key, a .profile, or anything sshd or a shell would read.
    install -d -m 755 -o root -g root "$home" "$home/.ssh"
    exec 9>&-
    info "account $ACCOUNT: groups $(id -Gn "$ACCOUNT"), home $home (root, 755)"
}

authorize_key() {
    local line=$1 typeblob comment entry options tmp cidrs
    typeblob=$(validate_key "$line")
    comment=
    if [[ $line =~ ^[^\ ]+\ +[^\ ]+\ +(.*)$ ]]; then comment=${BASH_REMATCH[1]}; fi
    options="restrict"
    if [[ ${#FROM_CIDRS[@]} -gt 0 ]]; then
        cidrs=$(IFS=,; echo "${FROM_CIDRS[*]}")
        options+=",from=\"$cidrs\""
    fi
    options+=",command=\"$FORCED_COMMAND\""
    entry="$options $typeblob${comment:+ $comment}"
    if awk -v o="$options" -v k=" $typeblob" '
            index($0, o " ") == 1 && (index($0 " ", k " ") > 0) { found = 1 }
            END { exit !found }' "$AUTHORIZED_KEYS"; then
        info "already authorized (restricted): ${typeblob:0:40}..."
        return
    fi
    # Drop any other (e.g. unrestricted) entry for the same key, then add the restricted one.
    tmp=$(mktemp)
    awk -v k=" $typeblob" 'index(" " $0 " ", k " ") == 0' "$AUTHORIZED_KEYS" >"$tmp"
    printf '%s\n' "$entry" >>"$tmp"
    cat "$tmp" >"$AUTHORIZED_KEYS"
    rm -f "$tmp"
    info "authorized for $ACCOUNT (restricted to $FORCED_COMMAND): ${typeblob:0:40}...${comment:+ ($comment)}"
}

ensure_sshd() {
    if [[ $NO_SSHD -eq 1 ]]; then info "--no-sshd: not touching sshd"; return; fi
    if [[ -s /run/sshd.pid ]] && kill -0 "$(cat /run/sshd.pid)" 2>/dev/null; then
        info "sshd is running (pid $(cat /run/sshd.pid))"
    elif [[ -d /run/systemd/system ]]; then
        info "starting sshd with systemd"
        systemctl enable --now ssh.service
    elif [[ -x /etc/init.d/ssh ]]; then
        info "starting sshd with /etc/init.d/ssh"
        /etc/init.d/ssh start
    else
        info "starting /usr/sbin/sshd"
        install -d -m 755 /run/sshd
        ssh-keygen -A
        /usr/sbin/sshd
    fi
    # With UsePAM no, sshd treats a '!' password (Debian's default for postgres) as a
    # locked account and refuses even public keys.
    if [[ $(sshd -T 2>/dev/null | awk '$1 == "usepam" {print $2}') == no ]] \
        && [[ $(getent shadow postgres | cut -d: -f2) == '!'* ]]; then
        warn "sshd has UsePAM no and the postgres account is locked ('!' in /etc/shadow):" \
             "sshd will refuse the standbys' keys; run: usermod -p '*' postgres"
    fi
}

step_ssh() {
    step 6 "SSH access for standbys (account $ACCOUNT, keys restricted to pgBackRest)"
    local home owner mode
    if [[ $ACCOUNT == postgres ]]; then
        warn "--allow-write: the keys log in as postgres, which can write the repository and PGDATA"
        home=$(getent passwd postgres | cut -d: -f6)
        [[ -n $home && -d $home ]] || die "home directory of postgres not found"
        install -d -m 700 -o postgres -g postgres "$home/.ssh"
        owner=postgres mode=600
    else
        ensure_account
        home=$(getent passwd "$ACCOUNT" | cut -d: -f6)
        owner=root mode=644
    fi
    AUTHORIZED_KEYS=${AUTHORIZED_KEYS:-$home/.ssh/authorized_keys}
    if [[ ! -e $AUTHORIZED_KEYS ]]; then
        install -d -m 755 "$(dirname "$AUTHORIZED_KEYS")"
        install -m "$mode" -o "$owner" -g "$owner" /dev/null "$AUTHORIZED_KEYS"
        info "created:   $AUTHORIZED_KEYS"
    fi
    chown "$owner:$owner" "$AUTHORIZED_KEYS"
    chmod "$mode" "$AUTHORIZED_KEYS"
    info "authorized keys file: $AUTHORIZED_KEYS ($owner, $mode)"
    install_forced_command
    local key
    for key in ${AUTHORIZE_KEYS[@]+"${AUTHORIZE_KEYS[@]}"}; do authorize_key "$key"; done
    if [[ ${#AUTHORIZE_KEYS[@]} -eq 0 ]]; then
        info "no --authorize-key given: add standby keys later with $PROG --authorize-key '<key>'"
    else
        info "on the standby: BACKREST_PRIMARY_USER=$ACCOUNT"
    fi
    ensure_sshd
    print_host_key
}

# The line to pin on the standbys (BACKREST_PRIMARY_HOST_KEY: 'TYPE BASE64', a known_hosts line without
# its host) for the sshd they reach. ed25519 when it has one: the key type both SSH.NET (the worker) and
# OpenSSH (pgBackRest) prefer, so the one they are shown.
print_host_key() {
    local keys key pub= key_type key_blob
    if ! keys=$(sshd -T -f "$SSHD_CONFIG" 2>/dev/null | awk '$1 == "hostkey" {print $2}') || [[ -z $keys ]]; then
        warn "cannot read the host keys of the sshd configured in $SSHD_CONFIG (sshd -T): pin BACKREST_PRIMARY_HOST_KEY from ssh-keyscan instead"
        return
    fi
    for key in $(grep -F ed25519 <<<"$keys") $(grep -vF ed25519 <<<"$keys"); do
        if pub=$(ssh-keygen -y -f "$key" 2>/dev/null) && [[ -n $pub ]]; then break; fi
        pub=
    done
    [[ -n $pub ]] || { warn "no readable host key among: ${keys//$'\n'/ }"; return; }
    read -r key_type key_blob _ <<<"$pub"
    info "the primary's SSH host key, to pin on the standbys ($SSHD_CONFIG):"
    info "BACKREST_PRIMARY_HOST_KEY=$key_type $key_blob"
}

# ---------------------------------------------------------------- step 7 ----
step_stanza() {
    step 7 "pgBackRest stanza '$STANZA': stanza-create, check, backup"
    info "${PGBR_CMD[*]} stanza-create"
    as_postgres "${PGBR_CMD[@]}" stanza-create
    info "${PGBR_CMD[*]} check"
    as_postgres "${PGBR_CMD[@]}" check
    local has_full=0
    if as_postgres "${PGBR_CMD[@]}" info | grep -q 'full backup:'; then has_full=1; fi
    case $BACKUP in
        skip) info "--no-backup: no backup taken" ;;
        auto) if [[ $has_full -eq 1 ]]; then
                  info "a full backup already exists: none taken (use --backup to force one)"
              else
                  info "${PGBR_CMD[*]} backup --type=full --start-fast"
                  as_postgres "${PGBR_CMD[@]}" backup --type=full --start-fast
              fi ;;
        force) info "${PGBR_CMD[*]} backup --type=full --start-fast"
               as_postgres "${PGBR_CMD[@]}" backup --type=full --start-fast ;;
    esac
    as_postgres "${PGBR_CMD[@]}" info | sed 's/^/    | /'
}

# Regular backups, so that a standby can always be rebuilt from a recent backup and the archive
# keeps WAL back to the older of the repo1-retention-full (2) full backups: about two weeks.
step_schedule() {
    local mode=$SCHEDULE name=pgbackrest-$STANZA dir command
    if [[ $mode == auto ]]; then
        if [[ -d /run/systemd/system ]]; then mode=systemd; else mode=cron; fi
    fi
    printf '\n==> regular backups: %s\n' "$mode"
    command=$(printf '%q ' "${PGBR_CMD[@]}")
    command=${command% }
    case $mode in
        none) info "--backup-schedule none: schedule backups yourself (a full one weekly at least)" ;;
        cron)
            dir=${SCHEDULE_DIR:-/etc/cron.d}
            install -d -m 755 "$dir"
            write_if_changed "$dir/$name" 644 <<EOF
# Written by $PROG: regular pgBackRest backups of stanza $STANZA (full on Sundays, differential otherwise).
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
30 1 * * 0   postgres $command --type=full backup
30 1 * * 1-6 postgres $command --type=diff backup
EOF
            [[ -n $SCHEDULE_DIR || -x /usr/sbin/cron ]] || warn "cron is not installed: apt-get install cron, or use --backup-schedule systemd"
            ;;
        systemd)
            dir=${SCHEDULE_DIR:-/etc/systemd/system}
            install -d -m 755 "$dir"
            write_if_changed "$dir/$name-backup@.service" 644 <<EOF
# Written by $PROG: one pgBackRest backup of stanza $STANZA; the instance is the type (full, diff).
[Unit]
Description=pgBackRest %i backup of stanza $STANZA
After=postgresql.service

[Service]
Type=oneshot
User=postgres
ExecStart=$command --type=%i backup
EOF
            write_if_changed "$dir/$name-full.timer" 644 <<EOF
[Unit]
Description=Weekly full pgBackRest backup of stanza $STANZA

[Timer]
OnCalendar=Sun *-*-* 01:30:00
Persistent=true
Unit=$name-backup@full.service

[Install]
WantedBy=timers.target
EOF
            write_if_changed "$dir/$name-diff.timer" 644 <<EOF
[Unit]
Description=Daily differential pgBackRest backup of stanza $STANZA

[Timer]
OnCalendar=Mon..Sat *-*-* 01:30:00
Persistent=true
Unit=$name-backup@diff.service

[Install]
WantedBy=timers.target
EOF
            if [[ -z $SCHEDULE_DIR && -d /run/systemd/system ]]; then
                systemctl daemon-reload
                systemctl enable --now "$name-full.timer" "$name-diff.timer"
            else
                info "units written to $dir; enable them with: systemctl enable --now $name-full.timer $name-diff.timer"
            fi
            ;;
    esac
}

# Writes stdin to FILE (root, MODE) through update_file: only when its content differs.
write_if_changed() {
    local tmp
    tmp=$(mktemp)
    cat >"$tmp"
    update_file "$tmp" "$1" "$2" root root
    rm -f "$tmp"
}

# ------------------------------------------------------------------- main ----
if [[ $KEY_ONLY -eq 1 ]]; then
    printf '%s: key-only mode (only step 6)\n' "$PROG"
    step_ssh
    printf '\n%s: done.\n' "$PROG"
    exit 0
fi

step_packages
load_cluster
step_pgbackrest_config
step_postgresql_conf
step_pg_hba
apply_postgresql_config
step_replication_user
step_ssh
step_stanza
step_schedule

cat <<EOF

$PROG: done.
  cluster:            $PG_VERSION/$CLUSTER (port $PG_PORT, data $PG_DATA)
  pgBackRest config:  $PGBR_CONFIG (stanza $STANZA, repo $REPO_PATH)
  archive_command:    $ARCHIVE_COMMAND
  replication role:   $REPL_USER (password in $PASSWORD_SOURCE)
  standbys' account:  $ACCOUNT (BACKREST_PRIMARY_USER=$ACCOUNT on the standbys)
  authorized keys:    $AUTHORIZED_KEYS (forced command $FORCED_COMMAND)
  lock path:          $LOCK_PATH
EOF
# Shown on a terminal only: redirected output (a container's log, a CI log, a file) never holds it.
if [[ -n $GENERATED_PASSWORD && -t 1 ]]; then
    printf '  generated password for %s (shown once; kept in %s):\n    %s\n' \
        "$REPL_USER" "$PASSWORD_SOURCE" "$GENERATED_PASSWORD"
elif [[ -n $GENERATED_PASSWORD ]]; then
    printf '  generated a password for %s: read it from %s (root only); not printed, output is not a terminal\n' \
        "$REPL_USER" "$PASSWORD_SOURCE"
fi
