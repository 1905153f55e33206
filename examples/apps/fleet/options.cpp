// The fleet's command line (options.hpp).
#include "options.hpp"

#include <string_view>

#include "protocol.hpp"

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

namespace fleet {

const char* usage() {
  return R"(patter_fleet ROLE [OPTION...] — telesales calls shared by stateless workers through Redis

roles:
  worker       apply call events: load the snapshot, step, write it back (run several)
  desk         give escalations to people and say when they pick up
  dialer       publish the calls' events, react to the robots' actions, print the funnel
  in-process   the same campaign in one process, no Redis: the reference
  check        every call ended exactly once, with the reference's CallResults

options:
  --redis HOST:PORT     Redis server (127.0.0.1:6379)
  --prefix NAME         the campaign's keys (patter:fleet)
  --script FILE         call script (examples/scripts/invitation.zh-CN.yaml); a worker
                        takes several (one --script each) and serves the calls of each
  --personas FILE       its customers (examples/personas/<script>.personas.yaml)
  --calls N             calls in the campaign (1000)
  --seed N              the campaign's seed: same seed, same calls (1)
  --window N            dialer, in-process: calls in flight at once (1000)
  --agents N            desk, in-process: people at the desk (20)
  --name NAME           worker: its consumer name (worker-<pid>)
  --batch N             worker: events read at once (32)
  --claim-idle-ms N     worker: take over events another worker held this long (200)
  --crash-after N       worker, for tests: kill itself mid-turn after N turns
  --duplicate-every K   dialer, for tests: publish every K-th event twice
  --stall-s N           dialer: give up when nothing happens for N seconds (60)
  --no-funnel           dialer, in-process: print the totals only
  --results FILE        dialer, in-process: write "call<TAB>CallResult JSON" lines
  --snapshots           in-process: keep each session as snapshot bytes between turns
  --reference FILE      check: the in-process run's --results file
)";
}

// The defaults that depend on other options, and the checks across them.
bool complete(Options& o, std::string& error) {
  if (!o.scripts.empty()) o.script = o.scripts.front();
  if (o.script.empty()) o.script = PATTER_EXAMPLES_DIR "/scripts/invitation.zh-CN.yaml";
  if (o.scripts.empty()) o.scripts.push_back(o.script);
  if (o.personas.empty()) {
    // scripts/NAME.yaml -> personas/NAME.personas.yaml
    std::string name = o.script.substr(o.script.find_last_of('/') + 1);
    if (name.size() > 5 && name.ends_with(".yaml")) name.resize(name.size() - 5);
    o.personas = PATTER_EXAMPLES_DIR "/personas/" + name + ".personas.yaml";
  }
  if (o.calls == 0 || o.window == 0 || o.batch == 0 || o.agents == 0) {
    error = "--calls, --window, --batch and --agents must be at least 1";
    return false;
  }
  return true;
}

std::optional<Options> parse_options(int argc, char** argv, std::string& error) {
  Options o;
  if (argc < 2) {
    error = "say which role to run";
    return std::nullopt;
  }
  o.role = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) {
        error = std::string(a) + " needs a value";
        return std::nullopt;
      }
      return std::string(argv[++i]);
    };
    auto number = [&](auto& out) -> bool {
      const auto v = value();
      if (!v) return false;
      const auto n = parse_uint(*v);
      if (!n) {
        error = std::string(a) + ": `" + *v + "` is not a whole number";
        return false;
      }
      out = static_cast<std::remove_reference_t<decltype(out)>>(*n);
      return true;
    };
    auto text = [&](std::string& out) {
      const auto v = value();
      if (v) out = *v;
      return v.has_value();
    };
    bool ok = true;
    if (a == "--redis")
      ok = text(o.redis);
    else if (a == "--prefix")
      ok = text(o.prefix);
    else if (a == "--script")  // the first is the campaign's
      ok = text(o.scripts.emplace_back());
    else if (a == "--personas")
      ok = text(o.personas);
    else if (a == "--calls")
      ok = number(o.calls);
    else if (a == "--seed")
      ok = number(o.seed);
    else if (a == "--window")
      ok = number(o.window);
    else if (a == "--agents")
      ok = number(o.agents);
    else if (a == "--name")
      ok = text(o.name);
    else if (a == "--batch")
      ok = number(o.batch);
    else if (a == "--claim-idle-ms")
      ok = number(o.claim_idle_ms);
    else if (a == "--crash-after")
      ok = number(o.crash_after);
    else if (a == "--duplicate-every")
      ok = number(o.duplicate_every);
    else if (a == "--stall-s")
      ok = number(o.stall_s);
    else if (a == "--no-funnel")
      o.funnel = false;
    else if (a == "--results")
      ok = text(o.results);
    else if (a == "--snapshots")
      o.snapshots = true;
    else if (a == "--reference")
      ok = text(o.reference);
    else {
      error = "unknown option " + std::string(a);
      return std::nullopt;
    }
    if (!ok) return std::nullopt;
  }
  if (!complete(o, error)) return std::nullopt;
  return o;
}

}  // namespace fleet
