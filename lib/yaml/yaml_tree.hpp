// A compact, read-only YAML document built from yaml-cpp's event parser.
//
// yaml-cpp's own Node tree costs a shared_ptr per element and hides whether
// a node came from an alias; this tree is a flat array with source marks,
// aliases resolved to the anchored node (no copies, so alias bombs cost
// nothing to build), and hard limits on depth and element count checked
// while parsing, before any recursion can run away.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace patter::detail {

struct YamlNode {
  enum class Kind : std::uint8_t { null, scalar, sequence, map };
  Kind kind = Kind::null;
  bool quoted = false;     ///< scalar written in quotes or as a block: always text
  std::uint8_t inner = 0;  ///< columns from the token to its text (1 past an opening quote)
  std::uint32_t line = 0, column = 0;  ///< 1-based
  std::uint32_t first = 0;             ///< index into YamlTree::children
  std::uint32_t size = 0;  ///< sequence: items; map: 2 * pairs (key, value, key, value...)
  std::string_view value;  ///< scalar text: in the parsed text, or in YamlTree::owned_
};

/// The default budget on what a document expands to, every alias written
/// out (yaml/expansion.hpp): four times the largest file, so that no file
/// without aliases comes near it.
inline constexpr std::size_t kMaxExpandedBytes = std::size_t{64} << 20;

struct YamlError {
  /// too_many: elements, every alias counted as what it stands for;
  /// too_large: bytes, the same way. Both are placed at the element (most
  /// often the `*alias`) that went past the budget.
  enum class Kind : std::uint8_t { syntax, too_deep, too_many, empty, too_large };
  Kind kind = Kind::syntax;
  std::uint32_t line = 0, column = 0;
  std::string message;
};

class YamlTree {
 public:
  /// Parse the first document of `text` (already checked to be UTF-8).
  /// Returns false and fills `error` on failure.
  /// The fast reader (yaml/fast_yaml.hpp) is tried first; yaml-cpp reads
  /// whatever it declines.
  /// `max_elements` and `max_expanded_bytes` bound the document with every
  /// alias written out, checked as it is read.
  bool parse(std::string_view text, std::size_t max_depth, std::size_t max_elements,
             YamlError& error, std::size_t max_expanded_bytes = kMaxExpandedBytes);
  /// yaml-cpp alone: the reference, used by tests to check the fast reader.
  bool parse_with_yaml_cpp(std::string_view text, std::size_t max_depth, std::size_t max_elements,
                           YamlError& error, std::size_t max_expanded_bytes = kMaxExpandedBytes);

  const YamlNode& root() const { return nodes_.at(root_); }
  const YamlNode& child(const YamlNode& n, std::uint32_t i) const {
    return nodes_[children_[n.first + i]];
  }
  std::size_t node_count() const noexcept { return nodes_.size(); }

  // Used by the event handler while building.
  std::vector<YamlNode> nodes_;
  std::vector<std::uint32_t> children_;
  std::uint32_t root_ = 0;
  /// Scalars that differ from their source bytes (escapes, folding). A tree
  /// also borrows from the text it was parsed from: keep that text alive.
  std::deque<std::string> owned_;
  std::string_view own(std::string s) { return owned_.emplace_back(std::move(s)); }
};

/// "a map", "a list", "text", "nothing" — for messages.
std::string_view describe(const YamlNode& n);

}  // namespace patter::detail
