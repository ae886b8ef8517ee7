#!/usr/bin/env bash
# Chain throughput and finality: three validators in one JVM (real Ratis over loopback, RocksDB each),
# with the single-thread Ed25519 verification rate measured first in the same run as the peer figure.
#
#   bench/scripts/chain-throughput.sh [-s SENDERS] [-n TRANSFERS_PER_SENDER] [-v VERIFIES]
#
# See dev.quilt.bench.chain.ChainThroughput for what each figure measures.
set -euo pipefail
cd "$(dirname "$0")/../.."

senders=256
per_sender=10
verifies=20000
while getopts "s:n:v:" opt; do
  case "$opt" in
    s) senders=$OPTARG ;;
    n) per_sender=$OPTARG ;;
    v) verifies=$OPTARG ;;
    *) echo "usage: $0 [-s SENDERS] [-n TRANSFERS_PER_SENDER] [-v VERIFIES]" >&2; exit 2 ;;
  esac
done

java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$java" ] || { echo "error: no Java 25 at $java (set JAVA_HOME)" >&2; exit 3; }

./mvnw -B -q -pl bench -am package -DskipTests

echo "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) vCPU, load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | head -1)"
# Ratis logs on stderr; the figures are on stdout.
"$java" -Xmx1g -cp bench/target/bench.jar dev.quilt.bench.chain.ChainThroughput "$senders" "$per_sender" "$verifies" 2>/dev/null
