#!/usr/bin/env bash
# The FUSE filesystem over zstor against local disk: six zdb servers as separate processes on loopback,
# then, in one JVM, a snapshot of SIZE MiB of incompressible files, time to first read against a full
# restore, sequential MB/s and random 4 KiB latency cold and warm, through the mount and on local disk.
# With -b healthy: time to a healthy node (a RocksDB-backed chain node of SIZE MiB) started thin from its
# snapshot against the same node started after a full restore.
#
#   bench/scripts/fs-bench.sh [-b reads|healthy] [-s SIZE_MIB] [-c CACHE_MIB]
#
# Run as root: "cold" drops the kernel page cache, and mounting needs /dev/fuse. See
# dev.quilt.bench.fs.FsBenchmark and dev.quilt.bench.fs.TimeToHealthy for what each figure measures.
set -euo pipefail
cd "$(dirname "$0")/../.."

bench=reads
size=1024
cache=2048
while getopts "b:s:c:" opt; do
  case "$opt" in
    b) bench=$OPTARG ;;
    s) size=$OPTARG ;;
    c) cache=$OPTARG ;;
    *) echo "usage: $0 [-b reads|healthy] [-s SIZE_MIB] [-c CACHE_MIB]" >&2; exit 2 ;;
  esac
done
case "$bench" in
  reads) main=dev.quilt.bench.fs.FsBenchmark ;;
  healthy) main=dev.quilt.bench.fs.TimeToHealthy ;;
  *) echo "error: -b $bench: expected reads or healthy" >&2; exit 2 ;;
esac

command -v redis-cli >/dev/null || { echo "error: redis-cli not found (apt-get install redis-tools)" >&2; exit 3; }
[ -e /dev/fuse ] || { echo "error: /dev/fuse is missing" >&2; exit 3; }
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$java" ] || { echo "error: no Java 25 at $java (set JAVA_HOME)" >&2; exit 3; }

./quilt --version >/dev/null   # builds the cli jar now, not inside the timed runs
./mvnw -B -q -pl bench -am package -DskipTests

work=$(mktemp -d)
pids=()
cleanup() {
  fusermount3 -u "$work/mnt" 2>/dev/null || umount -l "$work/mnt" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT

ports=(29941 29942 29943 29944 29945 29946)
for port in "${ports[@]}"; do
  mkdir -p "$work/$port"
  ./quilt zdb --listen 127.0.0.1 --port "$port" --mode user --data "$work/$port/data" --index "$work/$port/index" \
    >"$work/$port.log" 2>&1 &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 600); do redis-cli -p "$port" PING >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" PING >/dev/null || { echo "error: zdb on port $port did not start; log:" >&2; cat "$work/$port.log" >&2; exit 4; }
done

echo "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) vCPU, load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | head -1)"
# shellcheck disable=SC2086
"$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g ${FS_BENCH_JVM_OPTS:-} \
  -cp bench/target/bench.jar "$main" "$size" "$cache" "$work" "${ports[@]}"
