// Test files (YAML) -> TestSuite, with a diagnostic for every problem.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <span>

#include "patter/tooling/conversation_test.hpp"
#include "text/suggest.hpp"
#include "tooling/tooling_names.hpp"
#include "yaml/reader.hpp"
#include "yaml/source.hpp"

namespace patter {
namespace {

namespace fs = std::filesystem;
using detail::YamlNode;
using Kind = YamlNode::Kind;

// The inputs a turn may have; exactly one per turn.
constexpr std::string_view kInputs[] = {"customer",  "intent",    "silence", "key",  "hangup",
                                        "no_answer", "voicemail", "grab",    "back", "finish",
                                        "wait",      "answer",    "data"};
// Inputs that take no value, so a turn may be written as the bare word.
constexpr std::string_view kFlagInputs[] = {"silence", "hangup", "no_answer", "voicemail",
                                            "grab",    "answer", "finish"};
constexpr std::string_view kTurnModifiers[] = {"after", "during", "confidence"};
constexpr std::string_view kTurnExpect[] = {
    "node", "path",    "says",  "says_exactly", "heard",  "decision", "actions",
    "tags", "no_tags", "score", "variables",    "status", "phase",    "ended"};
constexpr std::string_view kCallExpect[] = {"node",      "path",       "tags",  "no_tags", "score",
                                            "variables", "phase",      "ended", "outcome", "grade",
                                            "hangup",    "escalation", "turns"};

bool among(std::span<const std::string_view> set, std::string_view s) {
  for (auto a : set)
    if (a == s) return true;
  return false;
}

std::vector<std::string_view> joined(
    std::initializer_list<std::span<const std::string_view>> sets) {
  std::vector<std::string_view> out;
  for (auto set : sets) out.insert(out.end(), set.begin(), set.end());
  return out;
}

class Reader : public detail::YamlReader {
 public:
  Reader(const detail::YamlTree& tree, std::string file, std::vector<Diagnostic>& diags)
      : YamlReader(tree, std::move(file), diags) {}

  bool name(const YamlNode& n, std::string_view what, TestName& out) {
    out.where = at(n);
    if (!text(n, what, out.name)) return false;
    if (out.name.empty()) {
      error(n, Code::invalid_value, fmt::format("{} is empty", what), "write a name");
      return false;
    }
    return true;
  }

  void names(const YamlNode& n, std::string_view what, std::vector<TestName>& out) {
    list(n, what, out, [&](const YamlNode& c, TestName& t) { return name(c, what, t); });
  }

  // One of a fixed set of names (an enumeration's spellings).
  template <class E, class Names>
  bool choice(const YamlNode& n, std::string_view what, const Names& names,
              std::optional<E> (*parse)(std::string_view), std::optional<E>& out) {
    std::string s;
    if (!YamlReader::choice(n, what, names, s)) return false;
    out = parse(s);
    return out.has_value();
  }

  void variables(const YamlNode& n, std::string_view what,
                 std::vector<std::pair<TestName, std::string>>& out) {
    if (!is_map(n, what)) return;
    each_pair(n, what, [&](std::string_view key, const YamlNode& k, const YamlNode& v) {
      std::string value;
      if (!text(v, fmt::format("the value of `{}`", key), value)) return;
      for (auto& [name, old] : out)
        if (name.name == key) {
          old = value;  // a case overrides the suite
          name.where = at(k);
          return;
        }
      out.push_back({TestName{std::string(key), at(k)}, std::move(value)});
    });
  }

  void action(const YamlNode& n, std::vector<ExpectedAction>& out) {
    const YamlNode* kind = &n;
    const YamlNode* detail_node = nullptr;
    if (n.kind == Kind::map && n.size == 2) {
      kind = &child(n, 0);
      detail_node = &child(n, 1);
    }
    std::optional<ActionType> type;
    if (!choice<ActionType>(*kind, "a kind of action", detail::action_type_names(),
                            detail::parse_action_type, type))
      return;
    ExpectedAction a;
    a.type = *type;
    if (detail_node && detail_node->kind != Kind::null &&
        !text(*detail_node, "an action's detail", a.detail))
      return;
    if (a.type == ActionType::hangup && !a.detail.empty() &&
        !one_of(*detail_node, a.detail, "a hang-up reason", hangup_reason_names()))
      return;
    if (a.type == ActionType::escalate && !a.detail.empty() &&
        !one_of(*detail_node, a.detail, "an escalation reason", escalation_reason_names()))
      return;
    out.push_back(std::move(a));
  }

