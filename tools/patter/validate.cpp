// patter validate [--json] [--werror] FILE...: check scripts, intent
// libraries, conversation test files and persona files, each as what its
// header says it is, so `patter validate scripts/*.yaml` works on a folder
// where tests and personas sit beside the scripts.
#include <patter/json_writer.hpp>
#include <patter/patter.hpp>
#include <patter/tooling/conversation_test.hpp>
#include <patter/tooling/simulation.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>

#include "commands.hpp"

namespace patter::cli {
namespace {

enum class Kind { script, library, tests, personas };

const char* to_string(Kind k) {
  switch (k) {
    case Kind::library: return "library";
    case Kind::tests: return "tests";
    case Kind::personas: return "personas";
    case Kind::script: break;
  }
  return "script";
}

struct Checked {
  Kind kind = Kind::script;
  LoadResult load;      ///< the script, for a script; the diagnostics, for every kind
  std::string what;     ///< after "ok — ": what the file holds
  std::string skipped;  ///< why it was not checked (a personas file without its script)
  std::size_t errors = 0, warnings = 0;
};

std::string head_of(const std::string& file) {
  std::string head(4096, '\0');
  std::ifstream in(file, std::ios::binary);
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

/// The value of a top-level `key:` among the first lines, or empty.
std::string top_value(const std::string& head, const char* key) {
  const std::regex re(std::string("(^|\n)") + key + R"(:[ \t]*["']?([^"'\s#]*))");
  std::smatch m;
  return std::regex_search(head, m, re) ? m[2].str() : std::string();
}

bool has_top_key(const std::string& head, const char* key) {
  return std::regex_search(head, std::regex(std::string("(^|\n)") + key + ":"));
}

Kind kind_of(const std::string& file, const std::string& head) {
  if (has_top_key(head, "patter_personas")) return Kind::personas;
  if (has_top_key(head, "patter_tests") || is_tests_file(file) ||
      (has_top_key(head, "cases") && !has_top_key(head, "nodes")))
    return Kind::tests;
  if (is_library(head)) return Kind::library;
  return Kind::script;
}

/// Scripts already loaded in this run, by id: a personas file names its
/// script by id.
using Loaded = std::map<std::string, std::shared_ptr<const Script>>;

void check_tests_file(const std::string& file, Checked& c) {
  TestLoad t = load_tests_file(file);
  c.load.diagnostics = t.diagnostics;
  if (!t.ok()) return;
  LoadResult s = load_file(t.suite->script);
  for (const Diagnostic& d : s.diagnostics)
    if (d.severity == Severity::error) c.load.diagnostics.push_back(d);
  if (!s.ok()) return;
  for (Diagnostic& d : check_tests(*t.suite, *s.script)) c.load.diagnostics.push_back(std::move(d));
  c.what = "tests, " + std::to_string(t.suite->cases.size()) + " cases for " + s.script->id();
}

/// The script a personas file is for: one given on the same command line
/// with the id it names, else NAME.yaml beside it or in ../scripts/.
std::shared_ptr<const Script> script_for_personas(const std::string& file, const std::string& id,
                                                  const Loaded& loaded) {
  if (auto it = loaded.find(id); it != loaded.end()) return it->second;
  namespace fs = std::filesystem;
  const fs::path p(file);
  std::string name = p.filename().string();
  name = name.substr(0, name.find(".personas.yaml")) + ".yaml";
  for (const fs::path& candidate :
       {p.parent_path() / name, p.parent_path() / ".." / "scripts" / name}) {
    std::error_code ec;
    if (!fs::is_regular_file(candidate, ec)) continue;
    LoadResult r = load_file(candidate.string());
    if (r.ok() && (id.empty() || r.script->id() == id)) return r.script;
  }
  return nullptr;
}

void check_personas_file(const std::string& file, const std::string& head, const Loaded& loaded,
                         Checked& c) {
  const std::string id = top_value(head, "script");
  std::shared_ptr<const Script> script = script_for_personas(file, id, loaded);
  if (!script) {
    c.skipped = "personas for script `" + id +
                "`, not checked: give the script too (`patter validate SCRIPT " + file +
                "`) or keep it as scripts/NAME.yaml beside personas/NAME.personas.yaml";
    return;
  }
  PersonaLoad p = load_personas_file(file, *script);
  c.load.diagnostics = std::move(p.diagnostics);
  if (p.ok())
    c.what = "personas, " + std::to_string(p.personas->personas.size()) + " for " + script->id();
}

Checked check(const std::string& file, const std::string& head, const Loaded& loaded) {
  Checked c;
  c.kind = kind_of(file, head);
  switch (c.kind) {
    case Kind::library:
      c.load.diagnostics = check_library_file(file);
      c.what = "library";
      break;
    case Kind::tests: check_tests_file(file, c); break;
    case Kind::personas: check_personas_file(file, head, loaded, c); break;
    case Kind::script:
      c.load = load_file(file);
      if (c.load.ok()) {
        const Script& s = *c.load.script;
        c.what = s.id() + (s.version().empty() ? "" : " " + s.version()) + ", " +
                 std::to_string(s.nodes().size()) + " nodes, " +
                 std::to_string(s.intents().size()) + " intents";
      }
      break;
  }
  for (const Diagnostic& d : c.load.diagnostics) {
    c.errors += d.severity == Severity::error;
    c.warnings += d.severity == Severity::warning;
  }
  return c;
}

/// Checked, and nothing wrong with it: errors always fail; warnings with --werror.
bool failed(const Checked& c, bool werror) {
  if (!c.skipped.empty()) return false;
  return c.errors > 0 || c.what.empty() || (werror && c.warnings > 0);
}

void write_json(JsonWriter& w, const std::string& file, const Checked& c, bool bad) {
  w.object().field("file", file).field("ok", !bad).field("kind", to_string(c.kind));
  if (!c.skipped.empty()) w.field("skipped", c.skipped);
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
    w.field("severity", patter::to_string(d.severity))
        .field("code", code_name(d.code))
        .field("name", code_id(d.code));
    w.field("message", d.message).field("hint", d.hint).end();
  }
  w.end().end();
}

std::string count(std::size_t n, const char* one) {
  return std::to_string(n) + " " + one + (n == 1 ? "" : "s");
}

void print(const std::string& file, const Checked& c, bool werror) {
  for (const Diagnostic& d : c.load.diagnostics) std::cerr << format(d) << '\n';
  if (!c.skipped.empty()) {
    std::cout << file << ": skipped — " << c.skipped << '\n';
  } else if (c.errors > 0 || c.what.empty()) {
    std::cout << file << ": " << count(c.errors, "error") << '\n';
  } else if (werror && c.warnings > 0) {
    std::cout << file << ": failed — " << count(c.warnings, "warning")
              << ", and --werror makes warnings fail\n";
  } else {
    std::cout << file << ": ok — " << c.what
              << (c.warnings ? ", " + count(c.warnings, "warning") : std::string()) << '\n';
  }
}

}  // namespace

bool is_tests_by_header(const std::string& file) {
  return kind_of(file, head_of(file)) == Kind::tests;
}

int validate(const ValidateArgs& args) {
  // Scripts first, in any order given: a personas file is checked against
  // the script it names.
  std::vector<Checked> checked(args.files.size());
  Loaded loaded;
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < args.files.size(); ++i) {
      const std::string head = head_of(args.files[i]);
      if ((kind_of(args.files[i], head) == Kind::personas) != (pass == 1)) continue;
      checked[i] = check(args.files[i], head, loaded);
      if (checked[i].load.ok())
        loaded.emplace(checked[i].load.script->id(), checked[i].load.script);
    }
  }
  bool any_failed = false;
  JsonWriter w;
  w.array();
  for (std::size_t i = 0; i < args.files.size(); ++i) {
    const bool bad = failed(checked[i], args.werror);
    any_failed = any_failed || bad;
    if (args.json)
      write_json(w, args.files[i], checked[i], bad);
    else
      print(args.files[i], checked[i], args.werror);
  }
  if (args.json) std::cout << w.end().str() << '\n';
  return any_failed ? 1 : 0;
}

}  // namespace patter::cli
