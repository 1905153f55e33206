// The campaign stepper (patter/tooling/campaign.hpp).
#include <patter/patter.hpp>
#include <patter/tooling/campaign.hpp>
#include <patter/tooling/simulation.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace {

const std::string kScripts = std::string(PATTER_SOURCE_DIR) + "/examples/scripts/";
const std::string kPersonas = std::string(PATTER_SOURCE_DIR) + "/examples/personas/";

std::shared_ptr<const patter::Script> screening() {
  static const auto script = patter::load_file(kScripts + "screening.zh-CN.yaml").script;
  return script;
}

const patter::PersonaSet& personas() {
  static const patter::PersonaSet set =
      *patter::load_personas_file(kPersonas + "screening.zh-CN.personas.yaml", *screening())
           .personas;
  return set;
}

patter::CampaignOptions options(std::uint64_t calls, std::uint64_t seed = 3) {
  patter::CampaignOptions o;
  o.agents = 2;
  o.robots_per_agent = 3;
  o.calls = calls;
  o.seed = seed;
  o.grab_score = 40;
  return o;
}

// Each call's result as a JSON line, in the order they ended.
std::vector<std::string> run_to_end(patter::Campaign& c) {
  std::vector<std::string> lines;
  c.observers().on_ended = [&](patter::CallId, const patter::CallResult& r,
                               const patter::CallContext& ctx, std::uint32_t) {
    lines.push_back(patter::to_json_line(r, *screening(), ctx));
  };
  while (const auto next = c.next_event_time()) c.step_until(*next);
  return lines;
}

// A random stream that always draws the same: the model's draws made visible.
struct Fixed {
  double u = 0;
  std::uint64_t uniform_calls = 0;
  double uniform() { return ++uniform_calls, u; }
  std::size_t below(std::size_t) { return 0; }
  std::uint64_t between(std::uint64_t min, std::uint64_t) { return min; }
};

TEST(Campaign, SteppedEventByEventIsTheSimulation) {
  patter::SimulationOptions so;
  so.agents = 2;
  so.robots_per_agent = 3;
  so.calls = 300;
  so.seed = 3;
  so.grab_score = 40;
  std::vector<std::string> simulated;
  so.on_call = [&](const patter::CallResult& r, const patter::CallContext& ctx) {
    simulated.push_back(patter::to_json_line(r, *screening(), ctx));
  };
  const patter::Simulation sim = patter::simulate(screening(), personas(), so);

  patter::Campaign c(screening(), personas(), options(300));
  const std::vector<std::string> stepped = run_to_end(c);
  ASSERT_EQ(stepped.size(), 300u);
  EXPECT_EQ(stepped, simulated);
  EXPECT_EQ(c.report().to_json(), sim.report.to_json());
  EXPECT_EQ(c.last_end(), sim.sim_ms);
  EXPECT_EQ(c.counters().errors, 0u);
}

TEST(Campaign, SimulationTakesEveryCampaignOption) {
  // The options are written once: a simulation is a campaign's options and
  // a report. Every field set away from its default reaches the campaign.
  patter::CampaignOptions o = options(120, 9);
  o.desk_assigns = false;  // people pick escalations from the queue; the run still ends
  o.react_ms = {500, 900};
  o.help_after_ms = 3000;
  o.handle_ms = {20000, 30000};
  o.redial_ms = 700;
  o.retry_ms = 1000;
  o.wide_char_ms = 150;
  o.narrow_char_ms = 40;
  o.transcripts = 2;
  patter::SimulationOptions so;
  EXPECT_EQ(so.calls, 1000u);  // a simulation ends; a campaign need not
  static_cast<patter::CampaignOptions&>(so) = o;
  std::vector<std::string> simulated;
  so.on_call = [&](const patter::CallResult& r, const patter::CallContext& ctx) {
    simulated.push_back(patter::to_json_line(r, *screening(), ctx));
  };
  const patter::Simulation sim = patter::simulate(screening(), personas(), so);

  patter::Campaign c(screening(), personas(), o);
  EXPECT_EQ(run_to_end(c), simulated);
  EXPECT_EQ(c.last_end(), sim.sim_ms);
  EXPECT_EQ(sim.transcripts.size(), 2u);
  patter::Campaign plain(screening(), personas(), options(120, 9));
  EXPECT_NE(run_to_end(plain), simulated) << "the options changed nothing: a weak test";
}

