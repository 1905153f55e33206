// A/B tests (`variants:`): the variant a call gets at a node, from the
// host's key, and what the call then says and where it goes.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <map>
#include <string>

#include "runtime/session_state.hpp"
#include "session_support.hpp"

namespace {

using namespace patter;
using session_testing::Call;
using session_testing::load;

const char* kAb = R"yaml(patter: 1
id: ab
locale: en-US
intents:
  affirm: [yes, sure]
  negate: [no, nope]
start: offer
nodes:
  offer:
    say: "Would you like the premium plan?"
    variants:
      - {name: control, weight: 70}
      - name: short
        weight: 30
        say: "Premium plan?"
        routes:
          - {intent: affirm, to: sold, tags: short_yes}
          - {intent: negate, to: retain}
    routes:
      - {intent: affirm, to: sold}
      - {intent: negate, to: bye}
    no_match: {retries: 0, then: bye}
  retain:
    say: "Half price for a year?"
    routes:
      - {intent: affirm, to: sold}
      - {intent: negate, to: bye}
  sold:
    experiment: tone
    variants:
      - {name: formal, say: "Thank you, goodbye."}
      - {name: casual, say: "Great, bye!"}
    hangup: completed
  bye:
    experiment: tone
    variants:
      - {name: formal, say: "Goodbye."}
      - {name: casual, say: "Bye then!"}
    hangup: not_interested
)yaml";

SessionOptions keyed(std::string_view key) {
  SessionOptions o;
  o.variant_key = key;
  return o;
}

// A key that gets `want` at `node` (keys are tried in order: deterministic).
std::string key_for(const Script& s, std::string_view node, std::string_view want) {
  const Node& n = s.node(*s.find_node(node));
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "lead-" + std::to_string(i);
    const std::uint32_t v = n.variant_for(variant_seed(key));
    if (n.variants[v].name == want) return key;
  }
  ADD_FAILURE() << "no key gets " << want;
  return {};
}

TEST(SessionVariants, TheSameKeyGetsTheSameVariantAndTheVariantsLine) {
  auto sc = load(kAb);
  const std::string k = key_for(*sc, "offer", "short");
  Call a(sc, {}, keyed(k));
  a.answer();
  EXPECT_EQ(a.actions(), "say:Premium plan? | listen:6000");
  EXPECT_EQ(a.s.variant(a.id("offer")), "short");
  Call b(sc, {}, keyed(std::string(k)));  // another session, same key: same variant
  b.answer();
  EXPECT_EQ(b.actions(), "say:Premium plan? | listen:6000");
  EXPECT_EQ(a.s.variant_seed(), b.s.variant_seed());
  EXPECT_EQ(a.s.variant_seed(), variant_seed(k));
  // Only a script with A/B tests keeps the seed (one word of its counts).
  const auto plain = load(
      "patter: 1\nid: plain\nlocale: en-US\nstart: bye\n"
      "nodes:\n  bye: {say: Bye., hangup: completed}\n");
  Call p(plain, {}, keyed(k));
  EXPECT_EQ(p.s.variant_seed(), 0u);
  EXPECT_EQ(SessionLayout(*plain).seed_words, 0u);
  EXPECT_EQ(SessionLayout(*sc).seed_words, 1u);
  const std::string c = key_for(*sc, "offer", "control");
  Call d(sc, {}, keyed(c));
  d.answer();
  EXPECT_EQ(d.actions(), "say:Would you like the premium plan? | listen:6000");
}

TEST(SessionVariants, WithoutAKeyEveryCallGetsTheFirstVariant) {
  auto sc = load(kAb);
  Call a(sc);
  a.answer();
  EXPECT_EQ(a.s.variant_seed(), 0u);
  EXPECT_EQ(a.s.variant(a.id("offer")), "control");
  EXPECT_EQ(a.s.variant(a.id("bye")), "formal");
  EXPECT_EQ(a.s.variant(a.id("retain")), "");  // no variants there
  EXPECT_EQ(a.actions(), "say:Would you like the premium plan? | listen:6000");
}

TEST(SessionVariants, AVariantsRoutesReplaceTheNodes) {
  auto sc = load(kAb);
  Call control(sc, {}, keyed(key_for(*sc, "offer", "control")));
  control.answer();
  control.say("no");
  EXPECT_EQ(control.path(), "bye");
  EXPECT_EQ(control.t.variant(), 0u);  // the control, on the node's own routes
  Call shorter(sc, {}, keyed(key_for(*sc, "offer", "short")));
  shorter.answer();
  shorter.say("no");
  EXPECT_EQ(shorter.path(), "retain");
  EXPECT_EQ(shorter.t.decision(), Decision::route);
  EXPECT_EQ(shorter.t.index(), 1u);
  EXPECT_EQ(shorter.t.variant(), 1u);
  EXPECT_NE(shorter.t.explain(*sc).find("route 2 of `offer` variant `short`"), std::string::npos)
      << shorter.t.explain(*sc);
  Call yes(sc, {}, keyed(key_for(*sc, "offer", "short")));
  yes.answer();
  yes.say("sure");
  EXPECT_TRUE(yes.s.tagged("short_yes"));  // the variant route's tags
}

