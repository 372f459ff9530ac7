#!/usr/bin/env bash
# Builds every module and runs every test: unit, in-process cluster, browser and end-to-end (real jars).
# Exits non-zero on any failure.
#
#   ./test.sh                 the whole suite (what CI runs)
#   ./test.sh --soak          also a long chaos run (CHAOS_SECONDS, default 300)
#   ./test.sh -- <mvn args>   pass extra arguments to Maven, e.g. -- -pl sharding -am
set -euo pipefail
cd "$(dirname "$0")"

mvn_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --soak) mvn_args+=("-Dchaos.seconds=${CHAOS_SECONDS:-300}"); shift ;;
    --) shift; mvn_args+=("$@"); break ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

command -v mvn >/dev/null || { echo "test.sh: Maven (mvn) is not installed" >&2; exit 1; }
exec mvn -B -ntp verify "${mvn_args[@]}"
