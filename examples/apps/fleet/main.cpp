// patter_fleet — patter's sessions shared by a fleet of stateless workers
// through Redis: a simulated dialer, the workers, a desk service, the
// same campaign in one process, and a check that they agree.
//
//   examples/apps/fleet/run_fleet.sh                 # the whole thing, one command
//   patter_fleet worker --redis 127.0.0.1:6379  # or each role by hand
//
// The roles are in worker.cpp, dialer.cpp, desk_service.cpp, in_process.cpp
// and check.cpp; what they say to each other is in protocol.hpp.
#include <iostream>

#include "options.hpp"
#include "redis.hpp"

namespace fleet {
int run_worker(const Options& o);
int run_dialer(const Options& o);
int run_desk(const Options& o);
int run_in_process(const Options& o);
int run_check(const Options& o);
}  // namespace fleet

int main(int argc, char** argv) {
  std::string error;
  const auto o = fleet::parse_options(argc, argv, error);
  if (!o) {
    std::cerr << "patter_fleet: " << error << "\n\n" << fleet::usage();
    return 2;
  }
  if (o->help) {
    std::cout << fleet::usage();
    return 0;
  }
  try {
    if (o->role == "worker") return fleet::run_worker(*o);
    if (o->role == "dialer") return fleet::run_dialer(*o);
    if (o->role == "desk") return fleet::run_desk(*o);
    if (o->role == "in-process") return fleet::run_in_process(*o);
    if (o->role == "check") return fleet::run_check(*o);
  } catch (const fleet::RedisError& e) {
    std::cerr << "patter_fleet " << o->role << ": " << e.what() << '\n';
    return 1;
  }
  std::cerr << "patter_fleet: unknown role `" << o->role << "`\n\n" << fleet::usage();
  return 2;
}