  // An expectation key; false when `key` is not one.
  bool expectation(std::string_view key, const YamlNode& v, TestExpectations& e) {
    if (key == "node") {
      TestName t;
      if (name(v, "`node`", t)) e.node = std::move(t);
    } else if (key == "path") {
      std::vector<TestName> p;
      names(v, "`path`", p);
      e.path = std::move(p);
    } else if (key == "says") {
      strings(v, "`says`", e.says);
    } else if (key == "says_exactly") {
      std::vector<std::string> lines;
      strings(v, "`says_exactly`", lines);
      e.says_exactly = std::move(lines);
    } else if (key == "heard") {
      names(v, "`heard`", e.heard);
    } else if (key == "decision") {
      choice<Decision>(v, "a decision", detail::decision_names(), detail::parse_decision,
                       e.decision);
    } else if (key == "actions") {
      if (v.kind == Kind::sequence)
        for (std::uint32_t i = 0; i < v.size; ++i) action(child(v, i), e.actions);
      else
        action(v, e.actions);
    } else if (key == "tags") {
      names(v, "`tags`", e.tags);
    } else if (key == "no_tags") {
      names(v, "`no_tags`", e.no_tags);
    } else if (key == "score") {
      double s = 0;
      if (number(v, "`score`", s, -1e9, 1e9)) e.score = s;
    } else if (key == "variables") {
      variables(v, "`variables`", e.variables);
    } else if (key == "status") {
      choice<Status>(v, "a step status", detail::status_names(), detail::parse_status, e.status);
    } else if (key == "phase") {
      choice<Phase>(v, "a phase", detail::phase_names(), detail::parse_phase, e.phase);
    } else if (key == "ended") {
      bool b = false;
      if (boolean(v, "`ended`", b)) e.ended = b;
    } else if (key == "outcome") {
      choice<Outcome>(v, "an outcome", detail::outcome_names(), detail::parse_outcome, e.outcome);
    } else if (key == "grade") {
      std::string g;
      if (!text(v, "`grade`", g)) return true;
      if (g.empty())
        error(v, Code::invalid_value, "`grade` is empty",
              "write one of the script's grades (A, B, C, D and E unless it lists its own)");
      else
        e.grade = g;
    } else if (key == "hangup") {
      choice<HangupReason>(v, "a hang-up reason", hangup_reason_names(), parse_hangup_reason,
                           e.hangup);
    } else if (key == "escalation") {
      choice<EscalationReason>(v, "an escalation reason", escalation_reason_names(),
                               parse_escalation_reason, e.escalation);
    } else if (key == "turns") {
      double n = 0;
      if (number(v, "`turns`", n, 0, 1e6)) {
        if (n != std::floor(n))
          error(v, Code::invalid_value, "`turns` must be a whole number");
        else
          e.turns = static_cast<std::uint32_t>(n);
      }
    } else {
      return false;
    }
    return true;
  }

  // A bare word: `- silence`.
  std::optional<TestTurn> bare_turn(const YamlNode& n, TestTurn& t) {
    if (!among(kFlagInputs, n.value)) {
      std::vector<std::string> flags(std::begin(kFlagInputs), std::end(kFlagInputs));
      std::string hint = detail::did_you_mean(n.value, flags);
      if (hint.empty())
        hint = fmt::format(
            "a turn written as one word is one of: {}; for words the customer says, write "
            "`customer: {}`",
            fmt::join(flags, ", "), n.value);
      error(n, Code::invalid_value, fmt::format("`{}` is not a turn", n.value), hint);
      return std::nullopt;
    }
    t.input = *detail::parse_test_input(n.value);
    return t;
  }

