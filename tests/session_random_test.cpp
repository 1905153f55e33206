// Thousands of random calls through every bundled script: seeded and
// reproducible. Customers say the scripts' own phrases and examples, mixed,
// negated, padded with noise, or send bad bytes, keys, silence, host
// intents, hang up, or land in voicemail; people grab calls and hand them
// back at any node; time jumps past the call-duration limit; and some events
// make no sense at all. Every call must keep the rules a host relies on:
//
//   - exactly one `end` action, as the last action of the last step, and
//     nothing accepted after it;
//   - an event that makes no sense returns an error and changes nothing
//     (snapshot bytes equal before and after), with no actions;
//   - limits hold: no `listen` once max_turns replies are in, no node
//     entered more than its max_visits, nothing said past the call-duration
//     limit but the closing line;
//   - the CallResult agrees with what the host saw: path = nodes entered,
//     tags = tag actions, turns, silences, hangup reason, escalation;
//   - a session restored from its snapshot at any step, or copied there,
//     lives the same future: same statuses, decisions, actions and result.
//
// A failure prints the script, the seed and the event sequence.
#include <gtest/gtest.h>
#include <patter/patter.hpp>
#include <patter/random.hpp>

#include <cmath>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace {

using patter::Action;
using patter::ActionType;
using patter::Event;
using patter::EventType;
using patter::Phase;
using patter::Session;
using patter::Status;
using patter::Turn;

using Rng = patter::Random;

struct Bundled {
  std::string file;
  std::vector<patter::VariableValue> variables;
  std::shared_ptr<const patter::Script> script;
  std::vector<std::string> said;                    // every phrase and example of every intent
  std::vector<std::vector<std::string>> by_intent;  // the same, per intent
};

std::vector<Bundled>& bundled() {
  static std::vector<Bundled> all = [] {
    std::vector<Bundled> v = {
        {"screening.zh-CN.yaml", {{"customer_name", "张先生"}}, nullptr, {}, {}},
        {"invitation.zh-CN.yaml", {{"member_name", "王女士"}}, nullptr, {}, {}},
        {"reactivation.zh-CN.yaml", {{"customer_name", "陈先生"}}, nullptr, {}, {}},
        {"appointment.en-US.yaml", {{"first_name", "Dana"}}, nullptr, {}, {}},
        // set, capture, a decision node and guarded phrasings
        {"booking.en-US.yaml", {{"first_name", "Sam"}}, nullptr, {}, {}},
        // Not bundled: every construct of the limits area in one script.
        {"../../tests/data/random/limits.en-US.yaml", {}, nullptr, {}, {}},
        // Ported from other engines: interruption kinds, misses across the
        // call, grade codes, an error ending; a form with a flow.
        {"../ports/sellbot/sellbot.zh-CN.yaml",
         {{"cust_name", "李女士"},
          {"activity_name", "周年庆"},
          {"date", "5月1日"},
          {"money", "88"}},
         nullptr,
         {},
         {}},
        {"../ports/formbot/formbot.en-US.yaml", {}, nullptr, {}, {}},
    };
    for (Bundled& b : v) {
      const auto path = std::filesystem::path(PATTER_SOURCE_DIR) / "examples" / "scripts" / b.file;
      b.script = patter::load_file(path.string()).script;
      if (!b.script) continue;
      for (const patter::Intent& in : b.script->intents()) {
        auto& mine = b.by_intent.emplace_back();
        for (const auto& p : in.phrases) mine.push_back(p);
        for (const auto& e : in.examples) mine.push_back(e);
        b.said.insert(b.said.end(), mine.begin(), mine.end());
      }
    }
    return v;
  }();
  return all;
}

