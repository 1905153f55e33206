#include <gtest/gtest.h>
#include <patter/patter.hpp>

#include <initializer_list>
#include <map>
#include <set>

namespace {

// A script with a few names for expressions to refer to.
std::string script_with_guard(const std::string& guard) {
  return R"(patter: 1
id: expr
locale: en-US
variables:
  city: Paris
  budget: {type: number, default: 100}
  vip: {type: bool, default: "false"}
intents:
  yes: [yes]
  no: [no]
start: a
nodes:
  a:
    say: "Hi"
    routes:
      - intent: yes
        when: ")" +
         guard + R"("
        to: b
      - {intent: no, to: b}
  b:
    say: "Bye"
    hangup: completed
)";
}

struct Env : patter::ExprEnv {
  std::map<patter::Counter, double> counters;
  std::vector<std::string> vars{"Paris", "100", "false"};
  std::set<std::string> tags;
  std::map<std::uint32_t, std::uint32_t> node_visits, intents_heard;
  std::string outcome = "completed";

  patter::Value counter(patter::Counter c) const override {
    if (c == patter::Counter::outcome) return patter::Value::of(std::string_view(outcome));
    if (c == patter::Counter::reason) return patter::Value::of(std::string_view(""));
    auto it = counters.find(c);
    return patter::Value::of(it == counters.end() ? 0.0 : it->second);
  }
  patter::Value variable(std::uint32_t i) const override {
    if (i == 1) return patter::Value::of(std::stod(vars[1]));
    if (i == 2) return patter::Value::of(vars[2] == "true");
    return patter::Value::of(std::string_view(vars[i]));
  }
  bool tagged(std::string_view t) const override { return tags.count(std::string(t)) > 0; }
  std::uint32_t visits(std::uint32_t n) const override {
    auto it = node_visits.find(n);
    return it == node_visits.end() ? 0 : it->second;
  }
  std::uint32_t heard(std::uint32_t i) const override {
    auto it = intents_heard.find(i);
    return it == intents_heard.end() ? 0 : it->second;
  }
};

const patter::Expr& guard_of(const patter::LoadResult& r) {
  return r.script->node(r.script->start()).routes[0].guard;
}

/// A guard and what it gives in an Env.
struct GuardCase {
  const char* src;
  bool want;
};

/// Each guard loads in a script and gives what it should in `env`.
void expect_guards(const Env& env, std::initializer_list<GuardCase> cases) {
  for (const GuardCase& c : cases) {
    auto r = patter::load_string(script_with_guard(c.src), "expr.yaml");
    ASSERT_TRUE(r.ok()) << c.src << ": "
                        << (r.diagnostics.empty() ? "" : patter::format(r.diagnostics[0]));
    EXPECT_EQ(guard_of(r).test(env), c.want) << c.src;
  }
}

patter::Diagnostic only_error(const std::string& guard) {
  auto r = patter::load_string(script_with_guard(guard), "expr.yaml");
  EXPECT_FALSE(r.ok()) << guard;
  for (const auto& d : r.diagnostics)
    if (d.severity == patter::Severity::error) return d;
  return {};
}

}  // namespace

TEST(Expr, EvaluatesCountersVariablesAndFunctions) {
  auto r = patter::load_string(
      script_with_guard("score >= 30 && visits('a') < 2 and city == 'Paris' or tagged('vip')"),
      "expr.yaml");
  ASSERT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : patter::format(r.diagnostics[0]));
  const patter::Expr& g = guard_of(r);
  Env env;
  env.counters[patter::Counter::score] = 10;
  EXPECT_FALSE(g.test(env));
  env.counters[patter::Counter::score] = 30;
  EXPECT_TRUE(g.test(env));
  env.node_visits[0] = 2;
  EXPECT_FALSE(g.test(env));
  env.tags.insert("vip");
  EXPECT_TRUE(g.test(env));
}

TEST(Expr, PrecedenceAndArithmetic) {
  Env env;
  env.counters[patter::Counter::turns] = 4;
  expect_guards(env, {{"1 + 2 == 3", true},
                      {"turns - 1 > 2", true},
                      {"-turns < 0", true},
                      {"not turns > 3", false},
                      {"!(turns > 3) || true", true},
                      {"false and turns > 0 or true", true},
                      {"false and (turns > 0 or true)", false},
                      {"budget >= 100 && !vip", true},
                      {"outcome != 'completed'", false},
                      {"heard('yes') == 0", true},
                      {"visited('b')", false}});
}

TEST(Expr, AndOrGiveBooleans) {
  auto r = patter::load_string(script_with_guard("(turns > 1 and turns < 9) == true"), "expr.yaml");
  ASSERT_TRUE(r.ok());
  Env env;
  env.counters[patter::Counter::turns] = 5;
  EXPECT_TRUE(guard_of(r).test(env));
}

