// A fast reader for the YAML that scripts are written in.
//
// yaml-cpp's scanner costs about a thousand instructions per byte, which
// puts a 10,000-node script near half a second. Scripts use a small, plain
// part of YAML: block maps and lists, one-line flow lists and maps, plain
// and quoted one-line scalars, comments, anchors and aliases. This reader
// handles exactly that part, an order of magnitude faster, and builds the
// same YamlTree (same values, same marks). On anything else — block
// scalars, multi-line scalars, tags, directives, several documents, and
// every syntax error — it answers `unsupported` without guessing, and
// YamlTree::parse hands the text to yaml-cpp, which stays the reference for
// the full language and for error messages. tests/yaml_tree_test.cpp checks
// that both readers build identical trees; bench/README.md ("One parser or
// two") measures why this reader is kept.
#pragma once

#include <cstddef>
#include <string_view>

#include "yaml/yaml_tree.hpp"

namespace patter::detail {

/// True when `tree` now holds the document. False means "not in the fast
/// subset, not valid YAML, or over a limit": the caller must use yaml-cpp,
/// which reports the problem properly. Never recurses deeper than
/// `max_depth`, and stops as soon as the document, every alias written out,
/// has more than `max_elements` elements or `max_expanded_bytes` bytes
/// (yaml/expansion.hpp).
bool fast_parse_yaml(std::string_view text, std::size_t max_depth, std::size_t max_elements,
                     YamlTree& tree, std::size_t max_expanded_bytes = kMaxExpandedBytes);

}  // namespace patter::detail
