// Loading `variants:`: every misuse is a diagnostic at the author's words.
#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <string>

namespace {

using namespace patter;

// A listening node `offer` with the given variants (indented as a list).
std::string with(std::string_view variants, std::string_view node_extra = "") {
  return std::string(R"yaml(patter: 1
id: v
locale: en-US
intents:
  affirm: [yes, sure]
start: offer
nodes:
  offer:
    say: "Premium plan?"
    routes:
      - {intent: affirm, to: bye}
    no_match: {retries: 0, then: bye}
    no_input: {retries: 0, then: bye}
)yaml") + std::string(node_extra) +
         "    variants:\n" + std::string(variants) + R"yaml(  bye:
    say: "Goodbye."
    hangup: completed
  other:
    say: "Another."
    next: bye
)yaml";
}

const Diagnostic* find(const LoadResult& r, Code c) {
  for (const Diagnostic& d : r.diagnostics)
    if (d.code == c) return &d;
  return nullptr;
}

std::string all(const LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += format(d) + "\n";
  return out;
}

TEST(VariantsLoad, TwoVariantsLoadWithTheirWeights) {
  const LoadResult r = load_string(with("      - {name: A, weight: 30}\n"
                                        "      - {name: B, weight: 70, say: \"Premium?\"}\n"),
                                   "v.yaml");
  ASSERT_TRUE(r.ok()) << all(r);
  const Node& offer = r.script->node(*r.script->find_node("offer"));
  ASSERT_EQ(offer.variants.size(), 2u);
  EXPECT_EQ(offer.experiment, "offer");  // by default the node's name
  EXPECT_EQ(offer.variant_total, 100u);
  EXPECT_EQ(offer.variants[1].weight, 70u);
  EXPECT_EQ(offer.variants[1].lines.at(0).source, "Premium?");
  EXPECT_TRUE(offer.variants[0].lines.empty());
}

TEST(VariantsLoad, AWeightMustBeAWholeNumberFromZero) {
  for (std::string_view w : {"-1", "2.5", "2000000"}) {
    const LoadResult r = load_string(
        with("      - {name: A}\n      - {name: B, weight: " + std::string(w) + "}\n"), "v.yaml");
    const Diagnostic* d = find(r, Code::bad_weight);
    ASSERT_NE(d, nullptr) << w << "\n" << all(r);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(d->where.line, 16u);
    EXPECT_EQ(d->where.column, 27u);
    EXPECT_NE(d->message.find("variant `B` of node `offer`"), std::string::npos) << d->message;
  }
}

TEST(VariantsLoad, AllWeightsZeroIsAnError) {
  const LoadResult r =
      load_string(with("      - {name: A, weight: 0}\n      - {name: B, weight: 0}\n"), "v.yaml");
  const Diagnostic* d = find(r, Code::bad_weight);
  ASSERT_NE(d, nullptr) << all(r);
  EXPECT_NE(d->message.find("every variant of node `offer` has weight 0"), std::string::npos);
  EXPECT_EQ(d->where.line, 15u);
}

TEST(VariantsLoad, NamesAreUniqueAndRequired) {
  LoadResult r = load_string(with("      - {name: A}\n      - {name: A}\n"), "v.yaml");
  const Diagnostic* d = find(r, Code::duplicate_variant);
  ASSERT_NE(d, nullptr) << all(r);
  EXPECT_NE(d->message.find("v.yaml:15:9"), std::string::npos) << d->message;
  r = load_string(with("      - {name: A}\n      - {say: \"Hm?\"}\n"), "v.yaml");
  d = find(r, Code::missing_key);
  ASSERT_NE(d, nullptr) << all(r);
  EXPECT_NE(d->message.find("has no `name`"), std::string::npos);
}

TEST(VariantsLoad, AMisspeltKeyGetsASuggestion) {
  const LoadResult r =
      load_string(with("      - {name: A}\n      - {name: B, wieght: 3}\n"), "v.yaml");
  const Diagnostic* d = find(r, Code::unknown_key);
  ASSERT_NE(d, nullptr) << all(r);
  EXPECT_NE((d->message + d->hint).find("weight"), std::string::npos) << format(*d);
  const LoadResult n =
      load_string(with("      - {name: A}\n      - {name: B}\n", "    experimnt: x\n"), "v.yaml");
  const Diagnostic* e = find(n, Code::unknown_key);
  ASSERT_NE(e, nullptr) << all(n);
  EXPECT_NE((e->message + e->hint).find("experiment"), std::string::npos) << format(*e);
}

