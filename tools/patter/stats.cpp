// patter stats RESULTS.jsonl [--script SCRIPT] [--dot OUT.dot] [--json]
// The funnel report from recorded call results, and a traffic overlay.
#include <patter/patter.hpp>
#include <patter/tooling/stats.hpp>

#include <fstream>
#include <iostream>

#include "commands.hpp"

namespace patter::cli {

int stats(const StatsArgs& args) {
  const std::string& file = args.file;
  const std::string& script_file = args.script;
  const std::string& dot_file = args.dot;
  const bool json = args.json;

  std::shared_ptr<const Script> script;
  if (!script_file.empty()) {
    const LoadResult loaded = load_file(script_file);
    for (const Diagnostic& d : loaded.diagnostics)
      if (d.severity == Severity::error) std::cerr << format(d) << '\n';
    if (!loaded.ok()) return 1;
    script = loaded.script;
  }
  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (file != "-") {
    in_file.open(file, std::ios::binary);
    if (!in_file) {
      std::cerr << "patter: cannot read `" << file << "`\n";
      return 1;
    }
    in = &in_file;
  }
  Stats stats(script);
  std::uint64_t line_no = 0, bad = 0;
  std::string line;
  while (std::getline(*in, line)) {
    ++line_no;
    if (auto added = stats.add_json(line); !added) {
      if (++bad <= 10)
        std::cerr << file << ':' << line_no << ": skipped: " << added.message() << '\n';
    }
  }
  if (bad > 10) std::cerr << file << ": " << bad - 10 << " more bad lines skipped\n";
  if (!stats.other_script().empty())
    std::cerr << "patter: warning: results from `" << stats.other_script()
              << "` do not match the script `" << (script ? script->id() : std::string())
              << "` given; its funnel may not fit them\n";
  if (stats.calls() == 0) {
    std::cerr << "patter: no call results in `" << file << "`\n";
    return 1;
  }
  const StatsReport report = stats.report();
  std::cout << (json ? report.to_json() : report.to_text());
  if (bad && !json) std::cout << '\n' << bad << (bad == 1 ? " line" : " lines") << " skipped\n";
  if (!dot_file.empty()) {
    std::ofstream out(dot_file, std::ios::binary);
    out << stats.to_dot();
    if (!out) {
      std::cerr << "patter: cannot write `" << dot_file << "`\n";
      return 1;
    }
  }
  return bad ? 1 : 0;
}

}  // namespace patter::cli
