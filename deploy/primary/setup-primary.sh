#!/usr/bin/env bash
# setup-primary.sh — prepare a PostgreSQL 15 primary so that pgstandby hot standbys
# can be fed by pgBackRest over SSH from this machine's repository.
#
# Performs steps 1-7 of the README section "Configuration côté serveur principal
# PostgreSQL" idempotently (running it twice changes nothing and does not fail):
#   1 packages  2 pgBackRest config  3 postgresql settings  4 pg_hba.conf
#   5 replication user  6 SSH access for standbys (restricted keys)  7 stanza + backup
# Run as root on Debian/Ubuntu. See --help.
set -euo pipefail

PROG=${0##*/}
PG_VERSION=15
readonly PROG PG_VERSION
DEFAULT_PGBR_CONFIG=/etc/pgbackrest.conf
readonly DEFAULT_PGBR_CONFIG

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
  --lock-path PATH               pgBackRest lock directory [pgBackRest default, /tmp/pgbackrest]
  --replication-user NAME        streaming replication role [replicator]
  --replication-password-file F  read the role's password from F (first line); otherwise
                                 a random one is generated once, stored (mode 600) in
                                 /etc/pgbackrest/replication-password (or next to a
                                 non-default pgBackRest config) and printed at the end
  --hba-cidr CIDR                allow replication connections from CIDR; repeatable
                                 [0.0.0.0/0]
  --listen-addresses VALUE       postgresql listen_addresses ['*']
  --authorized-keys PATH         authorized_keys file used by sshd for postgres
                                 [~postgres/.ssh/authorized_keys]
  --authorize-key 'LINE'         authorize a standby's OpenSSH public key (repeatable),
                                 restricted to pgBackRest commands via the forced command
  --forced-command PATH          forced-command script to install [/usr/local/bin/pgbackrest-only]
  --forced-command-log PATH      make the forced command log every SSH_ORIGINAL_COMMAND
                                 (accepted/rejected) to PATH [no log]
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

Key-only mode: when --authorize-key is given with no other option than
--authorized-keys, --forced-command, --forced-command-log and --no-sshd, only step 6
is performed (install the forced command, add the key, make sure sshd runs), e.g.
  $PROG --authorize-key 'ssh-ed25519 AAAAC3Nza... postgres@standby1'
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
LOCK_PATH=
REPL_USER=replicator
REPL_PASSWORD_FILE=
HBA_CIDRS=()
LISTEN_ADDRESSES='*'
AUTHORIZED_KEYS=
AUTHORIZE_KEYS=()
FORCED_COMMAND=/usr/local/bin/pgbackrest-only
FORCED_COMMAND_LOG=
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
        --forced-command) need_arg "$@"; FORCED_COMMAND=$(abspath "$2"); shift 2 ;;
        --forced-command-log) need_arg "$@"; FORCED_COMMAND_LOG=$(abspath "$2"); shift 2 ;;
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
[[ -z $LOCK_PATH ]] || check_path --lock-path "$LOCK_PATH"
[[ -z $FORCED_COMMAND_LOG ]] || check_path --forced-command-log "$FORCED_COMMAND_LOG"
[[ -z $AUTHORIZED_KEYS ]] || check_path --authorized-keys "$AUTHORIZED_KEYS"
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
    if [[ -n $LOCK_PATH ]]; then ini_set "$tmp" global lock-path "$LOCK_PATH"; fi
    ini_set "$tmp" "$STANZA" pg1-path "$PG_DATA"
    ini_set "$tmp" "$STANZA" pg1-port "$PG_PORT"
    ini_set "$tmp" "$STANZA" pg1-socket-path "$PG_SOCKET"
    update_file "$tmp" "$PGBR_CONFIG" 640 root postgres
    rm -f "$tmp"
    # postgres (archive_command, and standbys via SSH) must be able to read it.
    as_postgres test -r "$PGBR_CONFIG" || die "postgres cannot read $PGBR_CONFIG (check its mode and its directories)"

    local d
    for d in "$REPO_PATH" "$LOG_PATH" ${LOCK_PATH:+"$LOCK_PATH"}; do
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
install_forced_command() {
    # pgBackRest runs its remote as "<argv[0] of the local pgbackrest> ...": the bare
    # name when called through PATH, "/usr/bin/pgbackrest ..." when called by path.
    local tmp exe names
    exe=$(command -v pgbackrest 2>/dev/null || true)
    names='pgbackrest|"pgbackrest "*|/usr/bin/pgbackrest|"/usr/bin/pgbackrest "*'
    if [[ -n $exe && $exe != /usr/bin/pgbackrest && $exe =~ ^/[A-Za-z0-9/._-]+$ ]]; then
        names+="|$exe|\"$exe \"*"
    fi
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
#!/bin/sh
# pgbackrest-only — SSH forced command installed by setup-primary.sh (pgstandby).
# authorized_keys entries with command="$FORCED_COMMAND" may only run pgBackRest:
# pgBackRest's remote protocol (pgbackrest ... archive-get:remote), info, version...
# It is a command filter, not a sandbox: such a key can do whatever pgbackrest can.
LC_ALL=C
export LC_ALL
LOG='$FORCED_COMMAND_LOG'
cmd=\${SSH_ORIGINAL_COMMAND-}

log() {
    [ -n "\$LOG" ] || return 0
    printf '%s %s %s\n' "\$(date -u +%Y-%m-%dT%H:%M:%SZ)" "\$1" "\$(printf '%s' "\$cmd" | tr '\n' ' ')" >>"\$LOG" 2>/dev/null || true
}

reject() {
    log REJECT
    echo "pgbackrest-only: this key may only run pgbackrest commands" >&2
    exit 1
}

case \$cmd in
    $names) ;;
    *) reject ;;
