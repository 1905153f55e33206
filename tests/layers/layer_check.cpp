// Checks that every #include under lib/, include/ and tools/ goes down the
// layers written in lib/LAYERS (or sideways, within one layer), never up.
//
//   patter_layer_check ROOT [--docs FILE...]
//
// Each finding names the file, line and column of the include and the two
// layers. With --docs, each FILE (relative to ROOT) must show the order as
// written here ("text → yaml → ..."), so the README and the docs cannot
// drift from the list. Exit status: 0 when all is in order, 1 otherwise.
#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Layers {
  std::vector<std::string> names;                          // lowest first
  std::vector<std::pair<std::string, std::size_t>> paths;  // path -> layer index
};

struct Checker {
  fs::path root;
  Layers layers;
  int errors = 0;
  std::size_t files = 0, includes = 0;

  void error(const std::string& where, const std::string& what) {
    std::cerr << where << ": error: " << what << '\n';
    ++errors;
  }
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// lib/LAYERS: "name: path path ..." a line, lowest first; '#' starts a comment.
void read_layers(Checker& c) {
  const fs::path file = c.root / "lib" / "LAYERS";
  const auto text = read_file(file);
  if (!text) {
    c.error(file.string() + ":1:1",
            "cannot read the list of layers: write it (see README.md, Layout)");
    return;
  }
  std::istringstream in(*text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const std::string where = "lib/LAYERS:" + std::to_string(n) + ":1";
    const auto colon = line.find(':');
    if (colon == std::string::npos || trim(line.substr(0, colon)).empty()) {
      c.error(where, "expected `name: paths...`, got `" + line + "`");
      continue;
    }
    c.layers.names.push_back(trim(line.substr(0, colon)));
    std::istringstream paths(line.substr(colon + 1));
    for (std::string p; paths >> p;) {
      if (!fs::exists(c.root / p))
        c.error(where, "`" + p + "` does not exist: remove it or fix its spelling");
      c.layers.paths.emplace_back(p, c.layers.names.size() - 1);
    }
  }
  if (c.layers.names.empty()) c.error(file.string() + ":1:1", "no layers in the list");
}

// The layer of a path relative to the root: the longest listed path that is
// the file itself or a folder holding it.
std::optional<std::size_t> layer_of(const Layers& layers, const std::string& rel) {
  std::optional<std::size_t> best;
  std::size_t best_len = 0;
  for (const auto& [path, layer] : layers.paths) {
    const bool folder = !path.empty() && path.back() == '/';
    const bool holds = folder ? rel.compare(0, path.size(), path) == 0 : rel == path;
    if (holds && path.size() >= best_len) {
      best = layer;
      best_len = path.size();
    }
  }
  return best;
}

std::string relative(const Checker& c, const fs::path& p) {
  return fs::relative(p, c.root).generic_string();
}

// Where an include leads, the way the build finds it: next to the file,
// then include/ and lib/. Headers of other projects resolve to nothing.
std::optional<std::string> resolve(const Checker& c, const fs::path& from,
                                   const std::string& name) {
  for (const fs::path& dir : {from.parent_path(), c.root / "include", c.root / "lib"}) {
    const fs::path p = dir / name;
    if (fs::is_regular_file(p)) return relative(c, fs::weakly_canonical(p));
  }
  return std::nullopt;
}

void check_file(Checker& c, const fs::path& file) {
  const std::string rel = relative(c, file);
  const auto own = layer_of(c.layers, rel);
  if (!own) {
    c.error(rel + ":1:1",
            "belongs to no layer: add its folder to lib/LAYERS at its place in the order");
    return;
  }
  ++c.files;
  static const std::regex include_re(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::istringstream in(read_file(file).value_or(""));
  std::string line;
  std::smatch m;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!std::regex_search(line, m, include_re)) continue;
    const auto target = resolve(c, file, m[2].str());
    if (!target) continue;
    ++c.includes;
    const auto theirs = layer_of(c.layers, *target);
    const std::string where =
        rel + ":" + std::to_string(n) + ":" + std::to_string(m.position(1) + 1);
    // A target in no layer is a file of the tree, reported on its own.
    if (theirs && *theirs > *own) {
      c.error(where, "includes \"" + m[2].str() + "\" of layer `" + c.layers.names[*theirs] +
                         "`, above its own layer `" + c.layers.names[*own] +
                         "`: move the code that needs it up to that layer, or hand it what it "
                         "needs from below (the order is in lib/LAYERS)");
    }
  }
}

bool is_source(const fs::path& p) {
  static const std::vector<std::string> exts = {".cpp", ".hpp", ".h", ".cc", ".ipp"};
  return std::find(exts.begin(), exts.end(), p.extension().string()) != exts.end();
}

void check_tree(Checker& c) {
  std::vector<fs::path> files;
  for (const char* top : {"lib", "include", "tools"}) {
    if (!fs::is_directory(c.root / top)) continue;
    for (const auto& e : fs::recursive_directory_iterator(c.root / top))
      if (e.is_regular_file() && is_source(e.path())) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) check_file(c, f);
}

std::string order(const Layers& layers) {
  std::string out;
  for (const std::string& n : layers.names) out += (out.empty() ? "" : " → ") + n;
  return out;
}

void check_docs(Checker& c, const std::vector<std::string>& docs) {
  const std::string want = order(c.layers);
  for (const std::string& d : docs) {
    const auto text = read_file(c.root / d);
    if (!text)
      c.error(d + ":1:1", "cannot read it");
    else if (text->find(want) == std::string::npos)
      c.error(d + ":1:1", "does not show the layers as lib/LAYERS orders them; write \"" + want +
                              "\" where it describes them");
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: patter_layer_check ROOT [--docs FILE...]\n";
    return 2;
  }
  Checker c;
  c.root = fs::weakly_canonical(argv[1]);
  std::vector<std::string> docs;
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) != "--docs") docs.emplace_back(argv[i]);
  read_layers(c);
  if (!c.layers.names.empty()) {
    check_tree(c);
    check_docs(c, docs);
  }
  if (c.errors) {
    std::cerr << c.errors << " finding(s) against the layers " << order(c.layers) << '\n';
    return 1;
  }
  std::cout << c.files << " files, " << c.includes << " includes, all in the order "
            << order(c.layers) << '\n';
  return 0;
}
