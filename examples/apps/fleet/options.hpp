// options.hpp — the command line shared by the fleet's roles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleet {

struct Options {
  std::string role;
  std::string redis = "127.0.0.1:6379";
  std::string prefix = "patter:fleet";
  std::string script, personas;      ///< the campaign's script (the first --script)
  std::vector<std::string> scripts;  ///< worker: every --script given (default: the campaign's)
  std::uint64_t calls = 1000;
  std::uint64_t seed = 1;
  std::uint32_t window = 1000;  ///< dialer, in-process: calls in flight at once
  std::uint32_t agents = 20;    ///< desk, in-process: people at the desk
  // worker
  std::string name;                   ///< default: worker-<pid>
  std::uint32_t batch = 32;           ///< events read at once
  std::uint32_t claim_idle_ms = 200;  ///< take over another worker's event after this long
  std::uint64_t crash_after = 0;      ///< test: die (SIGKILL) mid-turn after this many turns
  // dialer
  std::uint64_t duplicate_every = 0;  ///< test: publish every k-th event twice
  std::uint32_t stall_s = 60;         ///< give up when nothing moves for this long
  // every role talking to Redis
  std::uint32_t redis_retry_s = 30;  ///< retry a lost connection this long
  bool help = false;
  bool funnel = true;
  // dialer, in-process: "call<TAB>json" per call, by call id
  std::string results;
  // in-process
  bool snapshots = false;  ///< keep sessions as snapshot bytes between turns
  // check
  std::string reference;
};

/// Parse argv; on failure nullopt with `error` (the usage is in `usage()`);
/// `help` set when --help was asked for.
std::optional<Options> parse_options(int argc, char** argv, std::string& error);
const char* usage();

}  // namespace fleet
