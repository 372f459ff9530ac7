#!/usr/bin/env bash
# Puts the store beside Redis on this machine, all on 127.0.0.1, every row measured by the same Java
# closed-loop client (bench steady; Redis through Jedis), 50/50 Put/Get of 100 B values on user_N keys:
#   1. installs redis-server and redis-tools with apt if they are missing;
#   2. Redis with persistence off (--save '' --appendonly no): the sweep, then 1,000,000 keys of 100 B
#      (DEBUG POPULATE) for used_memory and used_memory_rss per key; optionally redis-benchmark (REDIS_BENCHMARK=1);
#   3. Redis with --appendonly yes --appendfsync always: the sweep;
#   4. the floor of grpc-java (bench floor: a map behind a minimal directExecutor server, with a shardkv's JVM
#      options): the sweep;
#      the store on 2 local servers in memory: the sweep, and the async client (ASYNC_CLIENTS x INFLIGHT in flight);
#   5. the store on 2 local servers with --data-dir (every write synced before it is acknowledged): the sweep;
#      then as 2 replica groups of REPLICAS members with --data-dir, at REPLICA_CLIENTS clients;
#   6. `bench memory --start-local 1` with 1,000,000 keys (heap and resident memory per key);
#      `bench warmstart`: a fresh cluster's first 10 s against its warm throughput (the bench client warmed first);
#   7. prints one table of the runs and every ratio of the cost targets (bench.jar redis-table), and writes
#      bench/target/results/compare-redis-<time>.json.
# Every step reports server CPU µs/op: utime + stime of the server processes (redis-server; shardmaster and
# shardkvs) in the measured window / operations. Stops everything it started, also on Ctrl-C or failure.
#
# Environment: CLIENTS (1,16,64)  SERVERS (2)  ASYNC_CLIENTS (1)  INFLIGHT (64)  KEY_FORM (user)  WARMUP (3s)
#              DURATION (10s)  JIT_WARMUP (45s)  ASYNC_JIT_WARMUP (45s)  MEMORY_KEYS (1000000)  REDIS_BENCHMARK (0; 1 adds redis-benchmark)
#              REPLICAS (3; 0 skips the replica groups)  REPLICA_CLIENTS (64)  REPLICA_JIT_WARMUP (150s)
# Needs bench/target/bench.jar and the server jars: mvn -B package -DskipTests at the repo root.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS="${CLIENTS:-1,16,64}"
SERVERS="${SERVERS:-2}"
ASYNC_CLIENTS="${ASYNC_CLIENTS:-1}"
INFLIGHT="${INFLIGHT:-64}"
KEY_FORM="${KEY_FORM:-user}"
WARMUP="${WARMUP:-3s}"
DURATION="${DURATION:-10s}"
# 45 s: a shardkv's C2 compiler works for about 45 s under this load (async-profiler: 50-60 % of its CPU in
# C2 until then), and a step measured before it is done measures the compiler (the first, 1-client step
# showed 546 µs/op after 10 s against 72 µs/op once compiled). The warm start has its own step.
JIT_WARMUP="${JIT_WARMUP:-45s}"
ASYNC_JIT_WARMUP="${ASYNC_JIT_WARMUP:-45s}"
MEMORY_KEYS="${MEMORY_KEYS:-1000000}"
REDIS_BENCHMARK="${REDIS_BENCHMARK:-0}"
REPLICAS="${REPLICAS:-3}"
REPLICA_CLIENTS="${REPLICA_CLIENTS:-64}"
# 150 s: six members and a shardmaster compile with C2 at once on this machine; after 30 s they served
# 3,220 ops/s, after 150 s 7,180-8,140 (jvm-options/shardkv-member.options).
REPLICA_JIT_WARMUP="${REPLICA_JIT_WARMUP:-150s}"
VALUE_BYTES=100
JAR=bench/target/bench.jar

