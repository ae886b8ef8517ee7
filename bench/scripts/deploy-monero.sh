#!/usr/bin/env bash
# Seconds from `quilt deploy monero` to a healthy endpoint on a warm devnet: the devnet is started
# (and left running) first, then each run is one `./quilt deploy monero` invocation, timed from its
# start to its exit (it exits once monerod answers get_info as synchronized), then destroyed.
# Prints each run's wall-clock seconds, the command's own figure (from its start of work, after the
# JVM started and the grid was found) and the median of the wall-clock times.
#
#   bench/scripts/deploy-monero.sh [-n RUNS] [-h QUILT_HOME]
#
# Needs root, bubblewrap and monerod, like the devnet itself.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=5
home="${QUILT_HOME:-$HOME/.quilt}"
while getopts "n:h:" opt; do
  case "$opt" in
    n) runs=$OPTARG ;;
    h) home=$OPTARG ;;
    *) echo "usage: $0 [-n RUNS] [-h QUILT_HOME]" >&2; exit 2 ;;
  esac
done
export QUILT_HOME="$home"

./quilt devnet up >/dev/null
echo "# machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) vCPU, load $(cut -d' ' -f1-3 /proc/loadavg); devnet $QUILT_HOME/devnet"
times=()
for i in $(seq 1 "$runs"); do
  name="bench-$i-$$"
  start=$(date +%s.%N)
  out=$(./quilt deploy monero --name "$name" --json 2>/dev/null)
  end=$(date +%s.%N)
  wall=$(echo "$end - $start" | bc)
  inner=$(echo "$out" | sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p')
  printf 'run %d: %.2f s wall, %s s in the command\n' "$i" "$wall" "$inner"
  times+=("$wall")
  ./quilt destroy "$name" >/dev/null 2>&1
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')
printf 'median of %d: %.2f s\n' "$runs" "$median"
