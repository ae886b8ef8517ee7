#!/usr/bin/env bash
# Whole-process zstor benchmark: six zdb servers as separate processes on loopback, then, in one client
# JVM, plain zdb SETs and GETs against zstor store and retrieve of the same bytes (k = 4, m = 2).
#
#   bench/scripts/zstor-e2e.sh [-s SIZE_MIB] [-r ROUNDS]
#
# The object is incompressible (seeded random bytes), so zstd's attempt on each stripe is paid and
# saves nothing. Metadata lives in a "meta" namespace on three of the six servers. See
# dev.quilt.bench.zstor.ZstorEndToEnd for what each figure measures.
set -euo pipefail
cd "$(dirname "$0")/../.."

size=512
rounds=3
while getopts "s:r:" opt; do
  case "$opt" in
    s) size=$OPTARG ;;
    r) rounds=$OPTARG ;;
    *) echo "usage: $0 [-s SIZE_MIB] [-r ROUNDS]" >&2; exit 2 ;;
  esac
done

command -v redis-cli >/dev/null || { echo "error: redis-cli not found (apt-get install redis-tools)" >&2; exit 3; }
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$java" ] || { echo "error: no Java 25 at $java (set JAVA_HOME)" >&2; exit 3; }

./quilt --version >/dev/null   # builds the cli jar now, not inside the timed runs
./mvnw -B -q -pl bench -am package -DskipTests

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

ports=(29931 29932 29933 29934 29935 29936)
for port in "${ports[@]}"; do
  mkdir -p "$work/$port"
  ./quilt zdb --listen 127.0.0.1 --port "$port" --mode user --data "$work/$port/data" --index "$work/$port/index" \
    >"$work/$port.log" 2>&1 &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 300); do redis-cli -p "$port" PING >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" PING >/dev/null || { echo "error: zdb on port $port did not start; log:" >&2; cat "$work/$port.log" >&2; exit 4; }
done

echo "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) vCPU, load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | head -1)"
# shellcheck disable=SC2086
"$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g ${E2E_JVM_OPTS:-} \
  -cp bench/target/bench.jar dev.quilt.bench.zstor.ZstorEndToEnd "$size" "$rounds" "${ports[@]}"
