// Running conversation test cases against a script: one Session per case,
// every expectation compared, a readable account of the first turn that
// went otherwise.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "patter/tooling/conversation_test.hpp"
#include "text/suggest.hpp"
#include "tooling/coverage_variants.hpp"
#include "tooling/tooling_names.hpp"

namespace patter {
namespace {

std::string_view node_name(const Script& s, NodeId n) {
  return n < s.nodes().size() ? std::string_view(s.nodes()[n].name) : std::string_view("(none)");
}

std::string quoted(std::string_view s) {
  return fmt::format("\"{}\"", s);
}

std::string number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

std::string join_names(const std::vector<TestName>& v, std::string_view sep) {
  std::string out;
  for (const auto& n : v) {
    if (!out.empty()) out += sep;
    out += n.name;
  }
  return out.empty() ? "(nothing)" : out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out.empty() ? "(nothing)" : out;
}

std::string describe_action(const Action& a, const Script& script) {
  switch (a.type) {
    case ActionType::say: return fmt::format("say {}", quoted(a.text));
    case ActionType::listen: return fmt::format("listen {}", a.timeout_ms);
    case ActionType::tag: return fmt::format("tag {}", a.text);
    case ActionType::hangup: return fmt::format("hangup {}", to_string(a.hangup));
    case ActionType::escalate: return fmt::format("escalate {}", to_string(a.escalation));
    case ActionType::stop_line: return "stop_line";
    case ActionType::end: return "end";
    case ActionType::resume_line: return fmt::format("resume_line {}", a.offset_ms);
    case ActionType::understand: return fmt::format("understand {}", quoted(a.text));
    case ActionType::fetch: return fmt::format("fetch {}", a.text);
  }
  (void)script;
  return "?";
}

bool action_matches(const ExpectedAction& e, const Action& a) {
  if (e.type != a.type) return false;
  if (e.detail.empty()) return true;
  switch (a.type) {
    case ActionType::say: return a.text.find(e.detail) != std::string_view::npos;
    case ActionType::listen: return e.detail == std::to_string(a.timeout_ms);
    case ActionType::tag: return a.text == e.detail;
    case ActionType::hangup: return to_string(a.hangup) == e.detail;
    case ActionType::escalate: return to_string(a.escalation) == e.detail;
    case ActionType::fetch: return a.text == e.detail;
    default: return true;
  }
}

std::string describe_input(const TestTurn& t) {
  switch (t.input) {
    case TestInput::text: return fmt::format("customer: {}", t.text);
    case TestInput::intent: return fmt::format("intent: {}", t.text);
    case TestInput::key: return fmt::format("key: {}", t.text);
    case TestInput::back: return fmt::format("back: {}", t.text);
    case TestInput::finish: return t.text.empty() ? "finish" : fmt::format("finish: {}", t.text);
    case TestInput::wait: return fmt::format("wait: {} s", number(t.after_ms / 1000.0));
    case TestInput::data: {
      if (t.text == "failed") return "data: failed";
      std::string out = "data:";
      for (const auto& [name, value] : t.data) out += fmt::format(" {}={}", name, value);
      return out;
    }
    default: return std::string(to_string(t.input));
  }
}

// Compares one set of expectations with a session after a step (turn-level
// fields only when `turn` is given) and collects what differs.
class Checker {
 public:
  Checker(const Script& script, std::size_t index, std::vector<TestFailure>& out)
      : script_(script), index_(index), out_(out) {}

  void fail(std::string what, std::string expected, std::string actual,
            const SourceLocation& where) {
    out_.push_back({index_, std::move(what), std::move(expected), std::move(actual), where});
  }

