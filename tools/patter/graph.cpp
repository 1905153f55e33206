// patter graph FILE [-o OUT]: the script as a Graphviz DOT graph.
#include <patter/patter.hpp>

#include <fstream>
#include <iostream>

#include "commands.hpp"

namespace patter::cli {

int graph(const GraphArgs& args) {
  const std::string& file = args.file;
  const std::string& output = args.output;
  const DotOptions& opt = args.dot;
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
