#include "yaml/reader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "text/suggest.hpp"
#include "yaml/syntax_cause.hpp"

namespace patter::detail {
namespace {

using Kind = YamlNode::Kind;

template <class Names>
std::string suggest(std::string_view word, const Names& names, std::string_view otherwise) {
  std::vector<std::string> cands(names.begin(), names.end());
  std::string hint = did_you_mean(word, cands);
  if (hint.empty()) hint = fmt::format("{}{}", otherwise, fmt::join(cands, ", "));
  return hint;
}

std::string_view not_a_value(const YamlNode& n) {
  return n.quoted ? std::string_view("quoted text") : describe(n);
}

// The scalar as a number (a leading + allowed, as YAML does); false when it
// is not one or not finite.
bool parse_double(std::string_view s, double& out) {
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && p == e && std::isfinite(out);
}

}  // namespace

std::string hint_for(std::string_view word, std::span<const std::string_view> names) {
  return suggest(word, names, "use one of: ");
}

std::string hint_for(std::string_view word, std::span<const std::string> names) {
  return suggest(word, names, "use one of: ");
}

std::string What::str() const {
  std::string s(pre);
  return s.append(name).append(post);
}

bool parse_yaml(std::string_view text, const std::string& file, const SourceLimits& limits,
                const SourceKind& kind, YamlTree& tree, std::vector<Diagnostic>& out) {
  YamlError err;
  if (tree.parse(text, limits.max_depth, limits.max_elements, err, limits.max_expanded_bytes))
    return true;
  const SourceLocation at{file, err.line, err.column};
  auto add = [&](SourceLocation where, Code code, std::string message, std::string_view hint) {
    out.push_back({std::move(where), Severity::error, code, std::move(message), std::string(hint)});
  };
  switch (err.kind) {
    case YamlError::Kind::empty:
      add({file, 0, 0}, Code::empty_document, "the file is empty", kind.empty_hint);
      break;
    case YamlError::Kind::too_deep:
      add(at, Code::nesting_too_deep,
          fmt::format("lists and maps are nested more than {} deep here", limits.max_depth),
          kind.deep_hint);
      break;
    case YamlError::Kind::too_many:
      add(at, Code::too_many_elements,
          fmt::format("the file has more than {} YAML elements here, each `*alias` counted as "
                      "everything it stands for",
                      limits.max_elements),
          kind.many_hint);
      break;
    case YamlError::Kind::too_large:
      add(at, Code::expands_too_large,
          fmt::format("the file expands to more than {} bytes here, each `*alias` counted as "
                      "the text it stands for",
                      limits.max_expanded_bytes),
          kind.expanded_hint);
      break;
    case YamlError::Kind::syntax:
      if (auto cause = syntax_cause(text, err.line)) {
        add({file, cause->line, cause->column}, Code::yaml_syntax, std::move(cause->message),
            cause->hint);
        break;
      }
      add(at, Code::yaml_syntax, fmt::format("this is not valid YAML: {}", err.message),
          kind.syntax_hint_at ? kind.syntax_hint_at(text, err.line)
                              : std::string(kind.syntax_hint));
      break;
  }
  return false;
}

void YamlReader::add(const YamlNode& n, Severity severity, Code code, std::string message,
                     std::string hint) {
  out_.push_back({at(n), severity, code, std::move(message), std::move(hint)});
}

void YamlReader::error(const YamlNode& n, Code code, std::string message, std::string hint) {
  add(n, Severity::error, code, std::move(message), std::move(hint));
}

void YamlReader::warn(const YamlNode& n, Code code, std::string message, std::string hint) {
  add(n, Severity::warning, code, std::move(message), std::move(hint));
}

bool YamlReader::duplicate_or_not_word(const YamlNode& k, const What& what, std::string_view* seen,
                                       std::size_t& n_seen, std::size_t capacity) {
  if (k.kind != Kind::scalar) {
    error(k, Code::wrong_type,
          fmt::format("a key in {} must be a plain word, not {}", what.str(), describe(k)));
    return true;
  }
  for (std::size_t j = 0; j < n_seen; ++j) {
    if (seen[j] == k.value) {
      error(k, Code::duplicate_key, fmt::format("`{}` appears twice in {}", k.value, what.str()),
            "keep one of them");
      return true;
    }
  }
  if (n_seen < capacity) seen[n_seen++] = k.value;
  return false;
}

void YamlReader::unknown_key(const YamlNode& key, const What& what,
                             std::span<const std::string_view> allowed) {
  error(key, Code::unknown_key, fmt::format("unknown key `{}` in {}", key.value, what.str()),
        suggest(key.value, allowed, "allowed here: "));
}

bool YamlReader::is_map(const YamlNode& n, const What& what, std::string_view shape,
                        std::string_view hint) {
  if (n.kind == Kind::map) return true;
  error(n, Code::wrong_type,
        shape.empty()
            ? fmt::format("{} must be a map of `key: value` lines, not {}", what.str(), describe(n))
            : fmt::format("{} must be a map: {}", what.str(), shape),
        std::string(hint));
  return false;
}

bool YamlReader::is_list(const YamlNode& n, const What& what, std::string_view example,
                         std::string_view hint) {
  visit();
  if (n.kind == Kind::sequence) return true;
  error(n, Code::wrong_type,
        example.empty()
            ? fmt::format("{} must be a list, not {}", what.str(), describe(n))
            : fmt::format("{} must be a list ({}), not {}", what.str(), example, describe(n)),
        std::string(hint));
  return false;
}

bool YamlReader::text(const YamlNode& n, const What& what, std::string& out) {
  visit();
  if (n.kind == Kind::scalar) {
    out = n.value;
    return true;
  }
  error(n, Code::wrong_type, fmt::format("{} must be text, not {}", what.str(), describe(n)));
  return false;
}

bool YamlReader::number(const YamlNode& n, const What& what, double& out, double lo, double hi,
                        std::string_view hint) {
  visit();
  if (n.kind != Kind::scalar || n.quoted) {
    error(n, Code::wrong_type,
          fmt::format("{} must be a number, not {}", what.str(), not_a_value(n)));
    return false;
  }
  double v = 0;
  if (!parse_double(n.value, v)) {
    error(n, Code::wrong_type,
          fmt::format("{} must be a number like 10 or -5, not `{}`", what.str(), n.value));
    return false;
  }
  if (v < lo || v > hi) {
    error(n, Code::invalid_value,
          fmt::format("{} is {}, outside {}..{}", what.str(), n.value, lo, hi), std::string(hint));
    return false;
  }
  out = v;
  return true;
}

bool YamlReader::integer(const YamlNode& n, const What& what, long long& out, long long lo,
                         long long hi) {
  visit();
  if (n.kind != Kind::scalar || n.quoted) {
    error(n, Code::wrong_type,
          fmt::format("{} must be a whole number, not {}", what.str(), not_a_value(n)));
    return false;
  }
  long long v = 0;
  const char* b = n.value.data();
  const char* e = b + n.value.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e) {
    error(n, Code::wrong_type,
          fmt::format("{} must be a whole number, not `{}`", what.str(), n.value));
    return false;
  }
  if (v < lo || v > hi) {
    error(n, Code::invalid_value, fmt::format("{} is {}, outside {}..{}", what.str(), v, lo, hi));
    return false;
  }
  out = v;
  return true;
}

