// 10 — Simulation: a campaign on a simulated clock. Customer personas
// answer a real script, robots supervised by people run real Sessions
// through a real Desk, and the report is the funnel an author tunes from.
//
//   personas ──▶ customers ──events──▶ robots (Sessions) ──escalate──▶ Desk ──▶ people
//                                           │
//                                           └── CallResults ──▶ Stats ──▶ funnel per node
//
//   $ 10_simulation [CALLS]
#include <cstdlib>
#include <iostream>

#include <patter/tooling.hpp>

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

int main(int argc, char** argv) {
  auto loaded = patter::load_file(PATTER_EXAMPLES_DIR "/scripts/screening.zh-CN.yaml");
  if (!loaded.ok()) return 1;
  patter::PersonaLoad personas = patter::load_personas_file(
      PATTER_EXAMPLES_DIR "/personas/screening.zh-CN.personas.yaml", *loaded.script);
  for (const patter::Diagnostic& d : personas.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!personas.ok()) return 1;

  patter::SimulationOptions options;
  options.calls = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 500;
  options.agents = 2;            // two people ...
  options.robots_per_agent = 3;  // ... each watching three robots
  options.seed = 7;              // the same seed gives the same campaign
  options.transcripts = 1;       // keep one call to read

  const patter::Simulation sim = patter::simulate(loaded.script, *personas.personas, options);
  std::cout << sim.report.to_text();
  if (!sim.transcripts.empty())
    std::cout << '\n' << patter::format_transcript(sim.transcripts.front(), *loaded.script);
  std::cout << "\nsimulated " << sim.sim_ms / 60000 << " min; escalations raised "
            << sim.desk.raised << ", taken " << sim.desk.taken << "; refused events " << sim.errors
            << '\n';
  return sim.errors == 0 ? 0 : 1;
}
