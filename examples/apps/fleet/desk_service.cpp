// desk — the desk service: it reads the campaign's escalations, gives each
// to a person (roster.hpp) and tells the dialer who picks up and when.
//
//   patter_fleet desk --redis 127.0.0.1:6379 --agents 20
//
// Escalations come from P:escalations, written by the worker that applied
// the escalating turn, in the same atomic commit as the turn itself: an
// escalation is never lost or published twice. Plans go to P:plans, which
// the dialer reads; it bridges the person in (agent_joined) and out
// (agent_left). A person is free again when their call's result appears on
// P:results. The service stops when the dialer sets P:done.
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "options.hpp"
#include "protocol.hpp"
#include "redis.hpp"
#include "roster.hpp"

namespace fleet {
namespace {

std::atomic<bool> stop_requested{false};
void on_stop_signal(int) {
  stop_requested = true;
}

}  // namespace

int run_desk(const Options& o) {
  std::string error;
  auto redis = Redis::connect(o.redis, error);
  if (!redis) {
    std::cerr << "desk: " << error << '\n';
    return 1;
  }
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  const Keys keys(o.prefix);
  // The people's draws use the campaign's seed, which the dialer publishes.
  std::optional<std::uint64_t> seed;
  for (int waited = 0; !seed && !stop_requested; ++waited) {
    Reply s = redis->command({"HGET", keys.campaign, "seed"});
    if (!s.is_nil()) seed = parse_uint(s.text());
    if (!seed && waited == 50)
      std::cerr << "desk: waiting for a dialer to start the campaign " << o.prefix << " on "
                << redis->endpoint() << '\n';
    if (!seed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!seed) return 0;
  Roster roster(*seed, o.agents);
  std::string cursor[2] = {"0", "0"};
  std::uint64_t escalations = 0, malformed = 0;
  std::cerr << "desk: " << roster.agents() << " people ready for the campaign " << o.prefix
            << " (seed " << *seed << ")\n";
  auto publish = [&](const PersonPlan& p) {
    const Fields f = encode(p);
    redis->append(xadd_args(keys.plans, f));
  };
  while (!stop_requested) {
    Reply r = redis->command({"XREAD", "COUNT", "1000", "BLOCK", "200", "STREAMS", keys.escalations,
                              keys.results, cursor[0], cursor[1]});
    if (r.is_error()) {
      std::cerr << "desk: XREAD on " << redis->endpoint() << " failed: " << r.text() << '\n';
      return 1;
    }
    std::size_t writes = 0;
    bool got = false;
    for (StreamBatch& s : read_streams(r)) {
      if (s.entries.empty()) continue;
      got = true;
      const bool escalation = s.stream == keys.escalations;
      cursor[escalation ? 0 : 1] = std::string(s.entries.back().id);
      for (const Entry& e : s.entries) {
        if (escalation) {
          auto note = decode_escalation(e.fields, error);
          if (!note) {
            std::cerr << "desk: escalation " << e.id << " is malformed (" << error
                      << "); skipped\n";
            ++malformed;
            continue;
          }
          ++escalations;
          if (auto plan = roster.escalate(*note)) publish(*plan), ++writes;
        } else if (const auto call = parse_uint(field(e.fields, "call").value_or(""))) {
          for (const PersonPlan& p : roster.release(*call)) publish(p), ++writes;
        }
      }
    }
    if (got) {
      redis->append({"XTRIM", keys.escalations, "MINID", cursor[0]});  // only the desk reads them
      ++writes;
    }
    for (; writes > 0; --writes) {
      Reply w = redis->reply();
      if (w.is_error())
        std::cerr << "desk: a write to " << redis->endpoint() << " failed: " << w.text() << '\n';
    }
    if (!got && redis->command({"EXISTS", keys.done}).integer() == 1) break;
  }
  std::cerr << "desk: " << escalations << " escalations, " << roster.taken()
            << " given to a person (" << roster.waited() << " waited for one to be free)";
  if (malformed) std::cerr << ", " << malformed << " malformed";
  std::cerr << '\n';
  return 0;
}

}  // namespace fleet
