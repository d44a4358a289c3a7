#!/usr/bin/env bash
# setup-primary.sh — prepare a PostgreSQL 15 primary so that pgstandby hot standbys
# can be fed by pgBackRest over SSH (or its TLS server) from this machine's repository.
#
# Performs steps 1-7 of the README section "Configuration côté serveur principal
# PostgreSQL" idempotently (running it twice changes nothing and does not fail):
#   1 packages  2 pgBackRest config  3 postgresql settings  4 pg_hba.conf
#   5 replication user  6 SSH access for standbys (a read-only account, restricted keys)
#   7 stanza + backup
# and, with --tls-server, step 8: pgBackRest's TLS server run as that read-only account, its CA
# and certificates; --sign-csr and --revoke-tls-cn then authorize standbys' certificates.
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

pgBackRest's TLS server (standbys without SSH: they reach TCP port 8432 of this machine, and keep no
inbound port of their own):
  --tls-server                   set up and run pgBackRest's server for the standbys (step 8), as the
                                 read-only --account (group postgres), never as postgres: the server
                                 applies no argument allow-list, so the file system is the boundary
                                 (authorized clients read what the account reads, the repository and the
                                 server's own key included; they write nothing pgBackRest or PostgreSQL
                                 keep, but can create files where anyone may, /tmp, outside systemd's
                                 sandbox). Changes nothing of the SSH set-up
  --tls-dir DIR                  the CA, the server's key and certificate, its config server.conf and the
                                 clients' certificates [/etc/pgbackrest/tls, or tls/ next to a non-default
                                 --pgbackrest-config]. The CA's key is root's (600), the server's key the
                                 account's (400)
  --tls-server-address ADDRESS   the one address the server binds: 0.0.0.0 every IPv4 address, '::' every
                                 address [0.0.0.0] (pgBackRest's own default, localhost, no standby reaches)
  --tls-server-port PORT         [8432]
  --tls-server-name NAME         a DNS name or an IP address the standbys use to reach this machine, for
                                 the server's certificate (repeatable) [the host's FQDN and name, its
                                 non-loopback addresses, 127.0.0.1]. pgBackRest checks the name it dials
                                 against the certificate's DNS names only: addresses are written as DNS
                                 names too
  --tls-ca-cert F --tls-ca-key F use the operator's CA instead of making one (the key is copied into
                                 --tls-dir; without --tls-ca-key, --sign-csr cannot sign)
  --tls-server-cert F --tls-server-key F
                                 use the operator's server certificate (signed by --tls-ca-cert) instead of
                                 signing one (made again when the names change or it expires in 30 days)
  --tls-log-path DIR             the server's log folder, the only one it writes, the account's
                                 [/var/log/pgbackrest-server]
  --tls-service MODE             systemd: Debian's pgbackrest.service with a drop-in (User=ACCOUNT,
                                 Group=postgres, ProtectSystem=strict and other hardening, ExecStart with
                                 --config=TLS_DIR/server.conf), enabled and started; process: a process of
                                 its own started by this script (setsid, setpriv, pid file TLS_DIR/server.pid,
                                 output in the log folder); auto: systemd when it is PID 1 [auto]
  --sign-csr FILE                sign a standby's certificate request (repeatable): one CN of
                                 A-Z a-z 0-9 . _ -, never one already authorized with another key nor
                                 revoked (pgBackRest authorizes a CN, not a key); writes FILE.crt (FILE
                                 without .csr) holding the client certificate then the CA's: copy that one
                                 file back to the standby (its repo1-host-cert-file and repo1-host-ca-file);
                                 authorizes the CN for the stanza (tls-server-auth) and reloads the server
  --out F                        where --sign-csr writes (one --sign-csr only)
  --tls-client-days N            validity of a signed client certificate [365]
  --revoke-tls-cn CN             withdraw CN's authorization and reload the server (repeatable). Its
                                 certificate stays valid for the CA: that CN is never signed again

  -h, --help                     show this help

Key-only mode: when --authorize-key is given with no other option than --account,
--authorized-keys, --from, --allow-write, --forced-command, --forced-command-log,
--sshd-config and --no-sshd, only step 6 is performed (make the account, install the forced command, add
the key, make sure sshd runs); the forced command keeps the stanza, config and
repository of the last full run. E.g.
  $PROG --authorize-key 'ssh-ed25519 AAAAC3Nza... root@standby1'
then, on the standby: BACKREST_PRIMARY_USER=$DEFAULT_ACCOUNT

TLS clients mode: --sign-csr and --revoke-tls-cn with no other option than --tls-dir, --out and
--tls-client-days only sign, authorize or revoke, and reload the server set up by the last
--tls-server run (its stanza and account). E.g., after a full run with --tls-server:
  on the standby:  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out standby1.key
                   openssl req -new -key standby1.key -subj /CN=standby1 -out standby1.csr
  here:            $PROG --sign-csr standby1.csr     (writes standby1.crt)
  on the standby:  repo1-host-type=tls, repo1-host=<a --tls-server-name>, repo1-host-port=8432,
                   repo1-host-cert-file=standby1.crt, repo1-host-ca-file=standby1.crt,
                   repo1-host-key-file=standby1.key, repo1-host-config=$DEFAULT_PGBR_CONFIG
