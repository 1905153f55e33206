// Test files (YAML) -> TestSuite, with a diagnostic for every problem.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <span>
#include <sstream>

#include "patter/tooling/conversation_test.hpp"
#include "text/suggest.hpp"
#include "text/utf8.hpp"
#include "tooling/tooling_names.hpp"
#include "yaml/yaml_tree.hpp"

namespace patter {
namespace {

namespace fs = std::filesystem;
using detail::YamlNode;
using Kind = YamlNode::Kind;

// The inputs a turn may have; exactly one per turn.
constexpr std::string_view kInputs[] = {
    "customer", "intent", "silence", "key", "hangup", "no_answer", "voicemail",
    "grab",     "back",   "finish",  "wait", "answer"};
// Inputs that take no value, so a turn may be written as the bare word.
constexpr std::string_view kFlagInputs[] = {
    "silence", "hangup", "no_answer", "voicemail", "grab", "answer", "finish"};
constexpr std::string_view kTurnModifiers[] = {"after", "during", "confidence"};
constexpr std::string_view kTurnExpect[] = {
    "node", "path", "says", "says_exactly", "heard", "decision", "actions", "tags",
    "no_tags", "score", "variables", "status", "phase", "ended"};
constexpr std::string_view kCallExpect[] = {
    "node", "path", "tags", "no_tags", "score", "variables", "phase", "ended",
    "outcome", "grade", "hangup", "escalation", "turns"};

bool among(std::span<const std::string_view> set, std::string_view s) {
  for (auto a : set)
    if (a == s) return true;
  return false;
}

std::vector<std::string> to_strings(std::initializer_list<std::span<const std::string_view>> sets) {
  std::vector<std::string> out;
  for (auto set : sets)
    for (auto s : set) out.emplace_back(s);
  return out;
}

class Reader {
 public:
  Reader(const detail::YamlTree& tree, std::string file, std::vector<Diagnostic>& diags)
      : tree_(tree), file_(std::move(file)), diags_(diags) {}

  SourceLocation at(const YamlNode& n) const { return {file_, n.line, n.column}; }

  void error(const YamlNode& n, Code code, std::string message, std::string hint = {}) {
    diags_.push_back({at(n), Severity::error, code, std::move(message), std::move(hint)});
  }

  const YamlNode& child(const YamlNode& n, std::uint32_t i) const { return tree_.child(n, i); }

  // Calls fn(key, keynode, value) for each pair; reports non-scalar and
  // duplicate keys. Unknown keys are the caller's business (it knows the set).
  template <class Fn>
  void pairs(const YamlNode& map, std::string_view what, Fn&& fn) {
    std::vector<std::string_view> seen;
    for (std::uint32_t i = 0; i + 1 < map.size; i += 2) {
      const YamlNode& k = child(map, i);
      const YamlNode& v = child(map, i + 1);
      if (k.kind != Kind::scalar) {
        error(k, Code::wrong_type, fmt::format("a key in {} must be a plain word, not {}", what, detail::describe(k)));
        continue;
      }
      if (std::find(seen.begin(), seen.end(), k.value) != seen.end()) {
        error(k, Code::duplicate_key, fmt::format("`{}` appears twice in {}", k.value, what), "keep one of them");
        continue;
      }
      seen.push_back(k.value);
      fn(std::string_view(k.value), k, v);
    }
  }

  void unknown_key(const YamlNode& k, std::string_view what, const std::vector<std::string>& allowed) {
    std::string hint = detail::did_you_mean(k.value, allowed);
    if (hint.empty()) hint = fmt::format("allowed here: {}", fmt::join(allowed, ", "));
    error(k, Code::unknown_key, fmt::format("unknown key `{}` in {}", k.value, what), hint);
  }

  bool map(const YamlNode& n, std::string_view what) {
    if (n.kind == Kind::map) return true;
    error(n, Code::wrong_type, fmt::format("{} must be a map of `key: value` lines, not {}", what, detail::describe(n)));
    return false;
  }

  bool text(const YamlNode& n, std::string_view what, std::string& out) {
    if (n.kind == Kind::scalar) {
      out = n.value;
      return true;
    }
    error(n, Code::wrong_type, fmt::format("{} must be text, not {}", what, detail::describe(n)));
    return false;
  }