  void check(const TestExpectations& e, const Session& s, const Turn* turn,
             const SourceLocation& where) {
    if (e.node) {
      const std::string_view actual = node_name(script_, s.node());
      if (actual != e.node->name) fail("node", e.node->name, std::string(actual), e.node->where);
    }
    if (e.path) {
      std::vector<std::string> actual;
      if (turn) {
        for (NodeId n : turn->path()) actual.emplace_back(node_name(script_, n));
      } else {
        for (NodeId n : s.result().path) actual.emplace_back(node_name(script_, n));
      }
      bool same = actual.size() == e.path->size();
      for (std::size_t i = 0; same && i < actual.size(); ++i) same = actual[i] == (*e.path)[i].name;
      if (!same)
        fail("path", join_names(*e.path, " -> "), join(actual, " -> "),
             e.path->empty() ? where : e.path->front().where);
    }
    if (turn) check_turn(e, *turn, where);
    for (const TestName& t : e.tags)
      if (!s.tagged(t.name))
        fail("tags", fmt::format("the call has tag `{}`", t.name), tags_of(s), t.where);
    for (const TestName& t : e.no_tags)
      if (s.tagged(t.name))
        fail("no_tags", fmt::format("the call has no tag `{}`", t.name), tags_of(s), t.where);
    if (e.score && std::fabs(*e.score - s.score()) > 1e-9)
      fail("score", number(*e.score), number(s.score()), where);
    for (const auto& [name, value] : e.variables) {
      const std::string actual = s.variable(name.name).value_or("(no such variable)");
      if (actual != value) fail(fmt::format("variables.{}", name.name), value, actual, name.where);
    }
    if (e.phase && *e.phase != s.phase())
      fail("phase", std::string(to_string(*e.phase)), std::string(to_string(s.phase())), where);
    if (e.ended && *e.ended != s.ended())
      fail("ended", *e.ended ? "true" : "false", s.ended() ? "true" : "false", where);
    if (!turn) check_call(e, s, where);
  }

 private:
  static std::string tags_of(const Session& s) {
    std::string out;
    for (std::string_view t : s.tags()) {
      if (!out.empty()) out += ", ";
      out += t;
    }
    return out.empty() ? "no tags" : "tags: " + out;
  }

  void check_turn(const TestExpectations& e, const Turn& t, const SourceLocation& where) {
    const Status expected_status = e.status.value_or(Status::ok);
    if (e.status ? t.status() != *e.status : is_error(t.status()))
      fail("status", e.status ? std::string(to_string(expected_status)) : "ok or ignored",
           fmt::format("{} ({})", to_string(t.status()), describe(t.status())), where);
    std::vector<std::string> lines;
    for (const Action& a : t.actions())
      if (a.type == ActionType::say) lines.emplace_back(a.text);
    auto said = [&] {
      std::string out;
      for (const auto& l : lines) {
        if (!out.empty()) out += '\n';
        out += quoted(l);
      }
      return out.empty() ? std::string("(the robot said nothing)") : out;
    };
    std::size_t from = 0;
    for (const std::string& want : e.says) {
      std::size_t i = from;
      while (i < lines.size() && lines[i].find(want) == std::string::npos) ++i;
      if (i == lines.size()) {
        fail("says", fmt::format("a line containing {}", quoted(want)), said(), where);
        break;
      }
      from = i;  // the next may be in the same line, or a later one
    }
    if (e.says_exactly && *e.says_exactly != lines) {
      std::string want;
      for (const auto& l : *e.says_exactly) {
        if (!want.empty()) want += '\n';
        want += quoted(l);
      }
      fail("says_exactly", want.empty() ? "(nothing)" : want, said(), where);
    }
    if (!e.heard.empty()) {
      std::vector<std::string> heard;
      for (const IntentMatch& m : t.understanding().intents())
        if (m.intent < script_.intents().size())
          heard.emplace_back(script_.intents()[m.intent].name);
      for (const TestName& h : e.heard)
        if (std::find(heard.begin(), heard.end(), h.name) == heard.end())
          fail("heard", h.name, join(heard, ", "), h.where);
    }
    if (e.decision && *e.decision != t.decision())
      fail("decision", std::string(to_string(*e.decision)), std::string(to_string(t.decision())),
           where);
    if (!e.actions.empty()) {
      std::size_t i = 0;
      for (const Action& a : t.actions())
        if (i < e.actions.size() && action_matches(e.actions[i], a)) ++i;
      if (i < e.actions.size()) {
        std::vector<std::string> want, got;
        for (const auto& x : e.actions)
          want.push_back(x.detail.empty() ? std::string(to_string(x.type))
                                          : fmt::format("{} {}", to_string(x.type), x.detail));
        for (const Action& a : t.actions()) got.push_back(describe_action(a, script_));
        fail("actions", join(want, ", "), join(got, ", "), where);
      }
    }
  }