EOF
}

# ---------------------------------------------------------------- helpers ----
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
info() { printf '    %s\n' "$*"; }
step() { printf '\n==> step %s/8: %s\n' "$1" "$2"; }

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
TLS_SERVER=0
TLS_DIR=
TLS_ADDRESS=0.0.0.0
TLS_PORT=8432
TLS_NAMES=()
TLS_CA_CERT= TLS_CA_KEY= TLS_SERVER_CERT= TLS_SERVER_KEY=
TLS_LOG_PATH=/var/log/pgbackrest-server
TLS_SERVICE=auto
TLS_CLIENT_DAYS=365
SIGN_CSRS=()
SIGN_OUT=
REVOKE_CNS=()
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
        --tls-server) TLS_SERVER=1; FULL_SETUP_OPTION=1; shift ;;
        --tls-server-address) need_arg "$@"; TLS_ADDRESS=$2; FULL_SETUP_OPTION=1; shift 2 ;;
        --tls-server-port) need_arg "$@"; TLS_PORT=$2; FULL_SETUP_OPTION=1; shift 2 ;;
        --tls-server-name) need_arg "$@"; TLS_NAMES+=("$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --tls-ca-cert) need_arg "$@"; TLS_CA_CERT=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --tls-ca-key) need_arg "$@"; TLS_CA_KEY=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --tls-server-cert) need_arg "$@"; TLS_SERVER_CERT=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --tls-server-key) need_arg "$@"; TLS_SERVER_KEY=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --tls-log-path) need_arg "$@"; TLS_LOG_PATH=$(abspath "$2"); FULL_SETUP_OPTION=1; shift 2 ;;
        --tls-service) need_arg "$@"; TLS_SERVICE=$2; FULL_SETUP_OPTION=1; shift 2 ;;
        --tls-dir) need_arg "$@"; TLS_DIR=$(abspath "$2"); shift 2 ;;
        --sign-csr) need_arg "$@"; SIGN_CSRS+=("$(abspath "$2")"); shift 2 ;;
        --out) need_arg "$@"; SIGN_OUT=$(abspath "$2"); shift 2 ;;
        --tls-client-days) need_arg "$@"; TLS_CLIENT_DAYS=$2; shift 2 ;;
        --revoke-tls-cn) need_arg "$@"; REVOKE_CNS+=("$2"); shift 2 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