TEST(Campaign, SameSeedSameCampaignAnotherSeedAnother) {
  patter::Campaign a(screening(), personas(), options(120, 5));
  patter::Campaign b(screening(), personas(), options(120, 5));
  patter::Campaign other(screening(), personas(), options(120, 6));
  const auto la = run_to_end(a);
  EXPECT_EQ(la, run_to_end(b));
  EXPECT_NE(la, run_to_end(other));
}

TEST(Campaign, StepUntilStopsAtItsTimeAndTheClockStandsThere) {
  patter::Campaign c(screening(), personas(), options(0));  // no end
  ASSERT_EQ(c.next_event_time(), std::optional<std::uint64_t>(0));
  std::uint64_t dialed = 0;
  c.observers().on_dialed = [&](patter::CallId, std::uint32_t robot) {
    EXPECT_LE(c.now(), 4000u);
    EXPECT_TRUE(c.robots().at(robot).busy);
    ++dialed;
  };
  // Robots start 700 ms apart; no call rings for less than 3 s, nor
  // redials sooner than 2 s after it ends.
  c.step_until(4000);
  EXPECT_EQ(c.now(), 4000u);
  ASSERT_TRUE(c.next_event_time());
  EXPECT_GT(*c.next_event_time(), 4000u);
  EXPECT_EQ(dialed, 6u);  // every robot is on its first call
  EXPECT_EQ(c.counters().dialed, 6u);
  c.step_until(3000);  // the clock never goes back
  EXPECT_EQ(c.now(), 4000u);
}

TEST(Campaign, EveryDialledCallEndsOnceAndObserversSeeIt) {
  patter::Campaign c(screening(), personas(), options(200));
  std::map<patter::CallId, int> dialed, ended, changed;
  c.observers().on_dialed = [&](patter::CallId id, std::uint32_t) { ++dialed[id]; };
  c.observers().on_changed = [&](patter::CallId id) { ++changed[id]; };
  c.observers().on_ended = [&](patter::CallId id, const patter::CallResult&,
                               const patter::CallContext& ctx, std::uint32_t robot) {
    ++ended[id];
    EXPECT_FALSE(c.robots().at(robot).busy);
    EXPECT_FALSE(ctx.persona.empty());
  };
  while (const auto next = c.next_event_time()) c.step_until(*next);
  EXPECT_EQ(dialed.size(), 200u);
  EXPECT_EQ(ended.size(), 200u);
  for (const auto& [id, n] : ended) {
    EXPECT_EQ(n, 1) << id;
    EXPECT_EQ(dialed[id], 1) << id;
    EXPECT_GE(changed[id], 1) << id;
  }
  EXPECT_EQ(c.counters().ended, 200u);
  EXPECT_EQ(c.report().calls, 200u);
  EXPECT_EQ(c.desk().live_calls(), 0u);
}

// One agent, who chooses their escalations from the queue (nobody else takes them).
patter::CampaignOptions one_present_agent() {
  patter::CampaignOptions o = options(0);
  o.agents = 1;
  o.grab_score = 0;
  o.desk_assigns = false;
  return o;
}

// A present person's queue: the first waiting call, once there is one.
patter::CallId first_waiting(patter::Campaign& c) {
  while (c.desk().queue().empty() && c.now() < 3'600'000) c.step_until(c.now() + 1000);
  return c.desk().queue().empty() ? 0 : c.desk().queue().front();
}

