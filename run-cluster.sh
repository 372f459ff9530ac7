#!/usr/bin/env bash
# Builds Bacefook Store and runs the whole system on this machine: a shardmaster, three shardkv servers
# (joined), the web UI and JSON API at http://localhost:3000, and the interactive CLI.
# Quit the CLI (or press Ctrl-C) to stop everything this script started.
#
#   ./run-cluster.sh              build if needed, start, open the CLI
#   ./run-cluster.sh --seed       also create a few users and posts
#   ./run-cluster.sh --no-cli     run in the foreground without the CLI (Ctrl-C, or --stop elsewhere, stops)
#   ./run-cluster.sh --stop       stop the cluster a running ./run-cluster.sh started, then exit
#   ./run-cluster.sh --rebuild    rebuild the jars first
#   ./run-cluster.sh --in-memory  keep no data (by default it lives in .run/data and survives restarts)
#   ./run-cluster.sh --fresh      delete .run/data first
#   ./run-cluster.sh --listen ADDR  listen on ADDR instead of 127.0.0.1 (0.0.0.0: every interface;
#                                 nothing is authenticated then: see the README)
#   ./run-cluster.sh --secure     TLS everywhere (client certificates too), admin/cluster/client tokens, HTTPS UI;
#                                 a throwaway CA, certificates and tokens are made in .run/secrets (openssl)
#   ./run-cluster.sh --make-secrets  only make .run/secrets (e.g. for docker-compose.secure.yml), then exit
#   ./run-cluster.sh --replicas N three replica groups g1, g2, g3 of N shardkv members each (Apache Ratis;
#                                 members a, b, c, ...; data in .run/data/gI-ID) instead of three single servers,
#                                 and a shardmaster of three members (sm1-3; data in .run/data/shardmaster-smI)
# Ports: SHARDMASTER_PORT (9090), SHARDKV_PORTS ("9091 9092 9093"; with --replicas N, 3N ports from 9091),
# RAFT_PORTS (with --replicas: the members' Raft ports, by default each SHARDKV_PORTS port + 100),
# SHARDMASTER_PORTS and SHARDMASTER_RAFT_PORTS (with --replicas: "9088 9089 9090", "9288 9289 9290"),
# GATEWAY_PORT (3000).
# Logs, data and the script's pid live in RUN_DIR (.run).
# SECRETS_DIR (RUN_DIR/secrets) may hold your own ca.crt, server.crt/.key, client.crt/.key and *.token files.
# JVM options: jvm-options/<role>.options; JAVA_OPTS (e.g. "-Xmx8g") is added after them and wins.
set -euo pipefail
cd "$(dirname "$0")"

seed=false cli=true rebuild=false durable=true fresh=false stop=false listen=127.0.0.1
secure=false make_secrets=false replicas=0
while [ $# -gt 0 ]; do
  arg=$1
  shift
  case "$arg" in
    --stop) stop=true ;;
    --seed) seed=true ;;
    --no-cli) cli=false ;;
    --rebuild) rebuild=true ;;
    --in-memory) durable=false ;;
    --fresh) fresh=true ;;
    --secure) secure=true ;;
    --make-secrets) make_secrets=true ;;
    --replicas)
      [ $# -gt 0 ] && [[ $1 =~ ^[1-9]$ ]] || { echo "run-cluster.sh: --replicas needs a number of members, 1 to 9" >&2; exit 2; }
      replicas=$1
      shift ;;
    --listen)
      [ $# -gt 0 ] || { echo "run-cluster.sh: --listen needs an address" >&2; exit 2; }
      listen=$1
      shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "run-cluster.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$replicas" -gt 0 ] && ! $durable; then
  echo "run-cluster.sh: --replicas keeps each member's Raft log in its data directory; drop --in-memory" >&2
  exit 2
fi

run_dir=${RUN_DIR:-.run}
pid_file=$run_dir/run-cluster.pid
# Whether process $1 is a run-cluster.sh.
is_run_cluster() { grep -qa run-cluster.sh "/proc/$1/cmdline" 2>/dev/null; }
# Prints the pid of the run-cluster.sh that wrote $pid_file if it still runs.
running_pid() {
  local pid
  pid=$(cat "$pid_file" 2>/dev/null) || return 1
  is_run_cluster "$pid" && echo "$pid"
}
if $stop; then
  if ! pid=$(running_pid); then
    echo "run-cluster.sh: nothing to stop (no running cluster in $pid_file)"
    exit 0
  fi
  # Its children too: a script waiting for its CLI in the foreground only acts once the CLI ends.
  kill -TERM "$pid" $(ps -o pid= --ppid "$pid") 2>/dev/null || true
  # The script stops what it started (each server has 5 s to finish) before it exits.
  for _ in $(seq 1 300); do
    is_run_cluster "$pid" || { echo "stopped the cluster of run-cluster.sh (pid $pid)"; exit 0; }
    sleep 0.1
  done
  echo "run-cluster.sh: pid $pid is still running after 30 s" >&2
  exit 1