TEST(Expr, EmptyGuardIsAlwaysTrue) {
  patter::Expr e;
  Env env;
  EXPECT_TRUE(e.empty());
  EXPECT_TRUE(e.test(env));
}

TEST(Expr, SyntaxErrorsPointIntoTheExpression) {
  // The guard text starts at column 16 of its line, after `        when: "`.
  auto d = only_error("score >= ");
  EXPECT_EQ(d.code, patter::Code::bad_expression);
  EXPECT_EQ(d.where.line, 17u);
  EXPECT_EQ(d.where.column, 16u + 9u);
  EXPECT_EQ(only_error("score = 3").code, patter::Code::bad_expression);
  EXPECT_NE(only_error("score = 3").hint.find("=="), std::string::npos);
  EXPECT_EQ(only_error("score > 3 &").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("(score > 3").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("score > 3 3").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("city == 'Paris").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("score # 2").code, patter::Code::bad_expression);
}

TEST(Expr, TypeAndNameErrors) {
  auto d = only_error("scroe > 3");
  EXPECT_EQ(d.code, patter::Code::expression_type);
  EXPECT_NE(d.hint.find("score"), std::string::npos);
  EXPECT_EQ(only_error("city > 3").code, patter::Code::expression_type);
  EXPECT_EQ(only_error("city < 'Rome'").code, patter::Code::expression_type);
  EXPECT_EQ(only_error("score + city > 1").code, patter::Code::expression_type);
  EXPECT_EQ(only_error("-city").code, patter::Code::expression_type);
  EXPECT_EQ(only_error("tagd('x')").code, patter::Code::expression_type);
  EXPECT_EQ(only_error("tagged(vip)").code, patter::Code::expression_type);
  auto n = only_error("visits('c') > 0");
  EXPECT_EQ(n.code, patter::Code::unknown_node);
  EXPECT_EQ(n.where.column, 16u + 8u);  // at the c inside the quotes
  EXPECT_EQ(only_error("heard('maybe') > 0").code, patter::Code::unknown_intent);
}

TEST(Expr, LongAndDeepExpressionsAreRejectedNotCrashed) {
  std::string deep(40, '(');
  deep += "1";
  deep += std::string(40, ')');
  deep += " == 1";
  // Parenthesised values do not grow the stack; nested operators do.
  EXPECT_TRUE(patter::load_string(script_with_guard(deep), "expr.yaml").ok());
  std::string chain = "turns";
  for (int i = 0; i < 300; ++i) chain += " + 1";
  chain += " > 0";
  EXPECT_EQ(only_error(chain).code, patter::Code::bad_expression);
  std::string nested;
  for (int i = 0; i < 40; ++i) nested += "1 + (";
  nested += "1";
  nested += std::string(40, ')');
  nested += " > 0";
  EXPECT_EQ(only_error(nested).code, patter::Code::bad_expression);
  EXPECT_EQ(only_error(std::string(3000, 'a')).code, patter::Code::bad_expression);
}

// lower() and upper() compare text without regard to ASCII case, and copy nothing.
TEST(Expr, LowerAndUpperCompareWithoutCase) {
  expect_guards(Env{}, {
                           {"lower(city) == 'paris'", true},
                           {"city == 'paris'", false},  // without lower() case counts
                           {"upper(city) == 'PARIS'", true},
                           {"lower(city) == lower('PARIS')", true},
                           {"lower(city) == upper('paris')", false},
                           {"lower(city) != 'paris'", false},
                           {"lower('Ünïcode') == 'Ünïcode'", true},  // only ASCII letters change
                           {"lower(outcome) == 'completed'", true},
                       });
}

TEST(Expr, LowerNeedsText) {
  const patter::Diagnostic d = only_error("lower(budget) == 'x'");
  EXPECT_EQ(d.code, patter::Code::expression_type);
  EXPECT_NE(d.message.find("`lower` needs text"), std::string::npos) << d.message;
  EXPECT_EQ(only_error("lower(city == 'x'").code,
            patter::Code::expression_type);  // a boolean inside
  EXPECT_EQ(only_error("lower(city").code, patter::Code::bad_expression);
  EXPECT_NE(only_error("lowr(city) == 'x'").hint.find("lower"), std::string::npos);
}

