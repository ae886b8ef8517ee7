/*
 * Single-thread ISA-L Reed-Solomon throughput, the C peer of ReedSolomonBenchmark: encode of k data
 * shards into m parity shards, and decode of two lost data shards (0 and 1) from the first k survivors,
 * with ISA-L's Cauchy matrix (gf_gen_cauchy1_matrix), the same matrix zstor uses.
 *
 * GB/s = 10^9 bytes of data read per second (k x shard bytes per call), as in the JMH benchmark. The
 * decode matrix is built once, outside the timing, as both Java coders cache theirs. Decode output is
 * checked against the original shards.
 *
 *   gcc -O2 -o ec_bench ec_bench.c -lisal
 *   ./ec_bench [shard_bytes] [seconds_per_figure] [k+m ...]     default: 1048576 3 4+2 10+5 16+4
 *
 * Prints one line per geometry and operation: "isal <encode|decode> <k+m> <GB/s> <calls> <best-call GB/s>".
 */
#include <isa-l/erasure_code.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs ec_encode_data with the given tables until `seconds` have passed; returns GB/s of input read over
 * the whole run, and in *best the GB/s of the fastest single call (on a shared machine, the closest to
 * what an idle core does). */
static double run(int len, int k, int rows, unsigned char *tables, unsigned char **in, unsigned char **out,
                  double seconds, long *calls, double *best) {
  ec_encode_data(len, k, rows, tables, in, out); /* warm caches and the dispatcher */
  long n = 0;
  double start = now(), elapsed, fastest = 1e9, t = start;
  do {
    ec_encode_data(len, k, rows, tables, in, out);
    double after = now();
    if (after - t < fastest) fastest = after - t;
    t = after;
    n++;
    elapsed = after - start;
  } while (elapsed < seconds);
  *calls = n;
  *best = (double) k * len / fastest / 1e9;
  return (double) n * k * len / elapsed / 1e9;
}

static int bench(int k, int m, int len, double seconds) {
  int n = k + m;
  unsigned char *a = malloc(n * k), *b = malloc(k * k), *d = malloc(k * k), *c = malloc(2 * k);
  unsigned char *tables = malloc(32 * k * m), *dtables = malloc(32 * k * 2);
  unsigned char *shards[n], *survivors[k], *rebuilt[2];
  for (int i = 0; i < n; i++) {
    if (posix_memalign((void **) &shards[i], 64, len)) return 1;
  }
  for (int i = 0; i < 2; i++) {
    if (posix_memalign((void **) &rebuilt[i], 64, len)) return 1;
  }
  srand(42);
  for (int i = 0; i < k; i++)
    for (int p = 0; p < len; p++) shards[i][p] = (unsigned char) rand();

  gf_gen_cauchy1_matrix(a, n, k);
  ec_init_tables(k, m, &a[k * k], tables);
  long calls;
  double best;
  double gbs = run(len, k, m, tables, shards, &shards[k], seconds, &calls, &best);
  printf("isal encode %d+%d %.2f %ld %.2f\n", k, m, gbs, calls, best);

  /* Lose data shards 0 and 1; survivors are shards 2 .. k+1 (data first, then parity). */
  for (int s = 0; s < k; s++) {
    survivors[s] = shards[s + 2];
    memcpy(&b[s * k], &a[(s + 2) * k], k);
  }
  if (gf_invert_matrix(b, d, k) != 0) {
    fprintf(stderr, "singular survivor matrix for %d+%d\n", k, m);
    return 1;
  }
  memcpy(c, d, 2 * k); /* rows 0 and 1 of the inverse rebuild data shards 0 and 1 */
  ec_init_tables(k, 2, c, dtables);
  gbs = run(len, k, 2, dtables, survivors, rebuilt, seconds, &calls, &best);
  for (int i = 0; i < 2; i++) {
    if (memcmp(rebuilt[i], shards[i], len) != 0) {
      fprintf(stderr, "decode mismatch in shard %d for %d+%d\n", i, k, m);
      return 1;
    }
  }
  printf("isal decode %d+%d %.2f %ld %.2f\n", k, m, gbs, calls, best);

  for (int i = 0; i < n; i++) free(shards[i]);
  free(rebuilt[0]);
  free(rebuilt[1]);
  free(a); free(b); free(d); free(c); free(tables); free(dtables);
  return 0;
}

int main(int argc, char **argv) {
  int len = argc > 1 ? atoi(argv[1]) : 1048576;
  double seconds = argc > 2 ? atof(argv[2]) : 3.0;
  const char *defaults[] = {"4+2", "10+5", "16+4"};
  int count = argc > 3 ? argc - 3 : 3;
  for (int g = 0; g < count; g++) {
    const char *spec = argc > 3 ? argv[3 + g] : defaults[g];
    int k, m;
    if (sscanf(spec, "%d+%d", &k, &m) != 2 || k < 3 || m < 2 || k > 32 || m > 16) {
      fprintf(stderr, "geometry: %s (expected: k+m with 3 <= k <= 32, 2 <= m <= 16)\n", spec);
      return 2;
    }
    if (bench(k, m, len, seconds) != 0) return 1;
  }
  return 0;
}
