#!/usr/bin/env bash
# image-bases.sh — make this machine able to build deploy/docker/Dockerfile with podman when no
# registry can be pulled from. Idempotent: run it before every build; it only does what is missing.
#   1. podman's settings for this kind of machine, in /etc/containers/containers.conf.d/pgstandby-tests.conf
#      (rewritten only when it differs): runtime runc (crun fails with "cgroups in hybrid mode not
#      supported"), cgroupfs and a file events log (no systemd), and default ulimits within this
#      machine's hard limits (podman's defaults fail with "error setting rlimit").
#   2. docker.io/library/debian:bookworm-slim, when missing: `debootstrap --variant=minbase bookworm`
#      from the Debian mirror apt uses here, imported as one layer, with the official image's apt
#      sources (bookworm, bookworm-updates, bookworm-security).
#   3. mcr.microsoft.com/dotnet/sdk:10.0, when missing: that Debian plus ca-certificates, libicu72 and
#      this machine's own .NET SDK (the folder `dotnet` runs from), and this machine's extra CA
#      certificates (/usr/local/share/ca-certificates), without which `dotnet restore` inside the
#      build fails with UntrustedRoot. Only the build stage uses this image: the shipped (final)
#      stage starts from the Debian image alone and never carries these certificates.
# An image that exists under those names (the real ones, or the stand-ins of an earlier run) is kept.
# Remove a stand-in with `podman rmi NAME` to make it again. Needs podman, runc, debootstrap. Run as root.
set -euo pipefail

DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim
SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
DROP_IN=/etc/containers/containers.conf.d/pgstandby-tests.conf

log() { printf 'image-bases: %s\n' "$*" >&2; }
die() { printf 'image-bases: error: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must be run as root"
for tool in podman runc debootstrap; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install podman runc debootstrap)"
done

# ---- 1. podman's settings -----------------------------------------------------
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[[ $nofile == unlimited ]] && nofile=1048576
[[ $nproc == unlimited || $nproc -gt 16384 ]] && nproc=16384
settings="# Written by tests/world/image-bases.sh: podman on a machine without systemd and with hybrid cgroups.
[containers]
default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]

[engine]
runtime = \"runc\"
cgroup_manager = \"cgroupfs\"
events_logger = \"file\""
if [[ $(cat "$DROP_IN" 2>/dev/null) != "$settings" ]]; then
    log "writing $DROP_IN"
    install -d -m 755 "${DROP_IN%/*}"
    printf '%s\n' "$settings" >"$DROP_IN"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- 2. Debian 12 slim --------------------------------------------------------
if podman image exists "$DEBIAN_IMAGE"; then
    log "$DEBIAN_IMAGE exists"
else
    # shellcheck disable=SC2016 # $(REPO_URI) is apt's placeholder, not the shell's
    mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | awk '$2 == "bookworm" && !m {m = $1} END {print m}')
    [[ -n $mirror ]] || die "apt has no bookworm source to debootstrap from (apt-get update first?)"
    log "making $DEBIAN_IMAGE: debootstrap --variant=minbase bookworm from $mirror (a few minutes)"
    debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
    rm -f "$work/rootfs/etc/apt/sources.list"
    cat >"$work/rootfs/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -rf "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/cache/apt/archives/"*.deb
    tar -C "$work/rootfs" -c . | podman import -q --change 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
    rm -rf "$work/rootfs"
fi

# ---- 3. .NET 10 SDK -----------------------------------------------------------
if podman image exists "$SDK_IMAGE"; then
    log "$SDK_IMAGE exists"
else
    dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
    [[ -d $dotnet_root/sdk ]] || die "no .NET SDK on this machine to copy (dotnet runs from $dotnet_root)"
    log "making $SDK_IMAGE from $DEBIAN_IMAGE and this machine's SDK in $dotnet_root"
    mkdir -p "$work/context/ca"
    find /usr/local/share/ca-certificates -name '*.crt' -exec cp {} "$work/context/ca/" \;
    cat >"$work/context/Containerfile" <<EOF
FROM $DEBIAN_IMAGE
RUN set -eux; \\
    apt-get update; \\
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata; \\
    rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
RUN set -eux; \\
    update-ca-certificates; \\
    cp -a /mnt/dotnet /usr/share/dotnet; \\
    ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet; \\
    dotnet --list-sdks
ENV DOTNET_ROOT=/usr/share/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
CMD ["bash"]
EOF
    podman build --format docker --network=host --volume "$dotnet_root:/mnt/dotnet:ro" \
        -t "$SDK_IMAGE" "$work/context" >"$work/build.log" 2>&1 \
        || { tail -n 30 "$work/build.log" >&2; die "building $SDK_IMAGE failed"; }
fi
log "ready"
