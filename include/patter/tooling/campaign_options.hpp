// patter/tooling/campaign_options.hpp — how a simulated campaign is set up:
// people, robots, calls, how long things take. Written once, taken by the
// campaign you step (patter/tooling/campaign.hpp) and, whole, by a
// simulation run to its end (patter/tooling/simulation.hpp).
//
//   patter::CampaignOptions opt;       // for patter::Campaign
//   opt.agents = 2;                    // 2 people ...
//   opt.robots_per_agent = 3;          // ... each watching 3 robots
//   opt.seed = 7;                      // same seed, same campaign
//
//   patter::SimulationOptions sim;     // for patter::simulate: the same fields ...
//   sim.agents = 2;
//   sim.calls = 10000;                 // ... with 1000 calls by default, not endless
//   sim.on_progress = [](std::uint64_t done, std::uint64_t total) { /* ... */ };
//
//   opt.pacing = true;                       // robots wait when people fall behind
//   opt.pacing_options.abandon_target = 0.03;  // patter/pacing.hpp
//   opt.idle_grab_score = 1;                 // idle people take calls early
#pragma once

#include <cstdint>
#include <optional>

#include "patter/pacing.hpp"
#include "patter/tooling/stats.hpp"

namespace patter {

/// A closed range of milliseconds; a value is drawn uniformly from it.
struct MsRange {
  std::uint64_t min = 0, max = 0;
};

struct CampaignOptions {
  std::uint32_t agents = 1;
  std::uint32_t trainees = 0;
  std::uint32_t robots_per_agent = 3;
  /// Calls to dial in all; then the robots stop. 0: no end (a Campaign), no
  /// calls (a simulation, which starts from 1000).
  std::uint64_t calls = 0;
  std::uint64_t seed = 1;
  /// Keep the transcripts of the first this many answered calls.
  std::uint32_t transcripts = 0;
  /// How long a simulated person talks on a call they took.
  MsRange handle_ms{60000, 240000};
  /// A free simulated person grabs a supervised call whose interest score
  /// reaches this before the script escalates; 0: never.
  double grab_score = 0;
  /// A robot's pause between one call and the next.
  std::uint32_t redial_ms = 2000;
  /// A robot whose call could not be opened tries again after this; 0: it stops.
  std::uint32_t retry_ms = 0;
  /// Speaking time of a line: per wide (CJK) character, per other character.
  std::uint32_t wide_char_ms = 220, narrow_char_ms = 65;
  /// Escalations: the desk gives them to free people at once (true), or they
  /// wait in its queue for people to choose (false): a simulated person takes
  /// one of their own robots' after `react_ms`, and any free simulated
  /// colleague one that waited `help_after_ms`.
  bool desk_assigns = true;
  MsRange react_ms{1500, 4000};
  std::uint64_t help_after_ms = 8000;
  /// Pace the robots (patter/pacing.hpp): before each dial a robot asks the
  /// campaign's PacingAdviser, fed with the desk's events, and holds when it
  /// says people would not keep up. Each person then has up to
  /// `pacing_options.max_robots_per_person` robots (at least
  /// `robots_per_agent`); how many dial is the adviser's call. The hold
  /// timeout is the script's. Off: every robot dials as soon as it is free.
  bool pacing = false;
  PacingOptions pacing_options;
  /// With pacing: the adviser forecasts with each call's chance to escalate
  /// and how soon, learnt from where calls are, their node and interest
  /// score (patter/escalation_odds.hpp). Off: from each call's age alone.
  bool pacing_odds = true;
  /// With pacing: a free person also grabs a call whose interest score
  /// reaches this (below `grab_score`) whenever the adviser has room, that
  /// is, would let a robot dial now: time that would go idle goes to the
  /// warmest calls in progress, and the robots dial less. Empty: only at
  /// `grab_score`. (docs/pacing.md, "Idle people take calls early".)
  std::optional<double> idle_grab_score;
  StatsOptions stats;
};

}  // namespace patter