  void check_call(const TestExpectations& e, const Session& s, const SourceLocation& where) {
    const CallResult r = s.result();
    if (e.outcome && *e.outcome != r.outcome)
      fail("outcome", detail::outcome_names()[static_cast<std::size_t>(*e.outcome)],
           detail::outcome_names()[static_cast<std::size_t>(r.outcome)], where);
    if (e.grade) {
      const std::string g = s.ended() ? r.grade : std::string(s.grade_so_far());
      if (g != *e.grade) fail("grade", *e.grade, g, where);
    }
    if (e.hangup && (!s.ended() || *e.hangup != r.hangup))
      fail("hangup", std::string(to_string(*e.hangup)),
           s.ended() ? std::string(to_string(r.hangup)) : std::string("(the call has not ended)"),
           where);
    if (e.escalation && (!r.escalated || *e.escalation != r.escalation))
      fail("escalation", std::string(to_string(*e.escalation)),
           r.escalated ? std::string(to_string(r.escalation)) : std::string("(no escalation)"),
           where);
    if (e.turns && *e.turns != r.turns)
      fail("turns", std::to_string(*e.turns), std::to_string(r.turns), where);
  }

  const Script& script_;
  std::size_t index_;
  std::vector<TestFailure>& out_;
};

// A decision node's branch, from the node entered after it (the first
// branch to that node: two branches to one node count as one).
void count_branches(const Turn& t, const Script& script, Coverage& c) {
  const auto path = t.path();
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i] >= script.nodes().size() || path[i] >= c.routes.size()) continue;
    const Node& node = script.node(path[i]);
    for (std::size_t b = 0; b < node.branches.size(); ++b) {
      if (node.branches[b].target != path[i + 1]) continue;
      const std::size_t at = node.routes.size() + b;
      if (at < c.routes[path[i]].size()) ++c.routes[path[i]][at];
      break;
    }
  }
}

// The variant of each node with `variants` the turn entered.
void count_variants(const Turn& t, const Session& s, Coverage& c) {
  for (NodeId n : t.path()) {
    if (n >= c.variants.size() || c.variants[n].empty()) continue;
    const std::uint32_t v = s.script().node(n).variant_for(s.variant_seed());
    if (v < c.variants[n].size()) ++c.variants[n][v];
  }
}

// A fetch node's answer: the `on` entry taken, or its timeout or failure
// (Coverage counts them after the node's routes, which a fetch node has none of).
void count_fetch(const Turn& t, const Script& script, std::vector<std::uint32_t>& ways) {
  const Node& node = script.node(t.from());
  if (node.fetch >= script.fetches().size()) return;
  const Fetch& f = script.fetches()[node.fetch];
  const auto on = static_cast<std::uint32_t>(f.routes.size());
  std::uint32_t way = 0;
  switch (t.decision()) {
    case Decision::fetched: way = t.index(); break;
    case Decision::fetch_timeout: way = on; break;
    case Decision::fetch_failed: way = f.failed == f.timeout ? on : on + 1; break;
    default: return;
  }
  if (way < ways.size()) ++ways[way];
}

void count(const Turn& t, const Script& script, bool understood, Coverage& c) {
  for (NodeId n : t.path())
    if (n < c.nodes.size()) ++c.nodes[n];
  count_branches(t, script, c);
  if (t.decision() == Decision::route && t.from() < c.routes.size()) {
    const std::size_t slot = detail::route_slot(script.node(t.from()), t.variant(), t.index());
    if (slot < c.routes[t.from()].size()) ++c.routes[t.from()][slot];
  }
  if (t.from() < c.routes.size()) count_fetch(t, script, c.routes[t.from()]);
  if ((t.decision() == Decision::global || t.decision() == Decision::opt_out) &&
      t.index() < c.handlers.size())
    ++c.handlers[t.index()];
  if (understood)
    for (const IntentMatch& m : t.understanding().intents())
      if (m.intent < c.intents.size()) ++c.intents[m.intent];
  (void)script;
}