  // `data: {name: value, ...}` (the host's data) or `data: failed`.
  bool data(const YamlNode& v, TestTurn& t) {
    if (v.kind == Kind::scalar && v.value == "failed") {
      t.text = "failed";
      return true;
    }
    if (!is_map(v, "`data`")) return false;
    bool ok = true;
    each_pair(v, "`data`", [&](std::string_view key, const YamlNode&, const YamlNode& x) {
      std::string value;
      if (text(x, fmt::format("the value of `{}`", key), value))
        t.data.emplace_back(std::string(key), std::move(value));
      else
        ok = false;
    });
    return ok;
  }

  // The value of a turn's input `key`; false when it is wrong.
  bool input(std::string_view key, const YamlNode& v, TestTurn& t) {
    t.input = *detail::parse_test_input(key);
    if (key == "customer") {
      if (!text(v, "what the customer says", t.text)) return false;
      if (t.text.empty()) {
        error(v, Code::invalid_value, "the customer says nothing",
              "for silence, write `- silence`");
        return false;
      }
    } else if (key == "intent" || key == "back") {
      TestName name_;
      const bool ok = name(v, key == "intent" ? "the intent" : "the node to hand back at", name_);
      t.text = std::move(name_.name);
      return ok;
    } else if (key == "key") {
      if (!text(v, "the key", t.text)) return false;
      if (t.text.size() != 1 ||
          std::string_view("0123456789*#").find(t.text[0]) == std::string_view::npos) {
        error(v, Code::invalid_value, fmt::format("`{}` is not a key", t.text),
              "keys are 0-9, * and #");
        return false;
      }
    } else if (key == "wait") {
      double s = 0;
      const bool ok = number(v, "`wait` (seconds)", s, 0, 86400);
      t.after_ms = static_cast<std::uint32_t>(std::lround(s * 1000));
      return ok;
    } else if (key == "data") {
      return data(v, t);
    } else if (key == "finish") {
      if (v.kind == Kind::null) return true;
      return text(v, "the reason the person ends the call", t.text) &&
             one_of(v, t.text, "a hang-up reason", hangup_reason_names());
    } else if (v.kind != Kind::null) {
      bool b = false;
      if (!boolean(v, fmt::format("`{}`", key), b)) return false;
      if (!b) {
        error(v, Code::invalid_value, fmt::format("`{}` takes no value", key),
              fmt::format("write `- {}`", key));
        return false;
      }
    }
    return true;
  }

  // A turn's `after`, `during` or `confidence`; false when wrong.
  bool modifier(std::string_view key, const YamlNode& v, TestTurn& t) {
    double x = 0;
    if (key == "after") {
      if (!number(v, "`after` (seconds)", x, 0, 86400)) return false;
      t.after_ms = static_cast<std::uint32_t>(std::lround(x * 1000));
    } else if (key == "during") {
      if (!number(v, "`during` (milliseconds into the robot's line)", x, 0, 3600000)) return false;
      t.during_ms = static_cast<std::uint32_t>(x);
    } else {
      if (!number(v, "`confidence`", x, 0, 1)) return false;
      t.confidence = static_cast<float>(x);
    }
    return true;
  }

  std::optional<TestTurn> turn(const YamlNode& n) {
    TestTurn t;
    t.where = at(n);
    if (n.kind == Kind::scalar) return bare_turn(n, t);
    if (!is_map(n, "a turn")) return std::nullopt;
    const YamlNode* input_key = nullptr;
    bool ok = true;
    each_pair(n, "a turn", [&](std::string_view key, const YamlNode& k, const YamlNode& v) {
      if (among(kInputs, key)) {
        if (input_key) {
          error(k, Code::conflicting_keys,
                fmt::format("a turn has one input, but this one has `{}` and `{}`",
                            input_key->value, key),
                "split it into two turns");
          ok = false;
          return;
        }
        input_key = &k;
        ok = input(key, v, t) && ok;
      } else if (among(kTurnModifiers, key)) {
        ok = modifier(key, v, t) && ok;
      } else if (!expectation(key, v, t.expect)) {
        unknown_key(k, "a turn", joined({kInputs, kTurnModifiers, kTurnExpect}));
        ok = false;
      }
    });
    if (!input_key && ok) {
      error(n, Code::missing_key, "this turn has no input",
            "start it with what happens: `customer: ...`, `silence`, `key: 1`, `intent: ...`, "
            "`hangup`, `grab`, "
            "`back: NODE`, `finish`, `wait: 30`...");
      return std::nullopt;
    }
    if (t.during_ms && t.input != TestInput::text && t.input != TestInput::intent) {
      error(n, Code::conflicting_keys, "`during` is for words said while the robot speaks",
            "use it with `customer:` or `intent:`");
      ok = false;
    }
    if (!ok) return std::nullopt;
    return t;
  }

