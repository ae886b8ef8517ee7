#!/usr/bin/env bash
# Reed-Solomon on one core, side by side: Intel ISA-L (C, bench/isal/ec_bench.c) and zstor's Java coder
# (bench ReedSolomonBenchmark: kernel chosen for this CPU; add "-p coder=preferred,scalar,hadoop" to the
# JMH options for the scalar kernel and Hadoop's pure-Java RSRawEncoder/RSRawDecoder), for 4+2, 10+5 and
# 16+4 on 1 MiB shards.
#
#   bench/scripts/rs-vs-isal.sh [-n ROUNDS] [-c CPU] [-s SECONDS_PER_ISAL_FIGURE] [-j "JMH OPTIONS"]
#
# This machine is shared and noisy, so the peers alternate: ISA-L, JMH, ISA-L, JMH, ..., ISA-L (ROUNDS
# JMH runs, default 3), with the same CPU affinity (default none; -c CPU pins both to one CPU with
# taskset, which also puts the JVM's JIT and GC threads on that CPU, so the JMH warm-up gets longer).
# Each JMH round is compared with the mean of the ISA-L runs either side of it; the tables give every
# round's ratio and their median, and the load average at each step goes to stderr. Two tables: mean
# throughput over the run (what a loaded machine gave each peer), and the fastest single call (JMH's
# sample mode p0 and ec_bench's fastest call: what each does when the scheduler leaves it alone). GB/s =
# 10^9 bytes of data read per second (k x 1 MiB per call). Needs gcc, Debian's libisal-dev, python3, taskset, and Java 25 (JAVA_HOME or
# the Temurin path below).
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=3
cpu=
seconds=3
jmh_opts="-f 1 -wi 5 -w 1 -i 4 -r 1 -bm sample -p coder=preferred"
while getopts "n:c:s:j:" opt; do
  case "$opt" in
    n) rounds=$OPTARG ;;
    c) cpu=$OPTARG ;;
    s) seconds=$OPTARG ;;
    j) jmh_opts=$OPTARG ;;
    *) echo "usage: $0 [-n ROUNDS] [-c CPU] [-s SECONDS] [-j \"JMH OPTIONS\"]" >&2; exit 2 ;;
  esac
done
pin=()
[ -n "$cpu" ] && pin=(taskset -c "$cpu")

java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$java" ] || { echo "error: no Java 25 at $java (set JAVA_HOME)" >&2; exit 3; }
[ -f /usr/include/isa-l/erasure_code.h ] || { echo "error: ISA-L headers missing (apt-get install libisal-dev)" >&2; exit 3; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -O2 -Wall -o "$work/ec_bench" bench/isal/ec_bench.c -lisal
./mvnw -B -q -pl bench -am package -DskipTests

echo "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) vCPU; $("$java" -version 2>&1 | head -1); pinned: ${cpu:-no}" >&2
isal_round() {
  echo "# ISA-L run $1, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  "${pin[@]}" "$work/ec_bench" 1048576 "$seconds" | tee "$work/isal$1.txt" >&2
}
isal_round 0
for r in $(seq 1 "$rounds"); do
  echo "# JMH round $r: ReedSolomonBenchmark $jmh_opts, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  # shellcheck disable=SC2086
  "${pin[@]}" "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -jar bench/target/bench.jar ReedSolomonBenchmark $jmh_opts -rf json -rff "$work/jmh$r.json" >&2
  isal_round "$r"
done

python3 - "$work" "$rounds" <<'PY'
import json, sys, statistics
work, rounds = sys.argv[1], int(sys.argv[2])
def isal(i):
    out = {}
    for line in open(f"{work}/isal{i}.txt"):
        _, op, geo, gbs, _, best = line.split()
        out[(op, geo, "mean")] = float(gbs)
        out[(op, geo, "best")] = float(best)
    return out
def jmh(r):
    out = {}
    for b in json.load(open(f"{work}/jmh{r}.json")):
        op = b["benchmark"].rsplit(".", 1)[1]
        p = b["params"]
        m = b["primaryMetric"]
        if not m["scoreUnit"].startswith("s/"):
            sys.exit(f"expected JMH sample mode in seconds per op, got {m['scoreUnit']}")
        data = int(p["geometry"].split("+")[0]) * int(p["shardBytes"]) / 1e9
        out[(op, p["geometry"], p["coder"], "mean")] = data / m["score"]
        out[(op, p["geometry"], p["coder"], "best")] = data / m["scorePercentiles"]["0.0"]
    return out
isals = [isal(i) for i in range(rounds + 1)]
jmhs = [jmh(r) for r in range(1, rounds + 1)]
coders = sorted({c for j in jmhs for (_, _, c, _) in j},
                key=lambda c: ["preferred", "scalar", "hadoop"].index(c) if c in ("preferred", "scalar", "hadoop") else 9)
for stat, title in (("mean", "mean throughput"), ("best", "fastest call")):
    print(f"\n{title}:\n")
    head = " | ".join(f"round {r}: ISA-L / zstor GB/s (ratio)" for r in range(1, rounds + 1))
    print(f"| op | k+m | {head} | median zstor / ISA-L |" + "".join(f" {c} GB/s (rounds) |" for c in coders if c != "preferred"))
    print("|---|---|" + "---|" * rounds + "---|" + "---|" * (len(coders) - 1))
    for op in ("encode", "decode"):
        for geo in ("4+2", "10+5", "16+4"):
            cells, ratios = [], []
            for r in range(rounds):
                i = statistics.mean([isals[r][(op, geo, stat)], isals[r + 1][(op, geo, stat)]])
                z = jmhs[r].get((op, geo, "preferred", stat), float("nan"))
                ratios.append(z / i)
                cells.append(f"{i:.2f} / {z:.2f} ({z / i:.0%})")
            others = [", ".join(f"{j.get((op, geo, c, stat), float('nan')):.2f}" for j in jmhs)
                      for c in coders if c != "preferred"]
            print(f"| {op} | {geo} | " + " | ".join(cells) + f" | {statistics.median(ratios):.0%} |"
                  + "".join(f" {o} |" for o in others))
PY
