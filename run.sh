#!/usr/bin/env bash
# run.sh — build and run patter on a Debian 12 machine.
#
#   ./run.sh demo [SCRIPT.yaml] [OPTION...]    a simulated campaign: robots supervised by
#                                              people call a bundled script (zh-CN screening by
#                                              default); a few transcripts, then the funnel
#   ./run.sh tour [SCRIPT.yaml] [--dot FILE]   build and run the tour of a bundled script
#   ./run.sh fleet [OPTION...]                 a campaign through Redis: 3 stateless workers
#                                              share the calls, one is killed mid-run
#                                              (examples/apps/fleet/README.md)
#   ./run.sh web-desk [OPTION...]              the web desk: robots call simulated customers
#                                              live; open the printed URL as an agent, a
#                                              trainee or a supervisor (--port 0: any free port)
#   ./run.sh test                              build everything and run all the tests
#   ./run.sh sanitize                          the tests under ASan+UBSan (leaks too), the
#                                              threaded ones under TSan
#   ./run.sh fuzz [SECONDS] [TARGET...]        build the fuzzers with clang (in ./build-asan)
#                                              and run each for SECONDS (default 60), one
#                                              a core at a time
#   ./run.sh format [--check]                  clang-format every C++ file the repository
#                                              tracks or would (.clang-format); --check only reports
#
# Each command first installs the Debian packages it needs when they are
# missing (with sudo when not root). All but sanitize and fuzz build in
# ./build (Release, Ninja); sanitize builds in ./build-asan (clang) and
# ./build-tsan, fuzz is tests/fuzz/run.sh (docs/fuzzing.md) and reuses
# ./build-asan: one build of the library serves both.
# demo's options go to `patter simulate` (e.g. --calls 50000 --seed 7), web-desk's
# to patter_web_desk (e.g. --agents 5 --speed 8; --help lists them).
# Environment: PATTER_JOBS (build jobs, default: all cores),
# PATTER_TEST_TIMEOUT (seconds per test, default 300).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

BUILD_DIR=build
JOBS=${PATTER_JOBS:-$(nproc 2>/dev/null || echo 2)}
TEST_TIMEOUT=${PATTER_TEST_TIMEOUT:-300}

# What building the library, the `patter` tool and the demo needs.
BUILD_PACKAGES=(cmake ninja-build g++ pkg-config
                libboost-graph-dev libyaml-cpp-dev libicu-dev libfmt-dev libcli11-dev)
# What the web desk needs on top of the build packages: sign-in (libsodium),
# TLS (libssl), the pages' commands (nlohmann-json).
WEB_DESK_PACKAGES=(libsodium-dev libssl-dev nlohmann-json3-dev)
# What the tests and benchmarks need on top of that.
# The web desk's browser test drives Debian's chromium through chromedriver.
# `patter train` is tested in a real terminal, through tmux.
TEST_PACKAGES=(libgtest-dev libgmock-dev libbenchmark-dev libre2-dev
               graphviz fonts-noto-cjk python3 python3-jsonschema python3-yaml
               pybind11-dev python3-dev python3-pytest
               libhiredis-dev redis-server chromium chromium-driver tmux
               "${WEB_DESK_PACKAGES[@]}")
# Hyperscan, a benchmark peer, is built by Debian for x86 only.
if [[ $(dpkg --print-architecture 2>/dev/null) == amd64 ]]; then
  TEST_PACKAGES+=(libhyperscan-dev)
fi

# What the format check needs: Debian 12's clang-format (14); another
# version may format a few constructs differently.
FORMAT_PACKAGES=(clang-format git)

# What the fuzzers and the ASan build need on top of the build packages:
# clang and its runtimes (libFuzzer, the sanitizers).
FUZZ_PACKAGES=(clang libclang-rt-14-dev)

