// patter graph FILE [-o OUT]: the script as a Graphviz DOT graph.
#include <patter/patter.hpp>

#include <fstream>
#include <iostream>

#include "commands.hpp"

namespace patter::cli {

int graph(const std::vector<std::string>& args) {
  std::string file, output;
  patter::DotOptions opt;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) return usage_error("`-o` needs a file name");
      output = args[++i];
    } else if (a == "--no-globals") {
      opt.show_globals = false;
    } else if (a == "--no-fallbacks") {
      opt.show_fallbacks = false;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option `" + a + "` for graph");
    } else if (file.empty()) {
      file = a;
    } else {
      return usage_error("graph takes one FILE");
    }
  }
  if (file.empty()) return usage_error("graph needs a FILE");
  const patter::LoadResult r = patter::load_file(file);
  for (const auto& d : r.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!r.ok()) return 1;
  const std::string dot = patter::to_dot(*r.script, opt);
  if (output.empty()) {
    std::cout << dot;
    return 0;
  }
  std::ofstream out(output, std::ios::binary);
  out << dot;
  if (!out) {
    std::cerr << "patter: cannot write `" << output << "`\n";
    return 1;
  }
  return 0;
}

}  // namespace patter::cli
