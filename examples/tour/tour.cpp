// tour — load a call script and show what is in it.
//
//   $ patter_tour                                  # the bundled screening script
//   $ patter_tour examples/scripts/invitation.zh-CN.yaml --dot invitation.dot
//   $ dot -Tsvg invitation.dot -o invitation.svg
//
// It prints the loader's diagnostics in compiler style, then the script's
// identity, its size, the line it opens with, what the customer can ask at
// any point (global handlers) and, for every way a call can end, the
// shortest conversation that gets there. Everything it shows comes from the
// public API: load_file, Script, analyze and to_dot.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <patter/patter.hpp>

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

namespace {

constexpr const char* kDefaultScript = PATTER_EXAMPLES_DIR "/scripts/screening.zh-CN.yaml";

struct Options {
  std::string script = kDefaultScript;
  std::string dot_file;  // empty: do not write DOT
};

void usage(std::ostream& out) {
  out << "usage: patter_tour [SCRIPT.yaml] [--dot FILE]\n"
         "  SCRIPT.yaml  the script to load (default: "
      << kDefaultScript
      << ")\n"
         "  --dot FILE   also write the script's graph as Graphviz DOT to FILE\n";
}

// Returns 0 to go on, or the exit code to stop with.
int parse_args(int argc, char** argv, Options& opt) {
  bool have_script = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      usage(std::cout);
      return -1;
    }
    if (arg == "--dot") {
      if (i + 1 >= argc) {
        std::cerr << "patter_tour: --dot needs a file name\n";
        return 2;
      }
      opt.dot_file = argv[++i];
    } else if (arg.starts_with("--dot=")) {
      opt.dot_file = std::string(arg.substr(6));
      if (opt.dot_file.empty()) {
        std::cerr << "patter_tour: --dot needs a file name\n";
        return 2;
      }
    } else if (arg.starts_with("-") && arg != "-") {
      std::cerr << "patter_tour: unknown option `" << arg << "`\n";
      usage(std::cerr);
      return 2;
    } else if (!have_script) {
      opt.script = std::string(arg);
      have_script = true;
    } else {
      std::cerr << "patter_tour: one script at a time (got `" << opt.script << "` and `" << arg
                << "`)\n";
      return 2;
    }
  }
  return 0;
}

// Characters, not bytes, so that columns line up for names and lines in
// any script language (UTF-8 continuation bytes do not count).
std::size_t chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  for (std::size_t n = chars(s); n < width; ++n) out += ' ';
  return out;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string first_line(const patter::Node& node) {
  if (!node.lines.empty()) return node.lines.front().source;
  if (!node.recording.empty()) return "[recording " + node.recording + "]";
  return "";
}

std::string how_it_ends(const patter::Node& node) {
  if (node.kind == patter::NodeKind::hangup)
    return "hang up: " + std::string(patter::to_string(node.hangup));
  return "escalate: " + std::string(patter::to_string(node.escalation.reason)) + ", " +
         std::string(patter::to_string(node.escalation.priority)) + " priority";
}

std::string intent_names(const patter::Script& script, const std::vector<patter::IntentId>& ids) {
  std::string out;
  for (patter::IntentId id : ids) {
    if (!out.empty()) out += ", ";
    out += script.intent(id).name;
  }
  return out;
}

std::string what_follows(const patter::Script& script, const patter::GlobalHandler& g) {
  using Then = patter::GlobalHandler::Then;
  const std::string answer = g.lines.empty() && g.recording.empty() ? "" : "answer, then ";
  switch (g.then) {
    case Then::resume: return answer + (g.reprompt ? "resume and repeat the line" : "resume");
    case Then::go_to:
      return answer + "go to " +
             (g.target == patter::kNone ? std::string("?") : script.node(g.target).name);
    case Then::hangup: return "hang up: " + std::string(patter::to_string(g.hangup));
    case Then::escalate: return "escalate: " + std::string(patter::to_string(g.escalation.reason));
  }
  return "";
}

void print_overview(const patter::Script& s) {
  std::cout << "script       " << s.id();
  if (!s.version().empty()) std::cout << "  version " << s.version();
  if (!s.locale().empty()) std::cout << "  locale " << s.locale();
  std::cout << '\n';
  if (!s.title().empty()) std::cout << "title        " << s.title() << '\n';
  std::cout << "fingerprint  " << s.fingerprint() << '\n';
  if (s.files().size() > 1)
    std::cout << "files        " << s.files().front() << " + "
              << plural(s.files().size() - 1, "include", "includes") << '\n';

  // Nodes by kind: the four every script has, then any other kind it uses.
  std::vector<std::size_t> kinds;
  for (const patter::Node& n : s.nodes()) {
    const auto k = static_cast<std::size_t>(n.kind);
    if (k >= kinds.size()) kinds.resize(k + 1);
    ++kinds[k];
  }
  kinds.resize(std::max<std::size_t>(kinds.size(), 4));
  std::string others;
  for (std::size_t k = 4; k < kinds.size(); ++k)
    if (kinds[k] > 0)
      others += ", " + std::to_string(kinds[k]) + " " +
                std::string(patter::to_string(static_cast<patter::NodeKind>(k)));
  std::cout << "contents     " << plural(s.nodes().size(), "node", "nodes") << " (" << kinds[0]
            << " listen, " << kinds[1] << " pass, " << kinds[2] << " hang-up, " << kinds[3]
            << " escalate" << others << "), " << plural(s.intents().size(), "intent", "intents")
            << ", " << plural(s.globals().size(), "global handler", "global handlers") << ", "
            << plural(s.variables().size(), "variable", "variables") << ", "
            << plural(s.grading().size(), "grading rule", "grading rules") << '\n';

  if (s.start() != patter::kNone) {
    const patter::Node& start = s.node(s.start());
    std::cout << "\nThe call opens at `" << start.name << "`";
    if (std::string line = first_line(start); !line.empty()) std::cout << ":\n  “" << line << "”";
    std::cout << '\n';
  }
}

