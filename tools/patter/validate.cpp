// patter validate [--json] [--werror] FILE...: check scripts and libraries.
#include <patter/json_writer.hpp>
#include <patter/patter.hpp>

#include <fstream>
#include <iostream>

#include "commands.hpp"

namespace patter::cli {
namespace {

struct Checked {
  bool library = false;
  LoadResult load;
  std::size_t errors = 0, warnings = 0;
};

Checked check(const std::string& file) {
  Checked c;
  std::string head(4096, '\0');
  {
    std::ifstream in(file, std::ios::binary);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
  }
  c.library = is_library(head);
  if (c.library)
    c.load.diagnostics = check_library_file(file);
  else
    c.load = load_file(file);
  for (const Diagnostic& d : c.load.diagnostics) {
    c.errors += d.severity == Severity::error;
    c.warnings += d.severity == Severity::warning;
  }
  return c;
}

void write_json(JsonWriter& w, const std::string& file, const Checked& c, bool bad) {
  w.object().field("file", file).field("ok", !bad).field("kind", c.library ? "library" : "script");
  if (c.load.ok()) {
    const Script& s = *c.load.script;
    w.field("id", s.id()).field("fingerprint", s.fingerprint());
    w.field("nodes", s.nodes().size()).field("intents", s.intents().size());
  }
  w.key("diagnostics").array();
  for (const Diagnostic& d : c.load.diagnostics) {
    w.object()
        .field("file", d.where.file)
        .field("line", d.where.line)
        .field("column", d.where.column);
    w.field("severity", to_string(d.severity))
        .field("code", code_name(d.code))
        .field("name", code_id(d.code));
    w.field("message", d.message).field("hint", d.hint).end();
  }
  w.end().end();
}

void print(const std::string& file, const Checked& c) {
  for (const Diagnostic& d : c.load.diagnostics) std::cerr << format(d) << '\n';
  auto warnings = [&] {
    if (c.warnings) std::cout << ", " << c.warnings << (c.warnings == 1 ? " warning" : " warnings");
    std::cout << '\n';
  };
  if (c.library && c.errors == 0) {
    std::cout << file << ": ok — library";
    warnings();
  } else if (c.load.ok()) {
    const Script& s = *c.load.script;
    std::cout << file << ": ok — " << s.id() << ' ' << s.version() << ", " << s.nodes().size()
              << " nodes, " << s.intents().size() << " intents";
    warnings();
  } else {
    std::cout << file << ": " << c.errors << (c.errors == 1 ? " error" : " errors") << '\n';
  }
}

}  // namespace

int validate(const ValidateArgs& args) {
  bool failed = false;
  JsonWriter w;
  w.array();
  for (const std::string& file : args.files) {
    const Checked c = check(file);
    const bool bad =
        c.errors > 0 || (!c.library && !c.load.ok()) || (args.werror && c.warnings > 0);
    failed = failed || bad;
    if (args.json)
      write_json(w, file, c, bad);
    else
      print(file, c);
  }
  if (args.json) std::cout << w.end().str() << '\n';
  return failed ? 1 : 0;
}

}  // namespace patter::cli