  bool name(const YamlNode& n, std::string_view what, TestName& out) {
    out.where = at(n);
    if (!text(n, what, out.name)) return false;
    if (out.name.empty()) {
      error(n, Code::invalid_value, fmt::format("{} is empty", what), "write a name");
      return false;
    }
    return true;
  }

  // A scalar or a list of scalars.
  template <class T, class Conv>
  void list(const YamlNode& n, std::string_view what, std::vector<T>& out, Conv conv) {
    if (n.kind == Kind::sequence) {
      for (std::uint32_t i = 0; i < n.size; ++i) {
        T item;
        if (conv(child(n, i), item)) out.push_back(std::move(item));
      }
    } else if (n.kind == Kind::scalar) {
      T item;
      if (conv(n, item)) out.push_back(std::move(item));
    } else {
      error(n, Code::wrong_type, fmt::format("{} must be text or a list, not {}", what, detail::describe(n)));
    }
  }
  void names(const YamlNode& n, std::string_view what, std::vector<TestName>& out) {
    list(n, what, out, [&](const YamlNode& c, TestName& t) { return name(c, what, t); });
  }
  void texts(const YamlNode& n, std::string_view what, std::vector<std::string>& out) {
    list(n, what, out, [&](const YamlNode& c, std::string& t) { return text(c, what, t); });
  }

  bool number(const YamlNode& n, std::string_view what, double& out, double lo, double hi) {
    if (n.kind != Kind::scalar || n.quoted) {
      error(n, Code::wrong_type, fmt::format("{} must be a number, not {}", what,
                                             n.quoted ? std::string_view("quoted text") : detail::describe(n)));
      return false;
    }
    double v = 0;
    const char* b = n.value.data();
    const char* e = b + n.value.size();
    if (b != e && *b == '+') ++b;
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p != e || !std::isfinite(v)) {
      error(n, Code::wrong_type, fmt::format("{} must be a number, not `{}`", what, n.value));
      return false;
    }
    if (v < lo || v > hi) {
      error(n, Code::invalid_value, fmt::format("{} is {}, outside {}..{}", what, n.value, lo, hi));
      return false;
    }
    out = v;
    return true;
  }

  bool boolean(const YamlNode& n, std::string_view what, bool& out) {
    if (n.kind == Kind::scalar && !n.quoted) {
      if (n.value == "true" || n.value == "yes") return out = true, true;
      if (n.value == "false" || n.value == "no") return out = false, true;
    }
    error(n, Code::wrong_type, fmt::format("{} must be true or false", what));
    return false;
  }

  // One of a fixed set of names (an enumeration's spellings).
  template <class E>
  bool choice(const YamlNode& n, std::string_view what, const std::vector<std::string>& names,
              std::optional<E> (*parse)(std::string_view), std::optional<E>& out) {
    std::string s;
    if (!text(n, what, s)) return false;
    if (auto v = parse(s)) {
      out = *v;
      return true;
    }
    std::string hint = detail::did_you_mean(s, names);
    if (hint.empty()) hint = fmt::format("one of: {}", fmt::join(names, ", "));
    error(n, Code::invalid_value, fmt::format("`{}` is not {}", s, what), hint);
    return false;
  }

