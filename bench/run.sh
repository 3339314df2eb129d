#!/usr/bin/env bash
# Runs the benchmarks and writes bench/results/YYYY-MM-DD-MACHINE.md:
#   1. builds the bench module and what it needs (no install),
#   2. JMH: S3, Azure and memory paths over stub transports, GC profiler,
#   3. the contention harness on memory, file, Azurite (started here) and Ceph RGW
#      (LEASEHOLD_RGW_ENDPOINT / _ACCESS_KEY / _SECRET_KEY, else skipped),
#   4. the report.
# Usage: bench/run.sh [--machine NAME] [--quick] [--jmh-args "…"] [--reuse-jmh FILE.json]
#                     [contention options, see ContentionMain: --stores, --writers, --modes, --strategies,
#                      --warmup-ms, --window-ms, --processes]
#   --quick: short JMH iterations and short contention windows (a few minutes, for trying it out).
#   --reuse-jmh: report the JMH results in FILE (written by an earlier run) instead of running JMH again.
#   --jmh-before FILE.json: add a before/after table of the overhead against an earlier JMH result.
#   --probe W,M,R: OverheadProbe settings (warm-up ops, ops per round, rounds); default 20000,2000,5.
# Everything listens on 127.0.0.1 only, and every loop is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

machine="$(hostname | tr -c 'A-Za-z0-9-\n' '-')"
jmh_args="-wi 5 -w 2s -i 5 -r 2s -f 1"
probe="20000,2000,5"
extra=()
reuse=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --machine) machine="$2"; shift 2 ;;
    --jmh-args) jmh_args="$2"; shift 2 ;;
    --reuse-jmh) reuse="$2"; shift 2 ;;
    --jmh-before) extra+=(--jmh-before "$2"); shift 2 ;;
    --quick) jmh_args="-wi 2 -w 1s -i 2 -r 1s -f 1"; probe="3000,500,3"; extra+=(--warmup-ms 1000 --window-ms 3000); shift ;;
    --probe) probe="$2"; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done

mvn -B -q -pl bench -am package -DskipTests
(cd azure-adapter/azurite && node install-if-stale.js)
# Run from a copy of the classes and the reactor's jars, so that a rebuild during the run cannot break it.
snapshot="bench/target/run-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$snapshot" bench/target/results
cp -r bench/target/classes "$snapshot/classes"
cp="$snapshot/classes"
for entry in $(tr ':' '\n' < bench/target/run.classpath); do
  case "$entry" in
    "$PWD"/*) cp -r "$entry" "$snapshot/"; cp="$cp:$snapshot/$(basename "$entry")" ;;
    *) cp="$cp:$entry" ;;
  esac
done
json="bench/target/results/jmh-$(date -u +%Y%m%dT%H%M%S).json"

if [[ -n "$reuse" ]]; then
  cp "$reuse" "$json"
  jmh_args="(reused from $(basename "$reuse"))"
else
  echo "== JMH ($jmh_args)"
  # shellcheck disable=SC2086
  java -cp "$cp" org.openjdk.jmh.Main $jmh_args -prof gc -rf json -rff "$json" 'S3Bench|AzureBench|MemoryBench'
fi

echo "== contention harness and report"
java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$cp" io.leasehold.bench.ReportMain --jmh-json "$json" --jmh-args "$jmh_args" \
  --out bench/results --machine "$machine" --azurite-home azure-adapter/azurite --probe "$probe" "${extra[@]}"
cp "$json" "bench/results/$(date -u +%Y-%m-%d)-$machine-jmh.json"
