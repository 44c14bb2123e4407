#!/usr/bin/env bash
# Runs every benchmark and regenerates the generated section of benchmarks/RESULTS.md.
#
#   benchmarks/run.sh smoke   every benchmark once: 1 fork, 1 short iteration, fewest parameters (CI, ~2 min);
#                             writes to benchmarks/target/smoke-*, leaves RESULTS.md alone
#   benchmarks/run.sh quick   1 fork, 1 warm-up + 3 measured 1 s iterations, a reduced sweep (~6 min);
#                             raw files in benchmarks/results/run-quick-*, tables into RESULTS.md
#   benchmarks/run.sh full    each benchmark's own defaults (see README.md), the 10,000-job comparison (~35 min)
#
# Needs PostgreSQL on 127.0.0.1:5432 (db test, user postgres, no password) and Redis on 127.0.0.1:6379, like the
# store tests; -Dsluice.bench.* properties in BENCH_JAVA_OPTS point elsewhere. Every JMH run carries the
# load-average profiler, so each figure has the load it was measured under. A JMH run that finds another
# benchmark holding JMH's machine lock (/tmp/jmh.lock) is retried every 15 s for up to an hour.
# BENCH_RESUME=<an earlier run's directory> goes on with that run: steps whose output is there are not run again.
set -euo pipefail

mode="${1:-}"
case "$mode" in
  smoke|quick|full) ;;
  *) echo "usage: benchmarks/run.sh smoke|quick|full" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."

echo "== building benchmarks/target/benchmarks.jar (with the -Pcompare comparison)"
./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests -Pcompare
jar=benchmarks/target/benchmarks.jar
java_opts=(${BENCH_JAVA_OPTS:-})

stamp="$(date -u +%Y-%m-%dT%H%MZ)"
if [ -n "${BENCH_RESUME:-}" ]; then
  out="${BENCH_RESUME%/}"
elif [ "$mode" = smoke ]; then
  out="benchmarks/target/smoke-$stamp"
else
  out="benchmarks/results/run-$mode-$stamp"
fi
mkdir -p "$out"
: > "$out/manifest.tsv"

case "$mode" in
  smoke) jmh_opts=(-f 1 -wi 0 -i 1 -r 200ms -foe true) ;;
  quick) jmh_opts=(-f 1 -wi 1 -w 1 -i 3 -r 1 -foe true) ;;
  full)  jmh_opts=(-foe true) ;;
esac
profiler=(-prof dev.sluice.benchmarks.report.LoadAverageProfiler)

# step KIND TITLE FILE COMMAND...: runs the command, records it in the manifest (FILE relative to $out)
step() {
  local kind="$1" title="$2" file="$3"
  shift 3
  local shown="$*"
  shown="${shown#jmh_waiting_for_lock }"
  printf '%s\t%s\t%s\t%s\n' "$kind" "$title" "$file" "$shown" >> "$out/manifest.tsv"
  if [ -n "${BENCH_RESUME:-}" ] && [ -e "$out/$file" ]; then
    echo "== $title: already in $out, not run again"
    return
  fi
  echo "== $title: $shown"
  "$@"
}

# JMH exits at once when another benchmark holds its lock: wait and try again rather than fail the whole run.
jmh_waiting_for_lock() {
  local log="$out/jmh-attempt.log" deadline=$((SECONDS + 3600))
  while true; do
    if "$@" 2>&1 | tee "$log"; then
      if ! grep -q 'Unable to acquire the JMH lock' "$log"; then
        return 0
      fi
    elif ! grep -q 'Unable to acquire the JMH lock' "$log"; then
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "another benchmark held /tmp/jmh.lock for an hour: giving up" >&2
      return 1
    fi
    echo "== another benchmark holds /tmp/jmh.lock: trying again in 15 s"
    sleep 15
  done
}

jmh() {
  local name="$1"
  shift
  step jmh "$name" "$name.json" jmh_waiting_for_lock java "${java_opts[@]}" -jar "$jar" "$name" "${jmh_opts[@]}" \
    "${profiler[@]}" -rf json -rff "$out/$name.json" "$@"
}