TEST(SessionVariants, NodesOfOneExperimentChooseAlike) {
  auto sc = load(kAb);
  for (int i = 0; i < 50; ++i) {
    Call c(sc, {}, keyed("k" + std::to_string(i)));
    EXPECT_EQ(c.s.variant(c.id("sold")), c.s.variant(c.id("bye")));
  }
}

TEST(SessionVariants, TheResultListsEachExperimentEnteredOnce) {
  auto sc = load(kAb);
  const std::string k = key_for(*sc, "offer", "short");
  Call c(sc, {}, keyed(k));
  c.answer();
  c.say("no");
  c.say("no");  // retain -> bye
  ASSERT_TRUE(c.s.ended());
  const CallResult r = c.s.result();
  ASSERT_EQ(r.variants.size(), 2u);
  EXPECT_EQ(r.variants[0].experiment, "offer");
  EXPECT_EQ(r.variants[0].variant, "short");
  EXPECT_EQ(r.variants[1].experiment, "tone");
  EXPECT_EQ(r.variants[1].variant, c.s.variant(c.id("bye")));
  const std::string json = r.to_json(*sc);
  EXPECT_NE(
      json.find("\"variants\":{\"offer\":\"short\",\"tone\":\"" + r.variants[1].variant + "\"}"),
      std::string::npos)
      << json;
  // A call that never reached a node with variants took part in nothing.
  Call never(sc, {}, keyed(k));
  EXPECT_TRUE(never.s.result().variants.empty());
  EXPECT_EQ(never.s.result().to_json(*sc).find("variants"), std::string::npos);
}

TEST(SessionVariants, TheSplitFollowsTheWeights) {
  auto sc = load(kAb);
  const Node& offer = sc->node(*sc->find_node("offer"));
  std::map<std::string, int> seen;
  const int calls = 20000;
  for (int i = 0; i < calls; ++i)
    ++seen[offer.variants[offer.variant_for(variant_seed("lead-" + std::to_string(i)))].name];
  // 70/30 of 20,000: a standard deviation is 65 calls; allow 4.
  EXPECT_NEAR(seen["control"], 14000, 260);
  EXPECT_NEAR(seen["short"], 6000, 260);
}

TEST(SessionVariants, AVariantWithWeightZeroIsNeverChosen) {
  auto sc = load(R"yaml(patter: 1
id: off
locale: en-US
start: a
nodes:
  a:
    variants:
      - {name: paused, weight: 0, say: "Old line."}
      - {name: live, weight: 5, say: "New line."}
    hangup: completed
)yaml");
  const Node& a = sc->node(0);
  for (int i = 0; i < 500; ++i)
    EXPECT_EQ(a.variants[a.variant_for(variant_seed("x" + std::to_string(i)))].name, "live");
  EXPECT_EQ(a.variants[a.variant_for(0)].name, "live");  // no key: the first switched on
}

TEST(SessionVariants, APassThroughVariantGoesItsOwnWay) {
  auto sc = load(R"yaml(patter: 1
id: pass
locale: en-US
start: bridge
nodes:
  bridge:
    variants:
      - {name: A, say: "One moment.", next: end_a}
      - {name: B, say: "Right.", next: end_b}
  end_a: {say: "A.", hangup: completed}
  end_b: {say: "B.", hangup: completed}
)yaml");
  ASSERT_TRUE(sc);
  EXPECT_EQ(sc->node(0).kind, NodeKind::pass);
  Call a(sc, {}, keyed(key_for(*sc, "bridge", "A")));
  a.answer();
  EXPECT_EQ(a.path(), "bridge,end_a");
  Call b(sc, {}, keyed(key_for(*sc, "bridge", "B")));
  b.answer();
  EXPECT_EQ(b.path(), "bridge,end_b");
  EXPECT_EQ(b.actions(), "say:Right. | say:B. | hangup:completed | end");
}

TEST(SessionVariants, TheSeedSurvivesASnapshot) {
  auto sc = load(kAb);
  Call c(sc, {}, keyed(key_for(*sc, "offer", "short")));
  c.answer();
  auto back = Session::restore(sc, c.s.snapshot());
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(back->variant_seed(), c.s.variant_seed());
  Turn t;
  back->step(Event::utterance("no", c.now + 1000), t);
  EXPECT_EQ(session_testing::path_names(*sc, t.path()), "retain");
}

TEST(SessionVariants, ASayOnAfterAFalseInterruptionIsTheVariantsLine) {
  auto sc = load(kAb);
  Call c(sc, {}, keyed(key_for(*sc, "offer", "short")));
  c.answer();
  c.send(Event::utterance("uh-huh", c.now + 500).during(1200).paused());  // a backchannel
  EXPECT_EQ(c.actions(), "resume_line:1200:Premium plan?") << c.t.explain(*sc);
}

TEST(SessionVariants, SeedsAreStableNumbers) {
  // FNV-1a of "lead-42" folded to 32 bits: the same in every process.
  EXPECT_EQ(variant_seed(""), 0u);
  EXPECT_EQ(variant_seed("lead-42"), variant_seed(std::string("lead-") + "42"));
  EXPECT_NE(variant_seed("lead-42"), variant_seed("lead-43"));
  EXPECT_NE(variant_seed("lead-42"), 0u);
}

}  // namespace