case "${1:-}" in
  -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
  "") ;;
  *) echo "compare-redis.sh: no arguments expected (see --help)" >&2; exit 2 ;;
esac
[ -f "$JAR" ] || { echo "compare-redis.sh: $JAR is missing: run mvn -B package -DskipTests first" >&2; exit 1; }

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v redis-cli >/dev/null; then
  echo "compare-redis.sh: installing redis-server and redis-tools"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
fi

stamp="$(date +%Y%m%d-%H%M%S)"
out="$PWD/bench/target/results/compare-redis-$stamp"
mkdir -p "$out/redis" "$out/redis-aof"

port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port="$candidate"; break; fi
done
[ -n "$port" ] || { echo "compare-redis.sh: no free port found" >&2; exit 1; }

redis_pid=""
stop_redis() {
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$redis_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$redis_pid" 2>/dev/null || true
  fi
  redis_pid=""
}
floor_pid=""
stop_floor() {
  if [ -n "$floor_pid" ]; then
    kill "$floor_pid" 2>/dev/null || true
    wait "$floor_pid" 2>/dev/null || true
  fi
  floor_pid=""
}
trap 'stop_redis; stop_floor' EXIT
trap 'stop_redis; stop_floor; exit 130' INT TERM

rcli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }
info_field() { rcli info memory | tr -d '\r' | awk -F: -v k="$1" '$1 == k { print $2 }'; }

# start_redis DIR ARGS...: redis on $port with ARGS, its files and log in DIR.
start_redis() {
  local dir="$1"; shift
  redis-server --port "$port" --bind 127.0.0.1 --enable-debug-command local --dir "$dir" \
    --logfile "$dir/redis.log" --daemonize no "$@" &
  redis_pid=$!
  for _ in $(seq 1 100); do
    [ "$(rcli ping 2>/dev/null || true)" = "PONG" ] && break
    kill -0 "$redis_pid" 2>/dev/null || { echo "compare-redis.sh: redis-server exited; see $dir/redis.log" >&2; exit 1; }
    sleep 0.1
  done
  [ "$(rcli ping 2>/dev/null || true)" = "PONG" ] || { echo "compare-redis.sh: redis did not answer PING" >&2; exit 1; }
  echo "redis $(redis-server --version | awk '{print $3}') on 127.0.0.1:$port (pid $redis_pid): $*"
}

# --clients is given per run: picocli appends a repeated list option instead of replacing it.
load=(--mix put=50,get=50 --key-form "$KEY_FORM" --value-bytes "$VALUE_BYTES" --warmup "$WARMUP" --duration "$DURATION")
sweep=("${load[@]}" --jit-warmup "$JIT_WARMUP")

start_redis "$out/redis" --save '' --appendonly no
java -jar "$JAR" steady --redis "127.0.0.1:$port" --redis-pid "$redis_pid" --clients "$CLIENTS" "${sweep[@]}" \
  --results-file "$out/redis.json"
if [ "$REDIS_BENCHMARK" = 1 ]; then
  IFS=',' read -r -a client_counts <<< "$CLIENTS"
  for c in "${client_counts[@]}"; do
    redis-benchmark -h 127.0.0.1 -p "$port" -c "$c" -n 200000 -d "$VALUE_BYTES" -P 1 -t set,get -r 1001 --csv \
      > "$out/redis/c$c.csv"
  done
fi
rcli flushall >/dev/null
used_before="$(info_field used_memory)"
rss_before="$(info_field used_memory_rss)"
if rcli debug populate "$MEMORY_KEYS" k "$VALUE_BYTES" 2>&1 | grep -q OK; then
  method="debug populate"
else
  method="redis-benchmark set"
  redis-benchmark -h 127.0.0.1 -p "$port" -c 16 -n $((MEMORY_KEYS * 3)) -d "$VALUE_BYTES" -P 16 -t set \
    -r "$MEMORY_KEYS" -q > /dev/null