void print_globals(const patter::Script& s) {
  if (s.globals().empty()) return;
  std::cout << "\nAt any point the customer may say (global handlers):\n";
  std::size_t width = 0;
  for (const patter::GlobalHandler& g : s.globals())
    width = std::max(width, chars(intent_names(s, g.intents)));
  for (const patter::GlobalHandler& g : s.globals())
    std::cout << "  " << pad(intent_names(s, g.intents), width) << "  →  " << what_follows(s, g)
              << '\n';
}

// For an ending no conversation leads to: it may still be reached from
// anywhere, through a global handler or when a limit is hit.
std::string reached_otherwise(const patter::Script& s, const patter::GraphReport& g,
                              patter::NodeId terminal) {
  if (std::find(g.unreachable.begin(), g.unreachable.end(), terminal) != g.unreachable.end())
    return "never reached from `" + s.node(s.start()).name + "`";
  std::string how;
  for (const patter::Edge& e : s.edges()) {
    if (e.from != patter::kNone || e.to != terminal) continue;
    if (!how.empty()) how += ", or ";
    if (e.kind == patter::EdgeKind::global_goto)
      how += "when the customer says " + intent_names(s, s.globals().at(e.index).intents);
    else if (e.kind == patter::EdgeKind::limit)
      how += e.index == 0 ? "when a call limit is hit" : "when the score crosses the threshold";
  }
  return how.empty() ? "reached from anywhere" : "from any point: " + how;
}

void print_endings(const patter::Script& s, const patter::GraphReport& g) {
  std::vector<const patter::TerminalPath*> paths;
  for (const patter::TerminalPath& p : g.terminal_paths) paths.push_back(&p);
  // Shortest conversations first; unreachable endings last.
  std::stable_sort(paths.begin(), paths.end(), [](auto* a, auto* b) {
    auto key = [](const patter::TerminalPath* p) { return p->turns < 0 ? 1 << 30 : p->turns; };
    return key(a) < key(b);
  });

  std::size_t width = 0;
  for (auto* p : paths) width = std::max(width, chars(s.node(p->terminal).name));

  std::cout << "\nHow a call can end, by its shortest conversation:\n";
  if (paths.empty()) std::cout << "  (no terminal nodes)\n";
  for (auto* p : paths) {
    const patter::Node& end = s.node(p->terminal);
    std::cout << "  " << pad(end.name, width) << "  [" << how_it_ends(end) << "]\n      ";
    if (p->turns < 0) {
      std::cout << reached_otherwise(s, g, p->terminal) << '\n';
      continue;
    }
    for (std::size_t i = 0; i < p->path.size(); ++i) {
      if (i) std::cout << " → ";
      std::cout << s.node(p->path[i]).name;
    }
    std::cout << " (" << plural(static_cast<std::size_t>(p->turns), "turn", "turns") << ")\n";
  }

  std::cout << "\nGraph checks: "
            << plural(g.unreachable.size(), "unreachable node", "unreachable nodes") << ", "
            << plural(g.dead_ends.size(), "dead end", "dead ends") << ", "
            << plural(g.trap_cycles.size(), "trap cycle", "trap cycles") << ".\n";
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (int rc = parse_args(argc, argv, opt); rc != 0) return rc < 0 ? 0 : rc;

  std::cout << "patter " << patter::version_string() << " — a tour of " << opt.script << "\n\n";

  patter::LoadResult loaded = patter::load_file(opt.script);
  for (const patter::Diagnostic& d : loaded.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!loaded.ok()) {
    std::cerr << "patter_tour: " << opt.script << " did not load ("
              << plural(loaded.diagnostics.size(), "diagnostic", "diagnostics") << ")\n";
    return 1;
  }
  if (!loaded.diagnostics.empty()) std::cerr << '\n';

  // The compiled script is immutable: this shared_ptr could be handed to any
  // number of threads running calls at the same time.
  std::shared_ptr<const patter::Script> script = loaded.script;

  print_overview(*script);
  print_globals(*script);
  print_endings(*script, patter::analyze(*script));

  if (!opt.dot_file.empty()) {
    std::ofstream out(opt.dot_file, std::ios::binary);
    out << patter::to_dot(*script);
    out.close();
    if (!out) {
      std::cerr << "patter_tour: cannot write " << opt.dot_file << '\n';
      return 1;
    }
    std::cout << "\nWrote the graph to " << opt.dot_file << " (draw it with: dot -Tsvg "
              << opt.dot_file << " -o graph.svg)\n";
  }
  return 0;
}
