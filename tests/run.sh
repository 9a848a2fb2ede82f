#!/usr/bin/env bash
# Runs every test: installs what is missing from Debian's packages, builds
# with the tests, and runs them with CTest. The tests start their own
# PostgreSQL clusters and identityd processes (unprivileged, on loopback, in
# temporary directories) and stop them; anything left behind by a crash is
# stopped here too.
#
#   ./tests/run.sh              all tests
#   ./tests/run.sh -R e2e       only tests whose name matches (ctest options)
#
# Then (full runs only) the libFuzzer targets run 10 s each with ASan and
# UBSan; ./tests/sanitizers.sh runs the whole suite under ASan+UBSan or TSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source deploy/local/packages.sh
identity_ensure_packages "${IDENTITY_RUNTIME_PACKAGES[@]}" "${IDENTITY_TEST_PACKAGES[@]}"

build=${IDENTITY_TEST_BUILD_DIR:-build-test}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# The test binaries use precompiled headers, which ccache caches only when
# told that a header's timestamps and the time macros do not matter.
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
start=$(date +%s)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DIDENTITY_BUILD_TESTS=ON >/dev/null
cmake --build "$build"
echo "build took $(( $(date +%s) - start ))s" >&2

trap 'identity_stop_test_servers "$root/$build"' EXIT

# Two at a time: most entries wait on their servers more than they compute.
(cd "$build" && ctest --output-on-failure --timeout 900 -j2 "$@")

# The libFuzzer targets (clang, ASan + UBSan), briefly, from their corpora.
# Skipped when ctest options were given (a partial run).
if [ $# -eq 0 ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIDENTITY_BUILD_TESTS=OFF \
    -DIDENTITY_BUILD_FUZZERS=ON -DIDENTITY_FUZZ_SECONDS="${IDENTITY_FUZZ_SECONDS:-10}" >/dev/null
  cmake --build build-fuzz --target fuzzers
  (cd build-fuzz && ctest --output-on-failure -j2 -L fuzz)
fi
