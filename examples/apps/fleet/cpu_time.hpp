// cpu_time.hpp — the CPU time this process has used, for the benchmark's
// per-turn costs (a process can be slow because it waits or because it works).
#pragma once

#include <sys/resource.h>

namespace fleet {

/// User and system CPU seconds used by this process so far.
inline double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace fleet
