#!/usr/bin/env bash
# authorize-key.sh ROOT 'ssh-ed25519 AAAA... comment' [ACCOUNT [FROM_CIDR]] — let a standby key into the test
# world built by primary-up.sh (restricted to pgbackrest commands by the forced command).
# ACCOUNT: postgres [default] (setup-primary.sh --allow-write, as the tests written before the
# read-only account expect), or pgstandby, the read-only account. FROM_CIDR: the key is accepted
# from that address only (setup-primary.sh --from).
# Calls deploy/primary/setup-primary.sh in key-only mode with the ROOT paths and prints, on stdout,
# the BACKREST_PRIMARY_HOST_KEY=... line it printed for the world's sshd. Run as root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -ge 2 && $# -le 4 ]] || { echo "usage: authorize-key.sh ROOT 'ssh-ed25519 AAAA... comment' [postgres|pgstandby [FROM_CIDR]]" >&2; exit 2; }
P=$(realpath -m "$1")/primary
ACCOUNT=${3:-postgres}
FROM_OPTIONS=()
if [[ $# -eq 4 ]]; then FROM_OPTIONS=(--from "$4"); fi
[[ -f $P/world.env ]] || { echo "authorize-key: no world in $1 (run primary-up.sh first)" >&2; exit 1; }

case $ACCOUNT in
    postgres) ACCOUNT_OPTIONS=(--allow-write --authorized-keys "$P/authorized_keys") ;;
    pgstandby) ACCOUNT_OPTIONS=(--account pgstandby --authorized-keys "$P/authorized_keys.pgstandby") ;;
    *) echo "authorize-key: ACCOUNT is postgres or pgstandby: $ACCOUNT" >&2; exit 2 ;;
esac

# The script's report goes to stderr; stdout gets only the host key line it prints for the world's sshd.
output=$("$HERE/../../deploy/primary/setup-primary.sh" \
    "${ACCOUNT_OPTIONS[@]}" ${FROM_OPTIONS[@]+"${FROM_OPTIONS[@]}"} \
    --forced-command "$P/pgbackrest-only" \
    --forced-command-log "$P/forced-command.log" \
    --sshd-config "$P/sshd_config" \
    --no-sshd \
    --authorize-key "$2") || { status=$?; printf '%s\n' "$output" >&2; exit "$status"; }
printf '%s\n' "$output" >&2
sed -n 's/^ *\(BACKREST_PRIMARY_HOST_KEY=.*\)$/\1/p' <<<"$output"
