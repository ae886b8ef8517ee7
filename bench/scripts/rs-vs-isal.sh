#!/usr/bin/env bash
# Reed-Solomon on one core, side by side in one run: Intel ISA-L (C, bench/isal/ec_bench.c), zstor's
# Java coder (kernel chosen for this CPU, and scalar) and Hadoop's pure-Java RSRawEncoder/RSRawDecoder
# (bench ReedSolomonBenchmark), for 4+2, 10+5 and 16+4 on 1 MiB shards.
#
#   bench/scripts/rs-vs-isal.sh [-s SECONDS_PER_ISAL_FIGURE] [-j "JMH OPTIONS"]
#
# ISA-L runs before and after the JMH run, since this machine is shared and noisy; the table prints
# both ISA-L rounds and compares against their mean. GB/s = 10^9 bytes of data read per second
# (k x 1 MiB per call). Needs gcc, Debian's libisal-dev, python3, and Java 25 (JAVA_HOME or the
# Temurin path below).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=3
jmh_opts="-f 1 -wi 3 -w 2 -i 5 -r 2"
while getopts "s:j:" opt; do
  case "$opt" in
    s) seconds=$OPTARG ;;
    j) jmh_opts=$OPTARG ;;
    *) echo "usage: $0 [-s SECONDS] [-j \"JMH OPTIONS\"]" >&2; exit 2 ;;
  esac
done

java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$java" ] || { echo "error: no Java 25 at $java (set JAVA_HOME)" >&2; exit 3; }
[ -f /usr/include/isa-l/erasure_code.h ] || { echo "error: ISA-L headers missing (apt-get install libisal-dev)" >&2; exit 3; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -O2 -Wall -o "$work/ec_bench" bench/isal/ec_bench.c -lisal
./mvnw -B -q -pl bench -am package -DskipTests

echo "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) vCPU; $("$java" -version 2>&1 | head -1)" >&2
echo "# ISA-L round 1" >&2
"$work/ec_bench" 1048576 "$seconds" | tee "$work/isal1.txt" >&2
echo "# JMH: ReedSolomonBenchmark $jmh_opts" >&2
# shellcheck disable=SC2086
"$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -jar bench/target/bench.jar ReedSolomonBenchmark $jmh_opts -rf json -rff "$work/jmh.json" >&2
echo "# ISA-L round 2" >&2
"$work/ec_bench" 1048576 "$seconds" | tee "$work/isal2.txt" >&2

python3 - "$work" <<'PY'
import json, sys, statistics
work = sys.argv[1]
isal = {}
for name in ("isal1.txt", "isal2.txt"):
    for line in open(f"{work}/{name}"):
        _, op, geo, gbs, _ = line.split()
        isal.setdefault((op, geo), []).append(float(gbs))
java = {}
for r in json.load(open(f"{work}/jmh.json")):
    op = r["benchmark"].rsplit(".", 1)[1]
    p = r["params"]
    k = int(p["geometry"].split("+")[0])
    scale = k * int(p["shardBytes"]) / 1e9
    m = r["primaryMetric"]
    java[(op, p["geometry"], p["coder"])] = (m["score"] * scale, m["scoreError"] * scale)
coders = sorted({c for (_, _, c) in java}, key=lambda c: ["preferred", "scalar", "hadoop"].index(c)
                if c in ("preferred", "scalar", "hadoop") else 9)
print("| op | k+m | ISA-L GB/s (round 1, round 2) | " + " | ".join(f"{c} GB/s" for c in coders)
      + " | preferred / ISA-L | preferred / hadoop |")
print("|---|---|---|" + "---|" * len(coders) + "---|---|")
for op in ("encode", "decode"):
    for geo in ("4+2", "10+5", "16+4"):
        i = isal.get((op, geo), [])
        imean = statistics.mean(i) if i else float("nan")
        cells = []
        for c in coders:
            s, e = java.get((op, geo, c), (float("nan"), 0))
            cells.append(f"{s:.2f} ± {e:.2f}")
        pref = java.get((op, geo, "preferred"), (float("nan"), 0))[0]
        had = java.get((op, geo, "hadoop"), (float("nan"), 0))[0]
        print(f"| {op} | {geo} | {imean:.2f} ({', '.join(f'{x:.2f}' for x in i)}) | " + " | ".join(cells)
              + f" | {pref / imean:.0%} | {pref / had:.0f}× |")
PY
