// The call-life table drawn in patter/session.hpp is the runtime's own
// (lib/runtime/call_life.hpp), and the session keeps to it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "patter/loader.hpp"
#include "runtime/call_life.hpp"

namespace {

using namespace patter;

std::string padded(std::string_view s, std::size_t width) {
  std::string out(s);
  out.resize(std::max(width, out.size() + 1), ' ');
  return out;
}

/// The table as session.hpp draws it.
std::string drawn() {
  std::string out = "//   " + padded("", 18);
  for (Phase p : {Phase::dialing, Phase::robot, Phase::waiting}) out += padded(to_string(p), 18);
  out += std::string(to_string(Phase::human)) + "\n";
  for (std::size_t e = 0; e < detail::kCallEvents; ++e) {
    std::string line = "//   " + padded(to_string(static_cast<EventType>(e)), 18);
    for (Phase p : {Phase::dialing, Phase::robot, Phase::waiting})
      line += padded(to_string(detail::call_life(static_cast<EventType>(e), p)), 18);
    line += to_string(detail::call_life(static_cast<EventType>(e), Phase::human));
    out += line + "\n";
  }
  return out;
}

TEST(CallLife, TheHeaderDrawsTheRuntimeTable) {
  std::ifstream in(PATTER_SOURCE_DIR "/include/patter/session.hpp");
  ASSERT_TRUE(in) << "cannot read include/patter/session.hpp";
  std::stringstream text;
  text << in.rdbuf();
  const std::string table = drawn();
  EXPECT_NE(text.str().find(table), std::string::npos)
      << "include/patter/session.hpp no longer draws lib/runtime/call_life.hpp; draw it as:\n"
      << table;
}

TEST(CallLife, EndedTakesNothingAndTheArrowsOfTheDiagramAreTaken) {
  for (std::size_t e = 0; e < detail::kCallEvents; ++e)
    EXPECT_EQ(detail::call_life(static_cast<EventType>(e), Phase::ended), Status::call_ended);
  // The arrows of the life diagram in session.hpp, by the phase they leave.
  EXPECT_EQ(detail::call_life(EventType::answered, Phase::dialing), Status::ok);
  EXPECT_EQ(detail::call_life(EventType::customer_hangup, Phase::dialing), Status::ok);
  EXPECT_EQ(detail::call_life(EventType::voicemail, Phase::dialing), Status::ok);
  EXPECT_EQ(detail::call_life(EventType::agent_joined, Phase::waiting), Status::ok);
  EXPECT_EQ(detail::call_life(EventType::agent_left, Phase::human), Status::ok);
  EXPECT_EQ(detail::call_life(EventType::customer_hangup, Phase::robot), Status::ok);
}

const char* kScript = R"yaml(patter: 1
id: life
locale: en-US
intents:
  yes: [yes]
  human: [real person]
start: ask
nodes:
  ask:
    say: "Go on?"
    routes:
      - {intent: yes, to: bye}
      - {intent: human, to: person}
  person:
    say: "One moment."
    escalate: interested
  bye:
    say: "Bye."
    hangup: completed
)yaml";

/// A session in `phase`, at time 10.
Session in_phase(Phase phase) {
  auto script = load_string(kScript, "life.yaml").script;
  Session s = std::move(*Session::start(script));
  Turn t;
  if (phase == Phase::dialing) return s;
  s.step(Event::answered(10), t);
  if (phase == Phase::waiting || phase == Phase::human)
    s.step(Event::utterance("real person", 10), t);
  if (phase == Phase::human) s.step(Event::agent_joined(10), t);
  if (phase == Phase::ended) s.step(Event::customer_hangup(10), t);
  EXPECT_EQ(s.phase(), phase);
  return s;
}

Event event_of(EventType type) {
  switch (type) {
    case EventType::answered: return Event::answered(20);
    case EventType::utterance: return Event::utterance("hm", 20);
    case EventType::intent: return Event::intent_of(0, 0.9f, 20);
    case EventType::no_input: return Event::no_input(20);
    case EventType::dtmf: return Event::dtmf('1', 20);
    case EventType::customer_hangup: return Event::customer_hangup(20);
    case EventType::voicemail: return Event::voicemail(20);
    case EventType::agent_joined: return Event::agent_joined(20);
    case EventType::agent_left: return Event::agent_left(20);
    case EventType::timer: return Event::timer(20);
    case EventType::not_understood: return Event::not_understood(20);
    case EventType::data: return Event::set_variables({}, 20);
    case EventType::agent_said: return Event::agent_said("Hello, this is Li.", "li", 20);
  }
  return Event::timer(20);
}

TEST(CallLife, EverySessionKeepsToTheTable) {
  for (Phase p : {Phase::dialing, Phase::robot, Phase::waiting, Phase::human, Phase::ended}) {
    for (std::size_t e = 0; e < detail::kCallEvents; ++e) {
      const auto type = static_cast<EventType>(e);
      Session s = in_phase(p);
      Turn t;
      const Status got = s.step(event_of(type), t);
      const Status rule = detail::call_life(type, p);
      if (rule != Status::ok) {
        EXPECT_EQ(got, rule) << to_string(type) << " in " << to_string(p);
      } else if (type != EventType::not_understood) {  // that one also needs a question to the host
        EXPECT_FALSE(is_error(got))
            << to_string(type) << " in " << to_string(p) << ": " << to_string(got);
      }
    }
  }
}

}  // namespace
