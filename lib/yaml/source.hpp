// The text of an input file, checked the same way for every kind of file
// patter reads (scripts and their includes, conversation tests, personas,
// evaluation sets): no larger than the limit (asked of the file system
// before a byte is read), a UTF-8 byte-order mark dropped, valid UTF-8,
// and for YAML no control characters (yaml-cpp would stop at a NUL
// without a word).
//
//   std::string text;
//   if (!read_source(path, limits, kPersonaWords, text, diags)) return;  // P001-P004 said
//   std::string_view checked;
//   if (!check_source(text, path, limits, kPersonaWords, checked, diags)) return;
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "patter/diagnostic.hpp"

namespace patter::detail {

/// How large an input may be. Depth, elements and expanded bytes count
/// YAML collections and values, checked while parsing (before any
/// recursion can run away, and before anything copies what an alias
/// stands for: elements and bytes count every alias written out).
struct SourceLimits {
  std::size_t max_file_bytes = 16u << 20;
  std::size_t max_depth = 32;
  std::size_t max_elements = 2'000'000;
  std::size_t max_expanded_bytes = std::size_t{64} << 20;
};

/// The words a kind of file is spoken of with in its diagnostics.
struct SourceKind {
  std::string_view noun = "the file";  ///< "{noun} is N bytes, over the limit of M"
  std::string_view too_large_hint = {};
  std::string_view unreadable = {};  ///< "cannot read {unreadable}`path`": "" or "persona file "
  std::string_view unreadable_hint = "check the path";
  std::string_view utf8_hint = "save the file as UTF-8";
  bool yaml = true;                     ///< control characters are refused
  std::string_view control_where = {};  ///< " in a script": after "is not allowed"
  std::string_view control_hint = "delete it";
  std::string_view empty_hint = {};  ///< for P007
  std::string_view deep_hint = {};   ///< for P005
  std::string_view many_hint = {};   ///< for P006
  std::string_view expanded_hint =   ///< for P008
      "use fewer `*alias` references (write the text out where it is needed)";
  std::string_view syntax_hint =
      "check the indentation and quoting on this line and the one before";
  /// A better hint for a syntax error at `line`, or "" for syntax_hint.
  std::string (*syntax_hint_at)(std::string_view text, std::uint32_t line) = nullptr;
};

/// 1-based line and column (in characters) of a byte offset of `text`.
SourceLocation locate(const std::string& file, std::string_view text, std::size_t offset);

/// Reads the file at `path` into `text`. False, with a diagnostic (P001 or
/// P002), when it cannot be read or is over limits.max_file_bytes; a file
/// too large is refused before it is read.
bool read_source(const std::string& path, const SourceLimits& limits, const SourceKind& kind,
                 std::string& text, std::vector<Diagnostic>& out);

/// Checks text in memory (read by read_source or handed over by a host):
/// its size, then UTF-8 (P003) and for YAML control characters (P004).
/// `checked` is `text` without a byte-order mark.
bool check_source(std::string_view text, const std::string& file, const SourceLimits& limits,
                  const SourceKind& kind, std::string_view& checked, std::vector<Diagnostic>& out);

/// P002 for a file of `size` bytes (0: size not known) over the limit.
Diagnostic source_too_large(const std::string& file, std::size_t size, const SourceLimits& limits,
                            const SourceKind& kind);

}  // namespace patter::detail