std::string indent(std::string_view text, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out += prefix;
    out.append(text.substr(start, end - start));
    out += '\n';
    start = end + 1;
  }
  return out;
}

// What happened in one step, for the account of a case: the robot's lines
// and the other actions, briefly.
std::string robot_side(const Turn& t, const Script& script) {
  std::string out;
  for (const Action& a : t.actions()) {
    if (a.type == ActionType::say)
      out += fmt::format("robot: {}\n", a.text);
    else if (a.type != ActionType::listen)
      out += fmt::format("[{}]\n", describe_action(a, script));
  }
  if (is_error(t.status())) out += fmt::format("[{}]\n", to_string(t.status()));
  return out;
}

}  // namespace

bool TestExpectations::empty() const noexcept {
  return !node && !path && says.empty() && !says_exactly && heard.empty() && !decision &&
         actions.empty() && tags.empty() && no_tags.empty() && !score && variables.empty() &&
         !status && !phase && !ended && !outcome && !grade && !hangup && !escalation && !turns;
}

std::size_t TestReport::passed() const noexcept {
  std::size_t n = 0;
  for (const auto& c : cases) n += c.passed;
  return n;
}
std::size_t TestReport::failed() const noexcept {
  return cases.size() - passed();
}

// The variants a case asks for name real experiments and their variants.
void check_variants(const TestCase& c, const Script& script, std::vector<Diagnostic>& out) {
  std::vector<std::string> experiments;
  for (const Node& n : script.nodes())
    if (!n.variants.empty()) experiments.push_back(n.experiment);
  for (const auto& [experiment, want] : c.variants) {
    const Node* node = nullptr;
    for (const Node& n : script.nodes())
      if (!n.variants.empty() && n.experiment == experiment.name) node = &n;
    if (!node) {
      std::string hint = detail::did_you_mean(experiment.name, experiments);
      if (hint.empty())
        hint = fmt::format("script `{}` has no `variants` by that name", script.id());
      out.push_back(
          {experiment.where, Severity::error, Code::unknown_node,
           fmt::format("experiment `{}` is not in script `{}`", experiment.name, script.id()),
           hint});
      continue;
    }
    std::vector<std::string> names;
    for (const Variant& v : node->variants) names.push_back(v.name);
    if (std::find(names.begin(), names.end(), want) != names.end()) continue;
    std::string hint = detail::did_you_mean(want, names);
    if (hint.empty()) hint = fmt::format("its variants are {}", fmt::join(names, ", "));
    out.push_back({experiment.where, Severity::error, Code::invalid_value,
                   fmt::format("experiment `{}` has no variant `{}`", experiment.name, want),
                   hint});
  }
}

std::vector<Diagnostic> check_tests(const TestSuite& suite, const Script& script) {
  std::vector<Diagnostic> out;
  auto names_of = [](const auto& items) {
    std::vector<std::string> v;
    for (const auto& i : items) v.push_back(i.name);
    return v;
  };
  const std::vector<std::string> nodes = names_of(script.nodes()),
                                 intents = names_of(script.intents()),
                                 variables = names_of(script.variables());
  const std::vector<std::string>& tags = script.tags();
  auto need = [&](const TestName& n, const std::vector<std::string>& known, std::string_view kind) {
    if (std::find(known.begin(), known.end(), n.name) != known.end()) return;
    std::string hint = detail::did_you_mean(n.name, known);
    if (hint.empty()) hint = fmt::format("script `{}` has no such {}", script.id(), kind);
    out.push_back({n.where, Severity::error,
                   kind == "node"       ? Code::unknown_node
                   : kind == "intent"   ? Code::unknown_intent
                   : kind == "variable" ? Code::undeclared_variable
                                        : Code::invalid_value,
                   fmt::format("{} `{}` is not in script `{}`", kind, n.name, script.id()), hint});
  };
  auto expectations = [&](const TestExpectations& e) {
    if (e.node) need(*e.node, nodes, "node");
    if (e.path)
      for (const auto& n : *e.path) need(n, nodes, "node");
    for (const auto& n : e.heard) need(n, intents, "intent");
    for (const auto& n : e.tags) need(n, tags, "tag");
    for (const auto& n : e.no_tags) need(n, tags, "tag");
    for (const auto& [n, v] : e.variables) need(n, variables, "variable");
    for (const auto& a : e.actions)
      if (a.type == ActionType::tag && !a.detail.empty()) need(TestName{a.detail, {}}, tags, "tag");
  };
  for (const TestCase& c : suite.cases) {
    for (const auto& [n, v] : c.variables) need(n, variables, "variable");
    check_variants(c, script, out);
    for (const TestTurn& t : c.turns) {
      if (t.input == TestInput::intent) need(TestName{t.text, t.where}, intents, "intent");
      if (t.input == TestInput::back) need(TestName{t.text, t.where}, nodes, "node");
      expectations(t.expect);
    }
    expectations(c.expect);
  }
  return out;
}