/// One step's output as text: everything a host could act on.
std::string describe_step(const Session& s, const Turn& t) {
  std::string out = std::string(patter::to_string(t.status())) + " " +
                    std::string(patter::to_string(t.decision())) + " i" +
                    std::to_string(t.index()) + " from" + std::to_string(t.from()) + " limit" +
                    std::string(patter::to_string(t.limit())) + " phase" +
                    std::string(patter::to_string(s.phase())) + " deadline" +
                    std::to_string(s.deadline_ms()) + " path";
  for (patter::NodeId n : t.path()) out += " " + std::to_string(n);
  for (const Action& a : t.actions()) {
    out += "\n  " + std::string(patter::to_string(a.type)) + " n" + std::to_string(a.node) + " [" +
           std::string(a.text) + "] [" + std::string(a.recording) + "] b" +
           std::to_string(a.barge_in) + " nb" + std::to_string(a.no_barge_ms) + " t" +
           std::to_string(a.timeout_ms) + " " + std::string(patter::to_string(a.hangup)) + " " +
           std::string(patter::to_string(a.escalation)) + " " +
           std::string(patter::to_string(a.priority)) + " s" + std::to_string(a.score);
  }
  return out;
}

std::string describe_event(const Event& e) {
  std::string out = std::to_string(static_cast<int>(e.type));
  if (static_cast<int>(e.type) <= static_cast<int>(EventType::timer))
    out = std::string(patter::to_string(e.type));
  out += " @" + std::to_string(e.at_ms);
  switch (e.type) {
    case EventType::utterance: out += " \"" + std::string(e.text.substr(0, 80)) + "\""; break;
    case EventType::intent:
      out += " #" + std::to_string(e.intent) + " " + std::to_string(e.confidence);
      break;
    case EventType::dtmf: out += std::string(" key ") + e.key; break;
    case EventType::agent_left: out += " node " + std::to_string(e.node); break;
    case EventType::data:
      out += " fetch " + std::to_string(e.fetch) + (e.failed ? " failed" : "");
      for (const auto& [name, value] : e.values)
        out += " " + std::string(name) + "=" + std::string(value);
      break;
    default: break;
  }
  if (e.during_line) out += " during " + std::to_string(e.line_elapsed_ms);
  return out;
}

/// Makes up a customer: what they say, press and do, given the call's phase.
class Customer {
 public:
  /// `texts` keeps the words the events borrow, for as long as they are replayed.
  Customer(const Bundled& b, std::uint64_t seed, std::deque<std::string>& texts)
      : b_(b), sc_(*b.script), rng_(seed), texts_(texts) {
    at_ = 1'000'000 + rng_.below(1'000'000);
    static const std::uint32_t kinds[] = {15, 60, 85, 95};
    cooperative_ = kinds[rng_.below(4)];
    chatty_ = rng_.chance(20);
    for (const patter::GlobalHandler& g : sc_.globals())
      if (g.then == patter::GlobalHandler::Then::resume)
        questions_.insert(questions_.end(), g.intents.begin(), g.intents.end());
  }

  /// The next event, and whether it is one that can never be accepted.
  Event next(const Session& s, bool& always_invalid) {
    always_invalid = false;
    advance_time();
    if (s.ended()) {  // after the end: anything is refused
      always_invalid = true;
      return Event::utterance(keep("还在吗 hello?"), at_);
    }
    if (rng_.chance(7)) return invalid(s, always_invalid);
    switch (s.phase()) {
      case Phase::dialing: {
        const auto r = rng_.below(100);
        if (r < 88) return Event::answered(at_);
        if (r < 94) return Event::customer_hangup(at_);
        return Event::voicemail(at_);
      }
      case Phase::robot: return robot_phase(s);
      case Phase::waiting: {
        const auto r = rng_.below(100);
        if (r < 45) return Event::agent_joined(at_);
        if (r < 60) return Event::customer_hangup(at_);
        if (r < 80) return timer(s);
        return Event::utterance(utterance(), at_);
      }
      case Phase::human: {
        const auto r = rng_.below(100);
        if (r < 45) return Event::utterance(utterance(), at_);
        if (r < 70)
          return Event::agent_left(at_, rng_.below(static_cast<std::uint32_t>(sc_.nodes().size())));
        if (r < 85) return Event::agent_left(at_);
        if (r < 92) return Event::customer_hangup(at_);
        return Event::intent_of(rng_.below(static_cast<std::uint32_t>(sc_.intents().size())), 0.8f,
                                at_);
      }
      case Phase::ended: break;
    }
    return Event::customer_hangup(at_);
  }