TEST(Campaign, APresentPersonDecidesGrabsSaysAndFinishes) {
  const patter::CampaignOptions o = one_present_agent();
  patter::Campaign c(screening(), personas(), o);
  c.set_present("agent01", true);
  const patter::CallId id = first_waiting(c);  // escalations wait: nobody simulated takes them
  ASSERT_NE(id, 0u);
  EXPECT_EQ(c.desk().call(id)->with, "");
  ASSERT_EQ(c.grab("agent01", id), patter::DeskStatus::ok);
  EXPECT_EQ(c.people().at(0).talking, id);
  EXPECT_EQ(c.desk().call(id)->with, "agent01");

  int changes = 0;
  std::optional<patter::CallResult> result;
  std::string agent;
  c.observers().on_changed = [&](patter::CallId call) { changes += call == id; };
  c.observers().on_ended = [&](patter::CallId call, const patter::CallResult& r,
                               const patter::CallContext& ctx, std::uint32_t) {
    if (call != id) return;
    result = r;
    agent = std::string(ctx.agent);
  };
  ASSERT_EQ(c.say("agent01", id, "您好，我是顾问", c.desk().call(id)->node),
            patter::DeskStatus::ok);
  c.step_until(c.now() + 20000);  // the customer answers the person (or hangs up)
  EXPECT_GE(changes, 1);
  if (!result) {
    ASSERT_EQ(c.finish("agent01", id, patter::HangupReason::completed), patter::DeskStatus::ok);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->hangup, patter::HangupReason::completed);
  }
  EXPECT_EQ(agent, "agent01");
  EXPECT_EQ(c.people().at(0).talking, 0u);
}

TEST(Campaign, HandedBackTheRobotGoesOnAndAPersonWhoLeavesIsSimulatedAgain) {
  const patter::CampaignOptions o = one_present_agent();
  patter::Campaign c(screening(), personas(), o);
  c.set_present("agent01", true);
  const patter::CallId first = first_waiting(c);
  ASSERT_NE(first, 0u);
  ASSERT_EQ(c.take_next("agent01"), patter::DeskStatus::ok);
  EXPECT_EQ(c.people().at(0).talking, first);
  ASSERT_EQ(c.hand_back("agent01", first, screening()->start()), patter::DeskStatus::ok);
  EXPECT_EQ(c.people().at(0).talking, 0u);
  if (const auto info = c.desk().call(first)) {
    EXPECT_EQ(info->with, "");
  }

  const patter::CallId second = first_waiting(c);
  ASSERT_NE(second, 0u);
  ASSERT_EQ(c.grab("agent01", second), patter::DeskStatus::ok);
  std::string agent;
  std::uint64_t person_ms = 0;
  c.observers().on_ended = [&](patter::CallId id, const patter::CallResult&,
                               const patter::CallContext& ctx, std::uint32_t) {
    if (id != second) return;
    agent = std::string(ctx.agent);
    person_ms = ctx.person_ms;
  };
  c.set_present("agent01", false);  // the page closed: a simulated person ends the call
  c.step_until(c.now() + o.handle_ms.max);
  EXPECT_EQ(agent, "agent01");
  EXPECT_GT(person_ms, 0u);
}

TEST(Campaign, HostCallsThatCannotBeDoneSayWhy) {
  patter::CampaignOptions o = options(0);
  o.trainees = 1;
  patter::Campaign c(screening(), personas(), o);
  c.step_until(20000);
  const patter::CallId live = c.robots().at(0).call;
  ASSERT_NE(live, 0u);
  const patter::NodeId start = screening()->start();
  EXPECT_EQ(c.grab("nobody", live), patter::DeskStatus::unknown_agent);
  EXPECT_EQ(c.grab("agent01", 999999), patter::DeskStatus::unknown_call);
  EXPECT_EQ(c.grab("agent02", live), patter::DeskStatus::not_supervisor);
  EXPECT_EQ(c.say("agent01", live, "hello", start), patter::DeskStatus::not_with_agent);
  EXPECT_EQ(c.say("agent01", 999999, "hello", start), patter::DeskStatus::unknown_call);
  EXPECT_EQ(c.hand_back("agent01", live, start), patter::DeskStatus::not_with_agent);
  EXPECT_EQ(c.hand_back("agent01", 999999, start), patter::DeskStatus::unknown_call);
  EXPECT_EQ(c.finish("agent01", live, patter::HangupReason::completed),
            patter::DeskStatus::not_with_agent);
  EXPECT_EQ(c.allow_calls("agent01", 3),
            patter::DeskStatus::unknown_agent);  // agents need no quota
  EXPECT_EQ(c.allow_calls("nobody", 3), patter::DeskStatus::unknown_agent);
  EXPECT_EQ(c.take_next("nobody"), patter::DeskStatus::unknown_agent);
  ASSERT_EQ(c.grab("agent01", live), patter::DeskStatus::ok);
  EXPECT_EQ(c.say("agent01", live, "hello", 100000), patter::DeskStatus::unknown_node);
  EXPECT_EQ(c.counters().errors, 0u);
}