fi
if pid=$(running_pid); then
  echo "run-cluster.sh: a cluster is already running (pid $pid); stop it with ./run-cluster.sh --stop" >&2
  exit 1
fi

# Makes what is missing in $SECRETS_DIR: an EC P-256 CA, one server certificate for every host name the
# scripts and docker-compose use, one client certificate (CLI, gateway), and three random tokens.
secrets=${SECRETS_DIR:-$run_dir/secrets}
make_secrets() {
  mkdir -p "$secrets" && chmod 700 "$secrets"
  local days=30
  if [ ! -f "$secrets/ca.crt" ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$secrets/ca.key" 2>/dev/null
    openssl req -x509 -new -key "$secrets/ca.key" -subj "/CN=Bacefook throwaway CA" -days "$days" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out "$secrets/ca.crt"
  fi
  local name san
  for name in server client; do
    [ -f "$secrets/$name.crt" ] && continue
    san="DNS:localhost,IP:127.0.0.1,DNS:shardmaster,DNS:shardkv1,DNS:shardkv2,DNS:shardkv3,DNS:gateway"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$secrets/$name.key" 2>/dev/null
    openssl req -new -key "$secrets/$name.key" -subj "/CN=bacefook-$name" -out "$secrets/$name.csr"
    printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' \
      "$san" >"$secrets/$name.ext"
    openssl x509 -req -in "$secrets/$name.csr" -CA "$secrets/ca.crt" -CAkey "$secrets/ca.key" -CAcreateserial \
      -days "$days" -extfile "$secrets/$name.ext" -out "$secrets/$name.crt" 2>/dev/null
    rm -f "$secrets/$name.csr" "$secrets/$name.ext"
  done
  for name in admin cluster client; do
    [ -f "$secrets/$name.token" ] || openssl rand -hex 32 >"$secrets/$name.token"
  done
  chmod 600 "$secrets"/*
}
if $make_secrets; then
  make_secrets
  echo "secrets in $secrets: ca.crt, server.crt/.key, client.crt/.key, admin/cluster/client.token"
  exit 0
fi
# Security flags per role (empty unless --secure).
server_security=() client_security=() gateway_https=()
if $secure; then
  make_secrets
  tokens=(--admin-token-file "$secrets/admin.token" --client-token-file "$secrets/client.token")
  server_security=(--tls-cert "$secrets/server.crt" --tls-key "$secrets/server.key" --tls-ca "$secrets/ca.crt"
                   --cluster-token-file "$secrets/cluster.token" "${tokens[@]}")
  client_security=(--tls-cert "$secrets/client.crt" --tls-key "$secrets/client.key" --tls-ca "$secrets/ca.crt"
                   "${tokens[@]}")
  gateway_https=(--https-cert "$secrets/server.crt" --https-key "$secrets/server.key")
fi

sm_port=${SHARDMASTER_PORT:-9090}
if [ "$replicas" -gt 0 ]; then
  sm_ports=(${SHARDMASTER_PORTS:-9088 9089 9090})
  sm_raft_ports=(${SHARDMASTER_RAFT_PORTS:-9288 9289 9290})
  if [ ${#sm_ports[@]} -ne 3 ] || [ ${#sm_raft_ports[@]} -ne 3 ]; then
    echo "run-cluster.sh: --replicas runs a shardmaster of 3 members: give 3 SHARDMASTER_PORTS and SHARDMASTER_RAFT_PORTS" >&2
    exit 2
  fi
  kv_ports=(${SHARDKV_PORTS:-$(seq 9091 $((9090 + 3 * replicas)))})
  raft_ports=(${RAFT_PORTS:-$(for p in "${kv_ports[@]}"; do echo $((p + 100)); done)})
  if [ ${#kv_ports[@]} -ne $((3 * replicas)) ] || [ ${#raft_ports[@]} -ne $((3 * replicas)) ]; then
    echo "run-cluster.sh: --replicas $replicas needs $((3 * replicas)) SHARDKV_PORTS and RAFT_PORTS" >&2
    exit 2
  fi
else
  kv_ports=(${SHARDKV_PORTS:-9091 9092 9093})
fi
gw_port=${GATEWAY_PORT:-3000}
jars=(shardmaster/target/shardmaster.jar shardkv/target/shardkv.jar client-cli/target/client.jar
      frontend-gateway/target/frontend-gateway.jar)

missing=false
for jar in "${jars[@]}"; do [ -f "$jar" ] || missing=true; done
if $rebuild || $missing; then
  echo "Building (mvn package, about a minute the first time; tests skipped, ./test.sh runs them)..."
  mvn -B -q -ntp -Dstyle.color=never package -DskipTests
fi

logs=$run_dir/logs
data=$run_dir/data
# Servers name themselves by the address they listen on; on every interface, by loopback.
case "$listen" in
  0.0.0.0|::|'[::]') host=127.0.0.1 ;;
  *) host=$listen ;;
esac
$fresh && rm -rf "$data"
mkdir -p "$logs"
echo $$ >"$pid_file"
# Each process gets its own data directory (or none with --in-memory).
data_args() { if $durable; then echo "--data-dir $data/$1"; fi; }
# Class data sharing (AppCDS): the first run of a role with these jars records the classes it loaded
# into $RUN_DIR/cds/<role>.jsa when it stops; later runs map them instead of loading and verifying each
# class again (a shardkv joined in 5.9-8.0 s instead of 11-17 s on a busy 2-core machine).
mkdir -p "$run_dir/cds"
cds_opts() {
  local archive=$run_dir/cds/$1.jsa jar=$2
  [ -f "$archive" ] && [ "$jar" -nt "$archive" ] && rm -f "$archive"
  if [ -f "$archive" ]; then echo "-XX:SharedArchiveFile=$archive"
  elif [ "${3:-first}" = first ]; then echo "-XX:ArchiveClassesAtExit=$archive"; fi
}
pids=()
stop_all() {
  trap - EXIT INT TERM
  rm -f "$pid_file"
  if [ ${#pids[@]} -gt 0 ]; then
    echo "Stopping ${#pids[@]} processes..."
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# Waits until $2 appears in log file $1, or fails after 30 s.
wait_for() {
  for _ in $(seq 1 300); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "run-cluster.sh: gave up waiting for '$2' in $1:" >&2
  tail -20 "$1" >&2
  exit 1
}

# How the servers, the CLI and the gateway name the shardmaster: HOST PORT, or a list of its members
# and "-" (the gateway takes the list alone).
if [ "$replicas" -gt 0 ]; then
  sm_peer_items=() sm_items=()
  for i in 1 2 3; do
    sm_peer_items+=("sm$i:$host:${sm_raft_ports[$((i - 1))]}")
    sm_items+=("$host:${sm_ports[$((i - 1))]}")
  done
  sm_peers=$(IFS=,; echo "${sm_peer_items[*]}")
  sm_list=$(IFS=,; echo "${sm_items[*]}")
  sm_operands=("$sm_list" -)
  sm_target=$sm_list
  for i in 1 2 3; do
    java @jvm-options/shardmaster.options $(cds_opts shardmaster shardmaster/target/shardmaster.jar $( [ $i -eq 1 ] && echo first || echo other)) \
      ${JAVA_OPTS:-} -jar shardmaster/target/shardmaster.jar "${sm_ports[$((i - 1))]}" --listen "$listen" \
      --raft-id "sm$i" --raft-peers "$sm_peers" --data-dir "$data/shardmaster-sm$i" \
      ${server_security[@]+"${server_security[@]}"} >"$logs/shardmaster-sm$i.log" 2>&1 &
    pids+=($!)
  done
  for i in 1 2 3; do wait_for "$logs/shardmaster-sm$i.log" "listening on"; done
  echo "shardmaster      $sm_list   (3 members; logs $logs/shardmaster-sm*.log)"
else
  sm_operands=("$host" "$sm_port")
  sm_target=$host:$sm_port
  java @jvm-options/shardmaster.options $(cds_opts shardmaster shardmaster/target/shardmaster.jar) \
    ${JAVA_OPTS:-} -jar shardmaster/target/shardmaster.jar "$sm_port" --listen "$listen" $(data_args shardmaster) \
    ${server_security[@]+"${server_security[@]}"} \
    >"$logs/shardmaster.log" 2>&1 &
  pids+=($!)
  wait_for "$logs/shardmaster.log" "listening on"
  echo "shardmaster      $host:$sm_port   (log $logs/shardmaster.log)"
fi

# Waits until $2 appears in any of the log files after it ($1 names them), or fails after 60 s.
wait_for_any() {
  local what=$1 pattern=$2
  shift 2
  for _ in $(seq 1 600); do
    grep -q "$pattern" "$@" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "run-cluster.sh: gave up waiting for $what ('$pattern' in $*):" >&2
  tail -n 5 "$@" >&2
  exit 1
}

first=first
# Replica groups: group g$g has members a, b, c, ... on the next $replicas client and Raft ports; every
# member gets the same --raft-peers and --join (only the leader joins, once).
ids=(a b c d e f g h i)
for g in $( [ "$replicas" -gt 0 ] && seq 1 3 ); do
  offset=$(( (g - 1) * replicas ))
  peers=()
  for m in $(seq 0 $((replicas - 1))); do
    peers+=("${ids[$m]}:$host:${raft_ports[$((offset + m))]}")
  done
  peer_list=$(IFS=,; echo "${peers[*]}")
  group_logs=()
  for m in $(seq 0 $((replicas - 1))); do
    port=${kv_ports[$((offset + m))]} id=${ids[$m]}
    log=$logs/shardkv-g$g-$id.log
    java @jvm-options/shardkv.options @jvm-options/shardkv-member.options \
      $(cds_opts shardkv shardkv/target/shardkv.jar $first) \
      ${JAVA_OPTS:-} -jar shardkv/target/shardkv.jar "$port" "${sm_operands[@]}" --advertise "$host:$port" \
      --group "g$g" --raft-id "$id" --raft-peers "$peer_list" --data-dir "$data/g$g-$id" --join \
      --listen "$listen" ${server_security[@]+"${server_security[@]}"} >"$log" 2>&1 &
    pids+=($!)
    group_logs+=("$log")
    first=other
  done
  wait_for_any "group g$g to be listed" "joined the cluster\|is now listed under" "${group_logs[@]}"
  echo "group g$g         $(for m in $(seq 0 $((replicas - 1))); do printf '%s ' "$host:${kv_ports[$((offset + m))]}"; done)  (logs $logs/shardkv-g$g-*.log)"
done
for port in $( [ "$replicas" -eq 0 ] && echo "${kv_ports[@]}" ); do
  java @jvm-options/shardkv.options $(cds_opts shardkv shardkv/target/shardkv.jar $first) \
    ${JAVA_OPTS:-} -jar shardkv/target/shardkv.jar "$port" "${sm_operands[@]}" --advertise "$host:$port" --join \
    --listen "$listen" $(data_args "shardkv-$port") ${server_security[@]+"${server_security[@]}"} \
    >"$logs/shardkv-$port.log" 2>&1 &
  pids+=($!)
  wait_for "$logs/shardkv-$port.log" "joined the cluster\|not joined"
  echo "shardkv          $host:$port   (log $logs/shardkv-$port.log)"
  first=other
done

java -jar frontend-gateway/target/frontend-gateway.jar "$sm_target" --port "$gw_port" \
  --listen "$listen" ${client_security[@]+"${client_security[@]}"} ${gateway_https[@]+"${gateway_https[@]}"} \
  >"$logs/gateway.log" 2>&1 &
pids+=($!)
wait_for "$logs/gateway.log" "://"
scheme=http; $secure && scheme=https
echo "web UI and API   $scheme://localhost:$gw_port   (log $logs/gateway.log)"
$secure && echo "locked down: TLS with client certificates, tokens and CA in $secrets (the browser must trust $secrets/ca.crt)"

$durable && echo "data in $data (survives restarts; --fresh starts over, --in-memory keeps none)"

if $seed; then
  # The client exits 1 if any line failed; the cluster stays up either way.
  if java -jar client-cli/target/client.jar "${sm_operands[@]}" ${client_security[@]+"${client_security[@]}"} \
    >"$logs/seed.log" 2>&1 <<'SEED'
put user_1 "Ada Lovelace"
put user_402 "Grace Hopper"
put user_777 "Alan Turing"
put post_10 "The Analytical Engine weaves algebraic patterns." user_1
put post_500 "It's easier to ask forgiveness than it is to get permission." user_402
put post_900 "We can only see a short distance ahead." user_777
put post_901 "Machines take me by surprise with great frequency." user_777
SEED
  then
    echo "seeded 3 users and 4 posts (log $logs/seed.log)"
  else
    echo "seeding failed; see $logs/seed.log" >&2
  fi
fi

echo
echo "Bacefook is up: open $scheme://localhost:$gw_port"
if $cli; then
  echo "CLI connected to the shardmaster; type 'help', or 'quit' to stop everything."
  java -jar client-cli/target/client.jar "${sm_operands[@]}" ${client_security[@]+"${client_security[@]}"}
else
  echo "Press Ctrl-C, or run ./run-cluster.sh --stop in another shell, to stop."
  wait "${pids[0]}"
fi
