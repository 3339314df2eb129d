#!/usr/bin/env bash
# A throw-away single-node Ceph cluster with the RADOS Gateway (S3) on 127.0.0.1, for the
# integration tests: one monitor, one OSD on memstore (RAM only), radosgw with the beast frontend,
# no auth between daemons, no manager. Nothing listens on other interfaces.
#
#   scripts/ceph-rgw.sh start    # start (idempotent) and print the connection settings
#   scripts/ceph-rgw.sh status   # exit 0 and print the settings if the gateway answers
#   scripts/ceph-rgw.sh stop     # stop the daemons and delete the state directory
#
# Environment:
#   LEASEHOLD_RGW_DIR   state directory (default /tmp/leasehold-rgw-$UID)
#   LEASEHOLD_RGW_PORT  gateway port (default: a free port)
#   LEASEHOLD_RGW_MEMSTORE_BYTES  the OSD's RAM store (default 1 GiB; the large-object runs need more)
#
# `start` writes $LEASEHOLD_RGW_DIR/env with LEASEHOLD_RGW_ENDPOINT, LEASEHOLD_RGW_ACCESS_KEY and
# LEASEHOLD_RGW_SECRET_KEY (a local test user; no real credentials involved).
# Needs the Debian packages from scripts/install-ceph.sh. Start takes about 15-20 s.
set -euo pipefail

DIR="${LEASEHOLD_RGW_DIR:-/tmp/leasehold-rgw-$(id -u)}"
CONF="$DIR/ceph.conf"
ENV_FILE="$DIR/env"
ACCESS_KEY="leasehold-test-access"
SECRET_KEY="leasehold-test-secret-not-a-real-key"

log() { echo "ceph-rgw.sh: $*" >&2; }

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$(( 20000 + RANDOM % 30000 ))
        if ! ss -Htln "sport = :$port" | grep -q .; then
            echo "$port"
            return 0
        fi
    done
    log "no free port found"
    return 1
}

pid_alive() {
    local f="$1"
    [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

gateway_answers() {
    [[ -f "$ENV_FILE" ]] || return 1
    # shellcheck disable=SC1090
    source "$ENV_FILE"
    curl -s -o /dev/null --max-time 2 "$LEASEHOLD_RGW_ENDPOINT"
}

wait_for() {
    local what="$1" seconds="$2"
    shift 2
    for _ in $(seq 1 $((seconds * 5))); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    log "timed out after ${seconds}s waiting for $what (logs in $DIR/log)"
    return 1
}

osd_up() {
    ceph -c "$CONF" --connect-timeout 5 osd stat 2>/dev/null | grep -q "1 up"
}

cmd_status() {
    if gateway_answers; then
        cat "$ENV_FILE"
        return 0
    fi
    log "not running (state directory $DIR)"
    return 1
}

cmd_stop() {
    local name
    for name in client.rgw osd.0 mon.a; do
        local pidfile="$DIR/run/$name.pid"
        if pid_alive "$pidfile"; then
            kill "$(cat "$pidfile")" 2>/dev/null || true
        fi
    done
    for name in client.rgw osd.0 mon.a; do
        local pidfile="$DIR/run/$name.pid"
        for _ in $(seq 1 50); do
            pid_alive "$pidfile" || break
            sleep 0.2
        done
        if pid_alive "$pidfile"; then
            kill -9 "$(cat "$pidfile")" 2>/dev/null || true
        fi
    done
    if [[ -d "$DIR" && -f "$CONF" ]]; then
        rm -rf "$DIR"
    fi
    log "stopped"
}

cmd_start() {
    for bin in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool; do
        command -v "$bin" >/dev/null || { log "$bin not found: run scripts/install-ceph.sh (as root)"; exit 3; }
    done
    if gateway_answers; then
        cat "$ENV_FILE"
        return 0
    fi
    if [[ -d "$DIR" ]]; then
        cmd_stop
    fi
    mkdir -p "$DIR"/{run,log,mon,osd,rgw}
    local mon_port rgw_port fsid osd_uuid
    mon_port=$(free_port)
    rgw_port="${LEASEHOLD_RGW_PORT:-$(free_port)}"
    fsid=$(uuidgen)
    osd_uuid=$(uuidgen)

    cat >"$CONF" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
public network = 127.0.0.1/32
cluster network = 127.0.0.1/32
ms bind msgr1 = false
ms bind msgr2 = true
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms client mode = crc
ms cluster mode = crc
ms service mode = crc
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
log to stderr = false
err to stderr = false
keyring = $DIR/keyring
debug ms = 0/0
debug mon = 0/0
debug osd = 0/0
debug rgw = 0/0

[mon]
mon data = $DIR/mon/\$cluster-\$id

[osd]
osd data = $DIR/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = ${LEASEHOLD_RGW_MEMSTORE_BYTES:-1073741824}
osd max object name len = 2048
osd max object namespace len = 256

[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $DIR/rgw
rgw enable usage log = false
rgw dns name = 127.0.0.1
CONF
    : >"$DIR/keyring"

    monmaptool --create --addv a "[v2:127.0.0.1:$mon_port]" --fsid "$fsid" "$DIR/monmap" >/dev/null
    ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" >/dev/null
    ceph-mon -c "$CONF" -i a
    wait_for "the monitor" 30 ceph -c "$CONF" --connect-timeout 5 mon stat

    local osd_id
    osd_id=$(ceph -c "$CONF" osd new "$osd_uuid")
    [[ "$osd_id" == "0" ]] || { log "unexpected OSD id $osd_id"; exit 1; }
    mkdir -p "$DIR/osd/ceph-0"
    ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1
    ceph-osd -c "$CONF" -i 0
    wait_for "the OSD" 60 osd_up

    radosgw -c "$CONF" -n client.rgw
    cat >"$ENV_FILE" <<ENV
LEASEHOLD_RGW_ENDPOINT=http://127.0.0.1:$rgw_port
LEASEHOLD_RGW_ACCESS_KEY=$ACCESS_KEY
LEASEHOLD_RGW_SECRET_KEY=$SECRET_KEY
ENV
    wait_for "the gateway on port $rgw_port" 90 gateway_answers
    radosgw-admin -c "$CONF" user create --uid=leasehold --display-name=leasehold \
        --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
    cat "$ENV_FILE"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