bool YamlReader::boolean(const YamlNode& n, const What& what, bool& out) {
  visit();
  if (n.kind == Kind::scalar && !n.quoted) {
    const std::string_view v = n.value;
    if (v == "true" || v == "True" || v == "yes" || v == "on") return out = true, true;
    if (v == "false" || v == "False" || v == "no" || v == "off") return out = false, true;
  }
  error(n, Code::wrong_type,
        fmt::format(
            "{} must be true or false, not {}", what.str(),
            n.kind == Kind::scalar ? fmt::format("`{}`", n.value) : std::string(describe(n))));
  return false;
}

bool YamlReader::choice(const YamlNode& n, const What& what,
                        std::span<const std::string_view> allowed, std::string& out,
                        std::string_view article) {
  return text(n, what, out) && one_of(n, out, what, allowed, article);
}

bool YamlReader::one_of(const YamlNode& n, std::string_view value, const What& what,
                        std::span<const std::string_view> allowed, std::string_view article) {
  for (std::string_view a : allowed)
    if (a == value) return true;
  error(n, Code::invalid_value, fmt::format("`{}` is not {}{}", value, article, what.str()),
        hint_for(value, allowed));
  return false;
}

bool YamlReader::choice(const YamlNode& n, const What& what, std::span<const std::string> allowed,
                        std::string& out, std::string_view article) {
  if (!text(n, what, out)) return false;
  for (const std::string& a : allowed)
    if (a == out) return true;
  error(n, Code::invalid_value, fmt::format("`{}` is not {}{}", out, article, what.str()),
        hint_for(out, allowed));
  return false;
}

}  // namespace patter::detail
