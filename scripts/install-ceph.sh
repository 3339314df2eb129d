#!/usr/bin/env bash
# Installs the Ceph packages the RGW integration tests need (Debian 12: Ceph 16.2.x):
# a monitor, an OSD (memstore), radosgw and the admin tools. Needs root (or sudo).
# About 60 MB download and 300 MB on disk; roughly 20 s on a warm mirror.
#
#   scripts/install-ceph.sh            # install if missing
#   scripts/install-ceph.sh --check    # exit 0 if installed, 1 if not
set -euo pipefail

PACKAGES=(radosgw ceph-mon ceph-osd ceph-common)

installed() {
    command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null \
        && command -v radosgw >/dev/null && command -v radosgw-admin >/dev/null
}

if [[ "${1:-}" == "--check" ]]; then
    installed
    exit $?
fi

if installed; then
    echo "ceph packages already installed: $(ceph-mon --version 2>/dev/null | head -1)"
    exit 0
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
    if command -v sudo >/dev/null; then
        SUDO="sudo"
    else
        echo "install-ceph.sh: need root (or sudo) to install ${PACKAGES[*]}" >&2
        exit 2
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
installed || { echo "install-ceph.sh: packages installed but binaries not found on PATH" >&2; exit 1; }
echo "installed: $(ceph-mon --version | head -1)"