  void variables(const YamlNode& n, std::string_view what, std::vector<std::pair<TestName, std::string>>& out) {
    if (!map(n, what)) return;
    pairs(n, what, [&](std::string_view key, const YamlNode& k, const YamlNode& v) {
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
    if (!choice<ActionType>(*kind, "a kind of action", detail::action_type_names(), detail::parse_action_type, type))
      return;
    ExpectedAction a;
    a.type = *type;
    if (detail_node && detail_node->kind != Kind::null && !text(*detail_node, "an action's detail", a.detail)) return;
    if (a.type == ActionType::hangup && !a.detail.empty() && !parse_hangup_reason(a.detail)) {
      error(*detail_node, Code::invalid_value, fmt::format("`{}` is not a hang-up reason", a.detail),
            hint_for(a.detail, hangup_reason_names()));
      return;
    }
    if (a.type == ActionType::escalate && !a.detail.empty() && !parse_escalation_reason(a.detail)) {
      error(*detail_node, Code::invalid_value, fmt::format("`{}` is not an escalation reason", a.detail),
            hint_for(a.detail, escalation_reason_names()));
      return;
    }
    out.push_back(std::move(a));
  }

  static std::string hint_for(std::string_view word, const std::vector<std::string_view>& names) {
    std::vector<std::string> cands(names.begin(), names.end());
    std::string hint = detail::did_you_mean(word, cands);
    return hint.empty() ? fmt::format("one of: {}", fmt::join(cands, ", ")) : hint;
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
      texts(v, "`says`", e.says);
    } else if (key == "says_exactly") {
      std::vector<std::string> lines;
      texts(v, "`says_exactly`", lines);
      e.says_exactly = std::move(lines);
    } else if (key == "heard") {
      names(v, "`heard`", e.heard);
    } else if (key == "decision") {
      choice<Decision>(v, "a decision", detail::decision_names(), detail::parse_decision, e.decision);
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
      if (g.size() != 1 || g[0] < 'A' || g[0] > 'E')
        error(v, Code::invalid_value, fmt::format("`{}` is not a grade", g), "grades are A, B, C, D and E");
      else
        e.grade = g[0];
    } else if (key == "hangup") {
      std::string r;
      if (!text(v, "`hangup`", r)) return true;
      if (auto h = parse_hangup_reason(r)) e.hangup = *h;
      else error(v, Code::invalid_value, fmt::format("`{}` is not a hang-up reason", r), hint_for(r, hangup_reason_names()));
    } else if (key == "escalation") {
      std::string r;
      if (!text(v, "`escalation`", r)) return true;
      if (auto x = parse_escalation_reason(r)) e.escalation = *x;
      else
        error(v, Code::invalid_value, fmt::format("`{}` is not an escalation reason", r),
              hint_for(r, escalation_reason_names()));
    } else if (key == "turns") {
      double n = 0;
      if (number(v, "`turns`", n, 0, 1e6)) {
        if (n != std::floor(n)) error(v, Code::invalid_value, "`turns` must be a whole number");
        else e.turns = static_cast<std::uint32_t>(n);
      }
    } else {
      return false;
    }
    return true;
  }

  std::optional<TestTurn> turn(const YamlNode& n) {
    TestTurn t;
    t.where = at(n);
    if (n.kind == Kind::scalar) {  // a bare word: `- silence`
      if (!among(kFlagInputs, n.value)) {
        std::vector<std::string> flags(std::begin(kFlagInputs), std::end(kFlagInputs));
        std::string hint = detail::did_you_mean(n.value, flags);
        if (hint.empty())
          hint = fmt::format("a turn written as one word is one of: {}; for words the customer says, write "
                             "`customer: {}`",
                             fmt::join(flags, ", "), n.value);
        error(n, Code::invalid_value, fmt::format("`{}` is not a turn", n.value), hint);
        return std::nullopt;
      }
      t.input = *detail::parse_test_input(n.value);
      return t;
    }
    if (!map(n, "a turn")) return std::nullopt;
    const YamlNode* input_key = nullptr;
    bool ok = true;
    pairs(n, "a turn", [&](std::string_view key, const YamlNode& k, const YamlNode& v) {
      if (among(kInputs, key)) {
        if (input_key) {
          error(k, Code::conflicting_keys,
                fmt::format("a turn has one input, but this one has `{}` and `{}`", input_key->value, key),
                "split it into two turns");
          ok = false;
          return;
        }
        input_key = &k;
        t.input = *detail::parse_test_input(key);
        if (key == "customer") {
          ok = text(v, "what the customer says", t.text) && ok;
          if (ok && t.text.empty()) {
            error(v, Code::invalid_value, "the customer says nothing", "for silence, write `- silence`");
            ok = false;
          }
        } else if (key == "intent" || key == "back") {
          TestName name_;
          ok = name(v, key == "intent" ? "the intent" : "the node to hand back at", name_) && ok;
          t.text = std::move(name_.name);
        } else if (key == "key") {
          ok = text(v, "the key", t.text) && ok;
          if (ok && (t.text.size() != 1 || std::string_view("0123456789*#").find(t.text[0]) == std::string_view::npos)) {
            error(v, Code::invalid_value, fmt::format("`{}` is not a key", t.text), "keys are 0-9, * and #");
            ok = false;
          }
        } else if (key == "wait") {
          double s = 0;
          ok = number(v, "`wait` (seconds)", s, 0, 86400) && ok;
          t.after_ms = static_cast<std::uint32_t>(std::lround(s * 1000));
        } else if (key == "finish") {
          if (v.kind != Kind::null) {
            ok = text(v, "the reason the person ends the call", t.text) && ok;
            if (ok && !parse_hangup_reason(t.text)) {
              error(v, Code::invalid_value, fmt::format("`{}` is not a hang-up reason", t.text),
                    hint_for(t.text, hangup_reason_names()));
              ok = false;
            }
          }
        } else if (v.kind != Kind::null) {
          bool b = false;
          if (!boolean(v, fmt::format("`{}`", key), b)) {
            ok = false;
          } else if (!b) {
            error(v, Code::invalid_value, fmt::format("`{}` takes no value", key), fmt::format("write `- {}`", key));
            ok = false;
          }
        }
      } else if (key == "after") {
        double s = 0;
        if (number(v, "`after` (seconds)", s, 0, 86400)) t.after_ms = static_cast<std::uint32_t>(std::lround(s * 1000));
        else ok = false;
      } else if (key == "during") {
        double ms = 0;
        if (number(v, "`during` (milliseconds into the robot's line)", ms, 0, 3600000)) t.during_ms = static_cast<std::uint32_t>(ms);
        else ok = false;
      } else if (key == "confidence") {
        double c = 0;
        if (number(v, "`confidence`", c, 0, 1)) t.confidence = static_cast<float>(c);
        else ok = false;
      } else if (!expectation(key, v, t.expect)) {
        unknown_key(k, "a turn", to_strings({kInputs, kTurnModifiers, kTurnExpect}));
        ok = false;
      }
    });
    if (!input_key && ok) {
      error(n, Code::missing_key, "this turn has no input",
            "start it with what happens: `customer: ...`, `silence`, `key: 1`, `intent: ...`, `hangup`, `grab`, "
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

  void test_case(const YamlNode& n, const std::vector<std::pair<TestName, std::string>>& shared, TestSuite& suite) {
    if (!map(n, "a case")) return;
    TestCase c;
    c.where = at(n);
    c.variables = shared;
    bool has_name = false, has_turns = false;
    const std::size_t before = diags_.size();
    pairs(n, "a case", [&](std::string_view key, const YamlNode& k, const YamlNode& v) {
      if (key == "name") {
        has_name = text(v, "a case's `name`", c.name);
      } else if (key == "description") {
        text(v, "a case's `description`", c.description);
      } else if (key == "variables") {
        variables(v, "a case's `variables`", c.variables);
      } else if (key == "turns") {
        has_turns = true;
        if (v.kind == Kind::null) return;
        if (v.kind != Kind::sequence) {
          error(v, Code::wrong_type, fmt::format("`turns` must be a list, not {}", detail::describe(v)),
                "write one turn per `- ` line");
          return;
        }
        for (std::uint32_t i = 0; i < v.size; ++i)
          if (auto t = turn(child(v, i))) c.turns.push_back(std::move(*t));
      } else if (key == "expect") {
        if (!map(v, "a case's `expect`")) return;
        pairs(v, "a case's `expect`", [&](std::string_view ek, const YamlNode& ekn, const YamlNode& ev) {
          if (!among(kCallExpect, ek) || !expectation(ek, ev, c.expect))
            unknown_key(ekn, "a case's `expect` (the end of the call)", to_strings({kCallExpect}));
        });
      } else {
        unknown_key(k, "a case", {"name", "description", "variables", "turns", "expect"});
      }
    });
    if (!has_name) {
      error(n, Code::missing_key, "this case has no `name`", "give it one that says what it checks");
      return;
    }
    if (!has_turns) error(n, Code::missing_key, fmt::format("case `{}` has no `turns`", c.name), "list what the customer does");
    for (const TestCase& other : suite.cases)
      if (other.name == c.name)
        error(n, Code::duplicate_name, fmt::format("two cases are named `{}`", c.name),
              fmt::format("the other is at line {}", other.where.line));
    if (diags_.size() == before) suite.cases.push_back(std::move(c));
  }

  void suite(TestSuite& out) {
    const YamlNode& root = tree_.root();
    if (!map(root, "a test file")) return;
    std::vector<std::pair<TestName, std::string>> shared;
    const YamlNode* cases = nullptr;
    // Variables first, whatever the order in the file: every case starts from them.
    pairs(root, "a test file", [&](std::string_view key, const YamlNode& k, const YamlNode& v) {
      if (key == "script") {
        std::string s;
        if (text(v, "`script`", s)) out.script = s;
      } else if (key == "variables") {
        variables(v, "`variables`", shared);
      } else if (key == "cases") {
        cases = &v;
      } else {
        unknown_key(k, "a test file", {"script", "variables", "cases"});
      }
    });
    if (!cases) {
      error(root, Code::missing_key, "a test file needs `cases`", "see docs/testing-scripts.md");
      return;
    }
    if (cases->kind != Kind::sequence) {
      error(*cases, Code::wrong_type, fmt::format("`cases` must be a list, not {}", detail::describe(*cases)));
      return;
    }
    for (std::uint32_t i = 0; i < cases->size; ++i) test_case(child(*cases, i), shared, out);
  }

 private:
  const detail::YamlTree& tree_;
  std::string file_;
  std::vector<Diagnostic>& diags_;
};

SourceLocation locate(const std::string& file, std::string_view text, std::size_t offset) {
  std::uint32_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return {file, line, col};
}

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
  while (!before.empty() && (before.back() == ' ' || before.back() == '\r')) before.remove_suffix(1);
  const std::size_t dash = before.find_first_not_of(' ');
  if (dash != std::string_view::npos && before.substr(dash, 2) == "- ") {
    const std::string_view word = before.substr(dash + 2);
    if (among(kFlagInputs, word))
      return fmt::format("a turn with expectations under it is a map: write `- {}:` with a colon", word);
  }
  return "check the indentation and quoting on this line and the one before";
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
  for (const fs::path& c : {p.parent_path() / (stem + ".tests.yaml"), p.parent_path() / "tests" / (stem + ".tests.yaml")})
    if (fs::is_regular_file(c, ec)) out.push_back(c.string());
  return out;
}

TestLoad load_tests_string(std::string_view text, const std::string& name, const TestLoadOptions& options) {
  TestLoad r;
  auto add = [&](SourceLocation at, Code code, std::string msg, std::string hint = {}) {
    r.diagnostics.push_back({std::move(at), Severity::error, code, std::move(msg), std::move(hint)});
  };
  if (text.size() > options.max_file_bytes) {
    add({name, 0, 0}, Code::file_too_large,
        fmt::format("the file is {} bytes, over the limit of {}", text.size(), options.max_file_bytes),
        "split the cases into several files");
    return r;
  }
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const auto bad = detail::find_invalid_utf8(text); bad != std::string_view::npos) {
    add(locate(name, text, bad), Code::invalid_utf8,
        fmt::format("byte 0x{:02X} is not valid UTF-8", static_cast<unsigned char>(text[bad])), "save the file as UTF-8");
    return r;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      add(locate(name, text, i), Code::yaml_syntax, fmt::format("control character U+{:04X} is not allowed", c),
          "delete it");
      return r;
    }
  }
  detail::YamlTree tree;
  detail::YamlError err;
  if (!tree.parse(text, options.max_depth, options.max_elements, err)) {
    const SourceLocation at{name, err.line, err.column};
    switch (err.kind) {
      case detail::YamlError::Kind::empty:
        add({name, 0, 0}, Code::empty_document, "the file is empty", "a test file starts with `cases:`");
        break;
      case detail::YamlError::Kind::too_deep:
        add(at, Code::nesting_too_deep, fmt::format("lists and maps are nested more than {} deep here", options.max_depth));
        break;
      case detail::YamlError::Kind::too_many:
        add(at, Code::too_many_elements, fmt::format("the file has more than {} YAML elements", options.max_elements));
        break;
      case detail::YamlError::Kind::syntax:
        add(at, Code::yaml_syntax, fmt::format("this is not valid YAML: {}", err.message), syntax_hint(text, err.line));
        break;
    }
    return r;
  }
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
  auto fail = [&](Code code, std::string message, std::string hint) {
    TestLoad r;
    Diagnostic d;
    d.where.file = path;
    d.code = code;
    d.message = std::move(message);
    d.hint = std::move(hint);
    r.diagnostics.push_back(std::move(d));
    return r;
  };
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path, ec)) return fail(Code::io_error, fmt::format("cannot read `{}`", path), "check the path");
  const auto size = fs::file_size(path, ec);
  if (!ec && size > options.max_file_bytes)
    return fail(Code::file_too_large, fmt::format("the file is {} bytes, over the limit of {}", size, options.max_file_bytes),
                "split the cases into several files");
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_tests_string(ss.str(), path, options);
}

}  // namespace patter