TEST(Campaign, TraineesDialOnlyTheCallsTheyAreGiven) {
  patter::CampaignOptions o = options(0);
  o.agents = 0;
  o.trainees = 1;
  o.desk_assigns = false;
  patter::Campaign c(screening(), personas(), o);
  EXPECT_EQ(c.people().at(0).name, "trainee01");
  c.step_until(600000);
  EXPECT_EQ(c.counters().dialed, 0u);
  ASSERT_EQ(c.allow_calls("trainee01", 4), patter::DeskStatus::ok);
  c.step_until(c.now() + 4 * 3'600'000);
  EXPECT_EQ(c.counters().dialed, 4u);
  EXPECT_EQ(c.report().calls, 0u);  // training calls stay out of the funnel
}

TEST(Campaign, BadOptionsGiveACampaignWithNothingToDo) {
  patter::PersonaSet none;
  patter::Campaign no_personas(screening(), none, options(10));
  EXPECT_FALSE(no_personas.next_event_time());
  patter::CampaignOptions o = options(10);
  o.robots_per_agent = 0;
  patter::Campaign no_robots(screening(), personas(), o);
  EXPECT_FALSE(no_robots.next_event_time());
  EXPECT_TRUE(no_robots.people().empty());
}

TEST(CustomerModel, SpeakingTimeCountsWideAndNarrowCharacters) {
  EXPECT_EQ(patter::CustomerModel::speaking_ms("ok你好"), 2u * 65 + 2u * 220);
  EXPECT_EQ(patter::CustomerModel::speaking_ms("ok你", 100, 10), 2u * 10 + 100);
  EXPECT_EQ(patter::CustomerModel::speaking_ms(""), 0u);
}

TEST(CustomerModel, RepliesDrawChoiceThenThinkingThenWords) {
  const patter::CustomerModel model(*screening(), personas());
  const patter::Persona& p = model.persona(0.0);
  EXPECT_EQ(&p, &personas().personas.front());
  EXPECT_EQ(&model.persona(0.999999), &personas().personas.back());
  const patter::NodeId start = screening()->start();
  Fixed first{0.0};  // the first choice at the start node
  const patter::CustomerReply r = model.reply(first, p, start, 6000);
  EXPECT_EQ(first.uniform_calls, 1u);
  const patter::PersonaChoice& want = model.choices(p, start).front();
  EXPECT_EQ(r.choice.kind, want.kind);
  if (r.choice.kind == patter::PersonaChoice::Kind::silence) {
    EXPECT_EQ(r.after_ms, 6000u);
  } else if (!r.words.empty()) {
    EXPECT_EQ(r.after_ms, p.think_ms.min + patter::CustomerModel::speaking_ms(r.words));
  }
}

TEST(CustomerModel, AnIntentWithNoWordsMumblesAndNoMumblingIsSilence) {
  patter::PersonaSet set;
  set.personas.push_back({});
  set.personas[0].fallback = {{patter::PersonaChoice::Kind::intent, 0, 0, 1}};
  set.utterances.resize(screening()->intents().size());  // nothing to say for any intent
  set.unclear = {"嗯嗯"};
  const patter::CustomerModel mumbles(*screening(), set);
  Fixed f;
  patter::CustomerReply r = mumbles.reply(f, set.personas[0], screening()->start(), 5000);
  EXPECT_EQ(r.choice.kind, patter::PersonaChoice::Kind::unclear);
  EXPECT_EQ(r.words, "嗯嗯");
  set.unclear.clear();
  const patter::CustomerModel silent(*screening(), set);
  r = silent.reply(f, set.personas[0], screening()->start(), 5000);
  EXPECT_EQ(r.choice.kind, patter::PersonaChoice::Kind::silence);
  EXPECT_EQ(r.after_ms, 5000u);
}

}  // namespace
