// Reading a YAML tree into a model, for every kind of file patter reads
// (scripts and their libraries, conversation tests, personas): typed access
// to nodes, keys checked against an allowed list with "did you mean",
// bounded numbers, and every problem sent to one list of diagnostics that
// names the file, line and column.
//
//   YamlTree tree;
//   if (!parse_yaml(text, "p.yaml", limits, kPersonaWords, tree, diags)) return;
//   YamlReader r(tree, "p.yaml", diags);
//   r.each_key(tree.root(), "a persona file", {"share", "answer"}, [&](auto key, auto&, auto& v) {
//     if (key == "share") r.number(v, "`share`", share, 0, 1e12);
//     else r.number(v, "`answer`", answer, 0, 1);
//   });
//
// Each reader keeps what is its own (which keys mean what); the shapes of
// values, and the words for what is wrong with them, are written here once.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patter/diagnostic.hpp"
#include "yaml/source.hpp"
#include "yaml/yaml_tree.hpp"

namespace patter::detail {

/// What a value is, for messages ("`listen_ms`", "node `intro`"); only
/// spelled out when there is an error, since most values are fine.
struct What {
  std::string_view pre, name, post;
  What(const char* s) : pre(s) {}         // NOLINT: implicit on purpose
  What(std::string_view s) : pre(s) {}    // NOLINT: implicit on purpose
  What(const std::string& s) : pre(s) {}  // NOLINT: implicit on purpose
  What(std::string_view p, std::string_view n, std::string_view q) : pre(p), name(n), post(q) {}
  std::string str() const;
};

/// "did you mean `x`?" for a word close to one of `names`, else
/// "use one of: a, b, c".
std::string hint_for(std::string_view word, std::span<const std::string_view> names);
std::string hint_for(std::string_view word, std::span<const std::string> names);

/// Thrown by YamlReader::visit when aliases make a document larger than
/// the reader's budget allows.
struct YamlBudget {};

/// Parses `text` (already through check_source) into `tree`; on failure adds
/// one diagnostic (P004-P007) with the words of `kind` and returns false.
bool parse_yaml(std::string_view text, const std::string& file, const SourceLimits& limits,
                const SourceKind& kind, YamlTree& tree, std::vector<Diagnostic>& out);

class YamlReader {
 public:
  /// `max_visits` bounds the work when aliases make the tree a DAG.
  YamlReader(const YamlTree& tree, std::string file, std::vector<Diagnostic>& out,
             std::size_t max_visits = std::numeric_limits<std::size_t>::max())
      : tree_(tree), file_(std::move(file)), out_(out), max_visits_(max_visits) {}

  const YamlTree& tree() const { return tree_; }
  const std::string& file() const { return file_; }
  const YamlNode& child(const YamlNode& n, std::uint32_t i) const { return tree_.child(n, i); }
  SourceLocation at(const YamlNode& n) const { return {file_, n.line, n.column}; }

  // Cold: the compiler moves the paths that report out of the way of the
  // paths that read, so a load of a good script runs through less code.
  [[gnu::cold]] void error(const YamlNode& n, Code code, std::string message,
                           std::string hint = {});
  [[gnu::cold]] void warn(const YamlNode& n, Code code, std::string message, std::string hint = {});
  /// How many diagnostics the sink holds: to tell whether a part added any.
  std::size_t diagnostics() const { return out_.size(); }

  /// Counts one step of the walk; throws YamlBudget past the budget.
  void visit() {
    if (++visits_ > max_visits_) throw YamlBudget{};
  }
  /// The last key read: where the walk was when the budget ran out.
  const YamlNode* last() const { return last_; }