// The variants a case asks for (`variants: {offer: short}`), or nothing.
std::optional<std::string> variant_key_for(const TestCase& test, const Script& script) {
  if (test.variants.empty()) return std::string();
  // Keys are tried in order, so a case gets the same key on every run.
  for (int i = 0; i < 100000; ++i) {
    std::string key = fmt::format("test-{}", i);
    const std::uint32_t seed = variant_seed(key);
    bool all = true;
    for (const auto& [experiment, want] : test.variants) {
      for (const Node& n : script.nodes()) {
        if (n.variants.empty() || n.experiment != experiment.name) continue;
        all = n.variants[n.variant_for(seed)].name == want;
        break;
      }
      if (!all) break;
    }
    if (all) return key;
  }
  return std::nullopt;
}

// The host's data a test turn stands for: the answer to the fetch that
// waits, or (none waiting) variables the host sets. `views` holds what the
// event borrows.
Event data_of(const TestTurn& turn, const Session& s, std::uint64_t now,
              std::vector<VariableValue>& views) {
  const std::uint32_t fetch = s.fetching() ? s.fetch_id() : 0;
  if (turn.text == "failed") return Event::fetch_failed(fetch, now);
  views.clear();
  for (const auto& [name, value] : turn.data) views.emplace_back(name, value);
  return Event::data(fetch, views, now);
}

// The event a test turn stands for, at `now`.
Event event_of(const TestTurn& turn, const Script& script, std::uint64_t now) {
  Event e;
  switch (turn.input) {
    case TestInput::answer: e = Event::answered(now); break;
    case TestInput::text: e = Event::utterance(turn.text, now); break;
    case TestInput::intent:
      e = Event::intent_of(script.find_intent(turn.text).value_or(kNone), turn.confidence, now);
      break;
    case TestInput::silence: e = Event::no_input(now); break;
    case TestInput::key: e = Event::dtmf(turn.text.empty() ? '?' : turn.text[0], now); break;
    case TestInput::hangup:
    case TestInput::no_answer: e = Event::customer_hangup(now); break;
    case TestInput::voicemail: e = Event::voicemail(now); break;
    case TestInput::grab: e = Event::agent_joined(now); break;
    case TestInput::back:
      e = Event::agent_left(now, script.find_node(turn.text).value_or(kNone));
      break;
    case TestInput::finish:
      e = Event::agent_left(now, kNone,
                            parse_hangup_reason(turn.text).value_or(HangupReason::agent_ended));
      break;
    case TestInput::wait: e = Event::timer(now); break;
    case TestInput::data: break;  // data_of, which needs the session
  }
  if (turn.during_ms) e = e.during(*turn.during_ms);
  return e;
}

// Each failure as expected against actual, under `heading`.
std::string failures_diff(std::string heading, const std::vector<TestFailure>& failures,
                          std::size_t from) {
  std::string d = std::move(heading);
  for (std::size_t f = from; f < failures.size(); ++f) {
    const TestFailure& x = failures[f];
    d += fmt::format("    {}\n", x.what);
    d += indent(x.expected, "      - expected: ");
    d += indent(x.actual, "      + actual:   ");
  }
  return d;
}