fi
keys="$(rcli dbsize | tr -d '\r')"
cat > "$out/redis/memory.properties" <<PROPS
keys=$keys
used_memory_before=$used_before
used_memory_after=$(info_field used_memory)
used_memory_rss_before=$rss_before
used_memory_rss_after=$(info_field used_memory_rss)
method=$method
PROPS
echo "redis memory: $(tr '\n' ' ' < "$out/redis/memory.properties")"
stop_redis

start_redis "$out/redis-aof" --save '' --appendonly yes --appendfsync always
java -jar "$JAR" steady --redis "127.0.0.1:$port" --redis-pid "$redis_pid" --clients "$CLIENTS" "${sweep[@]}" \
  --results-file "$out/redis-aof.json"
stop_redis

java @jvm-options/shardkv.options -jar "$JAR" floor > "$out/floor.log" 2>&1 &
floor_pid=$!
floor_port=""
for _ in $(seq 1 300); do
  floor_port="$(sed -n 's/^floor server listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$out/floor.log")"
  [ -n "$floor_port" ] && break
  kill -0 "$floor_pid" 2>/dev/null || { echo "compare-redis.sh: bench floor exited; see $out/floor.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$floor_port" ] || { echo "compare-redis.sh: bench floor did not start; see $out/floor.log" >&2; exit 1; }
echo "floor server on 127.0.0.1:$floor_port (pid $floor_pid)"
java -jar "$JAR" steady --shardmaster "127.0.0.1:$floor_port" --server-pid "$floor_pid" --clients "$CLIENTS" \
  "${sweep[@]}" --results-file "$out/floor.json"
stop_floor

java -jar "$JAR" steady --start-local "$SERVERS" --clients "$CLIENTS" "${sweep[@]}" --results-file "$out/ours.json"
# One step after its own JIT warm-up (measured straight after 10 s, the servers were still compiling: 60% of
# their CPU in C2 in async-profiler, and the client looked 3x slower than it is).
java -jar "$JAR" steady --start-local "$SERVERS" --clients "$ASYNC_CLIENTS" "${load[@]}" --inflight "$INFLIGHT" \
  --jit-warmup "$ASYNC_JIT_WARMUP" --results-file "$out/ours-async.json"
java -jar "$JAR" steady --start-local "$SERVERS" --clients "$CLIENTS" "${sweep[@]}" --data-dir "$out/data" \
  --results-file "$out/ours-durable.json"
replicated=()
if [ "$REPLICAS" -gt 1 ]; then
  java -jar "$JAR" steady --start-local "$SERVERS" --clients "$REPLICA_CLIENTS" "${load[@]}" \
    --jit-warmup "$REPLICA_JIT_WARMUP" --data-dir "$out/data-replicated" --replicas "$REPLICAS" --results-file "$out/ours-replicated.json"
  rm -rf "$out/data-replicated"
  replicated=(--ours-replicated "$out/ours-replicated.json")
fi
java -jar "$JAR" memory --start-local 1 --preload-keys "$MEMORY_KEYS" --value-bytes "$VALUE_BYTES" \
  --results-file "$out/ours-memory.json"
rm -rf "$out/data"
java -jar "$JAR" warmstart --start-local "$SERVERS" --results-file "$out/ours-warmstart.json"

echo
benchmark=()
[ "$REDIS_BENCHMARK" = 1 ] && benchmark=(--redis-benchmark "$out/redis")
java -jar "$JAR" redis-table --redis "$out/redis.json" --ours "$out/ours.json" --floor "$out/floor.json" --redis-aof "$out/redis-aof.json" \
  --ours-durable "$out/ours-durable.json" --ours-async "$out/ours-async.json" "${replicated[@]+"${replicated[@]}"}" \
  --redis-memory "$out/redis/memory.properties" --ours-memory "$out/ours-memory.json" --ours-warmstart "$out/ours-warmstart.json" "${benchmark[@]}" \
  --results-file "bench/target/results/compare-redis-$stamp.json"