// `in` and `not in` look for a value in a list, as `==` compares.
TEST(Expr, InAndNotInLookForAValueInAList) {
  expect_guards(Env{},
                {
                    {"city in ['Rome', 'Paris']", true},
                    {"city in ['Rome', 'paris']", false},  // case counts, as with ==
                    {"lower(city) in ['rome', 'paris']", true},
                    {"upper(city) in ['PARIS']", true},
                    {"city not in ['Rome', 'Paris']", false},
                    {"lower(city) not in ['rome', 'berlin',]", true},  // a last comma is fine
                    {"budget in [50, 100]", true},
                    {"budget in [-100, 100.0]", true},
                    {"budget - 150 in [-50]", true},
                    {"budget not in [1, 2, 3]", true},
                    {"not city in ['Paris'] or budget in [100]", true},
                    {"city in ['Paris'] and budget not in [100]", false},
                    {"outcome in ['completed', 'hangup']", true},
                });
}

TEST(Expr, ListMistakesSayWhereAndWhatToDo) {
  // The guard text starts at column 16.
  auto mixed = only_error("city in ['Rome', 3]");
  EXPECT_EQ(mixed.code, patter::Code::expression_type);
  EXPECT_EQ(mixed.where.column, 16u + 17u);  // at the 3
  EXPECT_NE(mixed.message.find("mixes text and numbers"), std::string::npos) << mixed.message;
  EXPECT_NE(mixed.hint.find("one kind"), std::string::npos);

  auto empty = only_error("city not in []");
  EXPECT_EQ(empty.code, patter::Code::expression_type);
  EXPECT_EQ(empty.where.column, 16u + 12u);  // at the [
  EXPECT_NE(empty.message.find("always true"), std::string::npos) << empty.message;

  auto quoted = only_error("budget in ['50', '100']");
  EXPECT_EQ(quoted.code, patter::Code::expression_type);
  EXPECT_EQ(quoted.where.column, 16u);
  EXPECT_NE(quoted.message.find("a number in a list of text"), std::string::npos);
  EXPECT_NE(quoted.hint.find("[50, 100]"), std::string::npos) << quoted.hint;
  EXPECT_NE(only_error("budget in ['x']").hint.find("type: number"), std::string::npos);
  EXPECT_NE(only_error("city in [1, 2]").hint.find("in quotes"), std::string::npos);
  EXPECT_EQ(only_error("vip in [1]").code, patter::Code::expression_type);

  auto caps = only_error("lower(city) in ['rome', 'Paris']");
  EXPECT_EQ(caps.code, patter::Code::expression_type);
  EXPECT_EQ(caps.where.column, 16u + 24u);  // at 'Paris'
  EXPECT_NE(caps.hint.find("'paris'"), std::string::npos) << caps.hint;
  EXPECT_NE(only_error("upper(city) in ['paris']").hint.find("'PARIS'"), std::string::npos);

  EXPECT_EQ(only_error("city in 'Paris'").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("city in ('Paris')").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("city in ['Paris'").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("city in ['Paris' 'Rome']").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("city in ['Paris',,]").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("budget in [-'1']").code, patter::Code::bad_expression);
  auto name = only_error("city in [home_city]");
  EXPECT_EQ(name.code, patter::Code::bad_expression);
  EXPECT_NE(name.hint.find("=="), std::string::npos);
  EXPECT_EQ(only_error("city in").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("city not").code, patter::Code::bad_expression);
  // `in` after a complete comparison is not a membership test.
  EXPECT_EQ(only_error("city == 'Paris' in ['x']").code, patter::Code::bad_expression);
}

TEST(Expr, LongListsCountTowardsTheLimit) {
  std::string list = "budget in [";
  for (int i = 0; i < 300; ++i) list += std::to_string(i) + ", ";
  list += "1]";
  EXPECT_EQ(only_error(list).code, patter::Code::bad_expression);
}

// whole(n) tells a whole number from a fraction ("2.5 people").
TEST(Expr, WholeTellsWholeNumbers) {
  expect_guards(Env{}, {
                           {"whole(budget)", true},
                           {"whole(budget + 0.5)", false},
                           {"whole(-3)", true},
                           {"whole(0)", true},
                           {"not whole(2.5)", true},
                           {"whole(turns) and budget > 0", true},
                           {"whole(budget) == true", true},
                       });
}

TEST(Expr, WholeNeedsANumber) {
  auto d = only_error("whole(city)");
  EXPECT_EQ(d.code, patter::Code::expression_type);
  EXPECT_EQ(d.where.column, 16u + 6u);
  EXPECT_NE(d.message.find("`whole` needs a number"), std::string::npos) << d.message;
  EXPECT_EQ(only_error("whole()").code, patter::Code::expression_type);
  EXPECT_EQ(only_error("whole(budget").code, patter::Code::bad_expression);
  EXPECT_EQ(only_error("whole(budget) + 1 > 0").code, patter::Code::expression_type);
  EXPECT_NE(only_error("hole(budget)").hint.find("whole"), std::string::npos);
}