esac
# Only what pgBackRest's own command lines need: letters, digits, space and ' = / . - _ : ,
# (so no ; & | \` \$ < > ( ) newline backslash glob or ~).
case \$cmd in
    *[!A-Za-z0-9\ \'=/._:,-]*) reject ;;
esac

log ACCEPT
exec /bin/sh -c "\$cmd"
EOF
    install -d -m 755 "$(dirname "$FORCED_COMMAND")"
    update_file "$tmp" "$FORCED_COMMAND" 755 root root
    chmod 755 "$FORCED_COMMAND"
    rm -f "$tmp"
    if [[ -n $FORCED_COMMAND_LOG ]]; then
        install -d -m 755 "$(dirname "$FORCED_COMMAND_LOG")"
        [[ -e $FORCED_COMMAND_LOG ]] || install -m 600 -o postgres -g postgres /dev/null "$FORCED_COMMAND_LOG"
        info "forced command log: $FORCED_COMMAND_LOG"
    fi
}

authorize_key() {
    local line=$1 typeblob comment entry options tmp
    typeblob=$(validate_key "$line")
    comment=
    if [[ $line =~ ^[^\ ]+\ +[^\ ]+\ +(.*)$ ]]; then comment=${BASH_REMATCH[1]}; fi
    options="command=\"$FORCED_COMMAND\",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty"
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
    info "authorized (restricted to $FORCED_COMMAND): ${typeblob:0:40}...${comment:+ ($comment)}"
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
    step 6 "SSH access for standbys (user postgres, keys restricted to pgbackrest)"
    local home
    home=$(getent passwd postgres | cut -d: -f6)
    [[ -n $home && -d $home ]] || die "home directory of postgres not found"
    install -d -m 700 -o postgres -g postgres "$home/.ssh"
    info "directory: $home/.ssh (postgres, 700)"
    AUTHORIZED_KEYS=${AUTHORIZED_KEYS:-$home/.ssh/authorized_keys}
    if [[ ! -e $AUTHORIZED_KEYS ]]; then
        install -d -m 755 "$(dirname "$AUTHORIZED_KEYS")"
        install -m 600 -o postgres -g postgres /dev/null "$AUTHORIZED_KEYS"
        info "created:   $AUTHORIZED_KEYS"
    fi
    chown postgres:postgres "$AUTHORIZED_KEYS"
    chmod 600 "$AUTHORIZED_KEYS"
    info "authorized keys file: $AUTHORIZED_KEYS (postgres, 600)"
    install_forced_command
    local key
    for key in ${AUTHORIZE_KEYS[@]+"${AUTHORIZE_KEYS[@]}"}; do authorize_key "$key"; done
    if [[ ${#AUTHORIZE_KEYS[@]} -eq 0 ]]; then
        info "no --authorize-key given: add standby keys later with $PROG --authorize-key '<key>'"
    fi
    ensure_sshd
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
  authorized keys:    $AUTHORIZED_KEYS (forced command $FORCED_COMMAND)
EOF
# Shown on a terminal only: redirected output (a container's log, a CI log, a file) never holds it.
if [[ -n $GENERATED_PASSWORD && -t 1 ]]; then
    printf '  generated password for %s (shown once; kept in %s):\n    %s\n' \
        "$REPL_USER" "$PASSWORD_SOURCE" "$GENERATED_PASSWORD"
elif [[ -n $GENERATED_PASSWORD ]]; then
    printf '  generated a password for %s: read it from %s (root only); not printed, output is not a terminal\n' \
        "$REPL_USER" "$PASSWORD_SOURCE"
fi
