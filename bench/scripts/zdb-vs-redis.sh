#!/usr/bin/env bash
# Whole-process benchmark: zdb against Debian's redis-server (AOF everysec and AOF always), side by
# side on this machine, with redis-benchmark. Optionally 0-db itself when ZDB_PEER names its binary.
#
#   bench/scripts/zdb-vs-redis.sh [-n REQUESTS] [-r ROUNDS] [-t set,get] [-o docs/benchmarks.md]
#
# Every SET uses unique keys (-r 100000000): redis-benchmark's default single key makes zdb answer
# "identical value, nothing written", which measures no write at all. GET runs on the keys the SET
# pass wrote. Each server starts on a fresh directory and gets the same warm-up (one untimed pass of every
# test, whatever -t selects); each result is a single pass. -t times only the listed tests, so many rounds
# of GET do not wait for the --sync SETs. Besides the medians it prints every round's ratios, the load
# average at each round, and each server's CPU time per request (utime + stime from /proc/PID/stat).
# ZDB_FLAGS adds flags to both zdb servers, e.g. ZDB_FLAGS="--busy-poll 0" to measure without polling.
set -euo pipefail
cd "$(dirname "$0")/../.."

requests=200000
rounds=5
out=""
tests="set get"
while getopts "n:r:o:t:" opt; do
  case "$opt" in
    n) requests=$OPTARG ;;
    r) rounds=$OPTARG ;;
    o) out=$OPTARG ;;
    t) tests=${OPTARG//,/ } ;;
    *) echo "usage: $0 [-n REQUESTS] [-r ROUNDS] [-t set,get] [-o FILE]" >&2; exit 2 ;;
  esac
done
for t in $tests; do
  case "$t" in set|get) ;; *) echo "error: -t: unknown test '$t' (expected: set, get)" >&2; exit 2 ;; esac
done

for tool in redis-server redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install redis-server redis-tools)" >&2; exit 3; }
done

./quilt --version >/dev/null   # builds the jar now, not inside the timed runs
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_port() {
  for _ in $(seq 1 200); do
    redis-cli -p "$1" PING >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "error: nothing answers on port $1" >&2; exit 4
}

start() { # name port command...
  local name=$1 port=$2; shift 2
  mkdir -p "$work/$name"
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
}

# One rps figure from redis-benchmark -q --csv output: "SET","123456.79",...
rps() { # port test pipeline
  redis-benchmark -h 127.0.0.1 -p "$1" -t "$2" -n "$requests" -d 100 -c 50 -P "$3" -r 100000000 -q --csv 2>/dev/null \
    | awk -F'"' -v t="${2^^}" '$2==t {printf "%d", $4}'
}

declare -A port=( [zdb]=29911 [zdb-sync]=29914 [redis-everysec]=29912 [redis-always]=29913 [0-db]=29915 )
servers=(zdb zdb-sync redis-everysec redis-always)
read -r -a zdb_flags <<<"${ZDB_FLAGS:-}"
start zdb 29911 ./quilt zdb "${zdb_flags[@]}" --listen 127.0.0.1 --port 29911 --mode user --data "$work/zdb/data" --index "$work/zdb/index"
start zdb-sync 29914 ./quilt zdb "${zdb_flags[@]}" --listen 127.0.0.1 --port 29914 --mode user --sync --data "$work/zdb-sync/data" --index "$work/zdb-sync/index"
start redis-everysec 29912 redis-server --bind 127.0.0.1 --port 29912 --dir "$work/redis-everysec" --save "" --appendonly yes --appendfsync everysec
start redis-always 29913 redis-server --bind 127.0.0.1 --port 29913 --dir "$work/redis-always" --save "" --appendonly yes --appendfsync always
if [ -n "${ZDB_PEER:-}" ]; then
  start 0-db 29915 "$ZDB_PEER" --listen 127.0.0.1 --port 29915 --mode user --data "$work/0-db/data" --index "$work/0-db/index"
  servers+=(0-db)
fi

# Warm-up, the same for every server: one untimed pass of every test. A JVM compiles its hot paths during
# the first seconds of load, and recompiles when the load's shape changes (a pipeline depth it has not
# seen); what is compared is a long-running daemon.
for s in "${servers[@]}"; do
  for t in set get; do
    for p in 1 16; do
      redis-benchmark -h 127.0.0.1 -p "${port[$s]}" -t "$t" -n "$requests" -d 100 -c 50 -P "$p" -r 100000000 -q >/dev/null 2>&1 || true
    done
  done
