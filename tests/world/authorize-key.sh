#!/usr/bin/env bash
# authorize-key.sh ROOT 'ssh-ed25519 AAAA... comment' — let a standby key into the test
# world built by primary-up.sh (restricted to pgbackrest commands by the forced command).
# Calls deploy/primary/setup-primary.sh in key-only mode with the ROOT paths. Run as root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -eq 2 ]] || { echo "usage: authorize-key.sh ROOT 'ssh-ed25519 AAAA... comment'" >&2; exit 2; }
P=$(realpath -m "$1")/primary
[[ -f $P/world.env ]] || { echo "authorize-key: no world in $1 (run primary-up.sh first)" >&2; exit 1; }

"$HERE/../../deploy/primary/setup-primary.sh" \
    --authorized-keys "$P/authorized_keys" \
    --forced-command "$P/pgbackrest-only" \
    --forced-command-log "$P/forced-command.log" \
    --no-sshd \
    --authorize-key "$2" >&2
