// patter simulate SCRIPT --calls N --agents A --robots-per-agent R [--personas FILE] [--seed S]
//                 [--json] [--results OUT.jsonl] [--transcripts K] [--grab-score S]
// A simulated campaign: personas call the script, robots supervised by people.
#include <patter/json_writer.hpp>
#include <patter/patter.hpp>
#include <patter/tooling/simulation.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"

namespace patter::cli {
namespace {

// A bar on the terminal's last line, redrawn in place.
void draw_progress(std::uint64_t done, std::uint64_t total) {
  constexpr int kWidth = 30;
  const int filled = total ? static_cast<int>(kWidth * done / total) : kWidth;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r  simulating [%s] %llu/%llu calls", bar.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
  if (done == total) std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
}

// The personas file for SCRIPT when none is named: <name>.personas.yaml
// beside it or in ../personas/ (the layout of examples/); empty if neither.
std::string find_personas(const std::string& file) {
  const std::filesystem::path script_path(file);
  const std::string name = script_path.stem().string() + ".personas.yaml";
  for (const auto& p :
       {script_path.parent_path() / name, script_path.parent_path() / ".." / "personas" / name}) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p.lexically_normal().string();
  }
  return {};
}

// The personas of `personas_file`, else one average customer; false after
// reporting why they cannot be read.
bool load_personas(const std::string& personas_file, const Script& script, PersonaSet& out) {
  if (personas_file.empty()) {
    out = default_personas(script);
    return true;
  }
  PersonaLoad pl = load_personas_file(personas_file, script);
  for (const Diagnostic& d : pl.diagnostics) std::cerr << format(d) << '\n';
  if (!pl.ok()) return false;
  out = std::move(*pl.personas);
  return true;
}

int print_json(const Simulation& sim, const SimulationOptions& opt, const PersonaSet& personas) {
  JsonWriter w = JsonWriter::extending(sim.report.to_json());
  w.key("simulation")
      .object()
      .field("agents", opt.agents)
      .field("robots_per_agent", opt.robots_per_agent);
  w.field("seed", opt.seed).field("personas", personas.personas.size()).field("sim_ms", sim.sim_ms);
  w.field("errors", sim.errors).end().end();
  std::cout << w.str() << '\n';
  return sim.errors ? 1 : 0;
}

int print_text(const Simulation& sim, const SimulationOptions& opt, const PersonaSet& personas,
               const Script& script, double secs) {
  for (const SimulatedTranscript& t : sim.transcripts)
    std::cout << format_transcript(t, script) << '\n';
  std::cout << "simulated " << opt.calls << " calls of " << script.id() << ' ' << script.version()
            << ": " << opt.agents << (opt.agents == 1 ? " agent" : " agents") << " x "
            << opt.robots_per_agent << (opt.robots_per_agent == 1 ? " robot" : " robots") << ", "
            << personas.personas.size()
            << (personas.personas.size() == 1 ? " persona" : " personas") << ", seed " << opt.seed
            << '\n'
            << "  " << sim.sim_ms / 3600000 << "h " << (sim.sim_ms / 60000) % 60
            << "m of calling simulated in " << static_cast<int>(secs * 1000) << " ms\n\n";
  std::cout << sim.report.to_text();
  if (sim.errors) {
    std::cerr << "patter: " << sim.errors
              << " events were refused by the sessions; this is a bug in patter\n";
    return 1;
  }
  return 0;
}

}  // namespace

int simulate(const SimulateArgs& args) {
  const std::string& file = args.file;
  const std::string& results_file = args.results;
  SimulationOptions opt = args.options;

  const LoadResult loaded = load_file(file);
  for (const Diagnostic& d : loaded.diagnostics)
    if (d.severity == Severity::error) std::cerr << format(d) << '\n';
  if (!loaded.ok()) return 1;
  const Script& script = *loaded.script;

  PersonaSet personas;
  if (!load_personas(args.personas.empty() ? find_personas(file) : args.personas, script, personas))
    return 1;

  std::ofstream results;
  if (!results_file.empty()) {
    results.open(results_file, std::ios::binary);
    if (!results) {
      std::cerr << "patter: cannot write `" << results_file << "`\n";
      return 1;
    }
    opt.on_call = [&](const CallResult& r, const CallContext& c) {
      results << to_json_line(r, script, c) << '\n';
    };
  }
  if (isatty(STDERR_FILENO) && opt.calls >= 2000) opt.on_progress = draw_progress;

  const auto started = std::chrono::steady_clock::now();
  const Simulation sim = patter::simulate(loaded.script, personas, opt);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (results.is_open()) {
    results.flush();
    if (!results) {
      std::cerr << "patter: cannot write `" << results_file << "`\n";
      return 1;
    }
  }
  if (args.json) return print_json(sim, opt, personas);
  return print_text(sim, opt, personas, script, secs);
}

}  // namespace patter::cli
