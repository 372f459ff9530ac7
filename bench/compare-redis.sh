#!/usr/bin/env bash
# Puts the store beside Redis on this machine, all on 127.0.0.1:
#   1. installs redis-server and redis-tools with apt if they are missing;
#   2. starts redis on a free loopback port with persistence off (--save '' --appendonly no);
#   3. runs redis-benchmark, not pipelined (-P 1), SET and GET with 100-byte values (-d 100), at each client count (-c);
#   4. loads 1,000,000 keys of 100 B into redis (DEBUG POPULATE) and reads used_memory per key; stops redis;
#   5. runs `bench steady --start-local 3` at the same client counts, Puts only and Gets only, 100-byte values;
#   6. runs `bench memory --start-local 1` with 1,000,000 keys (heap per key after GC, read with jcmd);
#   7. prints one table, side by side, with our/redis ratios, and writes bench/target/results/compare-redis-<time>.json.
# Stops everything it started, also on Ctrl-C or failure.
#
# Environment: CLIENTS (1,4,16,64)  REDIS_REQUESTS per test (200000)  REDIS_REPEAT runs per client count, the
#              median is kept (3)  KEYSPACE (10010)  WARMUP (3s)  DURATION (10s)  MEMORY_KEYS (1000000)
# Needs bench/target/bench.jar and the server jars: mvn -B package -DskipTests at the repo root.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS="${CLIENTS:-1,4,16,64}"
REDIS_REQUESTS="${REDIS_REQUESTS:-200000}"
REDIS_REPEAT="${REDIS_REPEAT:-3}"
KEYSPACE="${KEYSPACE:-10010}"
WARMUP="${WARMUP:-3s}"
DURATION="${DURATION:-10s}"
MEMORY_KEYS="${MEMORY_KEYS:-1000000}"
VALUE_BYTES=100
JAR=bench/target/bench.jar

case "${1:-}" in
  -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
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
mkdir -p "$out/redis"

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
trap stop_redis EXIT
trap 'stop_redis; exit 130' INT TERM

rcli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }
info_field() { rcli info memory | tr -d '\r' | awk -F: -v k="$1" '$1 == k { print $2 }'; }

redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --enable-debug-command local \
  --dir "$out/redis" --logfile "$out/redis/redis.log" --daemonize no &
redis_pid=$!
for _ in $(seq 1 100); do
  [ "$(rcli ping 2>/dev/null || true)" = "PONG" ] && break
  kill -0 "$redis_pid" 2>/dev/null || { echo "compare-redis.sh: redis-server exited; see $out/redis/redis.log" >&2; exit 1; }
  sleep 0.1
done
[ "$(rcli ping 2>/dev/null || true)" = "PONG" ] || { echo "compare-redis.sh: redis did not answer PING" >&2; exit 1; }
echo "redis $(redis-server --version | awk '{print $3}') on 127.0.0.1:$port"

IFS=',' read -r -a client_counts <<< "$CLIENTS"
for c in "${client_counts[@]}"; do
  for r in $(seq 1 "$REDIS_REPEAT"); do
    echo "redis-benchmark -c $c -n $REDIS_REQUESTS -d $VALUE_BYTES -P 1 -t set,get -r $KEYSPACE (run $r)"
    redis-benchmark -h 127.0.0.1 -p "$port" -c "$c" -n "$REDIS_REQUESTS" -d "$VALUE_BYTES" -P 1 -t set,get \
      -r "$KEYSPACE" --csv > "$out/redis/c$c-r$r.csv"
    tail -n +2 "$out/redis/c$c-r$r.csv"
  done
done

rcli flushall >/dev/null
used_before="$(info_field used_memory)"
rss_before="$(info_field used_memory_rss)"
if rcli debug populate "$MEMORY_KEYS" key "$VALUE_BYTES" 2>&1 | grep -q OK; then
  method="debug populate"
else
  method="redis-benchmark set"
  redis-benchmark -h 127.0.0.1 -p "$port" -c 16 -n $((MEMORY_KEYS * 3)) -d "$VALUE_BYTES" -P 16 -t set \
    -r "$MEMORY_KEYS" -q > /dev/null
fi
keys="$(rcli dbsize | tr -d '\r')"
used_after="$(info_field used_memory)"
rss_after="$(info_field used_memory_rss)"
cat > "$out/redis/memory.properties" <<PROPS
keys=$keys
used_memory_before=$used_before
used_memory_after=$used_after
used_memory_rss_before=$rss_before
used_memory_rss_after=$rss_after
method=$method
PROPS
echo "redis: $keys keys, used_memory $used_before -> $used_after bytes ($method)"
stop_redis

common=(--start-local 3 --clients "$CLIENTS" --value-bytes "$VALUE_BYTES" --keyspace "$KEYSPACE" --warmup "$WARMUP" --duration "$DURATION")
java -jar "$JAR" steady "${common[@]}" --mix put=100 --results-file "$out/ours-put.json"
java -jar "$JAR" steady "${common[@]}" --mix get=100 --results-file "$out/ours-get.json"
java -jar "$JAR" memory --start-local 1 --preload-keys "$MEMORY_KEYS" --value-bytes "$VALUE_BYTES" --results-file "$out/ours-memory.json"

echo
java -jar "$JAR" redis-table --redis-dir "$out/redis" --ours-put "$out/ours-put.json" --ours-get "$out/ours-get.json" \
  --ours-memory "$out/ours-memory.json" --results-file "bench/target/results/compare-redis-$stamp.json"
