// patter simulate SCRIPT --calls N --agents A --robots-per-agent R [--personas FILE] [--seed S]
//                 [--json] [--results OUT.jsonl] [--transcripts K] [--grab-score S]
// A simulated campaign: personas call the script, robots supervised by people.
#include <patter/patter.hpp>
#include <patter/tooling/simulation.hpp>

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"

namespace patter::cli {
namespace {

bool parse_count(const std::string& s, std::uint64_t& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// A bar on the terminal's last line, redrawn in place.
void draw_progress(std::uint64_t done, std::uint64_t total) {
  constexpr int kWidth = 30;
  const int filled = total ? static_cast<int>(kWidth * done / total) : kWidth;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r  simulating [%s] %llu/%llu calls", bar.c_str(), static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total));
  if (done == total) std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
}

}  // namespace

int simulate(const Args& args) {
  std::string file, personas_file, results_file;
  SimulationOptions opt;
  bool json = false;
  std::uint64_t transcripts = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::uint64_t& out) {
      if (i + 1 >= args.size() || !parse_count(args[i + 1], out)) return false;
      ++i;
      return true;
    };
    std::uint64_t n = 0;
    if (a == "--calls") {
      if (!value(opt.calls) || opt.calls == 0) return usage_error("`--calls` needs a number above 0");
    } else if (a == "--agents") {
      if (!value(n) || n == 0 || n > 100000) return usage_error("`--agents` needs a number from 1 to 100000");
      opt.agents = static_cast<std::uint32_t>(n);
    } else if (a == "--robots-per-agent") {
      if (!value(n) || n == 0 || n > 1000) return usage_error("`--robots-per-agent` needs a number from 1 to 1000");
      opt.robots_per_agent = static_cast<std::uint32_t>(n);
    } else if (a == "--seed") {
      if (!value(opt.seed)) return usage_error("`--seed` needs a number");
    } else if (a == "--transcripts") {
      if (!value(transcripts)) return usage_error("`--transcripts` needs a number");
    } else if (a == "--grab-score") {
      if (!value(n)) return usage_error("`--grab-score` needs a number");
      opt.grab_score = static_cast<double>(n);
    } else if (a == "--personas") {
      if (i + 1 >= args.size()) return usage_error("`--personas` needs a file");
      personas_file = args[++i];
    } else if (a == "--results") {
      if (i + 1 >= args.size()) return usage_error("`--results` needs a file");
      results_file = args[++i];
    } else if (a == "--json") {
      json = true;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option `" + a + "` for simulate");
    } else if (file.empty()) {
      file = a;
    } else {
      return usage_error("simulate takes one SCRIPT");
    }
  }
  if (file.empty()) return usage_error("simulate needs a SCRIPT");
  opt.transcripts = static_cast<std::uint32_t>(std::min<std::uint64_t>(transcripts, 1000));

  const LoadResult loaded = load_file(file);
  for (const Diagnostic& d : loaded.diagnostics)
    if (d.severity == Severity::error) std::cerr << format(d) << '\n';
  if (!loaded.ok()) return 1;
  const Script& script = *loaded.script;

  // Personas: the file named, else <name>.personas.yaml beside SCRIPT or in
  // ../personas/ (the layout of examples/), else one average customer.
  if (personas_file.empty()) {
    const std::filesystem::path script_path(file);
    const std::string name = script_path.stem().string() + ".personas.yaml";
    for (const auto& p : {script_path.parent_path() / name, script_path.parent_path() / ".." / "personas" / name}) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(p, ec)) {
        personas_file = p.lexically_normal().string();
        break;
      }
    }
  }
  PersonaSet personas;
  if (personas_file.empty()) {
    personas = default_personas(script);
  } else {
    PersonaLoad pl = load_personas_file(personas_file, script);
    for (const Diagnostic& d : pl.diagnostics) std::cerr << format(d) << '\n';
    if (!pl.ok()) return 1;
    personas = std::move(*pl.personas);
  }

  std::ofstream results;
  if (!results_file.empty()) {
    results.open(results_file, std::ios::binary);
    if (!results) {
      std::cerr << "patter: cannot write `" << results_file << "`\n";
      return 1;
    }
    opt.on_call = [&](const CallResult& r, const CallContext& c) { results << to_json_line(r, script, c) << '\n'; };
  }
  if (isatty(STDERR_FILENO) && opt.calls >= 2000) opt.on_progress = draw_progress;

  const auto started = std::chrono::steady_clock::now();
  const Simulation sim = patter::simulate(loaded.script, personas, opt);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (results.is_open()) {
    results.flush();
    if (!results) {
      std::cerr << "patter: cannot write `" << results_file << "`\n";
      return 1;
    }
  }
  if (json) {
    std::string out = sim.report.to_json();
    out.pop_back();  // the newline
    out.pop_back();  // the closing brace
    out += ",\"simulation\":{\"agents\":" + std::to_string(opt.agents) +
           ",\"robots_per_agent\":" + std::to_string(opt.robots_per_agent) + ",\"seed\":" + std::to_string(opt.seed) +
           ",\"personas\":" + std::to_string(personas.personas.size()) + ",\"sim_ms\":" + std::to_string(sim.sim_ms) +
           ",\"errors\":" + std::to_string(sim.errors) + "}}\n";
    std::cout << out;
    return sim.errors ? 1 : 0;
  }
  for (const SimulatedTranscript& t : sim.transcripts) std::cout << format_transcript(t, script) << '\n';
  std::cout << "simulated " << opt.calls << " calls of " << script.id() << ' ' << script.version() << ": "
            << opt.agents << (opt.agents == 1 ? " agent" : " agents") << " x " << opt.robots_per_agent
            << (opt.robots_per_agent == 1 ? " robot" : " robots") << ", " << personas.personas.size()
            << (personas.personas.size() == 1 ? " persona" : " personas") << ", seed " << opt.seed << '\n'
            << "  " << sim.sim_ms / 3600000 << "h " << (sim.sim_ms / 60000) % 60 << "m of calling simulated in "
            << static_cast<int>(secs * 1000) << " ms\n\n";
  std::cout << sim.report.to_text();
  if (sim.errors) {
    std::cerr << "patter: " << sim.errors << " events were refused by the sessions; this is a bug in patter\n";
    return 1;
  }
  return 0;
}

}  // namespace patter::cli
