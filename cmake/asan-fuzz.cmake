# The settings of build-asan, the one clang build that both `./run.sh
# sanitize` (every test under AddressSanitizer, LeakSanitizer and UBSan) and
# tests/fuzz/run.sh (the libFuzzer targets) use, so that the library is
# compiled once for both:
#
#   cmake -C cmake/asan-fuzz.cmake -S . -B build-asan -G Ninja
#
# PATTER_FUZZ instruments everything for libFuzzer (fuzzer-no-link) and any
# undefined behaviour stops the program; PATTER_SANITIZE on top tells the
# tests they run under ASan. -O1 with line tables only (-g1): less than half
# the compile time of -O2 -g, tests nearly as fast, stack traces that still
# name files and lines; Debug keeps the assertions on. The Python module is
# left out (an ASan library loads into Python only with LD_PRELOAD), and so
# are the benchmarks. Tests, tools and examples are set by the caller.
set(CMAKE_CXX_COMPILER clang++ CACHE STRING "")
set(CMAKE_BUILD_TYPE Debug CACHE STRING "")
set(CMAKE_CXX_FLAGS_DEBUG "-O1 -g1" CACHE STRING "")
set(PATTER_SANITIZE ON CACHE BOOL "")
set(PATTER_FUZZ ON CACHE BOOL "")
set(PATTER_BUILD_BENCH OFF CACHE BOOL "")
set(PATTER_BUILD_PYTHON OFF CACHE STRING "")
