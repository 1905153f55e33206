// patter train SCRIPT --personas FILE [--calls N] [--seed S] [--forbid PHRASE]... [--json]:
// practise on simulated customers in the terminal. The robot calls them
// and runs the script; you watch, take a call (/grab) when you judge it
// right or when the script escalates, type what you say to the customer,
// hand back or finish; the assessment comes at the end. Works the same with
// a pipe as with a terminal, so tests drive it through stdin.
#include <patter/loader.hpp>
#include <patter/tooling/training.hpp>

#include <unistd.h>

#include <iostream>
#include <sstream>

#include "commands.hpp"

namespace patter::cli {
namespace {

constexpr const char* kHelp =
    "  Enter               the call goes on to the next thing you hear\n"
    "  /run                the calls go on until you are needed (an escalation, the\n"
    "                      customer talking to you) or a call ends\n"
    "  /grab               take the call (the one waiting for you, else the one going on)\n"
    "  any other line      what you say to the customer (once you have the call)\n"
    "  /back NODE          hand the call back to the robot at NODE\n"
    "  /finish [REASON]    end the call (completed, not_interested, callback...)\n"
    "  /help               this list\n"
    "  /quit               stop now; the report covers the calls so far\n";

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

class Trainer {
 public:
  Trainer(const Script& script, TrainingSession& t, bool echo)
      : script_(script), t_(t), echo_(echo) {}

  void run() {
    bool go = true;
    while (go && (t_.advance() || pending_)) {
      pending_ = false;
      show();
      if (t_.done()) break;
      go = prompt();
    }
  }

 private:
  // Events since the last look; true when one needs the trainee.
  bool show() {
    events_.clear();
    t_.poll(events_);
    bool needed = false;
    for (const TrainingEvent& e : events_) {
      needed = needed || e.type == TrainingEventType::escalated ||
               e.type == TrainingEventType::ended ||
               (e.type == TrainingEventType::customer_said && t_.talking() == e.call);
      print(e);
    }
    return needed;
  }

  void print(const TrainingEvent& e) {
    const std::string call = "[call " + std::to_string(e.call) + "] ";
    switch (e.type) {
      case TrainingEventType::dialed:  // the persona stays unknown until the report
        std::cout << call << "the robot dials a customer\n";
        break;
      case TrainingEventType::robot_said: std::cout << call << "robot> " << e.text << '\n'; break;
      case TrainingEventType::customer_said:
        std::cout << call << "customer> " << e.text << '\n';
        break;
      case TrainingEventType::trainee_said: break;  // the trainee typed it
      case TrainingEventType::key:
        std::cout << call << "customer presses " << e.text << '\n';
        break;
      case TrainingEventType::silence: std::cout << call << "customer> ...\n"; break;
      case TrainingEventType::escalated:
        std::cout << call << "!! the script escalates (" << e.text << "): /grab takes the call\n";
        break;
      case TrainingEventType::joined:
        std::cout << call << "you have the call: type what you say\n";
        break;
      case TrainingEventType::handed_back:
        std::cout << call << "handed back: the robot goes on at "
                  << (e.node < script_.nodes().size() ? script_.node(e.node).name : "?") << '\n';
        break;
      case TrainingEventType::ended: std::cout << call << "ended: " << e.text << '\n'; break;
    }
  }

  // Reads commands until one moves the calls on; false to stop.
  bool prompt() {
    std::string line;
    while (true) {
      if (!echo_) std::cout << (t_.talking() ? "you> " : "> ") << std::flush;
      if (!std::getline(std::cin, line)) return false;
      line = trim(line);
      if (echo_) std::cout << (t_.talking() ? "you> " : "> ") << line << '\n';
      if (line.empty() || line == "/next") return true;
      if (line[0] != '/') {
        if (say(line)) return true;
        continue;
      }
      std::istringstream in(line.substr(1));
      std::string cmd, arg;
      in >> cmd >> arg;
      if (cmd == "quit" || cmd == "q") return false;
      if (cmd == "help" || cmd == "h" || cmd == "?") {
        std::cout << kHelp;
      } else if (cmd == "run") {
        while (t_.advance() && !show() && !t_.done()) {
        }
        if (t_.done()) return false;
      } else if (cmd == "grab" || cmd == "back" || cmd == "finish") {
        if (act(cmd, arg)) return true;
      } else {
        std::cout << "  ! unknown command `/" << cmd << "`; /help lists them\n";
      }
    }
  }

  bool say(const std::string& words) {
    const auto call = t_.talking();
    return done(call ? t_.say(*call, words) : TrainingStatus::not_taken);
  }

  bool act(const std::string& cmd, const std::string& arg) {
    if (cmd == "grab") {
      const auto waiting = t_.waiting();
      const auto live = t_.live_calls();
      const CallId call = !waiting.empty() ? waiting.front() : live.empty() ? 0 : live.front();
      return done(t_.grab(call));
    }
    const CallId call = t_.talking().value_or(0);
    if (cmd == "back") {
      const auto node = script_.find_node(arg);
      if (!node) {
        std::cout << "  ! /back needs a node of the script"
                  << (arg.empty() ? "" : ", not `" + arg + "`") << '\n';
        return false;
      }
      return done(t_.hand_back(call, *node));
    }
    HangupReason reason = HangupReason::completed;
    if (!arg.empty()) {
      const auto r = parse_hangup_reason(arg);
      if (!r) {
        std::cout << "  ! `" << arg
                  << "` is not a hang-up reason (completed, not_interested, callback...)\n";
        return false;
      }
      reason = *r;
    }
    return done(t_.finish(call, reason));
  }

  bool done(TrainingStatus st) {
    if (st == TrainingStatus::ok) {
      pending_ = true;
      return true;
    }
    std::cout << "  ! " << to_string(st) << ": " << describe(st) << '\n';
    return false;
  }

  const Script& script_;
  TrainingSession& t_;
  bool echo_;
  bool pending_ = false;
  std::vector<TrainingEvent> events_;
};

}  // namespace

int train(const TrainArgs& args) {
  const LoadResult loaded = load_file(args.file);
  for (const Diagnostic& d : loaded.diagnostics)
    if (d.severity == Severity::error) std::cerr << format(d) << '\n';
  if (!loaded.ok()) return 1;
  PersonaLoad personas = load_personas_file(args.personas, *loaded.script);
  for (const Diagnostic& d : personas.diagnostics) std::cerr << format(d) << '\n';
  if (!personas.ok()) return 1;

  TrainingSession training(loaded.script, *personas.personas, args.options);
  std::cout << "training on " << loaded.script->id() << ' ' << loaded.script->version() << ": "
            << args.options.calls << (args.options.calls == 1 ? " call" : " calls") << ", seed "
            << args.options.seed << "; Enter lets the call go on, /help lists the commands\n";
  Trainer(*loaded.script, training, ::isatty(STDIN_FILENO) == 0).run();
  const TrainingReport report = training.report();
  std::cout << '\n' << (args.json ? report.to_json() + "\n" : report.to_text());
  return 0;
}

}  // namespace patter::cli