done

# Interleaved rounds: every test runs on every server in turn, ROUNDS times, and the median is kept, so a
# slow minute of a shared machine hits all servers alike instead of one of them. Each round starts the
# turn at the next server: the first server after a test of another kind also meets the kernel still
# writing back what the --sync and AOF always servers wrote, and no server should always be first.
declare -A result samples cpu pid_of
for i in "${!servers[@]}"; do pid_of[${servers[$i]}]=${pids[$i]}; done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
loads=()
for round in $(seq 1 "$rounds"); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  for t in $tests; do
    for p in 1 16; do
      for k in "${!servers[@]}"; do
        s=${servers[$(( (k + round - 1) % ${#servers[@]} ))]}
        before=$(ticks "${pid_of[$s]}")
        v=$(rps "${port[$s]}" "$t" "$p")
        used=$(( $(ticks "${pid_of[$s]}") - before ))
        samples[$s,$t,$p]+="$v "
        cpu[$s,$t,$p]+="$(awk -v u="$used" -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", u * 1e6 / hz / n }') "
        echo "round $round: $s $t P$p: $v req/s" >&2
      done
    done
  done
done
loads+=("$(cut -d' ' -f1 /proc/loadavg)")
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for key in "${!samples[@]}"; do
  result[$key]=$(echo "${samples[$key]}" | median)
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
nth() { echo "$1" | awk -v i="$2" '{print $i}'; }
# Every round's ratios, so a reader sees the spread and not only the medians.
rounds_table() {
  echo "| test | zdb / redis everysec, per round | zdb --sync / redis always, per round |"
  echo "|---|---|---|"
  for t in $tests; do
    for p in 1 16; do
      local a="" b=""
      for r in $(seq 1 "$rounds"); do
        a+="$(ratio "$(nth "${samples[zdb,$t,$p]}" "$r")" "$(nth "${samples[redis-everysec,$t,$p]}" "$r")") "
        b+="$(ratio "$(nth "${samples[zdb-sync,$t,$p]}" "$r")" "$(nth "${samples[redis-always,$t,$p]}" "$r")") "
      done
      echo "| ${t^^} P$p | ${a% } | ${b% } |"
    done
  done
}
# Server CPU time per request (median over the rounds), in microseconds: what the server itself spends.
cpu_table() {
  echo "| test | zdb | zdb \`--sync\` | redis AOF everysec | redis AOF always |${ZDB_PEER:+ 0-db |}"
  echo "|---|---|---|---|---|${ZDB_PEER:+---|}"
  for t in $tests; do
    for p in 1 16; do
      local row="| ${t^^} P$p |"
      for s in "${servers[@]}"; do
        row+=" $(echo "${cpu[$s,$t,$p]}" | median) |"
      done
      echo "$row"
    done
  done
}
table() {
  echo "| test | zdb | zdb \`--sync\` | redis AOF everysec | redis AOF always |${ZDB_PEER:+ 0-db |} zdb / redis everysec | zdb --sync / redis always |"
  echo "|---|---|---|---|---|${ZDB_PEER:+---|}---|---|"
  for t in $tests; do
    for p in 1 16; do
      local row="| ${t^^} unique keys, P$p | ${result[zdb,$t,$p]} | ${result[zdb-sync,$t,$p]} | ${result[redis-everysec,$t,$p]} | ${result[redis-always,$t,$p]} |"
      [ -n "${ZDB_PEER:-}" ] && row+=" ${result[0-db,$t,$p]} |"
      row+=" $(ratio "${result[zdb,$t,$p]}" "${result[redis-everysec,$t,$p]}") | $(ratio "${result[zdb-sync,$t,$p]}" "${result[redis-always,$t,$p]}") |"
      echo "$row"
    done
  done
}
report=$(
  echo "Requests per second, median of $rounds interleaved rounds:"
  echo
  table
  echo
  echo "Each round's ratio:"
  echo
  rounds_table
  echo
  echo "Server CPU time per request, µs (utime + stime), median of the rounds:"
  echo
  cpu_table
  echo
  echo "1-minute load average at the start of each round and at the end: ${loads[*]}"
)
echo "$report"
if [ -n "$out" ]; then
  {
    echo
    echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), redis $(redis-server --version | awk '{print $3}' | tr -d 'v='), $requests requests per test, 100-byte values, 50 clients${ZDB_FLAGS:+, zdb flags \`$ZDB_FLAGS\`}."
    echo
    echo "$report"
  } >>"$out"
fi