usage() {
  sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# Each step is stamped with the minutes and seconds since PATTER_T0 (a Unix
# time; by default when this run started; .ci/run sets it once for all steps).
export PATTER_T0=${PATTER_T0:-$EPOCHSECONDS}
log() {
  local t=$((EPOCHSECONDS - PATTER_T0))
  printf '==> [%d:%02d] %s\n' $((t / 60)) $((t % 60)) "$*" >&2
}

# Install the packages that dpkg does not know as installed; apt-get update
# runs once, and only when something is missing.
ensure_packages() {
  local missing=() pkg status
  for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null; then
      sudo=(sudo)
    else
      log "missing packages: ${missing[*]}"
      log "run as root, or install them: apt-get install ${missing[*]}"
      exit 1
    fi
  fi
  log "installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

configure() {
  log "configuring $BUILD_DIR (Release, Ninja)"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
}

# The build for the demo and the tour alone: leave out what only the tests need.
configure_for_demo() {
  if [[ -f $BUILD_DIR/CMakeCache.txt ]]; then
    configure -DPATTER_BUILD_EXAMPLES=ON -DPATTER_BUILD_TOOLS=ON
  else
    configure -DPATTER_BUILD_EXAMPLES=ON -DPATTER_BUILD_TOOLS=ON -DPATTER_BUILD_TESTS=OFF -DPATTER_BUILD_BENCH=OFF
  fi
}

# A campaign on a zh-CN script: 12 robots dial 3,000 leads, 4 salespeople
# each watch 3 of them, take escalations and grab promising calls.
demo() {
  ensure_packages "${BUILD_PACKAGES[@]}"
  configure_for_demo
  log "building the patter tool"
  cmake --build "$BUILD_DIR" --target patter_cli -j "$JOBS"
  local script=examples/scripts/screening.zh-CN.yaml
  if [[ ${1:-} == *.yaml ]]; then
    script=$1
    shift
  fi
  log "simulating a campaign on $script"
  "$BUILD_DIR/tools/patter/patter" simulate "$script" --calls 3000 --agents 4 --robots-per-agent 3 \
    --grab-score 40 --transcripts 3 --seed 1 "$@"
}

tour() {
  ensure_packages "${BUILD_PACKAGES[@]}"
  configure_for_demo
  log "building the tour"
  cmake --build "$BUILD_DIR" --target patter_tour -j "$JOBS"
  log "running the tour"
  "$BUILD_DIR/examples/patter_tour" "$@"
}

# The fleet example: hiredis to build it, redis-server to run it.
fleet() {
  ensure_packages "${BUILD_PACKAGES[@]}" libhiredis-dev redis-server
  configure_for_demo
  log "building the fleet example"
  cmake --build "$BUILD_DIR" --target patter_fleet -j "$JOBS"
  examples/apps/fleet/run_fleet.sh --fleet "$BUILD_DIR/examples/apps/fleet/patter_fleet" "$@"
}

# The web desk: Beast and Asio come with the Boost headers that
# libboost-graph-dev brings; sign-in, TLS and JSON need WEB_DESK_PACKAGES.
web_desk() {
  ensure_packages "${BUILD_PACKAGES[@]}" "${WEB_DESK_PACKAGES[@]}"
  configure_for_demo
  log "building the web desk"
  cmake --build "$BUILD_DIR" --target patter_web_desk -j "$JOBS"
  log "starting the web desk (Ctrl-C stops it)"
  exec "$BUILD_DIR/examples/apps/web-desk/patter_web_desk" "$@"
}

run_tests() {
  ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
  configure -DPATTER_BUILD_TESTS=ON -DPATTER_BUILD_EXAMPLES=ON -DPATTER_BUILD_TOOLS=ON \
            -DPATTER_BUILD_BENCH=ON
  log "building with $JOBS jobs"
  cmake --build "$BUILD_DIR" -j "$JOBS"
  log "running the tests"
  # ctest's closing summary ("100% tests passed, 0 tests failed out of N")
  # is the last thing printed; its exit status is this script's.
  # The million-call soak (label `soak`) is left out: `ctest -L soak` runs it.
  ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error --label-exclude soak \
        --timeout "$TEST_TIMEOUT" -j "$JOBS"
}

# A fuzzer runs on one core: as many run at a time as there are jobs, each
# still fuzzing for the whole SECONDS.
fuzz() {
  ensure_packages "${BUILD_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
  PATTER_JOBS=${PATTER_JOBS:-$JOBS} PATTER_FUZZ_PARALLEL=${PATTER_FUZZ_PARALLEL:-$JOBS} \
    tests/fuzz/run.sh "$@"
}

# The C++ sources git tracks or would track (new files not yet added, but
# not ignored ones), formatted by .clang-format. With --check
# nothing is written: each file that would change is named and the run fails.
format() {
  ensure_packages "${FORMAT_PACKAGES[@]}"
  local files=()
  # The layer check's fixture keeps its bad includes where its test expects them.
  mapfile -t files < <(git ls-files --cached --others --exclude-standard \
    '*.cpp' '*.hpp' '*.h' ':!:tests/layers/fixture/*' | sort -u)
  if [[ ${1:-} == --check ]]; then
    local bad=() f
    for f in "${files[@]}"; do
      clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
    done
    if ((${#bad[@]} > 0)); then
      log "not formatted (./run.sh format fixes them): ${bad[*]}"
      exit 1
    fi
    log "format: ${#files[@]} files as .clang-format wants them"
  else
    clang-format -i "${files[@]}"
    log "formatted ${#files[@]} files"
  fi
}

# Every test under AddressSanitizer, its LeakSanitizer and UBSan (the soak
# test's 20,000 calls among them), then the tests that run many threads
# under ThreadSanitizer. Any report fails the run.
#
# The ASan build is build-asan, configured by cmake/asan-fuzz.cmake: clang,
# -O1 -g1, and the fuzzers' instrumentation, so that tests/fuzz/run.sh
# (`./run.sh fuzz`) builds and runs the fuzzers there without compiling the
# library again. The TSan build stays with g++ at -O1 -g1, the library and
# the two threaded tests only.
ASAN_DIR=build-asan
TSAN_FLAGS=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1"
            -DPATTER_BUILD_BENCH=OFF -DPATTER_BUILD_PYTHON=OFF)
sanitize() {
  ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
  # A build-asan configured otherwise (another compiler, no fuzzing flags:
  # an older layout, or a hand-made one) is configured afresh, as
  # tests/fuzz/run.sh does.
  if [[ -f $ASAN_DIR/CMakeCache.txt ]] &&
    ! { grep -qs '^PATTER_FUZZ:BOOL=ON' "$ASAN_DIR/CMakeCache.txt" &&
      grep -qs '^CMAKE_CXX_COMPILER:.*clang' "$ASAN_DIR/CMakeCache.txt"; }; then
    log "$ASAN_DIR was configured otherwise: starting its configuration afresh"
    rm -rf "$ASAN_DIR/CMakeCache.txt" "$ASAN_DIR/CMakeFiles"
  fi
  log "configuring $ASAN_DIR (clang, AddressSanitizer + UBSan, -O1)"
  cmake -C cmake/asan-fuzz.cmake -S . -B "$ASAN_DIR" -G Ninja \
        -DPATTER_BUILD_TESTS=ON -DPATTER_BUILD_TOOLS=ON -DPATTER_BUILD_EXAMPLES=ON
  log "building $ASAN_DIR with $JOBS jobs"
  cmake --build "$ASAN_DIR" -j "$JOBS"
  log "running the tests under ASan and UBSan"
  ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir "$ASAN_DIR" --output-on-failure --no-tests=error --label-exclude soak \
          --timeout "$TEST_TIMEOUT" -j "$JOBS"

  log "configuring build-tsan (ThreadSanitizer, -O1)"
  cmake -S . -B build-tsan -G Ninja "${TSAN_FLAGS[@]}" -DPATTER_SANITIZE_THREAD=ON \
        -DPATTER_BUILD_TESTS=ON -DPATTER_BUILD_TOOLS=OFF -DPATTER_BUILD_EXAMPLES=OFF
  log "building the threaded tests with $JOBS jobs"
  cmake --build build-tsan -j "$JOBS" --target patter_threads_test patter_desk_threads_test
  local t
  for t in patter_threads_test patter_desk_threads_test; do
    log "running $t under TSan"
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 "build-tsan/tests/$t"
  done
  log "sanitizers: no reports"
}

cmd=${1:-}
(($# > 0)) && shift
case $cmd in
  demo) demo "$@" ;;
  tour) tour "$@" ;;
  fleet) fleet "$@" ;;
  web-desk) web_desk "$@" ;;
  test) run_tests "$@" ;;
  fuzz) fuzz "$@" ;;
  sanitize) sanitize "$@" ;;
  format) format "$@" ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
