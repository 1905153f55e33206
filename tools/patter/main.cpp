// patter — the command-line tool for script authors.
//
//   patter validate examples/scripts/*.yaml
//   patter graph examples/scripts/screening.zh-CN.yaml -o screening.dot
#include <patter/patter.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "text/json.hpp"

namespace {

constexpr const char* kUsage =
    "usage: patter <command> [options]\n"
    "\n"
    "commands:\n"
    "  validate [--json] [--werror] FILE...   check scripts; errors as file:line:col\n"
    "  graph FILE [-o OUT] [--no-globals] [--no-fallbacks]\n"
    "                                         Graphviz DOT of a script (stdout or OUT)\n"
    "  chat SCRIPT [--var NAME=VALUE ...] [--explain]\n"
    "                                         talk to a script as the customer (stdin; /help)\n"
    "  test [--json] [--quiet] PATH...        run conversation tests (SCRIPT, *.tests.yaml or folder);\n"
    "                                         then coverage; exit 1 when any fails\n"
    "  simulate SCRIPT --calls N --agents A --robots-per-agent R [--personas FILE]\n"
    "           [--seed S] [--json] [--results OUT.jsonl] [--transcripts K] [--grab-score S]\n"
    "                                         a simulated campaign: funnel, grades, waits, agents\n"
    "  stats RESULTS.jsonl [--script SCRIPT] [--dot OUT.dot] [--json]\n"
    "                                         the funnel of recorded call results\n"
    "  eval FILE.tsv --script SCRIPT [--floor F] [--opt-out-floor F] [--misses] [--json]\n"
    "           [--allow-unknown-labels]      accuracy on labelled replies; exit 1 below a floor\n"
    "  version                                print the version\n"
    "\n"
    "exit status: 0 ok, 1 the script has errors, 2 wrong usage\n";

}  // namespace

namespace patter::cli {

int usage_error(const std::string& msg) {
  std::cerr << "patter: " << msg << "\n\n" << kUsage;
  return 2;
}

std::string json_escape(std::string_view s) {
  std::string out;
  detail::append_json_escaped(out, s);  // the library's JSON writer, so both agree
  return out;
}

}  // namespace patter::cli

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  using namespace patter::cli;
  if (args.empty()) return usage_error("no command given");
  const std::string cmd = args.front();
  args.erase(args.begin());
  if (cmd == "validate") return validate(args);
  if (cmd == "graph") return graph(args);
  if (cmd == "simulate") return simulate(args);
  if (cmd == "stats") return stats(args);
  if (cmd == "chat") return chat(args);
  if (cmd == "test") return test(args);
  if (cmd == "eval") return eval(args);
  if (cmd == "version" || cmd == "--version") {
    std::cout << "patter " << patter::version_string() << " (script format " << patter::kFormatVersion << ")\n";
    return 0;
  }
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    std::cout << kUsage;
    return 0;
  }
  return usage_error("unknown command `" + cmd + "`");
}
