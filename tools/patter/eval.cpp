// patter eval FILE.tsv --script SCRIPT [--floor F] [--opt-out-floor F]
//             [--misses] [--json] [--allow-unknown-labels]
// How well a script understands a labelled set of replies; fails below a
// floor, so a test can hold the line.
#include <patter/tooling/evaluation.hpp>
#include <patter/patter.hpp>

#include <charconv>
#include <iostream>

#include "commands.hpp"

namespace patter::cli {
namespace {

struct EvalArgs {
  std::string file, script;
  double floor = 0, opt_out_floor = 0;
  bool misses = false, json = false;
  EvalOptions options;
};

bool read_fraction(const std::string& s, double& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && out >= 0 && out <= 1;
}

int parse(const Args& args, EvalArgs& a) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    const bool has_value = i + 1 < args.size();
    if (s == "--script") {
      if (!has_value) return usage_error("`--script` needs a file");
      a.script = args[++i];
    } else if (s == "--floor" || s == "--opt-out-floor") {
      if (!has_value) return usage_error("`" + s + "` needs a fraction, e.g. 0.95");
      if (!read_fraction(args[++i], s == "--floor" ? a.floor : a.opt_out_floor))
        return usage_error("`" + s + "` takes a fraction from 0 to 1, not `" + args[i] + "`");
    } else if (s == "--misses") {
      a.misses = true;
    } else if (s == "--json") {
      a.json = true;
    } else if (s == "--allow-unknown-labels") {
      a.options.allow_unknown_labels = true;
    } else if (!s.empty() && s[0] == '-') {
      return usage_error("unknown option `" + s + "` for eval");
    } else if (a.file.empty()) {
      a.file = s;
    } else {
      return usage_error("eval takes one FILE.tsv");
    }
  }
  if (a.file.empty()) return usage_error("eval needs a FILE.tsv of labelled replies");
  if (a.script.empty())
    return usage_error("eval needs `--script SCRIPT`: the script whose understanding to measure");
  return 0;
}

bool print_errors(const std::vector<Diagnostic>& ds) {
  for (const Diagnostic& d : ds)
    if (d.severity != Severity::note) std::cerr << format(d) << '\n';
  return has_errors(ds);
}

}  // namespace

int eval(const Args& args) {
  EvalArgs a;
  if (const int bad = parse(args, a)) return bad;
  const LoadResult loaded = load_file(a.script);
  for (const Diagnostic& d : loaded.diagnostics)
    if (d.severity == Severity::error) std::cerr << format(d) << '\n';
  if (!loaded.ok()) return 1;
  const EvalSet set = read_eval_file(a.file);
  if (print_errors(set.diagnostics)) return 1;
  const Evaluation e = evaluate(*loaded.script, set.rows, a.options);
  if (print_errors(e.diagnostics)) return 1;
  std::cout << (a.json ? e.to_json() : e.to_text(a.misses));

  int status = 0;
  if (e.accuracy() < a.floor) {
    std::cerr << "patter: accuracy " << 100 * e.accuracy() << "% is below the floor of "
              << 100 * a.floor << "%\n";
    status = 1;
  }
  if (e.recall("opt_out") < a.opt_out_floor) {
    std::cerr << "patter: opt-out recall " << 100 * e.recall("opt_out")
              << "% is below the floor of " << 100 * a.opt_out_floor
              << "%; an opt-out missed is a call the law forbids\n";
    status = 1;
  }
  return status;
}

}  // namespace patter::cli
