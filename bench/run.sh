#!/usr/bin/env bash
# Runs the benchmarks on a release build: installs what is missing from
# Debian's packages, builds identityd and the load drivers in build-bench/,
# and prints one Markdown table per benchmark. Each driver starts its own
# PostgreSQL, slapd and identityd (unprivileged, loopback, temporary
# directories) and stops them.
#
#   ./bench/run.sh          every benchmark, 10 s per measured row
#   ./bench/run.sh 30       30 s per row
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source deploy/local/packages.sh
identity_ensure_packages "${IDENTITY_RUNTIME_PACKAGES[@]}" "${IDENTITY_TEST_PACKAGES[@]}"

build=${IDENTITY_BENCH_BUILD_DIR:-build-bench}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DIDENTITY_BUILD_TESTS=ON >/dev/null
cmake --build "$build" --target identityd ldap_bench validation_bench operations_bench \
  overload_bench

trap 'identity_stop_test_servers "$root/$build"' EXIT

seconds=${1:-10}
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -sr)"
echo
"$build/bench/validation_bench" "$seconds"
"$build/bench/operations_bench" "$seconds"
"$build/bench/ldap_bench" "$seconds"
"$build/bench/overload_bench" "$seconds"
