#!/usr/bin/env bash
# install.sh — turn a Debian 12 VM into a pgstandby host run by systemd.
# Installs PostgreSQL 15, pgBackRest and the OpenSSH client, removes Debian's default cluster,
# installs pgstandby in /opt/pgstandby, /etc/pgstandby/pgstandby.env (if absent) and
# pgstandby.service. Safe to run again: it keeps an existing pgstandby.env. See --help.
set -euo pipefail

PROG=${0##*/}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
readonly PROG HERE REPO

usage() {
    cat <<EOF
Usage: $PROG [OPTIONS]

Install pgstandby as the systemd service pgstandby.service on Debian 12. Run as root.

Options:
  --from DIR       install the pgstandby already published in DIR (the output folder of
                   'dotnet publish src/PgStandby.Worker'); default: publish it now from
                   this checkout for linux-x64 (needs the .NET 10 SDK): Native AOT when clang
                   is installed (apt-get install clang zlib1g-dev), else self-contained
  --root DIR       install into DIR instead of / (a staging tree or an image): no packages,
                   no cluster removal, no systemctl
  --no-packages    do not install packages or remove Debian's default cluster
  --keep-cluster   do not remove Debian's default cluster 15/main
  -h, --help       show this help
EOF
}

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
info() { printf '==> %s\n' "$*"; }

FROM=
ROOT=
PACKAGES=1
DROP_CLUSTER=1
while [[ $# -gt 0 ]]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --from) [[ $# -ge 2 && -n $2 ]] || die "--from needs a folder"; FROM=$(cd "$2" && pwd); shift 2 ;;
        --root) [[ $# -ge 2 && -n $2 ]] || die "--root needs a folder"; mkdir -p "$2"; ROOT=$(cd "$2" && pwd); shift 2 ;;
        --no-packages) PACKAGES=0; shift ;;
        --keep-cluster) DROP_CLUSTER=0; shift ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
if [[ -n $ROOT ]]; then PACKAGES=0; DROP_CLUSTER=0; fi
[[ $(id -u) -eq 0 ]] || die "must be run as root"

# ------------------------------------------------------------- packages ----
if [[ $PACKAGES -eq 1 ]]; then
    info "packages: postgresql-15 pgbackrest openssh-client"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql-15 pgbackrest openssh-client ca-certificates >/dev/null
    # pgBackRest must be the same version here and on the primary: the worker refuses otherwise.
    info "pgBackRest $(pgbackrest version | awk '{print $2}') installed: the primary must run the same version"
fi

# The worker runs its own postgres on PGDATA; Debian's cluster would hold port 5432 and start at boot.
if [[ $DROP_CLUSTER -eq 1 ]] && command -v pg_lsclusters >/dev/null && pg_lsclusters -h 15 main >/dev/null 2>&1 \
    && [[ -n $(pg_lsclusters -h 15 main) ]]; then
    if [[ $(pg_lsclusters -h 15 main | awk '{print $4}') == online* ]]; then
        user_dbs=$(runuser -u postgres -- psql -p "$(pg_lsclusters -h 15 main | awk '{print $3}')" -XAtc \
            "SELECT count(*) FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1')")
        [[ $user_dbs == 0 ]] || die "Debian's cluster 15/main holds $user_dbs database(s) of its own: not removing it (move it, or rerun with --keep-cluster and give pgstandby another PG_PORT)"
    fi
    info "removing Debian's default cluster 15/main (pg_dropcluster --stop 15 main)"
    pg_dropcluster --stop 15 main
fi

# --------------------------------------------------------------- binary ----
if [[ -z $FROM ]]; then
    command -v dotnet >/dev/null || die "no --from folder and no dotnet to publish with: install the .NET 10 SDK or pass --from"
    FROM=$(mktemp -d)
    trap 'rm -rf "$FROM"' EXIT
    if command -v clang >/dev/null; then how="Native AOT"; else how="self-contained; install clang for the smaller Native AOT binary"; fi
    info "publishing pgstandby (linux-x64, $how) from $REPO"
    dotnet publish "$REPO/src/PgStandby.Worker" -c Release -r linux-x64 --self-contained -o "$FROM" -nologo -v quiet
fi
[[ -x $FROM/pgstandby ]] || die "$FROM/pgstandby is not an executable (expected the output of dotnet publish)"

info "binary: $ROOT/opt/pgstandby/pgstandby"
install -d -m 755 "$ROOT/opt/pgstandby"
cp -a "$FROM/." "$ROOT/opt/pgstandby/"
chown -R root:root "$ROOT/opt/pgstandby"
chmod -R u=rwX,go=rX "$ROOT/opt/pgstandby"
chmod 755 "$ROOT/opt/pgstandby/pgstandby"
install -d -m 755 "$ROOT/usr/local/bin"
ln -sfn /opt/pgstandby/pgstandby "$ROOT/usr/local/bin/pgstandby"

# ------------------------------------------------------------- folders ----
# The unit's ReadWritePaths= must exist (ProtectSystem=strict); owned by the unit's User=.
owner=root:root
if getent passwd postgres >/dev/null; then owner=postgres:postgres; fi
for folder in /var/lib/postgresql/data:700 /var/lib/postgresql/.ssh:700 /var/lib/pgbackrest:750 \
              /etc/pgbackrest:750 /var/log/pgbackrest:750 /var/spool/pgbackrest:750 /run/postgresql:2775; do
    path=$ROOT${folder%%:*}
    if [[ ! -d $path ]]; then install -d -m "${folder##*:}" -o "${owner%%:*}" -g "${owner##*:}" "$path"; fi
    chown "$owner" "$path"
done

# ------------------------------------------------------------- settings ----
install -d -m 700 "$ROOT/etc/pgstandby"
env_file=$ROOT/etc/pgstandby/pgstandby.env
if [[ -e $env_file ]]; then
    info "keeping $env_file"
else
    install -m 600 -o root -g root "$HERE/pgstandby.env.example" "$env_file"
    info "created $env_file (mode 600) from pgstandby.env.example"
fi

# ----------------------------------------------------------------- unit ----
install -d -m 755 "$ROOT/etc/systemd/system"
install -m 644 -o root -g root "$HERE/pgstandby.service" "$ROOT/etc/systemd/system/pgstandby.service"
info "unit: $ROOT/etc/systemd/system/pgstandby.service"
if [[ -z $ROOT && -d /run/systemd/system ]]; then
    systemctl daemon-reload
    info "systemctl daemon-reload done"
fi

cat <<EOF

$PROG: done. Next:
  1. Set BACKREST_PRIMARY_HOST (and PG_PRIMARY_HOST, the replication password...) in
     /etc/pgstandby/pgstandby.env
  2. systemctl enable --now pgstandby
  3. Read the standby's public key and authorize it on the primary:
       pgstandby show-key
       # on the primary: deploy/primary/setup-primary.sh --authorize-key '<the key>'
     The worker goes on by itself once the key is authorized:
       journalctl -u pgstandby -f        pgstandby status        pgstandby health
EOF
