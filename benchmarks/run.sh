#!/usr/bin/env bash
# Builds the benchmarks, starts a private redis-server on a free port, runs every scenario of the benchmark issue
# with short fixed settings (about 10 minutes on 2 cores for scenarios 0-6, 2-3 more for the 4-JVM lock scenario, and
# scenario 7's million names through each lock factory after them, about 2 minutes on a busy machine; the noisiest
# scenarios as forks taking turns with their peers') and prints one markdown table of the medians and their ratios
# to the peers. Needs: a JDK 17+, redis-server on PATH, python3 (only to find a free port).
#
#   benchmarks/run.sh [RESULTS_DIRECTORY]     (default: benchmarks/target/results)
#
# JMH's own lock keeps this run from overlapping another JMH run on the machine.
set -euo pipefail

cd "$(dirname "$0")/.."
results="${1:-benchmarks/target/results}"

./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
        break
    fi
    sleep 0.1
done
redis-cli -p "$port" ping >/dev/null

mkdir -p "$results"
# clear only what an earlier run wrote here, never the rest of a directory the caller named
rm -f "$results"/s[0-7]-*.json "$results"/s[0-7]-*.log "$results"/s[0-7]-*.tsv "$results"/table.md
jar=benchmarks/target/benchmarks.jar
redis="-Dquiver.bench.redis=redis://127.0.0.1:$port"

# jmh NAME [ITERATIONS] JMH-ARGS...: 2 warm-up and 5 (or ITERATIONS) measured iterations of 2 s, one fork
jmh() {
    local name="$1"
    shift
    local iterations=5
    if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
        iterations="$1"
        shift
    fi
    echo "== $name" >&2
    java -jar "$jar" "$@" -f 1 -wi 2 -w 2s -i "$iterations" -r 2s \
        -jvmArgsAppend "$redis" -rf json -rff "$results/$name.json" >"$results/$name.log" 2>&1 \
        || { tail -50 "$results/$name.log" >&2; exit 1; }
}

# alternate NAME ROUNDS ITERATIONS BENCHMARK PARAMETER IMPLEMENTATION...: ROUNDS forks of each implementation,
# taking turns, so that neither a slow stretch of the machine nor one fork's luck falls on one implementation alone
# (ResultsTable pools each implementation's iterations over its forks)
alternate() {
    local name="$1" rounds="$2" iterations="$3" benchmark="$4" parameter="$5"
    shift 5
    local round implementation
    for round in $(seq "$rounds"); do
        for implementation in "$@"; do
            jmh "$name-r$round-$implementation" "$iterations" "$benchmark" -p "$parameter=$implementation"
        done
    done
}

harness() {
    local name="$1"
    shift
    echo "== $name" >&2
    java "$redis" -cp "$jar" "$@" >>"$results/$name.log" 2>&1 || { tail -50 "$results/$name.log" >&2; exit 1; }
}

# the machine: how far apart its two cores are, at the start, after scenario 2 and at the end (it changes)
harness s0-core-to-core dev.quiver.benchmarks.CoreToCoreLatency AT_START "$results/s0-core-to-core.tsv"
# 1 and 2: caches
jmh s1-cache-hit '\.CacheHitBenchmark\.' -p cacheType=ARROW,ARROW_WITHOUT_STATS,CAFFEINE,CONCURRENT_HASH_MAP,CONCURRENT_HASH_MAP_OF_EXPIRING
# scenario 2 follows how far apart the two cores are, which changes during a run: three forks each, taking turns
alternate s2-cache-mixed 3 5 '\.CacheMixedBenchmark\.' cacheType ARROW CAFFEINE
harness s0-core-to-core dev.quiver.benchmarks.CoreToCoreLatency AFTER_SCENARIO_2 "$results/s0-core-to-core.tsv"
harness s2-hit-rate dev.quiver.benchmarks.CacheHitRateTrace 1000000 0.99 "$results/s2-hit-rate.tsv"
# 3: local lock, uncontended (the SealLock try/release row is left out of the table: the issue's shape is acquire)
jmh s3-local-lock '\.LocalLockBenchmark\.' -p lockType=SEAL_LOCK,REENTRANT_LOCK,SEMAPHORE -bm avgt -tu ns
jmh s3-local-contended '\.LocalLockContentionBenchmark\.'
# 4: Redis lock, uncontended; the Redis scenarios' single iterations vary most: forks of 5 taking turns
alternate s4-redis-lock 2 5 '\.RedisLockBenchmark\.' lockType REDIS_LOCK LETTUCE_FLOOR REDIS_LOCK_RENEWED REDISSON
# 4: the commands of one uncontended cycle (fencing tokens and lease renewal must add no round trip)
harness s4-redis-lock-count dev.quiver.benchmarks.RedisLockCommandCount "$results/s4-redis-lock-count.tsv"
# 5: Redis lock, 16 acquirers of one JVM on one key, 10 s each, twice, taking turns
for round in 1 2; do
    harness s5-redis-contended dev.quiver.benchmarks.RedisLockContention REDISSON 10 16 "$results/s5-redis-contended.tsv"
    harness s5-redis-contended dev.quiver.benchmarks.RedisLockContention REDIS_LOCK 10 16 "$results/s5-redis-contended.tsv"
done
# 5: once more with the executor that runs continuations on the I/O thread (no target; what that choice buys)
harness s5-redis-contended dev.quiver.benchmarks.RedisLockContention REDIS_LOCK_DIRECT_EXECUTOR 10 16 \
    "$results/s5-redis-contended.tsv"
# 5: the same across 4 child JVMs of 4 acquirers each, 10 s each, two rounds taking turns
harness s5-redis-contended-jvms dev.quiver.benchmarks.RedisLockContentionAcrossJvms 2 4 4 10 \
    "$results/s5-redis-contended-jvms.tsv"
# 6: dict batch read, and its command count
alternate s6-dict-mget 3 5 '\.DictBatchBenchmark\.' batchType REDIS_DEFAULT_DICT LETTUCE_MGET SPRING_MGET
jmh s6-dict-mget-get-loop '\.DictBatchBenchmark\.' -p batchType=LETTUCE_GET_LOOP
harness s6-dict-count dev.quiver.benchmarks.DictMgetCount "$results/s6-dict-count.tsv"
# 7: one lock per entity, a million names once each through each lock factory: heap, meters, throughput
harness s7-lock-scale dev.quiver.benchmarks.LockFactoryScale REDIS_LOCKS 1000000 128 "$results/s7-lock-scale.tsv"
harness s7-lock-scale dev.quiver.benchmarks.LockFactoryScale SEAL_LOCKS 1000000 128 "$results/s7-lock-scale.tsv"
harness s0-core-to-core dev.quiver.benchmarks.CoreToCoreLatency AT_END "$results/s0-core-to-core.tsv"

java -cp "$jar" dev.quiver.benchmarks.ResultsTable "$results" | tee "$results/table.md"
