// call — one call, driven the way a dialer drives it.
//
//   $ patter_call                                    # the bundled screening script
//   $ patter_call SCRIPT.yaml "是的" "大专" "-" "#1" "越快越好"
//   $ echo "是的" | patter_call SCRIPT.yaml --stdin
//
// Each argument after the script is what the customer does next: words,
// "-" for silence (the listen timed out), "#1" for keypad 1, "!" to hang up.
// The program plays the dialer: it turns each into an Event with the time on
// its own (simulated) clock, steps the Session, and carries out the actions
// by printing them. At the end it prints the CallResult as JSON.
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <patter/patter.hpp>

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

namespace {

constexpr const char* kDefaultScript = PATTER_EXAMPLES_DIR "/scripts/screening.zh-CN.yaml";

// Rough speaking time of a line: the host knows it from its TTS; here,
// 220 ms per character.
std::uint64_t speaking_ms(std::string_view text) {
  std::uint64_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return chars * 220;
}

// What the dialer does with the actions: prints them, and moves its clock
// past the lines it "plays".
void carry_out(const patter::Turn& turn, const patter::Script& script, std::uint64_t& now) {
  for (const patter::Action& a : turn.actions()) {
    switch (a.type) {
      case patter::ActionType::say:
        std::cout << "  robot: " << a.text << '\n';
        now += speaking_ms(a.text);
        break;
      case patter::ActionType::listen:
        std::cout << "         (listening " << a.timeout_ms / 1000.0 << " s)\n";
        break;
      case patter::ActionType::stop_line: std::cout << "         (line cut off)\n"; break;
      case patter::ActionType::tag: std::cout << "         [tag " << a.text << "]\n"; break;
      case patter::ActionType::hangup:
        std::cout << "         [hang up: " << patter::to_string(a.hangup) << "]\n";
        break;
      case patter::ActionType::escalate:
        std::cout << "         [transfer to a person: " << patter::to_string(a.escalation) << ", "
                  << patter::to_string(a.priority) << " priority, score " << a.score << "]\n";
        break;
      case patter::ActionType::end:
      case patter::ActionType::resume_line:  // this host never pauses a line
      case patter::ActionType::understand:   // nor runs a classifier of its own
      case patter::ActionType::fetch:        // nor looks data up
        break;
    }
  }
  (void)script;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = kDefaultScript;
  std::vector<std::string> replies;
  bool from_stdin = false;
  int first = 1;
  if (argc > 1 && std::string_view(argv[1]).ends_with(".yaml")) {
    path = argv[1];
    first = 2;
  }
  for (int i = first; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--stdin")
      from_stdin = true;
    else
      replies.emplace_back(argv[i]);
  }
  if (from_stdin)
    for (std::string line; std::getline(std::cin, line);) replies.push_back(line);
  if (replies.empty() && !from_stdin)
    replies = {"喂，是我，你哪位", "对", "大专毕业", "想考公务员", "越快越好"};

  patter::LoadResult loaded = patter::load_file(path);
  for (const patter::Diagnostic& d : loaded.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!loaded.ok()) return 1;
  const patter::Script& script = *loaded.script;

  // The CRM's fields for this call; the transcript is kept for the result.
  patter::Started started =
      patter::Session::start(loaded.script, {{"customer_name", "王女士"}}, {.transcript = 64});
  if (!started.ok()) {
    std::cerr << "patter_call: " << started.message() << '\n';
    return 1;
  }
  patter::Session& call = *started;
  patter::Turn turn;  // one per thread, reused for every step
  std::uint64_t now = 0;

  std::cout << script.title() << "\n\n";
  call.step(patter::Event::answered(now), turn);
  carry_out(turn, script, now);
  for (const std::string& reply : replies) {
    if (call.ended()) break;
    now += 1500;
    patter::Event event;
    if (reply == "-") {
      std::cout << "customer: (silence)\n";
      now += 6000;
      event = patter::Event::no_input(now);
    } else if (reply == "!") {
      std::cout << "customer: (hangs up)\n";
      event = patter::Event::customer_hangup(now);
    } else if (reply.size() == 2 && reply[0] == '#') {
      std::cout << "customer: (presses " << reply[1] << ")\n";
      event = patter::Event::dtmf(reply[1], now);
    } else {
      std::cout << "customer: " << reply << '\n';
      event = patter::Event::utterance(reply, now);
    }
    if (patter::is_error(call.step(event, turn))) {
      std::cerr << "patter_call: " << patter::describe(turn.status()) << '\n';
      return 1;
    }
    carry_out(turn, script, now);
  }
  // A transferred call: the dialer bridges a person, who later finishes it.
  if (call.phase() == patter::Phase::waiting) {
    now += 5000;
    std::cout << "         (a salesperson takes the call)\n";
    call.step(patter::Event::agent_joined(now), turn);
    now += 120000;
    std::cout << "         (the salesperson finishes the call)\n";
    call.step(patter::Event::agent_left(now), turn);
  }
  std::cout << '\n' << call.result().to_json(script) << '\n';
  return 0;
}
