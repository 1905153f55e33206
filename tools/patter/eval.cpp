// patter eval FILE.tsv --script SCRIPT [--floor F] [--opt-out-floor F]
//             [--misses] [--json] [--allow-unknown-labels]
// How well a script understands a labelled set of replies; fails below a
// floor, so a test can hold the line.
#include <patter/patter.hpp>
#include <patter/tooling/evaluation.hpp>

#include <iostream>

#include "commands.hpp"

namespace patter::cli {
namespace {

bool print_errors(const std::vector<Diagnostic>& ds) {
  for (const Diagnostic& d : ds)
    if (d.severity != Severity::note) std::cerr << format(d) << '\n';
  return has_errors(ds);
}

}  // namespace

int eval(const EvalArgs& a) {
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