  Event hang_up() { return Event::customer_hangup(at_ += 1000); }

 private:
  void advance_time() {
    const auto r = rng_.below(100);
    if (r < 1)
      at_ += 30'000 + rng_.below(300'000);  // a long pause: past the duration limit, sometimes
    else if (r < 8)
      ;  // the same millisecond
    else
      at_ += 500 + rng_.below(12'000);
  }

  std::string_view keep(std::string s) {
    texts_.push_back(std::move(s));
    return texts_.back();
  }

  Event timer(const Session& s) {
    const std::uint64_t due = s.deadline_ms();
    if (due > 0 && rng_.chance(60)) at_ = std::max(at_, due + rng_.below(3) * 1000);
    return Event::timer(at_);
  }

  /// A reply the node has a route for, as words, a host intent or a key.
  std::optional<Event> answer(const Session& s) {
    const patter::Node& node = sc_.node(s.node());
    if (node.routes.empty()) return std::nullopt;
    // Mostly routes that keep the call going, so calls get deep into the graph.
    const patter::Route* route = &rng_.pick(node.routes);
    for (int i = 0; i < 3 && sc_.node(route->target).terminal() && rng_.chance(80); ++i)
      route = &rng_.pick(node.routes);
    return answer(*route);
  }

  std::optional<Event> answer(const patter::Route& route) {
    if (!route.keys.empty() && rng_.chance(30))
      return Event::dtmf(route.keys[rng_.below(static_cast<std::uint32_t>(route.keys.size()))],
                         at_);
    if (route.intents.empty()) return Event::utterance(utterance(), at_);
    const patter::IntentId id = rng_.pick(route.intents);
    if (rng_.chance(15)) return Event::intent_of(id, 0.9f, at_);
    const auto& words = b_.by_intent[id];
    if (words.empty()) return Event::utterance(number(), at_);
    return Event::utterance(rng_.pick(words), at_);
  }

  std::string_view number() {
    static const std::vector<std::string> numbers = {"我今年17岁",
                                                     "今年四十五",
                                                     "三十岁",
                                                     "120平",
                                                     "两百平米",
                                                     "18号",
                                                     "周六",
                                                     "三个人",
                                                     "5个人",
                                                     "明天下午三点再打",
                                                     "$90 a month",
                                                     "about 300 dollars",
                                                     "saturday morning",
                                                     "friday afternoon",
                                                     "call me back tomorrow at 5 pm",
                                                     "99999999999999999999岁",
                                                     "我今年35",
                                                     "90平",
                                                     "一百三十平",
                                                     "下周六",
                                                     "十八号",
                                                     "$150",
                                                     "around 80 bucks"};
    return rng_.pick(numbers);
  }

  /// While a fetch waits: the host's answer (fitting or not), a failure,
  /// an answer to another fetch, or the deadline. The values are static: the
  /// events are replayed after the call.
  std::optional<Event> fetch_answer(const Session& s) {
    if (!s.fetching() || !rng_.chance(75)) return std::nullopt;
    static const patter::VariableValue kValues[] = {{"slot_free", "true"},  {"slot_free", "false"},
                                                    {"slot_free", "maybe"}, {"no_such", "1"},
                                                    {"bill", "120"},        {"first_name", "Sam"}};
    const std::span<const patter::VariableValue> one(&kValues[rng_.below(6)], 1);
    const auto r = rng_.below(100);
    if (r < 60) return Event::data(s.fetch_id(), one, at_);
    if (r < 75) return Event::fetch_failed(s.fetch_id(), at_);
    if (r < 85) return Event::data(s.fetch_id() + 1, one, at_);
    if (r < 90) return Event::set_variables(one, at_);
    return timer(s);
  }

