// Drawing a DOT graph as SVG or PNG with Graphviz's `dot`, in a font that
// has the script's Chinese (or other CJK) characters.
#pragma once

#include <string>

namespace patter::cli {

struct Rendered {
  bool ok = false;
  std::string error;  ///< what went wrong and what to install or do
  std::string note;   ///< a warning that does not stop it (no CJK font found)
};

/// Runs `dot -T<format> -o <out>` on `dot_text`. `wide_text`: the graph has
/// CJK characters, so a font without them would draw boxes.
Rendered render(const std::string& dot_text, const std::string& format, const std::string& out,
                bool wide_text);

}  // namespace patter::cli
