// patter/tooling/simulation.hpp — a simulated campaign: customer personas call a
// script, robots supervised by people, on a simulated clock.
//
//   auto script = patter::load_file("screening.zh-CN.yaml").script;
//   patter::PersonaLoad personas = patter::load_personas_file("screening.zh-CN.personas.yaml",
//   *script); for (const patter::Diagnostic& d : personas.diagnostics) std::cerr <<
//   patter::format(d) << '\n'; if (!personas.ok()) return 1;
//
//   patter::SimulationOptions opt;
//   opt.calls = 10000;
//   opt.agents = 5;                 // 5 people ...
//   opt.robots_per_agent = 3;       // ... each watching 3 robots
//   opt.seed = 7;                   // same seed, same campaign
//   patter::Simulation sim = patter::simulate(script, *personas.personas, opt);
//   std::cout << sim.report.to_text();
//
// Personas are customer types with a share of the population: how often
// they answer (or a voicemail does), how long they think before replying,
// how long they wait on hold, how likely a person closes them, and, per
// node, how likely each reply is (an intent, silence, a hang-up, words the
// script does not understand, a key). Their words are drawn from each
// intent's own phrases and examples in the script, so a persona file stays
// small. Format: docs/simulating.md.
//
// The simulation drives real Sessions through a real Desk: escalations go to
// the supervising person or the queue, the script's hold policy runs on the
// desk's timers (`Desk::due`), people grab promising calls, talk for a
// while and finish them. Everything is deterministic for a seed: one thread,
// one random stream, events ordered by time and arrival.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patter/desk.hpp"
#include "patter/diagnostic.hpp"
#include "patter/script.hpp"
#include "patter/session.hpp"
#include "patter/tooling/campaign_options.hpp"
#include "patter/tooling/stats.hpp"

namespace patter {

/// One thing a customer may do when the robot listens.
struct PersonaChoice {
  enum class Kind : std::uint8_t {
    intent,   ///< say words of `intent`
    silence,  ///< say nothing: the listen times out
    hangup,   ///< hang up
    unclear,  ///< say something the script does not understand
    key,      ///< press `key`
  };
  Kind kind = Kind::intent;
  IntentId intent = kNone;
  char key = 0;
  double weight = 1;
};

struct Persona {
  std::string name;
  double share = 1;                    ///< relative weight in the population
  double answer = 0.8;                 ///< of calls dialled: picked up by the customer
  double voicemail = 0.05;             ///< ... taken by an answering machine (the rest ring out)
  MsRange ring_ms{3000, 15000};        ///< until the pick-up (or the machine)
  MsRange think_ms{500, 2000};         ///< from the end of the robot's line to the reply
  MsRange patience_ms{30000, 120000};  ///< on hold before hanging up
  double buys = 0.3;                   ///< a person who takes the call closes it (`completed`)
  /// Per node (by NodeId): the choices there; empty means `fallback`.
  std::vector<std::vector<PersonaChoice>> nodes;
  /// Nodes not listed; empty means each route of the node equally, with a
  /// little silence and hanging up.
  std::vector<PersonaChoice> fallback;
};

/// One answer the simulated dialer gives a `fetch` (the file's `fetches:`).
struct FetchAnswer {
  enum class Kind : std::uint8_t {
    data,     ///< the variables in `values`, when the robot's line ends
    failed,   ///< the lookup failed
    timeout,  ///< no answer: the fetch's deadline passes
  };
  Kind kind = Kind::data;
  std::vector<std::pair<std::string, std::string>> values;
  double share = 1;  ///< relative weight among the fetch's answers
};

/// Personas for one script, with the words and CRM fields they use.
struct PersonaSet {
  std::vector<Persona> personas;
  /// Per intent (by IntentId): what customers say for it. From the
  /// script's phrases and examples, or the file's `utterances`.
  std::vector<std::vector<std::string>> utterances;
  /// Words the script should not understand (`unclear`).
  std::vector<std::string> unclear;
  /// CRM fields per call: a variable and the values to pick from.
  std::vector<std::pair<std::string, std::vector<std::string>>> variables;
  /// What the dialer answers each fetch, by the fetch's name; a fetch not
  /// listed gets no answer and takes its `timeout:`.
  std::vector<std::pair<std::string, std::vector<FetchAnswer>>> fetches;
};

struct PersonaLoad {
  std::optional<PersonaSet> personas;
  std::vector<Diagnostic> diagnostics;  ///< each with file, line and column
  bool ok() const noexcept { return personas.has_value(); }
};

/// Read personas for `script` from YAML; unknown keys, nodes and intents,
/// bad numbers and intents with nothing to say are diagnostics.
PersonaLoad load_personas_file(const std::string& path, const Script& script);
PersonaLoad load_personas_string(std::string_view yaml, const std::string& name,
                                 const Script& script);
/// One average customer, when there is no persona file: every route of
/// every node equally likely; required variables get a placeholder.
PersonaSet default_personas(const Script& script);

/// A simulation is a campaign (patter/tooling/campaign_options.hpp: people,
/// robots, seed, timings) run to its end, with a report on the way.
struct SimulationOptions : CampaignOptions {
  SimulationOptions() { calls = 1000; }
  /// Each finished call, in the order they end (for `--results`).
  std::function<void(const CallResult&, const CallContext&)> on_call;
  /// Called every so often with the calls finished so far (for a progress bar).
  std::function<void(std::uint64_t done, std::uint64_t total)> on_progress;
};

struct SimulatedTranscript {
  std::string persona;
  std::string agent;  ///< the person who took the call, if one did
  CallResult result;  ///< with its transcript
  CallContext context;
};

struct Simulation {
  StatsReport report;
  std::vector<SimulatedTranscript> transcripts;
  DeskCounters desk;         ///< the desk's own tally
  std::uint64_t sim_ms = 0;  ///< simulated time, first dial to last end
  std::uint64_t errors = 0;  ///< events a session refused (a bug: should be 0)
};

/// Run a campaign. Bad options (no calls, no agents) give an empty report.
Simulation simulate(std::shared_ptr<const Script> script, const PersonaSet& personas,
                    const SimulationOptions& options);

/// Transcripts as text for people: who said what, when, with the outcome.
std::string format_transcript(const SimulatedTranscript& t, const Script& script);

}  // namespace patter