  Event robot_phase(const Session& s) {
    if (auto e = fetch_answer(s)) return *e;
    // A chatty customer keeps asking what the knowledge base answers, up
    // to the turn limit.
    if (chatty_ && !questions_.empty() && rng_.chance(60)) {
      const auto& words = b_.by_intent[rng_.pick(questions_)];
      if (!words.empty()) return Event::utterance(rng_.pick(words), at_);
    }
    if (rng_.chance(cooperative_))
      if (auto e = answer(s)) return *e;
    const auto r = rng_.below(100);
    if (r < 52) {
      Event e = Event::utterance(utterance(), at_);
      if (rng_.chance(15)) e = e.during(rng_.below(3000));
      if (e.during_line && rng_.chance(40)) e = e.paused();  // said on, if not an interruption
      return e;
    }
    if (r < 60) {
      static const float confidences[] = {
          1.f, 0.9f, 0.3f, 0.f, 1.5f, -2.f, std::numeric_limits<float>::quiet_NaN()};
      Event e = Event::intent_of(rng_.below(static_cast<std::uint32_t>(sc_.intents().size())),
                                 confidences[rng_.below(7)], at_);
      if (rng_.chance(10)) e = e.during(rng_.below(3000));
      return e;
    }
    if (r < 74) return Event::no_input(at_);
    if (r < 82) return Event::dtmf("0123456789*#1212"[rng_.below(16)], at_);
    if (r < 85) return Event::customer_hangup(at_);
    if (r < 86) return Event::voicemail(at_);
    if (r < 89) return Event::agent_joined(at_);  // a supervisor grabs the call
    return timer(s);
  }

  std::string_view utterance() {
    const auto r = rng_.below(100);
    const std::string& a = rng_.pick(b_.said);
    if (r < 45) return a;
    if (r < 60) return keep(a + (rng_.chance(50) ? "，" : ", ") + rng_.pick(b_.said));
    if (r < 65) return keep((sc_.locale() == "en-US" ? "not " : "不") + a);
    if (r < 70 && !sc_.settings().fillers.empty()) return rng_.pick(sc_.settings().fillers);
    if (r < 78) return number();
    if (r < 86) {
      static const std::vector<std::string> noise = {"今天天气不错",
                                                     "我家猫刚生了小猫",
                                                     "the weather is nice today",
                                                     "what",
                                                     "嗯",
                                                     "",
                                                     "   ",
                                                     "？？？",
                                                     "喂喂喂",
                                                     "哈哈哈",
                                                     "ok ok",
                                                     "不不不不不",
                                                     "是不是啊",
                                                     "I'm not not interested",
                                                     "NOT INTERESTED!!!",
                                                     "🙂👍",
                                                     "\t\n"};
      return rng_.pick(noise);
    }
    if (r < 92) {  // bad bytes
      std::string s;
      const auto n = 1 + rng_.below(24);
      for (std::uint32_t i = 0; i < n; ++i) s += static_cast<char>(rng_.below(256));
      return keep(std::move(s));
    }
    if (r < 95) {  // very long
      std::string s;
      while (s.size() < 6000) s += rng_.pick(b_.said);
      return keep(std::move(s));
    }
    return keep(std::string("\xE6\x88") + a + std::string("\0\x01", 2) +
                a);  // cut characters and controls
  }