# Parameters: smoke takes one point of each sweep, quick a small sweep, full the classes' own defaults.
case "$mode" in
  smoke)
    batch_params=(-p batchSize=1000 -p concurrency=2)
    micro_params=(-p batchSize=100)
    sizer_params=(-p concurrency=4)
    sizer_cmd=(--concurrency 2,8 --warmup 0.2 --seconds 0.3)
    batch_sizer_cmd=(--concurrency 2,8 --batch-sizes 100 --warmup 0.2 --seconds 0.3)
    compare_cmd=(--jobs 50 --warmup-jobs 10)
    memory_jobs=100000 ;;
  quick)
    batch_params=(-p batchSize=1000,5000 -p concurrency=1,4)
    micro_params=()
    sizer_params=(-p concurrency=1,4,16,32)
    sizer_cmd=(--concurrency 1,2,4,8,16,32,64 --warmup 0.5 --seconds 1.5)
    batch_sizer_cmd=(--concurrency 1,2,4,8,16 --batch-sizes 100,1000 --warmup 0.5 --seconds 1.5)
    compare_cmd=(--jobs 2000 --warmup-jobs 200)
    memory_jobs=1000000 ;;
  full)
    batch_params=()
    micro_params=()
    sizer_params=()
    sizer_cmd=(--concurrency 1,2,4,8,16,32,64)
    batch_sizer_cmd=(--concurrency 1,2,4,8,16 --batch-sizes 100,1000,5000)
    compare_cmd=(--jobs 10000 --warmup-jobs 500)
    memory_jobs=1000000 ;;
esac

[ -n "${BENCH_RESUME:-}" ] && [ -e "$out/machine.md" ] || {
  echo "| | |"
  echo "| --- | --- |"
  echo "| date (UTC) | $(date -u '+%Y-%m-%d %H:%M') |"
  echo "| mode | \`benchmarks/run.sh $mode\` |"
  echo "| commit | $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' + uncommitted changes') |"
  echo "| cores | $(nproc) |"
  echo "| memory | $(free -h | awk '/^Mem:/ {print $2}') |"
  echo "| JDK | $(java -version 2>&1 | head -2 | tr '\n' ' ') |"
  echo "| PostgreSQL | $( (psql -h 127.0.0.1 -U postgres -d test -Atc 'show server_version' 2>/dev/null) || echo unknown) |"
  echo "| Redis | $( (redis-cli -h 127.0.0.1 -p 6379 info server 2>/dev/null | tr -d '\r' | awk -F: '/^redis_version/ {print $2}') || echo unknown) |"
  echo "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
} > "$out/machine.md"

jmh EngineThroughputBenchmark
jmh LatencyBenchmark
jmh StoreThroughputBenchmark -p store=memory,postgres,redis
jmh BatchProcessorBenchmark "${batch_params[@]}"
jmh MicroBatcherBenchmark "${micro_params[@]}"
jmh GraphBenchmark
jmh GuardsOverheadBenchmark
jmh ConcurrencySizerBenchmark "${sizer_params[@]}" -p pointsFile="$out/sizer-jmh-points.csv"

step text "QueuedJobMemory (heap per queued job, not JMH)" memory.txt \
  sh -c "java ${java_opts[*]} -Xmx2g -cp $jar dev.sluice.benchmarks.QueuedJobMemory $memory_jobs | tee $out/memory.txt"

sizer=dev.sluice.benchmarks.sizer.SizerCommand
step sizer "Concurrency sizer: SleepingIoHandler (5 ms round trips on a pool of 16)" sizer-io \
  java "${java_opts[@]}" -cp "$jar" "$sizer" --handler dev.sluice.benchmarks.sizer.samples.SleepingIoHandler \
  "${sizer_cmd[@]}" --out "$out/sizer-io"
step sizer "Concurrency sizer: CpuBoundHandler" sizer-cpu \
  java "${java_opts[@]}" -cp "$jar" "$sizer" --handler dev.sluice.benchmarks.sizer.samples.CpuBoundHandler \
  "${sizer_cmd[@]}" --out "$out/sizer-cpu"
step sizer "Concurrency sizer: BulkWriteBatchHandler (batches, pool of 8)" sizer-batch \
  java "${java_opts[@]}" -cp "$jar" "$sizer" --handler dev.sluice.benchmarks.sizer.samples.BulkWriteBatchHandler \
  "${batch_sizer_cmd[@]}" --out "$out/sizer-batch"
step sizer "Concurrency sizer from the JMH mode's points (ConcurrencySizerBenchmark above)" sizer-jmh \
  java "${java_opts[@]}" -cp "$jar" "$sizer" --from-points "$out/sizer-jmh-points.csv" \
  --handler dev.sluice.benchmarks.sizer.samples.SleepingIoHandler --out "$out/sizer-jmh"

step markdown "Side by side on one PostgreSQL: N no-op jobs, bulk enqueue then 8 workers" compare/compare.md \
  java "${java_opts[@]}" -cp "$jar" dev.sluice.benchmarks.compare.CompareJobLibraries "${compare_cmd[@]}" \
  --out "$out/compare"

if [ "$mode" = smoke ]; then
  java -cp "$jar" dev.sluice.benchmarks.report.ResultsPage "$out" "$out/RESULTS-preview.md"
  echo "== smoke run done: every benchmark ran once ($out)"
else
  java -cp "$jar" dev.sluice.benchmarks.report.ResultsPage "$out" benchmarks/RESULTS.md
fi
