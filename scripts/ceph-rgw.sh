#!/usr/bin/env bash
# A throw-away single-node Ceph cluster with the RADOS Gateway (S3) on 127.0.0.1, for the
# integration tests: one monitor, one OSD on memstore (RAM only), radosgw with the beast frontend,
# no auth between daemons, no manager. Nothing listens on other interfaces.
#
#   scripts/ceph-rgw.sh run      # start, print the connection settings, stay in the foreground;
#                                # SIGTERM/SIGINT/SIGHUP stop the cluster and delete the state directory
#   scripts/ceph-rgw.sh start    # the same in the background (detached; idempotent), print the settings
#   scripts/ceph-rgw.sh status   # exit 0 and print the settings if the gateway answers
#   scripts/ceph-rgw.sh stop     # stop the daemons and delete the state directory
#
# The daemons run with -f (no daemonizing) as children of the `run` shell, so the whole cluster is
# one process group: the test harness starts `run` in a process group of its own and can always end
# every daemon with it (kill -- -PGID), even when this shell was killed with SIGKILL. If a daemon
# exits on its own, `run` stops the others and exits non-zero.
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

# Whether the pid in file $1 runs and belongs to this state directory: a stale pid file may name a
# pid the system has since given to another process. Daemons have "-c $CONF" on their command line,
# the `run` supervisor has LEASEHOLD_RGW_DIR=$DIR in its environment.
pid_alive() {
    local f="$1" pid
    [[ -f "$f" ]] || return 1
    pid="$(cat "$f")"
    kill -0 "$pid" 2>/dev/null || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 0
    # grep -z reads NUL-separated entries; no pipe from tr, whose SIGPIPE pipefail would count as failure
    grep -qxzF -- "$CONF" "/proc/$pid/cmdline" 2>/dev/null && return 0
    grep -qxzF -- "LEASEHOLD_RGW_DIR=$DIR" "/proc/$pid/environ" 2>/dev/null
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
    # A deadline, not a count of tries: one try may itself take seconds (ceph --connect-timeout).
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
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

# The daemons' pid files (written by this script: the daemons run in the foreground and write none).
DAEMONS=(client.rgw osd.0 mon.a)

# Stops the daemons one after the other, gateway first (each TERM, then KILL after 10 s), and deletes
# the state directory. In this order each one exits within a second; a gateway that gets TERM while
# the OSD is going away too took more than 10 s.
stop_daemons() {
    local name pidfile
    for name in "${DAEMONS[@]}"; do
        pidfile="$DIR/run/$name.pid"
        if pid_alive "$pidfile"; then
            kill "$(cat "$pidfile")" 2>/dev/null || true
        fi
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
}

cmd_stop() {
    # A `run` supervisor (here or detached by `start`) stops its own cluster on SIGTERM.
    local supervisor="$DIR/run/supervisor.pid"
    if pid_alive "$supervisor"; then
        kill "$(cat "$supervisor")" 2>/dev/null || true
        for _ in $(seq 1 150); do
            pid_alive "$supervisor" || break
            sleep 0.2
        done
    fi
    stop_daemons
    rm -f "$DIR.run.log"
    log "stopped"
}

# Starts one daemon in the foreground of a background job: it stays a child of this shell and in its
# process group (no daemonizing, which would move it to a session of its own).
start_daemon() {
    local name="$1"
    shift
    "$@" -f >"$DIR/log/$name.out" 2>&1 &
    echo "$!" >"$DIR/run/$name.pid"
}

cmd_run() {
    for bin in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool; do
        command -v "$bin" >/dev/null || { log "$bin not found: run scripts/install-ceph.sh (as root)"; exit 3; }
    done
    if [[ -d "$DIR" ]]; then
        cmd_stop
    fi
    mkdir -p "$DIR"/{run,log,mon,osd,rgw}
    echo "$$" >"$DIR/run/supervisor.pid"
    # From here on, however this shell ends (signal, failed start, a daemon that died), the cluster goes.
    trap 'stop_daemons; log "stopped"' EXIT
    trap 'exit 0' TERM INT HUP

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
    start_daemon mon.a ceph-mon -c "$CONF" -i a
    wait_for "the monitor" 30 ceph -c "$CONF" --connect-timeout 5 mon stat

    local osd_id
    osd_id=$(ceph -c "$CONF" osd new "$osd_uuid")
    [[ "$osd_id" == "0" ]] || { log "unexpected OSD id $osd_id"; exit 1; }
    mkdir -p "$DIR/osd/ceph-0"
    ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1
    start_daemon osd.0 ceph-osd -c "$CONF" -i 0
    wait_for "the OSD" 60 osd_up

    start_daemon client.rgw radosgw -c "$CONF" -n client.rgw
    wait_for "the gateway on port $rgw_port" 90 curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$rgw_port"
    radosgw-admin -c "$CONF" user create --uid=leasehold --display-name=leasehold \
        --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
    # The settings file appears only once the gateway is ready: `start` and `status` wait for it.
    cat >"$ENV_FILE.tmp" <<ENV
LEASEHOLD_RGW_ENDPOINT=http://127.0.0.1:$rgw_port
LEASEHOLD_RGW_ACCESS_KEY=$ACCESS_KEY
LEASEHOLD_RGW_SECRET_KEY=$SECRET_KEY
ENV
    mv "$ENV_FILE.tmp" "$ENV_FILE"
    cat "$ENV_FILE"

    local pids=()
    for name in "${DAEMONS[@]}"; do
        pids+=("$(cat "$DIR/run/$name.pid")")
    done
    # Returns when a daemon exits (then the EXIT trap stops the others) or a signal arrives.
    set +e
    wait -n "${pids[@]}"
    log "a daemon exited on its own (status $?); stopping the cluster (logs in $DIR/log)"
    exit 1
}

cmd_start() {
    if gateway_answers; then
        cat "$ENV_FILE"
        return 0
    fi
    if [[ -d "$DIR" ]]; then
        cmd_stop # a dead cluster's state, including its settings file
    fi
    # A detached supervisor in a session of its own, so that it outlives this shell and its terminal.
    local out="$DIR.run.log"
    mkdir -p "$(dirname "$DIR")"
    LEASEHOLD_RGW_DIR="$DIR" setsid bash "$0" run </dev/null >"$out" 2>&1 &
    local supervisor=$!
    for _ in $(seq 1 900); do
        if [[ -f "$ENV_FILE" ]] && kill -0 "$supervisor" 2>/dev/null; then
            cat "$ENV_FILE"
            return 0
        fi
        if ! kill -0 "$supervisor" 2>/dev/null; then
            log "the cluster did not start:"
            cat "$out" >&2
            return 1
        fi
        sleep 0.2
    done
    log "timed out after 180 s waiting for the gateway (see $out)"
    kill "$supervisor" 2>/dev/null || true
    return 1
}

case "${1:-}" in
    run) cmd_run ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 run|start|stop|status" >&2; exit 2 ;;
esac