// A test's first turn decides whether the call is answered before it: not
// when the test itself plays the answer, no answer or voicemail.
bool answers_first(const TestCase& test) {
  if (test.turns.empty()) return true;
  const TestInput first = test.turns[0].input;
  return first != TestInput::answer && first != TestInput::no_answer &&
         first != TestInput::voicemail;
}

CaseResult run_case(const TestCase& test, const std::shared_ptr<const Script>& script_ptr,
                    Coverage& coverage) {
  const Script& script = *script_ptr;
  CaseResult r;
  r.name = test.name;
  r.where = test.where;
  std::vector<VariableValue> vars;
  for (const auto& [n, v] : test.variables) vars.emplace_back(n.name, v);
  const std::optional<std::string> key = variant_key_for(test, script);
  if (!key) {
    r.failures.push_back({0, "variants", "a variant key that gives these variants",
                          "none: is one of them switched off (weight 0)?", test.where});
    r.diff = "  no variant key gives the case's `variants`\n";
    return r;
  }
  SessionOptions options;
  options.variant_key = *key;
  Started started = Session::start(script_ptr, std::span<const VariableValue>(vars), options);
  if (!started.ok()) {
    r.failures.push_back(
        {0, "variables", "the call starts", std::string(started.message()), test.where});
    r.diff = fmt::format("  the call does not start: {}\n", started.message());
    return r;
  }
  Session& s = *started;
  Turn t;
  std::string story;  // the conversation so far, for the account of a failure
  std::uint64_t now = 0;
  const bool answer_first = answers_first(test);
  if (answer_first) {
    s.step(Event::answered(0), t);
    count(t, script, false, coverage);
    count_variants(t, s, coverage);
    story += robot_side(t, script);
  }
  for (std::size_t i = 0; i < test.turns.size(); ++i) {
    const TestTurn& turn = test.turns[i];
    if (!(i == 0 && !answer_first)) now += turn.after_ms;
    std::vector<VariableValue> views;
    s.step(
        turn.input == TestInput::data ? data_of(turn, s, now, views) : event_of(turn, script, now),
        t);
    const bool understood = turn.input == TestInput::text || turn.input == TestInput::intent;
    count(t, script, understood, coverage);
    count_variants(t, s, coverage);
    const std::size_t before = r.failures.size();
    Checker(script, i + 1, r.failures).check(turn.expect, s, &t, turn.where);
    story += fmt::format("> {}\n", describe_input(turn));
    story += robot_side(t, script);
    if (r.failures.size() != before) {
      std::string d =
          failures_diff(fmt::format("  turn {} ({}:{}:{}): {}\n", i + 1, turn.where.file,
                                    turn.where.line, turn.where.column, describe_input(turn)),
                        r.failures, before);
      d += "    why:\n" + indent(t.explain(script), "      | ");
      d += "    the call so far:\n" + indent(story, "      ");
      r.diff = std::move(d);
      r.result = s.result();
      return r;
    }
  }
  Checker(script, 0, r.failures).check(test.expect, s, nullptr, test.where);
  r.result = s.result();
  if (!r.failures.empty()) {
    r.diff = failures_diff(fmt::format("  at the end of the call ({}:{}:{}):\n", test.where.file,
                                       test.where.line, test.where.column),
                           r.failures, 0);
    r.diff += "    the call:\n" + indent(story, "      ");
    return r;
  }
  r.passed = true;
  return r;
}

TestReport run_tests(const TestSuite& suite, std::shared_ptr<const Script> script) {
  TestReport report;
  report.file = suite.file;
  report.script_file = suite.script;
  if (!script) return report;
  report.coverage = Coverage::empty_for(*script);
  report.diagnostics = check_tests(suite, *script);
  if (has_errors(report.diagnostics)) return report;
  for (const TestCase& c : suite.cases)
    report.cases.push_back(run_case(c, script, report.coverage));
  return report;
}

}  // namespace patter
