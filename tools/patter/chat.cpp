// patter chat SCRIPT [--var k=v ...] [--explain]: talk to a script in the
// terminal. Each line read is what the customer says; lines starting with
// `/` are events (silence, keys, hanging up, a person taking the call).
// Works the same with a pipe as with a terminal, so tests drive it through
// stdin.
#include <patter/loader.hpp>
#include <patter/session.hpp>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <sstream>

#include "commands.hpp"

namespace patter::cli {
namespace {

constexpr const char* kHelp =
    "  what you type is what the customer says; commands:\n"
    "    /silence            the listen times out\n"
    "    /key K              the customer presses K (0-9, *, #)\n"
    "    /intent NAME [C]    the host's NLU heard NAME (confidence C, default 1)\n"
    "    /hangup             the customer hangs up\n"
    "    /voicemail          an answering machine took the call\n"
    "    /grab               a person takes the call\n"
    "    /back NODE          the person hands the call back to the robot at NODE\n"
    "    /finish [REASON]    the person ends the call (completed, not_interested, callback...)\n"
    "    /wait SECONDS       time passes (hold lines, hold timeout, call length)\n"
    "    /state              where the call is: node, phase, score, tags\n"
    "    /help               this list\n"
    "    /quit               stop (the call is left as it is)\n"
    "  every line moves the clock on 3 seconds\n";

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

class Chat {
 public:
  Chat(std::shared_ptr<const Script> script, Session session, bool explain, bool echo)
      : script_(std::move(script)), s_(std::move(session)), explain_(explain), echo_(echo) {}

  int run() {
    std::cout << "chat with " << script_->id() << ' ' << script_->version() << " ("
              << script_->nodes().size()
              << " nodes); type what the customer says, /help for commands\n";
    step(Event::answered(0));
    std::string line;
    while (!s_.ended()) {
      if (!echo_) std::cout << "customer> " << std::flush;
      if (!std::getline(std::cin, line)) break;
      line = trim(line);
      if (line.empty()) continue;
      if (echo_) std::cout << "customer> " << line << '\n';
      if (line[0] == '/') {
        if (!command(line)) break;
      } else {
        now_ += 3000;
        if (s_.phase() == Phase::human) suggest(line);
        step(Event::utterance(line, now_));
      }
    }
    finish();
    return 0;
  }

 private:
  void step(const Event& e) {
    const Status st = s_.step(e, turn_);
    if (is_error(st)) {
      std::cout << "  ! " << to_string(st) << ": " << describe(st) << '\n';
      return;
    }
    for (const Action& a : turn_.actions()) {
      switch (a.type) {
        case ActionType::say: std::cout << "robot> " << a.text << '\n'; break;
        case ActionType::listen: std::cout << "  · listen " << a.timeout_ms << " ms\n"; break;
        case ActionType::stop_line: std::cout << "  · stop the line (barge-in)\n"; break;
        case ActionType::tag: std::cout << "  · tag " << a.text << '\n'; break;
        case ActionType::hangup: std::cout << "  · hang up: " << to_string(a.hangup) << '\n'; break;
        case ActionType::escalate:
          std::cout << "  · escalate: " << to_string(a.escalation) << ", priority "
                    << to_string(a.priority) << ", score " << a.score << '\n';
          break;
        case ActionType::end: std::cout << "  · end of call\n"; break;
        case ActionType::resume_line:
          std::cout << "  · say the line on from " << a.offset_ms << " ms\n";
          break;
        case ActionType::understand:
          std::cout << "  · ask the host to understand (none here)\n";
          break;
        case ActionType::fetch:
          std::cout << "  · fetch " << a.text << " (no host here: it times out)\n";
          break;
      }
    }
    if (st == Status::ignored && turn_.actions().empty()) std::cout << "  · (ignored)\n";
    if (explain_) {
      std::istringstream why(turn_.explain(*script_));
      for (std::string l; std::getline(why, l);) std::cout << "  ? " << l << '\n';
    }
    if (s_.phase() == Phase::waiting && !waiting_told_) {
      std::cout << "  (waiting for a person: /grab takes the call, /wait SECONDS lets the hold "
                   "policy run)\n";
      waiting_told_ = true;
    }
    if (s_.phase() != Phase::waiting) waiting_told_ = false;
    // The chat has no classifier of its own: it answers `understand` with none.
    if (s_.asking_host()) step(Event::not_understood(now_));
  }

  // While a person has the call: what the script would say to these words.
  void suggest(const std::string& words) {
    Turn preview;
    if (s_.preview(Event::utterance(words, now_), preview) != Status::ok) return;
    for (const Action& a : preview.actions())
      if (a.type == ActionType::say) std::cout << "  (suggestion) " << a.text << '\n';
  }

  // Returns false to stop.
  bool command(const std::string& line) {
    std::istringstream in(line.substr(1));
    std::string cmd, arg, arg2;
    in >> cmd >> arg >> arg2;
    if (cmd == "quit" || cmd == "q" || cmd == "exit") return false;
    if (cmd == "help" || cmd == "h" || cmd == "?") {
      std::cout << kHelp;
      return true;
    }
    if (cmd == "state") {
      print_state();
      return true;
    }
    now_ += 3000;
    if (cmd == "silence" || cmd == "s") {
      step(Event::no_input(now_));
    } else if (cmd == "key" || cmd == "k") {
      if (arg.size() != 1)
        std::cout << "  ! /key takes one key: 0-9, * or #\n";
      else
        step(Event::dtmf(arg[0], now_));
    } else if (cmd == "intent") {
      intent(arg, arg2);
    } else if (cmd == "hangup") {
      step(Event::customer_hangup(now_));
    } else if (cmd == "voicemail") {
      step(Event::voicemail(now_));
    } else if (cmd == "grab") {
      step(Event::agent_joined(now_));
      if (s_.phase() == Phase::human)
        std::cout << "  (you have the call: what you type now is the customer talking to you)\n";
    } else if (cmd == "back") {
      back(arg);
    } else if (cmd == "finish") {
      agent_finish(arg);
    } else if (cmd == "wait") {
      wait(arg);
    } else {
      std::cout << "  ! unknown command `/" << cmd << "`; /help lists them\n";
    }
    return true;
  }