  /// Calls fn(key, keynode, value) for each pair of `map` whose key is a
  /// plain word and not seen before in it (both reported otherwise).
  template <class Fn>
  void each_pair(const YamlNode& map, const What& what, Fn&& fn);
  /// each_pair, reporting keys outside `allowed` (with a suggestion).
  template <class Fn>
  void each_key(const YamlNode& map, const What& what, std::span<const std::string_view> allowed,
                Fn&& fn);
  template <class Fn>
  void each_key(const YamlNode& map, const What& what,
                std::initializer_list<std::string_view> allowed, Fn&& fn) {
    each_key(map, what, std::span<const std::string_view>(allowed.begin(), allowed.size()), fn);
  }
  /// P010 for `key` in `what`: "did you mean", or the keys allowed there.
  void unknown_key(const YamlNode& key, const What& what,
                   std::span<const std::string_view> allowed);
  void unknown_key(const YamlNode& key, const What& what,
                   std::initializer_list<std::string_view> allowed) {
    unknown_key(key, what, std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }

  /// True for a map; else P011 "<what> must be a map of `key: value`
  /// lines", or with `shape` "<what> must be a map: <shape>".
  bool is_map(const YamlNode& n, const What& what, std::string_view shape = {},
              std::string_view hint = {});
  /// True for a list; else P011 "<what> must be a list (<example>), not ...".
  bool is_list(const YamlNode& n, const What& what, std::string_view example = {},
               std::string_view hint = {});
  /// A single value as text; else P011.
  bool text(const YamlNode& n, const What& what, std::string& out);
  /// A single value or a list of them, each through conv(node, item).
  template <class T, class Conv>
  void list(const YamlNode& n, const What& what, std::vector<T>& out, Conv conv);
  void strings(const YamlNode& n, const What& what, std::vector<std::string>& out) {
    list(n, what, out, [&](const YamlNode& c, std::string& s) { return text(c, what, s); });
  }
  /// A number within lo..hi; P011 when it is not one, P014 outside (with
  /// `hint`, when given).
  bool number(const YamlNode& n, const What& what, double& out, double lo, double hi,
              std::string_view hint = {});
  /// A whole number within lo..hi.
  bool integer(const YamlNode& n, const What& what, long long& out, long long lo, long long hi);
  template <class I>
  bool integer(const YamlNode& n, const What& what, I& out, long long lo, long long hi) {
    long long v = 0;
    if (!integer(n, what, v, lo, hi)) return false;
    out = static_cast<I>(v);
    return true;
  }
  /// true/false (also yes/no, on/off, True/False).
  bool boolean(const YamlNode& n, const What& what, bool& out);
  /// One of `allowed`; else P014 "`x` is not <article><what>" with a
  /// suggestion ("`fr` is not a valid locale", "`fine` is not a step status").
  bool choice(const YamlNode& n, const What& what, std::span<const std::string_view> allowed,
              std::string& out, std::string_view article = {});
  bool choice(const YamlNode& n, const What& what, std::span<const std::string> allowed,
              std::string& out, std::string_view article = {});
  /// The same check on `value`, already read from `n`.
  bool one_of(const YamlNode& n, std::string_view value, const What& what,
              std::span<const std::string_view> allowed, std::string_view article = {});

 private:
  void add(const YamlNode& n, Severity severity, Code code, std::string message, std::string hint);
  bool duplicate_or_not_word(const YamlNode& k, const What& what, std::string_view* seen,
                             std::size_t& n_seen, std::size_t capacity);

  const YamlTree& tree_;
  std::string file_;
  std::vector<Diagnostic>& out_;
  std::size_t max_visits_;
  std::size_t visits_ = 0;
  const YamlNode* last_ = nullptr;
};

template <class Fn>
void YamlReader::each_pair(const YamlNode& map, const What& what, Fn&& fn) {
  visit();
  // Maps of the formats have a few keys: a small array, no allocation;
  // past it, duplicates go unnoticed rather than slow.
  constexpr std::size_t kSeen = 64;
  std::string_view seen[kSeen];
  std::size_t n_seen = 0;
  for (std::uint32_t i = 0; i + 1 < map.size; i += 2) {
    const YamlNode& k = child(map, i);
    last_ = &k;
    visit();
    if (duplicate_or_not_word(k, what, seen, n_seen, kSeen)) continue;
    fn(std::string_view(k.value), k, child(map, i + 1));
  }
}

template <class Fn>
void YamlReader::each_key(const YamlNode& map, const What& what,
                          std::span<const std::string_view> allowed, Fn&& fn) {
  each_pair(map, what, [&](std::string_view key, const YamlNode& k, const YamlNode& v) {
    for (std::string_view a : allowed)
      if (a == key) return fn(key, k, v);
    unknown_key(k, what, allowed);
  });
}

template <class T, class Conv>
void YamlReader::list(const YamlNode& n, const What& what, std::vector<T>& out, Conv conv) {
  visit();
  if (n.kind == YamlNode::Kind::sequence) {
    for (std::uint32_t i = 0; i < n.size; ++i) {
      T item;
      if (conv(child(n, i), item)) out.push_back(std::move(item));
    }
  } else if (n.kind == YamlNode::Kind::scalar) {
    T item;
    if (conv(n, item)) out.push_back(std::move(item));
  } else {
    error(n, Code::wrong_type,
          std::string(what.str()).append(" must be text or a list, not ").append(describe(n)));
  }
}

}  // namespace patter::detail
