// 05 — Observers: hooks that see a call as it happens (for logs, metrics,
// a CRM), called after each step, once the session's state is complete.
//
//   Session::step ──▶ state updated ──▶ Observer
//                                        ├── node_entered(node)
//                                        ├── said(line) / tagged(tag) / escalated(action)
//                                        ├── turn(turn)
//                                        └── call_ended(result)
//
// A hook that throws cannot hurt the call: the exception is kept in the
// Turn (hook_error) and the step completes.
#include <iostream>
#include <stdexcept>

#include <patter/patter.hpp>

namespace {

constexpr const char* kScript = R"(patter: 1
id: renewal
version: "1"
locale: en-US
start: greet
intents:
  agree: ["yes", sure, okay]
  decline: ["no", not interested]
nodes:
  greet:
    say: Hi, your plan renews next month with twenty percent off. Shall an advisor call you?
    routes:
      - {intent: agree, to: advisor, tags: [hot], score: 20}
      - {intent: decline, to: bye}
  advisor: {say: "Great, connecting you now.", escalate: interested}
  bye: {say: No problem. Goodbye!, hangup: not_interested}
)";

class Log : public patter::Observer {
 public:
  void node_entered(const patter::Session& s, patter::NodeId n) override {
    std::cout << "  entered " << s.script().node(n).name << '\n';
  }
  void said(const patter::Session&, const patter::Action& a) override {
    std::cout << "  said \"" << a.text << "\"\n";
  }
  void tagged(const patter::Session&, std::string_view tag) override {
    std::cout << "  tagged " << tag << '\n';
  }
  void escalated(const patter::Session&, const patter::Action& a) override {
    std::cout << "  escalated: " << patter::to_string(a.escalation) << ", score " << a.score
              << '\n';
  }
  void call_ended(const patter::Session& s, const patter::CallResult& r) override {
    std::cout << "  call ended: " << patter::to_string(r.outcome) << ", grade " << r.grade << " at "
              << s.script().node(s.node()).name << '\n';
  }
};

// A hook with a bug.
class Broken : public patter::Observer {
 public:
  void turn(const patter::Session&, const patter::Turn&) override {
    throw std::runtime_error("metrics server unreachable");
  }
};

}  // namespace

int main() {
  auto loaded = patter::load_string(kScript, "renewal.yaml");
  if (!loaded.ok()) return 1;
  patter::Turn turn;

  Log log;  // not owned by the session: it must outlive the calls it watches
  patter::Session call = *patter::Session::start(loaded.script);
  call.set_observer(&log);
  std::cout << "answered\n";
  call.step(patter::Event::answered(0), turn);
  std::cout << "customer: sure\n";
  call.step(patter::Event::utterance("sure", 4000), turn);
  call.step(patter::Event::agent_joined(9000), turn);
  std::cout << "the advisor finishes the call\n";
  call.step(patter::Event::agent_left(60000, patter::kNone, patter::HangupReason::completed), turn);

  Broken broken;
  patter::Session other = *patter::Session::start(loaded.script);
  other.set_observer(&broken);
  const patter::Status s = other.step(patter::Event::answered(0), turn);
  std::cout << "with a throwing hook: step " << patter::to_string(s) << ", hook error \""
            << turn.hook_error_message() << "\", call at " << other.script().node(other.node()).name
            << '\n';
}
