// What a YAML document expands to when every `*alias` is written out: the
// budget both readers keep while parsing, so that an alias bomb (a few
// lines that stand for gigabytes) is refused before anything copies it.
//
// The trees the readers build never copy an alias (it points at its
// anchor), but whatever reads the tree into a model does: one long phrase
// used through nested aliases becomes gigabytes of strings. So every
// element is counted as if written out: one element and its scalar's bytes
// plus one, and an alias as everything its anchor holds.
//
//   Expansion budget(limits.max_expanded_bytes, limits.max_elements);
//   budget.element();                 // at each node made
//   budget.bytes(value.size());       // at each scalar's value
//   budget.open(id);                  // an anchored map or list starts
//   budget.close(id);                 // ... and ends
//   budget.alias(tree, id);           // `*name` standing for node `id`
//   if (budget.over() != Expansion::Over::none) refuse here
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "yaml/yaml_tree.hpp"

namespace patter::detail {

class Expansion {
 public:
  enum class Over : std::uint8_t { none, bytes, elements };

  Expansion(std::size_t max_bytes, std::size_t max_elements)
      : max_bytes_(max_bytes), max_elements_(max_elements) {}

  /// One node written in the text (a key, a value, a map or a list).
  void element() {
    ++elements_;
    ++bytes_;
  }
  /// The bytes of a scalar's value.
  void bytes(std::size_t n) { bytes_ += n; }
  /// An anchored map or list starts at node `id` (after element() for it).
  void open(std::uint32_t id) { spans_[id] = {bytes_ - 1, elements_ - 1, false}; }
  /// A map or list ends: an anchored one now knows its size.
  void close(std::uint32_t id);
  /// An alias of node `id`: counts everything the anchor holds. An alias
  /// inside its own anchor (a cycle) counts what the anchor holds so far.
  void alias(const YamlTree& tree, std::uint32_t id);

  /// Which budget the document has gone past, if any.
  Over over() const {
    if (bytes_ > max_bytes_) return Over::bytes;
    if (elements_ > max_elements_) return Over::elements;
    return Over::none;
  }

 private:
  static void add(std::uint64_t& total, std::uint64_t n);

  struct Span {
    std::uint64_t bytes, elements;  // at the start, then (closed) the size
    bool closed;
  };
  std::uint64_t max_bytes_, max_elements_;
  std::uint64_t bytes_ = 0, elements_ = 0;
  std::unordered_map<std::uint32_t, Span> spans_;
};

}  // namespace patter::detail
