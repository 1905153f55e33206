// patter graph FILE [-o OUT.dot] [--svg OUT.svg] [--png OUT.png]: the script
// as a Graphviz DOT graph, and drawn with Graphviz when asked.
#include <patter/patter.hpp>

#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "render.hpp"

namespace patter::cli {
namespace {

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (out) return true;
  std::cerr << "patter: cannot write `" << path << "`; check that its folder exists\n";
  return false;
}

bool wide(const Script& s) {
  const std::string& l = s.locale();
  return l.rfind("zh", 0) == 0 || l.rfind("ja", 0) == 0 || l.rfind("ko", 0) == 0;
}

}  // namespace

int graph(const GraphArgs& args) {
  const patter::LoadResult r = patter::load_file(args.file);
  for (const auto& d : r.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!r.ok()) return 1;
  const std::string dot = patter::to_dot(*r.script, args.dot);
  if (args.output.empty() && args.svg.empty() && args.png.empty()) {
    std::cout << dot;
    return 0;
  }
  if (!args.output.empty() && !write_file(args.output, dot)) return 1;
  for (const auto& [format, out] : {std::pair{"svg", &args.svg}, std::pair{"png", &args.png}}) {
    if (out->empty()) continue;
    const Rendered drawn = render(dot, format, *out, wide(*r.script));
    if (!drawn.note.empty()) std::cerr << "patter: note: " << drawn.note << '\n';
    if (!drawn.ok) {
      std::cerr << "patter: " << drawn.error << '\n';
      return 1;
    }
  }
  return 0;
}

}  // namespace patter::cli
