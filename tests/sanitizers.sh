#!/usr/bin/env bash
# The whole test suite under sanitizers, with clang:
#
#   ./tests/sanitizers.sh address   ASan + UBSan build in build-asan/, every
#                                   test, plus every libFuzzer target for
#                                   IDENTITY_FUZZ_SECONDS (10) from its corpus
#   ./tests/sanitizers.sh thread    TSan build in build-tsan/, every test
#
# TSan needs to see every lock: Debian's abseil is not built with it, so the
# TSan build links tests/sanitizers/absl_mutex_tsan.cc, which annotates
# absl::Mutex for it. gRPC, libpq and OpenLDAP stay uninstrumented
# (ignore_noninstrumented_modules): races inside them are not looked for.
#
# Extra arguments go to ctest (e.g. -R unit). Installs what it needs, starts
# and stops its own servers like ./tests/run.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
kind=${1:?usage: tests/sanitizers.sh address|thread [ctest options]}
shift
source deploy/local/packages.sh
identity_ensure_packages "${IDENTITY_RUNTIME_PACKAGES[@]}" "${IDENTITY_TEST_PACKAGES[@]}" \
  clang libclang-rt-14-dev

case "$kind" in
  address) build=build-asan; fuzz=ON ;;
  thread) build=build-tsan; fuzz=OFF ;;
  *) echo "tests/sanitizers.sh: address or thread, not '$kind'" >&2; exit 2 ;;
esac
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DIDENTITY_BUILD_TESTS=ON -DIDENTITY_BUILD_FUZZERS=$fuzz \
  -DIDENTITY_SANITIZE="$kind" -DIDENTITY_FUZZ_SECONDS="${IDENTITY_FUZZ_SECONDS:-10}" >/dev/null
start=$(date +%s)
cmake --build "$build"
echo "sanitizer build took $(( $(date +%s) - start ))s" >&2

trap 'identity_stop_test_servers "$root/$build"' EXIT

# Findings stop the test that made them; leaks in the libraries we link
# (gRPC, OpenLDAP, libcurl initialisation) are theirs, not ours.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1}
cd "$build"
ctest --output-on-failure --timeout 1200 "$@"