  Event invalid(const Session& s, bool& always_invalid) {
    always_invalid = true;
    switch (rng_.below(6)) {
      case 1: return Event::dtmf("aZ \0!"[rng_.below(5)], at_);
      case 2:
        return Event::intent_of(static_cast<patter::IntentId>(sc_.intents().size() + rng_.below(3)),
                                1, at_);
      case 3: {
        Event e = Event::timer(at_);
        e.type = static_cast<EventType>(40 + rng_.below(200));
        return e;
      }
      case 4:
        if (s.phase() != Phase::dialing) return Event::answered(at_);
        break;
      default: break;
    }
    // Not always wrong: depends on the phase (the status is checked anyway).
    always_invalid = false;
    switch (rng_.below(4)) {
      case 0:
        return Event::agent_left(at_,
                                 static_cast<patter::NodeId>(sc_.nodes().size() + rng_.below(3)));
      case 1: return Event::agent_left(at_);
      case 2: return Event::no_input(at_);
      default: return Event::agent_joined(at_);
    }
  }

  const Bundled& b_;
  const patter::Script& sc_;
  Rng rng_;
  std::uint64_t at_ = 0;
  std::uint32_t cooperative_ = 50;  // percent of replies the node has a route for
  bool chatty_ = false;
  std::vector<patter::IntentId> questions_;  // intents answered by handlers that resume
  std::deque<std::string>& texts_;
};

/// One call as it happened.
struct Played {
  std::deque<std::string> texts;  // what the events' text points into
  std::vector<Event> events;
  std::vector<std::string> steps;      // describe_step after each event
  std::vector<std::string> snapshots;  // before each event
  std::vector<Session> copies;         // before each event (only when asked)
  std::string result_json;
};

std::string trace(const Bundled& b, std::uint64_t seed, const Played& p) {
  std::string out = b.file + ", seed " + std::to_string(seed) + ":\n";
  for (std::size_t i = 0; i < p.events.size(); ++i) {
    out += "  " + std::to_string(i) + ": " + describe_event(p.events[i]) + "\n";
    if (i < p.steps.size()) out += "     -> " + p.steps[i] + "\n";
  }
  return out;
}

