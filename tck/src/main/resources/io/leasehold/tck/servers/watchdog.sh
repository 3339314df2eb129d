# Watchdog of one test server (POSIX sh, run by ServerProcess with `sh -c`). The JVM that started
# the server holds the other end of this script's standard input: the line "done" means the JVM
# stopped the server itself; end-of-file without it means the JVM is gone (exited without stopping
# it, crashed, or was killed with SIGKILL) and the server must go too.
#   $1 the server's leader pid   $2 "group" if the leader heads a process group of its own, else "pid"
#   $3 the server's token (environment LEASEHOLD_SERVER_TOKEN of all its processes)   $4 grace seconds
# Ignores the terminal's and the build's signals: a Ctrl-C reaches the whole foreground process
# group, and the watchdog must outlive the JVM to do its work.
trap '' HUP INT TERM QUIT PIPE
leader=$1 mode=$2 token=$3 grace=$4

if IFS= read -r line && [ "$line" = done ]; then
    exit 0
fi

# The pids of the server's processes: its process group, and every process with its token (the
# token also finds processes that left the group, e.g. daemons that start a session of their own).
# One ps and one grep for all processes: a fork per process took seconds on a busy machine.
members() {
    [ -d /proc ] || { echo "$leader"; return; }
    if [ "$mode" = group ]; then
        ps -e -o pid= -o pgid= | while read -r pid pgid; do
            [ "$pgid" = "$leader" ] && echo "$pid"
        done
    fi
    grep -lsxz "LEASEHOLD_SERVER_TOKEN=$token" /proc/[0-9]*/environ | while read -r file; do
        pid=${file#/proc/}
        echo "${pid%/environ}"
    done
}

# Running and not a zombie (a dead process its new parent has not reaped yet).
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    [ -r "/proc/$1/stat" ] || return 0
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    # shellcheck disable=SC2086
    set -- ${stat##*) }
    [ "$1" != Z ]
}

# First the leader alone, so that it can stop the rest in order (ceph-rgw.sh does); then, after the
# grace period, whatever is left, twice in case something forked in between.
kill -TERM "$leader" 2>/dev/null
ticks=$((grace * 5))
while [ "$ticks" -gt 0 ] && alive "$leader"; do
    sleep 0.2
    ticks=$((ticks - 1))
done
for round in 1 2; do
    for pid in $(members); do
        kill -KILL "$pid" 2>/dev/null
    done
    sleep 0.2
done
exit 0