  void test_case(const YamlNode& n, const std::vector<std::pair<TestName, std::string>>& shared,
                 TestSuite& suite) {
    if (!is_map(n, "a case")) return;
    TestCase c;
    c.where = at(n);
    c.variables = shared;
    bool has_name = false, has_turns = false;
    const std::size_t before = diagnostics();
    each_pair(n, "a case", [&](std::string_view key, const YamlNode& k, const YamlNode& v) {
      if (key == "name") {
        has_name = text(v, "a case's `name`", c.name);
      } else if (key == "description") {
        text(v, "a case's `description`", c.description);
      } else if (key == "variables") {
        variables(v, "a case's `variables`", c.variables);
      } else if (key == "variants") {
        variables(v, "a case's `variants`", c.variants);
      } else if (key == "turns") {
        has_turns = true;
        if (v.kind == Kind::null) return;
        if (!is_list(v, "`turns`", {}, "write one turn per `- ` line")) return;
        for (std::uint32_t i = 0; i < v.size; ++i)
          if (auto t = turn(child(v, i))) c.turns.push_back(std::move(*t));
      } else if (key == "expect") {
        if (!is_map(v, "a case's `expect`")) return;
        each_pair(v, "a case's `expect`",
                  [&](std::string_view ek, const YamlNode& ekn, const YamlNode& ev) {
                    if (!among(kCallExpect, ek) || !expectation(ek, ev, c.expect))
                      unknown_key(ekn, "a case's `expect` (the end of the call)",
                                  joined({kCallExpect}));
                  });
      } else {
        unknown_key(k, "a case",
                    {"name", "description", "variables", "turns", "expect", "variants"});
      }
    });
    if (!has_name) {
      error(n, Code::missing_key, "this case has no `name`",
            "give it one that says what it checks");
      return;
    }
    if (!has_turns)
      error(n, Code::missing_key, fmt::format("case `{}` has no `turns`", c.name),
            "list what the customer does");
    for (const TestCase& other : suite.cases)
      if (other.name == c.name)
        error(n, Code::duplicate_name, fmt::format("two cases are named `{}`", c.name),
              fmt::format("the other is at line {}", other.where.line));
    if (diagnostics() == before) suite.cases.push_back(std::move(c));
  }

