// Starting a call: a fresh state, the host's variables checked and set;
// and the transcript the call may keep.

#include "runtime/session_engine.hpp"
#include "text/suggest.hpp"

namespace patter {

namespace {

/// Longest text value a host may pass for a variable (Session::start).
constexpr std::size_t kMaxVariableBytes = std::size_t{1} << 20;

/// A name or value from the host as an error message quotes it: whole when
/// short, else its first 64 bytes (cut between characters) and "…".
std::string quoted(std::string_view v) {
  if (v.size() <= 64) return std::string(v);
  return std::string(detail::utf8_head(v, 64)) + "…";
}

constexpr auto parse_bool = SessionEngine::parse_bool;

/// A host's value for variable `id`, checked and set; or what is wrong.
std::string set_from_host(Session& s, VariableId id, std::string_view name,
                          std::string_view value) {
  switch (s.script().variables()[id].type) {
    case Variable::Type::text:
      if (value.size() > kMaxVariableBytes)
        return fmt::format(
            "variable `{}` is {} bytes long; a text value is at most {} bytes (1 MiB): "
            "pass a shorter one",
            name, value.size(), kMaxVariableBytes);
      if (const std::size_t bad = detail::find_invalid_utf8(value); bad != std::string_view::npos)
        return fmt::format(
            "variable `{}` is not UTF-8 (byte {} of its value); the robot would say those "
            "bytes: convert the text to UTF-8 first",
            name, bad);
      SessionAccess::set_text(s, id, value);
      return {};
    case Variable::Type::number:
      if (auto n = detail::parse_number(value)) {
        SessionAccess::set_number(s, id, *n);
        return {};
      }
      return fmt::format(
          "variable `{}` is a number, and `{}` is not one; pass digits such as `320`", name,
          quoted(value));
    case Variable::Type::boolean:
      if (auto b = parse_bool(value)) {
        SessionAccess::set_number(s, id, *b ? 1 : 0);
        return {};
      }
      return fmt::format(
          "variable `{}` is true or false, and `{}` is neither; pass `true` or `false`", name,
          quoted(value));
    case Variable::Type::time:
      if (auto ms = detail::parse_time_value(value)) {
        SessionAccess::set_time(s, id, *ms, value);
        return {};
      }
      return fmt::format(
          "variable `{}` is a time, and `{}` is not one; pass milliseconds since 1970 UTC, such "
          "as `1796133600000`",
          name, quoted(value));
  }
  return {};
}

}  // namespace

Session::Session(std::shared_ptr<const Script> script, SessionOptions options)
    : script_(std::move(script)) {
  SessionAccess::init(st_, *script_);
  if (options.transcript) st_.transcript.emplace().cap = options.transcript;
  const SessionLayout l(*script_);
  if (l.seed_words != 0)
    st_.counts.data()[l.seed()] =
        static_cast<std::uint16_t>(patter::variant_seed(options.variant_key));
}

const std::vector<TranscriptEntry>& Session::transcript() const noexcept {
  static const std::vector<TranscriptEntry> none;
  return st_.transcript ? st_.transcript->lines : none;
}

Started Session::start(std::shared_ptr<const Script> script,
                       std::initializer_list<VariableValue> variables, SessionOptions options) {
  return start(std::move(script),
               std::span<const VariableValue>(variables.begin(), variables.size()), options);
}

Started Session::start(std::shared_ptr<const Script> script,
                       std::span<const VariableValue> variables, SessionOptions options) {
  if (!script)
    return Failure{StartError::no_script,
                   "no script: load one first (patter::load_file) and check LoadResult::ok()"};
  Session s(script, options);
  const auto& decl = script->variables();
  std::vector<bool> given(decl.size(), false);
  for (VariableId i = 0; i < decl.size(); ++i) {
    const Variable& v = decl[i];
    if (!v.default_value) continue;
    if (v.type == Variable::Type::number) {
      if (auto n = detail::parse_number(*v.default_value)) SessionAccess::set_number(s, i, *n);
    } else if (v.type == Variable::Type::boolean) {
      if (auto b = parse_bool(*v.default_value)) SessionAccess::set_number(s, i, *b ? 1 : 0);
    }
  }
  for (const auto& [name, value] : variables) {
    auto id = script->find_variable(name);
    if (!id) {
      std::vector<std::string> names;
      for (const Variable& v : decl) names.push_back(v.name);
      // A name longer than any declared one by far is no typo of one.
      std::string hint = name.size() <= 256 ? detail::did_you_mean(name, names) : std::string();
      return Failure{
          StartError::unknown_variable,
          fmt::format("variable `{}` is not declared in script `{}`{}", quoted(name), script->id(),
                      hint.empty() ? std::string("; declare it under `variables:` or leave it out")
                                   : "; " + hint)};
    }
    if (std::string error = set_from_host(s, *id, name, value); !error.empty())
      return Failure{StartError::bad_value, std::move(error)};
    given[*id] = true;
  }
  for (VariableId i = 0; i < decl.size(); ++i) {
    if (decl[i].required && !given[i]) {
      return Failure{StartError::missing_variable,
                     fmt::format("variable `{}` is required by script `{}` and was not given; "
                                 "pass it when the call starts",
                                 decl[i].name, script->id())};
    }
  }
  return s;
}

void Session::record(TranscriptEntry::Who who, std::uint64_t at, NodeId node, IntentId intent,
                     std::string_view text) {
  if (!st_.transcript) return;
  std::vector<TranscriptEntry>& lines = st_.transcript->lines;
  if (lines.size() >= st_.transcript->cap) lines.erase(lines.begin());
  TranscriptEntry& e = lines.emplace_back();
  e.who = who;
  e.at_ms = at;
  e.node = node;
  e.intent = intent;
  e.text.assign(detail::utf8_head(text, kTranscriptTextMax));
}

}  // namespace patter