/// Play one random call, checking the rules at each step.
Played play_one(const Bundled& b, std::uint64_t seed, bool keep_copies) {
  const patter::Script& sc = *b.script;
  Played p;
  Customer customer(b, seed, p.texts);
  const bool transcript = seed % 3 == 0;
  // A lead id per seed: the scripts' A/B tests take every variant over the seeds.
  const std::string lead = "lead-" + std::to_string(seed);
  patter::Started started = Session::start(
      b.script, b.variables,
      patter::SessionOptions{.transcript = transcript ? 16u : 0u, .variant_key = lead});
  EXPECT_TRUE(started.ok()) << started.message();
  if (!started.ok()) return p;
  Session& s = *started;
  Turn t;

  std::vector<patter::NodeId> path_seen;
  std::vector<std::string> tags_seen;
  std::uint32_t replies = 0, silences = 0, ends = 0, hangups = 0;
  std::uint32_t to_person = 0;  // replies while a person had or was coming to the call
  std::optional<patter::HangupReason> hangup_reason;
  bool escalated = false;  // the robot asked for a person, or one grabbed the call
  bool person = false;     // a person took the call
  std::uint64_t answered_at = 0;
  std::string before;
  int after_end = 0;
  auto ctx = [&] { return trace(b, seed, p); };
  Rng rng(seed ^ 0xbac);
  std::uint64_t last_ok_at = 0;  // the time of the last accepted event

  for (int step = 0; step < 400; ++step) {
    bool always_invalid = false;
    Event e = customer.next(s, always_invalid);
    if (step >= 150 && !s.ended()) e = customer.hang_up();  // long enough: end it
    if (s.ended() && ++after_end > 2) break;
    if (last_ok_at > 0 && rng.chance(2)) {  // time goes back
      e = Event::utterance(
          "是的",
          last_ok_at - 1 -
              rng.below(static_cast<std::uint32_t>(std::min<std::uint64_t>(last_ok_at, 5000))));
      always_invalid = true;
    }

    s.snapshot(before);
    p.events.push_back(e);
    p.snapshots.push_back(before);
    if (keep_copies) p.copies.push_back(s);
    const Phase phase = s.phase();
    // The call-duration limit applies while the robot has the call.
    const int max_s = sc.limits().max_duration_s;
    const bool too_late = phase == Phase::robot && max_s > 0 &&
                          e.type != EventType::customer_hangup &&
                          e.at_ms >= answered_at + static_cast<std::uint64_t>(max_s) * 1000u;

    const Status st = s.step(e, t);
    p.steps.push_back(describe_step(s, t));
    if (step % 7 == 0) (void)t.explain(sc);

    if (patter::is_error(st)) {
      EXPECT_TRUE(t.actions().empty()) << describe_step(s, t) << "\n" << ctx();
      EXPECT_TRUE(s.snapshot() == before) << "an error changed the session\n" << ctx();
      continue;
    }
    last_ok_at = e.at_ms;
    EXPECT_FALSE(always_invalid) << "accepted: " << describe_event(e) << "\n" << ctx();

    // What the host saw.
    for (patter::NodeId n : t.path()) path_seen.push_back(n);
    const auto acts = t.actions();
    for (std::size_t i = 0; i < acts.size(); ++i) {
      const Action& a = acts[i];
      EXPECT_EQ(ends, 0u) << "an action after the end\n" << ctx();
      switch (a.type) {
        case ActionType::tag: tags_seen.emplace_back(a.text); break;
        case ActionType::end:
          ++ends;
          EXPECT_EQ(i + 1, acts.size()) << "end is not the last action\n" << ctx();
          break;
        case ActionType::hangup:
          ++hangups;
          hangup_reason = a.hangup;
          break;
        case ActionType::escalate: escalated = true; break;
        case ActionType::listen:
          if (sc.limits().max_turns > 0) {  // replies to a person do not count
            EXPECT_LT(s.turns() - to_person, static_cast<std::uint32_t>(sc.limits().max_turns))
                << "listening past max_turns\n"
                << ctx();
          }
          EXPECT_EQ(s.phase(), Phase::robot) << ctx();
          break;
        default: break;
      }
    }
    EXPECT_EQ(s.ended(), ends == 1) << ctx();
    if (e.type == EventType::answered) answered_at = e.at_ms;
    // Past the duration limit the robot closes the call before anything else.
    if (e.type == EventType::agent_joined && !too_late) escalated = person = true;
    // Words that cut an `interrupt: clarify` line are not a reply: the robot
    // says its clarifying line and listens for the real one.
    const bool clarified = t.decision() == patter::Decision::barge_in;
    if (st == Status::ok && !too_late && !clarified &&
        (e.type == EventType::utterance || e.type == EventType::intent ||
         e.type == EventType::dtmf)) {
      ++replies;
      if (phase == Phase::waiting || phase == Phase::human) ++to_person;
    }
    if (st == Status::ok && !too_late && e.type == EventType::no_input) ++silences;

    // The duration limit: in the robot's hands, an event at or past it
    // closes the call, and nothing else is said.
    if (too_late) {
      EXPECT_EQ(t.decision(), patter::Decision::limit) << ctx();
      EXPECT_EQ(t.limit(), patter::HangupReason::max_duration) << ctx();
      EXPECT_TRUE(s.ended()) << ctx();
    }
    // Visit limits.
    for (patter::NodeId n = 0; n < sc.nodes().size(); ++n) {
      const patter::Node& node = sc.nodes()[n];
      if (!node.terminal() && node.max_visits > 0) {
        EXPECT_LE(s.visits(n), static_cast<std::uint32_t>(node.max_visits)) << node.name << "\n"
                                                                            << ctx();
      }
    }
  }

  EXPECT_TRUE(s.ended()) << ctx();
  EXPECT_EQ(ends, 1u) << ctx();
  EXPECT_LE(hangups, 1u) << ctx();
  const patter::CallResult r = s.result();
  p.result_json = r.to_json(sc);
  EXPECT_EQ(r.path, path_seen) << ctx();
  EXPECT_EQ(r.tags, tags_seen) << ctx();
  EXPECT_EQ(r.turns, replies) << ctx();
  EXPECT_EQ(r.silences, silences) << ctx();
  EXPECT_EQ(r.escalated, escalated) << ctx();
  EXPECT_EQ(r.outcome == patter::Outcome::escalated, person) << ctx();
  EXPECT_EQ(s.person_joined(), person) << ctx();
  if (hangup_reason) {
    EXPECT_EQ(r.hangup, *hangup_reason) << ctx();
  }
  for (patter::NodeId n = 0; n < sc.nodes().size(); ++n)
    EXPECT_EQ(s.visits(n), static_cast<std::uint32_t>(std::count(r.path.begin(), r.path.end(), n)))
        << ctx();
  EXPECT_LE(r.transcript.size(), transcript ? 16u : 0u);
  return p;
}