KEY_ONLY=0
if [[ ${#AUTHORIZE_KEYS[@]} -gt 0 && $FULL_SETUP_OPTION -eq 0 ]]; then KEY_ONLY=1; fi
TLS_CLIENTS_ONLY=0
if [[ $FULL_SETUP_OPTION -eq 0 && $KEY_ONLY -eq 0 && ${#SIGN_CSRS[@]}${#REVOKE_CNS[@]} != 00 ]]; then TLS_CLIENTS_ONLY=1; fi
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
if [[ -z $TLS_DIR ]]; then
    if [[ $PGBR_CONFIG == "$DEFAULT_PGBR_CONFIG" ]]; then TLS_DIR=/etc/pgbackrest/tls; else TLS_DIR=$(dirname "$PGBR_CONFIG")/tls; fi
fi
check_path --tls-dir "$TLS_DIR"
check_path --tls-log-path "$TLS_LOG_PATH"
for p in "$TLS_CA_CERT" "$TLS_CA_KEY" "$TLS_SERVER_CERT" "$TLS_SERVER_KEY" "$SIGN_OUT" ${SIGN_CSRS[@]+"${SIGN_CSRS[@]}"}; do
    [[ -z $p ]] || check_path "a --tls-*/--sign-csr/--out file" "$p"
done
[[ $TLS_ADDRESS =~ ^[A-Za-z0-9.:-]+$ ]] || die "invalid --tls-server-address (one host name or address; 0.0.0.0: every IPv4 address, '::': every address): $TLS_ADDRESS"
[[ $TLS_PORT =~ ^[0-9]{1,5}$ && $TLS_PORT -ge 1 && $TLS_PORT -le 65535 ]] || die "invalid --tls-server-port: $TLS_PORT"
for name in ${TLS_NAMES[@]+"${TLS_NAMES[@]}"}; do
    [[ $name =~ ^[A-Za-z0-9.:*-]+$ ]] || die "invalid --tls-server-name (a DNS name or an IP address): $name"
done
[[ $TLS_SERVICE =~ ^(auto|systemd|process)$ ]] || die "--tls-service must be auto, systemd or process: $TLS_SERVICE"
[[ $TLS_CLIENT_DAYS =~ ^[0-9]{1,5}$ && $TLS_CLIENT_DAYS -ge 1 ]] || die "invalid --tls-client-days: $TLS_CLIENT_DAYS"
[[ -n $TLS_CA_CERT || -z $TLS_CA_KEY ]] || die "--tls-ca-key needs --tls-ca-cert"
[[ -z $TLS_CA_CERT || -n $TLS_CA_KEY || -n $TLS_SERVER_CERT ]] \
    || die "--tls-ca-cert without --tls-ca-key: give the server's certificate too (--tls-server-cert, --tls-server-key)"
[[ -n $TLS_SERVER_CERT && -n $TLS_SERVER_KEY || -z $TLS_SERVER_CERT$TLS_SERVER_KEY ]] || die "--tls-server-cert and --tls-server-key go together"
[[ -z $TLS_SERVER_CERT || -n $TLS_CA_CERT ]] || die "--tls-server-cert needs the CA that signed it (--tls-ca-cert): the standbys pin that CA"
for f in "$TLS_CA_CERT" "$TLS_CA_KEY" "$TLS_SERVER_CERT" "$TLS_SERVER_KEY" ${SIGN_CSRS[@]+"${SIGN_CSRS[@]}"}; do
    [[ -z $f || -r $f ]] || die "cannot read $f"
done
[[ -z $SIGN_OUT || ${#SIGN_CSRS[@]} -eq 1 ]] || die "--out goes with exactly one --sign-csr"
for cn in ${REVOKE_CNS[@]+"${REVOKE_CNS[@]}"}; do
    [[ $cn =~ ^[A-Za-z0-9._-]+$ ]] || die "invalid --revoke-tls-cn (allowed: A-Z a-z 0-9 . _ -): $cn"
done
if [[ $TLS_SERVER -eq 0 && $FULL_SETUP_OPTION -eq 1 && ${#SIGN_CSRS[@]}${#REVOKE_CNS[@]} != 00 ]]; then
    die "--sign-csr and --revoke-tls-cn in a full run need --tls-server (or run them alone, with --tls-dir and --account at most)"
fi
if [[ $KEY_ONLY -eq 1 && ${#SIGN_CSRS[@]}${#REVOKE_CNS[@]} != 00 ]]; then
    die "--authorize-key and --sign-csr/--revoke-tls-cn: run them one at a time"
fi
if [[ $TLS_SERVER -eq 1 && $ALLOW_WRITE -eq 1 ]]; then
    die "--tls-server runs pgBackRest's server as the read-only account, never as postgres: drop --allow-write"
fi

if [[ -n $REPL_PASSWORD_FILE && ! -r $REPL_PASSWORD_FILE ]]; then
    die "cannot read --replication-password-file $REPL_PASSWORD_FILE"
fi

# Reject a bad key before changing anything (ssh-keygen may only come with step 1).
for key in ${AUTHORIZE_KEYS[@]+"${AUTHORIZE_KEYS[@]}"}; do
    if command -v ssh-keygen >/dev/null; then validate_key "$key" >/dev/null; fi
done

# openssl makes the CA and signs the TLS server's certificates.
TLS_PACKAGE=
if [[ $TLS_SERVER -eq 1 ]]; then TLS_PACKAGE=openssl; fi
if [[ $TLS_CLIENTS_ONLY -eq 1 ]] && ! command -v openssl >/dev/null; then die "openssl is missing (apt-get install openssl)"; fi

# Everything pgbackrest is called with (archive_command, stanza-create, check, backup).
PGBR_CMD=(pgbackrest)
if [[ $PGBR_CONFIG != "$DEFAULT_PGBR_CONFIG" ]]; then PGBR_CMD+=("--config=$PGBR_CONFIG"); fi
PGBR_CMD+=("--stanza=$STANZA")

# ---------------------------------------------------------------- step 1 ----
step_packages() {
    step 1 "packages postgresql-$PG_VERSION pgbackrest openssh-server${TLS_PACKAGE:+ $TLS_PACKAGE}"
    local pkg missing=()
    for pkg in "postgresql-$PG_VERSION" pgbackrest openssh-server ${TLS_PACKAGE:+"$TLS_PACKAGE"}; do
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

# ---------------------------------------------------------------- step 8 ----
# pgBackRest's TLS server (`pgbackrest server`): standbys reach the repository on one TCP port with a client
# certificate signed by the CA below, instead of SSH. The server applies no argument allow-list (it loads the
# options the client sends and checks only the stanza against tls-server-auth), so it runs as the read-only
# account: the file system is the boundary, as for the SSH keys.
#
# Its settings live in their own file, TLS_DIR/server.conf, given to the server alone with --config: neither
# postgres (archive_command, backups) nor the remotes the server forks for each client read it (each remote
# loads the pgBackRest config the client names, repo1-host-config, or the default one), and the list of
# authorized clients is rewritten without touching the primary's own pgBackRest config.
TLS_CHANGED=0
TLS_STANZA=

tls_files() {
    TLS_CONF=$TLS_DIR/server.conf
    TLS_CA_CRT=$TLS_DIR/ca.crt TLS_CA_KEYFILE=$TLS_DIR/ca.key
    TLS_SRV_CRT=$TLS_DIR/server.crt TLS_SRV_KEY=$TLS_DIR/server.key
    TLS_CLIENTS=$TLS_DIR/clients TLS_PID=$TLS_DIR/server.pid
}

# The public key of a certificate, a key or a CSR, as a SHA-256 of its DER form (to compare two of them).
pubkey_of() {
    case $1 in
        cert) openssl x509 -in "$2" -noout -pubkey ;;
        key) openssl pkey -in "$2" -pubout ;;
        csr) openssl req -in "$2" -noout -pubkey ;;
    esac | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1
}

# Copies SRC to DEST (MODE OWNER:GROUP) when the content differs, through a rename.
tls_install() {
    local src=$1 dest=$2 mode=$3 owner=$4 group=$5
    if [[ -f $dest ]] && cmp -s "$src" "$dest"; then
        info "unchanged: $dest"
    else
        install -m "$mode" -o "$owner" -g "$group" "$src" "$dest.new"
        mv -f "$dest.new" "$dest"
        info "installed: $dest"
        TLS_CHANGED=1
    fi
    chown "$owner:$group" "$dest"
    chmod "$mode" "$dest"
}

# The subjectAltName of the server's certificate, from --tls-server-name or the host's names and addresses.
# pgBackRest 2.45 compares the host it connects to with the certificate's DNS names only (an IP entry is never
# compared), so each address goes in twice: as DNS: for pgBackRest, as IP: for other TLS clients.
tls_server_names() {
    local names=() name
    if [[ ${#TLS_NAMES[@]} -gt 0 ]]; then
        names=("${TLS_NAMES[@]}")
    else
        name=$(hostname -f 2>/dev/null || true); [[ -z $name ]] || names+=("$name")
        name=$(hostname 2>/dev/null || true); [[ -z $name ]] || names+=("$name")
        # shellcheck disable=SC2207 # one address a word
        names+=($(ip -o addr show scope global 2>/dev/null | awk '{sub(/\/.*/, "", $4); print $4}'))
        names+=(127.0.0.1)
    fi
    local san=() seen=" "
    for name in "${names[@]}"; do
        [[ $seen != *" $name "* && $name =~ ^[A-Za-z0-9.:*-]+$ ]] || continue
        seen+="$name "
        san+=("DNS:$name")
        if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then san+=("IP:$name"); fi
    done
    local IFS=,
    printf '%s\n' "${san[*]}"
}

# The CA: the operator's (--tls-ca-cert, --tls-ca-key), else one made here once (its key root's, 600).
tls_ca() {
    if [[ -n $TLS_CA_CERT ]]; then
        openssl x509 -in "$TLS_CA_CERT" -noout 2>/dev/null || die "--tls-ca-cert is not a PEM certificate: $TLS_CA_CERT"
        if [[ -n $TLS_CA_KEY ]]; then
            [[ $(pubkey_of cert "$TLS_CA_CERT") == "$(pubkey_of key "$TLS_CA_KEY")" ]] || die "--tls-ca-key does not match --tls-ca-cert"
            tls_install "$TLS_CA_KEY" "$TLS_CA_KEYFILE" 600 root root
        elif [[ -f $TLS_CA_KEYFILE ]] && [[ $(pubkey_of key "$TLS_CA_KEYFILE") != "$(pubkey_of cert "$TLS_CA_CERT")" ]]; then
            rm -f "$TLS_CA_KEYFILE"
            info "removed $TLS_CA_KEYFILE (another CA's key)"
        fi
        tls_install "$TLS_CA_CERT" "$TLS_CA_CRT" 644 root root
        return
    fi
    if [[ -s $TLS_CA_CRT && -s $TLS_CA_KEYFILE ]]; then
        chown root:root "$TLS_CA_KEYFILE"
        chmod 600 "$TLS_CA_KEYFILE"
        info "CA: $TLS_CA_CRT (key $TLS_CA_KEYFILE, root 600), valid until $(openssl x509 -in "$TLS_CA_CRT" -noout -enddate | cut -d= -f2)"
        return
    fi
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TLS_CA_KEYFILE" 2>/dev/null)
    chown root:root "$TLS_CA_KEYFILE"
    chmod 600 "$TLS_CA_KEYFILE"
    openssl req -new -x509 -key "$TLS_CA_KEYFILE" -out "$TLS_CA_CRT" -days 3650 -sha256 \
        -subj "/CN=pgstandby repository CA $(hostname 2>/dev/null || echo primary)" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    chmod 644 "$TLS_CA_CRT"
    info "created a CA: $TLS_CA_CRT (10 years; key $TLS_CA_KEYFILE, root 600)"
    TLS_CHANGED=1
}

# The server's key and certificate: the operator's (--tls-server-cert, --tls-server-key), else a key made here
# once and a certificate signed by the CA, signed again when the names change or it expires within 30 days.
# The key is the account's (400) in a folder of root's: the server reads it, postgres cannot, the account cannot
# replace it.
tls_server_certificate() {
    if [[ -n $TLS_SERVER_CERT ]]; then
        [[ $(pubkey_of cert "$TLS_SERVER_CERT") == "$(pubkey_of key "$TLS_SERVER_KEY")" ]] || die "--tls-server-key does not match --tls-server-cert"
        openssl verify -CAfile "$TLS_CA_CRT" "$TLS_SERVER_CERT" >/dev/null 2>&1 || die "--tls-server-cert is not signed by the CA $TLS_CA_CRT"
        tls_install "$TLS_SERVER_KEY" "$TLS_SRV_KEY" 400 "$ACCOUNT" root
        tls_install "$TLS_SERVER_CERT" "$TLS_SRV_CRT" 644 root root
        return
    fi
    [[ -s $TLS_CA_KEYFILE ]] || die "no CA key in $TLS_DIR to sign the server's certificate: give --tls-server-cert and --tls-server-key"
    if [[ ! -s $TLS_SRV_KEY ]]; then
        (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TLS_SRV_KEY" 2>/dev/null)
        info "created the server's key: $TLS_SRV_KEY"
    fi
    chown "$ACCOUNT:root" "$TLS_SRV_KEY"
    chmod 400 "$TLS_SRV_KEY"
    local san current=
    san=$(tls_server_names)
    [[ -n $san ]] || die "no name for the server's certificate: give --tls-server-name"
    if [[ -s $TLS_SRV_CRT ]]; then
        current=$(openssl x509 -in "$TLS_SRV_CRT" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr -d ' ' | sed 's/IPAddress:/IP:/g')
    fi
    if [[ -n $current && $current == "$san" ]] \
        && openssl x509 -in "$TLS_SRV_CRT" -noout -checkend $((30 * 86400)) >/dev/null \
        && openssl verify -CAfile "$TLS_CA_CRT" "$TLS_SRV_CRT" >/dev/null 2>&1 \
        && [[ $(pubkey_of cert "$TLS_SRV_CRT") == "$(pubkey_of key "$TLS_SRV_KEY")" ]]; then
        info "server certificate: $TLS_SRV_CRT ($san), valid until $(openssl x509 -in "$TLS_SRV_CRT" -noout -enddate | cut -d= -f2)"
        return
    fi
    local csr ext first=${san%%,*}
    csr=$(mktemp)
    ext=$(mktemp)
    openssl req -new -key "$TLS_SRV_KEY" -subj "/CN=${first#DNS:}" -out "$csr"
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth" "subjectAltName=$san" >"$ext"
    openssl x509 -req -in "$csr" -CA "$TLS_CA_CRT" -CAkey "$TLS_CA_KEYFILE" -set_serial "0x$(openssl rand -hex 16)" \
        -days 825 -sha256 -extfile "$ext" -out "$TLS_SRV_CRT.new" 2>/dev/null || die "could not sign the server's certificate"
    rm -f "$csr" "$ext"
    chmod 644 "$TLS_SRV_CRT.new"
    mv -f "$TLS_SRV_CRT.new" "$TLS_SRV_CRT"
    info "signed the server's certificate: $TLS_SRV_CRT ($san; 825 days)"
    TLS_CHANGED=1
}

# server.conf, whole: the server's settings, then one tls-server-auth line per authorized client (one
# certificate each in TLS_DIR/clients). pgBackRest adds up repeated lines of a hash option.
write_tls_conf() {
    local tmp crt cn
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
# Managed by $PROG --tls-server (pgstandby): pgBackRest's TLS server, run as
# account=$ACCOUNT
# stanza=$TLS_STANZA
# with: pgbackrest --config=$TLS_CONF server
# Re-run the script instead of editing it (--sign-csr and --revoke-tls-cn rewrite the tls-server-auth lines).
[global]
log-path=$TLS_LOG_PATH
log-level-file=detail
log-level-console=warn

[global:server]
tls-server-address=$TLS_ADDRESS
tls-server-port=$TLS_PORT
tls-server-ca-file=$TLS_CA_CRT
tls-server-cert-file=$TLS_SRV_CRT
tls-server-key-file=$TLS_SRV_KEY
EOF
    local authorized=0
    for crt in "$TLS_CLIENTS"/*.crt; do
        [[ -f $crt ]] || continue
        cn=${crt##*/}
        printf 'tls-server-auth=%s=%s\n' "${cn%.crt}" "$TLS_STANZA" >>"$tmp"
        authorized=1
    done
    # pgBackRest's server requires one: with no client yet, a CN no certificate can hold (over 64 characters,
    # with a '!' that --sign-csr refuses) for a stanza that cannot exist.
    if [[ $authorized -eq 0 ]]; then
        printf 'tls-server-auth=!no-client-authorized-yet-%s=!none\n' "$(printf 'x%.0s' $(seq 1 40))" >>"$tmp"
    fi
    if [[ -f $TLS_CONF ]] && cmp -s "$tmp" "$TLS_CONF"; then
        info "unchanged: $TLS_CONF"
    else
        install -m 640 -o root -g postgres "$tmp" "$TLS_CONF.new"
        mv -f "$TLS_CONF.new" "$TLS_CONF"
        info "written:   $TLS_CONF"
        TLS_CHANGED=1
    fi
    rm -f "$tmp"
}

# In a --sign-csr/--revoke-tls-cn run: the settings of the last --tls-server run, from its server.conf.
load_tls_conf() {
    [[ -f $TLS_CONF ]] || die "no $TLS_CONF: run $PROG --tls-server first (with --tls-dir $TLS_DIR when not the default)"
    TLS_STANZA=$(sed -n 's/^# stanza=\([A-Za-z0-9_.-]*\)$/\1/p' "$TLS_CONF")
    ACCOUNT=$(sed -n 's/^# account=\([a-z_][a-z0-9_-]*\)$/\1/p' "$TLS_CONF")
    TLS_ADDRESS=$(sed -n 's/^tls-server-address=//p' "$TLS_CONF")
    TLS_PORT=$(sed -n 's/^tls-server-port=\([0-9]*\)$/\1/p' "$TLS_CONF")
    TLS_LOG_PATH=$(sed -n 's/^log-path=//p' "$TLS_CONF")
    [[ -n $TLS_STANZA && -n $ACCOUNT && -n $TLS_PORT && -n $TLS_ADDRESS && -n $TLS_LOG_PATH ]] \
        || die "$TLS_CONF was not written by this version of $PROG: run it once with --tls-server"
}

tls_service_mode() {
    local mode=$TLS_SERVICE
    if [[ $mode == auto ]]; then
        if [[ -d /run/systemd/system ]]; then mode=systemd; else mode=process; fi
    fi
    printf '%s\n' "$mode"
}

# The pid of the server this script started, if it still runs (a pid can be reused: its command line must match).
tls_pid() {
    local pid
    [[ -s $TLS_PID ]] || return 1
    pid=$(cat "$TLS_PID")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--config=$TLS_CONF server" || return 1
    printf '%s\n' "$pid"
}

tls_wait_listening() {
    local _
    for _ in $(seq 1 50); do
        if ss -Hltn "sport = :$TLS_PORT" | grep -q .; then return 0; fi
        sleep 0.1
    done
    return 1
}

# Where systemd is not PID 1 (containers): a process of its own, in its own session, as the account with the
# postgres group only, a clean environment and no capabilities. setpriv execs, so the pid is the server's.
# PGBACKREST_LOCK_PATH: each remote loads the config its client names (repo1-host-config), and one without
# lock-path (/dev/null) would have it make pgBackRest's default /tmp/pgbackrest, owned by the account; the
# environment gives the remotes the primary's lock folder, which the account cannot write. Outside systemd's
# sandbox a client still creates files wherever the account may write (repo-put with repo1-path=/tmp): /tmp,
# /var/tmp, the server's log folder.
start_tls_process() {
    local exe pid
    exe=$(command -v pgbackrest)
    setsid setpriv --reuid="$ACCOUNT" --regid=postgres --init-groups --inh-caps=-all --no-new-privs -- \
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME=/ "PGBACKREST_LOCK_PATH=$LOCK_PATH" \
        "$exe" "--config=$TLS_CONF" server </dev/null >>"$TLS_LOG_PATH/server.out" 2>&1 &
    pid=$!
    printf '%s\n' "$pid" >"$TLS_PID"
    tls_wait_listening || die "pgbackrest server does not listen on port $TLS_PORT: see $TLS_LOG_PATH/server.out"
    kill -0 "$pid" 2>/dev/null || die "pgbackrest server exited: see $TLS_LOG_PATH/server.out"
    info "started pgbackrest server as $ACCOUNT (pid $pid, port $TLS_PORT, pid file $TLS_PID, log $TLS_LOG_PATH)"
}

stop_tls_process() {
    local pid _
    if pid=$(tls_pid); then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$TLS_PID"
}

# Debian's pgbackrest.service, with a drop-in: the account instead of postgres, this config, and hardening.
ensure_tls_systemd() {
    local dir=/etc/systemd/system/pgbackrest.service.d exe before=
    exe=$(command -v pgbackrest)
    install -d -m 755 "$dir"
    [[ ! -f $dir/pgstandby.conf ]] || before=$(cat "$dir/pgstandby.conf")
    write_if_changed "$dir/pgstandby.conf" 644 <<EOF
# Written by $PROG --tls-server: pgBackRest's TLS server as the standbys' read-only account, never postgres.
[Service]
User=$ACCOUNT
Group=postgres
SupplementaryGroups=
ExecStart=
ExecStart=$exe --config=$TLS_CONF server
# The primary's lock folder (postgres's, 750) for the remotes too, whatever config a client names.
Environment=PGBACKREST_LOCK_PATH=$LOCK_PATH
# Whatever a client asks, nothing on the disk is writable but the server's log folder.
NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
ProtectSystem=strict
ReadWritePaths=$TLS_LOG_PATH
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
UMask=0077
EOF
    systemctl daemon-reload
    if [[ $before != "$(cat "$dir/pgstandby.conf")" ]] || ! systemctl is-active --quiet pgbackrest.service; then
        systemctl enable pgbackrest.service
        systemctl restart pgbackrest.service
        info "pgbackrest.service (re)started as $ACCOUNT"
    elif [[ $TLS_CHANGED -eq 1 ]]; then
        systemctl reload pgbackrest.service
        info "pgbackrest.service reloaded"
    else
        info "pgbackrest.service is running"
    fi
    tls_wait_listening || die "pgbackrest.service does not listen on port $TLS_PORT: journalctl -u pgbackrest.service"
}

# Started when it does not run; reloaded when something changed (SIGHUP: pgBackRest reads its config, the
# certificates and the key again and binds anew; the sessions under way go on).
ensure_tls_server() {
    local pid
    install -d -m 750 -o "$ACCOUNT" -g postgres "$TLS_LOG_PATH"
    if [[ $(tls_service_mode) == systemd ]]; then
        ensure_tls_systemd
        return
    fi
    if pid=$(tls_pid); then
        if [[ $(awk '/^Uid:/ {print $2}' "/proc/$pid/status") != "$(id -u "$ACCOUNT")" ]]; then
            info "pgbackrest server (pid $pid) does not run as $ACCOUNT: restarting it"
            stop_tls_process
            start_tls_process
        elif [[ $TLS_CHANGED -eq 1 ]]; then
            kill -HUP "$pid"
            info "reloaded pgbackrest server (pid $pid)"
        else
            info "pgbackrest server is running (pid $pid, as $ACCOUNT)"
        fi
    else
        start_tls_process
    fi
}

reload_tls_server() {
    local pid
    [[ $TLS_CHANGED -eq 1 ]] || return 0
    if [[ $(tls_service_mode) == systemd ]]; then
        if systemctl reload pgbackrest.service; then info "pgbackrest.service reloaded"
        else warn "could not reload pgbackrest.service: systemctl restart pgbackrest.service"; fi
    elif pid=$(tls_pid); then
        kill -HUP "$pid"
        info "reloaded pgbackrest server (pid $pid)"
    else
        warn "pgbackrest server is not running: run $PROG --tls-server to start it"
    fi
}

# --sign-csr: a standby's CSR (its key never leaves the standby) becomes a client certificate, written with the
# CA's in one file to copy back to the standby, and its CN is authorized for the stanza.
sign_csr() {
    local csr=$1 subject cn count out crt ext bundle
    openssl req -in "$csr" -noout -verify >/dev/null 2>&1 || die "--sign-csr $csr: not a valid CSR (openssl req -verify)"
    subject=$(openssl req -in "$csr" -noout -subject -nameopt multiline)
    count=$(grep -c '^ *commonName *= ' <<<"$subject" || true)
    [[ $count -eq 1 ]] || die "--sign-csr $csr: the CSR must hold exactly one CN (it holds $count)"
    cn=$(sed -n 's/^ *commonName *= //p' <<<"$subject")
    [[ $cn =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "--sign-csr $csr: CN '$cn' has characters outside A-Z a-z 0-9 . _ -"
    # pgBackRest authorizes a CN, not a key: a second key under an authorized or revoked CN would make the first valid too.
    [[ ! -f $TLS_CLIENTS/revoked/$cn.crt ]] \
        || die "--sign-csr $csr: CN '$cn' was revoked and its certificate would be accepted again: choose another CN"
    if [[ -f $TLS_CLIENTS/$cn.crt ]] && [[ $(pubkey_of cert "$TLS_CLIENTS/$cn.crt") != "$(pubkey_of csr "$csr")" ]]; then
        die "--sign-csr $csr: CN '$cn' is already authorized with another key: choose another CN (and --revoke-tls-cn $cn if that key is gone)"
    fi
    [[ -s $TLS_CA_KEYFILE ]] || die "no CA key ($TLS_CA_KEYFILE) to sign with: the CA is the operator's"
    out=${SIGN_OUT:-${csr%.csr}.crt}
    [[ $out != "$csr" ]] || out=$csr.crt
    crt=$(mktemp)
    ext=$(mktemp)
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=clientAuth" >"$ext"
    openssl x509 -req -in "$csr" -CA "$TLS_CA_CRT" -CAkey "$TLS_CA_KEYFILE" -set_serial "0x$(openssl rand -hex 16)" \
        -days "$TLS_CLIENT_DAYS" -sha256 -extfile "$ext" -out "$crt" 2>/dev/null || die "--sign-csr $csr: openssl x509 -req failed"
    install -d -m 755 -o root -g root "$TLS_CLIENTS"
    install -m 644 -o root -g root "$crt" "$TLS_CLIENTS/$cn.crt"
    bundle=$(mktemp)
    cat "$crt" "$TLS_CA_CRT" >"$bundle"
    install -m 644 "$bundle" "$out"
    rm -f "$crt" "$ext" "$bundle"
    info "signed $csr: CN $cn, $TLS_CLIENT_DAYS days, authorized for stanza $TLS_STANZA"
    info "copy $out to the standby: its certificate then the CA's, for repo1-host-cert-file and repo1-host-ca-file"
    SIGNED+=("$out")
    TLS_CHANGED=1
}

revoke_cn() {
    local cn=$1
    if [[ ! -f $TLS_CLIENTS/$cn.crt ]]; then
        info "CN $cn is not authorized"
        return
    fi
    install -d -m 755 -o root -g root "$TLS_CLIENTS/revoked"
    mv -f "$TLS_CLIENTS/$cn.crt" "$TLS_CLIENTS/revoked/$cn.crt"
    info "revoked CN $cn (its certificate stays valid for the CA until it expires: that CN is never signed again)"
    TLS_CHANGED=1
}

SIGNED=()
tls_clients() {
    local csr cn
    for cn in ${REVOKE_CNS[@]+"${REVOKE_CNS[@]}"}; do revoke_cn "$cn"; done
    for csr in ${SIGN_CSRS[@]+"${SIGN_CSRS[@]}"}; do sign_csr "$csr"; done
    write_tls_conf
}

# Printed last, on lines of their own: the files to copy to the standbys.
print_signed() {
    local out
    for out in ${SIGNED[@]+"${SIGNED[@]}"}; do printf 'TLS_CLIENT_BUNDLE=%s\n' "$out"; done
}

step_tls_server() {
    step 8 "pgBackRest TLS server for standbys (account $ACCOUNT, port $TLS_PORT)"
    if [[ $TLS_SERVER -eq 0 ]]; then
        info "no --tls-server: none set up (standbys use SSH)"
        return
    fi
    tls_files
    TLS_STANZA=$STANZA
    ensure_account
    install -d -m 755 -o root -g root "$TLS_DIR" "$TLS_CLIENTS"
    tls_ca
    tls_server_certificate
    tls_clients
    ensure_tls_server
    runuser -u "$ACCOUNT" -- test -r "$TLS_SRV_KEY" || die "$ACCOUNT cannot read $TLS_SRV_KEY"
    if runuser -u postgres -- test -r "$TLS_SRV_KEY"; then die "postgres can read $TLS_SRV_KEY"; fi
    info "on the standbys: repo1-host-type=tls, repo1-host=<a name of the server's certificate>, repo1-host-port=$TLS_PORT,"
    info "repo1-host-config=$PGBR_CONFIG, the CA $TLS_CA_CRT pinned; sign each standby's CSR with $PROG --sign-csr FILE"
}

# ------------------------------------------------------------------- main ----
if [[ $KEY_ONLY -eq 1 ]]; then
    printf '%s: key-only mode (only step 6)\n' "$PROG"
    step_ssh
    printf '\n%s: done.\n' "$PROG"
    exit 0
fi
if [[ $TLS_CLIENTS_ONLY -eq 1 ]]; then
    printf '%s: TLS clients only (--sign-csr, --revoke-tls-cn)\n' "$PROG"
    tls_files
    load_tls_conf
    tls_clients
    reload_tls_server
    printf '\n%s: done.\n' "$PROG"
    print_signed
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
step_tls_server

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
if [[ $TLS_SERVER -eq 1 ]]; then
    printf '  TLS server:         %s:%s as %s (%s), CA %s, config %s\n' \
        "$TLS_ADDRESS" "$TLS_PORT" "$ACCOUNT" "$(tls_service_mode)" "$TLS_CA_CRT" "$TLS_CONF"
fi
# Shown on a terminal only: redirected output (a container's log, a CI log, a file) never holds it.
if [[ -n $GENERATED_PASSWORD && -t 1 ]]; then
    printf '  generated password for %s (shown once; kept in %s):\n    %s\n' \
        "$REPL_USER" "$PASSWORD_SOURCE" "$GENERATED_PASSWORD"
elif [[ -n $GENERATED_PASSWORD ]]; then
    printf '  generated a password for %s: read it from %s (root only); not printed, output is not a terminal\n' \
        "$REPL_USER" "$PASSWORD_SOURCE"
fi
print_signed
