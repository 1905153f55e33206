// The fleet's command line (options.hpp).
#include "options.hpp"

#include <CLI/CLI.hpp>

#include "text/suggest.hpp"

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

options (--opt value or --opt=value):
  --redis HOST:PORT     Redis server (127.0.0.1:6379); the first connection must
                        succeed, a lost one is retried (--redis-retry-s)
  --redis-retry-s N     retry a lost Redis connection with backoff for N s before
                        giving up (30)
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
                        (a dialer started on a campaign that has not finished
                        resumes it from what Redis holds)
  --no-funnel           dialer, in-process: print the totals only
  --results FILE        dialer, in-process: write "call<TAB>CallResult JSON" lines
  --snapshots           in-process: keep each session as snapshot bytes between turns
  --reference FILE      check: the in-process run's --results file
  -h, --help            this text
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

namespace {

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options())
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
  return names;
}

template <class T>
void number(CLI::App& app, const char* name, T& into) {
  app.add_option(name, into)->type_name("N");
}

void add_options(CLI::App& app, Options& o) {
  app.set_help_flag();  // --help is the whole usage(), below
  app.add_flag("-h,--help", o.help);
  app.add_option("--redis", o.redis);
  app.add_option("--prefix", o.prefix);
  app.add_option("--script", o.scripts)->allow_extra_args(false);  // the first is the campaign's
  app.add_option("--personas", o.personas);
  number(app, "--calls", o.calls);
  number(app, "--seed", o.seed);
  number(app, "--window", o.window);
  number(app, "--agents", o.agents);
  app.add_option("--name", o.name);
  number(app, "--batch", o.batch);
  number(app, "--claim-idle-ms", o.claim_idle_ms);
  number(app, "--crash-after", o.crash_after);
  number(app, "--duplicate-every", o.duplicate_every);
  number(app, "--stall-s", o.stall_s);
  number(app, "--redis-retry-s", o.redis_retry_s);
  app.add_flag("--no-funnel{false}", o.funnel);
  app.add_option("--results", o.results);
  app.add_flag("--snapshots", o.snapshots);
  app.add_option("--reference", o.reference);
}

}  // namespace

std::optional<Options> parse_options(int argc, char** argv, std::string& error) {
  Options o;
  if (argc < 2) {
    error = "say which role to run";
    return std::nullopt;
  }
  o.role = argv[1];
  if (o.role == "-h" || o.role == "--help" || o.role == "help") {
    o.help = true;
    return o;
  }
  CLI::App app("patter_fleet " + o.role, "patter_fleet " + o.role);
  app.allow_extras();
  add_options(app, o);
  std::vector<std::string> args;
  for (int i = argc - 1; i >= 2; --i) args.emplace_back(argv[i]);  // CLI11 takes them reversed
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    error = std::string(e.what()) + " (patter_fleet --help lists the options)";
    return std::nullopt;
  }
  for (const std::string& arg : app.remaining()) {
    const std::string name = arg.substr(0, arg.find('='));
    error = (arg.starts_with("-") ? "unknown option `" : "unexpected argument `") + name + "`";
    if (const std::string hint = patter::detail::did_you_mean(name, option_names(app));
        arg.starts_with("-") && !hint.empty())
      error += "; " + hint;
    return std::nullopt;
  }
  if (o.help) return o;
  if (!complete(o, error)) return std::nullopt;
  return o;
}

}  // namespace fleet
