// The `patter` tool's commands, one file each (tools/patter/<command>.cpp).
// command_line.cpp reads the command line into one of these structs, checks
// it, and calls the command, which returns the exit status: 0 ok, 1 the
// script (or the test, or the input) has problems, 2 wrong usage.
#pragma once

#include <patter/dot.hpp>
#include <patter/tooling/evaluation.hpp>
#include <patter/tooling/simulation.hpp>
#include <patter/tooling/training.hpp>

#include <string>
#include <utility>
#include <vector>

namespace patter::cli {

struct ValidateArgs {
  std::vector<std::string> files;
  bool json = false, werror = false;
};
struct GraphArgs {
  std::string file, output, svg, png;
  DotOptions dot;
};
struct ChatArgs {
  std::string file;
  std::vector<std::pair<std::string, std::string>> vars;
  bool explain = false;
};
struct TestArgs {
  std::vector<std::string> paths;
  bool json = false, quiet = false;
};
struct SimulateArgs {
  std::string file, personas, results;
  SimulationOptions options;
  bool json = false;
};
struct StatsArgs {
  std::string file, script, dot;
  bool json = false;
};
struct EvalArgs {
  std::string file, script;
  double floor = 0, opt_out_floor = 0;
  bool misses = false, json = false;
  EvalOptions options;
};

struct TrainArgs {
  std::string file, personas;
  TrainingOptions options;
  bool json = false;
};

int validate(const ValidateArgs& args);
int graph(const GraphArgs& args);
int chat(const ChatArgs& args);
int test(const TestArgs& args);
int simulate(const SimulateArgs& args);
int stats(const StatsArgs& args);
int eval(const EvalArgs& args);
int train(const TrainArgs& args);

/// A conversation test file, by its name (*.tests.yaml) or its header
/// (`patter_tests:`, or `cases:` without `nodes:`).
bool is_tests_by_header(const std::string& file);

/// "patter: <msg>", where to read the command's options, and 2: for
/// mistakes found once the command runs (a variable the script needs).
int usage_error(std::string_view command, const std::string& msg);

}  // namespace patter::cli