  void suite(TestSuite& out) {
    const YamlNode& root = tree().root();
    if (!is_map(root, "a test file")) return;
    std::vector<std::pair<TestName, std::string>> shared;
    const YamlNode* cases = nullptr;
    // Variables first, whatever the order in the file: every case starts from them.
    each_pair(root, "a test file", [&](std::string_view key, const YamlNode& k, const YamlNode& v) {
      if (key == "script") {
        std::string s;
        if (text(v, "`script`", s)) out.script = s;
      } else if (key == "patter_tests") {
        // Optional: names the file as tests whatever its name (`patter validate`).
        std::string s;
        if (text(v, "`patter_tests`", s) && s != "1")
          error(v, Code::invalid_value, fmt::format("test file format `{}` is not known", s),
                "write `patter_tests: 1`");
      } else if (key == "variables") {
        variables(v, "`variables`", shared);
      } else if (key == "cases") {
        cases = &v;
      } else {
        unknown_key(k, "a test file", {"patter_tests", "script", "variables", "cases"});
      }
    });
    if (!cases) {
      error(root, Code::missing_key, "a test file needs `cases`", "see docs/testing-scripts.md");
      return;
    }
    if (!is_list(*cases, "`cases`")) return;
    for (std::uint32_t i = 0; i < cases->size; ++i) test_case(child(*cases, i), shared, out);
  }
};

// The usual slip: `- silence` with expectations under it, which YAML
// cannot read; `- silence:` it can.
std::string syntax_hint(std::string_view text, std::uint32_t line) {
  std::string_view before;
  std::uint32_t at = 1;
  std::size_t start = 0;
  while (at + 1 < line && start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
    ++at;
  }
  if (at + 1 == line) {
    const std::size_t nl = text.find('\n', start);
    before = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
  }
  while (!before.empty() && (before.back() == ' ' || before.back() == '\r'))
    before.remove_suffix(1);
  const std::size_t dash = before.find_first_not_of(' ');
  if (dash != std::string_view::npos && before.substr(dash, 2) == "- ") {
    const std::string_view word = before.substr(dash + 2);
    if (among(kFlagInputs, word))
      return fmt::format("a turn with expectations under it is a map: write `- {}:` with a colon",
                         word);
  }
  return "check the indentation and quoting on this line and the one before";
}

constexpr detail::SourceKind kTestWords = {
    .too_large_hint = "split the cases into several files",
    .empty_hint = "a test file starts with `cases:`",
    .syntax_hint_at = syntax_hint,
};

detail::SourceLimits limits_of(const TestLoadOptions& o) {
  return {o.max_file_bytes, o.max_depth, o.max_elements};
}

}  // namespace

bool is_tests_file(std::string_view path) noexcept {
  constexpr std::string_view kEnd = ".tests.yaml";
  return path.size() > kEnd.size() && path.substr(path.size() - kEnd.size()) == kEnd;
}

std::string script_for_tests(const std::string& tests_path) {
  fs::path p(tests_path);
  std::string name = p.filename().string();
  if (is_tests_file(name)) name = name.substr(0, name.size() - 11) + ".yaml";
  const fs::path dir = p.parent_path();
  std::error_code ec;
  if (fs::exists(dir / name, ec) || dir.filename() != "tests") return (dir / name).string();
  return (dir.parent_path() / name).string();
}

std::vector<std::string> find_tests_for(const std::string& script_path) {
  fs::path p(script_path);
  std::string stem = p.filename().string();
  if (stem.size() > 5 && stem.substr(stem.size() - 5) == ".yaml") stem.resize(stem.size() - 5);
  std::vector<std::string> out;
  std::error_code ec;
  for (const fs::path& c : {p.parent_path() / (stem + ".tests.yaml"),
                            p.parent_path() / "tests" / (stem + ".tests.yaml")})
    if (fs::is_regular_file(c, ec)) out.push_back(c.string());
  return out;
}

TestLoad load_tests_string(std::string_view text, const std::string& name,
                           const TestLoadOptions& options) {
  TestLoad r;
  const detail::SourceLimits limits = limits_of(options);
  std::string_view checked;
  detail::YamlTree tree;
  if (!detail::check_source(text, name, limits, kTestWords, checked, r.diagnostics) ||
      !detail::parse_yaml(checked, name, limits, kTestWords, tree, r.diagnostics))
    return r;
  TestSuite suite;
  suite.file = name;
  Reader reader(tree, name, r.diagnostics);
  reader.suite(suite);
  if (has_errors(r.diagnostics)) return r;
  if (suite.script.empty()) {
    suite.script = script_for_tests(name);
  } else if (fs::path(suite.script).is_relative()) {
    suite.script = (fs::path(name).parent_path() / suite.script).lexically_normal().string();
  }
  r.suite = std::move(suite);
  return r;
}

TestLoad load_tests_file(const std::string& path, const TestLoadOptions& options) {
  TestLoad r;
  std::string text;
  if (!detail::read_source(path, limits_of(options), kTestWords, text, r.diagnostics)) return r;
  return load_tests_string(text, path, options);
}

}  // namespace patter
