// The command line: CLI11 reads it (`--opt value` and `--opt=value`, help
// for every command), and this file checks what CLI11 cannot (ranges, a
// NAME=VALUE shape), suggests what a mistyped command or option meant, and
// calls the command.
#include "command_line.hpp"

#include <CLI/CLI.hpp>
#include <patter/version.hpp>

#include <algorithm>
#include <charconv>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "commands.hpp"
#include "text/suggest.hpp"

namespace patter::cli {
namespace {

constexpr const char* kExitStatus =
    "exit status: 0 ok, 1 the script (or test, or input) has problems, 2 wrong usage";

/// A usage mistake: the message, then the usage of the command it is about.
int usage(const CLI::App& app, const std::string& msg) {
  std::cerr << "patter: " << msg << "\n\n" << (app.get_parent() ? app.help("patter") : app.help());
  return 2;
}

std::optional<std::uint64_t> count(const std::string& s) {
  std::uint64_t n = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return n;
}

std::optional<double> fraction(const std::string& s) {
  double d = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size() || d < 0 || d > 1) return std::nullopt;
  return d;
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
    for (const std::string& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

/// What CLI11 left over: an option the command does not have (with the one
/// meant, when close), or one positional too many.
std::string leftover(const CLI::App& app, const std::string& what_it_takes) {
  for (const std::string& arg : app.remaining()) {
    if (arg == "--") continue;
    if (arg.size() > 1 && arg[0] == '-') {
      const std::string name = arg.substr(0, arg.find('='));
      std::string msg = "unknown option `" + name + "` for " + app.get_name();
      const std::string hint = detail::did_you_mean(name, option_names(app));
      return hint.empty() ? msg : msg + "; " + hint;
    }
    return app.get_name() + " takes " + what_it_takes + ", not also `" + arg + "`";
  }
  return {};
}

/// A command's operand (FILE, SCRIPT...): named in its usage, required.
template <class T>
CLI::Option* positional(CLI::App* c, const char* name, T& into, const char* help) {
  return c->add_option(name, into, help)->type_name("")->required();
}

/// One command: its options, then the check and the call once parsed.
struct Command {
  CLI::App* app;
  std::string takes;         ///< its operands, for "takes one FILE"
  std::string needs;         ///< what it says when they are missing
  std::function<int()> run;  ///< the command itself
  std::function<std::string()> check = [] { return std::string(); };  ///< what CLI11 cannot check
};

Command add_validate(CLI::App& top) {
  auto a = std::make_shared<ValidateArgs>();
  CLI::App* c =
      top.add_subcommand("validate", "check scripts and intent libraries; errors as file:line:col");
  positional(c, "FILE", a->files, "scripts or intent libraries (YAML)");
  c->add_flag("--json", a->json, "one JSON array of results and diagnostics");
  c->add_flag("--werror", a->werror, "fail on warnings too");
  return {c, "FILE...", "validate needs at least one FILE", [a] { return validate(*a); }};
}

Command add_graph(CLI::App& top) {
  auto a = std::make_shared<GraphArgs>();
  CLI::App* c =
      top.add_subcommand("graph", "a script as a Graphviz DOT graph (stdout or OUT), or drawn");
  positional(c, "FILE", a->file, "the script");
  c->add_option("-o,--output", a->output, "write the graph to OUT")->type_name("OUT");
  c->add_option("--svg", a->svg, "draw it with Graphviz (dot) as SVG in OUT.svg")
      ->type_name("OUT.svg");
  c->add_option("--png", a->png, "draw it with Graphviz (dot) as PNG in OUT.png")
      ->type_name("OUT.png");
  auto leave_out = std::make_shared<std::pair<bool, bool>>();
  c->add_flag("--no-globals", leave_out->first, "leave out the global handlers");
  c->add_flag("--no-fallbacks", leave_out->second, "leave out no-match and silence routes");
  return {c, "one FILE", "graph needs a FILE", [a, leave_out] {
            a->dot.show_globals = !leave_out->first;
            a->dot.show_fallbacks = !leave_out->second;
            return graph(*a);
          }};
}

Command add_chat(CLI::App& top) {
  auto a = std::make_shared<ChatArgs>();
  auto vars = std::make_shared<std::vector<std::string>>();
  CLI::App* c = top.add_subcommand(
      "chat", "talk to a script as the customer (stdin; /help lists the commands)");
  positional(c, "SCRIPT", a->file, "the script");
  c->add_option("--var", *vars,
                "a variable of the call, e.g. --var customer_name=张先生 (repeat for more)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  c->add_flag("--explain", a->explain, "say why each turn went where it went");
  return {c, "one SCRIPT", "chat needs a SCRIPT", [a] { return chat(*a); },
          [a, vars] {
            a->vars.clear();
            for (const std::string& kv : *vars) {
              const auto eq = kv.find('=');
              if (eq == std::string::npos || eq == 0)
                return "--var takes NAME=VALUE, not `" + kv + "`";
              a->vars.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
            }
            return std::string();
          }};
}

Command add_test(CLI::App& top) {
  auto a = std::make_shared<TestArgs>();
  CLI::App* c =
      top.add_subcommand("test", "run conversation tests, then coverage; exit 1 when any fails");
  positional(c, "PATH", a->paths,
             "a script (its tests beside it), a *.tests.yaml file or a folder");
  c->add_flag("--json", a->json, "one JSON object: files, cases, failures, coverage");
  c->add_flag("-q,--quiet", a->quiet, "list only the cases that fail");
  return {c, "PATH...", "test needs a script, a test file (*.tests.yaml) or a folder",
          [a] { return test(*a); }};
}

/// A whole number option of simulate, read as text so that a bad one gets
/// a message that says which numbers it takes.
struct Number {
  const char* name;
  const char* help;
  std::uint64_t min, max;
  std::function<void(SimulationOptions&, std::uint64_t)> set;
  std::string text = {};
};

std::vector<Number> simulate_numbers() {
  constexpr std::uint64_t kAny = ~std::uint64_t{0};
  using O = SimulationOptions;
  using U = std::uint64_t;
  return {
      {"--calls", "how many calls to simulate (default 1000)", 1, kAny,
       [](O& o, U v) { o.calls = v; }},
      {"--agents", "people supervising robots (default 1)", 1, 100000,
       [](O& o, U v) { o.agents = static_cast<std::uint32_t>(v); }},
      {"--robots-per-agent", "robots each person supervises (default 3)", 1, 1000,
       [](O& o, U v) { o.robots_per_agent = static_cast<std::uint32_t>(v); }},
      {"--seed", "the same seed gives the same campaign (default 1)", 0, kAny,
       [](O& o, U v) { o.seed = v; }},
      {"--transcripts", "print the first N answered calls (at most 1000)", 0, kAny,
       [](O& o, U v) { o.transcripts = static_cast<std::uint32_t>(std::min<U>(v, 1000)); }},
      {"--grab-score", "a free person grabs a call whose score reaches N (0: never)", 0, kAny,
       [](O& o, U v) { o.grab_score = static_cast<double>(v); }},
      {"--idle-grab-score",
       "with --pacing: when the forecast has room, a free person grabs from score N", 0, kAny,
       [](O& o, U v) { o.idle_grab_score = static_cast<double>(v); }},
  };
}

std::string check_number(const Number& n, SimulationOptions& o) {
  const auto v = count(n.text);
  if (v && *v >= n.min && *v <= n.max) {
    n.set(o, *v);
    return {};
  }
  const std::string name = std::string("`") + n.name + "`";
  if (n.max != ~std::uint64_t{0})
    return name + " needs a number from " + std::to_string(n.min) + " to " + std::to_string(n.max);
  return name + " needs a number" + (n.min ? " above 0" : "");
}

/// A share written as a percentage ("3%") or a fraction ("0.03"), strictly
/// between 0 and 1; empty when it is not one.
std::optional<double> share(std::string s) {
  const bool percent = !s.empty() && s.back() == '%';
  if (percent) s.pop_back();
  double d = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  if (percent) d /= 100;
  if (!(d > 0 && d < 1)) return std::nullopt;
  return d;
}

Command add_simulate(CLI::App& top) {
  auto a = std::make_shared<SimulateArgs>();
  auto numbers = std::make_shared<std::vector<Number>>(simulate_numbers());
  auto target = std::make_shared<std::string>();
  auto by_age = std::make_shared<bool>(false);
  CLI::App* c =
      top.add_subcommand("simulate", "a simulated campaign: funnel, grades, waits, agents");
  positional(c, "SCRIPT", a->file, "the script");
  for (Number& n : *numbers) c->add_option(n.name, n.text, n.help)->type_name("N");
  c->add_option("--personas", a->personas,
                "the customers (default: NAME.personas.yaml beside SCRIPT or in ../personas)")
      ->type_name("FILE");
  c->add_option("--results", a->results, "write each call's result as a JSON line")
      ->type_name("OUT.jsonl");
  c->add_flag("--json", a->json, "the report as one JSON object");
  c->add_flag("--pacing", a->options.pacing,
              "robots hold their next dial when people fall behind (docs/pacing.md)");
  c->add_option("--abandon-target", *target,
                "with --pacing: the share of escalations allowed to go untaken (default 3%)")
      ->type_name("PERCENT");
  c->add_flag("--pacing-by-age", *by_age,
              "with --pacing: forecast from each call's age alone, not from where it is");
  return {
      c, "one SCRIPT", "simulate needs a SCRIPT", [a] { return simulate(*a); },
      [a, c, numbers, target, by_age] {
        for (const Number& n : *numbers)
          if (c->count(n.name) > 0)
            if (std::string bad = check_number(n, a->options); !bad.empty()) return bad;
        if (*by_age && !a->options.pacing) return std::string("`--pacing-by-age` needs `--pacing`");
        if (a->options.idle_grab_score && !a->options.pacing)
          return std::string("`--idle-grab-score` needs `--pacing`");
        a->options.pacing_odds = !*by_age;
        if (c->count("--abandon-target") == 0) return std::string();
        const auto t = share(*target);
        if (!t)
          return "`--abandon-target` takes a share above 0% and below 100% (3% or 0.03), not `" +
                 *target + "`";
        if (!a->options.pacing) return std::string("`--abandon-target` needs `--pacing`");
        a->options.pacing_options.abandon_target = *t;
        return std::string();
      }};
}

Command add_stats(CLI::App& top) {
  auto a = std::make_shared<StatsArgs>();
  CLI::App* c = top.add_subcommand("stats", "the funnel of recorded call results");
  positional(c, "RESULTS", a->file,
             "call results as JSON lines (`patter simulate --results`); - for stdin");
  c->add_option("--script", a->script, "the script the calls ran, for its funnel order and graph")
      ->type_name("SCRIPT");
  c->add_option("--dot", a->dot, "write the traffic over the script's graph (needs --script)")
      ->type_name("OUT.dot");
  c->add_flag("--json", a->json, "the report as one JSON object");
  return {c, "one RESULTS file", "stats needs a RESULTS file (JSON lines; `-` for stdin)",
          [a] { return stats(*a); },
          [a] {
            if (!a->dot.empty() && a->script.empty())
              return std::string("`--dot` needs `--script`: the graph to draw");
            return std::string();
          }};
}

Command add_eval(CLI::App& top) {
  auto a = std::make_shared<EvalArgs>();
  auto floors = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* c = top.add_subcommand("eval", "accuracy on labelled replies; exit 1 below a floor");
  positional(c, "FILE", a->file, "replies and their intents, tab-separated (docs/evaluation.md)");
  c->add_option("--script", a->script, "the script whose understanding to measure")
      ->type_name("SCRIPT");
  c->add_option("--floor", floors->first, "fail when accuracy is below F (0 to 1)")->type_name("F");
  c->add_option("--opt-out-floor", floors->second, "fail when opt_out recall is below F (0 to 1)")
      ->type_name("F");
  c->add_flag("--misses", a->misses, "list each reply not understood as labelled, and why");
  c->add_flag("--json", a->json, "the figures as one JSON object");
  c->add_flag("--allow-unknown-labels", a->options.allow_unknown_labels,
              "a label the script has no intent for is a warning, not an error");
  auto run = [a, c] {
    if (a->script.empty())
      return usage(*c, "eval needs `--script SCRIPT`: the script whose understanding to measure");
    return eval(*a);
  };
  return {c, "one FILE.tsv", "eval needs a FILE.tsv of labelled replies", run, [a, c, floors] {
            for (auto [name, text, out] :
                 {std::tuple{"--floor", &floors->first, &a->floor},
                  std::tuple{"--opt-out-floor", &floors->second, &a->opt_out_floor}}) {
              if (c->count(name) == 0) continue;
              const auto f = fraction(*text);
              if (!f)
                return std::string("`") + name + "` takes a fraction from 0 to 1, not `" + *text +
                       "`";
              *out = *f;
            }
            return std::string();
          }};
}

Command add_train(CLI::App& top) {
  auto a = std::make_shared<TrainArgs>();
  auto numbers = std::make_shared<std::pair<std::string, std::string>>("3", "1");
  CLI::App* c = top.add_subcommand(
      "train", "practise taking calls from simulated customers; assessed at the end (stdin)");
  positional(c, "SCRIPT", a->file, "the script");
  c->add_option("--personas", a->personas, "the customers (a personas file)")
      ->type_name("FILE")
      ->required();
  c->add_option("--calls", numbers->first, "how many customers to call (default 3)")
      ->type_name("N");
  c->add_option("--seed", numbers->second, "the same seed gives the same customers (default 1)")
      ->type_name("S");
  c->add_option("--forbid", a->options.assessment.forbidden,
                "a phrase you must not say, beside the built-in ones (repeat for more)")
      ->type_name("PHRASE")
      ->allow_extra_args(false);
  c->add_flag("--json", a->json, "the assessment as one JSON object");
  return {c, "one SCRIPT", "train needs a SCRIPT and `--personas FILE`", [a] { return train(*a); },
          [a, c, numbers] {
            const auto calls = count(numbers->first);
            if (c->count("--calls") && (!calls || *calls < 1 || *calls > 1000))
              return std::string("`--calls` needs a number from 1 to 1000");
            const auto seed = count(numbers->second);
            if (c->count("--seed") && !seed) return std::string("`--seed` needs a number");
            a->options.calls = static_cast<std::uint32_t>(calls.value_or(3));
            a->options.seed = seed.value_or(1);
            return std::string();
          }};
}

/// `patter help [COMMAND]`, and a command that is not one.
int help(const CLI::App& top, const std::string& command, const std::vector<std::string>& names) {
  if (command.empty()) {
    std::cout << top.help();
    return 0;
  }
  if (std::find(names.begin(), names.end(), command) != names.end()) {
    std::cout << top.get_subcommand(command)->help("patter");
    return 0;
  }
  const std::string hint = detail::did_you_mean(command, names);
  return usage(top, "unknown command `" + command + "`" + (hint.empty() ? "" : "; " + hint));
}

int version() {
  std::cout << "patter " << version_string() << " (script format " << kFormatVersion << ")\n";
  return 0;
}

/// Runs `patter ARGS...` once CLI11 has the command line: help, version,
/// leftovers, then the command.
int dispatch(CLI::App& top, const std::vector<Command>& commands) {
  for (const Command& cmd : commands) {
    if (!cmd.app->parsed()) continue;
    if (const std::string bad = leftover(*cmd.app, cmd.takes); !bad.empty())
      return usage(*cmd.app, bad);
    if (const std::string bad = cmd.check(); !bad.empty()) return usage(*cmd.app, bad);
    return cmd.run();
  }
  if (top.get_subcommand("version")->parsed()) return version();
  return usage(top, "no command given");
}

}  // namespace

int usage_error(std::string_view command, const std::string& msg) {
  std::cerr << "patter: " << msg << "\n(`patter " << command << " --help` lists its options)\n";
  return 2;
}

int run(int argc, char** argv) {
  CLI::App top("patter: validate, draw, chat with, test, simulate and measure call scripts",
               "patter");
  top.get_formatter()->label("Usage", "usage");
  top.get_formatter()->label("SUBCOMMAND", "COMMAND");
  top.footer(kExitStatus);
  top.set_version_flag("--version", [] { return std::string("patter ") + version_string(); });
  const std::vector<Command> commands = {add_validate(top), add_graph(top),    add_chat(top),
                                         add_test(top),     add_simulate(top), add_stats(top),
                                         add_eval(top),     add_train(top)};
  top.add_subcommand("version", "print the version");
  top.add_subcommand("help", "this list, or a command's options: patter help COMMAND");
  std::vector<std::string> names;
  for (CLI::App* c : top.get_subcommands({})) {
    c->group("Commands");
    names.push_back(c->get_name());
  }
  for (const Command& cmd : commands) {
    cmd.app->allow_extras();
    cmd.app->footer(kExitStatus);
  }
  if (argc < 2) return usage(top, "no command given");
  const std::string first = argv[1];
  if (first == "help") return help(top, argc > 2 ? argv[2] : "", names);
  if (first.size() > 1 && first[0] == '-' && !top.get_option_no_throw(first)) {
    const std::string hint = detail::did_you_mean(first, option_names(top));
    return usage(top, "unknown option `" + first + "`" + (hint.empty() ? "" : "; " + hint));
  }
  if (first.empty() || first[0] != '-') {
    if (std::find(names.begin(), names.end(), first) == names.end()) return help(top, first, names);
  }
  try {
    top.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << top.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    return version();
  } catch (const CLI::RequiredError& e) {
    for (const Command& cmd : commands) {
      if (!cmd.app->parsed()) continue;
      const std::string bad = cmd.check();  // a bad value says more than a missing operand
      return usage(*cmd.app, bad.empty() ? cmd.needs : bad);
    }
    return usage(top, e.what());
  } catch (const CLI::ParseError& e) {
    const std::vector<CLI::App*> parsed = top.get_subcommands();
    return usage(parsed.empty() ? top : *parsed.front(), e.what());
  }
  return dispatch(top, commands);
}

}  // namespace patter::cli