/// Feed `from`'s events k.. to `s` and compare with what the original did.
void replay_from(Session s, const Bundled& b, std::uint64_t seed, const Played& p, std::size_t k,
                 const char* how) {
  Turn t;
  for (std::size_t i = k; i < p.events.size(); ++i) {
    s.step(p.events[i], t);
    const std::string got = describe_step(s, t);
    if (got != p.steps[i]) {
      ADD_FAILURE() << how << " at step " << k << " differs at step " << i << ":\n"
                    << got << "\nvs\n"
                    << p.steps[i] << "\n"
                    << trace(b, seed, p);
      return;
    }
  }
  EXPECT_EQ(s.result().to_json(*b.script), p.result_json) << how << " at step " << k << "\n"
                                                          << trace(b, seed, p);
}

/// Calls per script; PATTER_RANDOM_CALLS=N runs more (a soak) or fewer.
int calls_per_script() {
  const char* n = std::getenv("PATTER_RANDOM_CALLS");
  return n ? std::atoi(n) : 1500;
}
/// One call in this many replays its future from every step; the others
/// from one step picked at random.
constexpr int kEveryStepOneIn = 8;

}  // namespace

TEST(SessionRandom, BundledScriptsKeepTheRules) {
  for (std::size_t si = 0; si < bundled().size(); ++si) {
    const Bundled& b = bundled()[si];
    ASSERT_TRUE(b.script) << b.file;
    for (int call = 0, calls = calls_per_script(); call < calls; ++call) {
      const std::uint64_t seed = si * 1'000'003 + static_cast<std::uint64_t>(call);
      const bool every_step = call % kEveryStepOneIn == 0;
      const Played p = play_one(b, seed, every_step);
      if (HasFailure()) return;  // one reproducible failure is enough

      Rng pick(seed ^ 0x5eed);
      const std::size_t n = p.events.size();
      for (std::size_t k = every_step ? 0 : pick.below(static_cast<std::uint32_t>(n)); k < n;
           k = every_step ? k + 1 : n) {
        patter::Restored r = Session::restore(b.script, p.snapshots[k]);
        ASSERT_TRUE(r.ok()) << r.message() << "\n" << trace(b, seed, p);
        EXPECT_TRUE(r->snapshot() == p.snapshots[k]) << "restore and snapshot again differ\n"
                                                     << trace(b, seed, p);
        replay_from(std::move(*r), b, seed, p, k, "restored");
        if (every_step) replay_from(p.copies[k], b, seed, p, k, "copied");
        if (HasFailure()) return;
      }
    }
  }
}

TEST(SessionRandom, SameSeedSameCall) {
  const Bundled& b = bundled().front();
  ASSERT_TRUE(b.script);
  for (std::uint64_t seed : {7u, 8u, 9u}) {
    const Played one = play_one(b, seed, false);
    const Played two = play_one(b, seed, false);
    EXPECT_EQ(one.steps, two.steps);
    EXPECT_EQ(one.result_json, two.result_json);
  }
}