  void print_state() {
    std::cout << "  node "
              << (s_.node() < script_->nodes().size() ? script_->node(s_.node()).name : "(none)")
              << ", phase " << to_string(s_.phase()) << ", score " << s_.score() << ", turns "
              << s_.turns() << ", grade so far " << s_.grade_so_far() << ", tags:";
    for (auto t : s_.tags()) std::cout << ' ' << t;
    std::cout << '\n';
  }

  // /intent NAME [CONFIDENCE]
  void intent(const std::string& name, const std::string& confidence) {
    auto id = script_->find_intent(name);
    if (!id) {
      std::cout << "  ! no intent `" << name << "` in the script\n";
      return;
    }
    float c = 1;
    if (!confidence.empty()) {
      double v = 1;
      auto [p, ec] = std::from_chars(confidence.data(), confidence.data() + confidence.size(), v);
      if (ec != std::errc() || p != confidence.data() + confidence.size() || v < 0 || v > 1) {
        std::cout << "  ! the confidence is a number from 0 to 1\n";
        return;
      }
      c = static_cast<float>(v);
    }
    step(Event::intent_of(*id, c, now_));
  }

  // /back NODE: the person hands the call back to the robot there.
  void back(const std::string& arg) {
    auto node = script_->find_node(arg);
    if (!node) {
      std::cout << "  ! /back needs a node of the script"
                << (arg.empty() ? "" : ", not `" + arg + "`") << '\n';
      return;
    }
    step(Event::agent_left(now_, *node));
  }

  // /finish [REASON]: the person ends the call.
  void agent_finish(const std::string& arg) {
    HangupReason r = HangupReason::agent_ended;
    if (!arg.empty()) {
      auto parsed = parse_hangup_reason(arg);
      if (!parsed) {
        std::cout << "  ! `" << arg << "` is not a hang-up reason\n";
        return;
      }
      r = *parsed;
    }
    step(Event::agent_left(now_, kNone, r));
  }

  // /wait SECONDS, instead of the usual 3 s.
  void wait(const std::string& arg) {
    double secs = -1;
    auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), secs);
    if (ec != std::errc() || p != arg.data() + arg.size() || secs < 0 || secs > 86400) {
      std::cout << "  ! /wait takes a number of seconds\n";
      return;
    }
    now_ = now_ - 3000 + static_cast<std::uint64_t>(std::llround(secs * 1000));
    step(Event::timer(now_));
  }

  void finish() {
    CallResult r = s_.result();
    // A call left unfinished has no final grade yet: the summary and the
    // result line both give the grade it has so far, never two different ones.
    if (!s_.ended()) r.grade = s_.grade_so_far();
    std::cout << "\ncall " << (s_.ended() ? "ended" : "left unfinished") << ": outcome "
              << (r.outcome == Outcome::none ? std::string_view("none") : to_string(r.outcome));
    if (s_.ended()) std::cout << ", hang-up reason " << to_string(r.hangup);
    if (r.escalated) std::cout << ", escalated (" << to_string(r.escalation) << ')';
    std::cout << ", grade " << r.grade << ", score " << r.score << ", turns " << r.turns << '\n';
    std::cout << "path:";
    for (NodeId n : r.path) std::cout << ' ' << script_->node(n).name;
    std::cout << "\ntags:";
    for (const auto& t : r.tags) std::cout << ' ' << t;
    std::cout << "\nresult: " << r.to_json(*script_) << '\n';
  }

  std::shared_ptr<const Script> script_;
  Session s_;
  Turn turn_;
  bool explain_, echo_;
  bool waiting_told_ = false;
  std::uint64_t now_ = 0;
};

/// How to give what is missing: `--var NAME=VALUE` for each required
/// variable the command line left out, by name.
std::string var_hint(const Script& script, const ChatArgs& args) {
  std::string missing;
  int count = 0;
  for (const Variable& v : script.variables()) {
    if (!v.required) continue;
    const bool given = std::any_of(args.vars.begin(), args.vars.end(),
                                   [&](const auto& kv) { return kv.first == v.name; });
    if (given) continue;
    missing += (missing.empty() ? "--var " : " --var ") + v.name + "=VALUE";
    ++count;
  }
  if (count == 0) return "give variables with --var NAME=VALUE";
  return (count == 1 ? "give it with " : "give them with ") + missing;
}

}  // namespace

int chat(const ChatArgs& args) {
  const std::string& file = args.file;
  LoadResult loaded = load_file(file);
  for (const Diagnostic& d : loaded.diagnostics)
    if (d.severity == Severity::error) std::cerr << format(d) << '\n';
  if (!loaded.ok()) return 1;
  std::vector<VariableValue> values;
  for (const auto& [k, v] : args.vars) values.emplace_back(k, v);
  Started started = Session::start(loaded.script, std::span<const VariableValue>(values));
  if (!started.ok())
    return usage_error("chat",
                       std::string(started.message()) + "; " + var_hint(*loaded.script, args));
  const bool terminal = ::isatty(STDIN_FILENO) != 0;
  Chat chat(loaded.script, std::move(*started), args.explain, !terminal);
  return chat.run();
}

}  // namespace patter::cli
