#!/usr/bin/env bash
# sign-csr.sh ROOT CSR_FILE [OUT_FILE] — sign a standby's certificate request for the TLS server of the test world
# built by primary-up.sh --tls-port, with deploy/primary/setup-primary.sh --sign-csr and the world's paths; its CN
# is authorized for the stanza and the server reloaded. Prints, on stdout, the path of the bundle written (the
# client certificate followed by the world's CA certificate; CSR_FILE with .crt for .csr unless OUT_FILE). Run as root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -ge 2 && $# -le 3 ]] || { echo "usage: sign-csr.sh ROOT CSR_FILE [OUT_FILE]" >&2; exit 2; }
P=$(realpath -m "$1")/primary
[[ -f $P/tls/server.conf ]] || { echo "sign-csr: no TLS server in $1 (run primary-up.sh with --tls-port first)" >&2; exit 1; }
OUT_OPTIONS=()
if [[ $# -eq 3 ]]; then OUT_OPTIONS=(--out "$3"); fi

# The script's report goes to stderr; stdout gets only the bundle's path.
output=$("$HERE/../../deploy/primary/setup-primary.sh" --tls-dir "$P/tls" --sign-csr "$2" ${OUT_OPTIONS[@]+"${OUT_OPTIONS[@]}"}) \
    || { status=$?; printf '%s\n' "$output" >&2; exit "$status"; }
printf '%s\n' "$output" >&2
sed -n 's/^TLS_CLIENT_BUNDLE=//p' <<<"$output"
