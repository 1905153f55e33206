// patter/result.hpp: the one shape of runtime answers, and the codes it carries.
#include "patter/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patter/desk.hpp"
#include "patter/loader.hpp"
#include "patter/session.hpp"
#include "patter/tooling/stats.hpp"

namespace {

using patter::BadResultAccess;
using patter::Failure;
using patter::Result;
using patter::StartError;
using patter::StatsError;

TEST(Result, OkHoldsTheValue) {
  Result<int, StartError> r = 42;
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.code(), StartError::ok);
  EXPECT_EQ(r.message(), "");
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  *r = 7;
  EXPECT_EQ(std::as_const(r).value(), 7);
  EXPECT_EQ(*std::as_const(r), 7);

  Result<std::string, StartError> s = std::string("abc");
  EXPECT_EQ(s->size(), 3u);
  EXPECT_EQ(std::as_const(s)->size(), 3u);
  EXPECT_EQ(std::move(s).value(), "abc");
}

TEST(Result, MovesOutAMoveOnlyValue) {
  Result<std::unique_ptr<int>, StartError> r = std::make_unique<int>(5);
  std::unique_ptr<int> p = *std::move(r);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, 5);
  Result<std::unique_ptr<int>, StartError> q = std::make_unique<int>(6);
  std::unique_ptr<int> v = std::move(q).value();
  EXPECT_EQ(*v, 6);
}

TEST(Result, FailureCarriesCodeAndMessage) {
  Result<int, StartError> r = Failure{StartError::missing_variable, "variable `name` is required"};
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.code(), StartError::missing_variable);
  EXPECT_EQ(r.message(), "variable `name` is required");
}

TEST(Result, FailureWithoutMessageDescribesItsCode) {
  Result<int, StartError> r = Failure{StartError::no_script};
  EXPECT_EQ(r.message(), patter::describe(StartError::no_script));
  Result<void, StatsError> v = Failure{StatsError::not_json};
  EXPECT_EQ(v.message(), patter::describe(StatsError::not_json));
}

TEST(Result, ValueOnAnErrorThrows) {
  Result<int, StartError> r = Failure{StartError::bad_value, "`x` is not a number"};
  try {
    (void)r.value();
    FAIL() << "value() on an error returned";
  } catch (const BadResultAccess& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("bad_value"), std::string::npos) << what;
    EXPECT_NE(what.find("`x` is not a number"), std::string::npos) << what;
  }
  EXPECT_THROW((void)std::as_const(r).value(), BadResultAccess);
  EXPECT_THROW((void)std::move(r).value(), BadResultAccess);
  EXPECT_THROW((void)std::as_const(r).value(), std::logic_error);  // a bug, not bad input
}

TEST(Result, VoidIsOkOrAnError) {
  Result<void, StatsError> ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(ok.code(), StatsError::ok);
  EXPECT_EQ(ok.message(), "");
  EXPECT_NO_THROW(ok.value());

  Result<void, StatsError> bad = Failure{StatsError::not_a_result, "no \"outcome\""};
  EXPECT_FALSE(bad);
  EXPECT_EQ(bad.code(), StatsError::not_a_result);
  EXPECT_EQ(bad.message(), "no \"outcome\"");
  EXPECT_THROW(bad.value(), BadResultAccess);
}

// ---- every code has a name and a sentence ----------------------------------

// The enumerator's name as the compiler spells `V`, or empty when `V` is a
// value of the enum's type that no enumerator has: "(patter::Status)13".
template <auto V>
constexpr std::string_view enumerator_name() {
  const std::string_view f = __PRETTY_FUNCTION__;
  const std::size_t at = f.find("V = ");
  if (at == std::string_view::npos) return {};
  const std::size_t begin = at + 4;
  const std::string_view full = f.substr(begin, f.find_first_of(";]", begin) - begin);
  if (full.empty() || full.front() == '(') return {};
  return full.substr(full.rfind("::") + 2);
}

template <class E, std::size_t... I>
std::vector<std::pair<E, std::string_view>> enumerators(std::index_sequence<I...>) {
  std::vector<std::pair<E, std::string_view>> out;
  auto add = [&](E e, std::string_view name) {
    if (!name.empty()) out.emplace_back(e, name);
  };
  (add(static_cast<E>(I), enumerator_name<static_cast<E>(I)>()), ...);
  return out;
}

/// Every enumerator of E (an 8-bit enum), found by the compiler, not listed
/// by hand: a value added later is checked too.
template <class E>
std::vector<std::pair<E, std::string_view>> enumerators() {
  static_assert(sizeof(E) == 1);
  return enumerators<E>(std::make_index_sequence<256>());
}