TEST(VariantsLoad, RoutesAndNextMustFitTheNode) {
  // `next` on a listening node.
  LoadResult r = load_string(with("      - {name: A}\n      - {name: B, next: bye}\n"), "v.yaml");
  const Diagnostic* d = find(r, Code::variant_kind);
  ASSERT_NE(d, nullptr) << all(r);
  EXPECT_NE(d->message.find("is a listen node"), std::string::npos) << d->message;
  // Both.
  r = load_string(
      with(
          "      - {name: A}\n      - {name: B, next: bye, routes: [{intent: affirm, to: bye}]}\n"),
      "v.yaml");
  ASSERT_NE(find(r, Code::variant_kind), nullptr) << all(r);
  // A pass-through node with no `next` of its own, and a variant without one.
  r = load_string(R"yaml(patter: 1
id: v
locale: en-US
start: a
nodes:
  a:
    variants:
      - {name: A, next: b}
      - {name: B, say: "Hm."}
    next: b
  b: {say: "Bye.", hangup: completed}
)yaml",
                  "v.yaml");
  EXPECT_TRUE(r.ok()) << all(r);  // the node's own `next` serves B
  r = load_string(R"yaml(patter: 1
id: v
locale: en-US
start: a
nodes:
  a:
    say: "Hm."
    variants:
      - {name: A, next: b}
      - {name: B, next: b, say: "Yes."}
      - {name: C, say: "Hm."}
  b: {say: "Bye.", hangup: completed}
)yaml",
                  "v.yaml");
  EXPECT_FALSE(r.ok());  // not every variant goes on: a listening node with no way out
}

TEST(VariantsLoad, AVariantsRoutesAreCheckedLikeTheNodes) {
  LoadResult r = load_string(
      with("      - {name: A}\n      - {name: B, routes: [{intent: afirm, to: byee}]}\n"),
      "v.yaml");
  ASSERT_NE(find(r, Code::unknown_intent), nullptr) << all(r);
  const Diagnostic* d = find(r, Code::unknown_node);
  ASSERT_NE(d, nullptr) << all(r);
  EXPECT_NE(d->hint.find("bye"), std::string::npos);
  r = load_string(with("      - {name: A}\n      - name: B\n        routes:\n"
                       "          - {intent: affirm, to: bye}\n"
                       "          - {intent: affirm, to: other}\n"),
                  "v.yaml");
  d = find(r, Code::shadowed_route);
  ASSERT_NE(d, nullptr) << all(r);
  EXPECT_NE(d->message.find("node `offer` variant `B`"), std::string::npos) << d->message;
}

TEST(VariantsLoad, AVariantRouteMakesItsTargetReachable) {
  const LoadResult r = load_string(
      with("      - {name: A}\n      - {name: B, routes: [{intent: affirm, to: other}]}\n"),
      "v.yaml");
  ASSERT_TRUE(r.ok()) << all(r);
  for (const Diagnostic& d : r.diagnostics) EXPECT_NE(d.code, Code::unreachable_node) << format(d);
}

TEST(VariantsLoad, AnExperimentWithoutVariantsIsWarnedAbout) {
  const LoadResult r = load_string(R"yaml(patter: 1
id: v
locale: en-US
start: a
nodes:
  a: {say: "Bye.", experiment: tone, hangup: completed}
)yaml",
                                   "v.yaml");
  ASSERT_TRUE(r.ok());
  const Diagnostic* d = find(r, Code::single_variant);
  ASSERT_NE(d, nullptr) << all(r);
  EXPECT_EQ(d->severity, Severity::warning);
  EXPECT_EQ(d->where.column, 32u);
}

TEST(VariantsLoad, VariantsChangeTheFingerprint) {
  const LoadResult a =
      load_string(with("      - {name: A}\n      - {name: B, weight: 2}\n"), "v.yaml");
  const LoadResult b =
      load_string(with("      - {name: A}\n      - {name: B, weight: 3}\n"), "v.yaml");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a.script->fingerprint(), b.script->fingerprint());
}

}  // namespace