template <class E>
void expect_named_and_described(std::string_view enum_name) {
  const auto all = enumerators<E>();
  ASSERT_GE(all.size(), 2u) << enum_name;
  EXPECT_EQ(all.front().first, E::ok) << enum_name << ": `ok` comes first";
  const std::string_view unknown = patter::describe(static_cast<E>(255));
  std::vector<std::string_view> sentences;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& [e, name] = all[i];
    EXPECT_EQ(static_cast<std::size_t>(e), i) << enum_name << "::" << name << " leaves a gap";
    EXPECT_EQ(patter::to_string(e), name) << enum_name << "::" << name << " has no to_string";
    const std::string_view text = patter::describe(e);
    EXPECT_FALSE(text.empty()) << enum_name << "::" << name;
    EXPECT_NE(text, unknown) << enum_name << "::" << name << " has no describe";
    for (std::string_view s : sentences)
      EXPECT_NE(s, text) << enum_name << "::" << name << " says what another value says";
    sentences.push_back(text);
  }
}

TEST(ResultCodes, EveryValueHasANameAndASentence) {
  expect_named_and_described<patter::Status>("Status");
  expect_named_and_described<patter::DeskStatus>("DeskStatus");
  expect_named_and_described<patter::StartError>("StartError");
  expect_named_and_described<patter::RestoreError>("RestoreError");
  expect_named_and_described<patter::StatsError>("StatsError");
}

TEST(ResultCodes, TheFinderSeesEveryEnumerator) {
  // The check above is only as good as the finder: it must see each value.
  const auto all = enumerators<patter::StartError>();
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[2].second, "unknown_variable");
  EXPECT_EQ(all[4].second, "bad_value");
}

// ---- the runtime calls answer in this shape ------------------------------

std::shared_ptr<const patter::Script> script() {
  static const auto s = patter::load_string(R"(patter: 1
id: shape
version: "1"
locale: en-US
variables:
  name: {type: string, required: true}
  calls: {type: number, default: 0}
intents:
  yes: [yes, sure]
start: hello
nodes:
  hello:
    say: "Hello {name}"
    routes:
      - {intent: yes, to: bye}
    no_match: {retries: 1, then: bye}
    no_input: {retries: 1, then: bye}
  bye:
    say: "Bye"
    hangup: completed
)",
                                            "shape.yaml")
                            .script;
  return s;
}

TEST(ResultShape, StartSaysWhichProblem) {
  ASSERT_TRUE(script());
  using patter::Session;
  EXPECT_EQ(Session::start(nullptr).code(), StartError::no_script);
  EXPECT_EQ(Session::start(script(), {{"nmae", "x"}}).code(), StartError::unknown_variable);
  EXPECT_EQ(Session::start(script()).code(), StartError::missing_variable);
  EXPECT_EQ(Session::start(script(), {{"name", "x"}, {"calls", "many"}}).code(),
            StartError::bad_value);
  patter::Started ok = Session::start(script(), {{"name", "Ann"}});
  ASSERT_TRUE(ok) << ok.message();
  EXPECT_EQ(ok->variable("name"), "Ann");
}

TEST(ResultShape, RestoreSaysWhichProblem) {
  ASSERT_TRUE(script());
  patter::Started started = patter::Session::start(script(), {{"name", "Ann"}});
  ASSERT_TRUE(started);
  const std::string bytes = started->snapshot();
  patter::Restored none = patter::Session::restore(nullptr, bytes);
  EXPECT_EQ(none.code(), patter::RestoreError::no_script);
  EXPECT_NE(none.message().find("no script"), std::string::npos) << none.message();
  EXPECT_EQ(patter::Session::restore(script(), "nope").code(),
            patter::RestoreError::not_a_snapshot);
  patter::Restored back = patter::Session::restore(script(), bytes);
  ASSERT_TRUE(back) << back.message();
  EXPECT_EQ(back->snapshot(), bytes);
}

TEST(ResultShape, OpenCallKeepsTheStartMessage) {
  ASSERT_TRUE(script());
  patter::Desk desk;
  ASSERT_EQ(desk.add_agent("li"), patter::DeskStatus::ok);
  patter::Desk::Opened bad = desk.open_call(script(), {{"nmae", "x"}});
  EXPECT_EQ(bad.code(), patter::DeskStatus::bad_script);
  EXPECT_NE(bad.message().find("`nmae`"), std::string::npos) << bad.message();
  patter::Desk::Opened unknown = desk.open_call(script(), {{"name", "x"}}, "wang");
  EXPECT_EQ(unknown.code(), patter::DeskStatus::unknown_agent);
  EXPECT_EQ(unknown.message(), patter::describe(patter::DeskStatus::unknown_agent));
  patter::Desk::Opened ok = desk.open_call(script(), {{"name", "x"}});
  ASSERT_TRUE(ok) << ok.message();
  EXPECT_EQ(ok->agent, "li");
  EXPECT_NE(ok->id, 0u);
}

}  // namespace
